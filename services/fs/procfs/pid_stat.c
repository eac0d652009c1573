/*
 * /proc/<pid>/stat, statm and status, and a thread's stat under
 * /proc/<pid>/task/<tid>, in the exact formats of Linux 6.1
 * (fs/proc/array.c do_task_stat, task_statm, proc_pid_status). A
 * process's stat adds up its threads' times and faults; a thread's shows
 * its own; the start time is on the reader's time namespace's boot
 * clock, as Linux's. Figures the kernel does not keep (page-table size, swap,
 * capabilities beyond root's) are printed as Linux prints their idle
 * value.
 */
#include "procfs.h"
#include <svc/introspect.h>
#include <platform/frame.h>
#include <platform/time.h>

#define NSEC_PER_TICK	(NSEC_PER_SEC / HZ)

/* Address-space totals in pages, as Linux keeps them in its mm. */
struct vm_totals {
	unsigned long total, data, stack, exec, text, rss;
	unsigned long locked;		/* in VMA_LOCKED vmas: Linux's locked_vm */
	unsigned long hiwater;		/* the most rss has been */
};

static void vm_totals(struct mm *mm, struct vm_totals *v)
{
	struct vma *vma;

	*v = (struct vm_totals){ 0 };
	if (!mm)
		return;
	list_for_each_entry(vma, &mm->vmas, link) {
		unsigned long pages = (vma->end - vma->start) >> PAGE_SHIFT;

		v->total += pages;
		if (vma->flags & VMA_LOCKED)
			v->locked += pages;
		if (vma->flags & VMA_GROWSDOWN)
			v->stack += pages;
		else if ((vma->prot & (PROT_EXEC | PROT_WRITE)) == PROT_EXEC)
			v->exec += pages;
		else if ((vma->prot & PROT_WRITE) &&
			 !(vma->flags & VMA_SHARED))
			v->data += pages;
	}
	if (mm->end_code > mm->start_code)
		v->text = (ALIGN_UP(mm->end_code, PAGE_SIZE) -
			   ALIGN_DOWN(mm->start_code, PAGE_SIZE)) >> PAGE_SHIFT;
	v->text = MIN(v->text, v->exec);
	v->rss = mm->rss_pages;
	v->hiwater = MAX(mm->hiwater_rss_pages, mm->rss_pages);
}

static char state_char(const struct task *t)
{
	switch (t->state) {
	case TASK_RUNNING:
		return 'R';
	case TASK_SLEEPING:
		return 'S';
	case TASK_STOPPED:
		return 'T';
	case TASK_ZOMBIE:
		return 'Z';
	case TASK_TRACED:
		return 't';
	}
	return 'X';
}

static const char *state_name(const struct task *t)
{
	switch (t->state) {
	case TASK_RUNNING:
		return "R (running)";
	case TASK_SLEEPING:
		return "S (sleeping)";
	case TASK_STOPPED:
		return "T (stopped)";
	case TASK_ZOMBIE:
		return "Z (zombie)";
	case TASK_TRACED:
		return "t (tracing stop)";
	}
	return "X (dead)";
}

/* Handlers set to SIG_IGN and to a function, as signal masks. */
static void sig_dispositions(const struct task *t, sigset_t *ign,
			     sigset_t *cgt)
{
	*ign = *cgt = 0;
	for (int sig = 1; sig <= NSIG; sig++) {
		uint64_t h = t->sig.action[sig - 1].handler;

		if (h == SIG_IGN)
			*ign |= sigmask(sig);
		else if (h != SIG_DFL)
			*cgt |= sigmask(sig);
	}
}

/* @t's parent's process id in @ns: 0 without one or outside @ns. */
static pid_t ppid_of(const struct task *t, const struct pid_ns *ns)
{
	return t->parent ? task_tgid_nr_ns(t->parent, ns) : 0;
}

