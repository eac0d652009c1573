/* Linux's struct timex (adjtimex, clock_adjtime) and its mode and status bits. */
#pragma once
#include <aramid/types.h>

#define ADJ_OFFSET		0x0001
#define ADJ_FREQUENCY		0x0002
#define ADJ_MAXERROR		0x0004
#define ADJ_ESTERROR		0x0008
#define ADJ_STATUS		0x0010
#define ADJ_TIMECONST		0x0020
#define ADJ_TAI			0x0080
#define ADJ_SETOFFSET		0x0100
#define ADJ_MICRO		0x1000
#define ADJ_NANO		0x2000
#define ADJ_TICK		0x4000
#define ADJ_ADJTIME		0x8000		/* adjtime(3)'s single shot */
#define ADJ_OFFSET_READONLY	0x2000		/* with ADJ_ADJTIME */
#define ADJ_OFFSET_SINGLESHOT	0x8001

#define STA_PLL			0x0001
#define STA_PPSFREQ		0x0002
#define STA_PPSTIME		0x0004
#define STA_UNSYNC		0x0040
#define STA_FREQHOLD		0x0080
#define STA_PPSSIGNAL		0x0100
#define STA_PPSJITTER		0x0200
#define STA_PPSWANDER		0x0400
#define STA_CLOCKERR		0x1000
#define STA_NANO		0x2000
#define STA_RONLY		0xff00		/* what ADJ_STATUS cannot set */

#define TIME_OK			0
#define TIME_ERROR		5

/* struct __kernel_timex, 208 bytes. */
struct k_timex {
	uint32_t modes;
	int32_t _pad0;
	int64_t offset, freq, maxerror, esterror;
	int32_t status;
	int32_t _pad1;
	int64_t constant, precision, tolerance;
	struct { int64_t tv_sec, tv_usec; } time;
	int64_t tick, ppsfreq, jitter;
	int32_t shift;
	int32_t _pad2;
	int64_t stabil, jitcnt, calcnt, errcnt, stbcnt;
	int32_t tai;
	int32_t _pad3[11];
};
_Static_assert(sizeof(struct k_timex) == 208, "struct timex");
