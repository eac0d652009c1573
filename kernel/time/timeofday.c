/*
 * Reading and setting the time of day, as Linux 6.1's kernel/time/time.c,
 * timekeeping.c and ntp.c: gettimeofday and settimeofday (with the time
 * zone), clock_settime, adjtimex and clock_adjtime. Setting needs
 * CAP_SYS_TIME. The NTP state is kept and reported as Linux reports it;
 * Aramid's clock does not slew by it (frequency, offset and adjtime's
 * single shot are stored, not applied), and timers armed for an absolute
 * realtime keep the deadline they were given when the clock steps.
 */
#include <kernel/task.h>
#include <kernel/syscall.h>
#include <kernel/posix_timer.h>
#include <kernel/timekeeping.h>
#include <uapi/time.h>
#include <uapi/timex.h>
#include <platform/time.h>
#include <platform/vdso.h>
#include <platform/usercopy.h>
#include <svc/task.h>
#include <aramid/string.h>

#define USEC_PER_SEC		1000000LL
#define NSEC_PER_USEC		1000LL
/* Linux's TIME_SETTOD_SEC_MAX: KTIME_SEC_MAX less 30 years of uptime. */
#define SETTOD_SEC_MAX		(9223372036LL - 946080000LL)
#define NTP_PHASE_LIMIT		16000000LL	/* its maxerror at boot, us */
#define MAXPHASE		500000000LL	/* ns */
#define MAXTC			10
#define MAX_TAI_OFFSET		100000
#define USER_HZ			100
/* Frequencies: scaled ppm (ppm << 16) to Linux's ns/s << 32 and back. */
#define NTP_SCALE_SHIFT		32
#define PPM_SCALE		(NSEC_PER_USEC << (NTP_SCALE_SHIFT - 16))
#define PPM_SCALE_INV_SHIFT	19
#define PPM_SCALE_INV		((1LL << (PPM_SCALE_INV_SHIFT + \
				  NTP_SCALE_SHIFT)) / PPM_SCALE + 1)
#define MAXFREQ_SCALED		(500000LL << NTP_SCALE_SHIFT)

struct k_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct k_timezone {
	int32_t tz_minuteswest;
	int32_t tz_dsttime;
};

static struct k_timezone sys_tz;

/* Linux's NTP variables, at their boot values (ntp_clear). */
static struct {
	int status;
	int64_t freq;		/* ns/s << 32 */
	int64_t offset;		/* ns */
	int64_t adjust;		/* adjtime's, us */
	int64_t maxerror, esterror, constant, tick;
	int tai;
} ntp = {
	.status = STA_UNSYNC, .maxerror = NTP_PHASE_LIMIT,
	.esterror = NTP_PHASE_LIMIT, .constant = 2,
	.tick = (USEC_PER_SEC + USER_HZ / 2) / USER_HZ,
};

/* See timekeeping.h. */
int64_t clock_tai_offset_ns(void)
{
	return (int64_t)ntp.tai * (int64_t)NSEC_PER_SEC;
}

static uint64_t realtime_ns(void)
{
	return clock_boot_realtime_ns() + clock_monotonic_ns();
}

/*
 * Step the realtime clock to @sec.@nsec (Linux's do_settimeofday64):
 * EINVAL unless valid for settimeofday and not before the monotonic
 * clock's now (the time since boot).
 */
static int set_realtime(int64_t sec, int64_t nsec)
{
	uint64_t mono = clock_monotonic_ns(), ns;

	if (sec < 0 || nsec < 0 || nsec >= (int64_t)NSEC_PER_SEC ||
	    sec >= SETTOD_SEC_MAX)
		return -EINVAL;
	ns = (uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec;
	if (ns < mono)
		return -EINVAL;
	clock_set_realtime(ns - mono);
	return 0;
}

/*
 * Linux's do_sys_settimeofday64: the time checked, then the capability,
 * then the zone (within 15 hours of UTC); either may be absent.
 */
static int settod(const struct k_timeval *tv, int64_t nsec,
		  const struct k_timezone *tz)
{
	if (tv && (tv->tv_sec < 0 || nsec < 0 ||
		   nsec >= (int64_t)NSEC_PER_SEC ||
		   tv->tv_sec >= SETTOD_SEC_MAX))
		return -EINVAL;
	if (!capable(CAP_SYS_TIME))
		return -EPERM;
	if (tz) {
		if (tz->tz_minuteswest > 15 * 60 ||
		    tz->tz_minuteswest < -15 * 60)
			return -EINVAL;
		sys_tz = *tz;
		vdso_set_timezone(tz->tz_minuteswest, tz->tz_dsttime);
	}
	return tv ? set_realtime(tv->tv_sec, nsec) : 0;
}

SYSCALL(__NR_gettimeofday, gettimeofday)(SYSCALL_ARGS)
{
	uint64_t ns = realtime_ns();
	struct k_timeval tv = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC / 1000 };

	if (a0 && copy_to_user(UPTR(a0), &tv, sizeof(tv)))
		return -EFAULT;
	if (a1 && copy_to_user(UPTR(a1), &sys_tz, sizeof(sys_tz)))
		return -EFAULT;
	return 0;
}

