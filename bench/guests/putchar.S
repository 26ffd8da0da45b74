/* putchar: 100,000 HC_PUTCHARs, one exit each, then HLT. Run by mini-kvm
 * and by the floor (which answers each OUT by running again). */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	mov	$100000, %ecx
1:	mov	$'x', %bl
	HYPERCALL HC_PUTCHAR
	loopl	1b
	hlt
