#!/usr/bin/python3
"""The root disk suite: boot from an ext2 disk, as Linux does with root=.

  tests/rootdisk.py --kernel PATH --name LABEL --prog ROOT_DISK
                    --initrd TEST.cpio --dir DIR [--modular] [--log PREFIX]

Makes, in DIR, two small ext2 root images with Debian's mke2fs -t ext2 -d
(init is ROOT_DISK, tests/abi/root_disk.c, at /sbin/init and /root_disk,
beside /hello and /proc): whole.img, the filesystem on the whole disk,
and part.img, an MBR whose first partition holds it. Then boots the
kernel on them, each boot's checks one PASS/FAIL line:

  ro        whole.img, no initramfs: root=/dev/vda init=/root_disk, read-only
            by default (writes are EROFS)
  ro-drive  the same, rw, on a read-only drive: mounted read-only, as Linux
            retries a mount the device refuses to write
  rw-1      part.img, an initramfs without /init: root=/dev/vda1
            rootfstype=ext2 rw, init found as /sbin/init; writes a file
  rw-2      part.img, no initramfs: root=/dev/vda1 rw, the type probed;
            the first boot's file is there, writes another
  switch    part.img, TEST.cpio's /init (aramid.test=switchroot): root=
            with an initramfs that has /init runs it, and it mounts the
            disk and switch_roots to it itself
  partuuid  part.img on a read-only drive, no initramfs: root=PARTUUID=
            with the MBR's signature and the partition's number, in
            upper case (Linux compares without case)
  partuuid-bad  root=PARTUUID=.../PARTNROFF=x: Linux's "PARTUUID= is
            invalid" lines, then a panic
  absent    root=/dev/vdb, no such disk: Linux's "VFS: Cannot open root
            device" lines, then a panic, and no hang
  rootwait  the same with rootwait: a message, and no hang
  nofs      root=/dev/vda on part.img (no filesystem at sector 0): "No
            filesystem could mount root, tried:  ext2", a panic
  nodriver  root=/dev/vdb rootfstype=ext4 panic=-1: the messages of a
            filesystem type the kernel lacks (error -19), as on Linux

then reads part.img's partition on the host: e2fsck -fn must find it
clean, debugfs must read each boot's file. With --modular (a kernel whose
virtio-blk and ext4 are modules, such as Debian's Linux: TEST.cpio must
bring them, as tests/linux.sh's initramfs-disk.cpio does) only the boots
an initramfs makes work run: ro, rw-1 and rw-2 through switch_root, and
nodriver. The last line is "N passed, N failed".
"""
import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import ANSI, Results, tail, write_log  # noqa: E402

CHECK_RE = re.compile(r'(PASS|FAIL) ([A-Za-z0-9_.-]+): (.*)$')
SECTOR = 512
PART_START = 2048		# the partition's first sector
FS_KB = 8192			# each filesystem's size
HELLO = b'aramid root disk\n'


def check(res, boot, what, ok, detail='not seen'):
    """Count one check of boot (or of the host's look at the image)."""
    if ok:
        res.ok('rootdisk-' + boot, what)
    else:
        res.fail('rootdisk-' + boot, what, detail)


def make_images(prog, out):
    """whole.img and part.img (see above), fresh."""
    tree = os.path.join(out, 'tree')
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(os.path.join(tree, 'sbin'))
    os.makedirs(os.path.join(tree, 'proc'))
    for dest in ('sbin/init', 'root_disk'):
        shutil.copy(prog, os.path.join(tree, dest))
        os.chmod(os.path.join(tree, dest), 0o755)
    with open(os.path.join(tree, 'hello'), 'wb') as f:
        f.write(HELLO)
    fs = os.path.join(out, 'fs.img')
    for img in (fs, os.path.join(out, 'whole.img')):
        if os.path.exists(img):
            os.unlink(img)
    subprocess.run(['mke2fs', '-q', '-F', '-t', 'ext2', '-d', tree, fs,
                    '%dk' % FS_KB], check=True, stdout=subprocess.DEVNULL)
    shutil.copy(fs, os.path.join(out, 'whole.img'))
    mbr = bytearray(SECTOR)
    struct.pack_into('<I', mbr, 0x1b8, 0x524f4f54)	# disk identifier
    mbr[0x1be:0x1ce] = struct.pack('<B3sB3sII', 0, b'\xfe\xff\xff', 0x83,
                                   b'\xfe\xff\xff', PART_START,
                                   FS_KB * 1024 // SECTOR)
    mbr[510:512] = b'\x55\xaa'
    with open(fs, 'rb') as f:
        data = f.read()
    with open(os.path.join(out, 'part.img'), 'wb') as f:
        f.write(bytes(mbr) + bytes((PART_START - 1) * SECTOR) + data)
    os.unlink(fs)


def empty_cpio(path):
    """A newc initramfs holding only /etc: no /init."""
    def entry(name, mode, nlink):
        hdr = '070701' + ''.join('%08x' % v for v in (
            1, mode, 0, 0, nlink, 0, 0, 0, 0, 0, 0, len(name) + 1, 0))
        raw = hdr.encode() + name.encode() + b'\0'
        return raw + bytes(-len(raw) % 4)
    data = entry('etc', 0o40755, 2) + entry('TRAILER!!!', 0, 1)
    with open(path, 'wb') as f:
        f.write(data + bytes(-len(data) % 512))


def boot(args, disk, initrd, append, label):
    """One boot: the console text (ANSI stripped) and QEMU's exit status
    (None if it had to be killed at the timeout)."""
    cmd = ['qemu-system-x86_64', '-M', 'pc', '-cpu', 'max', '-m', args.mem,
           '-nographic', '-no-reboot', '-net', 'none',
           '-drive', 'file=%s,if=virtio,format=raw' % disk.replace(
               ',ro', ',readonly=on'),
           '-kernel', args.kernel] + (['-initrd', initrd] if initrd else []) + [
           '-append', 'console=ttyS0 ' + append,
           '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04']
    print('== %s: rootdisk %s ==' % (args.name, label), flush=True)
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=args.timeout)
        out, code = proc.stdout, proc.returncode
    except subprocess.TimeoutExpired as e:
        out, code = e.stdout or b'', None
    text = ANSI.sub('', out.decode('utf-8', 'replace')).replace('\r', '')
    write_log(args, '.rootdisk-%s.log' % label, text)
    return text, code


