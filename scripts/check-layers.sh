#!/bin/sh
# The source lint of the ring design (README, "Architecture"), checked
# before the kernel links:
#   platform/ (ring 0) includes only aramid/, uapi/ and platform/ headers;
#   kernel/   (ring 1) may add kernel/ and svc/ headers, never platform
#             internals;
#   services/ (ring 2) includes only the ring-2 API that ring 1 publishes,
#             svc/, with aramid/ and uapi/, the ring-0 facilities named in
#             SVC_PLATFORM below, its own headers, and lwIP's ("lwip/...",
#             "netif/..."): never a kernel/ header. svc/introspect.h, the
#             kernel's state for /proc, is procfs's alone, and
#             svc/sysfacts.h, the machine's facts for /sys, sysfs's;
#   include/svc/ includes svc/, aramid/, uapi/ and SVC_PLATFORM headers
#             (and kernel/ ones in introspect.h only);
#   lib/ is shared and includes only aramid/ and uapi/.
# Outside platform/ (the trusted code, `make tcb`) there is also
#   - no direct frame pointer (frame_map) but in the file-data helper
#     (kernel/vfs/file_page.c and its inline half, include/svc/file_page.h),
#     where the profile's frame-access rule is applied once for every
#     filesystem;
#   - no inline assembly, nor platform's inline interrupt mask
#     (<platform/irqflags.h>);
#   - no raw physical-memory access: none of the address-space windows or
#     conversions (DIRECT_MAP, KERNEL_VMA, KERNEL_PHYS, phys_to_virt,
#     virt_to_phys, kimage_to_phys) and no literal kernel-half address;
#   - no unchecked cast of a user address: the .va field of uptr_t is
#     touched only in include/aramid/types.h (UPTR(), uptr_to_ulong()).
# Usage: check-layers.sh [TREE] (default: this source tree). Prints each
# violation and exits 1 if there is any. scripts/lint-selftest.sh feeds
# it deliberately bad trees.
set -eu
cd "${1:-$(dirname "$0")/..}"
fail=0
bad() { echo "lint: $*" >&2; fail=1; }

check() {	# dir, allowed-include-regex
	for f in $(find "$1" -name '*.[chS]' 2>/dev/null); do
		grep -Hn '^#include' "$f" | grep -vE "$2" | while read -r line; do
			echo "layering: $line" >&2
			echo x
		done | grep -q x && fail=1
	done
	return 0
}

# Lines of the C and assembly files under the directories given that
# match the extended regex $1, as file:line: text.
grep_src() {	# regex, dir...
	re=$1
	shift
	for d in "$@"; do
		[ -e "$d" ] || continue
		find "$d" -name '*.[chS]' -exec grep -HnE "$re" {} + || true
	done
}

report() {	# matching lines, what they are
	if [ -n "$1" ]; then
		printf '%s\n' "$1" | sed 's/^/lint: /' >&2
		bad "$2 (lines above)"
	fi
}

check platform '#include (<(aramid|uapi|platform)/[^>]+>|"[a-z0-9_]+\.h")'
check lib '#include <(aramid|uapi)/[^>]+>'
# The ring-0 facilities services may use: memory, time, messages, user
# copies, page frames (owned, reached through svc/file_page.h), PCI
# devices, interrupt masking, power.
SVC_PLATFORM='platform/(heap|time|printk|panic|usercopy|frame|pci|cpu|power)\.h'
check kernel '#include (<(aramid|uapi|platform|kernel|svc)/[^>]+>|"[a-z0-9_]+\.h")'
check services "#include (<(aramid|uapi|svc)/[^>]+>|<$SVC_PLATFORM>|\"[a-z0-9_]+\\.h\"|\"(lwip|netif)/[a-z0-9_/]+\\.h\")"
for f in $(find include/svc -name '*.h' ! -name introspect.h 2>/dev/null); do
	lines=$(grep -Hn '^#include' "$f" |
		grep -vE "#include (<(aramid|uapi|svc)/[^>]+>|<$SVC_PLATFORM>)") ||
		continue
	printf '%s\n' "$lines" | sed 's/^/layering: /' >&2
	fail=1
done
report "$(grep_src '#include[[:space:]]*<svc/introspect\.h>' services |
	grep -v '^services/fs/procfs/')" \
	"svc/introspect.h outside procfs"
report "$(grep_src '#include[[:space:]]*<svc/sysfacts\.h>' services |
	grep -v '^services/fs/sysfs/')" \
	"svc/sysfacts.h outside sysfs"
for d in include/aramid include/uapi; do
	check "$d" '#include <((aramid|uapi)/[^>]+|std(int|def|bool|arg)\.h)>'
done
check include/platform '#include <(aramid|uapi|platform)/[^>]+>'

# Private platform headers ("x86.h" and friends) stay inside platform/.
for f in $(find kernel services lib include -name '*.[ch]' 2>/dev/null); do
	if grep -qE '#include "(x86|layout|frame_internal|cpu_internal|'\
'contain_internal|uaccess)\.h"' "$f"; then
		bad "$f includes a platform-private header"
	fi
done

outside="kernel services lib include/kernel include/svc"
report "$(grep_src '\b(asm|__asm__)\b' $outside)" \
	"inline assembly outside platform/"
report "$(grep_src '#include[[:space:]]*<platform/irqflags\.h>' $outside)" \
	"platform's inline interrupt mask (platform/irqflags.h) outside platform/"
report "$(grep_src '\bframe_map\b' $outside |
	grep -vE '^(kernel/vfs/file_page\.c|include/svc/file_page\.h):')" \
	"direct frame pointer outside platform/ and the file-page helper"
outside="$outside include/aramid include/uapi"
windows='DIRECT_MAP|KERNEL_VMA|KERNEL_PHYS'
convert='phys_to_virt|virt_to_phys|kimage_to_phys'
literal='0x[fF]{4}8[0-9a-fA-F]{11}|0x[fF]{8}8[0-9a-fA-F]{7}'	# the two windows
report "$(grep_src "\\b($windows|$convert)\\b|($literal)[uUlL]*\\b" $outside)" \
	"raw physical-memory access outside platform/"
report "$(grep_src '(\.|->)[[:space:]]*va\b' $outside |
	grep -v '^include/aramid/types\.h:')" \
	"user address cast by hand (.va of uptr_t) outside platform/"
exit $fail
