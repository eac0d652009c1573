/*
 * ELF64 file format and auxiliary vector constants used by execve, and
 * the layout of the core files a fatal signal writes (kernel/proc/
 * coredump_elf.c): Linux 6.1's x86_64 notes.
 */
#pragma once
#include <aramid/types.h>

#define EI_NIDENT	16
#define ELFMAG		"\177ELF"
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define ET_EXEC		2
#define ET_DYN		3
#define ET_CORE		4
#define EV_CURRENT	1
#define EM_X86_64	62

#define PT_LOAD		1
#define PT_INTERP	3
#define PT_NOTE		4
#define PT_PHDR		6
#define PT_GNU_STACK	0x6474e551

#define PF_X		1
#define PF_W		2
#define PF_R		4

typedef struct {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
} Elf64_Phdr;

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_HWCAP2	26
#define AT_EXECFN	31
#define AT_SYSINFO_EHDR	33
#define AT_MINSIGSTKSZ	51

/*
 * Note types of a core file, "CORE" notes beside uapi/ptrace.h's
 * NT_PRSTATUS (struct elf_prstatus) and NT_X86_XSTATE (a "LINUX" note).
 */
#define NT_FPREGSET		2		/* the FXSAVE image */
#define NT_PRPSINFO		3		/* struct elf_prpsinfo */
#define NT_AUXV			6		/* the auxiliary vector */
#define NT_SIGINFO		0x53494749	/* the signal's siginfo_t */
#define NT_FILE			0x46494c45	/* the mapped files */

typedef struct {
	uint32_t n_namesz;	/* the name's bytes with its NUL */
	uint32_t n_descsz;
	uint32_t n_type;
} Elf64_Nhdr;

#define ELF_NGREG	27	/* struct user_regs_struct in words */
#define ELF_PRARGSZ	80

struct elf_siginfo {
	int32_t si_signo;
	int32_t si_code;
	int32_t si_errno;
};

struct elf_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

/* One thread's state (NT_PRSTATUS). */
struct elf_prstatus {
	struct elf_siginfo pr_info;
	int16_t pr_cursig;	/* the signal that ended the process */
	uint64_t pr_sigpend;	/* the thread's pending signals */
	uint64_t pr_sighold;	/* ... and blocked ones */
	int32_t pr_pid, pr_ppid, pr_pgrp, pr_sid;
	struct elf_timeval pr_utime, pr_stime, pr_cutime, pr_cstime;
	uint64_t pr_reg[ELF_NGREG];	/* struct user_regs_struct */
	int32_t pr_fpvalid;	/* an NT_FPREGSET note follows */
};

/* The process (NT_PRPSINFO). */
struct elf_prpsinfo {
	char pr_state;		/* numeric state */
	char pr_sname;		/* ... as a letter of "RSDTZW" */
	char pr_zomb;
	char pr_nice;
	uint64_t pr_flag;
	uint32_t pr_uid, pr_gid;
	int32_t pr_pid, pr_ppid, pr_pgrp, pr_sid;
	char pr_fname[16];
	char pr_psargs[ELF_PRARGSZ];	/* the arguments, blank-separated */
};

_Static_assert(sizeof(struct elf_prstatus) == 336, "elf_prstatus");
_Static_assert(sizeof(struct elf_prpsinfo) == 136, "elf_prpsinfo");
