/*
 * Calls from ring 1 into the network service (kernel/net/inet.c,
 * kernel/net/netd.c): NCALL(op, ret, args...) calls the registered
 * service's net_service_ops.op across the service boundary (contained
 * with the service's capability in fortress and balanced; a generated
 * direct call, returning from the caller, in performance and ludicrous).
 */
#pragma once
#include <kernel/net_service.h>

/* The registered network service and its capability (kernel/net/inet.c). */
extern const struct net_service_ops *net_ops;
extern struct svc_cap net_cap;

#if CONFIG_SVC_CONTAIN
#define NCALL(op, ret, ...)						\
	SVC_CALL(net_ops->svc, net_cap, #op, ret, net_ops->op(__VA_ARGS__))
#else
#include <kernel/svc_direct.h>
#include "svc_direct_list.h"
#define NCALL(op, ret, ...)						\
	DIRECT(net_service_ops, op, net_ops->op, __VA_ARGS__)
#endif
