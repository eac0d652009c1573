/*
 * Ring 1's calls into the network service (kernel/net/netsvc_family.c,
 * kernel/net/netd.c): netsvc_<op> for every operation of the interface
 * (include/svc/net.h, where each is described), across the
 * service boundary with the service's capability; @missing while no
 * service is registered. The wrappers are kernel/net/netsvc_call.c.
 */
#pragma once
#include <kernel/net_service.h>
#include <kernel/svc_dispatch.h>

/* The registered network service and its capability (kernel/net/netsvc_family.c). */
extern const struct net_service_ops *net_ops;
extern struct svc_cap net_cap;

#define net_service_ops_wrapper(name)	netsvc_##name

SVC_WRAPPER_DECLS(NET_SERVICE_OPS, net_service_ops)
