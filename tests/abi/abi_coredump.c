/* abi_coredump.c - core dumps as Linux 6.1 writes them: RLIMIT_CORE (0, below a page, one page, unlimited), PR_SET_DUMPABLE, the wait status's 0x80 and waitid's CLD_DUMPED, the ELF core's header, PT_NOTE and PT_LOAD headers, NT_PRSTATUS (pid, signal, rip) per thread, NT_PRPSINFO, NT_SIGINFO, NT_AUXV, NT_FILE, NT_FPREGSET, memory contents, coredump_filter, kernel.core_pattern (%p %e %s %%) and core_uses_pid, and what the name already names (a directory refuses, a file or fifo is replaced). */
#include "check.h"
#include <elf.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define T "abi_coredump"
#define PAGE 4096
#define REGION_PAGES 4
#define PATTERN 0x5a

#ifndef NT_SIGINFO
#define NT_SIGINFO 0x53494749
#endif
#ifndef NT_FILE
#define NT_FILE 0x46494c45
#endif

/* Linux's x86_64 struct elf_prstatus, as a core file holds it. */
struct prstatus {
	int32_t si_signo, si_code, si_errno;
	int16_t cursig;
	uint64_t sigpend, sighold;
	int32_t pid, ppid, pgrp, sid;
	int64_t times[8];
	uint64_t reg[27];
	int32_t fpvalid;
};
#define PR_REG_RIP 16

struct prpsinfo {
	char state, sname, zomb, nice;
	uint64_t flag;
	uint32_t uid, gid;
	int32_t pid, ppid, pgrp, sid;
	char fname[16];
	char psargs[80];
};

static unsigned char *region;		/* mapped before each fork */
/* In .data, set before the forks: a child's core holds the new value. */
static volatile uint64_t data_word = 1;
#define DATA_VALUE 0x1122334455667788ULL
extern char crash_insn[];		/* the faulting store below */

/* A store to address 0x10: SIGSEGV with rip at crash_insn. */
static void fault_now(void)
{
	__asm__ volatile(".globl crash_insn\n"
			 "crash_insn: movb $1, 0x10\n" ::: "memory");
}

/* The first line of @path into @buf, its newline dropped. */
static void read_line(const char *path, char *buf, size_t size)
{
	if (slurp(path, buf, size) > 0)
		buf[strcspn(buf, "\n")] = '\0';
}

enum how { BY_RAISE, BY_FAULT };

struct child_opts {
	rlim_t limit;
	int sig;		/* for BY_RAISE */
	enum how how;
	int dumpable;		/* -1: leave */
	const char *filter;	/* coredump_filter to write, or NULL */
	int threads;		/* extra threads: blocked, then spinning */
};

/* A thread blocked in pause(), or (@arg) spinning in user mode. */
static void *other_thread(void *arg)
{
	volatile unsigned long spins = 0;

	for (;;) {
		if (!arg)
			pause();
		spins++;
	}
	return NULL;
}

/* Fork a child that fills the region, then dies as @o says: its status. */
static int crash_child(const struct child_opts *o, pid_t *pidp)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		struct rlimit rl = { o->limit, o->limit };
		pthread_t th;

		if (setrlimit(RLIMIT_CORE, &rl))
			_exit(100);
		memset(region, PATTERN, REGION_PAGES * PAGE);
		if (o->dumpable >= 0 && prctl(PR_SET_DUMPABLE, o->dumpable))
			_exit(101);
		if (o->filter && write_text("/proc/self/coredump_filter",
					    o->filter))
			_exit(102);
		for (int i = 0; i < o->threads; i++)
			if (pthread_create(&th, NULL, other_thread,
					   i ? (void *)1 : NULL))
				_exit(103);
		if (o->threads)
			usleep(50000);
		if (o->how == BY_FAULT)
			fault_now();
		signal(o->sig, SIG_DFL);
		raise(o->sig);
		_exit(104);
	}
	if (pidp)
		*pidp = pid;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* The whole file @path in a new buffer; *@size its length. */
static unsigned char *read_core(const char *path, size_t *size)
{
	struct stat st;
	unsigned char *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st)) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	*size = 0;
	while (buf && *size < (size_t)st.st_size) {
		ssize_t n = pread(fd, buf + *size, st.st_size - *size, *size);

		if (n <= 0)
			break;
		*size += n;
	}
	close(fd);
	return buf;
}

