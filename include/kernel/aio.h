/*
 * Linux native asynchronous I/O (kernel/aio/): what the rest of ring 1
 * calls into it for.
 */
#pragma once

struct mm;

/*
 * fs.aio-max-nr, the most events all contexts may ask for together
 * (Linux's default 65536; any unsigned long may be written), and
 * fs.aio-nr, what the live contexts asked for.
 */
extern unsigned long aio_max_nr;
unsigned long aio_nr_get(void);
/*
 * The last reference to @mm is going (mm_put, before its areas are
 * unmapped; exit and exec): end every context it holds, as Linux's
 * exit_aio. Process context.
 */
void aio_mm_exit(struct mm *mm);
