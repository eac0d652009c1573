/*
 * The ELF core file of current's process, laid out as Linux 6.1's
 * elf_core_dump lays it out on x86_64: the ELF header, a PT_NOTE header
 * and one PT_LOAD header per area; the notes (per thread NT_PRSTATUS,
 * NT_FPREGSET and NT_X86_XSTATE, the dumper's first and between them the
 * process's NT_PRPSINFO, NT_SIGINFO, NT_AUXV and NT_FILE); then, from the
 * next page boundary, the memory of each area as coredump_filter picks
 * it. Pages never touched of anonymous memory are holes. Every write
 * counts against RLIMIT_CORE, and the first that would pass it ends the
 * file there. Kernel lock held; the other threads are parked.
 */
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/usage.h>
#include <kernel/vfs.h>
#include <svc/introspect.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <aramid/string.h>
#include <uapi/elf.h>
#include <uapi/ptrace.h>
#include "coredump_internal.h"
#include "proc_internal.h"
#include "ptrace_internal.h"

/* coredump_filter's bits (Linux's MMF_DUMP_*). */
#define DUMP_ANON_PRIVATE	0x1
#define DUMP_ANON_SHARED	0x2
#define DUMP_MAPPED_PRIVATE	0x4
#define DUMP_MAPPED_SHARED	0x8
#define DUMP_ELF_HEADERS	0x10

#define PF_EXITING	0x4		/* Linux's task flags, for pr_flag */
#define PF_DUMPCORE	0x200
#define PF_SIGNALED	0x400
#define PF_RANDOMIZE	0x400000

_Static_assert(sizeof(struct user_regs_struct) ==
	       sizeof(((struct elf_prstatus *)0)->pr_reg), "pr_reg");

/* The file being written: where, how much written, the limit. */
struct core_out {
	struct file *f;
	uint64_t pos;		/* the next byte's offset */
	uint64_t end;		/* the end of what was written */
	uint64_t written;	/* bytes written (skips are free) */
	uint64_t limit;		/* RLIMIT_CORE */
	bool failed;		/* a write was refused: the file ends */
};

/* One area as the dump sees it. */
struct core_vma {
	uintptr_t start, end;
	unsigned prot;
	size_t dump_size;	/* bytes of it written */
	bool fault_in;		/* a file's or shared: read its pages in */
};

struct core_note {
	const char *name;
	uint32_t type;
	const void *data;
	size_t size;
};

/* One thread's notes. */
struct core_thread {
	struct task *t;
	struct elf_prstatus prstatus;
	uint8_t fx[USER_FPREGS_SIZE];
	uint8_t *xstate;	/* cpu_fpu_size() bytes, or NULL */
};

/* Linux's dump_emit: @n bytes at the current offset, if the limit allows. */
static bool core_emit(struct core_out *o, const void *buf, size_t n)
{
	if (o->failed || o->written + n > o->limit ||
	    kernel_write(o->f, buf, n, (off_t)o->pos) != (ssize_t)n) {
		o->failed = true;
		return false;
	}
	o->pos += n;
	o->end = o->pos;
	o->written += n;
	return true;
}

static void core_skip_to(struct core_out *o, uint64_t pos)
{
	o->pos = pos;
}

static void core_align4(struct core_out *o)
{
	core_skip_to(o, ALIGN_UP(o->pos, 4));
}

static size_t note_size(const struct core_note *n)
{
	return sizeof(Elf64_Nhdr) + ALIGN_UP(strlen(n->name) + 1, 4) +
	       ALIGN_UP(n->size, 4);
}

static bool note_emit(struct core_out *o, const struct core_note *n)
{
	Elf64_Nhdr h = {
		.n_namesz = (uint32_t)strlen(n->name) + 1,
		.n_descsz = (uint32_t)n->size,
		.n_type = n->type,
	};

	if (!core_emit(o, &h, sizeof(h)) ||
	    !core_emit(o, n->name, h.n_namesz))
		return false;
	core_align4(o);
	if (!core_emit(o, n->data, n->size))
		return false;
	core_align4(o);
	return true;
}

/* Does the private file area @v begin with an ELF header? */
static bool starts_elf(struct mm *mm, const struct vma *v)
{
	char magic[4];

	return mm_access_remote(mm, v->start, magic, 4, false) == 4 &&
	       !memcmp(magic, ELFMAG, 4);
}

