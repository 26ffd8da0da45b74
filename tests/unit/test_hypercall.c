/* hypercall: every call on a fake vCPU state, and the port that routes them. */
#include "helpers.h"

#include <string.h>
#include <unistd.h>


#define RUNNING (-1)	/* call: the guest runs on */

/* Make call NR; the status the guest ends with, or RUNNING. */
static int call(struct fake_guest *f, uint32_t nr, uint64_t rbx, uint64_t rcx)
{
	struct kvm_regs *r = &f->g.vm.vcpu[0].run->s.regs.regs;
	struct run_result result;

	r->rax = 0x1111;	/* so a result that is never written shows */
	r->rbx = rbx;
	r->rcx = rcx;
	result = hypercall_dispatch(&f->g.hc, nr, r);
	return result.ends ? result.status : RUNNING;
}

static uint64_t rax(struct fake_guest *f) { return f->g.vm.vcpu[0].run->s.regs.regs.rax; }

/* HC_EXIT is the original Mini-KVM's: status 0 whatever BL holds. */
static void exit_ignores_ebx(void **state)
{
	struct fake_guest f;

	(void)state;
	fake_guest_init(&f, 4096);
	assert_int_equal(call(&f, HC_EXIT, ' ', 0), 0);
	assert_int_equal(call(&f, HC_EXIT, 0x1234, 0), 0);
	assert_int_equal(f.g.hc.count[HC_EXIT], 2);
	fake_guest_free(&f);
}

static void exit_status_returns_low_byte_of_ebx(void **state)
{
	struct fake_guest f;

	(void)state;
	fake_guest_init(&f, 4096);
	assert_int_equal(call(&f, HC_EXIT_STATUS, 0x1234, 0), 0x34);
	assert_int_equal(call(&f, HC_EXIT_STATUS, 0, 0), 0);
	assert_int_equal(call(&f, HC_EXIT_STATUS, 0xff, 0), 0xff);
	assert_int_equal(f.g.hc.count[HC_EXIT_STATUS], 3);
	assert_string_equal(hypercall_name(HC_EXIT_STATUS), "EXIT_STATUS");
	fake_guest_free(&f);
}

static void putchar_and_write(void **state)
{
	struct fake_guest f;

	(void)state;
	fake_guest_init(&f, 4096);
	assert_int_equal(call(&f, HC_PUTCHAR, 0x4142, 0), RUNNING);	/* BL */
	assert_int_equal(rax(&f), 0);
	memcpy(f.g.mem.host + 4090, "tail!\n", 6);
	assert_int_equal(call(&f, HC_WRITE, 4090, 6), RUNNING);
	assert_int_equal(rax(&f), 6);
	assert_string_equal(fake_guest_output(&f), "Btail!\n");
	fake_guest_free(&f);
}

static void write_refuses_bad_buffers(void **state)
{
	struct fake_guest f;

	(void)state;
	fake_guest_init(&f, 4096);
	call(&f, HC_WRITE, 4090, 7);		/* one byte past the end */
	assert_int_equal(rax(&f), HC_ERR_FAULT);
	call(&f, HC_WRITE, 0xffffffff, 2);	/* wraps 2^32 */
	assert_int_equal(rax(&f), HC_ERR_FAULT);
	call(&f, HC_WRITE, 16, 0xfffffff0);	/* wraps 2^32 */
	assert_int_equal(rax(&f), HC_ERR_FAULT);
	/* Only the low 32 bits of RBX/RCX are the arguments. */
	call(&f, HC_WRITE, 0xffffffff00000010ull, 0xffffffff00000001ull);
	assert_int_equal(rax(&f), 1);
	call(&f, HC_WRITE, 4096, 0);		/* empty, at the end: fine */
	assert_int_equal(rax(&f), 0);
	call(&f, HC_READ, 4000, 100);
	assert_int_equal(rax(&f), HC_ERR_FAULT);
	assert_string_equal(fake_guest_output(&f), "");	/* byte 16 is 0 */
	fake_guest_free(&f);
}

static void getchar_and_read_until_eof(void **state)
{
	struct fake_guest f;

	(void)state;
	fake_guest_init(&f, 4096);
	fake_guest_stdin(&f, "\xffxyz", 4);
	call(&f, HC_GETCHAR, 0, 0);
	assert_int_equal(rax(&f), 0xff);		/* a 0xFF byte is not EOF */
	call(&f, HC_READ, 100, 2);
	assert_int_equal(rax(&f), 2);
	assert_memory_equal(f.g.mem.host + 100, "xy", 2);
	call(&f, HC_READ, 100, 50);
	assert_int_equal(rax(&f), 1);
	call(&f, HC_READ, 100, 50);
	assert_int_equal(rax(&f), 0);			/* end of input */
	call(&f, HC_GETCHAR, 0, 0);
	assert_int_equal(rax(&f), HC_EOF);
	fake_guest_free(&f);
}

