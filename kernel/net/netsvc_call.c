/*
 * The wrappers of kernel/net/netsvc.h, generated from the interface list
 * of include/svc/net.h: the one service registered
 * (net_service_register) is every call's table, its token the capability.
 */
#include "netsvc.h"
#include <uapi/errno.h>

#define net_service_ops_table(net)	net_ops
#define net_service_ops_cap(net)	net_cap

SVC_WRAPPERS(NET_SERVICE_OPS, net_service_ops)
