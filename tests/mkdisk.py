#!/usr/bin/python3
"""Make the disk images of the disk suite (tests/run.py --suite disk).

  tests/mkdisk.py DIR

DIR/disk.img: 8 MiB whose every sector s holds pattern(s) below, except
sector 0, an MBR with two primary partitions (type 0x83): 1 from sector
2048, 4096 sectors; 2 from sector 8192, 6144 sectors; the last 2048
sectors belong to none. DIR/disk-ro.img: 1 MiB of pattern sectors and no
partition table, attached read-only. tests/abi/disk_blk.c computes the
same pattern and layout.
"""
import os
import struct
import sys

SECTOR = 512
PARTS = [(2048, 4096), (8192, 6144)]


def pattern(s):
    """Sector @s: its number (8 bytes, little-endian), then a byte ramp."""
    head = struct.pack('<Q', s)
    return head + bytes((s * 31 + i * 7 + (s >> 8)) & 0xff
                        for i in range(len(head), SECTOR))


def mbr():
    sector = bytearray(SECTOR)
    struct.pack_into('<I', sector, 0x1b8, 0x41524d44)	# disk identifier
    for n, (start, size) in enumerate(PARTS):
        entry = struct.pack('<B3sB3sII', 0, b'\xfe\xff\xff', 0x83,
                            b'\xfe\xff\xff', start, size)
        sector[0x1be + 16 * n:0x1be + 16 * (n + 1)] = entry
    sector[510:512] = b'\x55\xaa'
    return bytes(sector)


def write(path, sectors, first):
    with open(path + '.tmp', 'wb') as f:
        f.write(first if first else pattern(0))
        for s in range(1, sectors):
            f.write(pattern(s))
    os.rename(path + '.tmp', path)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, 'disk.img'), 16384, mbr())
    write(os.path.join(out, 'disk-ro.img'), 2048, None)


if __name__ == '__main__':
    main()