struct note {
	uint32_t type;
	const char *name;
	const unsigned char *desc;
	uint32_t size;
};

/* The notes of PT_NOTE @ph of @core: how many into @out (at most @max). */
static int parse_notes(const unsigned char *core, size_t size,
		       const Elf64_Phdr *ph, struct note *out, int max)
{
	size_t off = ph->p_offset, end = ph->p_offset + ph->p_filesz;
	int n = 0;

	if (end > size)
		return -1;
	while (off + sizeof(Elf64_Nhdr) <= end && n < max) {
		const Elf64_Nhdr *h = (const void *)(core + off);
		size_t name_off = off + sizeof(*h);
		size_t desc_off = name_off + ((h->n_namesz + 3) & ~3u);

		if (desc_off + h->n_descsz > end)
			return -1;
		out[n].type = h->n_type;
		out[n].name = (const char *)(core + name_off);
		out[n].desc = core + desc_off;
		out[n].size = h->n_descsz;
		n++;
		off = desc_off + ((h->n_descsz + 3) & ~3u);
	}
	return n;
}

static const struct note *find_note(const struct note *notes, int n,
				    uint32_t type)
{
	for (int i = 0; i < n; i++)
		if (notes[i].type == type)
			return &notes[i];
	return NULL;
}

static const Elf64_Phdr *find_load(const unsigned char *core, uintptr_t va)
{
	const Elf64_Ehdr *eh = (const void *)core;
	const Elf64_Phdr *ph = (const void *)(core + eh->e_phoff);

	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr == va)
			return &ph[i];
	return NULL;
}

/* The value at @va in the memory of @core's PT_LOADs, or 0. */
static uint64_t core_word(const unsigned char *core, size_t size, uintptr_t va)
{
	const Elf64_Ehdr *eh = (const void *)core;
	const Elf64_Phdr *ph = (const void *)(core + eh->e_phoff);
	uint64_t v = 0;

	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr <= va &&
		    va + 8 <= ph[i].p_vaddr + ph[i].p_filesz &&
		    ph[i].p_offset + (va - ph[i].p_vaddr) + 8 <= size)
			memcpy(&v, core + ph[i].p_offset + (va - ph[i].p_vaddr),
			       8);
	return v;
}

