/* kernel.h: the 1K OS kernel's modules and what they share. */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/common.h"
#include "../include/os.h"

/* Segment selectors: the GDT built in cpu.c. The low 2 bits of a
 * selector are the privilege level it asks for (RPL). */
#define KERNEL_CODE 0x08
#define KERNEL_DATA 0x10
#define USER_CODE   (0x18 | 3)
#define USER_DATA   (0x20 | 3)
#define TSS_SELECTOR 0x28

#define PAGE_4MB (4u << 20)

/* What trap_common pushes, lowest address first (boot.S). */
struct trap_frame {
	uint32_t edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;
	uint32_t es, ds, vector, error;
	uint32_t eip, cs, eflags;
	uint32_t user_esp, user_ss;	/* only when the trap came from ring 3 */
};

/* x86 instructions C cannot say */
static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) {
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint16_t inw(uint16_t port) {
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint32_t inl(uint16_t port) {
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}


/* console.c: output by hypercall and input from the keyboard on mini-kvm, else the UART */
void console_init(void);
bool console_on_mini_kvm(void);
uint32_t hypercall(uint32_t nr, uint32_t a, uint32_t b);	/* on mini-kvm only */
void console_write(const char *buf, size_t len);
int console_poll(void);	/* a byte, -1 none yet, -2 end of input; never waits */
void kprintf(const char *fmt, ...);
_Noreturn void power_off(int code);

/* virtio.c: a virtio-blk device on the PCI bus, polled */
bool virtio_blk_init(void);
int virtio_blk_read(uint32_t sector, void *buf);
int virtio_blk_write(uint32_t sector, const void *buf);

/* disk.c: sectors from virtio-blk if there is one; else by hypercall on
 * mini-kvm, ATA PIO elsewhere */
bool disk_init(void);
int disk_read(uint32_t sector, void *buf);
int disk_write(uint32_t sector, const void *buf);

/* fs.c: the file system on the disk; FS_ERR_* when it cannot */
void fs_init(void);
int fs_list(char *buf, uint32_t len);
int fs_read(const char *name, uint8_t *buf, uint32_t len);
int fs_write(const char *name, const uint8_t *buf, uint32_t len);

/* cpu.c: GDT, TSS, IDT, interrupt controller and timer */
void cpu_init(void);
void tss_set_kernel_stack(uint32_t esp0);
void timer_init(unsigned hz);
void pic_eoi(unsigned irq);
extern volatile unsigned ticks;
void trap(struct trap_frame *f);

/* proc.c: processes, their memory, the scheduler and system calls */
void paging_init(uint32_t memory_kb);
int proc_spawn(unsigned program);
_Noreturn void scheduler(void);
void proc_tick(void);			/* from the timer: preempt */
void proc_kill(const char *why, struct trap_frame *f);
void syscall(struct trap_frame *f);
bool proc_current_is_user(void);

/* boot.S */
void switch_context(uint32_t *save_esp, uint32_t next_esp);
void trap_return(void);

#endif