/* Linux's vma_dump_size: how much of @v coredump_filter @filter keeps. */
static size_t vma_dump_size(struct mm *mm, const struct vma *v,
			    unsigned filter)
{
	size_t whole = v->end - v->start, anon;
	struct vma_pages pages;

	if (v->flags & VMA_VDSO)
		return whole;
	if (v->flags & (VMA_VVAR | VMA_DONTDUMP))
		return 0;
	if (v->flags & (VMA_SHARED | VMA_AIO)) {
		bool anon_obj = !v->file || v->file->inode->nlink == 0;

		return filter & (anon_obj ? DUMP_ANON_SHARED :
				 DUMP_MAPPED_SHARED) ? whole : 0;
	}
	/*
	 * Linux's anon_vma: the area has memory of its own, or may have (a
	 * writable private file area with pages: after fork its copies are
	 * read-only, but Linux's anon_vma is inherited).
	 */
	mm_vma_pages(mm, v, &pages);
	anon = pages.anon;
	if (v->file && (v->prot & PROT_WRITE) && pages.resident)
		anon = pages.resident;
	if (anon && (filter & DUMP_ANON_PRIVATE))
		return whole;
	if (!v->file)
		return 0;
	if (filter & DUMP_MAPPED_PRIVATE)
		return whole;
	if ((filter & DUMP_ELF_HEADERS) && v->pgoff == 0 &&
	    (v->prot & PROT_READ) &&
	    ((v->file->inode->mode & 0111) || starts_elf(mm, v)))
		return PAGE_SIZE;
	return 0;
}

/* The areas of @mm: an array of *@n, or NULL without memory. */
static struct core_vma *vma_snapshot(struct mm *mm, size_t *n)
{
	struct core_vma *cv;
	struct vma *v;
	size_t i = 0;

	*n = 0;
	list_for_each_entry(v, &mm->vmas, link)
		(*n)++;
	cv = kmalloc(MAX(*n, 1) * sizeof(*cv));
	if (!cv)
		return NULL;
	list_for_each_entry(v, &mm->vmas, link) {
		cv[i].start = v->start;
		cv[i].end = v->end;
		cv[i].prot = v->prot;
		cv[i].dump_size = vma_dump_size(mm, v, mm->coredump_filter);
		cv[i].fault_in = v->file || (v->flags & VMA_SHARED);
		i++;
	}
	return cv;
}

static struct elf_timeval ns_timeval(uint64_t ns)
{
	return (struct elf_timeval){ (int64_t)(ns / 1000000000),
				     (int64_t)(ns % 1000000000 / 1000) };
}

/* Linux's fill_prstatus and the NT_PRSTATUS regset for thread @t. */
static void fill_prstatus(struct elf_prstatus *ps, struct task *t, int sig)
{
	struct task *leader = task_leader(t);
	struct rusage_totals own, proc, all;
	struct user_regs_struct regs;

	memset(ps, 0, sizeof(*ps));
	ps->pr_info.si_signo = sig;
	ps->pr_cursig = (int16_t)sig;
	ps->pr_sigpend = t->sig.pending;
	ps->pr_sighold = t->sig.blocked;
	ps->pr_pid = t->pid;
	ps->pr_ppid = leader->parent ? leader->parent->tgid : 0;
	ps->pr_pgrp = leader->pgid;
	ps->pr_sid = leader->sid;
	usage_process_totals(leader, &proc);
	usage_with_reaped(leader, &all);
	if (t == leader)
		own = proc;
	else
		usage_thread_totals(t, &own);
	ps->pr_utime = ns_timeval(own.utime_ns);
	ps->pr_stime = ns_timeval(own.stime_ns);
	ps->pr_cutime = ns_timeval(all.utime_ns - proc.utime_ns);
	ps->pr_cstime = ns_timeval(all.stime_ns - proc.stime_ns);
	ptrace_user_regs(t, &regs);
	memcpy(ps->pr_reg, &regs, sizeof(regs));
	ps->pr_fpvalid = 1;
}

/* Linux's fill_psinfo, of the process's leader. */
static void fill_psinfo(struct elf_prpsinfo *pi, struct mm *mm)
{
	struct task *leader = task_leader(current);
	size_t len = MIN(mm->arg_end - mm->arg_start, ELF_PRARGSZ - 1);
	uint64_t flags;

	memset(pi, 0, sizeof(*pi));
	len = mm_read_remote(mm, mm->arg_start, pi->pr_psargs, len);
	for (size_t i = 0; i < len; i++)
		if (!pi->pr_psargs[i])
			pi->pr_psargs[i] = ' ';
	pi->pr_pid = leader->pid;
	pi->pr_ppid = leader->parent ? leader->parent->tgid : 0;
	pi->pr_pgrp = leader->pgid;
	pi->pr_sid = leader->sid;
	/* Running (the dumper), dead, or parked in its exit ('D'). */
	if (leader == current) {
		pi->pr_state = 0;
		flags = PF_SIGNALED | PF_DUMPCORE;
	} else {
		pi->pr_state = leader->state == TASK_ZOMBIE ? 8 : 2;
		flags = PF_SIGNALED | PF_EXITING;
	}
	pi->pr_sname = pi->pr_state > 5 ? '.' : "RSDTZW"[(int)pi->pr_state];
	pi->pr_nice = (char)leader->nice;
	pi->pr_flag = flags | (mm->randomized ? PF_RANDOMIZE : 0);
	pi->pr_uid = leader->cred.uid;
	pi->pr_gid = leader->cred.gid;
	strlcpy(pi->pr_fname, leader->comm, sizeof(pi->pr_fname));
}

