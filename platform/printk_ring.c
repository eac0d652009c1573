/*
 * The kernel log's records: a descriptor ring indexed by sequence number
 * (seq % LOG_DESCS) and a text ring of LOG_BUF_LEN bytes, each record's
 * text contiguous in it, as Linux's printk_ringbuffer keeps them. A new
 * record that finds no room drops the oldest ones, so the first
 * available sequence number moves on. Text positions are counted from
 * boot (a position's byte is at pos % LOG_BUF_LEN); a text that would
 * cross the end of the ring starts at its beginning instead. As in
 * Linux, the newest record may be open (a user's text without a
 * newline): readers see it only once the next one is stored.
 *
 * Writers run with interrupts disabled under the kernel lock, readers
 * disable interrupts while they copy, so each sees whole records.
 */
#include <platform/printk.h>
#include <platform/cpu.h>
#include <aramid/string.h>
#include "printk_ring.h"

/* One descriptor per 32 bytes of text, as Linux's PRB_AVGBITS. */
#define LOG_DESCS	(LOG_BUF_LEN / 32)

struct log_desc {
	uint64_t begin;		/* text position of its first byte */
	uint64_t ts_ns;
	uint16_t len;
	uint8_t level;
	uint8_t facility;
};

static char log_text[LOG_BUF_LEN];
static struct log_desc log_descs[LOG_DESCS];
static uint64_t first_seq;	/* the oldest record */
static uint64_t next_seq;	/* the record after the newest */
static uint64_t clear_seq;	/* the first after the last syslog clear */
static uint64_t text_head;	/* text position after the newest record */
static uint64_t reserved;	/* text position of the reserved room */
static bool last_open;		/* the newest record is not yet final */

/* The record after the newest one readers may see. */
static uint64_t final_next(void)
{
	return next_seq - last_open;
}

/* The record @seq's header. */
static void desc_info(uint64_t seq, struct printk_info *info)
{
	const struct log_desc *d = &log_descs[seq % LOG_DESCS];

	info->seq = seq;
	info->ts_ns = d->ts_ns;
	info->len = d->len;
	info->level = d->level;
	info->facility = d->facility;
}

/* See printk_ring.h. Interrupts disabled. */
char *ring_reserve(size_t size)
{
	uint64_t begin = text_head;
	uint64_t off = begin % LOG_BUF_LEN;

	if (off + size > LOG_BUF_LEN)
		begin += LOG_BUF_LEN - off;
	/*
	 * A record from begin + size - LOG_BUF_LEN on shares no byte with
	 * the new text: both lie in one window of LOG_BUF_LEN bytes.
	 */
	while (first_seq < next_seq &&
	       (next_seq - first_seq == LOG_DESCS ||
		log_descs[first_seq % LOG_DESCS].begin + LOG_BUF_LEN <
			begin + size))
		first_seq++;
	reserved = begin;
	return &log_text[begin % LOG_BUF_LEN];
}

/* See printk_ring.h. Interrupts disabled. */
uint64_t ring_commit(size_t len, uint8_t facility, uint8_t level,
		     uint64_t ts_ns, bool open)
{
	struct log_desc *d = &log_descs[next_seq % LOG_DESCS];

	d->begin = reserved;
	d->ts_ns = ts_ns;
	d->len = (uint16_t)len;
	d->level = level;
	d->facility = facility;
	text_head = reserved + len;
	last_open = open;
	return next_seq++;
}

/* See printk_ring.h. Interrupts disabled. */
bool ring_close(struct printk_info *info, const char **text)
{
	if (!last_open)
		return false;
	last_open = false;
	desc_info(next_seq - 1, info);
	*text = &log_text[log_descs[info->seq % LOG_DESCS].begin % LOG_BUF_LEN];
	return true;
}

bool printk_read(uint64_t seq, struct printk_info *info, char *text)
{
	irqflags_t fl = irq_save();
	bool found = false;

	if (seq < first_seq)
		seq = first_seq;
	if (seq < final_next()) {
		desc_info(seq, info);
		if (text)
			memcpy(text, &log_text[log_descs[seq % LOG_DESCS].begin %
					       LOG_BUF_LEN], info->len);
		found = true;
	}
	irq_restore(fl);
	return found;
}

uint64_t printk_first_seq(void)
{
	return __atomic_load_n(&first_seq, __ATOMIC_RELAXED);
}

uint64_t printk_next_seq(void)
{
	irqflags_t fl = irq_save();
	uint64_t next = final_next();

	irq_restore(fl);
	return next;
}

uint64_t printk_clear_seq(void)
{
	return __atomic_load_n(&clear_seq, __ATOMIC_RELAXED);
}

void printk_set_clear_seq(uint64_t seq)
{
	__atomic_store_n(&clear_seq, seq, __ATOMIC_RELAXED);
}
