/* user.h: the user-space library of the 1K OS: system calls and a little libc. */
#ifndef USER_H
#define USER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/common.h"
#include "../include/os.h"

static inline int syscall3(int nr, uint32_t a, uint32_t b, uint32_t c) {
	int r;

	__asm__ volatile("int %1" : "=a"(r) : "i"(SYSCALL_VECTOR), "a"(nr), "b"(a), "c"(b),
			 "d"(c) : "memory");
	return r;
}

#define SYSCALL(nr, a, b, c) syscall3(nr, (uint32_t)(a), (uint32_t)(b), (uint32_t)(c))
static inline void exit(int code) { SYSCALL(SYS_EXIT, code, 0, 0); }
static inline int write(const void *buf, unsigned len) { return SYSCALL(SYS_WRITE, buf, len, 0); }
static inline int getchar(void) { return SYSCALL(SYS_GETCHAR, 0, 0, 0); }
static inline int spawn(unsigned program) { return SYSCALL(SYS_SPAWN, program, 0, 0); }
static inline int wait(int pid) { return SYSCALL(SYS_WAIT, pid, 0, 0); }
static inline int os_info(struct os_info *info) { return SYSCALL(SYS_INFO, info, 0, 0); }
static inline void yield(void) { SYSCALL(SYS_YIELD, 0, 0, 0); }
static inline int list_files(char *buf, unsigned len) { return SYSCALL(SYS_LIST, buf, len, 0); }
/* NAME: a buffer of FS_NAME_MAX bytes */
static inline int read_file(const char *name, void *buf, unsigned len) {
	return SYSCALL(SYS_READ_FILE, name, buf, len);
}
static inline int write_file(const char *name, const void *buf, unsigned len) {
	return SYSCALL(SYS_WRITE_FILE, name, buf, len);
}

void print(const char *s);
void printf(const char *fmt, ...);	/* common.c's formats, one write(2) */
int readline(const char *prompt, char *buf, unsigned size);	/* length, -1 at the end */
int parse_int(const char **s, int *value);	/* skips spaces; 0 if no number */
const char *fs_error(int code);		/* FS_ERR_* in words */

#endif
