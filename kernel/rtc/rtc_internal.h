/*
 * The parts of the RTC device (kernel/rtc/) that share its state: the
 * device core (rtc_core.c: the clock, its alarm, update and periodic
 * interrupts, as Linux's drivers/rtc/interface.c), the character device
 * (rtc_dev.c, rtc_ioctl.c) and /proc/driver/rtc (rtc_proc.c). The
 * facts sysfs shows (time, alarm, max_user_freq) are declared in
 * include/svc/sysfacts.h. Process context unless noted.
 */
#pragma once
#include <svc/sysfacts.h>
#include <uapi/rtc.h>

struct file;
struct poll_table;

/* Linux 6.1 allocates the rtc major below 252 (dax) in QEMU: 251. */
#define RTC_MAJOR		251
#define RTC_MAX_USER_FREQ	64	/* Linux's default max_user_freq */
#define RTC_DEFAULT_FREQ	1024	/* rtc-cmos's periodic rate */

/* Set up the timers and wait queue (boot). */
void rtc_core_init(void);
/* Take the device for an opener: 0, or -EBUSY while another has it. */
int rtc_claim(void);
/* The opener is gone: its update and periodic interrupts end. */
void rtc_unclaim(void);
/* Take the interrupt word, counted since the last take (0: none). */
unsigned long rtc_irq_take(void);
/* Whether an interrupt is counted (a wq_wait_deadline condition). */
bool rtc_irq_pending(const void *unused);
/* Wait for an interrupt to be counted: 0, -EAGAIN, -ERESTARTSYS. */
int rtc_irq_wait(bool nonblock);
/* Register the caller's poll on the interrupt wait queue. */
void rtc_poll_wait(struct file *file, struct poll_table *pt);

/*
 * Linux's rtc_set_time: @tm must be valid (else -EINVAL) and fit the
 * chip (-EINVAL); the system clock is left alone. Timers due at the new
 * time fire.
 */
int rtc_set_time(const struct rtc_time *tm);
/*
 * Linux's rtc_alarm_irq_enable, rtc_update_irq_enable and
 * rtc_irq_set_state: the alarm (which must be at most a day ahead, as
 * the chip's alarm holds it: -EINVAL), the update interrupt each second
 * and the periodic interrupt, on or off. 0 or -errno.
 */
int rtc_alarm_irq_enable(bool on);
int rtc_update_irq_enable(bool on);
void rtc_irq_set_state(bool on);
/* Linux's rtc_irq_set_freq: 1..RTC_MAX_FREQ Hz, else -EINVAL. */
int rtc_irq_set_freq(int freq);

/* The interrupt settings /proc/driver/rtc and RTC_IRQP_READ show. */
struct rtc_irq_settings {
	bool uie, pie;
	int irq_freq, max_user_freq;
};

void rtc_irq_settings(struct rtc_irq_settings *s);

/* rtc_ioctl.c: file_ops.ioctl of /dev/rtc0. */
long rtc_ioctl(struct file *file, unsigned cmd, uptr_t arg);
