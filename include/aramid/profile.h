/*
 * The safety dial: exactly one PROFILE_* is defined by the build
 * (make PROFILE=...), and this header turns it into named switches.
 * Every profile decision in the code tests one of these switches; no
 * other file tests PROFILE_* directly.
 */
#pragma once

#if defined(PROFILE_FORTRESS) + defined(PROFILE_BALANCED) + \
    defined(PROFILE_PERFORMANCE) + defined(PROFILE_LUDICROUS) != 1
#error "exactly one of PROFILE_FORTRESS, PROFILE_BALANCED, PROFILE_PERFORMANCE, PROFILE_LUDICROUS must be defined"
#endif

#if defined(PROFILE_FORTRESS)
#define PROFILE_NAME		"fortress"
#define CONFIG_USERCOPY_BYTEWISE 1	/* byte-level checked user copy */
#elif defined(PROFILE_BALANCED)
#define PROFILE_NAME		"balanced"
#define CONFIG_USERCOPY_BYTEWISE 0
#elif defined(PROFILE_PERFORMANCE)
#define PROFILE_NAME		"performance"
#define CONFIG_USERCOPY_BYTEWISE 0
#elif defined(PROFILE_LUDICROUS)
#define PROFILE_NAME		"ludicrous"
#define CONFIG_USERCOPY_BYTEWISE 0
#endif
