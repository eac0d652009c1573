/*
 * What the kernel tells the sysfs service (services/fs/sysfs/, which also
 * serves cgroup2) and no other (scripts/check-layers.sh keeps it there):
 * how many CPUs run, the network interfaces as the network service
 * reports them, and which tasks live, each as a function over ring 1's
 * state so that sysfs walks none of its structures.
 */
#pragma once
#include <aramid/types.h>
#include <svc/cpus.h>

/* One network interface, as SIOCGIF* reports it. */
struct net_if_facts {
	char name[16];		/* IFNAMSIZ */
	unsigned flags;		/* SIOCGIFFLAGS: IFF_*, with IFF_RUNNING */
	int mtu;
	int txqlen;
	unsigned short type;	/* ARPHRD_* */
	uint8_t addr[6];	/* the hardware address (zero for loopback) */
};

/*
 * The interface with index @ifindex (kernel/net/netsvc_family.c): 0 and
 * *@out, or -ENODEV (also without a network service). Process context.
 */
int net_if_facts(int ifindex, struct net_if_facts *out);

/*
 * The lowest id at least @from of a process, or with @threads of a
 * thread; 0 if there is none (kernel/proc/task.c). A zombie counts only
 * with @zombies (a process, while any of its threads lives). Kernel
 * threads have no id and are never found.
 */
pid_t task_next_id(pid_t from, bool threads, bool zombies);
