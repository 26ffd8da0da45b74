/*
 * msrs: the vCPU's model-specific registers in a snapshot -- the time
 * stamp counter, kvmclock's page, SYSENTER/SYSCALL entry points, the PAT,
 * the TSC deadline... all that KVM lists and this vCPU has.
 */
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>

#include "core/log.h"
#include "snapshot.h"

#define MSRS_MAX 512
struct msrs {			/* a kvm_msrs with room for MSRS_MAX entries */
	struct kvm_msrs header;
	struct kvm_msr_entry entry[MSRS_MAX];
};

/* Every MSR KVM lists (KVM_GET_MSR_INDEX_LIST: the ones it saves and the
 * ones it emulates) that this vCPU has. KVM_GET_MSRS stops at the first it
 * cannot read and says how many it read: that one is skipped. */
int snapshot_save_msrs(struct snapshot *s, struct guest *g) {
	struct { struct kvm_msr_list header; uint32_t index[MSRS_MAX]; } list;
	struct msrs request;
	struct kvm_msr_entry saved[MSRS_MAX];
	uint32_t n = 0;

	list.header.nmsrs = MSRS_MAX;
	if (KVM_IOCTL(g->kvm->fd, KVM_GET_MSR_INDEX_LIST, &list, g->name) < 0)
		return EX_OSERR;
	for (uint32_t at = 0; at < list.header.nmsrs;) {
		int got;

		request.header = (struct kvm_msrs){ .nmsrs = list.header.nmsrs - at };
		for (uint32_t i = 0; i < request.header.nmsrs; i++)
			request.entry[i] = (struct kvm_msr_entry){ .index = list.index[at + i] };
		if ((got = ioctl(g->vm.vcpu_fd, KVM_GET_MSRS, &request)) < 0)
			return log_error(g->name, "snapshot: KVM_GET_MSRS failed"), EX_OSERR;
		memcpy(&saved[n], request.entry, (size_t)got * sizeof(saved[0]));
		n += (uint32_t)got;
		at += (uint32_t)got + 1;	/* past the one it could not read */
	}
	return snapshot_add(s, SNAP_MSRS, 0, saved, n * sizeof(saved[0])) < 0 ? EX_OSERR : 0;
}

/* Does the vCPU hold E's value already? */
static bool msr_holds(struct guest *g, const struct kvm_msr_entry *e) {
	struct { struct kvm_msrs header; struct kvm_msr_entry e; } now = {
		.header.nmsrs = 1, .e.index = e->index };

	return ioctl(g->vm.vcpu_fd, KVM_GET_MSRS, &now) == 1 && now.e.data == e->data;
}

/* KVM_SET_MSRS sets them in order and says how many it set. Some it
 * refuses on some machines even with the value it gave (KVM's async page
 * fault MSR without an in-kernel LAPIC): if the vCPU already holds that
 * value, nothing is lost; anything else is a restore that would not be
 * the guest that was saved. */
int snapshot_load_msrs(const struct snapshot *s, struct guest *g) {
	struct msrs m = { 0 };
	uint32_t count;
	int rc = snapshot_table(s, SNAP_MSRS, m.entry, sizeof(m.entry[0]), MSRS_MAX, &count, g->name);

	for (uint32_t at = 0; !rc && at < count;) {
		struct msrs part = { .header.nmsrs = count - at };
		int set;

		memcpy(part.entry, &m.entry[at], part.header.nmsrs * sizeof(m.entry[0]));
		set = ioctl(g->vm.vcpu_fd, KVM_SET_MSRS, &part);
		at += set < 0 ? 0 : (uint32_t)set;
		if (at == count)
			break;
		if (set < 0 || !msr_holds(g, &m.entry[at])) {
			log_error(g->name, "snapshot: KVM refused MSR 0x%x", m.entry[at].index);
			rc = EX_DATAERR;
		}
		at++;
	}
	return rc;
}
