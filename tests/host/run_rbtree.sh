#!/bin/sh
# Host unit test of the red-black tree (lib/rbtree.c) against a presence
# map, checking its order, links and balance after every change.
exec sh "$(dirname "$0")/unit.sh" rbtree_test lib/rbtree.c
