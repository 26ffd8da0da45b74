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
/* KVM's structs with room for their entries (unions: a struct that ends
 * in a flexible array cannot be followed by more members). */
union msrs {
	struct kvm_msrs header;
	uint8_t room[sizeof(struct kvm_msrs) + MSRS_MAX * sizeof(struct kvm_msr_entry)];
};
union msr_list {
	struct kvm_msr_list header;
	uint8_t room[sizeof(struct kvm_msr_list) + MSRS_MAX * sizeof(uint32_t)];
};

/* Every MSR KVM lists (KVM_GET_MSR_INDEX_LIST: the ones it saves and the
 * ones it emulates) that this vCPU has. KVM_GET_MSRS stops at the first it
 * cannot read and says how many it read: that one is skipped. */
int snapshot_save_msrs(struct snapshot *s, struct guest *g) {
	union msr_list list;
	union msrs request;
	struct kvm_msr_entry saved[MSRS_MAX];
	uint32_t n = 0;

	list.header.nmsrs = MSRS_MAX;
	if (KVM_IOCTL(g->kvm->fd, KVM_GET_MSR_INDEX_LIST, &list, g->name) < 0)
		return EX_OSERR;
	for (uint32_t at = 0; at < list.header.nmsrs;) {
		int got;

		request.header = (struct kvm_msrs){ .nmsrs = list.header.nmsrs - at };
		for (uint32_t i = 0; i < request.header.nmsrs; i++)
			request.header.entries[i] =
				(struct kvm_msr_entry){ .index = list.header.indices[at + i] };
		if ((got = ioctl(g->vm.vcpu[0].fd, KVM_GET_MSRS, &request)) < 0)
			return log_error(g->name, "snapshot: KVM_GET_MSRS failed"), EX_OSERR;
		memcpy(&saved[n], request.header.entries, (size_t)got * sizeof(saved[0]));
		n += (uint32_t)got;
		at += (uint32_t)got + 1;	/* past the one it could not read */
	}
	return snapshot_add(s, SNAP_MSRS, 0, saved, n * sizeof(saved[0])) < 0 ? EX_OSERR : 0;
}

/* Does the vCPU hold E's value already? */
static bool msr_holds(struct guest *g, const struct kvm_msr_entry *e) {
	union msrs now = { .header.nmsrs = 1 };

	now.header.entries[0].index = e->index;
	return ioctl(g->vm.vcpu[0].fd, KVM_GET_MSRS, &now) == 1 &&
	       now.header.entries[0].data == e->data;
}

/* KVM_SET_MSRS sets them in order and says how many it set. Some it
 * refuses on some machines even with the value it gave (KVM's async page
 * fault MSR without an in-kernel LAPIC): if the vCPU already holds that
 * value, nothing is lost; anything else is a restore that would not be
 * the guest that was saved. */
int snapshot_load_msrs(const struct snapshot *s, struct guest *g) {
	struct kvm_msr_entry m[MSRS_MAX];
	uint32_t count;
	int rc = snapshot_table(s, SNAP_MSRS, m, sizeof(m[0]), MSRS_MAX, &count, g->name);

	for (uint32_t at = 0; !rc && at < count;) {
		union msrs part = { .header.nmsrs = count - at };
		int set;

		memcpy(part.header.entries, &m[at], part.header.nmsrs * sizeof(m[0]));
		set = ioctl(g->vm.vcpu[0].fd, KVM_SET_MSRS, &part);
		at += set < 0 ? 0 : (uint32_t)set;
		if (at == count)
			break;
		if (set < 0 || !msr_holds(g, &m[at])) {
			log_error(g->name, "snapshot: KVM refused MSR 0x%x", m[at].index);
			rc = EX_DATAERR;
		}
		at++;
	}
	return rc;
}
