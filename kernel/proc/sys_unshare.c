/*
 * unshare(2), and the namespace checks clone shares with it. Of Linux's
 * namespaces Aramid has the user, UTS, IPC, mount, PID and time ones
 * (kernel/ns/user_ns.c, uts_ns.c, kernel/ipc/ipc_ns.c,
 * kernel/vfs/mnt_ns.c, kernel/ns/pid_ns.c, kernel/time/time_ns.c; a new
 * PID or time namespace is the caller's children's, not its own). A new
 * user namespace comes first and needs no privilege; the others need
 * CAP_SYS_ADMIN in the user namespace that will own them (the new one,
 * if any) and are owned by it. Asking for another kind is EPERM without
 * that and EINVAL with it, in Linux's order, as a Linux built without it
 * answers. What it also unshares is
 * the descriptor table (CLONE_FILES), the root and working directory
 * (CLONE_FS) and the System V semaphore undo list (CLONE_SYSVSEM, and
 * with CLONE_NEWIPC, whose new namespace cannot reach the old sets);
 * CLONE_THREAD, CLONE_SIGHAND and CLONE_VM are taken from a
 * single-threaded process, which shares none of them.
 */
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/ipc.h>
#include <kernel/vfs.h>
#include <kernel/uts_ns.h>
#include <kernel/ipc_ns.h>
#include <kernel/time_ns.h>
#include <kernel/mnt_ns.h>
#include <kernel/pid_ns.h>
#include <kernel/user_ns.h>
#include <kernel/syscall.h>
#include <svc/task.h>
#include <uapi/capability.h>
#include <uapi/clone.h>
#include "proc_internal.h"

/* Linux's check_unshare_flags' list: everything unshare knows. */
#define UNSHARE_KNOWN	(CLONE_THREAD | CLONE_FS | CLONE_NEWNS | CLONE_SIGHAND | \
			 CLONE_VM | CLONE_FILES | CLONE_SYSVSEM | CLONE_NEWUTS | \
			 CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUSER | \
			 CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME)

/* The namespaces there are to create. */
#define NS_CREATABLE	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWPID | \
			 CLONE_NEWIPC | CLONE_NEWTIME)

/*
 * Linux's copy_namespaces checks, after a new user namespace was made
 * (copy_creds): CAP_SYS_ADMIN in @owner, the user namespace the new
 * ones will belong to.
 */
static int ns_create_check(uint64_t flags, const struct user_ns *owner)
{
	if (!(flags & CLONE_NS_ADMIN))
		return 0;
	if (!ns_capable(owner, CAP_SYS_ADMIN))
		return -EPERM;
	return (flags & CLONE_NS_ADMIN & ~NS_CREATABLE) ? -EINVAL : 0;
}

/*
 * See proc_internal.h. After the privilege, as Linux's copy_namespaces:
 * a new IPC namespace cannot share the undo list of the old one's sets.
 */
int clone_ns_check(uint64_t flags)
{
	int err;

	if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS) ||
	    (flags & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS))
		return -EINVAL;
	/* With a new user namespace the privilege is checked in it
	 * (clone_user_ns), where the caller has it. */
	err = (flags & CLONE_NEWUSER) ? 0 :
	      ns_create_check(flags, current_user_ns());
	if (!err && (flags & CLONE_NEWIPC) && (flags & CLONE_SYSVSEM))
		err = -EINVAL;
	return err;
}

/* See proc_internal.h. */
int clone_user_ns(struct cred *c, uint64_t flags)
{
	int err;

	if (!(flags & CLONE_NEWUSER))
		return 0;
	err = user_ns_create(c);
	return err ? err : ns_create_check(flags, c->user_ns);
}

/* See proc_internal.h. */
void clone_ns_owners(struct task *t, uint64_t flags)
{
	struct user_ns *owner = t->cred.user_ns;

	if (!(flags & CLONE_NEWUSER))
		return;
	if (flags & CLONE_NEWNS)
		ns_set_owner(&t->mnt_ns->ns, owner);
	if (flags & CLONE_NEWUTS)
		ns_set_owner(&t->uts_ns->ns, owner);
	if ((flags & CLONE_NEWPID) && t->pid_ns_children != t->pid_ns)
		ns_set_owner(&t->pid_ns_children->ns, owner);
	else if (flags & CLONE_NEWPID)
		ns_set_owner(&t->pid_ns->ns, owner);
	if (flags & CLONE_NEWIPC)
		ns_set_owner(ipc_ns_common(t->ipc_ns), owner);
	if (flags & CLONE_NEWTIME)
		ns_set_owner(&t->time_ns_children->ns, owner);
}

