"""Warm python worker of Verinotes' verified snippets (snippets-spec.md §3, §5).

Long-lived, several per CPU (a sandboxed session mostly waits on the kernel). It reads note sessions as JSON lines
on stdin and, for each, has its zygote (verinotes_worker/zygote.py) start a child that owns a fresh sandbox
directory and runs the session's blocks in order: python blocks in one
namespace, REPL lines doctest-style, transcripts in one bash, node blocks, static checks. Results go
back as one JSON line per block. The worker watches the child: a block that overruns its timeout, or a
session that overruns the note timeout, gets the session's processes killed; a crash or hang of a
child never takes the worker down.

The worker is started with `-S` and imports as little as it can: on some virtual machines the cost of
fork() and of the copy-on-write faults after it grows with every page the forking process maps, and a
session child touches a fraction of it. Bash and node are started with posix_spawn for the same reason.

Isolation (snippets-spec.md §5): the worker itself runs inside bubblewrap (the node side starts it there:
its own mount, PID, network, IPC and UTS namespaces, only the system and the interpreters visible, a private
/tmp). Each session then gets a PID namespace of its own (every process it starts dies with it) and runs as
a user that owns nothing but its folder: `root` mode (the verifier runs as root: bwrap keeps the worker a few
capabilities, and the session drops to an unprivileged uid of its own) or `user` mode (a nested user namespace
per session, all capabilities dropped). `none` is `--no-sandbox`: only the folder and the limits. The next
session's isolation is made while the current one runs (a spare): the namespaces and mounts cost milliseconds of
kernel time, mostly waiting.

The code is split by concern in verinotes_worker/: protocol (frames, capture), files, isolation (namespaces,
user, memory, killing), analysis (a block's imports and names), session and shell (running blocks), zygote.

Protocol (stdout): {"ev":"ready",...} once, then per job {"id":..,"ev":"step",...} per block and
{"id":..,"ev":"done","ms":..,"trace":{..}} (when the session started, began, ended, was reaped: where its
time went). Environment: VERINOTES_SYSPATH (JSON list: the interpreter's normal sys.path,
since -S skips site), VERINOTES_MAX_PROCS, VERINOTES_CPU (pin to this CPU), VERINOTES_ISOLATION (root, user
or none), VERINOTES_SESSION_SLOT (picks the session uid in root mode).
"""

import importlib.util
import json
import marshal
import os
import select
import signal
import socket
import sys
import time

from verinotes_worker.files import rmtree, which
from verinotes_worker.isolation import (
    SESSION_UID_BASE,
    become_session_user,
    count_user_processes,
    enter_session_namespaces,
    kill_tree,
    name_process,
    not_dumpable,
    session_memory,
)
from verinotes_worker.analysis import module_exists
from verinotes_worker.protocol import NOTE_OUTPUT_CAP, CaptureReader, read_frames, sanitize_step, send
from verinotes_worker.zygote import Zygote, send_job

GRACE = 5.0
#: How often the worker adds up a running session's memory, from how long after its start.
MEMORY_POLL = 0.05
MEMORY_POLL_AFTER = 0.2


