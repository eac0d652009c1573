/*
 * The real-time clock device (kernel/rtc/): /dev/rtc0 over the CMOS
 * clock, as Linux's rtc class core and rtc-dev give it.
 */
#pragma once

/*
 * Set up the device and register its character major. Boot, process
 * context, before the initramfs is unpacked.
 */
void rtc_dev_init(void);
