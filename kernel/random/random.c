/*
 * Random numbers: a ChaCha20 generator with fast key erasure, and the
 * getrandom(2) system call.
 *
 * How strong it is: the output is ChaCha20 keystream, so it is as hard to
 * predict as the 256-bit key is unknown. The key, though, is seeded only
 * from the TSC and the boot clocks (the RTC wall time, the monotonic clock
 * and the cycle counter at first use), then stirred with the cycle counter
 * on every call and with whatever user space writes to /dev/random. An
 * attacker who knows roughly when the machine booted can narrow that seed
 * to a search of perhaps 2^40..2^50 candidates under QEMU; treat the
 * output as unpredictable to casual observers and fine for AT_RANDOM stack
 * canaries, hash seeds and temporary names, not for long-term keys. After
 * each call the key is replaced by fresh keystream, so a later compromise
 * of the state does not reveal earlier output.
 */
#include <svc/random.h>
#include <kernel/syscall.h>
#include <kernel/signal.h>
#include <platform/cpu.h>
#include <platform/time.h>
#include <platform/frame.h>
#include <platform/usercopy.h>
#include <aramid/string.h>

#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002
#define GRND_INSECURE	0x0004

/* The most one getrandom(2) call returns (INT_MAX >> 6, as Linux 4.x). */
#define GETRANDOM_MAX	33554431UL

#define CHACHA_BLOCK	64	/* bytes of keystream per block */
#define CHACHA_KEY	32

static struct {
	uint32_t key[CHACHA_KEY / 4];
	uint64_t counter;
	bool seeded;
} crng;

static inline uint32_t rotl32(uint32_t v, unsigned n)
{
	return (v << n) | (v >> (32 - n));
}

#define QUARTER_ROUND(x, a, b, c, d)				\
	do {							\
		x[a] += x[b]; x[d] = rotl32(x[d] ^ x[a], 16);	\
		x[c] += x[d]; x[b] = rotl32(x[b] ^ x[c], 12);	\
		x[a] += x[b]; x[d] = rotl32(x[d] ^ x[a], 8);	\
		x[c] += x[d]; x[b] = rotl32(x[b] ^ x[c], 7);	\
	} while (0)

/* One 64-byte ChaCha20 block of @key at block @counter with @nonce. */
static void chacha20_block(const uint32_t key[8], uint64_t counter,
			   uint64_t nonce, uint32_t out[16])
{
	uint32_t in[16] = {
		0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,
		key[0], key[1], key[2], key[3],
		key[4], key[5], key[6], key[7],
		(uint32_t)counter, (uint32_t)(counter >> 32),
		(uint32_t)nonce, (uint32_t)(nonce >> 32),
	};
	uint32_t x[16];

	memcpy(x, in, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QUARTER_ROUND(x, 0, 4, 8, 12);
		QUARTER_ROUND(x, 1, 5, 9, 13);
		QUARTER_ROUND(x, 2, 6, 10, 14);
		QUARTER_ROUND(x, 3, 7, 11, 15);
		QUARTER_ROUND(x, 0, 5, 10, 15);
		QUARTER_ROUND(x, 1, 6, 11, 12);
		QUARTER_ROUND(x, 2, 7, 8, 13);
		QUARTER_ROUND(x, 3, 4, 9, 14);
	}
	for (int i = 0; i < 16; i++)
		out[i] = x[i] + in[i];
	memset(x, 0, sizeof(x));
	memset(in, 0, sizeof(in));
}

/* Replace the key with the next keystream block. Interrupts disabled. */
static void crng_rekey(uint64_t nonce)
{
	uint32_t block[16];

	chacha20_block(crng.key, crng.counter++, nonce, block);
	memcpy(crng.key, block, CHACHA_KEY);
	memset(block, 0, sizeof(block));
}

/* First use: a key from the clocks (see the top of this file). */
static void crng_seed(void)
{
	uint64_t seed[4] = {
		cpu_cycles(),
		clock_boot_realtime_ns(),
		clock_monotonic_ns(),
		(uintptr_t)&seed ^ cpu_cycles(),
	};

	memcpy(crng.key, seed, CHACHA_KEY);
	crng_rekey(cpu_cycles());
	crng.seeded = true;
}

void random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;
	uint32_t block[16];
	irqflags_t fl = irq_save();
	uint64_t nonce = cpu_cycles();

	if (!crng.seeded)
		crng_seed();
	while (n) {
		size_t len = MIN(n, (size_t)CHACHA_BLOCK);

		chacha20_block(crng.key, crng.counter++, nonce, block);
		memcpy(p, block, len);
		p += len;
		n -= len;
	}
	crng_rekey(nonce);
	irq_restore(fl);
	memset(block, 0, sizeof(block));
}

void random_mix(const void *buf, size_t n)
{
	const uint8_t *p = buf;
	irqflags_t fl = irq_save();

	if (!crng.seeded)
		crng_seed();
	while (n) {
		uint8_t chunk[CHACHA_KEY] = { 0 };
		uint32_t words[CHACHA_KEY / 4];
		size_t len = MIN(n, sizeof(chunk));

		memcpy(chunk, p, len);
		memcpy(words, chunk, sizeof(words));
		for (size_t i = 0; i < ARRAY_SIZE(words); i++)
			crng.key[i] ^= words[i];
		crng_rekey(cpu_cycles());
		p += len;
		n -= len;
	}
	irq_restore(fl);
}

/*
 * getrandom(buf, len, flags): the generator is usable from boot, so no
 * flag ever blocks or gives EAGAIN. Fills at most one user page per step,
 * so a fault stops at an exact page boundary, and checks for signals once
 * per page, returning what it filled so far.
 */
SYSCALL(__NR_getrandom, getrandom)(SYSCALL_ARGS)
{
	uptr_t ubuf = UPTR(a0);
	size_t len = (size_t)a1;
	unsigned flags = (unsigned)a2;
	uint8_t chunk[256];
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) ==
	    (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;
	if (len > GETRANDOM_MAX)
		len = GETRANDOM_MAX;
	if (!access_ok(ubuf, len))
		return -EFAULT;
	while (done < len) {
		uptr_t dst = uptr_add(ubuf, done);
		size_t to_page = PAGE_SIZE -
				 (uptr_to_ulong(dst) & (PAGE_SIZE - 1));
		size_t n = MIN(MIN(len - done, sizeof(chunk)), to_page);

		random_bytes(chunk, n);
		if (copy_to_user(dst, chunk, n))
			break;
		done += n;
		if (IS_ALIGNED(uptr_to_ulong(dst) + n, PAGE_SIZE) &&
		    signal_pending())
			break;
	}
	memset(chunk, 0, sizeof(chunk));
	if (done < len && !done)
		return signal_pending() ? -ERESTARTSYS : -EFAULT;
	return done;
}
