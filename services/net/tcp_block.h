/*
 * Private to the network service: a TCP send's bytes copied once, from
 * the sender's buffers into a block that the segments carrying them
 * reference (tcp_block.c), instead of into a bounce buffer that lwIP's
 * tcp_write copies again.
 */
#pragma once
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include <svc/uio.h>

struct tcp_block;

/* The most bytes a block holds: with its count, 8 pages of the heap. */
#define TCP_BLOCK_MAX	(8 * 4096 - 8)

/*
 * A block of @n bytes (at most TCP_BLOCK_MAX) filled from @uio, with one
 * reference, the caller's. NULL with *@err -ENOMEM, or -EFAULT when the
 * copy faulted (nothing is kept then; uio->resid tells what moved).
 */
struct tcp_block *tcp_block_fill(size_t n, struct uio *uio, int *err);

/* Drop the caller's reference to @b: freed with the last segment's. */
void tcp_block_put(struct tcp_block *b);

/*
 * tcp_write of @b's @len bytes on @pcb with lwIP's @apiflags (without
 * TCP_WRITE_FLAG_COPY): the segments reference the block, each of their
 * data pbufs holding a reference. Under the stack's lock, as tcp_write.
 */
err_t tcp_block_write(struct tcp_pcb *pcb, struct tcp_block *b, u16_t len,
		      u8_t apiflags);

/*
 * lwIP's tcp_out.c calls this in place of pbuf_alloc (the Makefile
 * renames its calls): while tcp_block_write runs, a PBUF_ROM pbuf for
 * the caller's data is one that references the block; else pbuf_alloc.
 */
struct pbuf *tcp_block_pbuf_alloc(pbuf_layer layer, u16_t length,
				  pbuf_type type);

/* Whether @p is a pbuf over a block's bytes, which nothing writes. */
bool tcp_block_pbuf(const struct pbuf *p);