class Worker:
    def __init__(self):
        mode = os.environ.get("VERINOTES_ISOLATION", "none")
        if mode not in ("root", "user", "none"):
            raise SystemExit("VERINOTES_ISOLATION must be root, user or none")
        self.isolation = {
            "mode": mode,
            "diskBytes": int(os.environ.get("VERINOTES_DISK_BYTES", str(256 << 20))),
            "memoryBytes": int(os.environ.get("VERINOTES_MEMORY_BYTES", str(1 << 30))),
        }
        if mode == "root":
            self.isolation["uid"] = SESSION_UID_BASE + int(os.environ.get("VERINOTES_SESSION_SLOT", "0"))
        # Sandboxed, /tmp is this worker's own tmpfs; unsandboxed, a fresh private folder (never one found there).
        parent = "/tmp" if mode != "none" else os.environ.get("TMPDIR") or "/tmp"
        self.base = os.path.join(parent, "verinotes-%d-%s" % (os.getpid(), os.urandom(8).hex()))
        os.mkdir(self.base, 0o700)
        os.chmod(self.base, 0o711)  # the session user may pass through to its own folder, and list nothing
        # sandboxed, sessions mount their own /tmp: the links to the interpreter live in the worker's own folder
        self.bindir = os.path.join(os.environ.get("VERINOTES_WORKER_HOME") or self.base, "bin")
        os.mkdir(self.bindir, 0o755)
        for name in ("python", "python3"):
            os.symlink(sys.executable, os.path.join(self.bindir, name))
        self.max_procs = int(os.environ.get("VERINOTES_MAX_PROCS", "128"))
        self.nproc = None
        if self.max_procs > 0:
            if mode != "none":  # the session's own uid (root mode) or user namespace: its init and the spare's too
                self.nproc = self.max_procs + 3
            elif os.getuid() != 0:
                self.nproc = count_user_processes() + self.max_procs
        self.path = self.bindir + os.pathsep + os.environ.get("PATH", os.defpath)
        self.n = 0
        self.zpid = None
        self.spares = set()  # sessions made ready before their job (not this session's memory)
        self.found = {}  # programs looked up on PATH: the sandbox's system folders do not change
        self.sandbox_error = None
        if mode != "none":
            not_dumpable()  # the zygote and the session watchers inherit it
            self.sandbox_error = self.try_isolation()

    def try_isolation(self):
        """Sets a session's isolation up once, to fail closed with a reason before any note runs."""
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            try:
                enter_session_namespaces(self.isolation)
                inner = os.fork()
                if inner == 0:
                    become_session_user(self.isolation, self.nproc)
                    os._exit(0 if os.getpid() == 1 else 3)
                _, status = os.waitpid(inner, 0)
                os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
            except BaseException as e:
                os.write(w, str(e).encode("utf-8", "replace")[:2000])
                os._exit(2)
        os.close(w)
        why = b""
        while True:
            data = os.read(r, 4096)
            if not data:
                break
            why += data
        os.close(r)
        _, status = os.waitpid(pid, 0)
        if status == 0:
            return None
        return why.decode("utf-8", "replace") or "the session's namespaces could not be set up (status %d)" % status

    def start_zygote(self):
        mine, theirs = socket.socketpair()  # worker -> zygote: jobs, with the session's pipes
        sr, sw = os.pipe()  # zygote -> worker: pids and exit statuses
        pid = os.fork()
        if pid == 0:
            mine.close()
            os.close(sr)
            try:
                Zygote(theirs, sw, self.path, self.isolation, self.nproc).serve()
            finally:
                os._exit(0)
        theirs.close()
        os.close(sw)
        self.zpid, self.zin, self.zout, self.zbuf = pid, mine, sr, b""
        self.spares = set()

    def stop_zygote(self):
        if self.zpid:
            self.zin.close()
            try:
                os.close(self.zout)
            except OSError:
                pass
            try:
                os.kill(self.zpid, signal.SIGKILL)
                os.waitpid(self.zpid, 0)
            except OSError:
                pass
            self.zpid = None

    def programs_of(self, job):
        """Where the programs the session may start are on PATH, looked up here rather than in the session
        child, where each page the lookup touches would be copied. A PATH with a relative folder in it (an
        empty entry is the working folder) means the sandbox, which only the child can look in."""
        if any(not os.path.isabs(d) for d in self.path.split(os.pathsep)):
            return {}
        names = {"bash", "node"}
        for st in job["steps"]:
            for c in st.get("commands", []):
                names.update(c.get("programs", []))
        for n in names - self.found.keys():
            self.found[n] = which(n, self.path)
        return {n: self.found[n] for n in names if self.found[n]}

    def exists(self, name):
        """A module the interpreter can import or a program on PATH, as the worker (not the session) sees them."""
        if name.isidentifier() and module_exists(name):
            return True
        if name not in self.found:
            self.found[name] = which(name, self.path)
        return self.found[name] is not None

    def limits_info(self):
        mode = self.isolation["mode"]
        if mode == "root":
            return "RLIMIT_NPROC of the session's own uid (%d processes)" % self.max_procs
        if mode == "user":
            return "RLIMIT_NPROC in the session's own user namespace (%d processes)" % self.max_procs
        if self.nproc:
            return "RLIMIT_NPROC (%d), not sandboxed" % self.nproc
        return "none (not sandboxed, and RLIMIT_NPROC does not bind root)"

    def run_job(self, job):
        jid = job["id"]
        self.n += 1
        sdir = work = scratch = None
        if self.isolation["mode"] == "none":  # sandboxed, the session makes its folders on its own tmpfs
            sdir = os.path.join(self.base, "s%d" % self.n)
            work = os.path.join(sdir, "work")
            scratch = os.path.join(sdir, "scratch")
            os.mkdir(sdir, 0o700)
            os.mkdir(work, 0o700)
            os.mkdir(scratch, 0o700)
        # the session's frames and its output: pipes whose write ends go to the session with the job
        r, w = os.pipe()
        cr, cw = os.pipe()
        os.set_blocking(r, False)
        os.set_blocking(cr, False)
        token = os.urandom(8).hex()
        cap = CaptureReader(int(job.get("limits", {}).get("outputCap", 1 << 20)), token.encode())
        if not self.zpid:
            self.start_zygote()
        child = dict(job, work=work, scratch=scratch, token=token,
                     cfg={"isolation": self.isolation, "nproc": self.nproc, "which": self.programs_of(job)})
        try:
            send_job(self.zin, marshal.dumps(child), [w, cw])
        finally:
            os.close(w)
            os.close(cw)
        open_fds = [r, cr, self.zout]
        t_start = time.monotonic()
        trace = {}
        note_deadline = t_start + float(job.get("limits", {}).get("noteTimeout", 120))
        step_deadline = None
        current = None
        pid = None
        init = None
        exited = None
        status = None
        pgids = set()
        gone = {}
        reported = set()
        step_ids = {st["i"] for st in job["steps"]}
        op_of = {st["i"]: st["op"] for st in job["steps"]}
        memory_limit = int(job.get("limits", {}).get("memoryMb", 0)) << 20
        next_poll = t_start + MEMORY_POLL_AFTER
        queue = []
        killed = None
        fatal = None
        buf = b""
        ended = None
        kill_time = None

        def segs_of(msg):
            out = [msg["seg"]] if "seg" in msg else []
            for part in msg.get("examples", []):
                if "seg" in part:
                    out.append(part["seg"])
            return out

        def fill(part, final):
            seq = part.pop("seg", None)
            if seq is None:
                return
            if seq in cap.done:
                part["output"], cut = cap.done.pop(seq)
                if cut:
                    part["truncated"] = True
            elif final:
                part["output"] = cap.partial()

        def flush(final=False):
            while queue:
                msg = queue[0]
                if not final and any(q > cap.last for q in segs_of(msg)):
                    return
                queue.pop(0)
                fill(msg, final)
                for part in msg.get("examples", []):
                    fill(part, final)
                reported.add(msg["i"])
                send(1, msg)

        def drain(fd, feed):
            """Reads what is there; at the end of the pipe (every writer gone), stops watching it."""
            while True:
                try:
                    data = os.read(fd, 1 << 16)
                except BlockingIOError:
                    return
                if not data:
                    if fd in open_fds:
                        open_fds.remove(fd)
                    return
                feed(data)

        def on_result(data):
            # Frames come from the session's own process, which runs the note's code: take only what
            # can be about this session's blocks, each once.
            nonlocal buf, current, step_deadline, fatal, ended, killed, exited
            if buf is None:
                return
            msgs, buf = read_frames(buf + data)
            if buf is None and killed is None:
                killed = "harness frames corrupted by the session"
                kill_tree([init, pid], pgids)
            for msg in msgs:
                ev = msg.get("ev")
                i = msg.get("i")
                if ev == "begin" and i in step_ids and i not in reported:
                    trace.setdefault("begin", time.monotonic())
                    current = i
                    step_deadline = time.monotonic() + min(float(msg.get("t", 10)), 3600.0) + GRACE
                elif ev == "pgid" and isinstance(msg.get("pgid"), int) and msg["pgid"] > 1 and self.isolation["mode"] == "none":
                    pgids.add(msg["pgid"])
                elif ev == "step" and i in step_ids and i not in reported and all(q["i"] != i for q in queue):
                    step_deadline = None
                    if isinstance(msg.get("missing"), list):  # confirmed here, outside the session's reach
                        msg["missing"] = [m for m in msg["missing"] if isinstance(m, str) and not self.exists(m)]
                        if not msg["missing"]:
                            del msg["missing"]
                            msg["error"] = "the session claimed modules or programs are missing that are installed"
                    sanitize_step(msg, cap.cap, op_of[i])
                    msg["id"] = jid
                    queue.append(msg)
                elif ev == "exited" and exited is None and isinstance(msg.get("status"), int):
                    trace["exited"] = time.monotonic()
                    exited = msg["status"]
                elif ev == "fatal" and fatal is None:  # written by the session's process: say whose words they are
                    fatal = "the session's interpreter failed: %s" % str(msg.get("error"))[:20000]
                elif ev == "end":
                    ended = trace["end"] = time.monotonic()

        def on_capture(data):
            nonlocal killed
            if killed is not None and killed.startswith("output limit"):
                return  # past the note's share: what the dying session still writes is not kept
            cap.feed(data)
            if cap.total > NOTE_OUTPUT_CAP and killed is None:
                killed = "output limit (the note printed more than %d MiB)" % (NOTE_OUTPUT_CAP >> 20)
                kill_tree([init, pid], pgids)

        while True:
            now = time.monotonic()
            if status is not None:
                break
            if killed is None and (now >= note_deadline or (step_deadline and now >= step_deadline)):
                killed = "timeout" if step_deadline and now >= step_deadline else "note timeout"
                kill_tree([init, pid], pgids)
                kill_time = now
                continue
            if killed is not None and kill_time is None:  # stopped for its output or frames
                kill_time = now
            if memory_limit and init and killed is None and now >= next_poll:
                next_poll = now + MEMORY_POLL
                used = session_memory({1, os.getpid(), self.zpid, pid, *self.spares}, memory_limit)
                if used > memory_limit:
                    killed = "memory limit (the note's processes used more than %d MiB)" % (memory_limit >> 20)
                    kill_tree([init, pid], pgids)
                    kill_time = now
                    continue
            if kill_time and now >= kill_time + 5.0:
                self.stop_zygote()  # the child cannot be reaped: start over with a new zygote
                break
            dls = [note_deadline]
            if memory_limit and init and killed is None:
                dls.append(next_poll)
            if step_deadline:
                dls.append(step_deadline)
            if kill_time:
                dls.append(kill_time + 5.0)
            rl, _, _ = select.select(open_fds, [], [], max(0.0, min(dls) - now))
            if cr in rl:
                drain(cr, on_capture)
            if r in rl:
                drain(r, on_result)
            flush()
            if self.zout in rl:
                data = os.read(self.zout, 4096)
                if not data:
                    self.zpid = None  # the zygote died
                    status = -1
                    break
                self.zbuf += data
                while b"\n" in self.zbuf:
                    zl, self.zbuf = self.zbuf.split(b"\n", 1)
                    what, words = zl[:1], [int(x) for x in zl[1:].split()]
                    if what == b"P":
                        pid, init = words[0], words[1] or None
                        self.spares.discard(pid)
                        trace["started"] = time.monotonic()
                    elif what == b"S":
                        self.spares.add(words[0])
                    elif what == b"X":
                        self.spares.discard(words[0])
                        gone[words[0]] = words[1]
                if pid in gone:  # a spare may end before the zygote hands it the job
                    status = gone.pop(pid)
                    trace["reaped"] = time.monotonic()
        # the child is gone: what it wrote is in the pipes
        drain(cr, on_capture)
        drain(r, on_result)
        flush(final=True)
        partial = cap.partial()
        os.close(r)
        os.close(cr)
        kill_tree([init, pid], pgids)
        status = status if status is not None and status >= 0 else 0
        if exited is not None:  # sandboxed: how the session itself ended, as its init saw it
            status = exited
        for st in job["steps"]:
            if st["i"] in reported:
                continue
            why = fatal
            if why is None:
                if killed:
                    why = "killed after the %s of block %s" % (killed, current) if st["i"] != current else killed
                elif os.WIFSIGNALED(status):
                    why = "the interpreter died (signal %d)" % os.WTERMSIG(status)
                elif os.WIFEXITED(status) and os.WEXITSTATUS(status):
                    why = "the interpreter stopped (exit %d)" % os.WEXITSTATUS(status)
                else:
                    why = "the interpreter stopped"
            res = {"ev": "step", "id": jid, "i": st["i"], "killed": why}
            if st["i"] == current:
                res["output"] = partial
                if killed == "timeout":
                    res["timedOut"] = True
                elif killed and killed.startswith(("memory limit", "output limit")):
                    res["limit"] = killed
            send(1, res)
        if sdir:
            rmtree(sdir)
        trace["cleaned"] = time.monotonic()
        send(1, {"ev": "done", "id": jid, "ms": round((time.monotonic() - t_start) * 1000, 1),
                 "trace": {k: round((v - t_start) * 1000, 2) for k, v in trace.items()}})

    def close(self):
        self.stop_zygote()
        rmtree(self.base)



