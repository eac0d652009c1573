#!/usr/bin/python3
"""Make the ext2 images of the disk suite (tests/abi/disk_ext2.c).

  tests/mkext2.py DIR

DIR/ext2.img: 4 MiB made by Debian's mke2fs -t ext2 -b 1024 -d from a
tree generated here: files of many sizes (one past the single indirect
blocks), a sparse file, one whose only data needs triple indirect blocks, fast and slow symlinks, hard links, nested
directories, one of 150 entries, and varied modes, owners and times.
/MANIFEST in the image lists what the guest must find, a line per node
(build_tree: "f path mode uid gid size nlink mtime fnv1a", "l path
target", "d path mode uid gid nlink entries") and the statfs figures
("s bsize blocks bfree bavail files ffree fsid0 fsid1"). DIR/ext2-badmagic.img is
a copy with the super block's magic broken; DIR/ext2-baddir.img one
whose directory /bad has an entry with a rec_len of 13 and whose file
/twelve has a block number past the end; DIR/ext4.img an ext4 image
(extents, flex_bg, a journal), which an ext2 mount refuses.
DIR/ext2w.img: a 32 MiB filesystem as Debian's mke2fs -t ext2 makes it
by default (1 KiB blocks, 256-byte inodes, dir_index, ext_attr,
resize_inode), holding only /indexed, a directory of INDEXED entries
that e2fsck -D turns into a hashed (htree) one; tests/abi/disk_ext2w.c
writes to it. DIR/ext2-rocompat.img: an empty one with the huge_file
feature, which an ext2 mount takes read-only only.
DIR/ext2-big.img (4 KiB blocks): /big, BIG_MB MiB, more than the memory
of the boot that reads it, each 8-byte word its own offset (little
endian), /small, its first 256 KiB, and /dirty, two pages of zeros;
tests/abi/disk_bigread.c reads and maps them. DIR/ext2-wb.img (4 KiB
blocks): WB_MB MiB holding /written and /mapped, WB_PRE_MB MiB of 0xee
bytes each, which tests/abi/disk_writeback.c overwrites and extends to
more than the memory of the boot that writes them (their blocks in
place, so that boot spends its time on the data rather than on
allocating every block).
DIR/ext2-icache.img (ICACHE_KB, 1 KiB blocks): /data, ICACHE_DATA_KB
KiB whose every 8-byte word is its offset; tests/abi/disk_icache.c
reads it again and again (the inode cache), and writes and unlinks
files of its own that it removes again.
"""
import array
import os
import shutil
import subprocess
import sys
import tempfile

BLOCK = 1024
SIZE_KB = 4096
WRITABLE_KB = 32768	# ext2w.img
INDEXED = 300		# entries of ext2w.img's /indexed
MANIFEST_LEN = 16384	# the manifest is padded to this size
T0 = 1600000000
TRIPLE_AT = 70 << 20	# /triple's data (tests/abi/disk_ext2.c)
UUID = '41524d44-0000-4000-8000-000000000e72'
BIG_MB = 160		# ext2-big.img's /big (tests/abi/disk_bigread.c)
WB_MB = 2 * 160 + 32	# ext2-wb.img (tests/abi/disk_writeback.c's files)
WB_PRE_MB = 152		# what its two files hold (disk_writeback's PRE_MB)
ICACHE_KB = 16384	# ext2-icache.img (tests/abi/disk_icache.c)
ICACHE_DATA_KB = 2048	# its /data (disk_icache's DATA_KB)