/*
 * Linux's NSpid-style line tail: the number of @t in each namespace
 * from @ns down to @t's own, each after a tab (none if @t is not in
 * @ns or below it).
 */
static void put_ns_nrs(struct proc_buf *b, const struct task *t,
		       const struct pid_ns *ns)
{
	if (!t || !pid_ns_within(t->pid_ns, ns))
		return;
	for (unsigned l = ns->level; l <= t->pid_ns->level; l++)
		pb_printf(b, "\t%d", t->ns_nr[l]);
}

/*
 * The same for process group or session @id, a leader's number (the
 * number itself in the initial namespace once its leader is gone).
 */
static void put_id_nrs(struct proc_buf *b, pid_t id, const struct pid_ns *ns)
{
	const struct task *l = task_find(id);

	if (l)
		put_ns_nrs(b, l, ns);
	else if (ns->level == 0)
		pb_printf(b, "\t%d", id);
}

/* The live threads of @t's process (a zombie leader still counts). */
static unsigned thread_count(const struct task *t)
{
	const struct task *o;
	unsigned n = 0;

	for_each_task(o)
		n += o->tgid == t->tgid;
	return n;
}

/* The 52 fields of stat: of the whole process, or of thread @t alone. */
static int stat_show(struct proc_buf *b, struct task *t, bool whole)
{
	struct mm *mm = t->mm;
	const struct rusage_totals *c = &task_leader(t)->reaped;
	struct rusage_totals u;
	struct vm_totals v;
	sigset_t ign, cgt;
	int tpgid = tty_foreground_pgrp(t->tty);

	vm_totals(mm, &v);
	if (whole)
		usage_process_totals(t, &u);
	else
		usage_thread_totals(t, &u);
	sig_dispositions(t, &ign, &cgt);
	pb_printf(b, "%d (%s) %c %d %d %d %d %d %u %lu %lu %lu %lu",
		  task_nr_ns(t, b->ns), t->comm, state_char(t),
		  ppid_of(t, b->ns), pid_nr_ns(t->pgid, b->ns),
		  pid_nr_ns(t->sid, b->ns), (int)tty_devnum(t->tty),
		  tpgid > 0 ? pid_nr_ns(tpgid, b->ns) : tpgid, 0u,
		  u.min_flt, c->min_flt, u.maj_flt, c->maj_flt);
	pb_printf(b, " %lu %lu %lu %lu %d %d %u 0 %lu %lu %lu %lu",
		  usage_ns_to_clock_t(u.utime_ns), usage_ns_to_clock_t(u.stime_ns),
		  usage_ns_to_clock_t(c->utime_ns), usage_ns_to_clock_t(c->stime_ns),
		  20 + t->nice, t->nice, thread_count(t),
		  (unsigned long)((t->start_ns + (uint64_t)timens_boottime_offset_ns()) /
				  NSEC_PER_TICK), v.total * PAGE_SIZE, v.rss,
		  task_rlimits(t)[RLIMIT_RSS].cur);
	pb_printf(b, " %lu %lu %lu 0 0",
		  mm ? mm->start_code : 0UL, mm ? mm->end_code : 0UL,
		  mm ? mm->start_stack : 0UL);
	pb_printf(b, " %lu %lu %lu %lu %d 0 0 %d %u %u %d 0 0 0",
		  t->sig.pending & 0x7fffffffUL, t->sig.blocked & 0x7fffffffUL,
		  ign & 0x7fffffffUL, cgt & 0x7fffffffUL,
		  t->state == TASK_SLEEPING, t->exit_signal, t->cpu.cpu,
		  t->sched.priority, t->sched.policy);
	if (mm)
		pb_printf(b, " %lu %lu %lu %lu %lu %lu %lu",
			  mm->start_data, mm->end_data, mm->brk_start,
			  mm->arg_start, mm->arg_end, mm->env_start,
			  mm->env_end);
	else
		pb_printf(b, " 0 0 0 0 0 0 0");
	pb_printf(b, " %d\n", t->state == TASK_ZOMBIE ? t->exit_status : 0);
	return 0;
}

