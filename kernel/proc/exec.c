/*
 * execve: load a static ELF64 executable (ET_EXEC, or ET_DYN without an
 * interpreter) or a "#!" script, build the initial stack (argc, argv,
 * envp, auxv) and replace the calling process's image.
 *
 * Everything that can fail on user input happens before the point of no
 * return; after it only memory exhaustion can fail, and that kills the
 * process as Linux does.
 */
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/vfs.h>
#include <kernel/vfs_ops.h>
#include <kernel/random.h>
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <platform/heap.h>
#include <platform/console.h>
#include <platform/time.h>
#include <platform/vdso.h>
#include <aramid/string.h>
#include <uapi/elf.h>
#include <uapi/fcntl.h>

#define MAX_ARG_STRLEN	(32 * PAGE_SIZE)	/* one argument or variable */
#define MAX_ARG_TOTAL	(2 * 1024 * 1024)	/* all of them, as 8 MiB / 4 */
#define MAX_ARG_COUNT	0x7fffffff
#define MAX_INTERP_DEPTH 4
#define ET_DYN_BASE	0x0000555555554000UL
#define BINPRM_BUF	256

/* The arguments and environment, copied into one kernel buffer. */
struct exec_args {
	char *buf;		/* argv strings, then envp strings */
	size_t len, cap;
	int argc, envc;
	char *filename;		/* as given (AT_EXECFN) */
};

void vfork_release(struct task *t);

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

/* Insert @s before the first argument (for #! interpreters). */
static int args_prepend(struct exec_args *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *nb;

	if (a->len + n > MAX_ARG_TOTAL)
		return -E2BIG;
	nb = kmalloc(a->len + n);
	if (!nb)
		return -ENOMEM;
	memcpy(nb, s, n);
	memcpy(nb + n, a->buf, a->len);
	kfree(a->buf);
	a->buf = nb;
	a->len += n;
	a->cap = a->len;
	a->argc++;
	return 0;
}

/* Drop the first argument string (argv[0] is replaced for #!). */
static void args_shift(struct exec_args *a)
{
	if (!a->argc)
		return;
	size_t n = strlen(a->buf) + 1;

	memmove(a->buf, a->buf + n, a->len - n);
	a->len -= n;
	a->argc--;
}

/* Parse "#!interp [arg]" in @buf; fills @interp and @arg. */
static int parse_shebang(char *buf, size_t len, char **interp, char **arg)
{
	char *p, *end;

	buf[len < BINPRM_BUF ? len : BINPRM_BUF - 1] = '\0';
	end = strchr(buf, '\n');
	if (!end)
		end = buf + strlen(buf);
	*end = '\0';
	for (p = buf + 2; *p == ' ' || *p == '\t'; p++)
		;
	if (!*p)
		return -ENOEXEC;
	*interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*arg = NULL;
	if (*p) {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p) {
			*arg = p;
			/* Trailing blanks are trimmed; inner ones kept. */
			char *e = p + strlen(p);

			while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
				*--e = '\0';
		}
	}
	return 0;
}

struct elf_image {
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	uint64_t load_bias;
};

static int elf_check(struct file *f, struct elf_image *img)
{
	Elf64_Ehdr *eh = &img->eh;
	size_t phsize;

	if (memcmp(eh->e_ident, ELFMAG, 4) || eh->e_ident[4] != ELFCLASS64 ||
	    eh->e_ident[5] != ELFDATA2LSB)
		return -ENOEXEC;
	if ((eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
	    eh->e_machine != EM_X86_64 || eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phnum == 0 || eh->e_phnum > 128)
		return -ENOEXEC;
	phsize = eh->e_phnum * sizeof(Elf64_Phdr);
	img->ph = kmalloc(phsize);
	if (!img->ph)
		return -ENOMEM;
	if (kernel_read(f, img->ph, phsize, eh->e_phoff) != (ssize_t)phsize)
		return -EIO;
	for (int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr *p = &img->ph[i];

		if (p->p_type == PT_INTERP)
			return -ENOEXEC;	/* dynamic: no loader here */
		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_filesz > p->p_memsz ||
		    (p->p_vaddr & (PAGE_SIZE - 1)) != (p->p_offset & (PAGE_SIZE - 1)) ||
		    p->p_vaddr + p->p_memsz < p->p_vaddr ||
		    p->p_vaddr + p->p_memsz >= MMAP_TOP)
			return -ENOEXEC;
	}
	img->load_bias = eh->e_type == ET_DYN ? ET_DYN_BASE : 0;
	return 0;
}

