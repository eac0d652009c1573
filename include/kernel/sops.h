/*
 * The wrappers through which the socket layer (kernel/net/socket.c) calls
 * an address family's proto_ops (kernel/net/sops.c): sop_<op> for every
 * operation of the interface (include/svc/socket.h, where each is
 * described), with the same parameters and results: a plain call for a
 * ring-1 family (AF_UNIX, ops->svc NULL), a call across the service
 * boundary for a service's family (AF_INET: the network service),
 * presenting the socket's capability. An operation the family lacks gives
 * Linux's errno for it.
 */
#pragma once
#include <kernel/socket.h>
#include <kernel/svc_dispatch.h>

#define proto_ops_wrapper(name)	sop_##name

SVC_WRAPPER_DECLS(PROTO_OPS, proto_ops)