static void test_no_dump(void)
{
	struct child_opts o = { .limit = 0, .sig = SIGABRT, .dumpable = -1 };
	int st;

	st = crash_child(&o, NULL);
	CHECK("RLIMIT_CORE 0: killed by SIGABRT",
	      WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	CHECK("RLIMIT_CORE 0: no 0x80 in the status", !WCOREDUMP(st));
	CHECK("RLIMIT_CORE 0: no core file", !exists("core"));

	o.limit = 1000;
	st = crash_child(&o, NULL);
	CHECK("RLIMIT_CORE below a page: no 0x80", WIFSIGNALED(st) &&
	      !WCOREDUMP(st));
	CHECK("RLIMIT_CORE below a page: no core file", !exists("core"));

	o.limit = RLIM_INFINITY;
	o.dumpable = 0;
	st = crash_child(&o, NULL);
	CHECK("PR_SET_DUMPABLE 0: no 0x80", WIFSIGNALED(st) && !WCOREDUMP(st));
	CHECK("PR_SET_DUMPABLE 0: no core file", !exists("core"));

	o.dumpable = -1;
	o.sig = SIGTERM;
	st = crash_child(&o, NULL);
	CHECK("SIGTERM: no 0x80, no core", WIFSIGNALED(st) &&
	      !WCOREDUMP(st) && !exists("core"));
}

/* Check the notes of a dump made by BY_FAULT of child @pid. */
static void check_notes(const unsigned char *core, size_t size, pid_t pid,
			int threads)
{
	const Elf64_Ehdr *eh = (const void *)core;
	const Elf64_Phdr *ph = (const void *)(core + eh->e_phoff);
	struct note notes[64];
	const struct note *n;
	int nn = parse_notes(core, size, &ph[0], notes, 64), nst = 0;

	CHECK("PT_NOTE parses", nn > 0);
	if (nn <= 0)
		return;
	CHECK("first note: CORE NT_PRSTATUS", notes[0].type == NT_PRSTATUS &&
	      !strcmp(notes[0].name, "CORE") &&
	      notes[0].size == sizeof(struct prstatus));
	if (notes[0].type == NT_PRSTATUS) {
		struct prstatus ps;

		memcpy(&ps, notes[0].desc, sizeof(ps));
		CHECK_EQ("NT_PRSTATUS pr_pid", ps.pid, pid);
		CHECK_EQ("NT_PRSTATUS pr_ppid", ps.ppid, getpid());
		CHECK_EQ("NT_PRSTATUS pr_cursig", ps.cursig, SIGSEGV);
		CHECK_EQ("NT_PRSTATUS pr_info.si_signo", ps.si_signo, SIGSEGV);
		CHECK("NT_PRSTATUS rip is the faulting store",
		      ps.reg[PR_REG_RIP] == (uint64_t)(uintptr_t)crash_insn);
		CHECK_EQ("NT_PRSTATUS pr_fpvalid", ps.fpvalid, 1);
	}
	for (int i = 0; i < nn; i++)
		nst += notes[i].type == NT_PRSTATUS;
	CHECK_EQ("one NT_PRSTATUS per thread", nst, threads + 1);
	n = find_note(notes, nn, NT_PRPSINFO);
	CHECK("NT_PRPSINFO", n && n->size == sizeof(struct prpsinfo));
	if (n && n->size == sizeof(struct prpsinfo)) {
		struct prpsinfo pi;

		memcpy(&pi, n->desc, sizeof(pi));
		CHECK_EQ("NT_PRPSINFO pr_pid", pi.pid, pid);
		CHECK_STR("NT_PRPSINFO pr_fname", pi.fname, T);
		CHECK("NT_PRPSINFO pr_psargs names the program",
		      strstr(pi.psargs, T) != NULL);
	}
	n = find_note(notes, nn, NT_SIGINFO);
	CHECK("NT_SIGINFO", n && n->size == sizeof(siginfo_t));
	if (n && n->size == sizeof(siginfo_t)) {
		siginfo_t si;

		memcpy(&si, n->desc, sizeof(si));
		CHECK("NT_SIGINFO: SIGSEGV SEGV_MAPERR at 0x10",
		      si.si_signo == SIGSEGV && si.si_code == SEGV_MAPERR &&
		      si.si_addr == (void *)0x10);
	}
	n = find_note(notes, nn, NT_AUXV);
	CHECK("NT_AUXV ends with AT_NULL", n && n->size >= 16 &&
	      n->size % 16 == 0 &&
	      ((const uint64_t *)n->desc)[n->size / 8 - 2] == AT_NULL);
	if (n && n->size >= 16) {
		int pagesz = 0;

		for (uint32_t i = 0; i + 1 < n->size / 8; i += 2)
			if (((const uint64_t *)n->desc)[i] == AT_PAGESZ)
				pagesz = ((const uint64_t *)n->desc)[i + 1];
		CHECK_EQ("NT_AUXV AT_PAGESZ", pagesz, PAGE);
	}
	n = find_note(notes, nn, NT_FILE);
	CHECK("NT_FILE lists the program", n && n->size > 16 &&
	      ((const uint64_t *)n->desc)[1] == PAGE &&
	      memmem(n->desc, n->size, "/" T, strlen(T) + 1) != NULL);
	n = find_note(notes, nn, NT_FPREGSET);
	CHECK("NT_FPREGSET of 512 bytes", n && n->size == 512 &&
	      !strcmp(n->name, "CORE"));
}

static void test_dump(void)
{
	struct child_opts o = { .limit = RLIM_INFINITY, .how = BY_FAULT,
				.dumpable = -1 };
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph, *load;
	unsigned char *core;
	struct stat st;
	size_t size = 0;
	siginfo_t si;
	pid_t pid;
	int status, ok = 1;

	status = crash_child(&o, &pid);
	CHECK("SIGSEGV with RLIMIT_CORE unlimited: 0x80 in the status",
	      WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV &&
	      WCOREDUMP(status));
	CHECK("the core file is there", lstat("core", &st) == 0);
	CHECK("core: a regular file, mode 0600, owned by the dumper",
	      S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0600 &&
	      st.st_uid == getuid());
	core = read_core("core", &size);
	CHECK("core readable", core && size >= sizeof(Elf64_Ehdr));
	if (!core || size < sizeof(Elf64_Ehdr))
		return;
	eh = (const void *)core;
	CHECK("ELF header: ELFCLASS64, LSB, ET_CORE, EM_X86_64",
	      !memcmp(eh->e_ident, ELFMAG, SELFMAG) &&
	      eh->e_ident[EI_CLASS] == ELFCLASS64 &&
	      eh->e_ident[EI_DATA] == ELFDATA2LSB &&
	      eh->e_type == ET_CORE && eh->e_machine == EM_X86_64 &&
	      eh->e_version == EV_CURRENT);
	CHECK("ELF header: phdrs after it, none of sections",
	      eh->e_phoff == sizeof(*eh) && eh->e_phentsize == sizeof(*ph) &&
	      eh->e_shoff == 0 && eh->e_shnum == 0 && eh->e_phnum >= 3);
	if (eh->e_phoff + eh->e_phnum * sizeof(*ph) > size)
		return;
	ph = (const void *)(core + eh->e_phoff);
	CHECK("first phdr: PT_NOTE after the headers",
	      ph[0].p_type == PT_NOTE &&
	      ph[0].p_offset == sizeof(*eh) + eh->e_phnum * sizeof(*ph));
	for (int i = 1; i < eh->e_phnum; i++)
		ok &= ph[i].p_type == PT_LOAD && ph[i].p_offset % PAGE == 0 &&
		      ph[i].p_filesz <= ph[i].p_memsz &&
		      ph[i].p_offset + ph[i].p_filesz <= size &&
		      ph[i].p_align == PAGE;
	CHECK("the other phdrs: PT_LOAD, page aligned, within the file", ok);
	load = find_load(core, (uintptr_t)region);
	CHECK("a PT_LOAD for the anonymous region",
	      load && load->p_memsz == REGION_PAGES * PAGE &&
	      load->p_filesz == REGION_PAGES * PAGE &&
	      load->p_flags == (PF_R | PF_W));
	if (load && load->p_filesz == REGION_PAGES * PAGE) {
		ok = 1;
		for (size_t i = 0; i < REGION_PAGES * PAGE; i++)
			ok &= core[load->p_offset + i] == PATTERN;
		CHECK("its memory holds the child's pattern", ok);
	}
	CHECK("the program's data, written before fork, is in the core",
	      core_word(core, size, (uintptr_t)&data_word) == DATA_VALUE);
	check_notes(core, size, pid, 0);
	free(core);
	unlink("core");

	/* waitid: CLD_DUMPED. */
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

		setrlimit(RLIMIT_CORE, &rl);
		signal(SIGQUIT, SIG_DFL);
		raise(SIGQUIT);
		_exit(1);
	}
	memset(&si, 0, sizeof(si));
	CHECK_OK("waitid", waitid(P_PID, pid, &si, WEXITED));
	CHECK("waitid: CLD_DUMPED, SIGQUIT", si.si_code == CLD_DUMPED &&
	      si.si_status == SIGQUIT && si.si_pid == pid);
	CHECK("SIGQUIT dumped core", exists("core"));
	unlink("core");
}

