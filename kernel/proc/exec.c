/*
 * execve and execveat: copy in the arguments and environment, open the
 * file (by path, or through a descriptor), follow "#!" scripts to their
 * interpreter (binfmt_script.c), load the ELF64 executable and its
 * PT_INTERP loader (binfmt_elf.c), map the vDSO and replace the calling
 * process's image; also exec_init, which starts init.
 *
 * Everything that can fail on user input happens before the point of no
 * return; after it only memory exhaustion can fail, and that kills the
 * process as Linux does.
 */
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/vfs.h>
#include <kernel/vfs_ops.h>
#include <kernel/keys.h>
#include <kernel/posix_timer.h>
#include <svc/random.h>
#include <kernel/syscall.h>
#include <kernel/rseq.h>
#include <platform/usercopy.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <platform/vdso.h>
#include <kernel/time_ns.h>
#include <aramid/string.h>
#include <uapi/elf.h>
#include <uapi/fcntl.h>
#include "binfmt.h"
#include "proc_internal.h"

#define MAX_ARG_STRLEN	(32 * PAGE_SIZE)	/* one argument or variable */
#define MAX_ARG_COUNT	0x7fffffff
#define MAX_INTERP_DEPTH 4

static int args_push(struct exec_args *a, const char *s, size_t n)
{
	if (a->len + n + 1 > MAX_ARG_TOTAL)
		return -E2BIG;
	if (a->len + n + 1 > a->cap) {
		size_t cap = MAX(a->cap * 2, ALIGN_UP(a->len + n + 1, 4096));
		char *nb = kmalloc(cap);

		if (!nb)
			return -ENOMEM;
		memcpy(nb, a->buf, a->len);
		kfree(a->buf);
		a->buf = nb;
		a->cap = cap;
	}
	memcpy(a->buf + a->len, s, n);
	a->buf[a->len + n] = '\0';
	a->len += n + 1;
	return 0;
}

/* Copy a NULL-terminated array of user strings. Returns the count. */
static long copy_strings(struct exec_args *a, uptr_t vec)
{
	char *tmp = kmalloc(MAX_ARG_STRLEN);
	long n = 0, err = 0;

	if (!tmp)
		return -ENOMEM;
	for (; !uptr_null(vec); n++) {
		uint64_t p;

		if (get_user(p, uptr_add(vec, n * 8))) {
			err = -EFAULT;
			break;
		}
		if (!p)
			break;
		long len = strncpy_from_user(tmp, UPTR(p), MAX_ARG_STRLEN);

		if (len < 0) {
			err = len == -ENAMETOOLONG ? -E2BIG : len;
			break;
		}
		err = args_push(a, tmp, len);
		if (err)
			break;
	}
	kfree(tmp);
	return err ? err : n;
}

/*
 * Where the vDSO goes, as Linux 6.1 puts it: above the stack, at a random
 * page before the next 2 MiB boundary if there is room there, else (the
 * stack at the very top: norandmaps) in the mmap area. 0 if no room.
 */
static uintptr_t vdso_place(struct mm *mm, size_t len)
{
	uintptr_t start = mm->stack_top, end;

	end = MIN(ALIGN_UP(start + len, 2UL << 20), TASK_SIZE);
	if (end < start + len)
		return mm_find_gap(mm, len);
	end -= len;
	if (end > start) {
		uint64_t r;

		random_bytes(&r, sizeof(r));
		start += r % ((end - start) / PAGE_SIZE + 1) * PAGE_SIZE;
	}
	return start;
}

/* The vDSO's vmas ([vvar], then [vdso]) and pages in @mm. 0 or -ENOMEM. */
static int map_vdso(struct mm *mm)
{
	uintptr_t base = vdso_place(mm, vdso_size());
	int err;

	if (!base)
		return -ENOMEM;
	err = mm_map_region(mm, base, VDSO_TEXT_OFFSET, PROT_READ,
			    VMA_VVAR, NULL, 0);
	if (!err)
		err = mm_map_region(mm, base + VDSO_TEXT_OFFSET,
				    vdso_size() - VDSO_TEXT_OFFSET,
				    PROT_READ | PROT_EXEC, VMA_VDSO, NULL, 0);
	if (!err)
		err = vdso_map(mm->space, base, time_ns_vdso_syscall());
	if (!err)
		mm->vdso_base = base;
	return err;
}

