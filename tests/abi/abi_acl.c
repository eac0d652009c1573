/* abi_acl.c - POSIX ACLs on tmpfs as Linux 6.1 keeps them: the system.posix_acl_access/default attribute format (version 2) and its validation, who may set them, the mode they imply, chmod's rewrite, removal, default ACLs inherited by new files and directories (no umask then), and the access an unprivileged child (uid/gid 1000, group 2000) gets or is refused through named-user, named-group and mask entries. */
#include "check.h"
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#define T "abi_acl"
#define UID 1000
#define GID 1000
#define EXTRA_GROUP 2000	/* a supplementary group of the child */
#define ACCESS "system.posix_acl_access"
#define DEFAULT "system.posix_acl_default"

/* The tags and the value's layout, as in linux/posix_acl_xattr.h. */
#define U_OBJ 0x01
#define U_NAMED 0x02
#define G_OBJ 0x04
#define G_NAMED 0x08
#define MASK 0x10
#define OTHER 0x20
#define NOID 0xffffffffu

struct ent {
	uint16_t tag, perm;
	uint32_t id;
};

struct acl {
	uint32_t version;
	struct ent e[8];
};

/* Build in @a the value of the @n entries @e (version 2): its size. */
static size_t acl_make(struct acl *a, const struct ent *e, int n)
{
	a->version = 2;
	memcpy(a->e, e, (size_t)n * sizeof(*e));
	return 4 + (size_t)n * sizeof(*e);
}

static int acl_set(const char *path, const char *name, const struct ent *e,
		   int n)
{
	struct acl a;
	size_t size = acl_make(&a, e, n);
	return setxattr(path, name, &a, size, 0);
}

/* The perm of the entry @tag (@id for named ones) in @path's ACL, or -1. */
static int acl_perm(const char *path, const char *name, int tag, uint32_t id)
{
	struct acl a;
	ssize_t len = getxattr(path, name, &a, sizeof a);
	for (ssize_t i = 0; len > 4 && i < (len - 4) / 8; i++)
		if (a.e[i].tag == tag && (a.e[i].id == id || id == NOID))
			return a.e[i].perm;
	return -1;
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	return lstat(path, &st) ? (mode_t)-1 : st.st_mode & 07777;
}

static void make_file(const char *path, mode_t mode)
{
	close(open(path, O_CREAT | O_WRONLY, 0600));
	chmod(path, mode);
}

static int list_has(const char *path, const char *name)
{
	char list[512];
	ssize_t len = listxattr(path, list, sizeof list);
	for (ssize_t off = 0; off < len; off += (ssize_t)strlen(list + off) + 1)
		if (!strcmp(list + off, name))
			return 1;
	return 0;
}

