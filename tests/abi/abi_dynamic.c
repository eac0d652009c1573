/*
 * abi_dynamic: a dynamically linked glibc PIE program (the one test built
 * with the host's gcc, not musl -static): what execve gives a program that
 * names a loader in PT_INTERP — the auxiliary vector, where the program
 * and the loader are mapped, /proc/self/maps naming them, dlopen of a
 * shared library with private writable data, RELRO made read-only —,
 * Linux's errors for a bad PT_INTERP (missing, not executable, not ELF,
 * unterminated), the layout's randomisation (and its absence under
 * ADDR_NO_RANDOMIZE), glibc's threads (pthread_create tries clone3
 * first) and the rseq area glibc registers for each of them.
 */
#include "check.h"
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/stat.h>

extern char _start[];
extern char **environ;
static const char *self;

/* @type's value in the auxiliary vector on the initial stack (past envp). */
static unsigned long raw_auxv(char **envp, unsigned long type)
{
	while (*envp)
		envp++;
	for (unsigned long *a = (unsigned long *)(envp + 1); a[0]; a += 2)
		if (a[0] == type)
			return a[1];
	return 0;
}

/* The first line of /proc/self/maps containing @needle, in @line. */
static int maps_line(const char *needle, char *line, size_t len)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	if (!f)
		return 0;
	while (fgets(line, (int)len, f))
		if (strstr(line, needle)) {
			found = 1;
			break;
		}
	fclose(f);
	return found;
}

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	*(struct dl_phdr_info *)data = *info;
	return 1;	/* the first object is the program itself */
}

static void check_auxv(void)
{
	struct dl_phdr_info prog = { 0 };
	char line[512];
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	const char *platform = (const char *)getauxval(AT_PLATFORM);
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	const unsigned char *vdso = (const unsigned char *)getauxval(AT_SYSINFO_EHDR);
	unsigned long base = getauxval(AT_BASE);

	dl_iterate_phdr(phdr_cb, &prog);
	CHECK("AT_ENTRY is the program's _start", getauxval(AT_ENTRY) == (unsigned long)_start);
	CHECK("AT_PHDR is the program's headers", getauxval(AT_PHDR) == (unsigned long)prog.dlpi_phdr);
	CHECK_EQ("AT_PHNUM", getauxval(AT_PHNUM), prog.dlpi_phnum);
	CHECK_EQ("AT_PHENT", getauxval(AT_PHENT), sizeof(Elf64_Phdr));
	CHECK_EQ("AT_PAGESZ", getauxval(AT_PAGESZ), 4096);
	CHECK_EQ("AT_CLKTCK", getauxval(AT_CLKTCK), 100);
	CHECK_EQ("AT_SECURE", getauxval(AT_SECURE), 0);
	CHECK_EQ("AT_UID", getauxval(AT_UID), getuid());
	CHECK_EQ("AT_EGID", getauxval(AT_EGID), getegid());
	CHECK("AT_RANDOM points at readable bytes", rnd && (rnd[0] | rnd[15] | 1));
	CHECK_STR("AT_PLATFORM", platform, "x86_64");
	CHECK_STR("AT_EXECFN is the path execve was given", execfn, self);
	CHECK("AT_SYSINFO_EHDR is an ELF header", vdso && !memcmp(vdso, ELFMAG, SELFMAG));
	unsigned int eax, ebx, ecx, edx;

	__asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(1), "c"(0));
	CHECK_EQ("AT_HWCAP is CPUID leaf 1's EDX", raw_auxv(environ, AT_HWCAP), edx);
	CHECK("the program is position independent (a load bias)", prog.dlpi_addr != 0);
	CHECK("the load bias is page aligned", (prog.dlpi_addr & 4095) == 0);

	/* AT_BASE is where the loader's first page is mapped. */
	CHECK("AT_BASE is set", base != 0);
	CHECK("maps names the loader", maps_line("ld-linux-x86-64.so.2", line, sizeof(line)));
	CHECK("the loader's first mapping starts at AT_BASE",
	      strtoul(line, NULL, 16) == base);
	CHECK("the loader lies apart from the program",
	      base > (unsigned long)_start || base + (1UL << 30) < (unsigned long)_start);
	CHECK("maps names libc", maps_line("libc.so.6", line, sizeof(line)));
	CHECK("maps names the program", maps_line(self, line, sizeof(line)));
	CHECK("the program's first mapping is at its load bias",
	      strtoul(line, NULL, 16) == prog.dlpi_addr);
}