/* Map the PT_LOAD segments into @mm (not yet active). */
static int elf_map(struct mm *mm, struct file *f, struct elf_image *img,
		   uintptr_t *bss_zero, size_t *bss_len)
{
	uintptr_t brk = 0;

	*bss_len = 0;
	for (int i = 0; i < img->eh.e_phnum; i++) {
		Elf64_Phdr *p = &img->ph[i];

		if (p->p_type != PT_LOAD)
			continue;
		unsigned prot = (p->p_flags & PF_R ? PROT_READ : 0) |
				(p->p_flags & PF_W ? PROT_WRITE : 0) |
				(p->p_flags & PF_X ? PROT_EXEC : 0);
		uintptr_t va = img->load_bias + p->p_vaddr;
		uintptr_t start = ALIGN_DOWN(va, PAGE_SIZE);
		uintptr_t file_end = ALIGN_UP(va + p->p_filesz, PAGE_SIZE);
		uintptr_t mem_end = ALIGN_UP(va + p->p_memsz, PAGE_SIZE);
		int err;

		if (p->p_filesz) {
			err = mm_map_region(mm, start, file_end - start, prot, 0,
					    f, ALIGN_DOWN(p->p_offset, PAGE_SIZE) / PAGE_SIZE);
			if (err)
				return err;
			/* The rest of the last file page belongs to .bss. */
			if (p->p_memsz > p->p_filesz &&
			    ((va + p->p_filesz) & (PAGE_SIZE - 1))) {
				*bss_zero = va + p->p_filesz;
				*bss_len = file_end - *bss_zero;
			}
		} else {
			file_end = start;
		}
		if (mem_end > file_end) {
			err = mm_map_region(mm, file_end, mem_end - file_end, prot,
					    0, NULL, 0);
			if (err)
				return err;
		}
		if (prot & PROT_EXEC) {
			mm->start_code = start;
			mm->end_code = va + p->p_filesz;
		} else if (!mm->start_data) {
			mm->start_data = va;
			mm->end_data = va + p->p_filesz;
		}
		brk = MAX(brk, mem_end);
	}
	mm->brk_start = mm->brk = brk;
	return 0;
}

/* The address of the program headers in the loaded image, or 0. */
static uintptr_t elf_phdr_addr(struct elf_image *img)
{
	for (int i = 0; i < img->eh.e_phnum; i++) {
		Elf64_Phdr *p = &img->ph[i];

		if (p->p_type == PT_PHDR)
			return img->load_bias + p->p_vaddr;
	}
	for (int i = 0; i < img->eh.e_phnum; i++) {
		Elf64_Phdr *p = &img->ph[i];

		if (p->p_type == PT_LOAD && p->p_offset <= img->eh.e_phoff &&
		    img->eh.e_phoff < p->p_offset + p->p_filesz)
			return img->load_bias + p->p_vaddr +
			       (img->eh.e_phoff - p->p_offset);
	}
	return 0;
}

/* Push @len bytes at the stack pointer *@sp. */
static int stack_push(uintptr_t *sp, const void *data, size_t len)
{
	*sp -= len;
	return copy_to_user(UPTR(*sp), data, len);
}

