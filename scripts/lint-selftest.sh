#!/bin/sh
# Negative tests of the source lint (scripts/check-layers.sh): each case
# is a one-file source tree with one deliberate violation, which the lint
# must reject with the expected message; a clean file must pass. Ends
# with "N passed, N failed" and exits non-zero on any failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# case NAME FILE EXPECT: a tree holding FILE (contents on stdin); EXPECT
# is "ok" for a clean tree, else a word the lint's complaint must contain.
case_() {
	tree="$tmp/$1"
	mkdir -p "$tree/$(dirname "$2")"
	cat > "$tree/$2"
	out=$(sh "$top/scripts/check-layers.sh" "$tree" 2>&1)
	rc=$?
	if [ "$3" = ok ]; then
		[ $rc -eq 0 ] && ok=1 || ok=0
	else
		[ $rc -ne 0 ] && printf '%s' "$out" | grep -q "$3" && ok=1 || ok=0
	fi
	if [ $ok -eq 1 ]; then
		echo "PASS lint: $1"
		pass=$((pass + 1))
	else
		echo "FAIL lint: $1 (exit $rc, expected ${3}): $out"
		fail=$((fail + 1))
	fi
}

case_ "clean kernel file accepted" kernel/good.c ok <<'C'
#include <aramid/types.h>
static unsigned long page_of(uptr_t p) { return uptr_to_ulong(p) >> 12; }
C
case_ "inline asm in kernel/ rejected" kernel/bad.c "inline assembly" <<'C'
static void halt(void) { __asm__ volatile("hlt"); }
C
case_ "platform/irqflags.h in kernel/ rejected" kernel/bad.c "interrupt mask" <<'C'
#include <platform/irqflags.h>
C
case_ "phys_to_virt in services/ rejected" services/bad.c "physical-memory" <<'C'
static char *peek(unsigned long pa) { return phys_to_virt(pa); }
C
case_ "DIRECT_MAP arithmetic in kernel/ rejected" kernel/bad.c "physical-memory" <<'C'
static void *raw(unsigned long pa) { return (void *)(pa + DIRECT_MAP); }
C
case_ "literal direct-map address in lib/ rejected" lib/bad.c "physical-memory" <<'C'
static char *const low_ram = (char *)0xffff800000001000;
C
case_ "literal kernel-image address in kernel/ rejected" kernel/bad.c "physical-memory" <<'C'
static const char *const text = (const char *)0xffffffff80200000UL;
C
case_ "uptr_t .va cast in kernel/ rejected" kernel/bad.c "cast by hand" <<'C'
#include <aramid/types.h>
static char *deref(uptr_t p) { return (char *)p.va; }
C
case_ "uptr_t ->va in services/ rejected" services/bad.c "cast by hand" <<'C'
#include <aramid/types.h>
static unsigned long addr(const uptr_t *p) { return p->va; }
C
case_ "platform-private header in kernel/ rejected" kernel/bad.c "platform-private" <<'C'
#include "x86.h"
C
case_ "kernel/ header included by platform/ rejected" platform/bad.c "layering" <<'C'
#include <kernel/task.h>
C
case_ "clean service file accepted" services/fs/good/good.c ok <<'C'
#include <svc/vfs.h>
#include <platform/heap.h>
#include "good.h"
C
case_ "kernel/ header included by services/ rejected" services/bad.c "layering" <<'C'
#include <kernel/task.h>
C
case_ "ring-1 internal header reached by path from services/ rejected" services/fs/bad/bad.c "layering" <<'C'
#include "../../../kernel/vfs/vfs_internal.h"
C
case_ "unpublished platform header in services/ rejected" services/bad.c "layering" <<'C'
#include <platform/mmu.h>
C
case_ "kernel/ header in the ring-2 API rejected" include/svc/bad.h "layering" <<'C'
#include <kernel/mm.h>
C
case_ "introspection outside procfs rejected" services/fs/tmpfs/bad.c "introspect" <<'C'
#include <svc/introspect.h>
C
case_ "introspection in procfs accepted" services/fs/procfs/good.c ok <<'C'
#include <svc/introspect.h>
C
case_ "frame_map in a filesystem rejected" services/fs/bad/bad.c "frame pointer" <<'C'
static char *data(unsigned long pa) { return frame_map(pa); }
C

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
