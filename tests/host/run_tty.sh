#!/bin/sh
# Build and run the host unit test of the N_TTY line discipline.
set -eu
cd "$(dirname "$0")/../.."
out=build/host
mkdir -p "$out"
${CC:-gcc} -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -g \
	-fsanitize=address,undefined -Iinclude -Ikernel/tty \
	tests/host/n_tty_test.c kernel/tty/n_tty.c -o "$out/n_tty_test"
"$out/n_tty_test"
