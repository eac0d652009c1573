/*
 * The classic BPF of seccomp filters: the verifier Linux applies to a
 * filter before it is attached (net/core/filter.c's classic checks, then
 * kernel/seccomp.c's narrower opcode list) and the interpreter that runs
 * one on a struct seccomp_data. 32-bit accumulator A, index X and
 * BPF_MEMWORDS scratch words, all starting at 0 (as Linux's conversion
 * clears A and X); a length load gives the size of struct seccomp_data;
 * a division by X when X is 0 ends the program with 0, as classic BPF
 * always did. A checked program is kept as it was given, which is what
 * PTRACE_SECCOMP_GET_FILTER returns.
 */
#include <uapi/errno.h>
#include "bpf.h"

/* The instructions a seccomp filter may contain. */
static bool code_allowed(uint16_t code)
{
	switch (code) {
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_ADD | BPF_K:
	case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K:
	case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K:
	case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_K:
	case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K:
	case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K:
	case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K:
	case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_X:
		return true;
	default:
		return false;
	}
}

static bool is_cond_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

static bool uses_scratch(uint16_t code)
{
	return code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_MEM) ||
	       code == BPF_ST || code == BPF_STX;
}

/* One instruction's own limits: 0 or -EINVAL. */
static int check_insn(const struct sock_filter *f, unsigned pc,
		      unsigned len)
{
	if (!code_allowed(f->code))
		return -EINVAL;
	if (f->code == (BPF_LD | BPF_W | BPF_ABS))
		return f->k < sizeof(struct seccomp_data) && !(f->k & 3) ?
		       0 : -EINVAL;
	if (f->code == (BPF_ALU | BPF_DIV | BPF_K))
		return f->k ? 0 : -EINVAL;
	if (f->code == (BPF_ALU | BPF_LSH | BPF_K) ||
	    f->code == (BPF_ALU | BPF_RSH | BPF_K))
		return f->k < 32 ? 0 : -EINVAL;
	if (uses_scratch(f->code))
		return f->k < BPF_MEMWORDS ? 0 : -EINVAL;
	if (f->code == (BPF_JMP | BPF_JA))
		return f->k < len - pc - 1 ? 0 : -EINVAL;
	if (is_cond_jump(f->code))
		return pc + f->jt + 1 < len && pc + f->jf + 1 < len ?
		       0 : -EINVAL;
	return 0;
}

/*
 * Every load of a scratch word follows a store to it on each path that
 * reaches it. Jumps only go forward, so one pass carries the set of
 * stored words along: @valid[pc] is what all jumps to pc agree on.
 */
static int check_scratch(const struct sock_filter *prog, unsigned len,
			 uint16_t *valid)
{
	uint16_t stored = 0;

	for (unsigned pc = 0; pc < len; pc++)
		valid[pc] = 0xffff;
	for (unsigned pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];

		stored &= valid[pc];
		if (f->code == BPF_ST || f->code == BPF_STX) {
			stored |= 1u << f->k;
		} else if (f->code == (BPF_LD | BPF_MEM) ||
			   f->code == (BPF_LDX | BPF_MEM)) {
			if (!(stored & (1u << f->k)))
				return -EINVAL;
		} else if (f->code == (BPF_JMP | BPF_JA)) {
			valid[pc + 1 + f->k] &= stored;
			stored = 0xffff;
		} else if (is_cond_jump(f->code)) {
			valid[pc + 1 + f->jt] &= stored;
			valid[pc + 1 + f->jf] &= stored;
			stored = 0xffff;
		}
	}
	return 0;
}

/* See bpf.h. */
int seccomp_bpf_check(const struct sock_filter *prog, unsigned len,
		      uint16_t *scratch)
{
	uint16_t last;

	if (len == 0 || len > BPF_MAXINSNS)
		return -EINVAL;
	for (unsigned pc = 0; pc < len; pc++)
		if (check_insn(&prog[pc], pc, len))
			return -EINVAL;
	last = prog[len - 1].code;
	if (last != (BPF_RET | BPF_K) && last != (BPF_RET | BPF_A))
		return -EINVAL;
	return check_scratch(prog, len, scratch);
}

/* The 32-bit word of @data at byte offset @k (checked: aligned, inside). */
static uint32_t data_word(const struct seccomp_data *data, uint32_t k)
{
	const uint32_t *w = (const uint32_t *)data;

	return w[k / 4];
}

/* A op= @v for ALU operation @op (never a DIV by 0: the caller checks). */
static uint32_t alu(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case BPF_ADD:	return a + v;
	case BPF_SUB:	return a - v;
	case BPF_MUL:	return a * v;
	case BPF_DIV:	return a / v;
	case BPF_AND:	return a & v;
	case BPF_OR:	return a | v;
	case BPF_XOR:	return a ^ v;
	case BPF_LSH:	return a << (v & 31);
	case BPF_RSH:	return a >> (v & 31);
	default:	return -a;		/* BPF_NEG */
	}
}

static bool jump_taken(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case BPF_JEQ:	return a == v;
	case BPF_JGT:	return a > v;
	case BPF_JGE:	return a >= v;
	default:	return (a & v) != 0;	/* BPF_JSET */
	}
}

/* See bpf.h. */
uint32_t seccomp_bpf_run(const struct sock_filter *prog,
			 const struct seccomp_data *data)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };

	for (unsigned pc = 0;; pc++) {
		const struct sock_filter *f = &prog[pc];
		uint32_t v = BPF_SRC(f->code) == BPF_X ? x : f->k;

		switch (BPF_CLASS(f->code)) {
		case BPF_RET:
			return BPF_RVAL(f->code) == BPF_A ? a : f->k;
		case BPF_LD:
			a = BPF_MODE(f->code) == BPF_ABS ? data_word(data, f->k) :
			    BPF_MODE(f->code) == BPF_MEM ? mem[f->k] :
			    BPF_MODE(f->code) == BPF_LEN ? sizeof(*data) : f->k;
			break;
		case BPF_LDX:
			x = BPF_MODE(f->code) == BPF_MEM ? mem[f->k] :
			    BPF_MODE(f->code) == BPF_LEN ? sizeof(*data) : f->k;
			break;
		case BPF_ST:
			mem[f->k] = a;
			break;
		case BPF_STX:
			mem[f->k] = x;
			break;
		case BPF_ALU:
			if (BPF_OP(f->code) == BPF_DIV && v == 0)
				return 0;
			a = alu(BPF_OP(f->code), a, v);
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA)
				pc += f->k;
			else
				pc += jump_taken(BPF_OP(f->code), a, v) ?
				      f->jt : f->jf;
			break;
		default:			/* BPF_MISC */
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		}
	}
}
