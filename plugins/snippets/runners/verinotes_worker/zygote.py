"""The zygote: a small process, prepared once, that forks one child per session (fewer pages to copy), and
the start of a session: isolate, take the job and the worker's pipes, run."""

import builtins
import gc
import io
import marshal
import os
import select
import signal
import socket
import sys
import time

from .isolation import (
    MS_NODEV,
    MS_NOEXEC,
    MS_NOSUID,
    PidNamespaces,
    become_session_user,
    enter_session_namespaces,
    libc,
    name_process,
)
from .protocol import send_frame
from .session import Child, _Exit


def recv_job(sock):
    """A job from the zygote's socket: its length and the two pipes' write ends (the session's frames and its
    output), then its bytes. None when the other end is gone."""
    head, fds, _, _ = socket.recv_fds(sock, 4, 2)
    if len(head) < 4 or len(fds) != 2:
        for fd in fds:
            os.close(fd)
        return None
    n = int.from_bytes(head, "little")
    data = bytearray()
    while len(data) < n:
        chunk = sock.recv(min(1 << 20, n - len(data)))
        if not chunk:
            return None
        data += chunk
    return bytes(data), fds[0], fds[1]


def send_job(sock, data, fds):
    socket.send_fds(sock, [len(data).to_bytes(4, "little")], fds)
    sock.sendall(data)


def run_session(line, w, cw, env, work=None, scratch=None):
    """In the process that runs the session: parse the job, point stdout and stderr at the capture pipe, run,
    exit. Never returns into the caller's loop."""
    code = 0
    try:
        name_process("vn-session")
        os.dup2(cw, 1)  # nothing of the worker's stdout reaches the session
        os.dup2(cw, 2)
        job = marshal.loads(line)
        cfg = dict(job["cfg"], env=env)
        Child(job, work or job["work"], scratch or job["scratch"], w, cfg, cw, job["token"].encode()).run()
    except BaseException as e:  # report, never return into the zygote's loop
        report_fatal(w, e)
        code = 70
    os._exit(code)


def report_fatal(w, e):
    try:
        import traceback

        error = "".join(traceback.format_exception(type(e), e, e.__traceback__))
    except BaseException:
        error = "%s: %s" % (type(e).__name__, e)
    try:
        send_frame(w, {"ev": "fatal", "error": error})
    except BaseException:
        pass


def run_spare(sock, env, iso, nproc, direct=False):
    """A sandboxed session made ready before its job comes (while the previous session runs): its namespaces,
    its /tmp and /proc, its user. `direct`: this process is PID 1 of its new PID namespace already (see
    PidNamespaces). Otherwise it watches: it forks PID 1 of the new PID namespace, tells the zygote that pid (to
    kill the whole namespace at once), and exits as PID 1 did."""
    try:
        if not direct:
            name_process("vn-watch")
            # a group of its own for the watcher only: a direct PID 1 that led its own group made the bash fork
            # bomb's transcript time out in 2 of 7 runs of sandbox.test.ts (0 of 16 without; why is not known)
            os.setpgid(0, 0)
        work, scratch = enter_session_namespaces(iso, pid_ns=not direct)
        init = 0 if direct else os.fork()
    except BaseException:
        os._exit(71)
    if init:
        try:
            sock.sendall(b"%d\n" % init)
            sock.close()
        except OSError:
            pass
        exit_as(os.waitpid(init, 0)[1])
    serve_as_init(sock, env, iso, nproc, work, scratch)


def serve_as_init(sock, env, iso, nproc, work, scratch):
    """PID 1 of the session's namespace: waits for the job, forks the session as an ordinary process (signals it
    sends itself arrive, kill(-1) reaches all it started), reaps, and says how the session ended; when it exits,
    the kernel kills everything left in the namespace."""
    w = None
    try:
        name_process("vn-init")
        # its own /proc: the session sees its own processes, not the worker's (as root; in a user namespace the
        # kernel refuses a new /proc under bwrap's, and the worker's are not dumpable there either)
        libc().mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)
        become_session_user(iso, nproc)
        got = recv_job(sock)
        if got is None:
            os._exit(0)
        line, w, cw = got
        sock.close()
        session = os.fork()
        if session == 0:
            run_session(line, w, cw, env, work, scratch)
        os.close(cw)
        while True:
            try:
                done, status = os.waitpid(-1, 0)
            except ChildProcessError:
                os._exit(70)
            if done == session:  # init cannot die of a signal it sends itself: say how the session ended
                send_frame(w, {"ev": "exited", "status": status})
                os._exit(0)
    except BaseException as e:
        if w is not None:
            report_fatal(w, e)
        os._exit(70)


