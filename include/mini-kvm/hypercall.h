/*
 * mini-kvm hypercall ABI: the one definition shared by the VMM and every guest.
 *
 * This header is a stable interface. It holds only #defines, so it can be
 * included from C and from GNU as (.S files go through the C preprocessor).
 *
 * Calling convention (any CPU mode):
 *   function number  AL / AX / EAX -- the value written by the OUT itself
 *   arguments        EBX, ECX (EDX holds the port number for the OUT itself)
 *   the call         OUT to port HC_PORT (byte, word or dword width)
 *   result           EAX (the VMM writes it before the guest resumes)
 *
 * Guest addresses are guest-physical. In real mode that is segment * 16 +
 * offset; the sample guests keep DS = 0, so it is the offset itself.
 * Errors come back as small negative numbers in EAX (HC_ERR_*).
 * docs/hypercalls.md documents every call with an assembly example.
 */
#ifndef MINI_KVM_HYPERCALL_H
#define MINI_KVM_HYPERCALL_H

#define HC_PORT         0x500

/* Function numbers. 0-2 keep the original Mini-KVM numbering and meaning. */
#define HC_EXIT         0   /* End the guest, status 0. Never returns. BL is
                               ignored: the original's guests leave whatever
                               they last printed there (HC_EXIT_STATUS below) */
#define HC_PUTCHAR      1   /* BL: byte to write to the console.  EAX = 0      */
#define HC_GETCHAR      2   /* EAX = next input byte (0-255) or HC_EOF          */
#define HC_WRITE        3   /* EBX: address, ECX: length. EAX = bytes written   */
#define HC_READ         4   /* EBX: address, ECX: length. EAX = bytes read,
                               0 at end of input (at most one line on a tty)   */
#define HC_CLOCK        5   /* EDX:EAX = nanoseconds since the guest started    */
#define HC_DISK_READ    6   /* EBX: address, ECX: sector number. Reads one
                               sector of the --disk FILE. EAX = 1              */
#define HC_DISK_WRITE   7   /* the same, from guest memory to the disk         */
#define HC_EXIT_STATUS  8   /* EBX: exit status (low 8 bits). Never returns.   */
#define HC_COUNT        9   /* number of defined calls                          */

#define HC_SECTOR_SIZE  512 /* the unit of HC_DISK_READ / HC_DISK_WRITE        */

/* HC_GETCHAR at end of input: EAX = -1. AL alone reads 0xFF, which is what
 * original Mini-KVM guests test; AH = 0xFF tells it apart from a real 0xFF byte. */
#define HC_EOF          0xFFFFFFFF

/* Error results (EAX), the negated Linux errno values. */
#define HC_ERR_IO       0xFFFFFFFB  /* -5:  the host could not read or write   */
#define HC_ERR_FAULT    0xFFFFFFF2  /* -14: buffer not inside guest memory     */
#define HC_ERR_NODEV    0xFFFFFFED  /* -19: no disk (mini-kvm ran without --disk) */
#define HC_ERR_RANGE    0xFFFFFFEA  /* -22: sectors past the end of the disk   */
#define HC_ERR_NOSYS    0xFFFFFFDA  /* -38: no such hypercall number           */

#endif
