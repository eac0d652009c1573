/*
 * kernel_main: bring up ring 1 (system calls, services, the root file
 * system, the console) and start init as Linux does: rdinit= (default
 * /init) from the initramfs; if there is none, the root= device mounted
 * as the root (kernel/vfs/mount_root.c) when one is given; then init=,
 * else the usual fallbacks. The command line is parsed with Linux's rules: known parameters are taken,
 * unknown `key=value` words go to init's environment, other words to its
 * arguments, and everything after `--` to its arguments.
 */
#include <kernel/boot.h>
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/vfs.h>
#include <kernel/uts_ns.h>
#include <kernel/ipc_ns.h>
#include <kernel/time_ns.h>
#include <kernel/pid_ns.h>
#include <kernel/mnt_ns.h>
#include <kernel/rtc.h>
#include <kernel/tty.h>
#include <kernel/ipc.h>
#include <kernel/syscall.h>
#include <kernel/klog.h>
#include <platform/upcall.h>
#include <platform/printk.h>
#include <platform/panic.h>
#include <platform/frame.h>
#include <aramid/profile.h>
#include <aramid/string.h>
#include <uapi/fcntl.h>

#define MAX_INIT_ARGS	32
#define MAX_INIT_ENVS	32

extern const service_init_fn __service_init_start[], __service_init_end[];

static char cmdline_copy[4096];		/* as given, for /proc/cmdline */
static char cmdline_words[4096];	/* split in place */
static const char *init_path, *rdinit_path = "/init";
static const char *init_argv[MAX_INIT_ARGS + 2] = { NULL };
static const char *init_envp[MAX_INIT_ENVS + 3] = { "HOME=/", "TERM=linux" };
static int init_argc = 1, init_envc = 2;
static struct root_args root_args;

const char *kernel_cmdline(void)
{
	return cmdline_copy;
}

static void add_arg(const char *w)
{
	if (init_argc < MAX_INIT_ARGS)
		init_argv[init_argc++] = w;
	else
		pr_warn("Too many boot init arguments: %s", w);
}

static void add_env(const char *w)
{
	size_t klen = strchr(w, '=') - w;

	/* A later value replaces an earlier one of the same name. */
	for (int i = 0; i < init_envc; i++) {
		if (!strncmp(init_envp[i], w, klen + 1)) {
			init_envp[i] = w;
			return;
		}
	}
	if (init_envc < MAX_INIT_ENVS)
		init_envp[init_envc++] = w;
	else
		pr_warn("Too many boot env vars: %s", w);
}

/* Take one word: a parameter of ours, or something for init. */
static void parse_word(char *w)
{
	char *eq = strchr(w, '=');
	char *val = eq ? eq + 1 : NULL;

	if (eq)
		*eq = '\0';
	if (!strcmp(w, "init") && val) {
		init_path = val;
	} else if (!strcmp(w, "rdinit") && val) {
		rdinit_path = val;
	} else if (!strcmp(w, "root") && val) {
		root_args.name = val;
	} else if (!strcmp(w, "rootfstype") && val) {
		root_args.fstypes = val;
	} else if (!strcmp(w, "rootflags") && val) {
		root_args.data = val;
	} else if ((!strcmp(w, "ro") || !strcmp(w, "rw")) && !val) {
		root_args.rw = w[1] == 'w';
	} else if (!strcmp(w, "rootwait") && !val) {
		root_args.wait = true;
	} else if (!strcmp(w, "quiet") && !val) {
		console_set_loglevel(4);
	} else if (!strcmp(w, "norandmaps") && !val) {
		mm_set_randomize(0);
	} else if (!strcmp(w, "nokaslr") && !val) {
		/* The kernel's own addresses are fixed: nothing to turn off. */
	} else if (!strcmp(w, "debug") && !val) {
		console_set_loglevel(10);
	} else if (!strcmp(w, "loglevel") && val) {
		int level = 0;

		for (const char *p = val; *p >= '0' && *p <= '9'; p++)
			level = level * 10 + (*p - '0');
		console_set_loglevel(level);
	} else if (!strcmp(w, "printk.devkmsg") && val) {
		devkmsg_setup(val);
	} else if (!strcmp(w, "console") || strchr(w, '.')) {
		/* console= is ours (one serial console); a.b= is a module's. */
	} else if (val) {
		*eq = '=';
		add_env(w);
	} else {
		add_arg(w);
	}
	if (eq)
		*eq = '=';
}