def exit_as(status):
    """Ends this process the way a child ended (its exit code, or the same signal), so that the worker says why."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def prepare_zygote(path):
    """What every session child starts with, done once before the forks rather than in each child: on a
    VM where a page fault costs 15 us, a child that rebuilt os.environ, the time zone and three text
    streams itself wrote (and so copied) about 100 pages more."""
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # as python does: writes raise BrokenPipeError
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past RLIMIT_FSIZE fail with EFBIG
    env = {
        "PATH": path,
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "COLUMNS": "80",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
    }  # HOME, TMPDIR and PWD are the session's folder, set by the child
    os.environ.clear()
    os.environ.update(env)
    time.tzset()
    builtins.exit = _Exit("exit")
    builtins.quit = _Exit("quit")
    # stdin is /dev/null for every block: set here, so that the wrapper below sees what the blocks see (a
    # seekable, empty file); the zygote reads its jobs from another pipe. fds 1 and 2 are still the worker's
    # here: each child points them at its capture pipe before anything runs.
    dn = os.open(os.devnull, os.O_RDONLY)
    os.dup2(dn, 0)
    os.close(dn)
    enc = dict(encoding="utf-8", errors="backslashreplace", line_buffering=True)
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), **enc)
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), **enc)
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
    gc.collect()
    gc.freeze()  # forked sessions then do not touch (and copy) every object when they collect
    return env


class Zygote:
    """Forks one process per session and reports its pid and exit status on `out`: `P<pid> <init>` when a session
    starts (init: PID 1 of its namespace, 0 unsandboxed), `S<pid>` for a spare made ready, `X<pid> <status>` when
    one is gone. Sandboxed, the next session's isolation is set up while the current one runs (a spare), so that
    making namespaces, mounts and a user is off the session's path. Touches as little memory as it can between
    forks: the children share its pages, and every page written after a fork is copied."""

    def __init__(self, sock, out, path, iso, nproc):
        self.sock, self.out, self.iso, self.nproc = sock, out, iso, nproc
        name_process("vn-zygote")
        self.env = prepare_zygote(path)
        self.sandboxed = iso["mode"] != "none"
        self.pid_namespaces = PidNamespaces(iso) if self.sandboxed else None
        self.direct = bool(self.pid_namespaces and self.pid_namespaces.own is not None)
        self.spare = None  # (pid, socket)
        self.live = {}  # pidfd -> pid of a process not reaped yet

    def fork(self):
        """A child that holds none of the zygote's own descriptors."""
        pid = os.fork()
        if pid == 0:
            self.sock.close()
            os.close(self.out)
            for fd in self.live:
                os.close(fd)
            if self.spare:
                self.spare[1].close()
            if self.direct:
                os.close(self.pid_namespaces.own)
        return pid

    def watch(self, pid):
        self.live[os.pidfd_open(pid)] = pid

    def make_spare(self):
        mine, theirs = socket.socketpair()
        pid = -1
        if self.direct:
            self.pid_namespaces.enter_new()
        try:
            pid = self.fork()
        finally:
            if self.direct and pid != 0:
                self.pid_namespaces.leave()
        if pid == 0:
            mine.close()
            run_spare(theirs, self.env, self.iso, self.nproc, self.direct)
        theirs.close()
        self.watch(pid)
        self.spare = (pid, mine)
        os.write(self.out, b"S%d\n" % pid)

    def start(self, line, w, cw):
        """Hands a job to the spare (sandboxed) or to a new child; returns (pid, init)."""
        if not self.sandboxed:
            pid = self.fork()
            if pid == 0:
                run_session(line, w, cw, self.env)
            self.watch(pid)
            return pid, 0
        if self.spare is None:
            self.make_spare()
        pid, sock = self.spare
        self.spare = None
        init = pid  # direct: the spare is PID 1 itself
        try:
            if not self.direct:  # its watcher says which process is PID 1
                reply = b""
                while not reply.endswith(b"\n"):
                    data = sock.recv(64)
                    if not data:
                        break
                    reply += data
                init = int(reply) if reply.strip().isdigit() else 0
            send_job(sock, line, [w, cw])
        except OSError:
            pass  # the spare is gone: its X line tells the worker
        sock.close()
        return pid, init

    def reap(self, fd):
        pid = self.live.pop(fd)
        os.close(fd)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = 0
        os.write(self.out, b"X%d %d\n" % (pid, status))

    def serve(self):
        while True:
            if self.sandboxed and self.spare is None:
                self.make_spare()
            ready, _, _ = select.select([self.sock, *self.live], [], [])
            for fd in ready:
                if fd is not self.sock and fd in self.live:
                    self.reap(fd)
            if self.sock in ready:
                got = recv_job(self.sock)
                if got is None:
                    os._exit(0)
                line, w, cw = got
                pid, init = self.start(line, w, cw)
                os.close(w)
                os.close(cw)
                os.write(self.out, b"P%d %d\n" % (pid, init))