def fnv(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return h


def content(n, seed):
    return bytes((i * 7 + seed * 13 + (i >> 9)) & 0xff for i in range(n))


def build_tree(root):
    """The tree, and its manifest lines (without the statfs line)."""
    lines = []
    files = {'empty': 0, 'one': 1, 'small': 1000, 'block': 1024,
             'twelve': 12 * 1024, 'indirect': 13 * 1024 + 17,
             'dind': 300 * 1024 + 123, 'sub/deeper/nested': 5000}
    os.makedirs(os.path.join(root, 'sub/deeper'))
    os.makedirs(os.path.join(root, 'many'))
    os.makedirs(os.path.join(root, 'bad'))
    for i, (name, n) in enumerate(sorted(files.items())):
        with open(os.path.join(root, name), 'wb') as f:
            f.write(content(n, i))
    for name in ('a', 'b', 'c'):
        open(os.path.join(root, 'bad', name), 'w').close()
    for i in range(150):
        with open(os.path.join(root, 'many', 'entry-%03d' % i), 'w') as f:
            f.write('%d\n' % i)
    with open(os.path.join(root, 'sparse'), 'wb') as f:
        f.write(b'head')
        f.seek(200 * 1024)
        f.write(b'middle')
        f.truncate(400 * 1024)
    # Past 12 + 256 + 256 * 256 blocks of 1 KiB: triple indirect.
    with open(os.path.join(root, 'triple'), 'wb') as f:
        f.seek(TRIPLE_AT)
        f.write(b'TRIPLE')
    os.link(os.path.join(root, 'small'), os.path.join(root, 'sub/hardlink'))
    os.symlink('small', os.path.join(root, 'fastlink'))
    slow = 'sub/deeper/' + 'x' * 60 + '/../nested'
    os.makedirs(os.path.join(root, 'sub/deeper', 'x' * 60))
    os.symlink(slow, os.path.join(root, 'slowlink'))
    owners = {'small': (1000, 100, 0o640), 'dind': (65534, 65534, 0o600),
              'indirect': (70000, 70001, 0o4755), 'sub': (12, 34, 0o750)}
    for name, (uid, gid, mode) in owners.items():
        os.chown(os.path.join(root, name), uid, gid)
        os.chmod(os.path.join(root, name), mode)
    paths = sorted(files) + ['sparse']
    for i, name in enumerate(paths):
        p = os.path.join(root, name)
        ns = (T0 + i * 1000) * 10**9 + i * 12345
        os.utime(p, ns=(ns + 500, ns))
        st = os.lstat(p)
        with open(p, 'rb') as f:
            data = f.read()
        os.utime(p, ns=(ns + 500, ns))
        lines.append('f /%s %o %d %d %d %d %d %016x' % (
            name, st.st_mode & 0o7777, st.st_uid, st.st_gid, len(data),
            st.st_nlink, ns // 10**9, fnv(data)))
    lines.append('l /fastlink small')
    lines.append('l /slowlink ' + slow)
    for d in ('', 'sub', 'sub/deeper', 'many', 'bad'):
        p = os.path.join(root, d)
        st = os.lstat(p)
        n = len(os.listdir(p)) + 2 + (2 if d == '' else 0)	# MANIFEST, lost+found
        mode = 0o755 if d == '' else st.st_mode & 0o7777	# mke2fs's root
        lines.append('d /%s %o %d %d %d %d' % (d, mode,
                                             st.st_uid, st.st_gid,
                                             st.st_nlink + (1 if d == '' else 0), n))
    return lines


def dumpe2fs(img):
    out = subprocess.run(['dumpe2fs', '-h', img], capture_output=True,
                         text=True, check=True).stdout
    info = {}
    for line in out.splitlines():
        k, _, v = line.partition(':')
        info[k.strip()] = v.strip()
    return info


def statfs_line(img):
    """statfs's figures, as Linux counts the metadata overhead."""
    i = dumpe2fs(img)
    blocks, first = int(i['Block count']), int(i['First block'])
    bpg = int(i['Blocks per group'])
    itb = int(i['Inode blocks per group'])
    resgdt = int(i.get('Reserved GDT blocks', '0'))
    groups = (blocks - first + bpg - 1) // bpg
    gdb = (groups * 32 + BLOCK - 1) // BLOCK

    def has_super(g):
        if g <= 1:
            return True
        for b in (3, 5, 7):
            n = b
            while n < g:
                n *= b
            if n == g:
                return True
        return False
    over = first + sum(2 + itb + ((1 + gdb + resgdt) if has_super(g) else 0)
                       for g in range(groups))
    free = int(i['Free blocks'])
    uuid = bytes.fromhex(UUID.replace('-', ''))
    fsid = (int.from_bytes(uuid[:8], 'little') ^
            int.from_bytes(uuid[8:], 'little'))
    return 's %d %d %d %d %d %d %d %d' % (
        BLOCK, blocks - over, free,
        max(0, free - int(i['Reserved block count'])),
        int(i['Inode count']), int(i['Free inodes']),
        fsid & 0xffffffff, fsid >> 32)


def mkfs(tree, img):
    if os.path.exists(img):
        os.unlink(img)
    subprocess.run(['mke2fs', '-q', '-F', '-t', 'ext2', '-b', str(BLOCK),
                    '-I', '256', '-U', UUID, '-E', 'hash_seed=' + UUID,
                    '-L', 'aramid', '-d', tree, img, '%dk' % SIZE_KB],
                   check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, E2FSPROGS_FAKE_TIME=str(T0)))


def write_manifest(tree, lines):
    text = ('\n'.join(lines) + '\n').encode()
    assert len(text) < MANIFEST_LEN
    path = os.path.join(tree, 'MANIFEST')
    with open(path, 'wb') as f:
        f.write(text + b'#' * (MANIFEST_LEN - len(text)))
    os.utime(path, (T0, T0))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    img = os.path.join(out, 'ext2.img')
    tree = tempfile.mkdtemp(prefix='mkext2-')
    try:
        lines = build_tree(tree)
        write_manifest(tree, lines + ['s 0 0 0 0 0 0 0 0'])
        mkfs(tree, img)	# once to learn the free counts, then for real
        write_manifest(tree, lines + [statfs_line(img)])
        mkfs(tree, img)
    finally:
        shutil.rmtree(tree)
    with open(img, 'rb') as f:
        data = bytearray(f.read())
    bad = bytearray(data)
    bad[1024 + 56:1024 + 58] = b'\x00\x00'
    with open(os.path.join(out, 'ext2-badmagic.img'), 'wb') as f:
        f.write(bad)
    # /bad's block: find the entry "b" (name_len 1, name b) and break it.
    ino = subprocess.run(['debugfs', '-R', 'bmap /bad 0', img],
                         capture_output=True, text=True, check=True)
    blk = int(ino.stdout.split()[-1])
    base = blk * BLOCK
    off = 0
    while off < BLOCK:
        rec = int.from_bytes(data[base + off + 4:base + off + 6], 'little')
        if data[base + off + 6] == 1 and data[base + off + 8:base + off + 9] == b'b':
            data[base + off + 4:base + off + 6] = (13).to_bytes(2, 'little')
            break
        off += rec
    else:
        sys.exit('mkext2.py: no entry b in /bad')
    # /twelve's first block number: past the end of the filesystem.
    loc = subprocess.run(['debugfs', '-R', 'imap /twelve', img],
                         capture_output=True, text=True, check=True).stdout
    words = loc.replace(',', ' ').split()	# "... located at block B offset O"
    at = (int(words[words.index('located') + 3]) * BLOCK +
          int(words[words.index('offset') + 1], 0))
    data[at + 40:at + 44] = (0xfffff0).to_bytes(4, 'little')
    with open(os.path.join(out, 'ext2-baddir.img'), 'wb') as f:
        f.write(data)
    ext4 = os.path.join(out, 'ext4.img')
    if os.path.exists(ext4):
        os.unlink(ext4)
    subprocess.run(['mke2fs', '-q', '-F', '-t', 'ext4', ext4, '%dk' % SIZE_KB],
                   check=True, stdout=subprocess.DEVNULL)
    mkwritable(out)
    mkbig(out)
    mkwb(out)
    mkicache(out)


def mkbig(out):
    big = os.path.join(out, 'ext2-big.img')
    tree = tempfile.mkdtemp(prefix='mkext2big-', dir=out)
    try:
        words = array.array('Q', range(0, BIG_MB << 20, 8))
        if sys.byteorder != 'little':
            words.byteswap()
        data = words.tobytes()
        with open(os.path.join(tree, 'big'), 'wb') as f:
            f.write(data)
        with open(os.path.join(tree, 'small'), 'wb') as f:
            f.write(data[:256 << 10])
        with open(os.path.join(tree, 'dirty'), 'wb') as f:
            f.write(bytes(8192))
        del data, words
        if os.path.exists(big):
            os.unlink(big)
        subprocess.run(['mke2fs', '-q', '-F', '-t', 'ext2', '-b', '4096',
                        '-d', tree, big, '%dM' % (BIG_MB + 16)], check=True,
                       stdout=subprocess.DEVNULL)
    finally:
        shutil.rmtree(tree)


def mkwb(out):
    wb = os.path.join(out, 'ext2-wb.img')
    tree = tempfile.mkdtemp(prefix='mkext2wb-', dir=out)
    try:
        # Bytes mke2fs -d must not take for a hole (it skips zero blocks).
        chunk = b'\xee' * (1 << 20)
        for name in ('written', 'mapped'):
            with open(os.path.join(tree, name), 'wb') as f:
                for _ in range(WB_PRE_MB):
                    f.write(chunk)
        if os.path.exists(wb):
            os.unlink(wb)
        subprocess.run(['mke2fs', '-q', '-F', '-t', 'ext2', '-b', '4096',
                        '-d', tree, wb, '%dM' % WB_MB], check=True,
                       stdout=subprocess.DEVNULL)
    finally:
        shutil.rmtree(tree)


def mkicache(out):
    img = os.path.join(out, 'ext2-icache.img')
    tree = tempfile.mkdtemp(prefix='mkext2ic-', dir=out)
    try:
        words = array.array('Q', range(0, ICACHE_DATA_KB << 10, 8))
        if sys.byteorder != 'little':
            words.byteswap()
        with open(os.path.join(tree, 'data'), 'wb') as f:
            f.write(words.tobytes())
        if os.path.exists(img):
            os.unlink(img)
        subprocess.run(['mke2fs', '-q', '-F', '-t', 'ext2', '-b', '1024',
                        '-d', tree, img, '%dk' % ICACHE_KB], check=True,
                       stdout=subprocess.DEVNULL)
    finally:
        shutil.rmtree(tree)


def mkwritable(out):
    ext2w = os.path.join(out, 'ext2w.img')
    tree = tempfile.mkdtemp(prefix='mkext2w-')
    try:
        os.mkdir(os.path.join(tree, 'indexed'))
        for i in range(1, INDEXED + 1):
            with open(os.path.join(tree, 'indexed', 'entry-%d' % i),
                      'w') as f:
                f.write('%d\n' % i)
        if os.path.exists(ext2w):
            os.unlink(ext2w)
        subprocess.run(['mke2fs', '-q', '-F', '-t', 'ext2', '-d', tree,
                        ext2w, '%dk' % WRITABLE_KB], check=True,
                       stdout=subprocess.DEVNULL)
    finally:
        shutil.rmtree(tree)
    # e2fsck -D indexes the directories; 1: it changed the filesystem
    fsck = subprocess.run(['e2fsck', '-fyD', ext2w], capture_output=True)
    if fsck.returncode not in (0, 1):
        sys.exit('mkext2.py: e2fsck -fyD %s: exit %d' % (ext2w,
                                                         fsck.returncode))
    ro = os.path.join(out, 'ext2-rocompat.img')
    if os.path.exists(ro):
        os.unlink(ro)
    subprocess.run(['mke2fs', '-q', '-F', '-t', 'ext2', '-O', 'huge_file',
                    ro, '%dk' % SIZE_KB], check=True,
                   stdout=subprocess.DEVNULL)


if __name__ == '__main__':
    main()