static void parse_cmdline(const char *cmdline)
{
	char *p = cmdline_words;
	bool rest_to_init = false;

	strlcpy(cmdline_copy, cmdline, sizeof(cmdline_copy));
	strlcpy(cmdline_words, cmdline, sizeof(cmdline_words));
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		char *w = p;

		if (*p == '"') {	/* "quoted words" */
			w = ++p;
			while (*p && *p != '"')
				p++;
		} else {
			while (*p && *p != ' ')
				p++;
		}
		if (*p)
			*p++ = '\0';
		if (rest_to_init)
			add_arg(w);
		else if (!strcmp(w, "--"))
			rest_to_init = true;
		else
			parse_word(w);
	}
}

static void start_services(void)
{
	for (const service_init_fn *fn = __service_init_start;
	     fn < __service_init_end; fn++) {
		int err = (*fn)();

		if (err)
			pr_err("service start-up failed: %d", err);
	}
}

/* The first process: pid 1, session and group leader. */
static struct task *make_init_task(void)
{
	struct task *t = task_alloc(0);

	if (!t || t->pid != 1)
		panic("kernel_main: cannot create init");
	t->mm = mm_new();
	t->files = files_new();
	if (!t->mm || !t->files)
		panic("kernel_main: no memory for init");
	t->pgid = t->sid = 1;
	t->state = TASK_RUNNING;
	strlcpy(t->comm, "swapper", sizeof(t->comm));
	rlimits_init(t->rlim);
	cred_init_root(&t->cred);
	user_count_init_task(t);
	t->umask = 022;
	t->sig.altstack.ss_flags = SS_DISABLE;
	t->cpu.kstack_top = kstack_top(t->kstack);
	t->pid_ns = pid_ns_get(&init_pid_ns);
	t->pid_ns_children = pid_ns_get(&init_pid_ns);
	t->ns_nr = &t->pid;
	init_pid_ns.reaper = t;
	return t;
}

static void open_console(void)
{
	struct file *f = kernel_open("/dev/console", O_RDWR, 0);

	if (IS_ERR(f)) {
		pr_warn("Warning: unable to open an initial console.");
		return;
	}
	fd_install(f, false);
	fget(f);
	fd_install(f, false);
	fget(f);
	fd_install(f, false);
}

static bool try_init(const char *path)
{
	long err;

	init_argv[0] = path;
	err = exec_init(path, init_argv, init_envp);
	if (err && err != -ENOENT)
		pr_err("Failed to execute %s (error %ld)", path, -err);
	return err == 0;
}

static void run_init(void)
{
	static const char *const fallbacks[] = {
		"/sbin/init", "/etc/init", "/bin/init", "/bin/sh",
	};

	/* Linux's kernel_init_freeable: no initramfs init, so the disk. */
	if (kernel_eaccess(rdinit_path) == 0) {
		if (try_init(rdinit_path))
			return;
	} else if (root_args.name) {
		mount_root(&root_args);
	}
	if (init_path) {
		if (try_init(init_path))
			return;
		panic("Requested init %s failed.", init_path);
	}
	for (size_t i = 0; i < ARRAY_SIZE(fallbacks); i++)
		if (try_init(fallbacks[i]))
			return;
	panic("No working init found. Try passing init= option to kernel.");
}

void kernel_main(const struct boot_info *bi)
{
	struct frame_stats fs;
	struct task *init;

	parse_cmdline(bi->cmdline);
	init_envp[init_envc] = NULL;
	pr_info("Aramid, " PROFILE_NAME " profile");
	pr_info("Command line: %s", bi->cmdline);
	frame_stats(&fs);
	pr_info("Memory: %luK available of %luK", fs.free * 4, bi->mem_bytes >> 10);

	syscall_table_init();
	init = make_init_task();
	sched_init(init);
	start_services();
	vfs_init();
	init->fs = fs_context_new();
	if (!init->fs)
		panic("kernel_main: no memory for init");
	init->uts_ns = uts_ns_get(&init_uts_ns);
	init->ipc_ns = ipc_ns_get(&init_ipc_ns);
	init->time_ns = time_ns_get(&init_time_ns);
	init->time_ns_children = time_ns_get(&init_time_ns);
	init->mnt_ns = mnt_ns_get(&init_mnt_ns);
	tty_init();
	mqueue_init();
	rtc_dev_init();
	uffd_dev_init();
	initramfs_default();
	if (bi->initrd_size && initramfs_unpack(bi->initrd_size))
		pr_err("initramfs: unpacking failed");
	open_console();
	run_init();
	sched_start_cpus();
	cpu_thread_first(&init->cpu);
	cpu_enter_user(task_frame(init));
}
