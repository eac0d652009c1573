/* abi_settime.c - setting the time as Linux 6.1: clock_settime (CLOCK_REALTIME alone, CAP_SYS_TIME), settimeofday's rules for tv_usec and the time zone, adjtimex and clock_adjtime (read-only for everyone, changes need CAP_SYS_TIME, the state reported), and the vDSO seeing a stepped clock. */
#include "check.h"
#include <grp.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <time.h>

#define T "abi_settime"

struct k_timeval { long tv_sec, tv_usec; };
struct k_timezone { int minuteswest, dsttime; };

static void drop(void)
{
	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) ||
	    setresuid(1000, 1000, 1000)) {
		check_emit("FAIL %s: dropping privileges: %s", T, errname(errno));
		_exit(1);
	}
}

static long settod(const struct k_timeval *tv, const struct k_timezone *tz)
{
	return syscall(SYS_settimeofday, tv, tz);
}

static long real_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long)ts.tv_sec;
}

static int unprivileged(void *arg __attribute__((unused)))
{
	struct timespec ts = { 1800000000, 0 }, bad = { 1800000000, -1 };
	struct k_timeval tv = { 1800000000, 0 };
	struct timex tx = { .modes = 0 };

	drop();
	CHECK_ERR("clock_settime(CLOCK_REALTIME) needs CAP_SYS_TIME",
		  syscall(SYS_clock_settime, CLOCK_REALTIME, &ts), EPERM);
	CHECK_ERR("an invalid time is EINVAL before the capability",
		  syscall(SYS_clock_settime, CLOCK_REALTIME, &bad), EINVAL);
	CHECK_ERR("settimeofday needs it", settod(&tv, NULL), EPERM);
	CHECK_ERR("even with neither argument", settod(NULL, NULL), EPERM);
	CHECK_EQ("adjtimex mode 0 reads for everyone",
		 syscall(SYS_adjtimex, &tx), TIME_ERROR);
	CHECK_EQ("its tick is 10000 us", tx.tick, 10000);
	tx.modes = ADJ_FREQUENCY;
	tx.freq = 0;
	CHECK_ERR("ADJ_FREQUENCY needs CAP_SYS_TIME",
		  syscall(SYS_adjtimex, &tx), EPERM);
	tx.modes = ADJ_SETOFFSET;
	CHECK_ERR("ADJ_SETOFFSET too", syscall(SYS_adjtimex, &tx), EPERM);
	tx.modes = 0;
	CHECK_EQ("clock_adjtime(CLOCK_REALTIME) reads",
		 syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx), TIME_ERROR);
	return check_fails;
}

