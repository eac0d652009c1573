"""Guest side of tests/pytests.py: run one CPython regression test module.

  python3 pyt.py MODULE TIMEOUT

Runs `python3 -m test -v --junit-xml` on MODULE in a session of its own,
killed with its process group after TIMEOUT seconds, then prints one line
per test, "PYT STATUS ID" (STATUS: ok, fail, error, skip, xfail, xpass,
hung), and last "PYTEND MODULE rc=N secs=S source=xml|log". Without the
XML file (a timeout or a crash) the -v log gives what ran; the test that
was running when the time ran out is "hung", and the log's last lines
follow as "PYTLOG LINE" (also after a failure that names no test). Each FAIL or ERROR is followed by "PYTERR ID: "
and the last line of its traceback.
"""
import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

mod, limit = sys.argv[1], float(sys.argv[2])
out = '/tmp/pyt'
os.makedirs(out, exist_ok=True)
xml, log = '%s/%s.xml' % (out, mod), '%s/%s.log' % (out, mod)
for f in (xml, log):
    if os.path.exists(f):
        os.unlink(f)
t0 = time.monotonic()
with open(log, 'w') as f:
    p = subprocess.Popen([sys.executable, '-m', 'test', '-v', '--junit-xml',
                          xml, mod], stdout=f, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        rc = p.wait(limit)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        rc = p.wait()
secs = time.monotonic() - t0


def last_line(text):
    lines = [l for l in (text or '').strip().split('\n') if l.strip()]
    return lines[-1].strip()[:200] if lines else ''


def from_xml():
    for case in ET.parse(xml).getroot().iter('testcase'):
        status, why = 'ok', ''
        for kind, name in (('failure', 'fail'), ('error', 'error'),
                           ('skipped', 'skip'), ('output', 'xfail')):
            e = case.find(kind)
            if e is not None:
                status = name
                why = e.text if kind in ('failure', 'error') else ''
                why = last_line(why or e.get('message'))
                break
        if case.find('outcome') is not None:
            status = 'xpass'
        yield status, case.get('name'), why


RESULT = {'ok': 'ok', 'FAIL': 'fail', 'ERROR': 'error', 'skipped': 'skip',
          'expected failure': 'xfail', 'unexpected success': 'xpass'}
START = re.compile(r'^(\w+) \(([\w.]+)\)(.*)$')
END = re.compile(r'\.\.\. (ok|FAIL|ERROR|skipped|expected failure|'
                 r'unexpected success)\b')


def from_log():
    running = None
    with open(log, errors='replace') as f:
        for line in f:
            m = START.match(line)
            if m:
                running = m.group(2)
                if not running.endswith('.' + m.group(1)):
                    running += '.' + m.group(1)
            e = END.search(line)
            if e and running:
                yield RESULT[e.group(1)], running, ''
                running = None
    if running:
        yield 'hung', running, ''


source = 'xml' if os.path.exists(xml) else 'log'
try:
    results = list(from_xml() if source == 'xml' else from_log())
except ET.ParseError:
    source, results = 'log', list(from_log())
for status, name, why in results:
    print('PYT %s %s' % (status, name))
    if why:
        print('PYTERR %s: %s' % (name, why))
if source == 'log' or (rc and not results):
    with open(log, errors='replace') as f:
        for line in f.readlines()[-12:]:
            print('PYTLOG ' + line.rstrip()[:200])
print('PYTEND %s rc=%d secs=%.1f source=%s' % (mod, rc, secs, source),
      flush=True)
