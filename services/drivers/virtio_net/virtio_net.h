/*
 * The virtio-net driver's face to the interface layer (netif.c): find and
 * start the device, send one frame, hand received frames to a callback,
 * and the counters /proc/net/dev prints. Only netif.c includes this.
 */
#pragma once
#include <aramid/types.h>

#define VNET_MTU	1500
#define VNET_FRAME_MAX	1514	/* Ethernet header + MTU, no FCS */

/* What the device counted, as Linux's struct rtnl_link_stats64 names. */
struct vnet_stats {
	uint64_t rx_bytes, rx_packets, rx_dropped, rx_errors;
	uint64_t tx_bytes, tx_packets, tx_dropped, tx_errors;
};

/*
 * Find the first virtio-net PCI function and bring it up with its queues
 * full of receive buffers and its interrupt routed to netd. 0 and the
 * MAC address in @mac, -ENODEV (no device: not an error for the caller)
 * or another -errno. Boot, process context.
 */
int vnet_probe(uint8_t mac[6]);

/* Is the link up (VIRTIO_NET_S_LINK_UP, or always without the feature)? */
bool vnet_link_up(void);

/*
 * Queue one Ethernet frame of @len bytes (the caller fills it through
 * @fill, called once with a buffer of @len bytes). 0, -EMSGSIZE (too
 * long) or -ENOBUFS (the ring is full even after reclaiming; counted as
 * a drop).
 */
int vnet_send(size_t len, void (*fill)(void *buf, size_t len, void *arg),
	      void *arg);

/*
 * Service the device: read (and so clear) the interrupt status, which
 * deasserts the INTx line, reclaim finished transmits, and call @deliver
 * for every received frame (@frame valid only during the call; it
 * returns whether the stack took the frame, which is then counted), then
 * give the buffers back to the device. Process context (netd).
 */
void vnet_service(bool (*deliver)(const void *frame, size_t len));

/* A snapshot of the counters. */
void vnet_get_stats(struct vnet_stats *st);

/* The receive path counts a frame the stack could not take. */
void vnet_count_rx_drop(void);
