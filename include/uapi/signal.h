/* Linux x86-64 signal ABI: numbers, sigaction, siginfo, stack_t, frames. */
#pragma once
#include <aramid/types.h>

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31
#define SIGRTMIN	32
#define NSIG		64

#define SIG_DFL		0UL
#define SIG_IGN		1UL

#define SA_NOCLDSTOP	0x00000001
#define SA_NOCLDWAIT	0x00000002
#define SA_SIGINFO	0x00000004
#define SA_RESTORER	0x04000000
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000

#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

#define SS_ONSTACK	1
#define SS_DISABLE	2
#define MINSIGSTKSZ	2048

/* si_code values. */
#define SI_USER		0
#define SI_KERNEL	0x80
#define SI_QUEUE	(-1)
#define SI_TIMER	(-2)
#define SI_MESGQ	(-3)
#define SI_TKILL	(-6)
#define POLL_IN		1	/* SIGIO: data to read */
#define POLL_OUT	2	/* room to write */
#define POLL_MSG	3	/* a message (dnotify, lease break) */
#define POLL_ERR	4
#define POLL_PRI	5
#define POLL_HUP	6
#define SEGV_MAPERR	1
#define SEGV_ACCERR	2
#define BUS_ADRERR	2
#define ILL_ILLOPN	2
#define FPE_INTDIV	1
#define TRAP_BRKPT	1
#define TRAP_TRACE	2
#define TRAP_HWBKPT	4
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_TRAPPED	4
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

typedef uint64_t sigset_t;

#define sigmask(sig)	(1UL << ((sig) - 1))

/* struct sigaction as the rt_sigaction system call takes it. */
struct k_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	sigset_t mask;
};

/* 128-byte siginfo_t with the fields the kernel fills. */
typedef struct {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t _pad0;
	union {
		struct {			/* kill, SIGCHLD */
			int32_t pid;
			uint32_t uid;
			int32_t status;		/* SIGCHLD */
			int32_t _pad1;
			int64_t utime, stime;	/* SIGCHLD */
		} kill;
		struct {			/* SIGSEGV, SIGBUS, ... */
			uint64_t addr;
		} fault;
		struct {			/* sigqueue, SI_MESGQ */
			int32_t pid;
			uint32_t uid;
			uint64_t value;
		} rt;
		struct {			/* SIGIO, SIGPOLL */
			int64_t band;
			int32_t fd;
		} poll;
		struct {			/* SIGSYS of a seccomp TRAP */
			uint64_t call_addr;
			int32_t syscall;
			uint32_t arch;
		} sys;
		struct {			/* POSIX timers */
			int32_t tid;
			int32_t overrun;
			uint64_t value;
		} timer;
		uint8_t _bytes[112];
	};
} siginfo_t;

typedef struct {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t _pad;
	uint64_t ss_size;
} stack_t;

/* struct sigcontext (x86-64), as in the rt signal frame's ucontext. */
struct sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;		/* pointer to the fxsave area */
	uint64_t reserved1[8];
};

/*
 * ucontext.uc_flags: the fpstate is an XSAVE area (magic-tagged); the
 * sigcontext holds SS, and rt_sigreturn restores it as it is.
 */
#define UC_FP_XSTATE		0x1
#define UC_SIGCONTEXT_SS	0x2
#define UC_STRICT_RESTORE_SS	0x4

struct ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	stack_t uc_stack;
	struct sigcontext uc_mcontext;
	sigset_t uc_sigmask;
};

_Static_assert(sizeof(siginfo_t) == 128, "siginfo_t");
_Static_assert(sizeof(struct sigcontext) == 256, "sigcontext");
