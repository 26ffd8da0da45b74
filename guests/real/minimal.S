/*
 * minimal: the smallest guest there is -- one byte, HLT (0xF4).
 *
 * Lesson: a VM without an interrupt controller cannot be woken from HLT,
 * so KVM hands HLT to the VMM as KVM_EXIT_HLT and mini-kvm ends the guest
 * with status 0. Try: mini-kvm -v build/guests/real/minimal.bin
 */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	hlt
