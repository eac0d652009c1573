/*
 * What the kernel tells the sysfs service (services/fs/sysfs/, which also
 * serves cgroup2) and no other (scripts/check-layers.sh keeps it there):
 * how many CPUs run, the network interfaces as the network service
 * reports them, which tasks live and the real-time clock, each as a
 * function over ring 1's state so that sysfs walks none of its
 * structures.
 */
#pragma once
#include <aramid/types.h>
#include <svc/cpus.h>
#include <uapi/rtc.h>

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

/*
 * The real-time clock /dev/rtc0 stands for (kernel/rtc/), as Linux's
 * rtc class core reports it. Process context.
 */
/* Its device number. */
dev_t rtc_devt(void);
/* Whether its time set the system clock at boot. */
bool rtc_hctosys(void);
/* Linux's rtc_read_time: 0, -EIO (the chip), or -EINVAL (no valid date). */
int rtc_read_time(struct rtc_time *tm);
/* Linux's rtc_read_alarm: the alarm's time and whether it is on. */
void rtc_read_alarm(struct rtc_wkalrm *alm);
/*
 * Linux's rtc_set_alarm: @alm->time must be a valid date (-EINVAL); an
 * alarm set on must be at most a day ahead unless something else is due
 * first (-EINVAL, and it is left off); one already due fires at once.
 */
int rtc_set_alarm(const struct rtc_wkalrm *alm);
/*
 * The highest periodic rate a process without CAP_SYS_RESOURCE may ask
 * for, and setting it: 1..4095, else -EINVAL.
 */
int rtc_max_user_freq(void);
int rtc_set_max_user_freq(unsigned long freq);
