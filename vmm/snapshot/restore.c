/*
 * restore: --restore FILE, a board that resumes a saved guest. It reads
 * and checks the file's header and sections, maps its memory (MAP_PRIVATE:
 * the guest's writes stay in this process, the file never changes, and a
 * page is read from it only when the guest touches it), builds the machine
 * the guest was saved on (boards/rebuild.c), then gives the vCPU, the VM
 * and the devices their state back.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "core/log.h"
#include "snapshot.h"

static bool claims_snapshot(const struct image *img) {
	return img->head_len >= 8 && memcmp(img->head, SNAPSHOT_MAGIC, 8) == 0;
}

/* The registers a file holds are those of the CPU it was saved on: XSAVE
 * areas and CPUID bits of another vendor or an older CPU would not load,
 * or worse, load and mean something else. */
static int check_cpu(const struct snapshot_header *h, const char *who) {
	char vendor[16];
	uint64_t xsave;

	snapshot_host_cpu(vendor, &xsave);
	if (memcmp(vendor, h->cpu_vendor, sizeof(vendor)) != 0 ||
	    (h->xsave_features & ~xsave) != 0) {
		log_error(who, "snapshot: saved on another CPU (%.12s, XSAVE features 0x%llx); this "
			  "one is %.12s with 0x%llx", h->cpu_vendor,
			  (unsigned long long)h->xsave_features, vendor, (unsigned long long)xsave);
		return EX_DATAERR;
	}
	return 0;
}

static int map_memory(struct guest *g, const struct image *img, const struct snapshot_header *h) {
	void *p;

	if (h->memory_size > PROTECTED_MODE_MEMORY_MAX) {
		log_error(g->name, "snapshot: %llu MB of guest memory, more than a guest can have",
			  (unsigned long long)h->memory_size >> 20);
		return EX_DATAERR;
	}
	p = mmap(NULL, h->memory_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE,
		 img->fd, (off_t)h->memory_offset);
	if (p == MAP_FAILED) {
		log_error(g->name, "snapshot: cannot map its memory");
		return EX_OSERR;
	}
	g->mem = (struct guest_memory){ .host = p, .size = h->memory_size };
	return 0;
}

static void use_saved_disks(struct guest *g, const struct snapshot_machine *m) {
	struct restored *r = g->board_state;

	for (uint32_t i = 0; i < m->disk_count; i++)
		r->config.disks[i] = (struct board_disk){ .path = m->disks[i].path,
							  .readonly = m->disks[i].readonly };
	r->config.disk_count = (int)m->disk_count;
	g->board_config = &r->config;
}

/* The file's header and sections read and checked, and its machine record. */
static int read_checked(int fd, const char *path, struct snapshot *s, struct snapshot_machine *m,
			const char *who) {
	char why[256];
	int rc = snapshot_read(s, fd, why, sizeof(why));

	if (rc)
		log_error(who, "snapshot '%s': %s", path, why);
	return rc ?: check_cpu(&s->header, who) ?: snapshot_read_machine(s, m, who);
}

int snapshot_check_file(const char *path, const char *who) {
	struct snapshot s = { 0 };
	struct snapshot_machine m;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0) {
		log_error(who, "cannot open snapshot '%s': %s", path, strerror(errno));
		return EX_NOINPUT;
	}
	rc = read_checked(fd, path, &s, &m, who);
	snapshot_free(&s);
	close(fd);
	return rc;
}

static int restore(struct guest *g, const struct image *img) {
	struct snapshot_machine *m = &((struct restored *)g->board_state)->machine;
	struct snapshot s = { 0 };
	int rc = read_checked(img->fd, img->path, &s, m, g->name);

	if (rc == 0) {
		use_saved_disks(g, m);
		g->cpu = (enum cpu_mode)m->cpu_mode;
		rc = map_memory(g, img, &s.header) ?: board_rebuild(g, img, m->board, m->irqchip) ?:
		     snapshot_restore_cpu(&s, g) ?: snapshot_restore_devices(&s, g, m);
	}
	snapshot_free(&s);
	return rc;
}

const struct board board_snapshot = {
	.name = "restored", .claims = claims_snapshot, .boot = restore,
	.stop = board_stop, .state_size = sizeof(struct restored),
};
