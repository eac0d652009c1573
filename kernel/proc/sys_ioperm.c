/*
 * ioperm(2) and iopl(2) as Linux 5.5+ has them (arch/x86/kernel/ioport.c):
 * a per-thread I/O permission bitmap that the platform loads into the
 * TSS while the thread runs, shared after fork until either side changes
 * it; iopl(3) is emulated as every port allowed, levels 1 and 2 as none,
 * and the CPU's IOPL stays 0 (cli and sti keep faulting). Process
 * context, the calling thread's own state.
 */
#include <kernel/ioport.h>
#include <kernel/mm.h>
#include <kernel/task.h>
#include <kernel/vfs.h>
#include <kernel/cred.h>
#include <kernel/syscall.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <platform/printk.h>
#include <platform/usercopy.h>
#include <aramid/string.h>

/* A bitmap and its sharers (Linux's struct io_bitmap). */
struct io_ports {
	int refcount;
	struct cpu_io_bitmap bm;
};

/* iopl(3)'s: every port, a sequence number no bitmap is given. */
static struct cpu_io_bitmap all_ports = { .seq = 1, .bytes = CPU_IO_BYTES };
static uint64_t io_seq = 1;

/* What @t may use: iopl 3's every port, else its bitmap's, else none. */
static void io_update(struct task *t)
{
	cpu_thread_set_io(&t->cpu, t->iopl == 3 ? &all_ports :
			  t->io_ports ? &t->io_ports->bm : NULL);
}

static void io_put(struct io_ports *io)
{
	if (io && --io->refcount == 0)
		kfree(io);
}

/* See include/kernel/ioport.h. */
void ioport_fork(struct task *c, const struct task *p)
{
	c->io_ports = p->io_ports;
	if (c->io_ports)
		c->io_ports->refcount++;
	c->iopl = p->iopl;
	c->iopl_warned = false;
	io_update(c);
}

/*
 * Linux's print_vma_addr: " in NAME[start+size]" for the file mapping
 * that holds @ip, into @buf of @len; "" for anything else.
 */
static void vma_addr_string(uintptr_t ip, char *buf, size_t len)
{
	struct vma *v = current->mm ? vma_find(current->mm, ip) : NULL;
	char path[256];
	const char *base;

	buf[0] = '\0';
	if (!v || !v->file || file_path_string(v->file, path, sizeof(path)) < 0)
		return;
	base = strrchr(path, '/');
	snprintf(buf, len, " in %s[%lx+%lx]", base ? base + 1 : path,
		 (unsigned long)v->start, (unsigned long)(v->end - v->start));
}

/* See include/kernel/ioport.h. */
bool ioport_fixup_cli(struct trapframe *tf)
{
	struct task *t = current;
	char where[300];
	uint8_t op;

	if (t->iopl != 3 || copy_from_user(&op, UPTR(tf->rip), 1) ||
	    (op != 0xfa && op != 0xfb))
		return false;
	if (!t->iopl_warned) {
		t->iopl_warned = true;
		vma_addr_string(tf->rip, where, sizeof(where));
		pr_err("traps: %s[%d] attempts to use CLI/STI, pretending it's a NOP, ip:%lx%s",
		       t->comm, t->pid, (unsigned long)tf->rip, where);
	}
	tf->rip++;
	return true;
}

/* See include/kernel/ioport.h. */
void ioport_release(struct task *t)
{
	cpu_thread_set_io(&t->cpu, NULL);
	io_put(t->io_ports);
	t->io_ports = NULL;
}

/*
 * Linux's ksys_ioperm, in its order: EINVAL for a range that wraps or
 * passes port 65535, EPERM to allow without CAP_SYS_RAWIO; taking away
 * what was never given is 0. A bitmap left with no port is dropped.
 */
SYSCALL(__NR_ioperm, ioperm)(SYSCALL_ARGS)
{
	unsigned long from = (unsigned long)a0, num = (unsigned long)a1;
	bool on = (int)a2 != 0;
	struct task *t = current;
	struct io_ports *io = t->io_ports, *copy;
	unsigned bytes = 0;

	if (from + num <= from || from + num > CPU_IO_PORTS)
		return -EINVAL;
	if (on && !capable(CAP_SYS_RAWIO))
		return -EPERM;
	if (!io && !on)
		return 0;
	if (!io || io->refcount > 1) {
		copy = kmalloc(sizeof(*copy));
		if (!copy)
			return -ENOMEM;
		if (io)
			memcpy(&copy->bm, &io->bm, sizeof(copy->bm));
		else
			memset(copy->bm.map, 0xff, sizeof(copy->bm.map));
		copy->refcount = 1;
		io_put(io);
		io = t->io_ports = copy;
	}
	for (unsigned long p = from; p < from + num; p++) {
		if (on)
			io->bm.map[p / 8] &= (uint8_t)~(1u << (p % 8));
		else
			io->bm.map[p / 8] |= (uint8_t)(1u << (p % 8));
	}
	for (unsigned i = 0; i < CPU_IO_BYTES; i++)
		if (io->bm.map[i] != 0xff)
			bytes = i + 1;
	if (!bytes) {
		t->io_ports = NULL;
		io_update(t);
		io_put(io);
		return 0;
	}
	io->bm.bytes = bytes;
	io->bm.seq = ++io_seq;
	io_update(t);
	return 0;
}

/*
 * Linux's iopl: EINVAL above 3, EPERM to raise the level without
 * CAP_SYS_RAWIO; lowering it is always allowed. Only level 3 gives ports.
 */
SYSCALL(__NR_iopl, iopl)(SYSCALL_ARGS)
{
	unsigned level = (unsigned)a0;
	struct task *t = current;

	if (level > 3)
		return -EINVAL;
	if (level == t->iopl)
		return 0;
	if (level > t->iopl && !capable(CAP_SYS_RAWIO))
		return -EPERM;
	t->iopl = level;
	io_update(t);
	return 0;
}
