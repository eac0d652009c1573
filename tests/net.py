"""Aramid network suite (tests/run.py --suite net --net).

Boots the kernel to the interactive BusyBox shell with a virtio-net device
on QEMU user networking (guest 10.0.2.15, host 10.0.2.2) and the host port
args.hostport forwarded to the guest's port 80, then drives the shell:
DHCP with udhcpc and Debian's default script, static configuration with
ifconfig/route, the interface and route tables,
wget from a host HTTP server, the guest's httpd fetched from the host,
10 MB each way, 50 concurrent host connections, nc both ways, a refused
connection and ping. Every step prints one PASS/FAIL line.

A kernel whose virtio-net driver is a module (Debian's Linux) gets it from
the initramfs: every /tests/<module>.ko listed in MODULES is insmod'ed first.
"""
import concurrent.futures
import hashlib
import http.server
import os
import re
import socket
import threading
import time
import urllib.request

P = 'net'
PROMPT = r'~ # '
GUEST = '10.0.2.15'
HOST = '10.0.2.2'
MAC = '52:54:00:12:34:56'         # QEMU's address for the first NIC
BIG = 10 * 1024 * 1024
MODULES = ['virtio_ring', 'virtio', 'virtio_pci_modern_dev',
           'virtio_pci_legacy_dev', 'virtio_pci', 'failover',
           'net_failover', 'virtio_net']


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


def serve_dir(path):
    """An HTTP server for @path on 127.0.0.1 in a daemon thread."""
    handler = lambda *a, **k: Quiet(*a, directory=path, **k)
    httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def serve_nc(port, reply, got):
    """Accept one connection on 127.0.0.1:@port, send @reply, then keep
    what the peer sends until EOF in got['data']."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(('127.0.0.1', port))
    srv.listen(1)
    srv.settimeout(120)

    def run():
        try:
            conn, _ = srv.accept()
            conn.settimeout(60)
            conn.sendall(reply)
            conn.shutdown(socket.SHUT_WR)
            data = b''
            while True:
                b = conn.recv(4096)
                if not b:
                    break
                data += b
            got['data'] = data
            conn.close()
        except OSError as e:
            got['error'] = str(e)
        finally:
            srv.close()
    threading.Thread(target=run, daemon=True).start()


def md5(data):
    return hashlib.md5(data).hexdigest()


def http_get(port, path, timeout):
    """Body of http://127.0.0.1:port/path, or an exception's text."""
    try:
        with urllib.request.urlopen('http://127.0.0.1:%d/%s' % (port, path),
                                    timeout=timeout) as r:
            return r.read()
    except Exception as e:                  # reported as the step's detail
        return 'error: %s' % e


def concurrent_gets(port, path, n, timeout):
    """Open @n connections to 127.0.0.1:port first, then send a request on
    each and read every reply: the bodies (or error strings), in order."""
    socks = []
    try:
        for _ in range(n):
            s = socket.create_connection(('127.0.0.1', port), timeout=timeout)
            socks.append(s)
    except OSError as e:
        for s in socks:
            s.close()
        return ['connect %d: %s' % (len(socks), e)] * n
    req = ('GET /%s HTTP/1.0\r\nHost: guest\r\n\r\n' % path).encode()

    def one(s):
        try:
            s.sendall(req)
            data = b''
            while True:
                b = s.recv(65536)
                if not b:
                    break
                data += b
            head, _, body = data.partition(b'\r\n\r\n')
            if not head.startswith(b'HTTP/1.') or b' 200 ' not in head.split(b'\r\n')[0]:
                return 'bad reply: %r' % head[:60]
            return body
        except OSError as e:
            return 'error: %s' % e
        finally:
            s.close()
    with concurrent.futures.ThreadPoolExecutor(max_workers=n) as ex:
        return list(ex.map(one, socks))