/* tv_usec is checked before the zone is read, as Linux checks it. */
SYSCALL(__NR_settimeofday, settimeofday)(SYSCALL_ARGS)
{
	struct k_timeval tv;
	struct k_timezone tz;

	if (a0) {
		if (copy_from_user(&tv, UPTR(a0), sizeof(tv)))
			return -EFAULT;
		if (tv.tv_usec > USEC_PER_SEC || tv.tv_usec < 0)
			return -EINVAL;
	}
	if (a1 && copy_from_user(&tz, UPTR(a1), sizeof(tz)))
		return -EFAULT;
	return settod(a0 ? &tv : NULL, a0 ? tv.tv_usec * NSEC_PER_USEC : 0,
		      a1 ? &tz : NULL);
}

/* Whether clock id @clk exists (Linux's clockid_to_kclock). */
static bool clock_known(int clk)
{
	if (clk < 0)
		return true;	/* a CPU clock, or a dynamic one */
	return clk <= CLOCK_BOOTTIME_ALARM || clk == CLOCK_TAI;
}

/*
 * Only CLOCK_REALTIME is set; a dynamic CPU-time clock (negative id)
 * refuses with EPERM (Linux's posix_cpu_clock_set), the other clocks
 * have no setter: EINVAL.
 */
SYSCALL(__NR_clock_settime, clock_settime)(SYSCALL_ARGS)
{
	int clk = (int)a0;
	struct k_timeval tv;
	struct __kernel_timespec ts;

	if (clk >= 0 && clk != CLOCK_REALTIME)
		return -EINVAL;
	if (copy_from_user(&ts, UPTR(a1), sizeof(ts)))
		return -EFAULT;
	if (clk < 0)
		return cpu_clock_read(clk) >= 0 ? -EPERM : -EINVAL;
	tv.tv_sec = ts.tv_sec;
	return settod(&tv, ts.tv_nsec, NULL);
}

/* Linux's timekeeping_validate_timex. */
static int timex_validate(const struct k_timex *tx)
{
	if (tx->modes & ADJ_ADJTIME) {
		if (!(tx->modes & ADJ_OFFSET_SINGLESHOT))
			return -EINVAL;
		if (!(tx->modes & ADJ_OFFSET_READONLY) &&
		    !capable(CAP_SYS_TIME))
			return -EPERM;
	} else {
		if (tx->modes && !capable(CAP_SYS_TIME))
			return -EPERM;
		if ((tx->modes & ADJ_TICK) &&
		    (tx->tick < 900000 / USER_HZ ||
		     tx->tick > 1100000 / USER_HZ))
			return -EINVAL;
	}
	if (tx->modes & ADJ_SETOFFSET) {
		if (!capable(CAP_SYS_TIME))
			return -EPERM;
		if (tx->time.tv_usec < 0 ||
		    tx->time.tv_usec >= ((tx->modes & ADJ_NANO) ?
					 (int64_t)NSEC_PER_SEC : USEC_PER_SEC))
			return -EINVAL;
	}
	if ((tx->modes & ADJ_FREQUENCY) &&
	    (tx->freq < INT64_MIN / PPM_SCALE ||
	     tx->freq > INT64_MAX / PPM_SCALE))
		return -EINVAL;
	return 0;
}

/*
 * Linux's timekeeping_inject_offset: step the clock by @sec.@nsec
 * (@nsec in [0, 1e9)); EINVAL if it would go before the monotonic now.
 */
static int inject_offset(int64_t sec, int64_t nsec)
{
	int64_t now = (int64_t)realtime_ns(), delta, to;

	if (__builtin_mul_overflow(sec, (int64_t)NSEC_PER_SEC, &delta) ||
	    __builtin_add_overflow(delta, nsec, &delta) ||
	    __builtin_add_overflow(now, delta, &to) || to < 0)
		return -EINVAL;
	return set_realtime(to / (int64_t)NSEC_PER_SEC,
			    to % (int64_t)NSEC_PER_SEC);
}

/* Linux's process_adj_status: leaving PLL mode resets to unsynchronised. */
static void adj_status(int status)
{
	if ((ntp.status & STA_PLL) && !(status & STA_PLL))
		ntp.status = STA_UNSYNC;
	ntp.status &= STA_RONLY;
	ntp.status |= status & ~STA_RONLY;
}

