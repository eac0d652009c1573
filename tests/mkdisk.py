#!/usr/bin/python3
"""Make the disk images of the disk suite (tests/run.py --suite disk).

  tests/mkdisk.py DIR

DIR/disk.img: 8 MiB whose every sector s holds pattern(s) below, except
sector 0, an MBR with two primary partitions (type 0x83): 1 from sector
2048, 4096 sectors; 2 from sector 8192, 6144 sectors; the last 2048
sectors belong to none. DIR/disk-ro.img: 1 MiB of pattern sectors and no
partition table, attached read-only. tests/abi/disk_blk.c computes the
same pattern and layout.

DIR/gpt.img: 2 MiB (4096 sectors) of pattern sectors under a GUID
partition table (a protective MBR, 128 entries at LBA 2 and their backup
before the backup header at the last LBA): entry 1 "alpha" LBA 64-1087,
entry 2 empty, entry 3 "gamma" 2048-4031, entry 4 reaching past the
disk (Linux leaves it out). So partitions 1 and 3. DIR/gpt-badprimary.img:
the same with the primary header's CRC broken, attached read-only.
tests/abi/disk_gpt.c checks both; tests/abi/disk_mbr.c writes an MBR
with an extended partition over gpt.img and puts the GPT back.
"""
import os
import struct
import sys
import uuid
import zlib

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


GPT_SECTORS = 4096
GPT_ENTRIES = 128
GPT_LINUX = uuid.UUID('0fc63daf-8483-4772-8e79-3d69d8477de4')
# (entry index, first LBA, last LBA, name); index 1 stays empty
GPT_PARTS = [(0, 64, 1087, 'alpha'), (2, 2048, 4031, 'gamma'),
             (3, 100, GPT_SECTORS + 50, 'beyond')]
GPT_DISK_GUID = uuid.UUID('41524d44-0000-4000-8000-000000000001')


def gpt_entries():
    """The 128-entry array (16 KiB, 32 sectors)."""
    array = bytearray(GPT_ENTRIES * 128)
    for idx, first, last, name in GPT_PARTS:
        part_guid = uuid.UUID('41524d44-0000-4000-8000-0000000001%02x' % idx)
        entry = (GPT_LINUX.bytes_le + part_guid.bytes_le +
                 struct.pack('<QQQ', first, last, 0) +
                 name.encode('utf-16-le').ljust(72, b'\0'))
        array[idx * 128:(idx + 1) * 128] = entry
    return bytes(array)


def gpt_header(my_lba, alt_lba, entries_lba, entries):
    """A 512-byte header with its CRC."""
    fields = [b'EFI PART', 0x00010000, 92, 0, 0, my_lba, alt_lba, 34,
              GPT_SECTORS - 34, GPT_DISK_GUID.bytes_le, entries_lba,
              GPT_ENTRIES, 128, zlib.crc32(entries)]
    fmt = '<8sIIIIQQQQ16sQIII'
    head = struct.pack(fmt, *fields)
    fields[3] = zlib.crc32(head)
    return struct.pack(fmt, *fields).ljust(SECTOR, b'\0')


def protective_mbr():
    sector = bytearray(SECTOR)
    entry = struct.pack('<B3sB3sII', 0, b'\x00\x02\x00', 0xee,
                        b'\xff\xff\xff', 1, GPT_SECTORS - 1)
    sector[0x1be:0x1ce] = entry
    sector[510:512] = b'\x55\xaa'
    return bytes(sector)


def write_gpt(path, break_primary):
    """A GPT disk; with @break_primary, its primary header's CRC wrong."""
    entries = gpt_entries()
    last = GPT_SECTORS - 1
    primary = bytearray(gpt_header(1, last, 2, entries))
    if break_primary:
        primary[16] ^= 0xff
    special = {0: protective_mbr(), 1: bytes(primary),
               last: gpt_header(last, 1, last - 32, entries)}
    for i in range(32):
        chunk = entries[i * SECTOR:(i + 1) * SECTOR]
        special[2 + i] = chunk
        special[last - 32 + i] = chunk
    with open(path + '.tmp', 'wb') as f:
        for s in range(GPT_SECTORS):
            f.write(special.get(s) or pattern(s))
    os.rename(path + '.tmp', path)


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
    write_gpt(os.path.join(out, 'gpt.img'), False)
    write_gpt(os.path.join(out, 'gpt-badprimary.img'), True)


if __name__ == '__main__':
    main()
