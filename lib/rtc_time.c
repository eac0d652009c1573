/*
 * Calendar arithmetic for the real-time clock (include/aramid/rtc_time.h):
 * days from a civil date and back by Howard Hinnant's era arithmetic,
 * which holds for any year a struct rtc_time carries.
 */
#include <aramid/rtc_time.h>

#define SECS_PER_DAY	86400

static bool leap_year(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* See rtc_time.h. */
int rtc_month_days(unsigned month, unsigned year)
{
	static const unsigned char days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};

	return days[month % 12] + (month == 1 && leap_year(year));
}

/* See rtc_time.h. */
bool rtc_tm_valid(const struct rtc_time *tm)
{
	return tm->tm_year >= 70 && tm->tm_year <= INT32_MAX - 1900 &&
	       (unsigned)tm->tm_mon < 12 && tm->tm_mday >= 1 &&
	       tm->tm_mday <= rtc_month_days((unsigned)tm->tm_mon,
					     (unsigned)tm->tm_year + 1900) &&
	       (unsigned)tm->tm_hour < 24 && (unsigned)tm->tm_min < 60 &&
	       (unsigned)tm->tm_sec < 60;
}

/* Days from 1970-01-01 to @y-@m-@d (@m 1-12). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* See rtc_time.h. */
int64_t rtc_tm_to_time64(const struct rtc_time *tm)
{
	int64_t days = days_from_civil((int64_t)tm->tm_year + 1900,
				       (unsigned)tm->tm_mon + 1,
				       (unsigned)tm->tm_mday);

	return days * SECS_PER_DAY + tm->tm_hour * 3600 + tm->tm_min * 60 +
	       tm->tm_sec;
}

/* See rtc_time.h. */
void rtc_time64_to_tm(int64_t t, struct rtc_time *tm)
{
	int64_t days = t / SECS_PER_DAY, secs = t % SECS_PER_DAY;
	int64_t z, era, doe, yoe, y, doy, mp;
	unsigned m, d;

	if (secs < 0) {
		secs += SECS_PER_DAY;
		days--;
	}
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	y += m <= 2;

	tm->tm_year = (int)(y - 1900);
	tm->tm_mon = (int)m - 1;
	tm->tm_mday = (int)d;
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_sec = (int)(secs % 60);
	/* 1970-01-01 was a Thursday. */
	tm->tm_wday = (int)(((days + 4) % 7 + 7) % 7);
	tm->tm_yday = (int)(days - days_from_civil(y, 1, 1)) + 1;
	tm->tm_isdst = 0;
}
