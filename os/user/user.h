/* user.h: the user-space library of the 1K OS: system calls and a little libc. */
#ifndef USER_H
#define USER_H

#include <stdarg.h>
#include <stdint.h>

#include "../include/os.h"

static inline int syscall3(int nr, uint32_t a, uint32_t b) {
	int r;

	__asm__ volatile("int %1" : "=a"(r) : "i"(SYSCALL_VECTOR), "a"(nr), "b"(a), "c"(b)
			 : "memory");
	return r;
}

static inline void exit(int code) { syscall3(SYS_EXIT, (uint32_t)code, 0); }
static inline int write(const void *buf, unsigned len) { return syscall3(SYS_WRITE, (uint32_t)buf, len); }
static inline int getchar(void) { return syscall3(SYS_GETCHAR, 0, 0); }
static inline int spawn(unsigned program) { return syscall3(SYS_SPAWN, program, 0); }
static inline int wait(int pid) { return syscall3(SYS_WAIT, (uint32_t)pid, 0); }
static inline int os_info(struct os_info *info) { return syscall3(SYS_INFO, (uint32_t)info, 0); }

unsigned strlen(const char *s);
int strcmp(const char *a, const char *b);
void print(const char *s);
void printf(const char *fmt, ...);	/* %s %c %d %u, optional width */
int readline(const char *prompt, char *buf, unsigned size);	/* length, -1 at the end */
int parse_int(const char **s, int *value);	/* skips spaces; 0 if no number */

#endif