/* The vDSO's vmas ([vvar], then [vdso]) and pages in @mm. 0 or -ENOMEM. */
static int map_vdso(struct mm *mm)
{
	uintptr_t text = VDSO_BASE + VDSO_TEXT_OFFSET;
	int err;

	err = mm_map_region(mm, VDSO_BASE, VDSO_TEXT_OFFSET, PROT_READ,
			    VMA_VVAR, NULL, 0);
	if (!err)
		err = mm_map_region(mm, text, vdso_size() - VDSO_TEXT_OFFSET,
				    PROT_READ | PROT_EXEC, VMA_VDSO, NULL, 0);
	if (!err)
		err = vdso_map(mm->space, VDSO_BASE);
	return err;
}

/* Build argc/argv/envp/auxv on the new (active) stack; sets *rsp. */
static int build_stack(struct exec_args *a, struct elf_image *img,
		       uintptr_t *rsp)
{
	struct mm *mm = current->mm;
	uintptr_t sp = STACK_TOP, strings, execfn, platform, random;
	uint8_t rnd[16];
	int err;

	err = stack_push(&sp, a->filename, strlen(a->filename) + 1);
	if (err)
		return err;
	execfn = sp;
	err = stack_push(&sp, a->buf, a->len);
	if (err)
		return err;
	strings = sp;
	mm->arg_start = strings;
	err = stack_push(&sp, "x86_64", 7);
	if (err)
		return err;
	platform = sp;
	random_bytes(rnd, sizeof(rnd));
	err = stack_push(&sp, rnd, sizeof(rnd));
	if (err)
		return err;
	random = sp;

	uint64_t auxv[] = {
		AT_PHDR, elf_phdr_addr(img),
		AT_PHENT, sizeof(Elf64_Phdr),
		AT_PHNUM, img->eh.e_phnum,
		AT_PAGESZ, PAGE_SIZE,
		AT_BASE, 0,
		AT_FLAGS, 0,
		AT_ENTRY, img->load_bias + img->eh.e_entry,
		AT_UID, current->cred.uid,
		AT_EUID, current->cred.euid,
		AT_GID, current->cred.gid,
		AT_EGID, current->cred.egid,
		AT_SECURE, 0,
		AT_RANDOM, random,
		AT_HWCAP, 0x178bfbff,
		AT_HWCAP2, 0,
		AT_CLKTCK, 100,
		AT_PLATFORM, platform,
		AT_EXECFN, execfn,
		AT_MINSIGSTKSZ, MINSIGSTKSZ,
		AT_SYSINFO_EHDR, VDSO_BASE + VDSO_TEXT_OFFSET,
		AT_NULL, 0,
	};
	size_t nptr = 1 + a->argc + 1 + a->envc + 1;
	size_t table = nptr * 8 + sizeof(auxv);

	sp = ALIGN_DOWN(sp - table, 16);
	*rsp = sp;

	uint64_t *vec = kmalloc(table);

	if (!vec)
		return -ENOMEM;
	size_t i = 0, off = 0;

	vec[i++] = a->argc;
	for (int k = 0; k < a->argc; k++) {
		vec[i++] = strings + off;
		off += strlen(a->buf + off) + 1;
	}
	vec[i++] = 0;
	mm->arg_end = strings + off;
	mm->env_start = strings + off;
	for (int k = 0; k < a->envc; k++) {
		vec[i++] = strings + off;
		off += strlen(a->buf + off) + 1;
	}
	vec[i++] = 0;
	mm->env_end = strings + off;
	memcpy(&vec[i], auxv, sizeof(auxv));
	err = copy_to_user(UPTR(sp), vec, table);
	kfree(vec);
	mm->start_stack = sp;
	return err;
}

/* Open @path for execution: a regular file with an execute bit. */
static struct file *open_exec(const char *path)
{
	struct file *f = kernel_open(path, O_RDONLY, 0);

