/* options: the command line (DESIGN.md section 3), parsed without side
 * effects but for --help/--version on stdout and errors on stderr. The
 * usage text is the man page's synopsis (docs/mini-kvm.1): keep them one. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "program.h"

#define TIMEOUT_MAX (7 * 24 * 3600.0)	/* a week: more is a typo */

static const char usage[] =
	"Usage: mini-kvm [OPTIONS] IMAGE...\n"
	"       mini-kvm [OPTIONS] --restore FILE\n"
	"Run each IMAGE as a guest in its own KVM virtual machine, all in parallel.\n"
	"A flat binary is a 16-bit real-mode program, loaded and started at 0; an\n"
	"ELF32 file is a 32-bit protected-mode program (Multiboot state, ELF entry);\n"
	"an ELF64 file is a 64-bit program, run in ring 3 of long mode; a bzImage,\n"
	"or a vmlinux with a PVH entry note, is a Linux kernel, booted with its\n"
	"console on the serial port (ttyS0).\n\n"
	"  -m, --memory SIZE   guest memory, a multiple of 4K: real mode up to 1M\n"
	"                      (default 256K), protected and long mode up to 3G\n"
	"                      (default 4M; a Linux kernel 256M)\n"
	"      --initrd FILE   a Linux kernel's initial RAM disk\n"
	"      --append CMDLINE  a Linux kernel's command line\n"
	"      --cpus N        a Linux kernel's vCPUs, 1 to 64 (default 1)\n"
	"      --gdb PORT|PATH let gdb debug the first guest: listen on\n"
	"                      127.0.0.1:PORT or a Unix socket; the guest waits\n"
	"                      for gdb before its first instruction\n"
	"      --disk FILE[,readonly]  a disk for the first guest: a file of whole\n"
	"                      512-byte sectors, kept between runs; repeatable (up\n"
	"                      to 8). A Linux kernel or a protected-mode guest sees\n"
	"                      each as virtio-blk (/dev/vda, vdb, ...); the first is\n"
	"                      also HC_DISK_READ/WRITE's. readonly: writes fail\n"
	"      --net tap=IFNAME  a network card for the first guest, on the host's\n"
	"                      existing tap device IFNAME: virtio-net, for a Linux\n"
	"                      kernel or a protected-mode guest\n"
	"      --balloon       a memory balloon with free page reporting: memory the\n"
	"                      guest frees goes back to the host (virtio-balloon)\n"
	"      --irqchip=WHEN  on, off or auto (default): give protected-mode guests\n"
	"                      KVM's interrupt controllers and timer; auto follows\n"
	"                      the guest's ELF note (docs/writing-guests.md)\n"
	"      --snapshot FILE  on SIGUSR1, save the guest to FILE and exit 0 (one\n"
	"                      guest, one vCPU; not with --net, --balloon or --gdb)\n"
	"      --restore FILE  resume the guest saved in FILE, in place of IMAGE;\n"
	"                      its memory, devices and disks come from FILE\n"
	"      --no-seccomp    run guest threads without their seccomp filter\n"
	"                      (for valgrind and debuggers; see docs/security.md)\n"
	"  -v, --verbose       describe every VM exit on stderr\n"
	"      --stats         print wall time, exits, hypercalls, memory per guest\n"
	"  -t, --timeout SECS  stop a guest still running after SECS seconds\n"
	"      --no-color      plain guest prefixes (also: NO_COLOR set, or not a tty)\n"
	"  -h, --help          show this help;  -V, --version  show the version\n\n"
	"One guest: stdout carries exactly its output. Several: each line starts\n"
	"with \"[name] \". Exit status: the guest's HC_EXIT_STATUS code (0 after\n"
	"HC_EXIT or HLT); with several guests the first non-zero one; 64 usage,\n"
	"65 bad image or snapshot, 66 cannot open image, disk or tap, 69 KVM\n"
	"unavailable, 70 guest crashed, 71 OS or seccomp error, 73 cannot make\n"
	"the --snapshot file, 74 output lost, 124 timeout, 130/143 stopped by\n"
	"SIGINT/SIGTERM. SIGUSR1 saves the guest with --snapshot (status 0).\n"
	"At most 64 guests.\n";

/* "65536", "256K", "1M" (K and M are powers of 1024). 0, or -1 if not a size. */
int parse_size(const char *text, uint64_t *bytes) {
	char *end;
	unsigned long long n;
	int shift;

	if (!text || *text < '0' || *text > '9')	/* strtoull takes "-1" and " 1" */
		return -1;
	errno = 0;
	n = strtoull(text, &end, 10);
	shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' || *end == 'm' ? 20
	      : *end == 'G' || *end == 'g' ? 30 : 0;
	if (errno || end[shift ? 1 : 0] != '\0' || n > UINT64_MAX >> shift)
		return -1;
	*bytes = (uint64_t)n << shift;
	return 0;
}

