/* trace: --verbose, one line on stderr for each exit, before it is handled. */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "program.h"

/* One line per exit, in plain words; "vCPU N exit" where there are several. */
void trace_exit(struct guest *g, const struct vcpu *v) {
	const struct kvm_run *run = v->run;
	const struct pio_device *dev = pio_find(&g->pio, run->io.port);
	bool out = run->io.direction == KVM_EXIT_IO_OUT;
	uint32_t value = 0;
	char data[48] = "", what[24] = "exit";

	if (g->vm.vcpus > 1)
		snprintf(what, sizeof(what), "vCPU %u exit", v->id);
	if (run->exit_reason != KVM_EXIT_IO) {
		log_error(g->name, "%s: %s", what, run->exit_reason == KVM_EXIT_HLT ?
			  "the guest executed HLT" : kvm_exit_name(run->exit_reason));
		return;
	}
	if (run->io.data_offset <= g->vm.run_size - 4)	/* checked again by the loop */
		memcpy(&value, (const uint8_t *)run + run->io.data_offset,
		       run->io.size < 4 ? run->io.size : 4);
	if (out)
		snprintf(data, sizeof(data), ", value 0x%x%s%s", value,
			 run->io.port == HC_PORT ? ": " : "",
			 run->io.port == HC_PORT ? (hypercall_name(value) ?: "unknown") : "");
	log_error(g->name, "%s: port %s 0x%04x (%s), %u byte(s) x %u%s", what,
		  out ? "write" : "read", run->io.port, dev ? dev->name : "no device", run->io.size,
		  run->io.count, data);
}