/* Linux's process_adjtimex_modes, without the phase-locked loop. */
static void adj_modes(const struct k_timex *tx)
{
	if (tx->modes & ADJ_STATUS)
		adj_status(tx->status);
	if (tx->modes & ADJ_NANO)
		ntp.status |= STA_NANO;
	if (tx->modes & ADJ_MICRO)
		ntp.status &= ~STA_NANO;
	if (tx->modes & ADJ_FREQUENCY)
		ntp.freq = MAX(MIN(tx->freq * PPM_SCALE, MAXFREQ_SCALED),
			       -MAXFREQ_SCALED);
	if (tx->modes & ADJ_MAXERROR)
		ntp.maxerror = tx->maxerror;
	if (tx->modes & ADJ_ESTERROR)
		ntp.esterror = tx->esterror;
	if (tx->modes & ADJ_TIMECONST) {
		int64_t c = tx->constant + ((ntp.status & STA_NANO) ? 0 : 4);

		ntp.constant = MAX(MIN(c, (int64_t)MAXTC), (int64_t)0);
	}
	if ((tx->modes & ADJ_TAI) && tx->constant >= 0 &&
	    tx->constant <= MAX_TAI_OFFSET)
		ntp.tai = (int)tx->constant;
	if ((tx->modes & ADJ_OFFSET) && (ntp.status & STA_PLL)) {
		int64_t off = tx->offset;

		if (!(ntp.status & STA_NANO))
			off = MAX(MIN(off, USEC_PER_SEC), -USEC_PER_SEC) *
			      NSEC_PER_USEC;
		ntp.offset = MAX(MIN(off, MAXPHASE), -MAXPHASE);
	}
	if (tx->modes & ADJ_TICK)
		ntp.tick = tx->tick;
}

/* Linux's is_error_status: the state adjtimex returns is TIME_ERROR. */
static bool ntp_error(int s)
{
	return (s & (STA_UNSYNC | STA_CLOCKERR)) ||
	       ((s & (STA_PPSFREQ | STA_PPSTIME)) && !(s & STA_PPSSIGNAL)) ||
	       ((s & (STA_PPSTIME | STA_PPSJITTER)) ==
		(STA_PPSTIME | STA_PPSJITTER)) ||
	       ((s & STA_PPSFREQ) && (s & (STA_PPSWANDER | STA_CLOCKERR)));
}

/*
 * Linux's do_adjtimex and __do_adjtimex: validate, apply @tx's modes,
 * then report the whole state into it. The clock state (TIME_OK, or
 * TIME_ERROR while unsynchronised) or -errno.
 */
static int do_adjtimex(struct k_timex *tx)
{
	uint64_t now;
	int err = timex_validate(tx);

	if (err)
		return err;
	if (tx->modes & ADJ_SETOFFSET) {
		int64_t nsec = tx->time.tv_usec;

		if (!(tx->modes & ADJ_NANO))
			nsec *= NSEC_PER_USEC;
		err = inject_offset(tx->time.tv_sec, nsec);
		if (err)
			return err;
	}
	if (tx->modes & ADJ_ADJTIME) {
		int64_t old = ntp.adjust;

		if (!(tx->modes & ADJ_OFFSET_READONLY))
			ntp.adjust = tx->offset;
		tx->offset = old;
	} else {
		if (tx->modes)
			adj_modes(tx);
		tx->offset = ntp.offset;
		if (!(ntp.status & STA_NANO))
			tx->offset = (uint32_t)tx->offset / NSEC_PER_USEC;
	}
	tx->freq = (((ntp.freq >> PPM_SCALE_INV_SHIFT) * PPM_SCALE_INV) >>
		    NTP_SCALE_SHIFT);
	tx->maxerror = ntp.maxerror;
	tx->esterror = ntp.esterror;
	tx->status = ntp.status;
	tx->constant = ntp.constant;
	tx->precision = 1;
	tx->tolerance = MAXFREQ_SCALED / PPM_SCALE;
	tx->tick = ntp.tick;
	tx->tai = ntp.tai;
	tx->ppsfreq = tx->jitter = tx->stabil = 0;
	tx->jitcnt = tx->calcnt = tx->errcnt = tx->stbcnt = 0;
	tx->shift = 0;
	now = realtime_ns();
	tx->time.tv_sec = (int64_t)(now / NSEC_PER_SEC);
	tx->time.tv_usec = (int64_t)(now % NSEC_PER_SEC);
	if (!(ntp.status & STA_NANO))
		tx->time.tv_usec /= NSEC_PER_USEC;
	return ntp_error(ntp.status) ? TIME_ERROR : TIME_OK;
}

/* Copy in, adjust, and copy the state back out if it worked. */
static long adjtimex_user(uptr_t utx)
{
	struct k_timex tx;
	int ret;

	if (copy_from_user(&tx, utx, sizeof(tx)))
		return -EFAULT;
	ret = do_adjtimex(&tx);
	if (ret >= 0 && copy_to_user(utx, &tx, sizeof(tx)))
		return -EFAULT;
	return ret;
}

SYSCALL(__NR_adjtimex, adjtimex)(SYSCALL_ARGS)
{
	return adjtimex_user(UPTR(a0));
}

/* CLOCK_REALTIME alone adjusts; other clocks cannot (EOPNOTSUPP). */
SYSCALL(__NR_clock_adjtime, clock_adjtime)(SYSCALL_ARGS)
{
	int clk = (int)a0;

	if (!clock_known(clk) || (clk < 0 && (clk & 7) == 3))
		return -EINVAL;
	if (clk != CLOCK_REALTIME)
		return -EOPNOTSUPP;
	return adjtimex_user(UPTR(a1));
}
