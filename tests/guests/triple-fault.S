/* triple-fault: load an empty IDT, then raise an exception. Delivering #BP
 * needs the IDT (#GP), delivering #GP needs it too (#DF), and a fault while
 * delivering #DF shuts the CPU down: KVM_EXIT_SHUTDOWN (SDM Vol. 3A, 6.15,
 * "Interrupt 8 -- Double Fault Exception"). Expected: exit 70. */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	lidt	empty_idt
	int3
	hlt				/* never reached */

	.section .rodata
empty_idt:
	.word	0			/* limit 0: no vector is inside */
	.long	0
