/*
 * Linux's real-time clock interface (include/uapi/linux/rtc.h): the
 * broken-down time of RTC_RD_TIME and friends, the wake alarm, the
 * parameters of RTC_PARAM_GET/SET, the ioctl numbers and the bits of the
 * interrupt word a read of /dev/rtcN returns.
 */
#pragma once
#include <aramid/types.h>

/* As struct tm's first nine members: tm_mon from 0, tm_year from 1900. */
struct rtc_time {
	int tm_sec;
	int tm_min;
	int tm_hour;
	int tm_mday;
	int tm_mon;
	int tm_year;
	int tm_wday;
	int tm_yday;
	int tm_isdst;
};

struct rtc_wkalrm {
	unsigned char enabled;	/* 0 = alarm disabled, 1 = enabled */
	unsigned char pending;	/* 0 = alarm not pending, 1 = pending */
	struct rtc_time time;
};

struct rtc_param {
	uint64_t param;
	uint64_t value;		/* a union of uvalue, svalue and ptr */
	uint32_t index;
	uint32_t pad;
};

_Static_assert(sizeof(struct rtc_time) == 36, "struct rtc_time");
_Static_assert(sizeof(struct rtc_wkalrm) == 40, "struct rtc_wkalrm");
_Static_assert(sizeof(struct rtc_param) == 24, "struct rtc_param");

/* _IOC(dir, 'p', nr, size) as asm-generic/ioctl.h builds it. */
#define RTC_IOC(dir, nr, size)	\
	(((dir) << 30) | ((size) << 16) | ('p' << 8) | (nr))
#define RTC_IO(nr)		RTC_IOC(0U, nr, 0U)
#define RTC_IOW(nr, type)	RTC_IOC(1U, nr, (unsigned)sizeof(type))
#define RTC_IOR(nr, type)	RTC_IOC(2U, nr, (unsigned)sizeof(type))

#define RTC_AIE_ON	RTC_IO(0x01)	/* alarm interrupt on */
#define RTC_AIE_OFF	RTC_IO(0x02)
#define RTC_UIE_ON	RTC_IO(0x03)	/* update interrupt on */
#define RTC_UIE_OFF	RTC_IO(0x04)
#define RTC_PIE_ON	RTC_IO(0x05)	/* periodic interrupt on */
#define RTC_PIE_OFF	RTC_IO(0x06)
#define RTC_ALM_SET	RTC_IOW(0x07, struct rtc_time)
#define RTC_ALM_READ	RTC_IOR(0x08, struct rtc_time)
#define RTC_RD_TIME	RTC_IOR(0x09, struct rtc_time)
#define RTC_SET_TIME	RTC_IOW(0x0a, struct rtc_time)
#define RTC_IRQP_READ	RTC_IOR(0x0b, unsigned long)
#define RTC_IRQP_SET	RTC_IOW(0x0c, unsigned long)
#define RTC_EPOCH_READ	RTC_IOR(0x0d, unsigned long)
#define RTC_EPOCH_SET	RTC_IOW(0x0e, unsigned long)
#define RTC_WKALM_SET	RTC_IOW(0x0f, struct rtc_wkalrm)
#define RTC_WKALM_RD	RTC_IOR(0x10, struct rtc_wkalrm)
#define RTC_PARAM_GET	RTC_IOW(0x13, struct rtc_param)
#define RTC_PARAM_SET	RTC_IOW(0x14, struct rtc_param)

/* The interrupt word: the count above bit 8, these flags below. */
#define RTC_IRQF	0x80	/* an interrupt happened */
#define RTC_PF		0x40	/* periodic */
#define RTC_AF		0x20	/* alarm */
#define RTC_UF		0x10	/* update (the second turned over) */

#define RTC_MAX_FREQ	8192	/* the highest periodic rate */

/* RTC_PARAM_GET's parameters and the feature bits of the first. */
#define RTC_PARAM_FEATURES		0
#define RTC_PARAM_CORRECTION		1
#define RTC_PARAM_BACKUP_SWITCH_MODE	2
#define RTC_FEATURE_ALARM		0
#define RTC_FEATURE_UPDATE_INTERRUPT	4