/* The auxiliary vector's bytes, to its AT_NULL pair. */
static size_t auxv_size(const struct mm *mm)
{
	size_t i = 0;

	while (i + 2 <= MM_SAVED_AUXV) {
		i += 2;
		if (mm->saved_auxv[i - 2] == AT_NULL)
			break;
	}
	return i * sizeof(uint64_t);
}

/*
 * The areas of files whose names can be had: their count into *@count
 * and their names' bytes returned; with @w, each one's (start, end, page
 * offset) stored at *@w and its name at *@names, both moved on. @name is
 * a PATH_MAX scratch buffer.
 */
static size_t files_walk(struct mm *mm, char *name, size_t *count,
			 uint64_t **w, char **names)
{
	size_t bytes = 0;
	struct vma *v;
	int len;

	*count = 0;
	list_for_each_entry(v, &mm->vmas, link) {
		if (!v->file)
			continue;
		len = file_path_string(v->file, name, PATH_MAX);
		if (len < 0)
			continue;
		(*count)++;
		bytes += (size_t)len + 1;
		if (!w)
			continue;
		*(*w)++ = v->start;
		*(*w)++ = v->end;
		*(*w)++ = v->pgoff;
		memcpy(*names, name, (size_t)len + 1);
		*names += len + 1;
	}
	return bytes;
}

/*
 * NT_FILE: the count, the page size, (start, end, page offset) of each
 * area of a file, then their names, each with its NUL. A buffer of
 * *@size bytes, or NULL (no memory).
 */
static void *fill_files(struct mm *mm, size_t *size)
{
	char *name = kmalloc(PATH_MAX), *data = NULL, *names;
	size_t count, names_len;
	uint64_t *w;

	if (!name)
		return NULL;
	names_len = files_walk(mm, name, &count, NULL, NULL);
	*size = (2 + 3 * count) * sizeof(uint64_t) + names_len;
	data = kmalloc(*size);
	if (data) {
		w = (uint64_t *)data;
		names = data + (2 + 3 * count) * sizeof(uint64_t);
		*w++ = count;
		*w++ = PAGE_SIZE;
		files_walk(mm, name, &count, &w, &names);
	}
	kfree(name);
	return data;
}

/* The threads to dump, current first: an array of *@n, or NULL. */
static struct core_thread *threads_snapshot(size_t *n)
{
	size_t xsize = cpu_fpu_xfeatures() ? cpu_fpu_size() : 0, i = 1;
	struct core_thread *ct;
	struct task *t;

	*n = 1;
	for_each_task(t)
		*n += task_live_sibling(t);
	ct = kmalloc(*n * sizeof(*ct));
	if (!ct)
		return NULL;
	memset(ct, 0, *n * sizeof(*ct));
	ct[0].t = current;
	for_each_task(t)
		if (task_live_sibling(t))
			ct[i++].t = t;
	/* The dumper's FPU state into its save area, as the others' are. */
	cpu_thread_copy_fpu(&current->cpu);
	for (i = 0; i < *n; i++) {
		cpu_thread_get_fxregs(&ct[i].t->cpu, ct[i].fx);
		if (!xsize)
			continue;
		ct[i].xstate = kmalloc(xsize);
		if (ct[i].xstate)
			cpu_thread_get_xstate(&ct[i].t->cpu, ct[i].xstate);
	}
	return ct;
}

static void threads_free(struct core_thread *ct, size_t n)
{
	for (size_t i = 0; ct && i < n; i++)
		kfree(ct[i].xstate);
	kfree(ct);
}

/* Write the page image of @cv, page by page. */
static bool dump_vma_memory(struct core_out *o, struct mm *mm,
			    const struct core_vma *cv, uint8_t *page)
{
	for (uintptr_t va = cv->start; va < cv->start + cv->dump_size;
	     va += PAGE_SIZE) {
		bool got = mm_read_remote(mm, va, page, PAGE_SIZE) == PAGE_SIZE ||
			   (cv->fault_in &&
			    mm_access_remote(mm, va, page, PAGE_SIZE, false) ==
			    PAGE_SIZE);

		if (!got)
			core_skip_to(o, o->pos + PAGE_SIZE);
		else if (!core_emit(o, page, PAGE_SIZE))
			return false;
	}
	return true;
}

