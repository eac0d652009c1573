/*
 * The pending signals in the order they were sent, for
 * PTRACE_PEEKSIGINFO: Linux keeps a list per thread and one for the
 * process; here a process-directed signal waits on the thread that is to
 * take it, marked as sent to the process, and each queued signal has its
 * place in the order of sending (signal.c).
 */
#include <kernel/signal.h>
#include <kernel/task.h>
#include <platform/cpu.h>
#include <aramid/checked.h>

/* The best candidate so far of signal_peek_pending's walk. */
struct peek {
	uint64_t after, seq;
	const siginfo_t *info;
};

static void consider(struct peek *pk, uint64_t seq, const siginfo_t *info)
{
	if (seq > pk->after && (!pk->info || seq < pk->seq)) {
		pk->seq = seq;
		pk->info = info;
	}
}

/* @t's signals of kind @shared into the walk. */
static void scan(struct peek *pk, const struct task *t, bool shared)
{
	const struct signal_state *s = &t->sig;
	const struct sigqueue *q;

	for (int sig = 1; sig < SIGRTMIN; sig++) {
		sigset_t m = sigmask(sig);

		if (sig == SIGKILL || !(s->pending & s->legacy & m) ||
		    !(s->legacy_shared & m) != !shared)
			continue;
		consider(pk, CHECKED_INDEX(s->legacy_seq, sig),
			 &CHECKED_INDEX(s->info, sig - 1));
	}
	list_for_each_entry(q, &s->rt_queue, link)
		if (q->shared == shared)
			consider(pk, q->seq, &q->info);
}

/* See kernel/signal.h. */
bool signal_peek_pending(const struct task *t, bool shared, uint64_t *after,
			 siginfo_t *info)
{
	struct peek pk = { .after = *after };
	irqflags_t fl = irq_save();
	struct task *o;

	if (!shared) {
		scan(&pk, t, false);
	} else {
		for_each_task(o)
			if (o->tgid == t->tgid && o->state != TASK_ZOMBIE)
				scan(&pk, o, true);
	}
	if (pk.info) {
		*info = *pk.info;
		*after = pk.seq;
	}
	irq_restore(fl);
	return pk.info != NULL;
}
