"""The host's half of the disk suite (tests/run.py --suite disk): after
the guest's two boots, the image must hold exactly what
tests/abi/disk_blk.c wrote, and nothing else must have changed; and the
ext2 image tests/abi/disk_ext2w.c wrote must be clean for e2fsck -fn and
hold, as debugfs reads it, exactly the files the guest wrote. Then a
third boot (tests/abi/disk_durable.c) writes and fsyncs a file and is
killed with SIGKILL, and debugfs must read the file as fsync left it."""
import os
import signal
import subprocess
import time

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


# What disk_ext2w writes (keep in step with tests/abi/disk_ext2w.c).
BIG_LEN = 1024 * 1024 + 333
HUGE_SIZE = (5 << 30) + 3
MANY = 1000
INDEXED = 300
SLOW_TARGET = (b'a-slow-symlink-target/that-is-longer-than-sixty-bytes/'
               b'so-it-needs-a-block-of-its-own')


def big_bytes():
    return bytes((i * 31 + (i >> 10)) & 0xff for i in range(BIG_LEN))


def debugfs(img, request):
    return subprocess.run(['debugfs', '-R', request, img],
                          capture_output=True).stdout


def check_icache(path, res):
    """What tests/abi/disk_icache.c leaves: the image clean, and only
    its /data (the files the guest made are gone, their space back)."""
    def check(what, ok, detail='the image differs'):
        if ok:
            res.ok('icache-host', what)
        else:
            res.fail('icache-host', what, detail)

    fsck = subprocess.run(['e2fsck', '-fn', path], capture_output=True,
                          text=True)
    check('e2fsck -fn finds the image clean', fsck.returncode == 0,
          'e2fsck exit %d: %s' % (fsck.returncode,
                                  ' | '.join(fsck.stdout.splitlines()[:12])))
    state = debugfs(path, 'stats').decode(errors='replace')
    check('the super block says clean', 'Filesystem state:         clean'
          in state)
    names = sorted(n for n in debugfs(path, 'ls -p /').decode(
        errors='replace').split('\n') if n.count('/') >= 6
        and n.split('/')[1] != '0')
    names = [n.split('/')[5] for n in names]
    check('the root holds only ., .., lost+found and data',
          sorted(names) == ['.', '..', 'data', 'lost+found'],
          'found %s' % names)


def check_ext2w(path, res):
    def check(what, ok, detail='the image differs'):
        if ok:
            res.ok('ext2w-host', what)
        else:
            res.fail('ext2w-host', what, detail)

    fsck = subprocess.run(['e2fsck', '-fn', path], capture_output=True,
                          text=True)
    check('e2fsck -fn finds the image clean', fsck.returncode == 0,
          'e2fsck exit %d: %s' % (fsck.returncode,
                                  ' | '.join(fsck.stdout.splitlines()[:12])))
    state = debugfs(path, 'stats').decode(errors='replace')
    check('the super block says clean', 'Filesystem state:         clean'
          in state)
    files = {'/hello': b'hello, world\nmore\n', '/d2/hello2':
             b'hello, world\nmore\n', '/d2/b': b'a\n', '/d2/moved': b'f\n',
             '/boot2': b'second boot\n', '/many/file-0777': b'file 777\n'}
    for name, data in sorted(files.items()):
        check('debugfs reads %s as written' % name,
              debugfs(path, 'cat ' + name) == data)
    check('debugfs reads /big (double indirect blocks) as written',
          debugfs(path, 'cat /big') == big_bytes())
    sparse = debugfs(path, 'cat /sparse')
    check('/sparse: its bytes and its hole', len(sparse) == (5 << 20) + 1 and
          sparse[:1] == b'A' and sparse[-1:] == b'B' and
          sparse[1:-1].count(0) == len(sparse) - 2)
    check('/huge is past 4 GiB', ('Size: %d' % HUGE_SIZE).encode() in
          debugfs(path, 'stat /huge'))
    # "/INO/MODE/UID/GID/NAME/SIZE/" a line; cleared records show INO 0
    names = [l.split('/') for l in
             debugfs(path, 'ls -p /many').decode().splitlines()]
    check('/many holds the half the guest kept',
          len([n for n in names if len(n) > 5 and n[1] != '0' and
               n[5].startswith('file-')]) == MANY // 2)
    names = [l.split('/') for l in
             debugfs(path, 'ls -p /indexed').decode().splitlines()]
    check('/indexed holds its old and new names',
          len([n for n in names if len(n) > 5 and n[1] != '0' and
               n[5][:4] in ('entr', 'new-')]) == INDEXED + 50)
    check('the fast symlink\'s target', b'Fast link dest: "hello"' in
          debugfs(path, 'stat /fast'))
    check('the slow symlink\'s target', debugfs(path, 'cat /slow') ==
          SLOW_TARGET)


# What disk_durable writes (keep in step with tests/abi/disk_durable.c).
DURABLE_LEN = 300 * 1024 + 77
DURABLE_STORE = 123456
DURABLE_STORED = b'stored through a shared mapping'


def durable_bytes():
    data = bytearray((i * 13 + (i >> 12)) & 0xff for i in range(DURABLE_LEN))
    data[DURABLE_STORE:DURABLE_STORE + len(DURABLE_STORED)] = DURABLE_STORED
    return bytes(data)


def run_durable(args, res, qemu, check_re, ansi, read_console, write_log):
    """Boot 3: disk_durable alone; SIGKILL QEMU once it says DURABLE-READY
    (no umount, no sync), then read its file from the image."""
    print('== %s: disk3 (durability) ==' % args.name, flush=True)
    proc = subprocess.Popen(qemu, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    lines = []

    def handle(line):
        line = ansi.sub('', line).replace('\r', '')
        lines.append(line)
        m = check_re.search(line)
        if m:
            res.add(m.group(1) == 'PASS', m.group(0))
        return 'DURABLE-READY' in line

    read_console(proc, time.monotonic() + args.timeout, handle)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
    write_log(args, '.disk3.log', '\n'.join(lines) + '\n')
    ready = any('DURABLE-READY' in l for l in lines)
    if not ready:
        res.fail('durable-host', 'the guest said DURABLE-READY',
                 'not seen: %s' % ' | '.join(lines[-5:]))
    return ready


def check_durable(path, res):
    data = debugfs(path, 'cat /durable')
    if data == durable_bytes():
        res.ok('durable-host', 'after SIGKILL debugfs reads /durable as '
               'fsync left it')
    else:
        res.fail('durable-host', 'after SIGKILL debugfs reads /durable as '
                 'fsync left it', '%d bytes, %d expected' %
                 (len(data), DURABLE_LEN))