int proc_pid_stat_show(struct proc_buf *b, struct task *t)
{
	return stat_show(b, t, true);
}

int proc_tid_stat_show(struct proc_buf *b, struct task *t)
{
	return stat_show(b, t, false);
}

/* size resident shared text lib data dt, in pages. */
int proc_pid_statm_show(struct proc_buf *b, struct task *t)
{
	struct vm_totals v;

	vm_totals(t->mm, &v);
	pb_printf(b, "%lu %lu 0 %lu 0 %lu 0\n", v.total, v.rss, v.text,
		  v.data + v.stack);
	return 0;
}

/* The comm as status prints it: newline and backslash escaped. */
static void put_escaped_comm(struct proc_buf *b, const struct task *t)
{
	for (int i = 0; i < TASK_COMM_LEN && t->comm[i]; i++) {
		if (t->comm[i] == '\n')
			pb_printf(b, "\\n");
		else if (t->comm[i] == '\\')
			pb_printf(b, "\\\\");
		else
			pb_write(b, &t->comm[i], 1);
	}
}

/* Linux's FDSize: the descriptor table's capacity, 64 at least. */
/*
 * @mask over @n CPUs as Linux prints a cpumask: in hex, a digit per four
 * CPUs and a comma between 32-bit words ("%*pb"), then as ranges ("%*pbl").
 */
static void put_cpumask(struct proc_buf *b, uint64_t mask, unsigned n)
{
	if (n < 64)
		mask &= (1ULL << n) - 1;
	for (int d = (int)(n + 3) / 4 - 1; d >= 0; d--)
		pb_printf(b, (d % 8 == 7 && d != (int)(n + 3) / 4 - 1) ?
			  ",%x" : "%x", (unsigned)(mask >> (4 * d)) & 0xf);
	pb_printf(b, "\nCpus_allowed_list:\t");
	for (unsigned i = 0, sep = 0; i < n; i++) {
		if (!(mask & (1ULL << i)))
			continue;
		unsigned j = i;

		while (j + 1 < n && (mask & (1ULL << (j + 1))))
			j++;
		pb_printf(b, j > i ? "%s%u-%u" : "%s%u", sep++ ? "," : "", i, j);
		i = j;
	}
	pb_printf(b, "\n");
}

static unsigned fd_table_size(struct task *t)
{
	unsigned n = 64;

	if (!t->files)
		return 0;
	while (n < (unsigned)files_max_fd(t->files))
		n *= 2;
	return n;
}

static void status_mem(struct proc_buf *b, struct mm *mm)
{
	struct vm_totals v;
	const unsigned long kb = PAGE_SIZE / 1024;

	vm_totals(mm, &v);
	pb_printf(b, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\n", v.total * kb,
		  v.total * kb);
	pb_printf(b, "VmLck:\t%8lu kB\nVmPin:\t%8lu kB\n", v.locked * kb, 0UL);
	pb_printf(b, "VmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n", v.hiwater * kb,
		  v.rss * kb);
	pb_printf(b, "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\n"
		  "RssShmem:\t%8lu kB\n", v.rss * kb, 0UL, 0UL);
	pb_printf(b, "VmData:\t%8lu kB\nVmStk:\t%8lu kB\n", v.data * kb,
		  v.stack * kb);
	pb_printf(b, "VmExe:\t%8lu kB\nVmLib:\t%8lu kB\n", v.text * kb,
		  (v.exec - v.text) * kb);
	pb_printf(b, "VmPTE:\t%8lu kB\nVmSwap:\t%8lu kB\n", 0UL, 0UL);
	pb_printf(b, "HugetlbPages:\t%8lu kB\nCoreDumping:\t0\n"
		  "THP_enabled:\t0\n", 0UL);
}