/* PT_GNU_RELRO of the program: made read-only by the loader. */
static void check_relro(void)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long n = getauxval(AT_PHNUM), bias = 0, start = 0;
	char want[32], line[512];

	for (unsigned long i = 0; i < n; i++)
		if (ph[i].p_type == PT_PHDR)
			bias = (unsigned long)ph - ph[i].p_vaddr;
	for (unsigned long i = 0; i < n; i++)
		if (ph[i].p_type == PT_GNU_RELRO)
			start = (bias + ph[i].p_vaddr) & ~4095UL;
	CHECK("the program has PT_GNU_RELRO", start != 0);
	snprintf(want, sizeof(want), "%lx-", start);
	CHECK("its RELRO pages begin a mapping", maps_line(want, line, sizeof(line)));
	CHECK("RELRO is read-only after relocation", strstr(line, " r--p ") != NULL);
}

static void check_dlopen(void)
{
	char path[256];
	void *h;

	snprintf(path, sizeof(path), "%.*s/libabi_dynlib.so",
		 (int)(strrchr(self, '/') - self), self);
	h = dlopen(path, RTLD_NOW);
	CHECK("dlopen of a shared library", h != NULL);
	if (!h)
		return;
	int (*answer)(void) = (int (*)(void))dlsym(h, "abi_dynlib_answer");
	int *counter = (int *)dlsym(h, "abi_dynlib_counter");

	CHECK("dlsym finds a function", answer != NULL);
	CHECK("dlsym finds data", counter != NULL);
	if (answer && counter) {
		CHECK_EQ("the library's function runs", answer(), 42);
		CHECK_EQ("its initialised data is the file's", *counter, 7);
		*counter = 8;
		CHECK_EQ("its data is privately writable", answer(), 43);
	}
	CHECK("maps names the library", maps_line("libabi_dynlib.so", path, sizeof(path)));
	CHECK_OK("dlclose", dlclose(h));
}

/* The file's copy of the loader's path, to patch in copies of ourselves. */
static long interp_offset(const char *file, size_t *len)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long n = getauxval(AT_PHNUM);

	(void)file;
	for (unsigned long i = 0; i < n; i++)
		if (ph[i].p_type == PT_INTERP) {
			*len = ph[i].p_filesz;
			return (long)ph[i].p_offset;
		}
	return -1;
}

/* A copy of this program at @path with @patch over its interpreter name. */
static int copy_patched(const char *path, const char *patch, size_t plen)
{
	static char buf[4 << 20];
	size_t ilen;
	long off = interp_offset(self, &ilen);
	int in = open(self, O_RDONLY), out;
	ssize_t n;

	if (in < 0 || off < 0 || plen > ilen)
		return -1;
	n = read(in, buf, sizeof(buf));
	close(in);
	if (n <= off + (long)ilen)
		return -1;
	memcpy(buf + off, patch, plen);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (out < 0)
		return -1;
	if (write(out, buf, (size_t)n) != n) {
		close(out);
		return -1;
	}
	return close(out);
}