static void unknown_numbers_fail_softly(void **state)
{
	struct fake_guest f;

	(void)state;
	fake_guest_init(&f, 4096);
	assert_int_equal(call(&f, HC_COUNT, 0, 0), RUNNING);
	assert_int_equal(rax(&f), HC_ERR_NOSYS);
	assert_int_equal(call(&f, 0xffffffff, 0, 0), RUNNING);
	assert_int_equal(f.g.hc.unknown, 2);
	assert_null(hypercall_name(HC_COUNT));
	assert_string_equal(hypercall_name(HC_GETCHAR), "GETCHAR");
	fake_guest_free(&f);
}

static void disk_reads_writes_and_refuses(void **state)
{
	static uint8_t zeros[HC_SECTOR_SIZE * 2];
	struct fake_guest f;
	char path[64];

	(void)state;
	fake_guest_init(&f, 4096);
	assert_int_equal(call(&f, HC_DISK_READ, 0, 0), RUNNING);
	assert_int_equal(rax(&f), HC_ERR_NODEV);		/* no --disk */
	temp_file(path, zeros, sizeof(zeros));			/* two sectors */
	assert_int_equal(disk_open(&f.dev.disk[0], path, false, "t"), 0);
	assert_int_equal(disk_attach(&f.dev.disk[0], &f.g.hc, &f.g.mem), 0);
	assert_int_equal(disk_attach(&f.dev.disk[0], &f.g.hc, &f.g.mem), -1);	/* taken */
	assert_int_equal(f.dev.disk[0].sectors, 2);
	memset(f.g.mem.host + 1024, 'x', HC_SECTOR_SIZE);
	call(&f, HC_DISK_WRITE, 1024, 1);
	assert_int_equal(rax(&f), 1);
	call(&f, HC_DISK_READ, 0, 1);
	assert_int_equal(rax(&f), 1);
	assert_int_equal(f.g.mem.host[0], 'x');
	assert_int_equal(f.g.mem.host[HC_SECTOR_SIZE - 1], 'x');
	call(&f, HC_DISK_READ, 0, 2);				/* one past the end */
	assert_int_equal(rax(&f), HC_ERR_RANGE);
	call(&f, HC_DISK_READ, 0, 0xffffffff);
	assert_int_equal(rax(&f), HC_ERR_RANGE);
	call(&f, HC_DISK_READ, 4096 - HC_SECTOR_SIZE + 1, 0);	/* straddles the end */
	assert_int_equal(rax(&f), HC_ERR_FAULT);
	call(&f, HC_DISK_WRITE, 0xffffff00, 0);			/* wraps 2^32 */
	assert_int_equal(rax(&f), HC_ERR_FAULT);
	disk_close(&f.dev.disk[0]);
	unlink(path);
	fake_guest_free(&f);
}

static void clock_is_monotonic(void **state)
{
	struct fake_guest f;
	struct kvm_regs *r;
	uint64_t first, second;

	(void)state;
	fake_guest_init(&f, 4096);
	r = &f.g.vm.vcpu[0].run->s.regs.regs;
	call(&f, HC_CLOCK, 0, 0);
	first = (r->rdx << 32) | r->rax;
	usleep(1000);
	call(&f, HC_CLOCK, 0, 0);
	second = (r->rdx << 32) | r->rax;
	assert_true(second >= first + 1000000);		/* at least the 1 ms slept */
	assert_true(r->rax <= 0xffffffff && r->rdx <= 0xffffffff);
	fake_guest_free(&f);
}

static void port_takes_number_from_out_data(void **state)
{
	struct fake_guest f;
	struct pio_access out = { .port = HC_PORT, .size = 1, .is_write = true,
				  .value = HC_EXIT_STATUS };
	struct pio_access in = { .port = HC_PORT, .size = 4 };

	(void)state;
	fake_guest_init(&f, 4096);
	f.g.vm.vcpu[0].run->s.regs.regs.rbx = 7;
	f.g.vm.vcpu[0].run->s.regs.regs.rax = HC_PUTCHAR;	/* ignored: OUT data wins */
	ENDS_WITH(hypercall_io(&f.g.hc, 0, &out), 7);
	assert_int_equal(f.g.vm.vcpu[0].run->kvm_dirty_regs & KVM_SYNC_X86_REGS,
			 KVM_SYNC_X86_REGS);		/* results go back */
	RUNS_ON(hypercall_io(&f.g.hc, 0, &in));
	assert_int_equal(in.value, 0xFFFFFFFF);
	fake_guest_free(&f);
}

int test_hypercall(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exit_ignores_ebx),
		cmocka_unit_test(exit_status_returns_low_byte_of_ebx),
		cmocka_unit_test(putchar_and_write),
		cmocka_unit_test(write_refuses_bad_buffers),
		cmocka_unit_test(getchar_and_read_until_eof),
		cmocka_unit_test(unknown_numbers_fail_softly),
		cmocka_unit_test(disk_reads_writes_and_refuses),
		cmocka_unit_test(clock_is_monotonic),
		cmocka_unit_test(port_takes_number_from_out_data),
	};
	return cmocka_run_group_tests_name("hypercall", tests, NULL, NULL);
}