/*
 * Open what @p (a file, O_PATH or not, whose reference this takes over)
 * is for execution, as Linux's do_open_execat and may_open check it: a
 * regular file (-ELOOP for a symlink, else -EACCES) not on a noexec
 * mount (-EACCES) that the caller may execute (inode_permission, which
 * wants an execute bit even for root) and nobody has open for writing
 * (-ETXTBSY). Reading it needs no read permission. A file open for
 * reading, or an ERR_PTR.
 */
static struct file *exec_check(struct file *p)
{
	struct file *f;
	int err;

	if (IS_ERR(p))
		return p;
	err = S_ISLNK(p->inode->mode) ? -ELOOP : -EACCES;
	if (!S_ISREG(p->inode->mode) || path_noexec(&p->path))
		goto out_put;
	err = inode_permission(p->inode, MAY_EXEC);
	if (err)
		goto out_put;
	err = -ETXTBSY;
	if (p->inode->writecount > 0)
		goto out_put;
	f = vfs_reopen(p, O_RDONLY | O_LARGEFILE);
	fput(p);
	return f;
out_put:
	fput(p);
	return ERR_PTR(err);
}

/* Open @path (from the current directory) for execution. */
static struct file *open_exec(const char *path)
{
	return exec_check(kernel_open(path, O_PATH, 0));
}

/*
 * Open what execveat names for execution: @path relative to @dfd, the
 * final symlink refused with AT_SYMLINK_NOFOLLOW (ELOOP), or with an
 * empty @path and AT_EMPTY_PATH the file @dfd is (fexecve).
 */
static struct file *open_exec_at(int dfd, const char *path, unsigned at)
{
	struct file *d;

	if (*path || !(at & AT_EMPTY_PATH))
		return exec_check(do_open(dfd, path, O_PATH |
				  (at & AT_SYMLINK_NOFOLLOW ? O_NOFOLLOW : 0), 0));
	d = fd_get(dfd);
	if (!d)
		return ERR_PTR(-EBADF);
	return exec_check(d);
}

/* End every other thread of the exec'ing process and wait until gone. */
static void kill_other_threads(void)
{
	struct task *t;

	if (!task_other_threads(current))
		return;
	for_each_task(t)
		if (t != current && t->tgid == current->tgid &&
		    t->state != TASK_ZOMBIE)
			send_signal(t, SIGKILL, NULL);
	/* Not interruptible: a signal for us must not stop the wait. */
	while (task_other_threads(current))
		sched_sleep_ticks(1);
}

/*
 * Open and check the interpreter @img names, if any, into *@fi and
 * @interp (*@fi stays NULL without one). 0 or -errno, as Linux: the
 * open's error, -EIO for a file shorter than an ELF header, -ELIBBAD for
 * one that is not an ELF64 we load.
 */
static int open_interp(struct file *f, struct elf_image *img,
		       struct file **fi, struct elf_image *interp)
{
	char *path = kmalloc(PATH_MAX);
	int err;

	if (!path)
		return -ENOMEM;
	err = elf_interp_path(f, img, path, PATH_MAX);
	if (err <= 0)
		goto out;
	img->has_interp = true;
	*fi = open_exec(path);
	if (IS_ERR(*fi)) {
		err = PTR_ERR(*fi);
		*fi = NULL;
		goto out;
	}
	err = -EIO;
	if (kernel_read(*fi, &interp->eh, sizeof(interp->eh), 0) !=
	    sizeof(interp->eh))
		goto out;
	err = elf_check(*fi, interp);
	if (err == -ENOEXEC)
		err = -ELIBBAD;
out:
	kfree(path);
	return err;
}

/* The new address space: program, interpreter, stack and vDSO. */
static struct mm *exec_mm(struct file *f, struct elf_image *img,
			  struct file *fi, struct elf_image *interp,
			  unsigned personality)
{
	struct mm *mm = mm_new();
	int err;

	if (!mm)
		return ERR_PTR(-ENOMEM);
	mm_layout_init(mm, exec_randomize(personality));
	err = mm_set_exe_file(mm, f);
	if (!err)
		err = elf_map(mm, f, img, true);
	if (!err && fi)
		err = elf_map(mm, fi, interp, false);
	if (!err)
		err = mm_map_region(mm, mm->stack_top - 32 * PAGE_SIZE,
				    32 * PAGE_SIZE, PROT_READ | PROT_WRITE,
				    VMA_GROWSDOWN, NULL, 0);
	if (!err)
		err = map_vdso(mm);
	if (err) {
		mm_put(mm);
		return ERR_PTR(err);
	}
	return mm;
}

