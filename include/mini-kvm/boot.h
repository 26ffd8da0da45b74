/*
 * mini-kvm boot protocol for protected-mode (ELF32) guests: the second
 * stable interface after hypercall.h, shared by the VMM and the guests.
 * #defines only, usable from C and GNU as.
 *
 * Machine state at the ELF entry point (the Multiboot v1 state, so one
 * kernel file boots here and under "qemu-system-i386 -kernel"):
 *   EAX = MULTIBOOT_BOOT_MAGIC, EBX = address of a Multiboot information
 *   structure (flags bit 0: mem_lower/mem_upper in KB), CR0.PE = 1, no
 *   paging, interrupts off, CS = BOOT_CODE_SELECTOR and DS = ES = FS = GS =
 *   SS = BOOT_DATA_SELECTOR, flat 4 GB segments described by a GDT at
 *   BOOT_GDT_ADDRESS. ESP = BOOT_STACK_TOP, a small stack in the boot area.
 * The boot area [0, BOOT_AREA_END) belongs to mini-kvm: no PT_LOAD segment
 * may be loaded there.
 *
 * docs/writing-guests.md shows a protected-mode guest end to end.
 */
#ifndef MINI_KVM_BOOT_H
#define MINI_KVM_BOOT_H

#define MULTIBOOT_BOOT_MAGIC     0x2BADB002  /* in EAX at entry            */
#define MULTIBOOT_INFO_MEMORY    0x00000001  /* info flags: mem_* valid    */

#define BOOT_GDT_ADDRESS         0x1000
#define BOOT_INFO_ADDRESS        0x1800      /* the Multiboot information  */
#define BOOT_STACK_TOP           0x8000
#define BOOT_AREA_END            0x8000
#define BOOT_CODE_SELECTOR       0x08
#define BOOT_DATA_SELECTOR       0x10

/*
 * Long mode (ELF64 guests). The guest starts at its ELF entry in 64-bit
 * mode at privilege level 3, on page tables mapping guest RAM 1:1 (the
 * boot area supervisor-only, everything else user-accessible), with
 * RDI = the memory size in bytes and RSP = the top of memory. The TSS's
 * I/O bitmap opens ports 0 to LONG_IO_PORTS - 1 to it (hypercalls, UART,
 * keyboard); HLT, CLI and other ports raise #GP, and with no IDT any
 * exception is a triple fault: a 64-bit guest ends with HC_EXIT.
 */
#define LONG_TSS                 0x1100
#define LONG_PML4                0x2000
#define LONG_PDPT                0x3000
#define LONG_PT                  0x4000      /* the first 2 MB, in 4 KB pages */
#define LONG_PD                  0x5000      /* up to 3: 2 MB pages, 3 GB     */
#define LONG_USER_CODE           0x18        /* | 3: the selectors in CS ...  */
#define LONG_USER_DATA           0x20        /* ... and in DS, ES, SS         */
#define LONG_TSS_SELECTOR        0x28
#define LONG_IO_PORTS            0x600

/*
 * Asking for interrupts. A guest that wants KVM's in-kernel irqchip (8259
 * PICs, I/O APIC) and the 8254 PIT carries an ELF note: name "mini-kvm",
 * type MINI_KVM_NOTE_FEATURES, a 4-byte descriptor of MINI_KVM_FEATURE_*
 * bits. Other loaders ignore notes they do not know. Without the note
 * there is no irqchip: HLT ends the guest, as in real mode.
 */
#define MINI_KVM_NOTE_NAME       "mini-kvm"
#define MINI_KVM_NOTE_FEATURES   1
#define MINI_KVM_FEATURE_IRQCHIP 0x00000001  /* PIC + IOAPIC + PIT, 100 Hz
                                                 is the guest's to program */

/*
 * Telling mini-kvm from other machines: CPUID leaf 0x40000000 (the
 * hypervisor range; CPUID.1:ECX bit 31 says one is present) returns the
 * largest hypervisor leaf in EAX and "mini-kvm" + four NULs in EBX, ECX, EDX.
 */
#define MINI_KVM_CPUID_LEAF      0x40000000
#define MINI_KVM_CPUID_EBX       0x696e696d  /* "mini" */
#define MINI_KVM_CPUID_ECX       0x6d766b2d  /* "-kvm" */
#define MINI_KVM_CPUID_EDX       0x00000000

/*
 * The keyboard: stdin bytes, as an i8042-like controller. Port 0x64 bit 0
 * says a byte is waiting; port 0x60 reads it (the ASCII byte itself, not a
 * scan code). Bit 7 (mini-kvm's own) says stdin has ended: no byte will
 * ever come. With the irqchip, each byte that arrives raises IRQ1, and so
 * does the end of input; while a byte waits unread, IRQ1 comes again every
 * 50 ms (an edge raised before the guest set up its 8259 is lost).
 */
#define KBD_DATA_PORT            0x60
#define KBD_STATUS_PORT          0x64
#define KBD_STATUS_OUTPUT_FULL   0x01
#define KBD_STATUS_END_OF_INPUT  0x80
#define KBD_IRQ                  1

#endif