/* Linux's check_unshare_flags, the implied flags already added. */
static int unshare_flags_valid(uint64_t flags)
{
	if (flags & ~(uint64_t)UNSHARE_KNOWN)
		return -EINVAL;
	if ((flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)) &&
	    task_other_threads(current))
		return -EINVAL;
	if ((flags & CLONE_VM) && current->mm && current->mm->refcount > 1)
		return -EINVAL;		/* a vfork child shares it */
	return 0;
}

SYSCALL(__NR_unshare, unshare)(SYSCALL_ARGS)
{
	uint64_t flags = (unsigned long)a0;
	struct fs_context *fs = NULL;
	struct files *files = NULL;
	struct uts_ns *uts = NULL;
	struct ipc_ns *ipc = NULL;
	struct time_ns *time = NULL;
	struct mnt_ns *mnt = NULL;
	struct pid_ns *pid = NULL;
	struct cred cred = { 0 };
	long err;

	/* The flags that imply others, as Linux's ksys_unshare. */
	if (flags & CLONE_NEWUSER)
		flags |= CLONE_THREAD | CLONE_FS;
	if (flags & CLONE_VM)
		flags |= CLONE_SIGHAND;
	if (flags & CLONE_SIGHAND)
		flags |= CLONE_THREAD;
	if (flags & CLONE_NEWNS)
		flags |= CLONE_FS;
	err = unshare_flags_valid(flags);
	if (err)
		return err;
	err = -ENOMEM;
	/* A new mount namespace moves a private copy of the fs context. */
	if ((flags & CLONE_FS) &&
	    (current->fs->refcount > 1 || (flags & CLONE_NEWNS))) {
		fs = fs_context_dup(current->fs);
		if (!fs)
			return err;
	}
	if ((flags & CLONE_FILES) && files_shared(current->files)) {
		files = files_dup(current->files);
		if (IS_ERR(files)) {
			err = PTR_ERR(files);
			files = NULL;
			goto err_fs;
		}
	}
	cred_copy(&cred, &current->cred);
	err = clone_user_ns(&cred, flags);
	if (!err && !(flags & CLONE_NEWUSER))
		err = ns_create_check(flags, current_user_ns());
	if (err)
		goto err_cred;
	err = -ENOMEM;
	if (flags & CLONE_NEWNS) {
		mnt = mnt_ns_copy(current->mnt_ns, fs);
		if (!mnt)
			goto err_cred;
	}
	if (flags & CLONE_NEWUTS) {
		uts = uts_ns_copy(current->uts_ns);
		if (!uts)
			goto err_mnt;
	}
	if (flags & CLONE_NEWIPC) {
		ipc = ipc_ns_new();
		if (!ipc)
			goto err_uts;
	}
	if (flags & CLONE_NEWTIME) {
		time = time_ns_copy(current->time_ns_children);
		if (!time)
			goto err_ipc;
	}
	if (flags & CLONE_NEWPID) {
		/* Once only before a fork: EINVAL as Linux's copy_pid_ns. */
		err = -EINVAL;
		if (current->pid_ns_children != current->pid_ns)
			goto err_time;
		pid = pid_ns_new(current->pid_ns);
		if (IS_ERR(pid)) {
			err = PTR_ERR(pid);
			goto err_time;
		}
	}

	if (flags & CLONE_NEWUSER) {
		struct cred old = current->cred;

		current->cred = cred;
		cred = old;		/* released below */
		cred_committed(&old);
	}
	if (flags & (CLONE_SYSVSEM | CLONE_NEWIPC))
		sem_exit(current);	/* as an exit: the undos apply now */
	if (fs) {
		fs_context_put(current->fs);
		current->fs = fs;
	}
	if (files) {
		files_put(current->files);
		current->files = files;
	}
	if (mnt) {
		mnt_ns_put(current->mnt_ns);
		current->mnt_ns = mnt;
	}
	if (uts) {
		uts_ns_put(current->uts_ns);
		current->uts_ns = uts;
	}
	if (ipc) {
		ipc_ns_put(current->ipc_ns);
		current->ipc_ns = ipc;
	}
	if (time) {
		time_ns_put(current->time_ns_children);
		current->time_ns_children = time;
	}
	if (pid) {
		pid_ns_put(current->pid_ns_children);
		current->pid_ns_children = pid;
	}
	clone_ns_owners(current, flags);
	cred_release(&cred);
	return 0;

err_time:
	time_ns_put(time);
err_ipc:
	ipc_ns_put(ipc);
err_uts:
	uts_ns_put(uts);
err_mnt:
	mnt_ns_put(mnt);
err_cred:
	cred_release(&cred);
	files_put(files);
err_fs:
	fs_context_put(fs);
	return err;
}
