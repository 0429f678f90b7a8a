"""The least a sandboxed notebook verifier can do per note on this machine, for `bench/verify-bench.ts`: the
process model of snippets-spec.md §3 and §5 and nothing else. No judging, limits, timeouts, import checks,
frames or caching: a lower bound for Verinotes' worker, measured in the same run.

Runs inside bwrap as root (the sandbox Verinotes' workers get), one process per worker. Reads jobs, one JSON line
each: {"py": [[code, "exec" or "single" (a REPL line)], ...], "sh": [command, ...]}. Per job: PID 1 of a new PID
namespace (unshare and setns back, no watcher), its own mount and IPC namespaces with a fresh tmpfs on /tmp and
its own /proc, and the session forked from it as an unprivileged uid: the python blocks run in one namespace, the
commands in one bash started with posix_spawn. Everything they print goes to one pipe, read to its end. Writes one line per job: its length.
`--bare`: the same without the namespaces, mounts and uid (a fork per note in its own folder): what the
isolation itself costs."""

import ctypes
import json
import os
import sys

NEWNS, NEWIPC, NEWPID = 0x00020000, 0x08000000, 0x20000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 0x4000, 1 << 18
UID = 1_900_000_777
ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp/s", "TMPDIR": "/tmp/s", "TZ": "UTC"}
libc = ctypes.CDLL(None, use_errno=True)


def ok(rc, what):
    if rc != 0:
        raise OSError(ctypes.get_errno(), what)


def session(job, folder, bare):
    """The note: python blocks in one namespace, then its transcripts' commands in one bash."""
    if not bare:
        os.setgroups([])
        os.setresgid(UID, UID, UID)
        os.setresuid(UID, UID, UID)
    os.chdir(folder)
    names = {"__name__": "__main__"}
    for code, mode in job["py"]:
        try:
            exec(compile(code, "<block>", mode), names)
        except BaseException as e:  # a verifier would judge this; the prototype only says it
            print(type(e).__name__)
    sys.stdout.flush()
    if job["sh"]:
        r, w = os.pipe()
        actions = [(os.POSIX_SPAWN_DUP2, r, 0)]
        pid = os.posix_spawn("/bin/bash", ["bash", "--noprofile", "--norc"], ENV, file_actions=actions, setpgroup=0)
        os.close(r)
        os.write(w, ("\n".join(job["sh"]) + "\n").encode())
        os.close(w)
        os.waitpid(pid, 0)
    os._exit(0)


def init(job, out_w, folder, bare):
    """PID 1: the session's mounts, then the session as its child."""
    try:
        if bare:
            os.mkdir(folder, 0o700)
            os.dup2(out_w, 1)
            os.dup2(out_w, 2)
            os.close(out_w)
            session(job, folder, bare)
        ok(libc.unshare(NEWNS | NEWIPC), "unshare")
        ok(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
        ok(libc.mount(b"tmpfs", b"/tmp", b"tmpfs", MS_NOSUID | MS_NODEV, b"size=268435456,mode=1777"), "mount /tmp")
        os.mkdir(folder, 0o700)
        os.chown(folder, UID, UID)
        ok(libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None), "mount /proc")
        os.dup2(out_w, 1)
        os.dup2(out_w, 2)
        os.close(out_w)
        pid = os.fork()
        if pid == 0:
            session(job, folder, bare)
        os.waitpid(pid, 0)
    finally:
        os._exit(0)


def main():
    bare = "--bare" in sys.argv
    own = os.open("/proc/self/ns/pid", os.O_RDONLY)
    stdin = sys.stdin.buffer
    for n, line in enumerate(stdin):
        job = json.loads(line)
        r, w = os.pipe()
        if not bare:
            ok(libc.unshare(NEWPID), "unshare(CLONE_NEWPID)")
        pid = os.fork()
        if pid == 0:
            os.close(r)
            init(job, w, "/tmp/s%d" % n if bare else "/tmp/s", bare)
        if not bare:
            ok(libc.setns(own, NEWPID), "setns")
        os.close(w)
        n = 0
        while True:
            data = os.read(r, 1 << 16)
            if not data:
                break
            n += len(data)
        os.close(r)
        os.waitpid(pid, 0)
        sys.stdout.write("%d\n" % n)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
