/* snapshot: the file format (snapshot/format.c). A snapshot written to a
 * file reads back section for section, its memory page-aligned at the end;
 * a file cut short, corrupted, of another format, not a snapshot or with a
 * section twice is refused (EX_DATAERR, with a reason); so are another
 * CPU's file and a machine record that could not be rebuilt. */
#define _GNU_SOURCE	/* memfd_create */
#include "helpers.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snapshot/snapshot.h"

#define MEMORY (16 * 1024)
#define MARKED_PAGE 2		/* the one page of guest memory that is not zeros */

static uint8_t memory[MEMORY];
static const uint8_t uart_bytes[] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 };
static const uint64_t clock_ns = 123456789;

static struct guest_memory guest_memory(void)
{
	for (int i = 0; i < SNAPSHOT_PAGE; i++)
		memory[MARKED_PAGE * SNAPSHOT_PAGE + i] = (uint8_t)(i % 251 + 1);
	return (struct guest_memory){ .host = memory, .size = MEMORY };
}

/* A real-mode machine's record, one vCPU, no disks. */
static const struct snapshot_machine *real_mode(void)
{
	static struct snapshot_machine m;

	memset(&m, 0, sizeof(m));
	snprintf(m.board, sizeof(m.board), "real-mode");
	m.cpu_mode = CPU_REAL, m.vcpus = 1, m.clock_ns = 42;
	return &m;
}

/* A snapshot as a save builds it: the machine M, then two more sections. */
static void build(struct snapshot *s, const struct snapshot_machine *m)
{
	snapshot_init(s);
	assert_int_equal(snapshot_add(s, SNAP_MACHINE, 0, m, sizeof(*m)), 0);
	assert_int_equal(snapshot_add(s, SNAP_UART, 0, uart_bytes, sizeof(uart_bytes)), 0);
	assert_int_equal(snapshot_add(s, SNAP_CLOCK, 0, &clock_ns, sizeof(clock_ns)), 0);
}

/* S and the guest memory above written to FD; returns FD. S keeps its
 * header and table as written (offsets into the file). */
static int written(struct snapshot *s, int fd)
{
	struct guest_memory mem = guest_memory();

	assert_true(fd >= 0);
	assert_int_equal(snapshot_write(s, fd, &mem), 0);
	snapshot_free(s);
	return fd;
}

/* A good snapshot, in a new memfd. */
static int good_file(struct snapshot *s)
{
	build(s, real_mode());
	return written(s, memfd_create("snapshot", MFD_CLOEXEC));
}

/* snapshot_read refuses FD (closed after), saying REASON. */
static void assert_refused(int fd, const char *reason)
{
	struct snapshot r;
	char why[256] = "";

	assert_int_equal(snapshot_read(&r, fd, why, sizeof(why)), EX_DATAERR);
	assert_non_null(strstr(why, reason));
	snapshot_free(&r);
	close(fd);
}

static void flip_byte(int fd, off_t at)
{
	uint8_t b;

	assert_int_equal(pread(fd, &b, 1, at), 1);
	b ^= 0xff;
	assert_int_equal(pwrite(fd, &b, 1, at), 1);
}

static void assert_section(const struct snapshot *s, enum snapshot_type type,
			   const void *data, size_t size)
{
	size_t found = 0;
	const void *p = snapshot_find(s, type, 0, &found);

	assert_non_null(p);
	assert_int_equal(found, size);
	assert_memory_equal(p, data, size);
}

static void a_snapshot_reads_back_as_written(void **state)
{
	static uint8_t in_file[MEMORY];
	struct snapshot s, r;
	struct stat st;
	size_t size;
	char why[256] = "";
	int fd = good_file(&s);

	(void)state;
	assert_int_equal(snapshot_read(&r, fd, why, sizeof(why)), 0);
	assert_int_equal(r.header.section_count, 3);
	assert_section(&r, SNAP_MACHINE, real_mode(), sizeof(struct snapshot_machine));
	assert_section(&r, SNAP_UART, uart_bytes, sizeof(uart_bytes));
	assert_section(&r, SNAP_CLOCK, &clock_ns, sizeof(clock_ns));
	assert_null(snapshot_find(&r, SNAP_UART, 1, &size));
	assert_int_equal(r.header.memory_offset % SNAPSHOT_PAGE, 0);
	assert_int_equal(r.header.memory_size, MEMORY);
	assert_int_equal(pread(fd, in_file, MEMORY, (off_t)r.header.memory_offset), MEMORY);
	assert_memory_equal(in_file, memory, MEMORY);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, r.header.file_size);
	snapshot_free(&r);
	close(fd);
}

/* Cut inside its memory, or inside its header. */
static void a_file_cut_short_is_refused(void **state)
{
	struct snapshot s;
	int fd = good_file(&s);

	(void)state;
	assert_int_equal(ftruncate(fd, (off_t)s.header.file_size - SNAPSHOT_PAGE), 0);
	assert_refused(fd, "cut short");
	fd = good_file(&s);
	assert_int_equal(ftruncate(fd, 40), 0);
	assert_refused(fd, "cut short");
}

static void a_flipped_byte_is_caught(void **state)
{
	struct snapshot s;
	int fd = good_file(&s);

	(void)state;
	flip_byte(fd, (off_t)s.entry[1].offset + 3);	/* inside the UART's section */
	assert_refused(fd, "checksum");
}

