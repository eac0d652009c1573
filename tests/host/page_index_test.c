/*
 * Host unit test of the sparse page index (kernel/mm/page_index.c),
 * built by tests/host/run_page_index.sh under AddressSanitizer and UBSan:
 * seeded random inserts, erases, lookups and range searches checked
 * against a plain array of the entries, the node count checked against
 * the shape the index promises (one node per used 64^L-aligned group at
 * each level up to the least height), and every allocation made to fail
 * in turn to prove a refused insert leaves the index as it was.
 */
#include <svc/page_index.h>
#include <platform/heap.h>
#include <uapi/errno.h>
#include "host_check.h"

/* The few C library functions used: the kernel headers clash with the
 * host's own. */
void *calloc(size_t n, size_t size);
void free(void *p);
int dprintf(int fd, const char *fmt, ...);

static long allocs_live;
static long allocs_left = -1;	/* kzalloc fails when this reaches 0 */

void *kzalloc(size_t size)
{
	void *p;

	if (allocs_left == 0)
		return NULL;
	if (allocs_left > 0)
		allocs_left--;
	p = calloc(1, size);
	if (p)
		allocs_live++;
	return p;
}

void *kmalloc(size_t size)
{
	return kzalloc(size);
}

void kfree(const void *p)
{
	if (p)
		allocs_live--;
	free((void *)p);
}

/* The reference: the entries present, unordered. */
#define MODEL_MAX	600
static uint64_t keys[MODEL_MAX];
static paddr_t vals[MODEL_MAX];
static unsigned nkeys;

static int model_find(uint64_t idx)
{
	for (unsigned i = 0; i < nkeys; i++)
		if (keys[i] == idx)
			return (int)i;
	return -1;
}

static bool model_present(uint64_t idx)
{
	return model_find(idx) >= 0;
}

/* The least present index in [a, b], if any. */
static bool model_next_present(uint64_t a, uint64_t b, uint64_t *out)
{
	bool found = false;

	for (unsigned i = 0; i < nkeys; i++) {
		if (keys[i] >= a && keys[i] <= b && (!found || keys[i] < *out)) {
			*out = keys[i];
			found = true;
		}
	}
	return found;
}

/* The least hole in [a, b], if any: at most nkeys steps. */
static bool model_next_hole(uint64_t a, uint64_t b, uint64_t *out)
{
	for (uint64_t i = a;; i++) {
		if (!model_present(i)) {
			*out = i;
			return true;
		}
		if (i == b)
			return false;
	}
}

/* The nodes the index should hold for the model's entries. */
static long model_nodes(void)
{
	uint64_t max = 0, seen[MODEL_MAX];
	unsigned h = 0, bits;
	long total = 0;

	for (unsigned i = 0; i < nkeys; i++)
		max = keys[i] > max ? keys[i] : max;
	bits = max ? 64 - (unsigned)__builtin_clzll(max) : 0;
	h = (bits + 5) / 6;
	for (unsigned level = 1; level <= h; level++) {
		unsigned n = 0;

		for (unsigned i = 0; i < nkeys; i++) {
			uint64_t g = 6 * level >= 64 ? 0 : keys[i] >> (6 * level);
			unsigned j;

			for (j = 0; j < n && seen[j] != g; j++)
				;
			if (j == n)
				seen[n++] = g;
		}
		total += n;
	}
	return total;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	return xorshift64(&rng_state);
}

/* A page index from a mix of small files, large ones and the edges. */
static uint64_t random_index(void)
{
	static const uint64_t edges[] = {
		0, 1, 63, 64, 65, 4095, 4096, 262143, 262144,
		(1ULL << 51) - 1, 1ULL << 51, 1ULL << 60, (1ULL << 60) - 1,
		UINT64_MAX, UINT64_MAX - 1, UINT64_MAX - 63, 1ULL << 63,
	};
	uint64_t r = rnd();

	switch (r % 6) {
	case 0:
		return edges[(r >> 8) % (sizeof(edges) / sizeof(edges[0]))];
	case 1:
	case 2:
		return (r >> 8) % 200;
	case 3:
		return (r >> 8) % (1U << 20);
	case 4:
		return (1ULL << 40) + (r >> 8) % 300;
	default:
		return rnd() >> (rnd() % 64);
	}
}

/* Every entry of the model is in the index, and its count and shape. */
static void check_all(const struct page_index *pi)
{
	bool ok = page_index_count(pi) == nkeys;

	for (unsigned i = 0; i < nkeys && ok; i++)
		ok = page_index_lookup(pi, keys[i]) == vals[i];
	EXPECT(ok);
	EXPECT(allocs_live == model_nodes());
}

static void check_ranges(const struct page_index *pi)
{
	for (int n = 0; n < 8; n++) {
		uint64_t a = random_index(), b = random_index();
		uint64_t got = a, want = 0;
		paddr_t frame = 0;
		bool found;

		if (a > b) {
			uint64_t t = a;

			a = b;
			b = t;
			got = a;
		}
		found = page_index_next_present(pi, &got, b, &frame);
		EXPECT(found == model_next_present(a, b, &want));
		EXPECT(!found || (got == want && frame == vals[model_find(want)]));
		EXPECT(found || got == a);
		got = a;
		found = page_index_next_hole(pi, &got, b);
		EXPECT(found == model_next_hole(a, b, &want));
		EXPECT(!found || got == want);
		EXPECT(page_index_lookup(pi, a) ==
		      (model_present(a) ? vals[model_find(a)] : 0));
	}
}

