/*
 * os.h: the 1K OS system-call ABI, shared by the kernel and user programs.
 * A user program calls the kernel with "int $0x80": number in EAX,
 * arguments in EBX, ECX, EDX, result in EAX. Nothing else crosses the line.
 */
#ifndef OS_H
#define OS_H

#define SYSCALL_VECTOR 0x80

#define SYS_EXIT    0	/* EBX: exit code. Never returns.                    */
#define SYS_WRITE   1	/* EBX: buffer, ECX: length. EAX = length           */
#define SYS_GETCHAR 2	/* EAX = next input byte, or -1 at the end of input */
#define SYS_SPAWN   3	/* EBX: program number. EAX = pid, or -1            */
#define SYS_WAIT    4	/* EBX: pid. EAX = its exit code (-1: killed)       */
#define SYS_INFO    5	/* EBX: struct os_info *. EAX = 0                   */
#define SYS_YIELD   6	/* give the CPU to the next process                 */
#define SYS_LIST    7	/* EBX: buffer, ECX: length. "name size\n" lines;
			   EAX = bytes, or FS_ERR_*                          */
#define SYS_READ_FILE  8	/* EBX: name (FS_NAME_MAX bytes), ECX: buffer,
			   EDX: length. EAX = bytes read, or FS_ERR_*         */
#define SYS_WRITE_FILE 9	/* the same; creates or replaces the file        */
#define SYSCALL_COUNT 10

/* The file system on the disk (fs.c): a flat directory of small files. */
#define FS_NAME_MAX   24	/* with its NUL */
#define FS_FILE_MAX   4096	/* bytes per file */
#define FS_FILES      16
#define FS_ERR_NO_DISK   (-2)
#define FS_ERR_CORRUPT   (-3)
#define FS_ERR_NOT_FOUND (-4)
#define FS_ERR_FULL      (-5)
#define FS_ERR_TOO_BIG   (-6)
#define FS_ERR_IO        (-7)
#define FS_ERR_NAME      (-8)

#define USER_BASE  0x40000000u	/* where every program is loaded and runs */
#define USER_SIZE  0x00400000u	/* one 4 MB page: code, data and stack   */

#ifndef __ASSEMBLER__
struct os_info {
	unsigned ticks;		/* timer interrupts since boot (100 Hz) */
	unsigned processes;	/* live processes, this one included */
	unsigned memory_kb, free_kb;
	unsigned hypervisor;	/* 1: mini-kvm, 0: another machine */
};
#endif

/* Program numbers for SYS_SPAWN: the shell's menu. */
#define PROGRAM_SHELL 0
#define PROGRAM_BAD   10	/* misbehaves on purpose */
#define PROGRAM_COUNT 11

#endif
