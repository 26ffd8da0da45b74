/* exit-code: print a line and end with HC_EXIT_STATUS 42. Expected: exit 42. */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	mov	$message, %si
	call	puts
	EXIT	42
	hlt				/* never reached: HC_EXIT_STATUS does not return */

	.section .rodata
message:
	.asciz	"exiting with 42\n"

	.text
#include "lib.S"
