/*
 * The formats execve (exec.c) loads, internal to kernel/proc: ELF64
 * executables and their interpreters (binfmt_elf.c) and "#!" scripts (binfmt_script.c),
 * and the argument buffer they share. Process context; may sleep.
 */
#pragma once
#include <kernel/vfs.h>
#include <kernel/mm.h>
#include <uapi/elf.h>

/* The bytes of a file read to tell its format. */
#define BINPRM_BUF	256
/* All argument and environment strings together, as Linux's 8 MiB / 4. */
#define MAX_ARG_TOTAL	(2 * 1024 * 1024)

/* The arguments and environment, copied into one kernel buffer. */
struct exec_args {
	char *buf;		/* argv strings, then envp strings */
	size_t len, cap;
	int argc, envc;
	char *filename;		/* as given (AT_EXECFN) */
};

/*
 * A checked ELF header and its program headers (kmalloc'd, caller frees),
 * and where elf_map put it.
 */
struct elf_image {
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	uintptr_t lo, hi;	/* page-aligned span of the PT_LOAD segments */
	bool has_interp;	/* a PT_INTERP names a loader */
	uint64_t load_bias;	/* address minus p_vaddr, once mapped */
	uintptr_t bss_zero;	/* the tail of the last file page to clear */
	size_t bss_len;		/* once the mm is active; 0 if none */
};

/*
 * Check the ELF header already in @img->eh and read the program headers
 * of @f: 0, -ENOEXEC (not an x86-64 ELF64 we load), -ENOMEM, -EIO.
 */
int elf_check(struct file *f, struct elf_image *img);
/*
 * Read the interpreter's name from @img's PT_INTERP into @path (@size
 * bytes, at least PATH_MAX): 1 if there is one, 0 if not, -ENOEXEC for a
 * malformed name, -EIO.
 */
int elf_interp_path(struct file *f, struct elf_image *img, char *path,
		    size_t size);
/*
 * Map the PT_LOAD segments of @f into @mm (not yet active): the program
 * itself when @main (ET_DYN at ET_DYN_BASE if it has an interpreter; sets
 * the code, data and brk addresses of @mm), else its interpreter (in a
 * free gap). Fills @img's load_bias and bss fields. 0 or -errno.
 */
int elf_map(struct mm *mm, struct file *f, struct elf_image *img, bool main);
/*
 * Build argc/argv/envp/auxv on the new, active stack of current, for
 * program @img and its interpreter loaded at @interp_base (0: none),
 * AT_SECURE being @secure; sets *@rsp. 0 or -errno.
 */
int elf_build_stack(struct exec_args *a, struct elf_image *img,
		    uintptr_t interp_base, bool secure, uintptr_t *rsp);

/*
 * Parse "#!interp [arg]" in the first @len bytes of @buf (BINPRM_BUF, and
 * written into): @interp and @arg point into @buf, @arg NULL if none.
 * 0 or -ENOEXEC.
 */
int script_parse(char *buf, size_t len, char **interp, char **arg);
/*
 * Arguments for running script @script with @interp (and @arg): argv[0]
 * is replaced by "interp [arg] script". 0, -E2BIG or -ENOMEM.
 */
int script_args(struct exec_args *a, const char *script, const char *interp,
		const char *arg);
