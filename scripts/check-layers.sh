#!/bin/sh
# The layering rule of DESIGN.md, checked before the kernel links:
#   platform/ (ring 0) includes only aramid/, uapi/ and platform/ headers;
#   kernel/   (ring 1) may add kernel/ headers, never platform internals;
#   services/ (ring 2) may add kernel/ headers, never platform internals;
#   lib/ is shared and includes only aramid/ and uapi/.
# Inline asm is allowed in platform/ alone.
set -eu
fail=0
bad() { echo "layering: $*" >&2; fail=1; }

check() {	# dir, allowed-include-regex
	for f in $(find "$1" -name '*.[chS]' 2>/dev/null); do
		grep -Hn '^#include' "$f" | grep -vE "$2" | while read -r line; do
			echo "layering: $line" >&2
			echo x
		done | grep -q x && fail=1
	done
	return 0
}

check platform '#include (<(aramid|uapi|platform)/[^>]+>|"[a-z0-9_]+\.h")'
check lib '#include <(aramid|uapi)/[^>]+>'
check kernel '#include (<(aramid|uapi|platform|kernel)/[^>]+>|"[a-z0-9_]+\.h")'
check services '#include (<(aramid|uapi|platform|kernel)/[^>]+>|"[a-z0-9_]+\.h")'
for d in include/aramid include/uapi; do
	check "$d" '#include <((aramid|uapi)/[^>]+|std(int|def|bool|arg)\.h)>'
done
check include/platform '#include <(aramid|uapi|platform)/[^>]+>'

# Private platform headers ("x86.h" and friends) stay inside platform/.
for f in $(find kernel services lib include -name '*.[ch]' 2>/dev/null); do
	if grep -qE '#include "(x86|layout|frame_internal)\.h"' "$f"; then
		bad "$f includes a platform-private header"
	fi
done
if grep -rlE '\b(asm|__asm__)\b' kernel services lib include/kernel 2>/dev/null; then
	bad "inline assembly outside platform/ (files above)"
fi
exit $fail