static void fill_ehdr(Elf64_Ehdr *eh, size_t phnum)
{
	memset(eh, 0, sizeof(*eh));
	memcpy(eh->e_ident, ELFMAG, 4);
	eh->e_ident[4] = ELFCLASS64;
	eh->e_ident[5] = ELFDATA2LSB;
	eh->e_ident[6] = EV_CURRENT;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = (uint16_t)phnum;
}

/* Headers, notes, memory: stops at the first write refused. */
static void core_write(struct core_out *o, struct mm *mm,
		       const struct core_vma *cv, size_t nvma,
		       const struct core_note *notes, size_t nnotes)
{
	uint64_t off = sizeof(Elf64_Ehdr) + (nvma + 1) * sizeof(Elf64_Phdr);
	size_t notes_bytes = 0;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	uint8_t *page;

	for (size_t i = 0; i < nnotes; i++)
		notes_bytes += note_size(&notes[i]);
	fill_ehdr(&eh, nvma + 1);
	if (!core_emit(o, &eh, sizeof(eh)))
		return;
	ph = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = off,
			   .p_filesz = notes_bytes, .p_align = 4 };
	if (!core_emit(o, &ph, sizeof(ph)))
		return;
	off = ALIGN_UP(off + notes_bytes, PAGE_SIZE);
	for (size_t i = 0; i < nvma; i++) {
		ph = (Elf64_Phdr){
			.p_type = PT_LOAD,
			.p_flags = ((cv[i].prot & PROT_READ) ? PF_R : 0) |
				   ((cv[i].prot & PROT_WRITE) ? PF_W : 0) |
				   ((cv[i].prot & PROT_EXEC) ? PF_X : 0),
			.p_offset = off,
			.p_vaddr = cv[i].start,
			.p_filesz = cv[i].dump_size,
			.p_memsz = cv[i].end - cv[i].start,
			.p_align = PAGE_SIZE,
		};
		off += cv[i].dump_size;
		if (!core_emit(o, &ph, sizeof(ph)))
			return;
	}
	for (size_t i = 0; i < nnotes; i++)
		if (!note_emit(o, &notes[i]))
			return;
	core_skip_to(o, ALIGN_UP(o->pos, PAGE_SIZE));
	page = kmalloc(PAGE_SIZE);
	if (!page)
		return;
	for (size_t i = 0; i < nvma; i++)
		if (!dump_vma_memory(o, mm, &cv[i], page))
			break;
	kfree(page);
}

/* See coredump_internal.h. */
bool elf_core_dump(struct file *f, uint64_t limit, int sig)
{
	struct core_out o = { .f = f, .limit = limit };
	struct mm *mm = current->mm;
	struct core_thread *ct = NULL;
	struct core_note *notes = NULL;
	struct core_vma *cv = NULL;
	struct elf_prpsinfo psinfo;
	size_t nvma, nthreads = 0, nnotes = 0, files_size = 0;
	void *files = NULL;
	bool dumped = false;

	cv = vma_snapshot(mm, &nvma);
	ct = threads_snapshot(&nthreads);
	files = fill_files(mm, &files_size);
	notes = kmalloc((4 + 3 * nthreads) * sizeof(*notes));
	if (!cv || !ct || !files || !notes)
		goto out;
	fill_psinfo(&psinfo, mm);
	for (size_t i = 0; i < nthreads; i++) {
		fill_prstatus(&ct[i].prstatus, ct[i].t, sig);
		notes[nnotes++] = (struct core_note){ "CORE", NT_PRSTATUS,
			&ct[i].prstatus, sizeof(ct[i].prstatus) };
		if (i == 0) {
			notes[nnotes++] = (struct core_note){ "CORE",
				NT_PRPSINFO, &psinfo, sizeof(psinfo) };
			notes[nnotes++] = (struct core_note){ "CORE",
				NT_SIGINFO, &current->sig.info[sig - 1],
				sizeof(siginfo_t) };
			notes[nnotes++] = (struct core_note){ "CORE", NT_AUXV,
				mm->saved_auxv, auxv_size(mm) };
			notes[nnotes++] = (struct core_note){ "CORE", NT_FILE,
				files, files_size };
		}
		notes[nnotes++] = (struct core_note){ "CORE", NT_FPREGSET,
			ct[i].fx, sizeof(ct[i].fx) };
		if (ct[i].xstate)
			notes[nnotes++] = (struct core_note){ "LINUX",
				NT_X86_XSTATE, ct[i].xstate, cpu_fpu_size() };
	}
	/* As Linux: dumped once the notes are ready, however far it gets. */
	dumped = true;
	core_write(&o, mm, cv, nvma, notes, nnotes);
	/* A hole at the end still counts in the file's size. */
	if (!o.failed && o.pos > o.end) {
		o.pos--;
		core_emit(&o, "", 1);
	}
out:
	kfree(notes);
	kfree(files);
	threads_free(ct, nthreads);
	kfree(cv);
	return dumped;
}
