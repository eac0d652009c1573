#!/bin/sh
# Host unit test of the sparse page index (kernel/mm/page_index.c),
# against a reference model and with every allocation failing in turn.
exec sh "$(dirname "$0")/unit.sh" page_index_test kernel/mm/page_index.c