def run_init_boot(args, res, label, disk, initrd, append, mounted=None):
    """A boot whose init is root_disk: its lines, its DONE, power-off."""
    text, code = boot(args, disk, initrd, append, label)
    failed = res.failed
    for line in text.split('\n'):
        m = CHECK_RE.search(line)
        if m:
            res.add(m.group(1) == 'PASS', m.group(0))
    check(res, label, 'root_disk ran as init and finished',
              'DONE root_disk' in text)
    check(res, label, 'powered off', code == 0, 'exit status %s' % code)
    if mounted:
        check(res, label, 'the kernel says %r' % mounted, mounted in text)
    if res.failed > failed:
        tail(text.split('\n'), 25)


def run_panic_boot(args, res, label, disk, append, lines, panic):
    """A boot that must not find its root: @lines in order, then the
    panic, and QEMU ends (Aramid's panic exit, or Linux's panic=-1)."""
    text, code = boot(args, disk, None, append, label)
    failed = res.failed
    at = 0
    for want in lines:
        i = text.find(want, at)
        check(res, label, 'the console says %r' % want, i >= 0)
        at = i if i >= 0 else at
    check(res, label, 'then the panic: %r' % panic, re.search(
        r'Kernel panic[^\n]*: ' + re.escape(panic), text[at:]))
    check(res, label, 'no init ran', 'PASS root_disk' not in text and
              'DONE root_disk' not in text)
    check(res, label, 'no hang: QEMU ends', code is not None)
    if res.failed > failed:
        tail(text.split('\n'), 25)


def debugfs(img, request):
    return subprocess.run(['debugfs', '-R', request, img],
                          capture_output=True).stdout