static void test_settime(void)
{
	struct timespec ts, mono, back;
	struct k_timeval tv;
	struct k_timezone tz = { 0, 0 }, got = { 7, 7 };
	long before = real_sec();

	CHECK_ERR("CLOCK_MONOTONIC cannot be set",
		  syscall(SYS_clock_settime, CLOCK_MONOTONIC, &ts), EINVAL);
	CHECK_ERR("nor CLOCK_REALTIME_COARSE",
		  syscall(SYS_clock_settime, CLOCK_REALTIME_COARSE, &ts),
		  EINVAL);
	CHECK_ERR("nor CLOCK_TAI", syscall(SYS_clock_settime, CLOCK_TAI, &ts),
		  EINVAL);
	CHECK_ERR("an unknown clock", syscall(SYS_clock_settime, 99, &ts),
		  EINVAL);
	clock_gettime(CLOCK_REALTIME, &ts);
	CHECK_ERR("CLOCK_PROCESS_CPUTIME_ID has no setter",
		  syscall(SYS_clock_settime, CLOCK_PROCESS_CPUTIME_ID, &ts),
		  EINVAL);
	CHECK_ERR("a process's CPU clock refuses with EPERM",
		  syscall(SYS_clock_settime, (int)((~(unsigned)getpid() << 3) | 2),
			  &ts), EPERM);
	CHECK_ERR("a bad pointer is EFAULT",
		  syscall(SYS_clock_settime, CLOCK_REALTIME, BAD_LOW), EFAULT);

	ts.tv_sec += 1000;
	CHECK_OK("root sets CLOCK_REALTIME 1000 s ahead",
		 syscall(SYS_clock_settime, CLOCK_REALTIME, &ts));
	CHECK("the vDSO's clock_gettime sees it",
	      real_sec() >= before + 999 && real_sec() <= before + 1010);
	syscall(SYS_clock_gettime, CLOCK_REALTIME, &back);
	CHECK("so does the system call",
	      back.tv_sec >= before + 999 && back.tv_sec <= before + 1010);
	CHECK("time(2) too", time(NULL) >= before + 999);
	back.tv_sec -= 1000;
	CHECK_OK("and back", syscall(SYS_clock_settime, CLOCK_REALTIME, &back));
	CHECK("the clock is back", real_sec() >= before &&
	      real_sec() <= before + 10);

	clock_gettime(CLOCK_MONOTONIC, &mono);
	ts.tv_sec = mono.tv_sec > 2 ? mono.tv_sec - 2 : 0;
	ts.tv_nsec = 0;
	CHECK_ERR("a time before the monotonic clock's is EINVAL",
		  syscall(SYS_clock_settime, CLOCK_REALTIME, &ts), EINVAL);
	ts.tv_sec = before;
	ts.tv_nsec = 1000000000;
	CHECK_ERR("tv_nsec of 1e9 is EINVAL",
		  syscall(SYS_clock_settime, CLOCK_REALTIME, &ts), EINVAL);

	tv.tv_sec = before;
	tv.tv_usec = 1000000;
	CHECK_ERR("settimeofday: tv_usec 1000000 is EINVAL",
		  settod(&tv, NULL), EINVAL);
	tv.tv_usec = -1;
	CHECK_ERR("a negative one too", settod(&tv, NULL), EINVAL);
	tz.minuteswest = 15 * 60 + 1;
	CHECK_ERR("a zone beyond 15 hours is EINVAL", settod(NULL, &tz),
		  EINVAL);
	tz.minuteswest = -60;
	tz.dsttime = 0;
	CHECK_OK("a zone alone is set", settod(NULL, &tz));
	syscall(SYS_gettimeofday, NULL, &got);
	CHECK_EQ("gettimeofday reports it", got.minuteswest, -60);
	tz.minuteswest = 0;
	CHECK_OK("UTC again", settod(NULL, &tz));
	CHECK_OK("neither argument is 0 for root", settod(NULL, NULL));
	syscall(SYS_gettimeofday, &tv, NULL);
	CHECK_OK("settimeofday to now", settod(&tv, NULL));
}

