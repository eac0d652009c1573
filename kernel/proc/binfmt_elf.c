/*
 * The ELF loader of execve: checks an ELF64 executable (ET_EXEC or ET_DYN)
 * and the interpreter its PT_INTERP names, maps their PT_LOAD segments and
 * builds the initial stack the ELF ABI gives a new program (argc, argv,
 * envp, auxv).
 */
#include <kernel/task.h>
#include <svc/random.h>
#include <platform/usercopy.h>
#include <platform/heap.h>
#include <platform/vdso.h>
#include <aramid/string.h>
#include "binfmt.h"
#include "proc_internal.h"

/*
 * Where an ET_DYN program with an interpreter goes: 2/3 of the user half,
 * plus up to 2^28 random pages; and how far the first brk may move.
 */
#define ET_DYN_BASE	0x0000555555554000UL
#define ET_DYN_RND_BITS	28
#define BRK_RND_BITS	18	/* 1 GiB */

/* See binfmt.h. */
int elf_check(struct file *f, struct elf_image *img)
{
	Elf64_Ehdr *eh = &img->eh;
	uintptr_t lo = UINTPTR_MAX, hi = 0;
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

		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_filesz > p->p_memsz ||
		    (p->p_vaddr & (PAGE_SIZE - 1)) != (p->p_offset & (PAGE_SIZE - 1)) ||
		    p->p_vaddr + p->p_memsz < p->p_vaddr ||
		    p->p_vaddr + p->p_memsz >= TASK_SIZE)
			return -ENOEXEC;
		lo = MIN(lo, ALIGN_DOWN(p->p_vaddr, PAGE_SIZE));
		hi = MAX(hi, ALIGN_UP(p->p_vaddr + p->p_memsz, PAGE_SIZE));
	}
	if (hi == 0)
		return -ENOEXEC;	/* nothing to load */
	img->lo = lo;
	img->hi = hi;
	return 0;
}

/* See binfmt.h. */
int elf_interp_path(struct file *f, struct elf_image *img, char *path,
		    size_t size)
{
	for (int i = 0; i < img->eh.e_phnum; i++) {
		Elf64_Phdr *p = &img->ph[i];

		if (p->p_type != PT_INTERP)
			continue;
		/* As Linux: a name of 2..PATH_MAX bytes ending in its NUL. */
		if (p->p_filesz < 2 || p->p_filesz > size)
			return -ENOEXEC;
		if (kernel_read(f, path, p->p_filesz, p->p_offset) !=
		    (ssize_t)p->p_filesz)
			return -EIO;
		if (path[p->p_filesz - 1] != '\0')
			return -ENOEXEC;
		return 1;
	}
	return 0;
}

/*
 * The load bias of @img in @mm: none for ET_EXEC; @base for ET_DYN when
 * given, else a free gap of the image's span (the interpreter, and a
 * static PIE, go where mmap would put them). 0 or -ENOMEM.
 */
static int elf_place(struct mm *mm, struct elf_image *img, uintptr_t base)
{
	uintptr_t gap;

	if (img->eh.e_type == ET_EXEC) {
		img->load_bias = 0;
		return 0;
	}
	if (base) {
		img->load_bias = base - img->lo;
		return 0;
	}
	gap = mm_find_gap(mm, img->hi - img->lo);
	if (!gap)
		return -ENOMEM;
	img->load_bias = gap - img->lo;
	return 0;
}

/* See binfmt.h. */
int elf_map(struct mm *mm, struct file *f, struct elf_image *img, bool main)
{
	uintptr_t base = 0;
	int err;

	if (main && img->has_interp)
		base = ET_DYN_BASE + mm_random_offset(mm, ET_DYN_RND_BITS);
	err = elf_place(mm, img, base);

	if (err)
		return err;
	img->bss_len = 0;
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

		if (p->p_filesz) {
			err = mm_map_region(mm, start, file_end - start, prot, 0,
					    f, ALIGN_DOWN(p->p_offset, PAGE_SIZE) / PAGE_SIZE);
			if (err)
				return err;
			/* The rest of the last file page belongs to .bss. */
			if (p->p_memsz > p->p_filesz &&
			    ((va + p->p_filesz) & (PAGE_SIZE - 1))) {
				img->bss_zero = va + p->p_filesz;
				img->bss_len = file_end - img->bss_zero;
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
		if (!main)
			continue;
		if (prot & PROT_EXEC) {
			mm->start_code = start;
			mm->end_code = va + p->p_filesz;
		} else if (!mm->start_data) {
			mm->start_data = va;
			mm->end_data = va + p->p_filesz;
		}
	}
	if (!main)
		return 0;
	/*
	 * As Linux: the brk follows the program, a random distance on if
	 * fully randomised (level 2), when a static PIE's also moves out of
	 * the mmap area it was put in, to the ET_DYN base it did not take.
	 */
	base = img->load_bias + img->hi;
	if (mm->randomized && mm_randomize_level() > 1) {
		if (img->eh.e_type == ET_DYN && !img->has_interp)
			base = ET_DYN_BASE;
		base += mm_random_offset(mm, BRK_RND_BITS);
	}
	mm->brk_start = mm->brk = base;
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

/* See binfmt.h. */
int elf_build_stack(struct exec_args *a, struct elf_image *img,
		    uintptr_t interp_base, bool secure, uintptr_t *rsp)
{
	struct mm *mm = current->mm;
	uintptr_t sp = mm->stack_top, strings, execfn, platform, random;
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
	/* As Linux's arch_align_stack: up to 8 KiB lower, 16-byte aligned. */
	if (mm->randomized) {
		uint16_t r;

		random_bytes(&r, sizeof(r));
		sp -= r % 8192;
	}
	sp = ALIGN_DOWN(sp, 16);
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
		AT_BASE, interp_base,
		AT_FLAGS, 0,
		AT_ENTRY, img->load_bias + img->eh.e_entry,
		AT_UID, current->cred.uid,
		AT_EUID, current->cred.euid,
		AT_GID, current->cred.gid,
		AT_EGID, current->cred.egid,
		AT_SECURE, secure,
		AT_RANDOM, random,
		AT_HWCAP, cpu_hwcap(),
		AT_HWCAP2, cpu_hwcap2(),
		AT_CLKTCK, 100,
		AT_PLATFORM, platform,
		AT_EXECFN, execfn,
		AT_MINSIGSTKSZ, sigframe_min_stack(),
		AT_SYSINFO_EHDR, mm->vdso_base + VDSO_TEXT_OFFSET,
		AT_NULL, 0,
	};
	_Static_assert(sizeof(auxv) <= sizeof(mm->saved_auxv), "auxv");
	memcpy(mm->saved_auxv, auxv, sizeof(auxv));
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
