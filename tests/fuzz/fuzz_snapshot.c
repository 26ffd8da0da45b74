/* fuzz_snapshot: any file as a snapshot (--restore FILE) -- snapshot_read's
 * checks of its header, table and sections; then, in a file they accept,
 * the machine record and every section looked up as a restore would. Each
 * input is tried as it is, and again with its checksum made right: no
 * mutation would get past a checksum to the table's checks otherwise.
 * Nothing may crash, leak, or find a section outside the sections read. */
#define _GNU_SOURCE	/* memfd_create */
#include <stddef.h>
#include <sys/mman.h>

#include "fuzz.h"
#include "snapshot/snapshot.h"

#define TABLE_ENTRY 16	/* any entry size: an MSR's */

/* A section found must lie inside the sections read. */
static void check_inside(const struct snapshot *s, const uint8_t *p, size_t size) {
	if (p < s->data || size > s->data_len || (size_t)(p - s->data) > s->data_len - size)
		abort();
}

/* Each type at the instances a restore asks for (a disk's index at most),
 * and each as a table. */
static void walk(const struct snapshot *s) {
	static uint8_t table[SNAPSHOT_DATA_MAX + SNAPSHOT_PAGE];
	struct snapshot_machine m;
	uint32_t count;

	snapshot_read_machine(s, &m, "fuzz");
	for (uint32_t type = 0; type <= SNAP_TYPE_END; type++) {
		for (uint32_t instance = 0; instance < BOARD_DISKS_MAX; instance++) {
			size_t size = 0;
			const uint8_t *p = snapshot_find(s, (enum snapshot_type)type, instance, &size);

			if (p)
				check_inside(s, p, size);
		}
		snapshot_table(s, (enum snapshot_type)type, table, TABLE_ENTRY,
			       sizeof(table) / TABLE_ENTRY, &count, "fuzz");
	}
}

/* The file DATA as a snapshot: read, walked if accepted, freed. */
static void try_file(const uint8_t *data, size_t size) {
	struct snapshot s;
	char why[256] = "";
	int fd = memfd_create("snapshot", MFD_CLOEXEC), rc;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	rc = snapshot_read(&s, fd, why, sizeof(why));
	if (rc == 0)
		walk(&s);
	else if (rc != EX_DATAERR || why[0] == '\0')
		abort();	/* a refusal is EX_DATAERR, and says why */
	snapshot_free(&s);
	close(fd);
}

/* format.c's checksum, FNV-1a over all before the memory, read in place:
 * the header (its checksum field 0), the table and the sections follow one
 * another in the file. */
static uint64_t fnv1a(const uint8_t *p, size_t len) {
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* A copy of DATA with the checksum its header and sections need, or NULL
 * if its header does not say where its memory starts. */
static uint8_t *with_checksum(const uint8_t *data, size_t size) {
	const size_t at = offsetof(struct snapshot_header, checksum);
	struct snapshot_header h;
	uint8_t *copy;

	if (size < sizeof(h))
		return NULL;
	memcpy(&h, data, sizeof(h));
	if (h.memory_offset < sizeof(h) || h.memory_offset > size || !(copy = malloc(size)))
		return NULL;
	memcpy(copy, data, size);
	memset(copy + at, 0, sizeof(h.checksum));
	h.checksum = fnv1a(copy, h.memory_offset);
	memcpy(copy + at, &h.checksum, sizeof(h.checksum));
	return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	uint8_t *fixed = with_checksum(data, size);

	try_file(data, size);
	if (fixed)
		try_file(fixed, size);
	free(fixed);
	return 0;
}