static void test_adjtimex(void)
{
	struct timex tx = { .modes = 0 }, saved;
	struct timespec ts, tai;
	long before;
	int st;

	CHECK_EQ("unsynchronised, adjtimex reports TIME_ERROR",
		 adjtimex(&tx), TIME_ERROR);
	saved = tx;
	CHECK("STA_UNSYNC is set", tx.status & STA_UNSYNC);
	CHECK_EQ("precision 1", tx.precision, 1);
	CHECK_EQ("tolerance 500 ppm scaled", tx.tolerance, 500 << 16);

	tx.modes = ADJ_FREQUENCY;
	tx.freq = 10 << 16;
	CHECK_EQ("root sets the frequency", adjtimex(&tx), TIME_ERROR);
	CHECK_EQ("which reads back", tx.freq, 10 << 16);
	tx.modes = ADJ_FREQUENCY;
	tx.freq = 1000L << 16;
	adjtimex(&tx);
	CHECK_EQ("clamped to 500 ppm", tx.freq, 500L << 16);
	tx.modes = ADJ_FREQUENCY;
	tx.freq = saved.freq;
	adjtimex(&tx);

	tx.modes = ADJ_STATUS;
	tx.status = STA_PLL;
	CHECK_EQ("ADJ_STATUS: STA_PLL, no longer unsynchronised: TIME_OK",
		 adjtimex(&tx), TIME_OK);
	CHECK_EQ("status reads back", tx.status & (STA_PLL | STA_UNSYNC),
		 STA_PLL);
	tx.modes = ADJ_STATUS;
	tx.status = STA_UNSYNC;
	CHECK_EQ("unsynchronised again", adjtimex(&tx), TIME_ERROR);
	CHECK_EQ("status", tx.status & (STA_PLL | STA_UNSYNC), STA_UNSYNC);

	tx.modes = ADJ_TICK;
	tx.tick = 8000;
	CHECK_ERR("a tick off by more than 10% is EINVAL", adjtimex(&tx),
		  EINVAL);

	tx.modes = ADJ_SETOFFSET;
	tx.time.tv_sec = 0;
	tx.time.tv_usec = -1;
	CHECK_ERR("ADJ_SETOFFSET with a negative tv_usec is EINVAL",
		  adjtimex(&tx), EINVAL);
	tx.time.tv_usec = 1000000;
	CHECK_ERR("or a whole second of them", adjtimex(&tx), EINVAL);
	before = real_sec();
	tx.modes = ADJ_SETOFFSET;
	tx.time.tv_sec = 500;
	tx.time.tv_usec = 0;
	CHECK_OK("ADJ_SETOFFSET steps the clock by 500 s", adjtimex(&tx));
	CHECK("the vDSO sees the step", real_sec() >= before + 499 &&
	      real_sec() <= before + 510);
	tx.modes = ADJ_SETOFFSET | ADJ_NANO;
	tx.time.tv_sec = -500;
	tx.time.tv_usec = 0;
	CHECK_OK("and back, in ns", adjtimex(&tx));
	CHECK("the clock is back", real_sec() >= before &&
	      real_sec() <= before + 10);
	tx.modes = ADJ_TAI;
	tx.constant = 37;
	adjtimex(&tx);
	CHECK_EQ("ADJ_TAI sets the TAI offset", tx.tai, 37);
	clock_gettime(CLOCK_REALTIME, &ts);
	clock_gettime(CLOCK_TAI, &tai);
	CHECK("CLOCK_TAI runs 37 s ahead of CLOCK_REALTIME",
	      tai.tv_sec - ts.tv_sec >= 36 && tai.tv_sec - ts.tv_sec <= 38);
	tx.modes = ADJ_TAI;
	tx.constant = 0;
	adjtimex(&tx);
	CHECK_EQ("and back to 0", tx.tai, 0);
	tx.modes = ADJ_MICRO;
	adjtimex(&tx);
	CHECK("ADJ_MICRO clears STA_NANO", !(tx.status & STA_NANO));

	CHECK_ERR("clock_adjtime of CLOCK_MONOTONIC is EOPNOTSUPP",
		  syscall(SYS_clock_adjtime, CLOCK_MONOTONIC, &tx), EOPNOTSUPP);
	CHECK_ERR("an unknown clock is EINVAL",
		  syscall(SYS_clock_adjtime, 99, &tx), EINVAL);
	tx.modes = 0;
	CHECK_EQ("clock_adjtime(CLOCK_REALTIME) is adjtimex",
		 syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx), TIME_ERROR);
	clock_gettime(CLOCK_REALTIME, &ts);
	CHECK("its time is the realtime clock's",
	      tx.time.tv_sec >= ts.tv_sec - 2 && tx.time.tv_sec <= ts.tv_sec);
	st = run_child(unprivileged, NULL);
	CHECK_EQ("the unprivileged child passed", st, 0);
}

int main(void)
{
	TEST_BEGIN(T);
	test_settime();
	test_adjtimex();
	return TEST_END();
}
