/* unmapped-jump: jump to 8000:0000 (guest-physical 512K), past the end of
 * a 256K guest's RAM. There is no instruction to fetch there, so KVM
 * cannot go on: KVM_EXIT_INTERNAL_ERROR (emulation). Expected: exit 70. */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	ljmp	$0x8000, $0
