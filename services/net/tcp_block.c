/*
 * A TCP send copied once. sendmsg copies the sender's bytes into a
 * block and hands lwIP's tcp_write the block without its copy flag:
 * lwIP then makes a PBUF_ROM pbuf for each run of the data it puts in a
 * segment, allocated here instead (tcp_out.c's pbuf_alloc is renamed to
 * tcp_block_pbuf_alloc, see the Makefile) as a custom pbuf that holds a
 * reference to the block. The block lives until the last pbuf over it
 * is freed: by lwIP once the bytes are acknowledged, or by whoever else
 * holds it (loopback shares a segment's data with the receiver, loop.c).
 * Nothing writes a block after it is filled.
 *
 * The stack runs under one lock (lwipopts.h), so the block being written
 * is a file-scope variable, set only while tcp_block_write runs.
 */
#include "tcp_block.h"
#include <platform/heap.h>
#include <uapi/errno.h>

struct tcp_block {
	unsigned long refs;
	u8_t data[];
};

/* A pbuf over part of a block: lwIP frees it as a pbuf. */
struct block_ref {
	struct pbuf_custom pc;	/* first */
	struct tcp_block *b;
};

static struct tcp_block *writing;	/* tcp_block_write's block */

/* See tcp_block.h. */
struct tcp_block *tcp_block_fill(size_t n, struct uio *uio, int *err)
{
	struct tcp_block *b = kmalloc(sizeof(*b) + n);

	if (!b) {
		*err = -ENOMEM;
		return NULL;
	}
	b->refs = 1;
	*err = uiomove(b->data, n, uio);
	if (*err) {
		kfree(b);
		return NULL;
	}
	return b;
}

/* See tcp_block.h. */
void tcp_block_put(struct tcp_block *b)
{
	if (!--b->refs)
		kfree(b);
}

static void block_ref_free(struct pbuf *p)
{
	struct block_ref *r = (struct block_ref *)p;

	tcp_block_put(r->b);
	kfree(r);
}

/* See tcp_block.h. */
err_t tcp_block_write(struct tcp_pcb *pcb, struct tcp_block *b, u16_t len,
		      u8_t apiflags)
{
	err_t err;

	writing = b;
	err = tcp_write(pcb, b->data, len,
			(u8_t)(apiflags & ~TCP_WRITE_FLAG_COPY));
	writing = NULL;
	return err;
}

/*
 * See tcp_block.h. lwIP sets the payload of the PBUF_ROM pbufs it asks
 * for itself (struct pbuf_rom is the start of struct pbuf), to data
 * within the block it was given.
 */
struct pbuf *tcp_block_pbuf_alloc(pbuf_layer layer, u16_t length,
				  pbuf_type type)
{
	struct block_ref *r;
	struct pbuf *p;

	if (type != PBUF_ROM || !writing)
		return pbuf_alloc(layer, length, type);
	r = kmalloc(sizeof(*r));
	if (!r)
		return NULL;
	r->pc.custom_free_function = block_ref_free;
	/* Headers go in a pbuf of their own before it: no room for them. */
	p = pbuf_alloced_custom(PBUF_RAW, length, PBUF_REF, &r->pc, NULL,
				length);
	if (!p) {
		kfree(r);
		return NULL;
	}
	r->b = writing;
	writing->refs++;
	return p;
}

/* See tcp_block.h. */
bool tcp_block_pbuf(const struct pbuf *p)
{
	return (p->flags & PBUF_FLAG_IS_CUSTOM) &&
		((const struct pbuf_custom *)p)->custom_free_function ==
		block_ref_free;
}
