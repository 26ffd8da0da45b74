/*
 * format: a snapshot file, built in memory and written at once, and read
 * back with every field checked before anything trusts it. The file is
 * [header][table of sections][sections][pad to a page][guest memory]
 * (docs/snapshots.md). A file is data from outside: cut short, corrupted,
 * from another version, it gets a message and EX_DATAERR, never a crash.
 */
#include <cpuid.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/image.h"
#include "core/log.h"
#include "snapshot.h"

void snapshot_init(struct snapshot *s) {
	*s = (struct snapshot){ 0 };
	memcpy(s->header.magic, SNAPSHOT_MAGIC, 8);
	s->header.format = SNAPSHOT_FORMAT;
	s->header.header_size = sizeof(s->header);
	snprintf(s->header.version, sizeof(s->header.version), "%s", MINI_KVM_VERSION);
	snapshot_host_cpu(s->header.cpu_vendor, &s->header.xsave_features);
}

/* The sections' room: mapped, not malloc'd, because the vCPU thread saves
 * under its seccomp filter, and glibc's malloc, on a thread's first call,
 * reads /sys to size its arenas. Pages are touched only as they fill. */
static int reserve(struct snapshot *s) {
	void *p = mmap(NULL, SNAPSHOT_DATA_MAX + SNAPSHOT_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	s->data = p, s->data_cap = SNAPSHOT_DATA_MAX + SNAPSHOT_PAGE;	/* and the padding */
	return 0;
}

void snapshot_free(struct snapshot *s) {
	if (s->data)
		munmap(s->data, s->data_cap);
	s->data = NULL;
}

void snapshot_host_cpu(char vendor[16], uint64_t *xsave_features) {
	unsigned a = 0, b = 0, c = 0, d = 0;

	memset(vendor, 0, 16);
	__cpuid(0, a, b, c, d);
	memcpy(vendor, &b, 4), memcpy(vendor + 4, &d, 4), memcpy(vendor + 8, &c, 4);
	*xsave_features = 0;
	if (a >= 0xd && __get_cpuid_count(0xd, 0, &a, &b, &c, &d))
		*xsave_features = (uint64_t)d << 32 | a;
}

int snapshot_add(struct snapshot *s, enum snapshot_type type, uint32_t instance,
		 const void *data, size_t size) {
	uint32_t n = s->header.section_count;

	if (n == SNAPSHOT_SECTIONS_MAX || size > SNAPSHOT_DATA_MAX - s->data_len ||
	    (!s->data && reserve(s) < 0))
		return -1;
	s->entry[n] = (struct snapshot_entry){ .type = type, .instance = instance,
					       .offset = s->data_len, .size = size };
	memcpy(s->data + s->data_len, data, size);
	s->data_len += size;
	s->header.section_count = n + 1;
	return 0;
}

/* FNV-1a, 64 bits: enough to catch a flipped bit, not an attacker. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t len) {
	const uint8_t *p = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t checksum(const struct snapshot *s) {
	struct snapshot_header h = s->header;

	h.checksum = 0;
	return fnv1a(fnv1a(fnv1a(0xcbf29ce484222325ull, &h, sizeof(h)), s->entry,
			   sizeof(s->entry[0]) * s->header.section_count), s->data, s->data_len);
}

static uint64_t table_end(const struct snapshot *s) {
	return sizeof(s->header) + sizeof(s->entry[0]) * (uint64_t)s->header.section_count;
}

static int pwrite_all(int fd, const void *p, size_t len, uint64_t at) {
	for (size_t done = 0; done < len;) {
		ssize_t n = pwrite(fd, (const uint8_t *)p + done, len - done, (off_t)(at + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

static bool zero_page(const uint8_t *p) {
	static const uint8_t zeros[SNAPSHOT_PAGE];

	return memcmp(p, zeros, SNAPSHOT_PAGE) == 0;
}

/* Runs of pages that are not all zeros, each in one write; the rest of
 * the file is a hole, which reads (and maps) as zeros. */
static int write_memory(int fd, const struct guest_memory *mem, uint64_t at) {
	uint64_t pages = mem->size / SNAPSHOT_PAGE;

	for (uint64_t i = 0; i < pages;) {
		uint64_t j = i;

		while (j < pages && !zero_page(mem->host + j * SNAPSHOT_PAGE))
			j++;
		if (j > i && pwrite_all(fd, mem->host + i * SNAPSHOT_PAGE,
					(j - i) * SNAPSHOT_PAGE, at + i * SNAPSHOT_PAGE) < 0)
			return -1;
		i = j + 1;
	}
	return ftruncate(fd, (off_t)(at + mem->size));
}

int snapshot_write(struct snapshot *s, int fd, const struct guest_memory *mem) {
	uint64_t data_at = table_end(s);
	uint64_t memory_at = (data_at + s->data_len + SNAPSHOT_PAGE - 1) & ~(SNAPSHOT_PAGE - 1ull);

	if (!s->data && reserve(s) < 0)	/* (no section at all) */
		return -1;
	memset(s->data + s->data_len, 0, memory_at - data_at - s->data_len);	/* the padding: */
	s->data_len = memory_at - data_at;	/* read back and checked with the rest */
	s->header.memory_offset = memory_at;
	s->header.memory_size = mem->size;
	s->header.file_size = memory_at + mem->size;
	for (uint32_t i = 0; i < s->header.section_count; i++)
		s->entry[i].offset += data_at;	/* from the data's start to the file's */
	s->header.checksum = checksum(s);
	return pwrite_all(fd, &s->header, sizeof(s->header), 0) ?:
	       pwrite_all(fd, s->entry, sizeof(s->entry[0]) * s->header.section_count,
			  sizeof(s->header)) ?:
	       pwrite_all(fd, s->data, s->data_len, data_at) ?:
	       write_memory(fd, mem, memory_at);
}

/* Reading: every failure says what is wrong with the file. */
static int bad(char *why, size_t why_size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(char *why, size_t why_size, const char *fmt, ...) {
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_size, fmt, ap);
	va_end(ap);
	return EX_DATAERR;
}

/* The file's string FIELD of SIZE bytes, for a message: control bytes and
 * others that are not plain ASCII shown as '?'. */
static const char *printable(char *out, const char *field, size_t size) {
	size_t i;

	for (i = 0; i + 1 < size && field[i]; i++)
		out[i] = field[i] < 0x20 || field[i] > 0x7e ? '?' : field[i];
	out[i] = '\0';
	return out;
}

static int check_header(const struct snapshot_header *h, uint64_t size, char *why, size_t n) {
	char version[sizeof(h->version) + 1];

	if (h->format != SNAPSHOT_FORMAT || h->header_size != sizeof(*h))
		return bad(why, n, "snapshot format %u from mini-kvm %s; this mini-kvm %s reads "
			   "format %u", h->format, printable(version, h->version, sizeof(version)),
			   MINI_KVM_VERSION, SNAPSHOT_FORMAT);
	if (h->file_size != size)
		return bad(why, n, "the file has %llu bytes, its header says %llu: %s",
			   (unsigned long long)size, (unsigned long long)h->file_size,
			   size < h->file_size ? "cut short" : "something was appended");
	if (h->section_count > SNAPSHOT_SECTIONS_MAX)
		return bad(why, n, "%u sections, at most %u", h->section_count,
			   SNAPSHOT_SECTIONS_MAX);
	if (h->memory_offset % SNAPSHOT_PAGE || h->memory_size % SNAPSHOT_PAGE ||
	    h->memory_size == 0 || h->memory_offset > size || h->memory_size != size - h->memory_offset)
		return bad(why, n, "guest memory is not whole pages at the end of the file");
	if (h->memory_offset < sizeof(*h) + sizeof(struct snapshot_entry) * h->section_count ||
	    h->memory_offset - sizeof(*h) - sizeof(struct snapshot_entry) * h->section_count >
	    SNAPSHOT_DATA_MAX + SNAPSHOT_PAGE)
		return bad(why, n, "its sections' area is %s", h->memory_offset <
			   sizeof(*h) + sizeof(struct snapshot_entry) * h->section_count ?
			   "overlapping its table" : "too large");
	return 0;
}

/* Each section inside the data area, of a known type, and there once. */
static int check_entries(struct snapshot *s, uint64_t data_at, char *why, size_t n) {
	for (uint32_t i = 0; i < s->header.section_count; i++) {
		struct snapshot_entry *e = &s->entry[i];

		if (e->type == 0 || e->type >= SNAP_TYPE_END)
			return bad(why, n, "section %u has an unknown type %u", i, e->type);
		if (e->offset < data_at || e->offset - data_at > s->data_len ||
		    e->size > s->data_len - (e->offset - data_at))
			return bad(why, n, "section %u lies outside the sections' area", i);
		e->offset -= data_at;	/* from now on: into s->data */
		for (uint32_t j = 0; j < i; j++)
			if (s->entry[j].type == e->type && s->entry[j].instance == e->instance)
				return bad(why, n, "section %u is there twice", i);
	}
	return 0;
}

int snapshot_read(struct snapshot *s, int fd, char *why, size_t why_size) {
	struct stat st;
	uint64_t data_at;
	int rc;

	ssize_t got;

	*s = (struct snapshot){ 0 };
	if (fstat(fd, &st) < 0 || (got = pread(fd, &s->header, sizeof(s->header), 0)) < 0)
		return bad(why, why_size, "cannot read it: %s", strerror(errno));
	if (got < 8 || memcmp(s->header.magic, SNAPSHOT_MAGIC, 8) != 0)
		return bad(why, why_size, "not a mini-kvm snapshot (no MKVMSNAP magic)");
	if ((size_t)got < sizeof(s->header))
		return bad(why, why_size, "cut short inside its header (%zd bytes)", got);
	if ((rc = check_header(&s->header, (uint64_t)st.st_size, why, why_size)))
		return rc;
	data_at = table_end(s);
	s->data_len = s->header.memory_offset - data_at;
	if (reserve(s) < 0)
		return bad(why, why_size, "out of memory");
	if (read_exact(fd, s->entry, sizeof(s->entry[0]) * s->header.section_count,
		     sizeof(s->header)) < 0 || read_exact(fd, s->data, s->data_len, data_at) < 0)
		return bad(why, why_size, "cannot read its sections");
	if (checksum(s) != s->header.checksum)
		return bad(why, why_size, "its checksum does not match: the file is corrupt");
	return check_entries(s, data_at, why, why_size);
}
