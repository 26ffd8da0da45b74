/*
 * tap: --net tap=IFNAME, the host's side of a guest's network card. A tap
 * device passes whole Ethernet frames: each read(2) returns one frame the
 * host sent, each write(2) sends one. Attaching to an existing tap
 * (TUNSETIFF) needs no privilege beyond owning it (ip tuntap add ... user
 * NAME). Without CAP_NET_ADMIN the kernel would refuse a missing name, but
 * with it TUNSETIFF quietly makes a new tap that nobody configured, so the
 * name is looked up first (Documentation/networking/tuntap.rst), in this
 * process's network namespace: if_nametoindex asks the kernel, while
 * /sys/class/net shows the namespace that mounted /sys.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/log.h"
#include "devices.h"

int tap_open(const char *name, const char *who) {
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
	int fd;

	if (!*name || strlen(name) >= IFNAMSIZ || strchr(name, '/')) {
		log_error(who, "--net: '%s' is not a network interface name", name);
		return -EX_USAGE;
	}
	if (if_nametoindex(name) == 0) {
		log_error(who, "--net: no tap device named '%s' (make one: ip tuntap add %s mode "
			  "tap user $USER)", name, name);
		return -EX_NOINPUT;
	}
	/* Non-blocking: the receive thread polls, and a full tap drops a
	 * frame the guest sends, as a busy wire would, instead of stopping it. */
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		log_error(who, "--net: cannot open /dev/net/tun: %s", strerror(errno));
		return -EX_OSERR;
	}
	memcpy(ifr.ifr_name, name, strlen(name) + 1);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		log_error(who, "--net: cannot attach to tap '%s' (is it a tap, and yours?): %s", name,
			  strerror(errno));
		close(fd);
		return -EX_NOINPUT;
	}
	return fd;
}
