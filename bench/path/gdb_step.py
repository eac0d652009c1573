# Run inside gdb by bench/path/trace.py: attach to QEMU's gdb stub, let
# the guest pass the syscall instruction at TRACE_AT (user space) TRACE_SKIP
# times (so that caches, lazy set-up and first-call paths are behind it),
# then single-step the next call from the kernel's entry until the CPU is
# back in user space, writing each kernel instruction address to
# TRACE_OUT. Only user addresses are needed: it works on any kernel.
import os
import gdb

skip = int(os.environ.get('TRACE_SKIP', '50'))
limit = int(os.environ.get('TRACE_LIMIT', '50000'))
USER_TOP = 0x800000000000

gdb.execute('set pagination off')
gdb.execute('target remote :' + os.environ['TRACE_PORT'])
gdb.execute('hbreak *' + os.environ['TRACE_AT'])
for _ in range(skip):
    gdb.execute('continue', to_string=True)
gdb.execute('delete')
gdb.execute('stepi', to_string=True)	# the syscall instruction itself
with open(os.environ['TRACE_OUT'], 'w') as out:
    for _ in range(limit):
        rip = int(gdb.parse_and_eval('$rip')) & 0xffffffffffffffff
        if rip < USER_TOP:
            break
        out.write('%x\n' % rip)
        gdb.execute('stepi', to_string=True)
gdb.execute('kill')