/*
 * Give current the credentials exec computed (@setid: cred_exec's flags)
 * and what follows from them, as Linux's begin_new_exec: a process whose
 * ids differ from its real ones, or that runs a program its user may not
 * read (@nondump), cannot be dumped or traced by its former peers; it
 * loses the personality flags that weaken its layout, and a privileged
 * one forgets its parent-death signal.
 */
static void exec_commit_cred(struct cred *cred, unsigned setid,
			     unsigned personality, bool nondump)
{
	struct cred old = current->cred;

	current->cred = *cred;
	cred_committed(&old);
	cred_release(&old);
	current->personality = personality;
	current->mm->dumpable = !nondump && cred->euid == cred->uid &&
				cred->egid == cred->gid;
	if (setid & CRED_EXEC_SECURE)
		current->pdeath_signal = 0;
}

/*
 * Execute what @dfd, @path and @at name (as execveat), @name being what
 * the program is told it is (AT_EXECFN, a script's argument). Scripts
 * cannot be run from a close-on-exec descriptor (@hidden): their
 * interpreter could not open them (ENOENT, as Linux).
 */
static long do_execveat(int dfd, const char *path, unsigned at,
			const char *execname, bool hidden, struct exec_args *a)
{
	char buf[BINPRM_BUF];
	char name[PATH_MAX];
	struct elf_image img = { 0 }, interp = { 0 };
	struct file *f, *fi = NULL;
	struct mm *mm, *old;
	uintptr_t rsp, entry, interp_base = 0;
	struct cred cred;
	unsigned setid, personality;
	bool nondump = false;
	long err;

	strlcpy(name, execname, sizeof(name));
	for (int depth = 0;; depth++) {
		f = depth ? open_exec(name) : open_exec_at(dfd, path, at);
		if (IS_ERR(f))
			return PTR_ERR(f);
		nondump |= inode_permission(f->inode, MAY_READ) != 0;
		ssize_t n = kernel_read(f, buf, sizeof(buf) - 1, 0);

		if (n < 0) {
			err = n;
			goto out_file;
		}
		if (n < 2 || buf[0] != '#' || buf[1] != '!') {
			if ((size_t)n < sizeof(Elf64_Ehdr)) {
				err = -ENOEXEC;
				goto out_file;
			}
			memcpy(&img.eh, buf, sizeof(img.eh));
			break;
		}
		/* A script: run its interpreter with the script's path. */
		char *interp_name, *arg;

		err = -ELOOP;
		if (depth >= MAX_INTERP_DEPTH)
			goto out_file;
		err = -ENOENT;
		if (hidden && !depth)
			goto out_file;
		err = script_parse(buf, n, &interp_name, &arg);
		if (err)
			goto out_file;
		fput(f);
		err = script_args(a, name, interp_name, arg);
		if (err)
			return err;
		strlcpy(name, interp_name, sizeof(name));
	}
	err = elf_check(f, &img);
	if (!err)
		err = open_interp(f, &img, &fi, &interp);
	if (err)
		goto out_file;
	if (fi)
		nondump |= inode_permission(fi->inode, MAY_READ) != 0;
	cred_copy(&cred, &current->cred);
	setid = cred_exec(&cred, &current->cred, f->inode->mode, f->inode->uid,
			  f->inode->gid, (file_nosuid(f) ? CRED_EXEC_NOSUID : 0) |
			  (current->no_new_privs ? CRED_EXEC_NNP : 0) |
			  (ptrace_exec_unsafe() ? CRED_EXEC_PTRACE : 0));
	personality = current->personality;
	if (setid & CRED_EXEC_SETID)
		personality &= ~PER_CLEAR_ON_SETID;
	mm = exec_mm(f, &img, fi, &interp, personality);
	if (IS_ERR(mm)) {
		err = PTR_ERR(mm);
		cred_release(&cred);
		goto out_file;
	}

	/* The point of no return. Other threads of the process end first. */
	kill_other_threads();
	futex_exit(current);
	old = current->mm;
	current->mm = mm;
	mm_activate(mm);
	vfork_release(current);
	usage_mm_done(current, old);
	mm_put(old);
	exec_commit_cred(&cred, setid, personality, nondump);
	keys_exec();

	if (img.bss_len)
		clear_user(UPTR(img.bss_zero), img.bss_len);
	entry = img.load_bias + img.eh.e_entry;
	if (fi) {
		if (interp.bss_len)
			clear_user(UPTR(interp.bss_zero), interp.bss_len);
		interp_base = interp.load_bias + interp.lo;
		entry = interp.load_bias + interp.eh.e_entry;
	}
	err = elf_build_stack(a, &img, interp_base, setid & CRED_EXEC_SECURE,
			      &rsp);
	if (err) {
		force_signal(SIGSEGV, SI_KERNEL, 0);
		err = 0;
		goto out_file;
	}
	files_close_on_exec(current->files);
	posix_timers_exit(task_leader(current));
	signal_exec_reset(&current->sig);
	rseq_exec(current);
	current->did_exec = true;
	current->clear_child_tid = UPTR(0);
	const char *base = strrchr(name, '/');

	strlcpy(current->comm, base ? base + 1 : name, sizeof(current->comm));
	cpu_thread_reset_fpu(&current->cpu);
	cpu_set_fs_base(&current->cpu, 0);
	ptrace_debugregs_exec();
	cpu_user_frame_init(task_frame(current), entry, rsp);
	current->in_syscall = false;
	if (task_traced(current))
		ptrace_exec(current->pid);
	err = 0;
out_file:
	kfree(img.ph);
	kfree(interp.ph);
	if (fi)
		fput(fi);
	fput(f);
	return err;
}

