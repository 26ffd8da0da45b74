/* vcpu: the KVM_RUN loop and the one switch that answers every exit. */
#ifndef VCPU_H
#define VCPU_H

#include <pthread.h>
#include <stdint.h>

struct guest;

/* Run the guest until it ends; returns its exit status. */
int vcpu_run(struct guest *g);

/* Answer the exit waiting in g->vm.run: GUEST_RUNNING or the exit status. */
int vcpu_handle_exit(struct guest *g);

/* "IO", "HLT", ... for a KVM_EXIT_* number; "exit N" if we know no name. */
const char *exit_reason_name(uint32_t reason);

/* The signal that kicks a vCPU thread out of KVM_RUN (see vcpu.c). */
#define VCPU_KICK_SIGNAL SIGUSR1
void vcpu_kick_setup(void);
void vcpu_kick(pthread_t thread);

#endif