	if (IS_ERR(f))
		return f;
	if (S_ISDIR(f->inode->mode)) {
		fput(f);
		return ERR_PTR(-EACCES);
	}
	if (!S_ISREG(f->inode->mode) || !(f->inode->mode & 0111)) {
		fput(f);
		return ERR_PTR(-EACCES);
	}
	return f;
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

static long do_execve(const char *path, struct exec_args *a)
{
	char buf[BINPRM_BUF];
	char name[PATH_MAX];
	struct elf_image img = { 0 };
	struct file *f;
	struct mm *mm, *old;
	uintptr_t rsp, bss_zero = 0;
	size_t bss_len;
	long err;

	strlcpy(name, path, sizeof(name));
	for (int depth = 0;; depth++) {
		f = open_exec(name);
		if (IS_ERR(f))
			return PTR_ERR(f);
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
		char *interp, *arg;

		err = -ELOOP;
		if (depth >= MAX_INTERP_DEPTH)
			goto out_file;
		err = parse_shebang(buf, n, &interp, &arg);
		if (err)
			goto out_file;
		fput(f);
		args_shift(a);
		err = args_prepend(a, name);
		if (!err && arg)
			err = args_prepend(a, arg);
		if (!err)
			err = args_prepend(a, interp);
		if (err)
			return err;
		strlcpy(name, interp, sizeof(name));
	}
	err = elf_check(f, &img);
	if (err)
		goto out_file;
	mm = mm_new();
	err = -ENOMEM;
	if (!mm)
		goto out_file;
	err = elf_map(mm, f, &img, &bss_zero, &bss_len);
	if (!err)
		err = mm_map_region(mm, STACK_TOP - 32 * PAGE_SIZE,
				    32 * PAGE_SIZE, PROT_READ | PROT_WRITE,
				    VMA_GROWSDOWN, NULL, 0);
	if (!err)
		err = map_vdso(mm);
	if (err) {
		mm_put(mm);
		goto out_file;
	}

	/* The point of no return. Other threads of the process end first. */
	kill_other_threads();
	old = current->mm;
	current->mm = mm;
	mm_activate(mm);
	vfork_release(current);
	mm_put(old);

	if (bss_len)
		clear_user(UPTR(bss_zero), bss_len);
	err = build_stack(a, &img, &rsp);
	if (err) {
		force_signal(SIGSEGV, SI_KERNEL, 0);
		err = 0;
		goto out_file;
	}
	files_close_on_exec(current->files);
	signal_exec_reset(&current->sig);
	current->did_exec = true;
	current->clear_child_tid = UPTR(0);
	const char *base = strrchr(name, '/');

	strlcpy(current->comm, base ? base + 1 : name, sizeof(current->comm));
	cpu_thread_reset_fpu(&current->cpu);
	cpu_set_fs_base(&current->cpu, 0);
	cpu_user_frame_init(task_frame(current),
			    img.load_bias + img.eh.e_entry, rsp);
	current->in_syscall = false;
	err = 0;
out_file:
	kfree(img.ph);
	fput(f);
	return err;
}

/* execve from user space: copy everything in, then exec. */
static long sys_exec_common(uptr_t upath, uptr_t argv, uptr_t envp)
{
	struct exec_args a = { 0 };
	char *path = kmalloc(PATH_MAX);
	long ret;

	if (!path)
		return -ENOMEM;
	ret = strncpy_from_user(path, upath, PATH_MAX);
	if (ret < 0)
		goto out;
	if (ret == 0) {
		ret = -ENOENT;
		goto out;
	}
	a.filename = path;
	ret = copy_strings(&a, argv);
	if (ret < 0)
		goto out;
	a.argc = ret;
	ret = copy_strings(&a, envp);
	if (ret < 0)
		goto out;
	a.envc = ret;
	ret = do_execve(path, &a);
	/* On success the frame holds the new image: keep rax as set up. */
	if (ret == 0)
		ret = task_frame(current)->rax;
out:
	kfree(a.buf);
	kfree(path);
	return ret;
}

SYSCALL(__NR_execve, execve)(SYSCALL_ARGS)
{
	return sys_exec_common(UPTR(a0), UPTR(a1), UPTR(a2));
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
	err = do_execve(path, &a);
out:
	kfree(a.buf);
	return err;
}