/*
 * execve and execveat from user space: copy everything in, name the
 * program as Linux does ("/dev/fd/N[/path]" when found through a
 * descriptor), then exec.
 */
static long sys_exec_common(int dfd, uptr_t upath, uptr_t argv, uptr_t envp,
			    unsigned at)
{
	struct exec_args a = { 0 };
	char *path = kmalloc(PATH_MAX), *name = NULL;
	bool hidden = false;
	long ret;

	if (!path)
		return -ENOMEM;
	ret = strncpy_from_user(path, upath, PATH_MAX);
	if (ret < 0)
		goto out;
	if (ret == 0 && !(at & AT_EMPTY_PATH)) {
		ret = -ENOENT;
		goto out;
	}
	ret = user_count_exec_check();
	if (ret)
		goto out;
	if (dfd != AT_FDCWD && path[0] != '/') {
		ret = -ENOMEM;
		name = kmalloc(PATH_MAX);
		if (!name)
			goto out;
		ret = -ENAMETOOLONG;
		if (snprintf(name, PATH_MAX, *path ? "/dev/fd/%d/%s" :
			     "/dev/fd/%d", dfd, path) >= PATH_MAX)
			goto out;
		hidden = fd_get_cloexec(dfd);
	}
	a.filename = name ? name : path;
	ret = copy_strings(&a, argv);
	/*
	 * An empty argv gets "" as argv[0], as since Linux 5.18, so that a
	 * program starting at argv[1] does not walk into the environment.
	 */
	if (ret == 0) {
		ret = args_push(&a, "", 0);
		if (!ret)
			ret = 1;
	}
	if (ret < 0)
		goto out;
	a.argc = ret;
	ret = copy_strings(&a, envp);
	if (ret < 0)
		goto out;
	a.envc = ret;
	ret = -EINVAL;
	if (at & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		goto out;
	ret = do_execveat(dfd, path, at, a.filename, hidden, &a);
	/* On success the frame holds the new image: keep rax as set up. */
	if (ret == 0)
		ret = task_frame(current)->rax;
out:
	kfree(a.buf);
	kfree(name);
	kfree(path);
	return ret;
}

SYSCALL(__NR_execve, execve)(SYSCALL_ARGS)
{
	return sys_exec_common(AT_FDCWD, UPTR(a0), UPTR(a1), UPTR(a2), 0);
}

SYSCALL(__NR_execveat, execveat)(SYSCALL_ARGS)
{
	return sys_exec_common((int)a0, UPTR(a1), UPTR(a2), UPTR(a3),
			       (unsigned)a4);
}

/* Start the first user program (kernel_main). 0 or -errno. */
long exec_init(const char *path, const char *const argv[],
	       const char *const envp[])
{
	struct exec_args a = { 0 };
	long err = 0;

	a.filename = (char *)path;
	for (; argv[a.argc]; a.argc++) {
		err = args_push(&a, argv[a.argc], strlen(argv[a.argc]));
		if (err)
			goto out;
	}
	for (; envp[a.envc]; a.envc++) {
		err = args_push(&a, envp[a.envc], strlen(envp[a.envc]));
		if (err)
			goto out;
	}
	err = do_execveat(AT_FDCWD, path, 0, path, false, &a);
out:
	kfree(a.buf);
	return err;
}
