/*
 * Host unit test of kernel/seccomp/bpf.c: the verifier's refusals
 * (each one limit Linux checks), the length loads, and the
 * interpreter's results for every ALU operation, jump, load and store,
 * the division by X = 0 ending with 0, and a program of BPF_MAXINSNS
 * instructions. Prints "N passed, N failed".
 */
#include <stdio.h>
#include <string.h>
#include "../../kernel/seccomp/bpf.h"
#include <uapi/errno.h>

static int passed, failed;
static uint16_t scratch[BPF_MAXINSNS];

static void expect(const char *what, long got, long want)
{
	if (got == want) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s: got %ld expected %ld\n", what, got, want);
}

#define I(c, k)		((struct sock_filter){ (c), 0, 0, (k) })
#define J(c, k, t, f)	((struct sock_filter){ (c), (t), (f), (k) })
#define RET(k)		I(BPF_RET | BPF_K, (k))

static int check(struct sock_filter *p, unsigned n)
{
	return seccomp_bpf_check(p, n, scratch);
}

/* A = @a op= @v with X (or K) as the operand, returned. */
static uint32_t alu(uint16_t op, uint32_t a, uint32_t v, bool use_x)
{
	struct sock_filter p[] = {
		I(BPF_LD | BPF_IMM, a),
		I(BPF_LDX | BPF_IMM, v),
		I(BPF_ALU | op | (use_x ? BPF_X : BPF_K), v),
		I(BPF_RET | BPF_A, 0),
	};
	struct seccomp_data d = { 0 };

	if (check(p, 4))
		return 0xdeadbeef;
	return seccomp_bpf_run(p, &d);
}

static void test_refusals(void)
{
	struct sock_filter p[4];

	p[0] = RET(1);
	expect("len 0", check(p, 0), -EINVAL);
	expect("one RET", check(p, 1), 0);
	p[0] = I(BPF_LD | BPF_W | BPF_ABS, 0);
	expect("no RET last", check(p, 1), -EINVAL);
	p[1] = RET(1);
	for (uint32_t k = 0; k < 80; k++) {
		p[0] = I(BPF_LD | BPF_W | BPF_ABS, k);
		expect("word loads: aligned, inside", check(p, 2),
		       k < 64 && !(k & 3) ? 0 : -EINVAL);
	}
	p[0] = I(BPF_ALU | BPF_DIV | BPF_K, 0);
	expect("DIV K 0", check(p, 2), -EINVAL);
	p[0] = I(BPF_ALU | BPF_RSH | BPF_K, 31);
	expect("RSH 31", check(p, 2), 0);
	p[0] = I(BPF_ALU | BPF_RSH | BPF_K, 32);
	expect("RSH 32", check(p, 2), -EINVAL);
	p[0] = I(BPF_ALU | BPF_MOD | BPF_K, 2);
	expect("MOD", check(p, 2), -EINVAL);
	p[0] = I(BPF_ST, 15);
	expect("ST 15", check(p, 2), 0);
	p[0] = I(BPF_STX, 16);
	expect("STX 16", check(p, 2), -EINVAL);
	p[0] = I(BPF_LDX | BPF_MEM, 0);
	expect("LDX MEM unstored", check(p, 2), -EINVAL);
	p[0] = I(BPF_JMP | BPF_JA, 0);
	expect("JA 0", check(p, 2), 0);
	p[0] = I(BPF_JMP | BPF_JA, 1);
	expect("JA past", check(p, 2), -EINVAL);
	p[0] = J(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 1);
	expect("JGT jf past", check(p, 2), -EINVAL);
	/* Stored on both paths: allowed. */
	p[0] = J(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1);
	p[1] = I(BPF_ST, 2);
	p[2] = I(BPF_LD | BPF_MEM, 2);
	p[3] = RET(1);
	expect("stored on one path", check(p, 4), -EINVAL);
	p[0] = I(BPF_ST, 2);
	expect("stored before the branch", check(p, 4), 0);
	p[0] = I(BPF_LD | BPF_W | BPF_LEN, 0);
	p[1] = I(BPF_RET | BPF_A, 0);
	expect("LEN load", check(p, 2), 0);
	expect("LEN kept as given", p[0].code, BPF_LD | BPF_W | BPF_LEN);
	struct seccomp_data d = { 0 };
	expect("LEN loads 64", seccomp_bpf_run(p, &d), 64);
	p[0] = I(BPF_LDX | BPF_W | BPF_LEN, 0);
	p[1] = I(BPF_MISC | BPF_TXA, 0);
	p[2] = I(BPF_RET | BPF_A, 0);
	expect("LDX LEN", check(p, 3), 0);
	expect("LDX LEN loads 64", seccomp_bpf_run(p, &d), 64);
}

static void test_run(void)
{
	struct seccomp_data d = { .nr = 39, .arch = AUDIT_ARCH_X86_64,
				  .instruction_pointer = 0x1122334455667788,
				  .args = { 0xaabbccdd00000042 } };
	struct sock_filter p[] = {
		I(BPF_LD | BPF_W | BPF_ABS, 12),	/* ip high word */
		I(BPF_ST, 0),
		I(BPF_LDX | BPF_MEM, 0),
		I(BPF_LD | BPF_W | BPF_ABS, 20),	/* args[0] high */
		J(BPF_JMP | BPF_JEQ | BPF_K, 0xaabbccdd, 0, 2),
		I(BPF_MISC | BPF_TXA, 0),
		I(BPF_RET | BPF_A, 0),
		RET(7),
	};

	expect("ADD", alu(BPF_ADD, 5, 7, false), 12);
	expect("SUB wraps", alu(BPF_SUB, 5, 7, true), (uint32_t)-2);
	expect("MUL", alu(BPF_MUL, 0x10000, 0x10000, false), 0);
	expect("DIV", alu(BPF_DIV, 100, 7, true), 14);
	expect("DIV X 0 ends with 0", alu(BPF_DIV, 100, 0, true), 0);
	expect("AND", alu(BPF_AND, 0xf0f0, 0xff00, false), 0xf000);
	expect("OR", alu(BPF_OR, 0xf0f0, 0x0f00, true), 0xfff0);
	expect("XOR", alu(BPF_XOR, 0xff, 0x0f, false), 0xf0);
	expect("LSH", alu(BPF_LSH, 1, 31, false), 0x80000000u);
	expect("RSH X", alu(BPF_RSH, 0x80000000u, 31, true), 1);
	expect("NEG", alu(BPF_NEG, 5, 0, false), (uint32_t)-5);
	expect("loads, scratch, TXA", check(p, 8), 0);
	expect("loads, scratch, TXA run", seccomp_bpf_run(p, &d), 0x11223344);
	d.args[0] = 0x42;
	expect("branch not taken", seccomp_bpf_run(p, &d), 7);

	static struct sock_filter big[BPF_MAXINSNS];
	for (unsigned i = 0; i + 1 < BPF_MAXINSNS; i++)
		big[i] = I(BPF_ALU | BPF_ADD | BPF_K, 1);
	big[BPF_MAXINSNS - 1] = I(BPF_RET | BPF_A, 0);
	expect("BPF_MAXINSNS", check(big, BPF_MAXINSNS), 0);
	expect("BPF_MAXINSNS run", seccomp_bpf_run(big, &d), BPF_MAXINSNS - 1);
	expect("BPF_MAXINSNS + 1", check(big, BPF_MAXINSNS + 1), -EINVAL);
}

int main(void)
{
	test_refusals();
	test_run();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