/* execve(@path) in a child: the child's errno, or 0 if the exec worked. */
static int exec_errno(const char *path)
{
	int fds[2], err = 0;
	pid_t p;

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	p = fork();
	if (p == 0) {
		char *argv[] = { (char *)path, "exit", NULL };

		execv(path, argv);
		err = errno;
		write(fds[1], &err, sizeof(err));
		_exit(127);
	}
	close(fds[1]);
	if (read(fds[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(fds[0]);
	waitpid(p, NULL, 0);
	return err;
}

static void check_bad_interp(void)
{
	size_t ilen = 0;
	char name[64];

	interp_offset(self, &ilen);
	CHECK("the interpreter name fits a patch", ilen > 12 && ilen < sizeof(name));
	if (ilen <= 12 || ilen >= sizeof(name))
		return;

	/* A name of the same length: /tmp/ + padding, for the patched copies. */
	memset(name, 'i', ilen - 1);
	memcpy(name, "/tmp/", 5);
	name[ilen - 1] = '\0';

	CHECK_OK("copy with a missing interpreter", copy_patched("bad-missing", name, ilen));
	unlink(name);
	CHECK_EQ("missing interpreter: ENOENT", exec_errno("./bad-missing"), ENOENT);

	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CHECK("an interpreter that is not executable", fd >= 0);
	write(fd, "not an ELF file, but long enough to hold an ELF header......", 60);
	close(fd);
	CHECK_OK("copy naming it", copy_patched("bad-noexec", name, ilen));
	CHECK_EQ("interpreter without an execute bit: EACCES", exec_errno("./bad-noexec"), EACCES);
	chmod(name, 0755);
	CHECK_EQ("interpreter shorter than an ELF header: EIO", exec_errno("./bad-noexec"), EIO);
	fd = open(name, O_WRONLY | O_APPEND);
	write(fd, "-------- more bytes than an ELF header -----", 44);
	close(fd);
	CHECK_EQ("interpreter that is not ELF: ELIBBAD", exec_errno("./bad-noexec"), ELIBBAD);
	unlink(name);

	memset(name, 'x', ilen);
	CHECK_OK("copy with an unterminated interpreter name", copy_patched("bad-unterm", name, ilen));
	CHECK_EQ("unterminated PT_INTERP: ENOEXEC", exec_errno("./bad-unterm"), ENOEXEC);

	CHECK_EQ("an unpatched copy runs", (copy_patched("good", "/", 1), exec_errno("./good")), 0);
}

/* The addresses a fresh exec got, as "layout" prints them. */
struct layout {
	unsigned long bias, loader, stack, brk, vdso;
};

static void print_layout(void)
{
	struct dl_phdr_info prog = { 0 };
	struct layout l;
	int local;

	dl_iterate_phdr(phdr_cb, &prog);
	l.bias = prog.dlpi_addr;
	l.loader = getauxval(AT_BASE);
	l.stack = (unsigned long)&local;
	l.brk = (unsigned long)sbrk(0);
	l.vdso = getauxval(AT_SYSINFO_EHDR);
	write(1, &l, sizeof(l));
}

/* Exec ourselves with "layout" (under @persona) and read what it got. */
static int get_layout(unsigned long persona, struct layout *l)
{
	int fds[2];
	pid_t p;
	ssize_t n;

	if (pipe(fds))
		return -1;
	p = fork();
	if (p == 0) {
		char *argv[] = { (char *)self, "layout", NULL };

		dup2(fds[1], 1);
		if (personality(persona) < 0)
			_exit(1);
		execv(self, argv);
		_exit(127);
	}
	close(fds[1]);
	n = read(fds[0], l, sizeof(*l));
	close(fds[0]);
	waitpid(p, NULL, 0);
	return n == sizeof(*l) ? 0 : -1;
}

static void check_randomization(void)
{
	struct layout a, b, c, d;
	unsigned long old = personality(0xffffffff);

	CHECK_EQ("personality starts as PER_LINUX", old, 0);
	CHECK_EQ("personality sets and returns the old one", personality(ADDR_NO_RANDOMIZE), 0);
	CHECK_EQ("personality(0xffffffff) only asks", personality(0xffffffff), ADDR_NO_RANDOMIZE);
	CHECK_EQ("personality back", personality(PER_LINUX), ADDR_NO_RANDOMIZE);

	CHECK("two randomised execs", !get_layout(PER_LINUX, &a) && !get_layout(PER_LINUX, &b));
	CHECK("the program's base moves", a.bias != b.bias);
	CHECK("the loader's base moves", a.loader != b.loader);
	CHECK("the stack moves", a.stack != b.stack);
	CHECK("the brk moves", a.brk != b.brk);
	CHECK("two execs with ADDR_NO_RANDOMIZE",
	      !get_layout(ADDR_NO_RANDOMIZE, &c) && !get_layout(ADDR_NO_RANDOMIZE, &d));
	CHECK("without randomisation every address repeats", !memcmp(&c, &d, sizeof(c)));
	CHECK_EQ("the program at Linux's ET_DYN base", c.bias, 0x555555554000UL);
	CHECK("the stack just below 0x7ffffffff000",
	      c.stack < 0x7ffffffff000UL && c.stack > 0x7ffffffff000UL - (1UL << 20));
	CHECK("the loader below the stack's 128 MiB",
	      c.loader < 0x7ffffffff000UL - (128UL << 20) && c.loader > 0x7ff000000000UL);
	CHECK("the brk follows the program", c.brk > c.bias && c.brk < c.bias + (64UL << 20));
}

/*
 * glibc 2.35+: the registered rseq area of the calling thread, or NULL.
 * __rseq_size is the size of the fields the kernel fills (Debian's 2.36:
 * 20 on Linux 6.1), 0 if glibc could not register.
 */
extern const ptrdiff_t __rseq_offset;
extern const unsigned int __rseq_size;

static volatile uint32_t *rseq_cpu_id(void)
{
	if (__rseq_size < 8)
		return NULL;
	return (volatile uint32_t *)((char *)__builtin_thread_pointer() +
				     __rseq_offset + 4);
}

static long thread_rseq_ok;

static void *thread_tid(void *arg)
{
	volatile uint32_t *cpu = rseq_cpu_id();

	thread_rseq_ok = cpu && *cpu < (uint32_t)sysconf(_SC_NPROCESSORS_ONLN);
	*(long *)arg = syscall(SYS_gettid);
	return arg;
}

/* glibc registers rseq for the main thread; sched_getcpu reads it. */
static void check_rseq(void)
{
	volatile uint32_t *cpu = rseq_cpu_id();
	int agree = 0;

	CHECK("glibc registered its rseq area (__rseq_size set)", cpu != NULL);
	if (!cpu)
		return;
	for (int i = 0; i < 20; i++) {
		uint32_t before = *cpu;
		int c = sched_getcpu();

		agree += c >= 0 && (uint32_t)c == before && *cpu == before;
	}
	CHECK("the area's cpu_id is sched_getcpu's CPU", agree >= 18);
}

/* glibc's pthread_create and pthread_join: clone3 with a stack and TLS. */
static void check_threads(void)
{
	pthread_t th;
	long tid = 0;
	void *ret = NULL;

	CHECK_EQ("glibc pthread_create", pthread_create(&th, NULL, thread_tid,
		 &tid), 0);
	CHECK_EQ("glibc pthread_join", pthread_join(th, &ret), 0);
	CHECK("the thread ran with a tid of its own", ret == &tid && tid > 0 &&
	      tid != getpid());
	CHECK("glibc registered the new thread's rseq area too", thread_rseq_ok);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exit"))
		return 0;
	if (argc > 1 && !strcmp(argv[1], "layout")) {
		print_layout();
		return 0;
	}
	self = argv[0];
	TEST_BEGIN("abi_dynamic");
	check_auxv();
	check_relro();
	check_dlopen();
	check_bad_interp();
	check_randomization();
	check_threads();
	check_rseq();
	return TEST_END();
}