/* An insert refused by a failed allocation changes nothing. */
static void check_failed_insert(struct page_index *pi, uint64_t idx)
{
	long live = allocs_live;
	int err = 0;

	for (long budget = 0; budget < 22; budget++) {
		allocs_left = budget;
		err = page_index_insert(pi, idx, 0x5000);
		allocs_left = -1;
		if (err != -ENOMEM)
			break;
		EXPECT(allocs_live == live);
		EXPECT(page_index_lookup(pi, idx) == 0);
		check_all(pi);
	}
	if (err == 0)		/* it fitted in a budget: take it out again */
		EXPECT(page_index_erase(pi, idx) == 0x5000);
	EXPECT(err == 0 || err == -EEXIST);
	check_all(pi);
}

static void test_random(void)
{
	struct page_index pi = { 0 };

	for (int round = 0; round < 40000; round++) {
		uint64_t idx = random_index();
		int at = model_find(idx);
		unsigned op = (unsigned)(rnd() % 10);

		if (op < 5 && nkeys < MODEL_MAX) {
			paddr_t frame = (rnd() | 1) & 0xffffffffff000ULL;
			int err;

			frame = frame ? frame : 0x1000;
			if (at < 0 && op == 0) {
				check_failed_insert(&pi, idx);
				continue;
			}
			err = page_index_insert(&pi, idx, frame);
			EXPECT(err == (at >= 0 ? -EEXIST : 0));
			if (at < 0 && !err) {
				keys[nkeys] = idx;
				vals[nkeys++] = frame;
			}
		} else if (op < 8 || nkeys == MODEL_MAX) {
			/* Erase mostly entries that exist. */
			if (nkeys && op != 7) {
				at = (int)(rnd() % nkeys);
				idx = keys[at];
			}
			EXPECT(page_index_erase(&pi, idx) ==
			      (at >= 0 ? vals[at] : 0));
			if (at >= 0) {
				keys[at] = keys[--nkeys];
				vals[at] = vals[nkeys];
			}
		} else {
			check_ranges(&pi);
		}
		if (round % 64 == 0)
			check_all(&pi);
	}
	check_all(&pi);
	/* Empty it through a walk, as a truncate does. */
	for (uint64_t i = 0; page_index_next_present(&pi, &i, UINT64_MAX,
						     &(paddr_t){ 0 });) {
		int at = model_find(i);

		EXPECT(at >= 0 && page_index_erase(&pi, i) == vals[at]);
		keys[at] = keys[--nkeys];
		vals[at] = vals[nkeys];
		if (i == UINT64_MAX)
			break;
		i++;
	}
	EXPECT(nkeys == 0);
	check_all(&pi);
	EXPECT(pi.height == 0 && pi.root == 0);
	CHECK(wrong == 0);	/* 40,000 operations as the model says */
}

/* The cases named in the interface, one by one. */
static void test_edges(void)
{
	struct page_index pi = { 0 };
	uint64_t i;

	CHECK(page_index_insert(&pi, 7, 0) == -EINVAL);
	CHECK(page_index_insert(&pi, 0, 0x1000) == 0);
	CHECK(allocs_live == 0 && pi.height == 0);	/* in the root */
	CHECK(page_index_insert(&pi, 0, 0x2000) == -EEXIST);
	CHECK(page_index_insert(&pi, 63, 0x2000) == 0);
	CHECK(allocs_live == 1 && pi.height == 1);
	/* One byte at 100 GiB: a path of 5 nodes, not 26 million slots. */
	CHECK(page_index_insert(&pi, 100ULL << 18, 0x3000) == 0);
	CHECK(pi.height == 5 && allocs_live == 1 + 4 + 4);
	CHECK(page_index_lookup(&pi, 100ULL << 18) == 0x3000);
	CHECK(page_index_lookup(&pi, (100ULL << 18) + 1) == 0);
	i = 64;
	CHECK(page_index_next_present(&pi, &i, UINT64_MAX, &(paddr_t){ 0 }) &&
	      i == 100ULL << 18);
	i = 0;
	CHECK(page_index_next_hole(&pi, &i, UINT64_MAX) && i == 1);
	i = 100ULL << 18;
	CHECK(page_index_next_hole(&pi, &i, UINT64_MAX) &&
	      i == (100ULL << 18) + 1);
	i = 1ULL << 30;		/* past the tree of height 5 */
	CHECK(page_index_next_hole(&pi, &i, UINT64_MAX) && i == 1ULL << 30);
	CHECK(!page_index_next_present(&pi, &i, UINT64_MAX, &(paddr_t){ 0 }) &&
	      i == 1ULL << 30);
	CHECK(page_index_erase(&pi, 100ULL << 18) == 0x3000);
	CHECK(pi.height == 1 && allocs_live == 1);	/* lowered again */
	CHECK(page_index_erase(&pi, 63) == 0x2000);
	CHECK(pi.height == 0 && allocs_live == 0 && pi.root == 0x1000);
	/* The whole 64-bit range. */
	CHECK(page_index_insert(&pi, UINT64_MAX, 0x4000) == 0);
	CHECK(pi.height == 11 && page_index_lookup(&pi, UINT64_MAX) == 0x4000);
	i = 1;
	CHECK(page_index_next_present(&pi, &i, UINT64_MAX, &(paddr_t){ 0 }) &&
	      i == UINT64_MAX);
	CHECK(!page_index_next_hole(&pi, &i, UINT64_MAX));
	CHECK(page_index_erase(&pi, 0) == 0x1000);
	CHECK(page_index_erase(&pi, UINT64_MAX) == 0x4000);
	CHECK(pi.height == 0 && pi.root == 0 && pi.count == 0 &&
	      allocs_live == 0);
}

int main(void)
{
	test_edges();
	test_random();
	return host_check_done();
}
