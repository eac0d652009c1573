/*
 * The vDSO's frames: its data pages (vvar.h: the initial time
 * namespace's, and the other namespaces') and its code (the shared
 * object built from vdso/vdso.c, embedded by vdso_image.S), made once at
 * boot and shared read-only by every address space; the data pages'
 * clock offset and time zone follow the kernel's when they are set.
 */
#include <platform/vdso.h>
#include <platform/cpu.h>
#include <platform/frame.h>
#include <platform/time.h>
#include <platform/panic.h>
#include <aramid/compiler.h>
#include <uapi/errno.h>
#include "vvar.h"
#include "x86.h"

#define VDSO_TEXT_MAX_PAGES	2

extern const char vdso_image_start[], vdso_image_end[];

static paddr_t vvar_frame, vvar_ns_frame;
static paddr_t text_frames[VDSO_TEXT_MAX_PAGES];
static size_t text_pages;

void vdso_init(void)
{
	size_t size = vdso_image_end - vdso_image_start;
	struct vvar_data data;

	text_pages = DIV_ROUND_UP(size, PAGE_SIZE);
	if (text_pages > VDSO_TEXT_MAX_PAGES)
		panic("vdso_init: image of %zu bytes too large", size);
	vvar_frame = frame_alloc();
	vvar_ns_frame = frame_alloc();
	if (!vvar_frame || !vvar_ns_frame)
		panic("vdso_init: out of memory");
	tsc_clock_params(&data.tsc_boot, &data.tsc_mult);
	data.boot_realtime_ns = clock_boot_realtime_ns();
	data.tz_minuteswest = data.tz_dsttime = 0;
	uint32_t r[4];

	cpuid(0x80000000, 0, r);
	data.rdtscp = 0;
	if (r[0] >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		data.rdtscp = (r[3] >> 27) & 1;
	}
	data.clock_syscall = 0;
	frame_write(vvar_frame, 0, &data, sizeof(data));
	data.clock_syscall = 1;
	frame_write(vvar_ns_frame, 0, &data, sizeof(data));

	for (size_t i = 0; i < text_pages; i++) {
		size_t off = i * PAGE_SIZE;

		text_frames[i] = frame_alloc();
		if (!text_frames[i])
			panic("vdso_init: out of memory");
		frame_write(text_frames[i], 0, vdso_image_start + off,
			    MIN(size - off, PAGE_SIZE));
	}
}

/*
 * Frames are reached by copying (as fortress demands); with interrupts
 * off no reader on this CPU runs in the middle of the copy.
 */
static void vvar_write(size_t off, const void *v, size_t len)
{
	irqflags_t fl = irq_save();

	frame_write(vvar_frame, off, v, len);
	frame_write(vvar_ns_frame, off, v, len);
	irq_restore(fl);
}

void vdso_set_realtime(uint64_t boot_realtime_ns)
{
	vvar_write(offsetof(struct vvar_data, boot_realtime_ns),
		   &boot_realtime_ns, sizeof(boot_realtime_ns));
}

void vdso_set_timezone(int32_t minuteswest, int32_t dsttime)
{
	int32_t tz[2] = { minuteswest, dsttime };

	vvar_write(offsetof(struct vvar_data, tz_minuteswest), tz,
		   sizeof(tz));
}

size_t vdso_size(void)
{
	return VDSO_TEXT_OFFSET + text_pages * PAGE_SIZE;
}

int vdso_map_data(struct mmu_space *s, uintptr_t at, bool time_ns)
{
	paddr_t f = time_ns ? vvar_ns_frame : vvar_frame;

	frame_get(f);
	return mmu_map(s, at, f, MMU_READ);
}

int vdso_map(struct mmu_space *s, uintptr_t at, bool time_ns)
{
	int err = vdso_map_data(s, at, time_ns);

	for (size_t i = 0; !err && i < text_pages; i++) {
		frame_get(text_frames[i]);
		err = mmu_map(s, at + VDSO_TEXT_OFFSET + i * PAGE_SIZE,
			      text_frames[i], MMU_READ | MMU_EXEC);
	}
	return err;
}
