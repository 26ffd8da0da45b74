/*
 * rtc: the PC's CMOS real-time clock (Motorola MC146818A: its data sheet,
 * "Address Map"), enough for a PC operating system to read the time at boot
 * and to find the clock healthy. Without it, a Linux kernel reads all ones,
 * waits seconds for an "update in progress" that never ends, and calls the
 * clock broken. Port 0x70 selects a register (bit 7 masks NMIs), 0x71 reads
 * or writes it. The time is the host's, in UTC and BCD, never "updating";
 * writes to it are ignored (the guest cannot set the host's clock), the
 * other 114 bytes of CMOS RAM keep what the guest writes. No interrupts.
 */
#include <time.h>

#include "devices.h"

enum { SECONDS = 0, MINUTES = 2, HOURS = 4, WEEKDAY = 6, DAY = 7, MONTH = 8, YEAR = 9,
       STATUS_A = 0x0a, STATUS_B = 0x0b, STATUS_C = 0x0c, STATUS_D = 0x0d, CENTURY = 0x32 };

#define RTC_INDEX 0x70
#define INDEX_MASK 0x7f			/* bit 7: NMI disable, not part of the index */
#define STATUS_A_32KHZ_1024HZ 0x26	/* the usual divider; UIP (bit 7) never set */
#define STATUS_B_24H 0x02		/* 24-hour, BCD, no interrupts */
#define STATUS_D_VALID 0x80		/* VRT: RAM and time are valid */

static uint8_t bcd(int n) {
	return (uint8_t)(n / 10 << 4 | n % 10);
}

static bool leap(int year) {
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* UTC calendar time from the host's clock. By hand, not gmtime_r: glibc's
 * reads /etc/localtime on its first call, which the seccomp filter forbids. */
static void utc_now(struct tm *t) {
	static const int month_days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	struct timespec now;
	long long days, secs;

	clock_gettime(CLOCK_REALTIME, &now);
	days = now.tv_sec / 86400, secs = now.tv_sec % 86400;
	*t = (struct tm){ .tm_hour = (int)(secs / 3600), .tm_min = (int)(secs / 60 % 60),
			  .tm_sec = (int)(secs % 60), .tm_wday = (int)((days + 4) % 7),	/* a Thursday */
			  .tm_year = 1970, .tm_mday = 1 };
	for (; days >= (leap(t->tm_year) ? 366 : 365); t->tm_year++)
		days -= leap(t->tm_year) ? 366 : 365;
	for (; days >= month_days[t->tm_mon] + (t->tm_mon == 1 && leap(t->tm_year)); t->tm_mon++)
		days -= month_days[t->tm_mon] + (t->tm_mon == 1 && leap(t->tm_year));
	t->tm_mday += (int)days;	/* tm_year is the full year here, tm_mon 0-11 */
}

/* Registers 0-9 and the century, from the host's clock. */
static int time_register(uint8_t index) {
	struct tm t;

	utc_now(&t);
	switch (index) {
	case SECONDS: return bcd(t.tm_sec);
	case MINUTES: return bcd(t.tm_min);
	case HOURS: return bcd(t.tm_hour);
	case WEEKDAY: return bcd(t.tm_wday + 1);			/* 1 = Sunday */
	case DAY: return bcd(t.tm_mday);
	case MONTH: return bcd(t.tm_mon + 1);
	case YEAR: return bcd(t.tm_year % 100);
	case CENTURY: return bcd(t.tm_year / 100);
	default: return -1;
	}
}

static uint8_t rtc_read(const struct rtc *r) {
	int value = time_register(r->index);

	if (value >= 0)
		return (uint8_t)value;
	switch (r->index) {
	case STATUS_A: return STATUS_A_32KHZ_1024HZ;
	case STATUS_B: return STATUS_B_24H;
	case STATUS_C: return 0;			/* no interrupt flags */
	case STATUS_D: return STATUS_D_VALID;
	default: return r->ram[r->index];
	}
}

static struct run_result rtc_io(void *rtc, uint16_t offset, struct pio_access *access) {
	struct rtc *r = rtc;

	(void)offset;
	if (access->port == RTC_INDEX) {
		if (access->is_write)
			r->index = access->value & INDEX_MASK;
		else
			access->value = r->index;
	} else if (!access->is_write) {
		access->value = rtc_read(r);
	} else if (time_register(r->index) < 0 && r->index > STATUS_D) {
		r->ram[r->index] = (uint8_t)access->value;	/* plain CMOS RAM */
	}
	return RUN_ON;
}

int rtc_register(struct rtc *r, struct pio_bus *bus) {
	*r = (struct rtc){ 0 };
	return pio_register(bus, "rtc index", RTC_INDEX, 1, rtc_io, r) ?:
	       pio_register(bus, "rtc data", RTC_INDEX + 1, 1, rtc_io, r);
}
