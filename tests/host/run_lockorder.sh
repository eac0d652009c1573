#!/bin/sh
# Host unit test of the lock-order graph (lib/lockorder.c): consistent
# orders, two- and three-class inversions each told once, stack overflow.
exec sh "$(dirname "$0")/unit.sh" lockorder_test lib/lockorder.c
