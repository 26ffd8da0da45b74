/*
 * spin: a long computation that shows its progress, for snapshot tests
 * (tests/real-kvm/snapshot.bats): 20 rounds of 768 x 65,535 steps of
 * x = 25173 x + 13849 + round (mod 2^16), each round's x on a line of its
 * own. Saved mid-way and resumed, it must print exactly what an
 * uninterrupted run prints: the state lives in registers and memory.
 */
#include "real-mode.h"

#define ROUNDS 20
#define REPEATS 768

	.text
	.globl	_start
_start:
	mov	$12345, %bp		/* BP = x */
	movw	$0, round
next_round:
	movw	$REPEATS, repeats
repeat:
	mov	$0xffff, %cx		/* 65,535 steps: not the LCG's period */
	mov	$25173, %bx
1:	mov	%bp, %ax
	mul	%bx			/* DX:AX = x * 25173 */
	add	$13849, %ax
	add	round, %ax
	mov	%ax, %bp
	loop	1b
	decw	repeats
	jnz	repeat
	mov	%bp, %ax
	mov	$5, %cx
	call	print_u16
	call	newline
	incw	round
	cmpw	$ROUNDS, round
	jb	next_round
	EXIT	0

	.data
round:	.word 0
repeats: .word 0

#include "lib.S"
