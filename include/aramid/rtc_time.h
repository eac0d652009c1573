/*
 * Calendar arithmetic on struct rtc_time (lib/rtc_time.c), as Linux's
 * drivers/rtc/lib.c does it: the proleptic Gregorian calendar in UTC,
 * seconds since 1970-01-01 00:00:00.
 */
#pragma once
#include <aramid/types.h>
#include <uapi/rtc.h>

/* The days of month @month (0-11) of @year (e.g. 2024). */
int rtc_month_days(unsigned month, unsigned year);
/*
 * Linux's rtc_valid_tm: a year from 1970 (tm_year 70) on, a month 0-11,
 * a day of that month, 0-23 hours, 0-59 minutes and seconds.
 */
bool rtc_tm_valid(const struct rtc_time *tm);
/* The seconds since the epoch of @tm (valid, see rtc_tm_valid). */
int64_t rtc_tm_to_time64(const struct rtc_time *tm);
/*
 * @t as broken-down time, with tm_wday (Sunday 0), tm_isdst 0 and
 * tm_yday counted from 1, not 0, as Linux's rtc_time64_to_tm has it.
 */
void rtc_time64_to_tm(int64_t t, struct rtc_time *tm);