def run_net(args, res, con, tail, write_log):
    """The net suite on the booted console @con (tests/run.py Console)."""
    import pexpect
    import tempfile
    print('== %s: net suite (host port %d -> guest 80) ==' %
          (args.name, args.hostport), flush=True)
    failed_before = res.failed
    tmp = tempfile.TemporaryDirectory(prefix='aramid-net-')
    small = os.urandom(1024 * 1024)
    big = os.urandom(BIG)
    with open(os.path.join(tmp.name, 'f'), 'wb') as f:
        f.write(small)
    with open(os.path.join(tmp.name, 'big'), 'wb') as f:
        f.write(big)
    web = serve_dir(tmp.name)
    wport = web.server_address[1]
    closed = free_port()
    ncport = free_port()
    child, left, step = con.child, con.left, con.step
    sh, check = con.sh, con.check

    def guest_md5(out):
        m = re.search(r'\b([0-9a-f]{32})\s', out)
        return m.group(1) if m else None

    # Without a prompt every later step still runs (and fails fast, once
    # the deadline has passed), so the step count stays fixed.
    try:
        try:
            child.expect(PROMPT, timeout=left(args.timeout))
            booted = True
        except (pexpect.TIMEOUT, pexpect.EOF):
            booted = False
        step('boot to shell prompt', booted)
        sh('M="%s"' % ' '.join(MODULES))
        sh('for m in $M; do [ -f /tests/$m.ko ] && insmod /tests/$m.ko; '
           'done; true', 60)
        sh('i=0; while ! ifconfig eth0 >/dev/null 2>&1 && [ $i -lt 100 ]; '
           'do sleep 0.1; i=$((i+1)); done', 30)

        # DHCP first: BusyBox udhcpc on a packet socket gets QEMU's lease,
        # and Debian's /etc/udhcpc/default.script configures eth0 and
        # writes /etc/resolv.conf. Then eth0 loses the address (and its
        # routes) for the static configuration below.
        check('udhcpc -i eth0 -n -q gets the lease', 'udhcpc -i eth0 -n -q',
              r'lease of %s obtained from %s' % (re.escape(GUEST),
                                                re.escape(HOST)), 60)
        check('udhcpc: ifconfig eth0 shows the leased address',
              'ifconfig eth0',
              r'inet addr:%s\s+Bcast:10\.0\.2\.255\s+Mask:255\.255\.255\.0'
              % re.escape(GUEST))
        check('udhcpc: /etc/resolv.conf names the DNS server',
              'cat /etc/resolv.conf', r'(?m)^nameserver 10\.0\.2\.3$')
        check('udhcpc: route -n shows the default route via %s' % HOST,
              'route -n',
              r'(?m)^0\.0\.0\.0\s+10\.0\.2\.2\s+0\.0\.0\.0\s+UG\s.*eth0\s*$')
        check('udhcpc: ip addr show eth0', 'ip addr show eth0',
              r'2: eth0: <[A-Z_,-]*\bUP\b[A-Z_,-]*> mtu 1500 '
              r'(.|\n)*link/ether %s brd ff:ff:ff:ff:ff:ff'
              r'(.|\n)*inet %s/24 brd 10\.0\.2\.255 scope global eth0'
              % (MAC, re.escape(GUEST)))
        check('udhcpc: ip route', 'ip route',
              r'^default via %s dev eth0 \s*\n'
              r'10\.0\.2\.0/24 dev eth0 scope link\s+src %s\s*$'
              % (re.escape(HOST), re.escape(GUEST)))
        check('udhcpc: ip link', 'ip link',
              r'1: lo: <LOOPBACK[A-Z_,]*> mtu 65536 (.|\n)*'
              r'link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\s*\n'
              r'2: eth0: <[A-Z_,-]*\bUP\b[A-Z_,-]*> mtu 1500 qdisc \S+ '
              r'(.|\n)*link/ether %s brd ff:ff:ff:ff:ff:ff'
              % MAC)
        out = check('udhcpc: wget from the host',
                    'wget -q -O /tmp/f http://%s:%d/f && md5sum /tmp/f'
                    % (HOST, wport), None, 120)
        step('udhcpc: wget file md5 matches the host\'s',
             guest_md5(out) == md5(small),
             'guest %s host %s' % (guest_md5(out), md5(small)))
        sh('rm -f /tmp/f; ifconfig eth0 0.0.0.0; '
           'route del default 2>/dev/null; true', 30)

        check('ifconfig eth0 %s netmask 255.255.255.0 up' % GUEST,
              'ifconfig eth0 %s netmask 255.255.255.0 up' % GUEST)
        check('route add default gw %s' % HOST,
              'route add default gw %s' % HOST)
        check('ifconfig eth0 shows the address', 'ifconfig eth0',
              r'inet addr:%s\s+Bcast:10\.0\.2\.255\s+Mask:255\.255\.255\.0'
              % re.escape(GUEST))
        check('ifconfig eth0 shows HWaddr %s and UP' % MAC, 'ifconfig eth0',
              r'HWaddr %s(.|\n)*\bUP\b' % MAC)
        check('/proc/net/route has the default route', 'cat /proc/net/route',
              r'eth0\s+00000000\s+0202000A\s+0003\s')
        check('/proc/net/route has the subnet route', 'cat /proc/net/route',
              r'eth0\s+0002000A\s+00000000\s+0001\s')
        check('route -n shows the default route', 'route -n',
              r'0\.0\.0\.0\s+10\.0\.2\.2\s+0\.0\.0\.0\s+UG\s.*eth0')
        check('/proc/net/dev lists eth0', 'cat /proc/net/dev', r'\beth0:')

        # host -> guest: wget from the host's HTTP server
        out = check('wget 1 MB from the host',
                    'wget -q -O /tmp/f http://%s:%d/f && md5sum /tmp/f'
                    % (HOST, wport), None, 120)
        step('wget file md5 matches the host\'s', guest_md5(out) == md5(small),
             'guest %s host %s' % (guest_md5(out), md5(small)))

        # guest -> host: the guest's httpd through the forwarded port
        out = check('guest creates 1 MB random file and starts httpd',
                    'mkdir -p /www && dd if=/dev/urandom of=/www/g bs=1024 '
                    'count=1024 2>/dev/null && md5sum /www/g && '
                    'echo small > /www/s && httpd -p 80 -h /www', None, 60)
        gsum = guest_md5(out)
        body = http_get(args.hostport, 'g', left(120))
        step('host fetches the guest file byte-identical',
             gsum is not None and isinstance(body, bytes) and md5(body) == gsum,
             'guest md5 %s, host got %s' % (gsum, body if isinstance(body, str)
                                             else md5(body)))

        # 10 MB each way
        t0 = time.monotonic()
        out = check('wget 10 MB from the host',
                    'wget -q -O /tmp/big http://%s:%d/big && md5sum /tmp/big'
                    % (HOST, wport), None, 600)
        step('10 MB host to guest md5 matches (%.0fs)' % (time.monotonic() - t0),
             guest_md5(out) == md5(big),
             'guest %s host %s' % (guest_md5(out), md5(big)))
        out = check('guest creates a 10 MB file',
                    'rm -f /tmp/big && '
                    'dd if=/dev/urandom of=/www/big bs=65536 count=160 '
                    '2>/dev/null && md5sum /www/big', None, 300)
        gsum = guest_md5(out)
        t0 = time.monotonic()
        body = http_get(args.hostport, 'big', left(600))
        step('10 MB guest to host md5 matches (%.0fs)' % (time.monotonic() - t0),
             gsum is not None and isinstance(body, bytes) and md5(body) == gsum,
             'guest md5 %s, host got %s' % (gsum, body if isinstance(body, str)
                                             else '%d bytes' % len(body)))
        sh('rm -f /www/big /tmp/f', 30)

        # 50 concurrent connections from the host to the guest's httpd
        bodies = concurrent_gets(args.hostport, 's', 50, left(120))
        good = sum(1 for b in bodies if b == b'small\n')
        bad = [b for b in bodies if b != b'small\n'][:3]
        step('50 concurrent host connections to httpd all succeed',
             good == 50, '%d of 50 ok; e.g. %r' % (good, bad))

        # nc: the guest connects to a host server; data goes both ways
        got = {}
        serve_nc(ncport, b'hello-from-host\n', got)
        rc, out = sh('echo hello-from-guest | nc %s %d' % (HOST, ncport), 60)
        time.sleep(0.5)
        step('nc to the host: the host\'s line arrives',
             rc == 0 and 'hello-from-host' in out,
             'exit status %s, output %r' % (rc, out.strip()[-160:]))
        step('nc to the host: the guest\'s line arrives',
             got.get('data') == b'hello-from-guest\n', repr(got))

        # a closed host port refuses the connection
        rc, out = sh('nc %s %d </dev/null' % (HOST, closed), 60)
        step('nc to a closed host port: connection refused',
             rc not in (0, None) and 'Connection refused' in out,
             'exit status %s, output %r' % (rc, out.strip()[-160:]))
        rc, out = sh('wget -q -O /dev/null http://%s:%d/' % (HOST, closed), 60)
        step('wget from a closed host port: connection refused',
             rc not in (0, None) and 'Connection refused' in out,
             'exit status %s, output %r' % (rc, out.strip()[-160:]))

        # ICMP echo to the user-net gateway: slirp answers an echo to its
        # own address itself (icmp_reflect), so no host ping socket or
        # privilege is needed; other destinations would need them.
        check('ping -c 1 %s' % HOST, 'ping -c 1 -W 5 %s' % HOST,
              r'1 packets transmitted, 1 packets received', 30)
        # IPv6 on eth0: the link-local address from the MAC (EUI-64),
        # then one from the prefix QEMU's router advertises (fec0::/64,
        # "dynamic": stateless autoconfiguration), and echoes to the
        # router at both of its addresses.
        o = [int(x, 16) for x in MAC.split(':')]
        words = ((o[0] ^ 2) << 8 | o[1], o[2] << 8 | 0xff, 0xfe00 | o[3],
                 o[4] << 8 | o[5])
        eui = ':'.join('%x' % w for w in words)
        check('ip -6 addr: eth0 has fe80::%s' % eui, 'ip -6 addr show eth0',
              r'inet6 fe80::%s/64 scope link' % eui, 30)
        check('/proc/net/if_inet6: the link-local address, permanent',
              'cat /proc/net/if_inet6',
              r'fe80000000000000%s 02 40 20 80     eth0' %
              ''.join('%04x' % w for w in words), 30)
        check('SLAAC: fec0::%s from the router\'s prefix' % eui,
              'i=0; while ! ip -6 addr show eth0 | grep -q "fec0::%s/64 '
              'scope site dynamic"; do [ $i -ge 100 ] && break; sleep 0.1; '
              'i=$((i+1)); done; ip -6 addr show eth0' % eui,
              r'inet6 fec0::%s/64 scope site dynamic' % eui, 30)
        check('ip -6 route: the link, the advertised prefix, the router',
              'ip -6 route',
              r'fe80::/64 dev eth0 +metric 256 *\r?\n'
              r'fec0::/64 dev eth0 +metric 256 +expires \d+sec *\r?\n'
              r'default via fe80::2 dev eth0 +metric 1024 +expires \d+sec *'
              r'\r?\nmulticast ff00::/8 dev eth0 +metric 256', 30)
        check('ip -6 route show table local: the addresses',
              'ip -6 route show table local',
              r'local fe80::%s dev eth0 +metric 0 *\r?\n'
              r'local fec0::%s dev eth0 +metric 0' % (eui, eui), 30)
        check('/proc/net/psched', 'cat /proc/net/psched',
              r'000003e8 00000040 000f4240 3b9aca00', 30)
        check('ping -6 the router at fec0::2', 'ping -6 -c 1 -W 5 fec0::2',
              r'1 packets transmitted, 1 packets received', 30)
        check('ping -6 the router at fe80::2%eth0',
              'ping -6 -c 1 -W 5 fe80::2%eth0',
              r'1 packets transmitted, 1 packets received', 30)
        # ICMPv6 echo over lo's ::1 through a raw IPv6 socket; the hop
        # limit comes from the RFC 2292 control message BusyBox asks for.
        sh('ifconfig lo up', 30)
        check('ping -6 -c 1 ::1', 'ping -6 -c 1 -W 5 ::1',
              r'bytes from ::1: seq=0 ttl=64 time=(.|\n)*'
              r'1 packets transmitted, 1 packets received', 30)

        child.send('poweroff\r')
        try:
            child.expect(pexpect.EOF, timeout=left(60))
            off = True
        except pexpect.TIMEOUT:
            off = False
        step('poweroff exits QEMU', off, 'QEMU still running')
    finally:
        con.close()
        web.shutdown()
        tmp.cleanup()
        write_log(args, '.net.log', '\n'.join(con.lines()) + '\n')
        if res.failed > failed_before:
            tail(con.lines(), 40)
