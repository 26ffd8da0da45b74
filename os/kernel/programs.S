/* programs.S: the user programs, built as flat binaries, inside the kernel.
 * The Makefile points the assembler's -I at where they are built. */
.macro PROGRAM name, file
	.section .rodata
	.balign	16
	.globl	program_\name, program_\name\()_end
program_\name:
	.incbin	"\file"
program_\name\()_end:
.endm

	PROGRAM	shell, "shell.bin"
	PROGRAM	multiply, "multiply.bin"
	PROGRAM	counter, "counter.bin"
	PROGRAM	echo, "echo.bin"
	PROGRAM	fibonacci, "fibonacci.bin"
	PROGRAM	primes, "primes.bin"
	PROGRAM	calc, "calc.bin"
	PROGRAM	factorial, "factorial.bin"
	PROGRAM	gcd, "gcd.bin"
	PROGRAM	sysinfo, "sysinfo.bin"
	PROGRAM	bad, "bad.bin"
