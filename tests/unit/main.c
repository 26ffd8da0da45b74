/* Unit tests of mini-kvm's pure parts; one cmocka group per module. */
#include "helpers.h"

int main(void)
{
	int failures = 0;

	failures += test_options();
	failures += test_image();
	failures += test_elf();
	failures += test_bzimage();
	failures += test_pvh();
	failures += test_mptable();
	failures += test_cpuid();
	failures += test_memory();
	failures += test_pio();
	failures += test_console();
	failures += test_uart();
	failures += test_kbd();
	failures += test_hypercall();
	failures += test_gdb();
	failures += test_vcpu();
	failures += test_virtio();
	failures += test_virtio_devices();
	failures += test_snapshot();
	failures += test_seccomp();
	return failures != 0;
}