static int parse_memory(const char *text, uint64_t *bytes) {
	if (parse_size(text, bytes) < 0)
		log_error(NULL, "--memory: '%s' is not a size (e.g. 256K or 1M)", text);
	else if (*bytes == 0 || *bytes % 4096)
		log_error(NULL, "--memory: %s is not a positive multiple of 4K", text);
	else if (*bytes > PROTECTED_MODE_MEMORY_MAX)
		log_error(NULL, "--memory: %s is more than the 3G a guest can address", text);
	else
		return 0;
	return -1;
}

static int parse_timeout(const char *text, double *seconds) {
	char *end;

	errno = 0;
	*seconds = strtod(text, &end);
	if (!errno && end != text && *end == '\0' && isfinite(*seconds) && *seconds > 0 &&
	    *seconds <= TIMEOUT_MAX)
		return 0;
	log_error(NULL, "--timeout: '%s' is not a positive number of seconds (at most %.0f)",
		  text, TIMEOUT_MAX);
	return -1;
}

static int parse_cpus(const char *text, int *cpus) {
	uint64_t n;

	if (parse_size(text, &n) == 0 && n >= 1 && n <= VM_VCPUS_MAX) {
		*cpus = (int)n;
		return 0;
	}
	log_error(NULL, "--cpus: '%s' is not a number of vCPUs from 1 to %d", text, VM_VCPUS_MAX);
	return -1;
}

static int parse_irqchip(const char *text, enum irqchip_choice *choice) {
	static const char *const names[] = { [IRQCHIP_AUTO] = "auto", [IRQCHIP_ON] = "on",
					     [IRQCHIP_OFF] = "off" };

	for (int i = 0; i < 3; i++) {
		if (strcmp(text, names[i]) == 0) {
			*choice = (enum irqchip_choice)i;
			return 0;
		}
	}
	log_error(NULL, "--irqchip: '%s' is not on, off or auto", text);
	return -1;
}

/* --disk FILE or FILE,readonly; at most BOARD_DISKS_MAX of them. */
static int add_disk(char *text, struct board_config *board) {
	static const char suffix[] = ",readonly";
	size_t len = strlen(text);
	bool readonly = len >= strlen(suffix) && !strcmp(text + len - strlen(suffix), suffix);

	if (board->disk_count == BOARD_DISKS_MAX) {
		log_error(NULL, "--disk: at most %d disks", BOARD_DISKS_MAX);
		return -1;
	}
	if (readonly)
		text[len - strlen(suffix)] = '\0';	/* argv is ours to change */
	if (!*text) {
		log_error(NULL, "--disk: no file given");
		return -1;
	}
	board->disks[board->disk_count++] = (struct board_disk){ .path = text,
								 .readonly = readonly };
	return 0;
}

/* --net tap=IFNAME: the only backend, named so that others can follow. */
static int parse_net(const char *text, struct board_config *board) {
	static const char prefix[] = "tap=";

	if (board->tap) {
		log_error(NULL, "--net: one network card at most");
		return -1;
	}
	if (strncmp(text, prefix, strlen(prefix)) || !text[strlen(prefix)]) {
		log_error(NULL, "--net: '%s' is not tap=IFNAME", text);
		return -1;
	}
	board->tap = text + strlen(prefix);
	return 0;
}

enum { OPT_STATS = 256, OPT_NO_COLOR, OPT_IRQCHIP, OPT_DISK, OPT_NO_SECCOMP, OPT_INITRD,
       OPT_APPEND, OPT_GDB, OPT_NET, OPT_BALLOON, OPT_SNAPSHOT, OPT_RESTORE, OPT_CPUS };
static const struct option long_options[] = {
	{ "memory", required_argument, NULL, 'm' }, { "verbose", no_argument, NULL, 'v' },
	{ "stats", no_argument, NULL, OPT_STATS }, { "timeout", required_argument, NULL, 't' },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR }, { "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' }, { "irqchip", required_argument, NULL, OPT_IRQCHIP },
	{ "disk", required_argument, NULL, OPT_DISK }, { "net", required_argument, NULL, OPT_NET },
	{ "balloon", no_argument, NULL, OPT_BALLOON },
	{ "no-seccomp", no_argument, NULL, OPT_NO_SECCOMP },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "snapshot", required_argument, NULL, OPT_SNAPSHOT },
	{ "restore", required_argument, NULL, OPT_RESTORE },
	{ "gdb", required_argument, NULL, OPT_GDB }, { NULL, 0, NULL, 0 },
};

/* --gdb debugs one vCPU; --snapshot saves one guest with one vCPU, and
 * only devices that can be saved. */