static void test_filter(void)
{
	struct child_opts o = { .limit = RLIM_INFINITY, .how = BY_FAULT,
				.dumpable = -1, .filter = "32" };
	const Elf64_Phdr *load;
	unsigned char *core;
	size_t size = 0;
	int st;

	st = crash_child(&o, NULL);
	CHECK("coredump_filter 0x32: still dumped", WIFSIGNALED(st) &&
	      WCOREDUMP(st));
	core = read_core("core", &size);
	CHECK("coredump_filter 0x32: core file", core != NULL);
	if (!core)
		return;
	load = find_load(core, (uintptr_t)region);
	CHECK("coredump_filter 0x32: anonymous private memory left out",
	      load && load->p_filesz == 0 &&
	      load->p_memsz == REGION_PAGES * PAGE);
	free(core);
	unlink("core");
}

static void test_threads(void)
{
	struct child_opts o = { .limit = RLIM_INFINITY, .how = BY_FAULT,
				.dumpable = -1, .threads = 2 };
	unsigned char *core;
	size_t size = 0;
	pid_t pid;
	int st;

	st = crash_child(&o, &pid);
	CHECK("three threads (one in pause, one spinning): dumped", WIFSIGNALED(st) &&
	      WTERMSIG(st) == SIGSEGV && WCOREDUMP(st));
	core = read_core("core", &size);
	CHECK("three threads: core file", core != NULL);
	if (core && size >= sizeof(Elf64_Ehdr))
		check_notes(core, size, pid, 2);
	free(core);
	unlink("core");
}

