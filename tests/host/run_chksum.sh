#!/bin/sh
# Host unit test of the network service's Internet checksum
# (services/net/chksum.c).
exec sh "$(dirname "$0")/unit.sh" chksum_test services/net/chksum.c