/* 0 if opening @path with @flags works (closing it), else -errno. */
static int try_open(const char *path, int flags)
{
	int fd = open(path, flags);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* The six-entry ACL used below: u::rw- u:1000:rw- g::r-- g:2000:r-- m::r-- o::---. */
static const struct ent full[] = {
	{ U_OBJ, 6, NOID }, { U_NAMED, 6, UID }, { G_OBJ, 4, NOID },
	{ G_NAMED, 4, EXTRA_GROUP }, { MASK, 4, NOID }, { OTHER, 0, NOID },
};

static void test_format(void)
{
	struct acl a;
	size_t size = acl_make(&a, full, 6);
	make_file("f", 0600);
	CHECK_ERR("unset access ACL ENODATA", getxattr("f", ACCESS, &a, sizeof a), ENODATA);
	CHECK_ERR("value shorter than the header EINVAL", setxattr("f", ACCESS, &a, 2, 0), EINVAL);
	CHECK_ERR("empty value EINVAL", setxattr("f", ACCESS, &a, 0, 0), EINVAL);
	CHECK_ERR("partial entry EINVAL", setxattr("f", ACCESS, &a, size - 3, 0), EINVAL);
	a.version = 1;
	CHECK_ERR("version 1 EOPNOTSUPP", setxattr("f", ACCESS, &a, size, 0), EOPNOTSUPP);

	struct ent bad_tag[] = { { U_OBJ, 6, NOID }, { 0x40, 4, NOID }, { OTHER, 0, NOID } };
	CHECK_ERR("unknown tag EINVAL", acl_set("f", ACCESS, bad_tag, 3), EINVAL);
	struct ent no_id[] = { { U_OBJ, 6, NOID }, { U_NAMED, 6, NOID }, { G_OBJ, 4, NOID }, { MASK, 4, NOID }, { OTHER, 0, NOID } };
	CHECK_ERR("named user without an id EINVAL", acl_set("f", ACCESS, no_id, 5), EINVAL);
	struct ent no_mask[] = { { U_OBJ, 6, NOID }, { U_NAMED, 6, UID }, { G_OBJ, 4, NOID }, { OTHER, 0, NOID } };
	CHECK_ERR("named entry without a mask EINVAL", acl_set("f", ACCESS, no_mask, 4), EINVAL);
	struct ent order[] = { { G_OBJ, 4, NOID }, { U_OBJ, 6, NOID }, { OTHER, 0, NOID } };
	CHECK_ERR("group before owner EINVAL", acl_set("f", ACCESS, order, 3), EINVAL);
	struct ent twice[] = { { U_OBJ, 6, NOID }, { U_OBJ, 6, NOID }, { G_OBJ, 4, NOID }, { OTHER, 0, NOID } };
	CHECK_ERR("owner entry twice EINVAL", acl_set("f", ACCESS, twice, 4), EINVAL);
	struct ent perm[] = { { U_OBJ, 8, NOID }, { G_OBJ, 4, NOID }, { OTHER, 0, NOID } };
	CHECK_ERR("permission bit 8 EINVAL", acl_set("f", ACCESS, perm, 3), EINVAL);
	struct ent no_other[] = { { U_OBJ, 6, NOID }, { G_OBJ, 4, NOID } };
	CHECK_ERR("no other entry EINVAL", acl_set("f", ACCESS, no_other, 2), EINVAL);
	CHECK_EQ("a refused ACL leaves the mode", mode_of("f"), 0600);

	struct ent minimal[] = { { U_OBJ, 7, NOID }, { G_OBJ, 5, NOID }, { OTHER, 1, NOID } };
	CHECK_OK("set a three-entry ACL", acl_set("f", ACCESS, minimal, 3));
	CHECK_EQ("three-entry ACL becomes the mode", mode_of("f"), 0751);
	CHECK_ERR("three-entry ACL is not kept", getxattr("f", ACCESS, &a, sizeof a), ENODATA);
	CHECK("three-entry ACL not listed", !list_has("f", ACCESS));

	struct ent odd_ids[6];
	memcpy(odd_ids, full, sizeof full);
	odd_ids[0].id = 77;	/* ignored for the unnamed tags */
	CHECK_OK("set a six-entry ACL", acl_set("f", ACCESS, odd_ids, 6));
	CHECK_EQ("group bits from the mask", mode_of("f"), 0640);
	CHECK_EQ("get with size 0 gives the length", getxattr("f", ACCESS, NULL, 0), 52);
	CHECK_ERR("get into a short buffer ERANGE", getxattr("f", ACCESS, &a, 51), ERANGE);
	memset(&a, 0, sizeof a);
	CHECK_EQ("get the ACL", getxattr("f", ACCESS, &a, sizeof a), 52);
	CHECK("the value reads back (unnamed ids -1)", a.version == 2 && !memcmp(a.e, full, sizeof full));
	CHECK("listed", list_has("f", ACCESS));
	a.version = 2;
	CHECK_OK("XATTR_CREATE does not apply to an ACL", setxattr("f", ACCESS, &a, 52, XATTR_CREATE));
	CHECK_ERR("an unknown flag still EINVAL", setxattr("f", ACCESS, &a, 52, 4), EINVAL);
	CHECK_ERR("default ACL on a file EACCES", acl_set("f", DEFAULT, full, 6), EACCES);
	CHECK_OK("removing a default ACL of a file succeeds", removexattr("f", DEFAULT));
	CHECK_ERR("a file has no default ACL", getxattr("f", DEFAULT, &a, sizeof a), ENODATA);
	symlink("f", "l");
	CHECK_ERR("ACL on a symlink EOPNOTSUPP", lsetxattr("l", ACCESS, &a, 52, 0), EOPNOTSUPP);
	CHECK_ERR("ACL of a symlink EOPNOTSUPP", lgetxattr("l", ACCESS, &a, sizeof a), EOPNOTSUPP);
	CHECK_EQ("through the symlink: the file's", getxattr("l", ACCESS, NULL, 0), 52);
	CHECK_ERR("ACLs of procfs EOPNOTSUPP", getxattr("/proc/self/status", ACCESS, &a, sizeof a), EOPNOTSUPP);

	CHECK_OK("chmod 0754", chmod("f", 0754));
	CHECK_EQ("chmod: owner entry", acl_perm("f", ACCESS, U_OBJ, NOID), 7);
	CHECK_EQ("chmod: the mask, not the group entry", acl_perm("f", ACCESS, MASK, NOID), 5);
	CHECK_EQ("chmod: group entry kept", acl_perm("f", ACCESS, G_OBJ, NOID), 4);
	CHECK_EQ("chmod: other entry", acl_perm("f", ACCESS, OTHER, NOID), 4);
	CHECK_EQ("chmod: named user kept", acl_perm("f", ACCESS, U_NAMED, UID), 6);
	CHECK_OK("a header alone removes the ACL", setxattr("f", ACCESS, &a, 4, 0));
	CHECK_ERR("removed", getxattr("f", ACCESS, &a, sizeof a), ENODATA);
	CHECK_EQ("the mode stays", mode_of("f"), 0754);
	CHECK_OK("removexattr of an unset ACL", removexattr("f", ACCESS));
}

/* Files the child checks (made by root, owned by root:root). */
static void setup_child_files(void)
{
	make_file("nu", 0600);		/* named user rw through the mask */
	acl_set("nu", ACCESS, full, 6);
	chmod("nu", 0660);		/* mask rw- */
	make_file("nu_mask", 0600);	/* named user rw-, mask r-- */
	acl_set("nu_mask", ACCESS, full, 6);
	struct ent deny[] = { { U_OBJ, 6, NOID }, { U_NAMED, 0, UID }, { G_OBJ, 4, NOID }, { MASK, 7, NOID }, { OTHER, 4, NOID } };
	make_file("nu_deny", 0600);
	acl_set("nu_deny", ACCESS, deny, 5);
	struct ent ng[] = { { U_OBJ, 6, NOID }, { G_OBJ, 0, NOID }, { G_NAMED, 6, EXTRA_GROUP }, { MASK, 6, NOID }, { OTHER, 0, NOID } };
	make_file("ng", 0600);
	acl_set("ng", ACCESS, ng, 5);
	struct ent ng_mask[] = { { U_OBJ, 6, NOID }, { G_OBJ, 0, NOID }, { G_NAMED, 6, EXTRA_GROUP }, { MASK, 4, NOID }, { OTHER, 0, NOID } };
	make_file("ng_mask", 0600);
	acl_set("ng_mask", ACCESS, ng_mask, 5);
	struct ent ng_none[] = { { U_OBJ, 6, NOID }, { G_OBJ, 0, NOID }, { G_NAMED, 0, EXTRA_GROUP }, { MASK, 7, NOID }, { OTHER, 6, NOID } };
	make_file("ng_none", 0600);
	acl_set("ng_none", ACCESS, ng_none, 5);
	make_file("ng_gone", 0600);
	acl_set("ng_gone", ACCESS, ng, 5);
	removexattr("ng_gone", ACCESS);
	struct ent search[] = { { U_OBJ, 7, NOID }, { U_NAMED, 1, UID }, { G_OBJ, 0, NOID }, { MASK, 1, NOID }, { OTHER, 0, NOID } };
	mkdir("sd", 0700);
	make_file("sd/in", 0644);
	acl_set("sd", ACCESS, search, 5);
	make_file("mine", 0600);	/* the owner entry applies to the owner */
	struct ent own[] = { { U_OBJ, 0, NOID }, { U_NAMED, 6, UID }, { G_OBJ, 0, NOID }, { MASK, 6, NOID }, { OTHER, 6, NOID } };
	acl_set("mine", ACCESS, own, 5);
	chown("mine", UID, GID);
	make_file("sgid", 02770);	/* the child's, group 500 it is not in */
	chown("sgid", UID, 500);
	chmod("sgid", 02770);
	make_file("root_f", 0644);
}

static int child(void *arg)
{
	(void)arg;
	gid_t groups[] = { EXTRA_GROUP };
	struct acl a;
	if (setgroups(1, groups) || setresgid(GID, GID, GID) || setresuid(UID, UID, UID))
		return 99;
	CHECK_EQ("named user: read and write", try_open("nu", O_RDWR), 0);
	CHECK_EQ("named user bounded by the mask: write EACCES", try_open("nu_mask", O_RDWR), -EACCES);
	CHECK_EQ("named user bounded by the mask: read", try_open("nu_mask", O_RDONLY), 0);
	CHECK_EQ("named user entry --- refuses though other may read", try_open("nu_deny", O_RDONLY), -EACCES);
	CHECK_EQ("named group: read and write", try_open("ng", O_RDWR), 0);
	CHECK_EQ("named group bounded by the mask: write EACCES", try_open("ng_mask", O_WRONLY), -EACCES);
	CHECK_EQ("named group bounded by the mask: read", try_open("ng_mask", O_RDONLY), 0);
	CHECK_EQ("a matching group granting nothing refuses (not other)", try_open("ng_none", O_RDONLY), -EACCES);
	CHECK_EQ("ACL removed: the mode alone refuses", try_open("ng_gone", O_RDONLY), -EACCES);
	CHECK_EQ("access(2) follows the ACL", access("ng", R_OK | W_OK), 0);
	CHECK_ERR("access(2) refused by the mask", access("ng_mask", W_OK), EACCES);
	CHECK_OK("search through a named user --x", access("sd/in", R_OK));
	CHECK_EQ("no read of that directory", try_open("sd", O_RDONLY | O_DIRECTORY), -EACCES);
	CHECK_EQ("the owner gets the owner entry, not the named one", try_open("mine", O_RDONLY), -EACCES);
	CHECK_ERR("setting another's ACL EPERM", acl_set("root_f", ACCESS, full, 6), EPERM);
	CHECK_ERR("an invalid ACL on another's file: EPERM first", acl_set("root_f", ACCESS, full, 4), EPERM);
	a.version = 1;
	CHECK_ERR("a bad version on another's file: EOPNOTSUPP first", setxattr("root_f", ACCESS, &a, 4, 0), EOPNOTSUPP);
	CHECK_ERR("removing another's ACL EPERM", removexattr("root_f", ACCESS), EPERM);
	CHECK_EQ("anyone may read an ACL", getxattr("nu", ACCESS, NULL, 0), 52);
	CHECK_OK("the owner sets its file's ACL", acl_set("mine", ACCESS, full, 6));
	CHECK_OK("the owner may read its file's ACL", getxattr("mine", ACCESS, &a, sizeof a));
	CHECK_OK("the owner sets an ACL, outside the file's group", acl_set("sgid", ACCESS, full, 6));
	CHECK_EQ("... which drops S_ISGID", mode_of("sgid"), 0640);
	return check_fails;
}

static void test_default(void)
{
	struct ent dflt[] = {
		{ U_OBJ, 7, NOID }, { U_NAMED, 7, UID }, { G_OBJ, 5, NOID },
		{ MASK, 7, NOID }, { OTHER, 0, NOID },
	};
	struct acl a, b;
	mkdir("inh", 0755);
	CHECK_OK("set a default ACL on a directory", acl_set("inh", DEFAULT, dflt, 5));
	CHECK_EQ("a default ACL leaves the mode", mode_of("inh"), 0755);
	CHECK("default ACL listed", list_has("inh", DEFAULT) && !list_has("inh", ACCESS));
	umask(077);
	close(open("inh/f", O_CREAT | O_WRONLY, 0666));
	CHECK_EQ("new file: mode from the ACL, no umask", mode_of("inh/f"), 0660);
	CHECK_EQ("new file: owner entry masked by the mode", acl_perm("inh/f", ACCESS, U_OBJ, NOID), 6);
	CHECK_EQ("new file: named user kept", acl_perm("inh/f", ACCESS, U_NAMED, UID), 7);
	CHECK_EQ("new file: mask masked by the mode", acl_perm("inh/f", ACCESS, MASK, NOID), 6);
	CHECK_ERR("new file: no default ACL", getxattr("inh/f", DEFAULT, &a, sizeof a), ENODATA);
	CHECK_OK("mkdir in it", mkdir("inh/d", 0777));
	CHECK_EQ("new directory: mode from the ACL", mode_of("inh/d"), 0770);
	CHECK_EQ("new directory: mask rwx", acl_perm("inh/d", ACCESS, MASK, NOID), 7);
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	CHECK_EQ("new directory inherits the default ACL", getxattr("inh/d", DEFAULT, &a, sizeof a), 44);
	getxattr("inh", DEFAULT, &b, sizeof b);
	CHECK("... the same one", !memcmp(&a, &b, sizeof a));
	CHECK_OK("mknod a fifo in it", mknod("inh/p", S_IFIFO | 0644, 0));
	CHECK_EQ("new fifo: mode from the ACL", mode_of("inh/p"), 0640);
	CHECK_EQ("new fifo: mask r--", acl_perm("inh/p", ACCESS, MASK, NOID), 4);
	symlink("f", "inh/l");
	CHECK_ERR("new symlink: no ACL", lgetxattr("inh/l", ACCESS, &a, sizeof a), EOPNOTSUPP);
	struct ent three[] = { { U_OBJ, 6, NOID }, { G_OBJ, 4, NOID }, { OTHER, 4, NOID } };
	mkdir("inh3", 0755);
	CHECK_OK("a three-entry default ACL is kept", acl_set("inh3", DEFAULT, three, 3));
	CHECK_EQ("... and read back", getxattr("inh3", DEFAULT, NULL, 0), 28);
	close(open("inh3/f", O_CREAT | O_WRONLY, 0666));
	CHECK_EQ("new file: the mode masked by it, no umask", mode_of("inh3/f"), 0644);
	CHECK_ERR("new file: no access ACL needed", getxattr("inh3/f", ACCESS, &a, sizeof a), ENODATA);
	CHECK_OK("removing the default ACL", removexattr("inh3", DEFAULT));
	close(open("inh3/g", O_CREAT | O_WRONLY, 0666));
	CHECK_EQ("without it the umask applies", mode_of("inh3/g"), 0600);
	umask(022);
}

static int child_default(void *arg)
{
	(void)arg;
	gid_t groups[] = { EXTRA_GROUP };
	if (setgroups(1, groups) || setresgid(GID, GID, GID) || setresuid(UID, UID, UID))
		return 99;
	CHECK_EQ("inherited named user entry grants write", try_open("inh/f", O_WRONLY), 0);
	CHECK_EQ("inherited ACL: the child creates in inh/d", try_open("inh/d/new", O_CREAT | O_WRONLY), 0);
	return check_fails;
}

int main(void)
{
	TEST_BEGIN(T);
	mkdir("acl_mnt", 0755);
	if (mount("tmpfs", "acl_mnt", "tmpfs", 0, NULL) || chdir("acl_mnt")) {
		CHECK("mount a tmpfs", 0);
		return TEST_END();
	}
	chmod(".", 0755);
	test_format();
	setup_child_files();
	CHECK_EQ("unprivileged checks pass", run_child(child, NULL), 0);
	test_default();
	CHECK_EQ("unprivileged default-ACL checks pass", run_child(child_default, NULL), 0);
	struct ent none[] = { { U_OBJ, 0, NOID }, { U_NAMED, 0, UID }, { G_OBJ, 0, NOID }, { MASK, 4, NOID }, { OTHER, 0, NOID } };
	chown("nu_deny", UID, 0);
	CHECK_OK("root sets an ACL on another's file (CAP_FOWNER)", acl_set("nu_deny", ACCESS, none, 5));
	CHECK_EQ("root's CAP_DAC_OVERRIDE passes an ACL refusal", try_open("nu_deny", O_RDWR), 0);
	if (chdir("..") || umount("acl_mnt"))
		CHECK("unmount", 0);
	return TEST_END();
}