static void test_small_limit(void)
{
	struct child_opts o = { .limit = PAGE, .sig = SIGABRT, .dumpable = -1 };
	struct stat st;
	int status;

	status = crash_child(&o, NULL);
	CHECK("RLIMIT_CORE one page: 0x80 though cut short",
	      WIFSIGNALED(status) && WCOREDUMP(status));
	CHECK("RLIMIT_CORE one page: the file stops within it",
	      lstat("core", &st) == 0 && st.st_size > 0 && st.st_size <= PAGE);
	unlink("core");
}

static void test_names(void)
{
	struct child_opts o = { .limit = RLIM_INFINITY, .sig = SIGABRT,
				.dumpable = -1 };
	char name[64];
	pid_t pid;
	int st;

	CHECK_OK("core_pattern core.%p.%e.%s.%%",
		 write_text("/proc/sys/kernel/core_pattern",
			    "core.%p.%e.%s.%%\n"));
	st = crash_child(&o, &pid);
	snprintf(name, sizeof(name), "core.%d.%s.%d.%%", pid, T, SIGABRT);
	CHECK("core_pattern expanded", WCOREDUMP(st) && exists(name));
	unlink(name);

	CHECK_OK("core_pattern core, core_uses_pid 1",
		 write_text("/proc/sys/kernel/core_pattern", "core") ||
		 write_text("/proc/sys/kernel/core_uses_pid", "1"));
	st = crash_child(&o, &pid);
	snprintf(name, sizeof(name), "core.%d", pid);
	CHECK("core_uses_pid appends .pid", WCOREDUMP(st) && exists(name) &&
	      !exists("core"));
	unlink(name);
	write_text("/proc/sys/kernel/core_uses_pid", "0");

	CHECK_OK("mkdir core", mkdir("core", 0755));
	st = crash_child(&o, NULL);
	CHECK("a directory named core: no dump", WIFSIGNALED(st) &&
	      !WCOREDUMP(st));
	CHECK_OK("the directory stays", rmdir("core"));

	CHECK_OK("mkfifo core", mkfifo("core", 0644));
	st = crash_child(&o, NULL);
	{
		struct stat sb;

		CHECK("a fifo named core: replaced by the dump",
		      WCOREDUMP(st) && lstat("core", &sb) == 0 &&
		      S_ISREG(sb.st_mode));
	}
	unlink("core");

	{
		int fd = open("core", O_CREAT | O_WRONLY, 0644);
		struct stat sb;

		CHECK("another user's file named core", fd >= 0 &&
		      fchown(fd, 1234, 1234) == 0);
		close(fd);
		st = crash_child(&o, NULL);
		CHECK("...is replaced by the dump, the dumper's, mode 0600",
		      WCOREDUMP(st) && lstat("core", &sb) == 0 &&
		      sb.st_uid == getuid() && (sb.st_mode & 07777) == 0600 &&
		      sb.st_size > PAGE);
		unlink("core");
	}
}

int main(void)
{
	char dir[] = "/tmp/coreXXXXXX", old_pattern[256] = "core";
	char old_pid[16] = "0";

	TEST_BEGIN(T);
	if (!mkdtemp(dir) || chdir(dir)) {
		CHECK("a scratch directory", 0);
		return TEST_END();
	}
	umask(022);
	data_word = DATA_VALUE;
	read_line("/proc/sys/kernel/core_pattern", old_pattern,
		  sizeof(old_pattern));
	read_line("/proc/sys/kernel/core_uses_pid", old_pid, sizeof(old_pid));
	CHECK_OK("core_pattern core",
		 write_text("/proc/sys/kernel/core_pattern", "core"));
	CHECK_OK("core_uses_pid 0",
		 write_text("/proc/sys/kernel/core_uses_pid", "0"));
	region = mmap(NULL, REGION_PAGES * PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("an anonymous region", region != MAP_FAILED);
	if (region == MAP_FAILED)
		return TEST_END();

	test_no_dump();
	test_dump();
	test_filter();
	test_threads();
	test_small_limit();
	test_names();

	write_text("/proc/sys/kernel/core_pattern", old_pattern);
	write_text("/proc/sys/kernel/core_uses_pid", old_pid);
	if (chdir("/") == 0)
		rmdir(dir);
	return TEST_END();
}
