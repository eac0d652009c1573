"""The host's half of the disk suite (tests/run.py --suite disk): after
the guest's two boots, the image must hold exactly what
tests/abi/disk_blk.c wrote, and nothing else must have changed."""
import mkdisk

SECTOR = mkdisk.SECTOR
# What disk_blk writes (keep in step with tests/abi/disk_blk.c).
UNALIGNED_SECTOR, UNALIGNED_OFF, UNALIGNED_LEN = 15000, 100, 1000
P2_LAST = 8192 + 6144 - 1
MARK_SECTOR = 16000


def unaligned_bytes():
    return bytes((j * 13 + 5) & 0xff for j in range(UNALIGNED_LEN))


def mark(boot):
    text = b'ARAMID-DISK-BOOT %d\n' % boot
    return text + bytes(SECTOR - len(text))


def check_image(path, res):
    with open(path, 'rb') as f:
        img = f.read()

    def sector(s, n=1):
        return img[s * SECTOR:(s + n) * SECTOR]

    def check(what, ok):
        if ok:
            res.ok('disk-host', what)
        else:
            res.fail('disk-host', what, 'the image differs')

    check('the image is still 8 MiB', len(img) == 16384 * SECTOR)
    want = bytearray(b''.join(mkdisk.pattern(UNALIGNED_SECTOR + i)
                              for i in range(3)))
    want[UNALIGNED_OFF:UNALIGNED_OFF + UNALIGNED_LEN] = unaligned_bytes()
    check('the unaligned write reached the disk, its sectors\' other bytes '
          'kept', sector(UNALIGNED_SECTOR, 3) == bytes(want))
    check('the write cut at the end of vda2 filled its last sector',
          sector(P2_LAST) == b'\xa5' * SECTOR)
    check('and not a byte past it', sector(P2_LAST + 1) ==
          mkdisk.pattern(P2_LAST + 1))
    check('the second boot\'s mark is on the disk',
          sector(MARK_SECTOR) == mark(2))
    check('the MBR is unchanged', sector(0) == mkdisk.mbr())
    untouched = [s for s in (1, 2047, 2048, 6143, 8192, 14000, 16383)]
    check('sectors the guest only read are unchanged',
          all(sector(s) == mkdisk.pattern(s) for s in untouched))