static void another_format_is_refused(void **state)
{
	struct snapshot s;
	int fd = good_file(&s);

	(void)state;
	flip_byte(fd, 8);	/* the format's low byte */
	assert_refused(fd, "format");
}

/* A snapshot whose magic is broken, and an empty file. */
static void a_file_without_the_magic_is_not_a_snapshot(void **state)
{
	struct snapshot s;
	int fd = good_file(&s);

	(void)state;
	flip_byte(fd, 0);
	assert_refused(fd, "not a mini-kvm snapshot");
	assert_refused(memfd_create("empty", MFD_CLOEXEC), "not a mini-kvm snapshot");
}

/* The writer does not look for a section added twice; the reader does. */
static void a_section_twice_is_refused(void **state)
{
	struct snapshot s;

	(void)state;
	build(&s, real_mode());
	assert_int_equal(snapshot_add(&s, SNAP_UART, 0, uart_bytes, sizeof(uart_bytes)), 0);
	assert_refused(written(&s, memfd_create("snapshot", MFD_CLOEXEC)), "twice");
}

static void snapshot_get_wants_the_exact_size(void **state)
{
	struct snapshot s;
	struct capture c;
	uint64_t value = 0;

	(void)state;
	build(&s, real_mode());
	capture_begin(&c, STDERR_FILENO);
	assert_int_equal(snapshot_get(&s, SNAP_CLOCK, 0, &value, 4, "t"), EX_DATAERR);
	assert_non_null(strstr(capture_end(&c), "of the wrong size"));
	assert_int_equal(value, 0);
	assert_int_equal(snapshot_get(&s, SNAP_CLOCK, 0, &value, sizeof(value), "t"), 0);
	assert_int_equal(value, clock_ns);
	snapshot_free(&s);
}

static void at_most_sections_max_sections(void **state)
{
	struct snapshot s;
	uint8_t byte = 1;

	(void)state;
	snapshot_init(&s);
	for (uint32_t i = 0; i < SNAPSHOT_SECTIONS_MAX; i++)
		assert_int_equal(snapshot_add(&s, SNAP_VIRTIO_BLK, i, &byte, 1), 0);
	assert_int_equal(snapshot_add(&s, SNAP_VIRTIO_BLK, SNAPSHOT_SECTIONS_MAX, &byte, 1), -1);
	assert_int_equal(s.header.section_count, SNAPSHOT_SECTIONS_MAX);
	snapshot_free(&s);
}

/* snapshot_check_file on a good snapshot saved on VENDOR's CPU (NULL: this
 * one), in a file of its own: its status; what it said in SAID. */
static int check_file(const char *vendor, char *said, size_t n)
{
	char dir[] = "/tmp/mini-kvm-snapshot-XXXXXX", path[64];
	struct snapshot s;
	struct capture c;
	int rc;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/saved", dir);
	build(&s, real_mode());
	if (vendor)
		snprintf(s.header.cpu_vendor, sizeof(s.header.cpu_vendor), "%s", vendor);
	close(written(&s, open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)));
	capture_begin(&c, STDERR_FILENO);
	rc = snapshot_check_file(path, "t");
	snprintf(said, n, "%s", capture_end(&c));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	return rc;
}

static void check_file_refuses_another_cpu(void **state)
{
	char said[512];

	(void)state;
	assert_int_equal(check_file("NotThisVendor", said, sizeof(said)), EX_DATAERR);
	assert_non_null(strstr(said, "saved on another CPU"));
	assert_int_equal(check_file(NULL, said, sizeof(said)), 0);
	assert_string_equal(said, "");
}

/* snapshot_read_machine refuses a snapshot holding M, and says so. */
static void assert_machine_refused(const struct snapshot_machine *m)
{
	struct snapshot_machine out;
	struct snapshot s;
	struct capture c;

	build(&s, m);
	capture_begin(&c, STDERR_FILENO);
	assert_int_equal(snapshot_read_machine(&s, &out, "t"), EX_DATAERR);
	assert_non_null(strstr(capture_end(&c), "machine record is corrupt"));
	snapshot_free(&s);
}

/* More than one vCPU, more disks than a board has: refused. */
static void a_machine_record_it_cannot_rebuild_is_refused(void **state)
{
	struct snapshot_machine m = *real_mode(), out;
	struct snapshot s;

	(void)state;
	build(&s, &m);
	assert_int_equal(snapshot_read_machine(&s, &out, "t"), 0);
	assert_string_equal(out.board, "real-mode");
	snapshot_free(&s);
	m.vcpus = 2;
	assert_machine_refused(&m);
	m = *real_mode();
	m.disk_count = BOARD_DISKS_MAX + 1;
	assert_machine_refused(&m);
}

int test_snapshot(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_snapshot_reads_back_as_written),
		cmocka_unit_test(a_file_cut_short_is_refused),
		cmocka_unit_test(a_flipped_byte_is_caught),
		cmocka_unit_test(another_format_is_refused),
		cmocka_unit_test(a_file_without_the_magic_is_not_a_snapshot),
		cmocka_unit_test(a_section_twice_is_refused),
		cmocka_unit_test(snapshot_get_wants_the_exact_size),
		cmocka_unit_test(at_most_sections_max_sections),
		cmocka_unit_test(check_file_refuses_another_cpu),
		cmocka_unit_test(a_machine_record_it_cannot_rebuild_is_refused),
	};
	return cmocka_run_group_tests_name("snapshot", tests, NULL, NULL);
}