def main():
    # whatever the verifier's parents left open (a CI log, a secret file) is not the sessions' to inherit
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))
    sys.dont_write_bytecode = True
    extra = os.environ.get("VERINOTES_SYSPATH")
    if extra:  # -S skipped site: take the interpreter's usual module path
        sys.path[1:] = [p for p in json.loads(extra) if p]
    cpu = os.environ.get("VERINOTES_CPU")
    if cpu and hasattr(os, "sched_setaffinity"):
        try:  # one worker per core, its sessions on the same core: cheaper TLB shootdowns after fork
            os.sched_setaffinity(0, {int(cpu)})
        except (OSError, ValueError):
            pass
    name_process("vn-worker")
    w = Worker()
    importlib.util.find_spec("__verinotes_warm_up__")  # fill the path finders' caches before forking
    if not w.sandbox_error:
        w.start_zygote()
    try:
        send(1, {
            "ev": "ready",
            "pid": os.getpid(),
            "python": sys.version.split()[0],
            "executable": sys.executable,
            "processes": w.limits_info(),
            "isolation": w.isolation["mode"],
            "sandboxError": w.sandbox_error,
        })
        stdin = sys.stdin.buffer
        while True:
            line = stdin.readline()
            if not line:
                break
            if not line.strip():
                continue
            job = json.loads(line)
            if w.sandbox_error:  # fail closed: no note code runs without its isolation
                for st in job.get("steps", []):
                    send(1, {"ev": "step", "id": job.get("id"), "i": st["i"], "killed": "not run: no sandbox (%s)" % w.sandbox_error})
                send(1, {"ev": "done", "id": job.get("id")})
                continue
            try:
                w.run_job(job)
            except Exception as e:
                import traceback

                send(1, {"ev": "done", "id": job.get("id"), "error": "".join(traceback.format_exception(type(e), e, e.__traceback__))})
    except BrokenPipeError:
        pass
    finally:
        w.close()


if __name__ == "__main__":
    main()
