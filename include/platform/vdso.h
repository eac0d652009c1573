/*
 * The vDSO (platform/vdso_map.c, platform/vdso/): a data page and the code
 * of linux-vdso.so.1, allocated and filled once at boot and mapped
 * read-only into every process by exec, the data page first.
 */
#pragma once
#include <aramid/types.h>
#include <platform/mmu.h>


/* Allocate and fill the vDSO frames. Boot only, after the clocks. */
void vdso_init(void);
/*
 * Publish a new CLOCK_REALTIME - CLOCK_MONOTONIC (clock_set_realtime
 * calls it) and settimeofday's time zone to every vDSO reader.
 */
void vdso_set_realtime(uint64_t boot_realtime_ns);
void vdso_set_timezone(int32_t minuteswest, int32_t dsttime);
/* Bytes of the mapping: the data page plus the code, page aligned. */
size_t vdso_size(void);
/* Offset of the ELF header (AT_SYSINFO_EHDR) from the mapping's start. */
#define VDSO_TEXT_OFFSET	PAGE_SIZE
/*
 * Map the vDSO at @at in @s (data page read-only, code read+exec), each
 * frame gaining a reference; @time_ns: the data page of a time namespace
 * other than the initial one. Returns 0 or -ENOMEM; on failure the pages
 * mapped so far stay mapped, for the caller's teardown of @s.
 */
int vdso_map(struct mmu_space *s, uintptr_t at, bool time_ns);
/*
 * Map the data page @time_ns asks for at @at in @s in place of the one
 * there (a task entering or leaving a time namespace): 0 or -ENOMEM.
 */
int vdso_map_data(struct mmu_space *s, uintptr_t at, bool time_ns);