int proc_pid_status_show(struct proc_buf *b, struct task *t)
{
	const struct cred *c = &t->cred;
	sigset_t ign, cgt;
	/* Linux's task_sig: the signals queued for the task's real user. */
	unsigned long queued = t->user ? t->user->sigpending : 0;

	pb_printf(b, "Name:\t");
	put_escaped_comm(b, t);
	pb_printf(b, "\nUmask:\t%04o\nState:\t%s\n", t->umask, state_name(t));
	pb_printf(b, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
		  "TracerPid:\t%d\n", task_tgid_nr_ns(t, b->ns),
		  task_nr_ns(t, b->ns), ppid_of(t, b->ns),
		  t->ptrace.tracer ? task_tgid_nr_ns(t->ptrace.tracer, b->ns) : 0);
	/* The ids as the reader's user namespace names them. */
	pb_printf(b, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n",
		  from_kuid_munged(c->uid), from_kuid_munged(c->euid),
		  from_kuid_munged(c->suid), from_kuid_munged(c->fsuid),
		  from_kgid_munged(c->gid), from_kgid_munged(c->egid),
		  from_kgid_munged(c->sgid), from_kgid_munged(c->fsgid));
	pb_printf(b, "FDSize:\t%u\nGroups:\t", fd_table_size(t));
	for (unsigned i = 0; c->groups && i < c->groups->ngroups; i++)
		pb_printf(b, i ? " %u" : "%u", from_kgid_munged(c->groups->gid[i]));
	pb_printf(b, " \n");
	pb_printf(b, "NStgid:");
	put_ns_nrs(b, task_leader(t), b->ns);
	pb_printf(b, "\nNSpid:");
	put_ns_nrs(b, t, b->ns);
	pb_printf(b, "\nNSpgid:");
	put_id_nrs(b, t->pgid, b->ns);
	pb_printf(b, "\nNSsid:");
	put_id_nrs(b, t->sid, b->ns);
	pb_printf(b, "\n");
	if (t->mm)
		status_mem(b, t->mm);
	sig_dispositions(t, &ign, &cgt);
	pb_printf(b, "Threads:\t%u\nSigQ:\t%lu/%lu\n", thread_count(t), queued,
		  task_rlimits(t)[RLIMIT_SIGPENDING].cur);
	pb_printf(b, "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\n",
		  t->sig.pending, 0UL, t->sig.blocked);
	pb_printf(b, "SigIgn:\t%016lx\nSigCgt:\t%016lx\n", ign, cgt);
	pb_printf(b, "CapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\n",
		  c->cap_inheritable, c->cap_permitted, c->cap_effective);
	pb_printf(b, "CapBnd:\t%016lx\nCapAmb:\t%016lx\n", c->cap_bset,
		  c->cap_ambient);
	pb_printf(b, "NoNewPrivs:\t%d\nSeccomp:\t%d\nSeccomp_filters:\t%u\n",
		  t->no_new_privs, t->seccomp.mode, seccomp_filter_count(t));
	/* What Linux 6.1 reports on QEMU's emulated CPU. */
	pb_printf(b, "Speculation_Store_Bypass:\tnot vulnerable\n"
		  "SpeculationIndirectBranch:\talways enabled\n");
	pb_printf(b, "Cpus_allowed:\t");
	put_cpumask(b, t->cpus_allowed, cpu_count());
	pb_printf(b, "Mems_allowed:\t");
	/* Debian's MAX_NUMNODES of 1024, in 32-bit words, node 0 last. */
	for (int i = 0; i < 31; i++)
		pb_printf(b, "00000000,");
	pb_printf(b, "00000001\nMems_allowed_list:\t0\n");
	pb_printf(b, "voluntary_ctxt_switches:\t%lu\n"
		  "nonvoluntary_ctxt_switches:\t%lu\n", t->nvcsw, t->nivcsw);
	return 0;
}
