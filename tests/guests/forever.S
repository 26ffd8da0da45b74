/* forever: never ends. Expected with --timeout 1: exit 124 after ~1 s. */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	jmp	_start