def check_host(args, res, boots):
    """part.img's partition as the host reads it."""
    part = os.path.join(args.dir, 'part-fs.img')
    with open(os.path.join(args.dir, 'part.img'), 'rb') as f:
        f.seek(PART_START * SECTOR)
        data = f.read(FS_KB * 1024)
    with open(part, 'wb') as f:
        f.write(data)
    fsck = subprocess.run(['e2fsck', '-fn', part], capture_output=True,
                          text=True)
    check(res, 'host', 'e2fsck -fn finds the partition clean',
              fsck.returncode == 0, 'e2fsck exit %d: %s' % (
                  fsck.returncode, ' | '.join(fsck.stdout.splitlines()[:8])))
    for n in range(1, boots + 1):
        want = b'written at boot %d\n' % n
        check(res, 'host', 'debugfs reads /rootdisk-%d as boot %d wrote it'
                  % (n, n), debugfs(part, 'cat /rootdisk-%d' % n) == want)
    os.unlink(part)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--name', required=True)
    ap.add_argument('--prog', required=True, help='tests/abi/root_disk built')
    ap.add_argument('--initrd', required=True,
                    help='the test initramfs (scripts/mkinitramfs.sh)')
    ap.add_argument('--dir', required=True, help='where the images go')
    ap.add_argument('--modular', action='store_true',
                    help='the kernel\'s disk driver is a module (Linux)')
    ap.add_argument('--mem', default='128M')
    ap.add_argument('--timeout', type=float, default=60)
    ap.add_argument('--log', default='')
    args = ap.parse_args()
    for p in (args.kernel, args.prog, args.initrd):
        if not os.path.isfile(p):
            sys.exit('rootdisk.py: no such file: %s' % p)
    os.makedirs(args.dir, exist_ok=True)
    make_images(args.prog, args.dir)
    whole = os.path.join(args.dir, 'whole.img')
    part = os.path.join(args.dir, 'part.img')
    res = Results('rootdisk')
    start = time.monotonic()
    nodriver = ('root=/dev/vdb rootfstype=ext4 panic=-1',
                ['VFS: Cannot open root device "vdb" or unknown-block(0,0): '
                 'error -19', 'Please append a correct "root=" boot option; '
                 'here are the available partitions:'],
                'VFS: Unable to mount root fs on unknown-block(0,0)')
    if args.modular:
        sw = 'aramid.test=switchroot init=/root_disk '
        run_init_boot(args, res, 'ro', whole, args.initrd, sw +
                      'root=/dev/vda ROOT_MODE=ro ROOT_SOURCE=/dev/vda '
                      'ROOT_DEVNO=254:0')
        for n in (1, 2):
            run_init_boot(args, res, 'rw-%d' % n, part, args.initrd, sw +
                          'root=/dev/vda1 rw ROOT_MODE=rw ROOT_SOURCE=/dev/vda1 '
                          'ROOT_DEVNO=254:1 ROOT_BOOT=%d' % n)
        boots = 2
    else:
        empty = os.path.join(args.dir, 'noinit.cpio')
        empty_cpio(empty)
        run_init_boot(args, res, 'ro', whole, None,
                      'root=/dev/vda init=/root_disk ROOT_MODE=ro '
                      'ROOT_DEVNO=254:0', 'VFS: Mounted root (ext2 filesystem) '
                      'readonly on device 254:0.')
        run_init_boot(args, res, 'ro-drive', whole + ',ro', None,
                      'root=/dev/vda rw init=/root_disk ROOT_MODE=ro '
                      'ROOT_DEVNO=254:0', 'VFS: Mounted root (ext2 filesystem) '
                      'readonly on device 254:0.')
        run_init_boot(args, res, 'rw-1', part, empty,
                      'root=/dev/vda1 rootfstype=ext2 rw ROOT_MODE=rw '
                      'ROOT_DEVNO=254:1 ROOT_BOOT=1',
                      'VFS: Mounted root (ext2 filesystem) on device 254:1.')
        run_init_boot(args, res, 'rw-2', part, None,
                      'root=/dev/vda1 rw ROOT_MODE=rw ROOT_DEVNO=254:1 '
                      'ROOT_BOOT=2')
        run_init_boot(args, res, 'switch', part, args.initrd,
                      'aramid.test=switchroot root=/dev/vda1 rw '
                      'init=/root_disk ROOT_MODE=rw ROOT_SOURCE=/dev/vda1 '
                      'ROOT_DEVNO=254:1 ROOT_BOOT=3')
        boots = 3
        # PARTUUID=: the MBR's signature and the partition's number, in
        # any case (read-only drive: no boot count of its own).
        run_init_boot(args, res, 'partuuid', part + ',ro', None,
                      'root=PARTUUID=524F4F54-01 init=/root_disk '
                      'ROOT_MODE=ro ROOT_DEVNO=254:1',
                      'VFS: Mounted root (ext2 filesystem) readonly on '
                      'device 254:1.')
        run_panic_boot(args, res, 'partuuid-bad', part,
                       'root=PARTUUID=524f4f54-01/PARTNROFF=x',
                       ['VFS: PARTUUID= is invalid.',
                        'Expected PARTUUID=<valid-uuid-id>[/PARTNROFF=%d]',
                        'VFS: Cannot open root device '
                        '"PARTUUID=524f4f54-01/PARTNROFF=x" or '
                        'unknown-block(0,0): error -6'],
                       'VFS: Unable to mount root fs on unknown-block(0,0)')
        run_panic_boot(args, res, 'absent', whole, 'root=/dev/vdb',
                       ['VFS: Cannot open root device "vdb" or '
                        'unknown-block(0,0): error -6',
                        'Please append a correct "root=" boot option; here '
                        'are the available partitions:',
                        'fe00            8192 vda  driver: virtio_blk'],
                       'VFS: Unable to mount root fs on unknown-block(0,0)')
        run_panic_boot(args, res, 'rootwait', whole, 'root=/dev/vdb rootwait',
                       ['Waiting for root device /dev/vdb...',
                        'VFS: root device /dev/vdb is not there and cannot '
                        'appear', 'VFS: Cannot open root device "vdb"'],
                       'VFS: Unable to mount root fs on unknown-block(0,0)')
        run_panic_boot(args, res, 'nofs', part, 'root=/dev/vda',
                       ['List of all partitions:',
                        'fe00            9216 vda  driver: virtio_blk',
                        '  fe01            8192 vda1 524f4f54-01',
                        'No filesystem could mount root, tried:  ext2'],
                       'VFS: Unable to mount root fs on unknown-block(254,0)')
    run_panic_boot(args, res, 'nodriver', whole, *nodriver)
    check_host(args, res, boots)
    print('rootdisk suite: %.0f s' % (time.monotonic() - start))
    print('%d passed, %d failed' % (res.passed, res.failed), flush=True)
    sys.exit(1 if res.failed else 0)


if __name__ == '__main__':
    main()
