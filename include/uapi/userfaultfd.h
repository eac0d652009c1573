/* Linux x86-64 ABI of userfaultfd(2): <linux/userfaultfd.h>. */
#pragma once
#include <aramid/types.h>

#define UFFD_USER_MODE_ONLY	1	/* userfaultfd(2)'s own flag */

#define UFFD_API		0xAAULL

#define UFFDIO_API		0xC018AA3FU	/* _IOWR(0xAA, 0x3F, uffdio_api) */
#define UFFDIO_REGISTER		0xC020AA00U
#define UFFDIO_UNREGISTER	0x8010AA01U	/* _IOR(0xAA, 0x01, uffdio_range) */
#define UFFDIO_WAKE		0x8010AA02U
#define UFFDIO_COPY		0xC028AA03U
#define UFFDIO_ZEROPAGE		0xC020AA04U
#define USERFAULTFD_IOC_NEW	0x0000AA00U	/* /dev/userfaultfd: _IO(0xAA, 0) */

/* The bit of each ioctl in uffdio_api.ioctls and uffdio_register.ioctls. */
#define _UFFDIO_REGISTER	0x00
#define _UFFDIO_UNREGISTER	0x01
#define _UFFDIO_WAKE		0x02
#define _UFFDIO_COPY		0x03
#define _UFFDIO_ZEROPAGE	0x04
#define _UFFDIO_WRITEPROTECT	0x06
#define _UFFDIO_CONTINUE	0x07
#define _UFFDIO_API		0x3F

#define UFFD_EVENT_PAGEFAULT	0x12

#define UFFD_PAGEFAULT_FLAG_WRITE	(1U << 0)

#define UFFD_FEATURE_PAGEFAULT_FLAG_WP	(1U << 0)
#define UFFD_FEATURE_EVENT_FORK		(1U << 1)
#define UFFD_FEATURE_EVENT_REMAP	(1U << 2)
#define UFFD_FEATURE_EVENT_REMOVE	(1U << 3)
#define UFFD_FEATURE_MISSING_HUGETLBFS	(1U << 4)
#define UFFD_FEATURE_MISSING_SHMEM	(1U << 5)
#define UFFD_FEATURE_EVENT_UNMAP	(1U << 6)
#define UFFD_FEATURE_SIGBUS		(1U << 7)
#define UFFD_FEATURE_THREAD_ID		(1U << 8)
#define UFFD_FEATURE_MINOR_HUGETLBFS	(1U << 9)
#define UFFD_FEATURE_MINOR_SHMEM	(1U << 10)
#define UFFD_FEATURE_EXACT_ADDRESS	(1U << 11)

#define UFFDIO_REGISTER_MODE_MISSING	(1ULL << 0)
#define UFFDIO_REGISTER_MODE_WP		(1ULL << 1)
#define UFFDIO_REGISTER_MODE_MINOR	(1ULL << 2)

#define UFFDIO_COPY_MODE_DONTWAKE	(1ULL << 0)
#define UFFDIO_COPY_MODE_WP		(1ULL << 1)
#define UFFDIO_ZEROPAGE_MODE_DONTWAKE	(1ULL << 0)

/* A fault report, 32 bytes as read(2) returns it. */
struct uffd_msg {
	uint8_t event;
	uint8_t reserved1;
	uint16_t reserved2;
	uint32_t reserved3;
	union {
		struct {
			uint64_t flags;
			uint64_t address;
			uint32_t ptid;
		} __attribute__((packed)) pagefault;
		uint64_t reserved[3];
	} arg;
} __attribute__((packed));

struct uffdio_api {
	uint64_t api;
	uint64_t features;
	uint64_t ioctls;
};

struct uffdio_range {
	uint64_t start;
	uint64_t len;
};

struct uffdio_register {
	struct uffdio_range range;
	uint64_t mode;
	uint64_t ioctls;	/* written by the kernel, never read */
};

struct uffdio_copy {
	uint64_t dst;
	uint64_t src;
	uint64_t len;
	uint64_t mode;
	int64_t copy;		/* written by the kernel, never read */
};

struct uffdio_zeropage {
	struct uffdio_range range;
	uint64_t mode;
	int64_t zeropage;	/* written by the kernel, never read */
};
