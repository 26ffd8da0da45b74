/* vcpu: the exit switch on faked exits, including the ones no real-mode
 * guest can provoke on purpose (entry failure, unknown exits). */
#include "helpers.h"

#include <string.h>
#include <unistd.h>


#define RUNNING (-1)	/* fake_exit: the guest runs on */

/* Fake an exit of REASON; return the status it ends with (or RUNNING) and
 * the stderr text in ERR. */
static int fake_exit(struct fake_guest *f, uint32_t reason, const char **err)
{
	struct run_result result;
	struct capture c;

	f->g.vm.vcpu[0].run->exit_reason = reason;
	capture_begin(&c, STDERR_FILENO);
	result = vcpu_handle_exit(&f->g, &f->g.vm.vcpu[0]);
	*err = capture_end(&c);
	return result.ends ? result.status : RUNNING;
}

static void crashes_are_named_with_rip(void **state)
{
	struct fake_guest f;
	const char *err;

	(void)state;
	fake_guest_init(&f, 4096);
	f.g.vm.vcpu[0].run->s.regs.regs.rip = 0x1234;
	assert_int_equal(fake_exit(&f, KVM_EXIT_SHUTDOWN, &err), EXIT_GUEST_CRASHED);
	assert_string_equal(err, "mini-kvm: fake: guest crashed: triple fault "
			    "(KVM_EXIT_SHUTDOWN) at rip 1234\n");

	f.g.vm.vcpu[0].run->fail_entry.hardware_entry_failure_reason = 0x21;
	assert_int_equal(fake_exit(&f, KVM_EXIT_FAIL_ENTRY, &err), EXIT_GUEST_CRASHED);
	assert_non_null(strstr(err, "fake: guest crashed: the CPU refused to enter "
			       "the guest (KVM_EXIT_FAIL_ENTRY, hardware reason 0x21)"));

	f.g.vm.vcpu[0].run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
	assert_int_equal(fake_exit(&f, KVM_EXIT_INTERNAL_ERROR, &err), EXIT_GUEST_CRASHED);
	assert_non_null(strstr(err, "emulation failure"));
	assert_non_null(strstr(err, "suberror 1) at rip 1234"));

	assert_int_equal(fake_exit(&f, KVM_EXIT_DEBUG, &err), EXIT_GUEST_CRASHED);
	assert_non_null(strstr(err, "unhandled exit DEBUG (KVM_EXIT number 4)"));
	assert_int_equal(fake_exit(&f, 200, &err), EXIT_GUEST_CRASHED);
	assert_non_null(strstr(err, "unhandled exit unknown (KVM_EXIT number 200)"));
	fake_guest_free(&f);
}

static void hlt_ends_the_guest_cleanly(void **state)
{
	struct fake_guest f;
	const char *err;

	(void)state;
	fake_guest_init(&f, 4096);
	assert_int_equal(fake_exit(&f, KVM_EXIT_HLT, &err), 0);
	assert_string_equal(err, "");
	assert_int_equal(f.g.stats.exits[KVM_EXIT_HLT], 1);
	fake_guest_free(&f);
}

/* An I/O exit as KVM lays it out: data inside kvm_run at data_offset. */
static void fake_io(struct fake_guest *f, uint16_t port, uint8_t direction,
		    uint8_t size, uint32_t count, const void *data)
{
	struct kvm_run *run = f->g.vm.vcpu[0].run;

	run->io.port = port;
	run->io.direction = direction;
	run->io.size = size;
	run->io.count = count;
	run->io.data_offset = 4096;
	if (data)
		memcpy((uint8_t *)run + 4096, data, (size_t)size * count);
}

static void string_io_goes_through_the_bus(void **state)
{
	struct fake_guest f;
	const char *err;
	uint8_t *data;

	(void)state;
	fake_guest_init(&f, 4096);
	pio_register(&f.g.pio, "uart", UART_COM1_BASE, UART_PORT_COUNT, uart_io,
		     &f.dev.uart);
	fake_io(&f, UART_COM1_BASE, KVM_EXIT_IO_OUT, 1, 3, "rep");	/* REP OUTSB */
	assert_int_equal(fake_exit(&f, KVM_EXIT_IO, &err), RUNNING);
	fake_io(&f, 0x60, KVM_EXIT_IO_IN, 2, 2, NULL);		/* unclaimed */
	assert_int_equal(fake_exit(&f, KVM_EXIT_IO, &err), RUNNING);
	data = (uint8_t *)f.g.vm.vcpu[0].run + 4096;
	assert_memory_equal(data, "\xff\xff\xff\xff", 4);
	assert_int_equal(f.g.pio.unclaimed, 2);
	assert_string_equal(fake_guest_output(&f), "rep");
	fake_guest_free(&f);
}

static void malformed_io_exit_is_refused(void **state)
{
	struct fake_guest f;
	const char *err;

	(void)state;
	fake_guest_init(&f, 4096);
	fake_io(&f, 0x80, KVM_EXIT_IO_OUT, 1, 5000, NULL);	/* past kvm_run */
	assert_int_equal(fake_exit(&f, KVM_EXIT_IO, &err), EXIT_GUEST_CRASHED);
	assert_non_null(strstr(err, "malformed I/O exit"));
	fake_io(&f, 0x80, KVM_EXIT_IO_OUT, 3, 1, NULL);		/* no 3-byte I/O */
	assert_int_equal(fake_exit(&f, KVM_EXIT_IO, &err), EXIT_GUEST_CRASHED);
	fake_guest_free(&f);
}

static void mmio_outside_ram_reads_all_ones(void **state)
{
	struct fake_guest f;
	const char *err;

	(void)state;
	fake_guest_init(&f, 4096);
	f.g.vm.vcpu[0].run->mmio.phys_addr = 0x80000;
	f.g.vm.vcpu[0].run->mmio.len = 4;
	f.g.vm.vcpu[0].run->mmio.is_write = 0;
	assert_int_equal(fake_exit(&f, KVM_EXIT_MMIO, &err), RUNNING);
	assert_memory_equal(f.g.vm.vcpu[0].run->mmio.data, "\xff\xff\xff\xff", 4);
	assert_int_equal(f.g.stats.unclaimed_memory, 1);
	fake_guest_free(&f);
}

static void exit_names(void **state)
{
	(void)state;
	assert_string_equal(kvm_exit_name(KVM_EXIT_IO), "IO");
	assert_string_equal(kvm_exit_name(KVM_EXIT_INTERNAL_ERROR), "INTERNAL_ERROR");
	assert_string_equal(kvm_exit_name(999), "unknown");
}

int test_vcpu(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crashes_are_named_with_rip),
		cmocka_unit_test(hlt_ends_the_guest_cleanly),
		cmocka_unit_test(string_io_goes_through_the_bus),
		cmocka_unit_test(malformed_io_exit_is_refused),
		cmocka_unit_test(mmio_outside_ram_reads_all_ones),
		cmocka_unit_test(exit_names),
	};
	return cmocka_run_group_tests_name("vcpu", tests, NULL, NULL);
}