static enum options_result check_combinations(const struct options *opts) {
	const char *refused = opts->board.cpus > 1 ? "--cpus" :
			      opts->board.tap ? "--net (virtio-net)" :
			      opts->board.balloon ? "--balloon (virtio-balloon)" :
			      opts->gdb ? "--gdb" : NULL;

	if (opts->gdb && opts->board.cpus > 1) {
		log_error(NULL, "--gdb debugs a guest with one vCPU; not with --cpus %d",
			  opts->board.cpus);
		return OPTIONS_BAD;
	}
	if (!opts->snapshot)
		return OPTIONS_RUN;
	if (opts->image_count > 1) {
		log_error(NULL, "--snapshot saves one guest; %d images given", opts->image_count);
		return OPTIONS_BAD;
	}
	if (refused) {
		log_error(NULL, "--snapshot: a guest with %s cannot be saved", refused);
		return OPTIONS_BAD;
	}
	return OPTIONS_RUN;
}

/* --restore FILE: the machine comes from the file, and nothing else. */
static enum options_result restore_options(struct options *opts, int images) {
	const struct board_config *b = &opts->board;
	const char *from_file = opts->guest.memory ? "--memory" : b->disk_count ? "--disk" :
				b->tap ? "--net" : b->balloon ? "--balloon" :
				b->initrd ? "--initrd" : b->append ? "--append" :
				b->cpus ? "--cpus" :
				opts->guest.irqchip != IRQCHIP_AUTO ? "--irqchip" : NULL;

	if (images > 0) {
		log_error(NULL, "--restore takes no IMAGE: the machine comes from the snapshot");
		return OPTIONS_BAD;
	}
	if (from_file || opts->gdb) {
		log_error(NULL, "--restore: %s %s", from_file ? from_file : "--gdb", from_file ?
			  "comes from the snapshot file" : "cannot debug a restored guest");
		return OPTIONS_BAD;
	}
	opts->images = opts->restore;
	opts->image_count = 1;
	return check_combinations(opts);
}

/* One option: 0 ok, -1 usage error, 1 help or version printed. */
static int apply_option(int c, struct options *opts, char **argv) {
	switch (c) {
	case 'm': return parse_memory(optarg, &opts->guest.memory);
	case 't': return parse_timeout(optarg, &opts->guest.timeout);
	case OPT_DISK: return add_disk(optarg, &opts->board);
	case OPT_NET: return parse_net(optarg, &opts->board);
	case OPT_BALLOON: opts->board.balloon = true; return 0;
	case OPT_INITRD: opts->board.initrd = optarg; return 0;
	case OPT_APPEND: opts->board.append = optarg; return 0;
	case OPT_CPUS: return parse_cpus(optarg, &opts->board.cpus);
	case OPT_GDB:
		if (opts->gdb) {
			log_error(NULL, "--gdb: only one guest can be debugged (the first)");
			return -1;
		}
		opts->gdb = optarg;
		return 0;
	case OPT_NO_SECCOMP: opts->no_seccomp = true; return 0;
	case OPT_SNAPSHOT: opts->snapshot = optarg; return 0;
	case OPT_RESTORE: opts->restore[0] = optarg; return 0;
	case OPT_IRQCHIP: return parse_irqchip(optarg, &opts->guest.irqchip);
	case 'v': opts->verbose = true; return 0;
	case OPT_STATS: opts->stats = opts->guest.stats = true; return 0;
	case OPT_NO_COLOR: opts->no_color = true; return 0;
	case 'h': fputs(usage, stdout); return 1;
	case 'V': puts("mini-kvm " MINI_KVM_VERSION); return 1;
	case ':':
		log_error(NULL, "option '%s' needs a value (see mini-kvm --help)",
			  argv[optind - 1]);
		return -1;
	default:
		log_error(NULL, "unknown option '%s' (see mini-kvm --help)", argv[optind - 1]);
		return -1;
	}
}

enum options_result options_parse(int argc, char **argv, struct options *opts) {
	int c, r;

	*opts = (struct options){ 0 };
	optind = 0;	/* a full restart of getopt: the unit tests parse many times */
	opterr = 0;	/* our messages, not getopt's */
	while ((c = getopt_long(argc, argv, ":m:vt:hV", long_options, NULL)) != -1)
		if ((r = apply_option(c, opts, argv)) != 0)
			return r > 0 ? OPTIONS_DONE : OPTIONS_BAD;
	if (opts->restore[0])
		return restore_options(opts, argc - optind);
	if (optind >= argc) {
		log_error(NULL, "no image given (usage: mini-kvm [OPTIONS] IMAGE...)");
		return OPTIONS_BAD;
	}
	if (argc - optind > GUESTS_MAX) {
		log_error(NULL, "%d images: at most %d guests run in one mini-kvm", argc - optind,
			  GUESTS_MAX);
		return OPTIONS_BAD;
	}
	opts->images = argv + optind;
	opts->image_count = argc - optind;
	return check_combinations(opts);
}
