/*
 * Private to kernel/keys/: the keyctl(2) commands on one key
 * (keyctl_key.c) that the dispatcher (keyctl.c) calls; each returns
 * what keyctl returns for it (0, a length, or -errno), as Linux 6.1's
 * security/keys/keyctl.c.
 */
#pragma once
#include <aramid/types.h>
#include "keys.h"

long keyctl_update(key_serial_t id, uptr_t payload, size_t plen);
long keyctl_revoke(key_serial_t id);
long keyctl_chown(key_serial_t id, uid_t uid, gid_t gid);
long keyctl_setperm(key_serial_t id, uint32_t perm);
long keyctl_describe(key_serial_t id, uptr_t buf, size_t len);
long keyctl_read(key_serial_t id, uptr_t buf, size_t len);
long keyctl_set_timeout(key_serial_t id, unsigned timeout);
long keyctl_get_security(key_serial_t id, uptr_t buf, size_t len);
