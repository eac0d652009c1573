/*
 * Linux native AIO's user structures and values (Linux's
 * include/uapi/linux/aio_abi.h, x86-64).
 */
#pragma once
#include <aramid/types.h>

/* A completion event, as io_getevents returns it and the ring holds it. */
struct io_event {
	uint64_t data;	/* the iocb's aio_data */
	uint64_t obj;	/* the iocb's user address */
	int64_t res;
	int64_t res2;
};

/* struct iocb (64 bytes, little-endian field order). */
struct iocb {
	uint64_t aio_data;
	uint32_t aio_key;
	int32_t aio_rw_flags;
	uint16_t aio_lio_opcode;
	int16_t aio_reqprio;
	uint32_t aio_fildes;
	uint64_t aio_buf;
	uint64_t aio_nbytes;
	int64_t aio_offset;
	uint64_t aio_reserved2;
	uint32_t aio_flags;
	uint32_t aio_resfd;
};

#define IOCB_CMD_PREAD		0
#define IOCB_CMD_PWRITE		1
#define IOCB_CMD_FSYNC		2
#define IOCB_CMD_FDSYNC		3
#define IOCB_CMD_POLL		5
#define IOCB_CMD_PREADV		7
#define IOCB_CMD_PWRITEV	8

#define IOCB_FLAG_RESFD		(1 << 0)
#define IOCB_FLAG_IOPRIO	(1 << 1)
