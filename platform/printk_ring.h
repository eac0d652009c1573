/*
 * Private to platform/printk*.c: storing a record in the log ring
 * (printk_ring.c). A writer closes the record before, reserves room,
 * fills in the text and commits, all with interrupts disabled, so that
 * nothing else stores in between.
 */
#pragma once
#include <platform/printk.h>

/*
 * Room for a text of @size bytes (at most LOG_LINE_MAX), contiguous in
 * the ring, dropping the oldest records that held it. Returns where the
 * text goes; ring_commit makes it a record.
 */
char *ring_reserve(size_t size);
/*
 * The text reserved last, @len bytes of it (no more than reserved), as a
 * record of @facility and @level made at @ts_ns: its sequence number.
 * An @open record is not yet for readers (Linux's prb_commit without
 * finalizing: a text without its newline), until ring_close.
 */
uint64_t ring_commit(size_t len, uint8_t facility, uint8_t level,
		     uint64_t ts_ns, bool open);
/*
 * Make the newest record final if it was open: true, its header into
 * *@info and where its text is into *@text. Call before ring_reserve.
 */
bool ring_close(struct printk_info *info, const char **text);
