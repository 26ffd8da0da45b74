/* start.S: a user program's first instructions: main(), then SYS_EXIT. */
#include "../include/os.h"

	.section .text.start, "ax"
	.globl	_start
_start:
	call	main
	mov	%eax, %ebx
	mov	$SYS_EXIT, %eax
	int	$SYSCALL_VECTOR
