/*
 * fs.c: a file system small enough to read in one sitting. Sector 0 holds
 * a magic string, sector 1 the directory (FS_FILES entries of 32 bytes),
 * and file i owns the 8 sectors from 2 + 8 * i. Everything read from the
 * disk is checked before use: a corrupt image turns files off with a
 * message; it never crashes the kernel.
 */
#include "kernel.h"

#define SECTOR 512
#define FS_MAGIC "1KOS-FS1"
#define DIR_SECTOR 1
#define FILE_SECTORS (FS_FILE_MAX / SECTOR)
#define FIRST_DATA_SECTOR 2

struct dir_entry {
	char name[FS_NAME_MAX];
	uint32_t used, size;
};

static struct dir_entry dir[FS_FILES];
static int state = FS_ERR_NO_DISK;	/* 0: ready, else why not */

static bool name_ok(const char *name) {
	for (int i = 0; i < FS_NAME_MAX; i++)
		if (name[i] == '\0')
			return i > 0;
	return false;
}

static bool entry_ok(const struct dir_entry *e) {
	return e->used == 0 || (e->used == 1 && e->size <= FS_FILE_MAX && name_ok(e->name));
}

static bool all_zero(const uint8_t *p, size_t n) {
	while (n--)
		if (*p++)
			return false;
	return true;
}

static int save_dir(void) {
	return disk_write(DIR_SECTOR, dir) < 0 ? FS_ERR_IO : 0;
}

/* A fresh (all-zero) disk is formatted; anything else must be ours. */
void fs_init(void) {
	uint8_t sector[SECTOR];

	if (!disk_init())
		return;
	if (disk_read(0, sector) < 0 || disk_read(DIR_SECTOR, dir) < 0) {
		kprintf("disk: cannot read it; files are off\n");
		state = FS_ERR_IO;
		return;
	}
	if (all_zero(sector, SECTOR)) {
		memset(sector, 0, SECTOR);
		memcpy(sector, FS_MAGIC, 8);
		memset(dir, 0, sizeof(dir));
		state = disk_write(0, sector) < 0 ? FS_ERR_IO : save_dir();
		kprintf(state ? "disk: cannot format it; files are off\n"
			      : "disk: empty, formatted a new file system\n");
		return;
	}
	state = FS_ERR_CORRUPT;
	if (memcmp(sector, FS_MAGIC, 8) != 0) {
		kprintf("disk: not a 1K OS file system; files are off\n");
		return;
	}
	for (int i = 0; i < FS_FILES; i++) {
		if (!entry_ok(&dir[i])) {
			kprintf("disk: directory entry %d is corrupt; files are off\n", i);
			return;
		}
	}
	state = 0;
}

static int find(const char *name) {
	for (int i = 0; i < FS_FILES; i++)
		if (dir[i].used && strcmp(dir[i].name, name) == 0)
			return i;
	return FS_ERR_NOT_FOUND;
}

int fs_list(char *buf, uint32_t len) {
	uint32_t at = 0;

	if (state)
		return state;
	for (int i = 0; i < FS_FILES; i++) {
		char line[FS_NAME_MAX + 16];
		int n;

		if (!dir[i].used)
			continue;
		n = snprintf(line, sizeof(line), "%s %u\n", dir[i].name, dir[i].size);
		if (at + (uint32_t)n > len)
			break;
		memcpy(buf + at, line, (size_t)n);
		at += (uint32_t)n;
	}
	return (int)at;
}

int fs_read(const char *name, uint8_t *buf, uint32_t len) {
	uint8_t sector[SECTOR];
	int i = state ? state : name_ok(name) ? find(name) : FS_ERR_NAME;
	uint32_t done = 0;

	if (i < 0)
		return i;
	while (done < dir[i].size && done < len) {
		uint32_t n = dir[i].size - done < SECTOR ? dir[i].size - done : SECTOR;

		if (n > len - done)
			n = len - done;
		if (disk_read(FIRST_DATA_SECTOR + (uint32_t)i * FILE_SECTORS + done / SECTOR,
			      sector) < 0)
			return FS_ERR_IO;
		memcpy(buf + done, sector, n);
		done += n;
	}
	return (int)done;
}

int fs_write(const char *name, const uint8_t *buf, uint32_t len) {
	uint8_t sector[SECTOR];
	int i = state ? state : name_ok(name) ? find(name) : FS_ERR_NAME;

	if (i == FS_ERR_NOT_FOUND)	/* a new file: the first free entry */
		for (i = 0; i < FS_FILES && dir[i].used; i++)
			;
	if (i >= FS_FILES)
		return FS_ERR_FULL;
	if (i < 0)
		return i;
	if (len > FS_FILE_MAX)
		return FS_ERR_TOO_BIG;
	for (uint32_t done = 0; done < len; done += SECTOR) {
		uint32_t n = len - done < SECTOR ? len - done : SECTOR;

		memset(sector, 0, SECTOR);
		memcpy(sector, buf + done, n);
		if (disk_write(FIRST_DATA_SECTOR + (uint32_t)i * FILE_SECTORS + done / SECTOR,
			       sector) < 0)
			return FS_ERR_IO;
	}
	memset(dir[i].name, 0, FS_NAME_MAX);
	memcpy(dir[i].name, name, strlen(name) + 1);
	dir[i].used = 1, dir[i].size = len;
	return save_dir() ? FS_ERR_IO : (int)len;
}
