/*
 * smaps_util.h - what the mm tests share of /proc/self/smaps: whether a
 * vma's VmFlags line has a mnemonic, and a vma's Rss.
 */
#ifndef ABI_SMAPS_UTIL_H
#define ABI_SMAPS_UTIL_H
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * Whether the smaps entry of the vma starting at @addr has VmFlags
 * mnemonic @flag: 1 or 0, -1 if there is no such entry.
 */
static inline int smaps_flag(void *addr, const char *flag)
{
	static char buf[1 << 17];
	char head[32], want[8];
	int fd = open("/proc/self/smaps", O_RDONLY);
	ssize_t n = 0, r;
	char *at, *vf, *nl;

	if (fd < 0)
		return -1;
	while (n < (ssize_t)sizeof buf - 1 &&
	       (r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	snprintf(head, sizeof head, "%lx-", (unsigned long)addr);
	for (at = strstr(buf, head); at && at != buf && at[-1] != '\n';
	     at = strstr(at + 1, head))
		;
	if (!at || !(vf = strstr(at, "VmFlags:")) || !(nl = strchr(vf, '\n')))
		return -1;
	*nl = 0;
	snprintf(want, sizeof want, " %s ", flag);
	return strstr(vf, want) != NULL;
}

/* The Rss of the vma that starts at @start, in kB; -1 if none. */
static inline long rss_kb(const void *start)
{
	char line[256], want[32];
	FILE *f = fopen("/proc/self/smaps", "r");
	long kb = -1;
	int in = 0;

	snprintf(want, sizeof want, "%lx-", (unsigned long)start);
	while (f && fgets(line, sizeof line, f)) {
		if (!strncmp(line, want, strlen(want)))
			in = 1;
		else if (in && sscanf(line, "Rss: %ld kB", &kb) == 1)
			break;
	}
	if (f)
		fclose(f);
	return in ? kb : -1;
}

#endif
