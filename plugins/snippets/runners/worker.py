"""Warm python worker of Verinotes' verified snippets (snippets-spec.md §3, §5).

One long-lived process per CPU. It reads note sessions as JSON lines on stdin and, for each, forks a
child that owns a fresh sandbox directory and runs the session's blocks in order: python blocks in one
namespace, REPL lines doctest-style, transcripts in one bash, node blocks, static checks. Results go
back as one JSON line per block. The worker watches the child: a block that overruns its timeout, or a
session that overruns the note timeout, gets the session's processes killed; a crash or hang of a
child never takes the worker down.

The worker is started with `-S` and imports as little as it can: on some virtual machines the cost of
fork() and of the copy-on-write faults after it grows with every page the forking process maps, and a
session child touches a fraction of it. Bash and node are started with posix_spawn for the same reason.

Protocol (stdout): {"ev":"ready",...} once, then per job {"id":..,"ev":"step",...} per block and
{"id":..,"ev":"done"}. Environment: VERINOTES_SYSPATH (JSON list: the interpreter's normal sys.path,
since -S skips site), VERINOTES_MAX_PROCS, VERINOTES_CPU (pin to this CPU).
"""

import ast
import builtins
import gc
import importlib.util
import io
import json
import marshal
import os
import resource
import select
import signal
import sys
import time
import types

GRACE = 5.0
HARNESS = os.path.abspath(__file__)
CGROUP_ROOT = "/sys/fs/cgroup/pids"
SANDBOX_SIGNALS = (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGALRM, signal.SIGQUIT)


def send(fd, obj):
    data = (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace")
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def send_frame(fd, obj):
    """Child -> worker: a marshal frame (length, payload). marshal is C all the way: a forked child
    that uses it touches (and so copies) far fewer pages than one that runs the json module."""
    data = marshal.dumps(obj)
    data = len(data).to_bytes(4, "little") + data
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def read_frames(buf):
    """Complete frames at the start of buf, and the rest."""
    out = []
    while len(buf) >= 4:
        n = int.from_bytes(buf[:4], "little")
        if len(buf) < 4 + n:
            break
        try:
            out.append(marshal.loads(buf[4:4 + n]))
        except (ValueError, EOFError, TypeError):
            pass
        buf = buf[4 + n:]
    return out, buf


def rmtree(path):
    """shutil.rmtree without importing shutil (and making unreadable folders readable first)."""
    try:
        entries = list(os.scandir(path))
    except PermissionError:
        try:
            os.chmod(path, 0o700)
            entries = list(os.scandir(path))
        except OSError:
            entries = []
    except OSError:
        entries = []
    for e in entries:
        try:
            if e.is_dir(follow_symlinks=False):
                rmtree(e.path)
            else:
                os.unlink(e.path)
        except OSError:
            pass
    try:
        os.rmdir(path)
    except OSError:
        pass


def write_text(path, text):
    """A file's UTF-8 bytes, written without the io module's text layers (fewer pages touched in a session child)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)  # less the umask, as open() does
    try:
        view = memoryview(text.encode("utf-8"))
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def which(prog, path):
    for d in path.split(os.pathsep):
        p = os.path.join(d or ".", prog)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


# ------------------------------------------------------------------------------------------------
# process limits


def setup_cgroup(limit):
    """A pids cgroup holding this worker and its sessions (fork bombs stop at `limit`), or None."""
    if limit <= 0 or not os.path.isdir(CGROUP_ROOT):
        return None
    try:
        for name in os.listdir(CGROUP_ROOT):  # leftovers of workers that were killed
            if name.startswith("verinotes-") and name[10:].isdigit() and not os.path.exists("/proc/" + name[10:]):
                try:
                    os.rmdir(os.path.join(CGROUP_ROOT, name))
                except OSError:
                    pass
        path = os.path.join(CGROUP_ROOT, "verinotes-%d" % os.getpid())
        os.mkdir(path)
        with open(os.path.join(path, "pids.max"), "w") as f:
            f.write(str(limit + 1))
        with open(os.path.join(path, "cgroup.procs"), "w") as f:
            f.write(str(os.getpid()))  # children are born in it
        return path
    except OSError:
        return None


def cgroup_pids(cg):
    try:
        with open(os.path.join(cg, "cgroup.procs")) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def proc_pgid(pid):
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            return int(f.read().rsplit(b")", 1)[1].split()[2])
    except (OSError, IndexError, ValueError):
        return None


def kill_tree(pid, pgids, cg, keep=()):
    """Kill a session: its process group, the groups of its shells, and everything else in the cgroup."""
    for g in ([pid] if pid else []) + list(pgids):
        try:
            os.killpg(g, signal.SIGKILL)
        except OSError:
            pass
    if cg:
        me = os.getpid()
        for _ in range(200):
            pids = [p for p in cgroup_pids(cg) if p != me and p not in keep]
            if not pids:
                break
            for sig in (signal.SIGSTOP, signal.SIGKILL):
                for p in pids:
                    try:
                        os.kill(p, sig)
                    except OSError:
                        pass
            time.sleep(0.001)


# ------------------------------------------------------------------------------------------------
# the session child


class BlockTimeout(BaseException):
    """Raised in user code when a block overruns its time."""


def names_in(node):
    if node is None:
        return []
    if isinstance(node, ast.Tuple):
        return [n for e in node.elts for n in names_in(e)]
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    return []


def imports_of(tree):
    """Top-level module names a block imports (imports guarded by `except ImportError` excluded)."""
    found = []

    def walk(node, guarded):
        if isinstance(node, ast.Import):
            if not guarded:
                found.extend(a.name.split(".")[0] for a in node.names)
            return
        if isinstance(node, ast.ImportFrom):
            if not guarded and node.level == 0 and node.module:
                found.append(node.module.split(".")[0])
            return
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            catches = any(
                h.type is None
                or any(n in ("ImportError", "ModuleNotFoundError", "Exception", "BaseException") for n in names_in(h.type))
                for h in node.handlers
            )
            for n in node.body:
                walk(n, guarded or catches)
            for n in list(node.handlers) + list(node.orelse) + list(node.finalbody):
                walk(n, guarded)
            return
        for child in ast.iter_child_nodes(node):
            walk(child, guarded)

    walk(tree, False)
    seen = []
    for n in found:
        if n not in seen and n != "__future__":
            seen.append(n)
    return seen


def module_exists(name):
    if name in sys.modules:
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def missing_modules(tree):
    names = imports_of(tree)
    missing = [n for n in names if not module_exists(n)]
    if missing:
        importlib.invalidate_caches()  # a file written during the session may provide it
        missing = [n for n in missing if not module_exists(n)]
    return missing


def missing_in(sources, missing=None):
    """The modules that sources [(text, filename)] import and are not installed, each once, after `missing`;
    a source that does not parse imports nothing (its own run reports the error)."""
    missing = list(missing or [])
    for text, name in sources:
        try:
            tree = ast.parse(text, name)
        except (SyntaxError, ValueError):
            continue
        missing += [m for m in missing_modules(tree) if m not in missing]
    return missing


def read_text(path):
    """A file's text, or None when it is not there or not readable as UTF-8."""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, ValueError):
        return None


def format_exception_only(e):
    import traceback

    return traceback.format_exception_only(type(e), e)


def syntax_message(e):
    lines = format_exception_only(e)
    last = lines[-1].strip() if lines else str(e)
    return {"message": last, "line": getattr(e, "lineno", None), "text": "".join(lines)}


def clean_shell_text(text, path):
    """`bash: line 3: foo: …` (how a non-interactive bash reports) → `bash: foo: …` (what a terminal shows)."""
    if path:
        text = text.replace(path + ": ", "bash: ")
    out = []
    for line in text.split("\n"):
        if line.startswith("bash: line "):
            rest = line[len("bash: line "):]
            k = rest.find(": ")
            if k > 0 and rest[:k].isdigit():
                line = "bash: " + rest[k + 2:]
        out.append(line)
    return "\n".join(out)


def _lower_priority():
    try:
        os.setpriority(os.PRIO_PROCESS, 0, min(19, os.getpriority(os.PRIO_PROCESS, 0) + 5))
    except OSError:
        pass


class _Exit:
    """`exit` / `quit` as the site module defines them (the worker runs with -S)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "Use %s() or Ctrl-D (i.e. EOF) to exit" % self.name

    def __call__(self, code=None):
        raise SystemExit(code)


class Child:
    def __init__(self, job, work, scratch, result_fd, cfg, cap_fd, token):
        self.job = job
        self.work = work
        self.scratch = scratch
        self.rfd = result_fd
        self.cfd = cap_fd
        self.token = token
        self.seq = 0
        self.cfg = cfg
        self.limits = job.get("limits", {})
        self.cap_bytes = int(self.limits.get("outputCap", 1 << 20))
        self.armed = False
        self.bash_pid = None
        self.bash_in = None
        self.bash_out = None
        self.bash_token = os.urandom(8).hex()
        self.nscripts = 0
        self.sources = {}

    # -- setup --------------------------------------------------------------------------------
    def setup(self):
        self.pid = os.getpid()
        os.setpgid(0, 0)
        lim = self.limits
        mem = int(lim.get("memoryMb", 0))
        if mem > 0:
            resource.setrlimit(resource.RLIMIT_AS, (mem * 1024 * 1024, resource.RLIM_INFINITY))
        cpu = int(lim.get("cpuSeconds", 0))
        if cpu > 0:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        nproc = self.cfg.get("nproc")
        if nproc:
            try:
                resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
            except (ValueError, OSError):
                pass
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # what blocks fork or spawn runs below the harness, so that a block that forks a hundred busy
        # processes cannot starve the timeout that stops it
        os.register_at_fork(after_in_child=_lower_priority)
        fsize = int(lim.get("fileMb", 256))
        if fsize > 0:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize * 1024 * 1024, resource.RLIM_INFINITY))
        # signals, the fixed part of the environment and the std streams were set by prepare_zygote()
        for name in ("HOME", "TMPDIR", "PWD"):
            os.environ[name] = self.work
        self.env = dict(self.cfg["env"], HOME=self.work, TMPDIR=self.work, PWD=self.work)
        os.chdir(self.work)
        for f in self.job.get("files", []):
            self.write_file(f["name"], f["text"])
        # stdin is /dev/null (prepare_zygote); stdout and stderr merged into the capture pipe the worker reads
        self.attach()
        sys.argv = [""]
        sys.path[0] = self.work
        main = types.ModuleType("__main__")
        main.__dict__["__builtins__"] = builtins
        sys.modules["__main__"] = main
        self.ns = main.__dict__
        signal.signal(signal.SIGALRM, self.on_alarm)

    def program_path(self, prog):
        """The worker looked the session's programs up on PATH before the fork; one it did not find is looked
        up again here, since an earlier block may have put it there."""
        found = self.cfg.get("which", {}).get(prog)
        return found or which(prog, self.env["PATH"])

    def write_file(self, name, text):
        parts = name.replace("\\", "/").split("/")
        if name.startswith("/") or ".." in parts:
            raise ValueError("refused file name %r" % name)
        path = os.path.join(self.work, *parts)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_text(path, text)
        if text.startswith("#!"):
            os.chmod(path, 0o755)

    def attach(self):
        os.dup2(self.cfd, 1)
        os.dup2(self.cfd, 2)

    def end_segment(self):
        """Ends the current output segment; returns its number (the worker pairs it with the output)."""
        for s in (sys.stdout, sys.stderr):
            try:
                s.flush()
            except Exception:
                pass
        self.seq += 1
        try:
            os.write(self.cfd, b"\x00VNMARK" + self.token + b":" + str(self.seq).encode() + b"\x00")
        except OSError:
            pass
        return self.seq

    def on_alarm(self, signum, frame):
        if self.armed:
            self.armed = False
            raise BlockTimeout()

    def arm(self, seconds):
        self.armed = True
        signal.setitimer(signal.ITIMER_REAL, max(0.001, seconds))

    def disarm(self):
        self.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)

    def emit(self, obj):
        send_frame(self.rfd, obj)

    def kill_others(self):
        """After a timeout: kill what the block left running (not this process, not the session's bash),
        and reap what it forked, so that the process limit is free again for the next blocks."""
        cg = self.cfg.get("cgroup")
        keep = set(self.cfg.get("keep", [])) | {self.pid}
        for _ in range(200):
            victims = []
            pids = cgroup_pids(cg) if cg else [int(p) for p in os.listdir("/proc") if p.isdigit()]
            for p in pids:
                if p in keep:
                    continue
                pgid = proc_pgid(p)
                if pgid is None or (self.bash_pid is not None and pgid == self.bash_pid) or (not cg and pgid != self.pid):
                    continue
                victims.append(p)
            for sig in (signal.SIGSTOP, signal.SIGKILL):  # stopped first: a fork bomb cannot refill the slots
                for p in victims:
                    try:
                        os.kill(p, sig)
                    except OSError:
                        pass
            reaped = 0
            while True:
                try:
                    pid, _ = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    break
                if pid == self.bash_pid:  # the shell died with its children: start a new one when needed
                    for fd in (self.bash_in, self.bash_out):
                        try:
                            os.close(fd)
                        except OSError:
                            pass
                    self.bash_pid = None
                reaped += 1
            if not victims and not reaped:
                return
            if not victims:
                time.sleep(0.002)

    # -- running user code ----------------------------------------------------------------------
    def run_user(self, fn, timeout):
        self.attach()
        t0 = time.monotonic()
        res = {"exit": 0}
        try:
            try:
                self.arm(timeout)
                fn()
            finally:
                if os.getpid() != self.pid:
                    os._exit(0)  # a process the block forked must not run on into the harness
                self.disarm()
        except BlockTimeout:
            res["timedOut"] = True
            res["exit"] = 124
        except SystemExit as e:
            code = e.code
            if code is None:
                res["exit"] = 0
            elif isinstance(code, int):
                res["exit"] = code
            else:
                print(code, file=sys.stderr)
                res["exit"] = 1
        except BaseException as e:
            res["exit"] = 1
            self.report_exception(e, res)
        res["seg"] = self.end_segment()
        if res.get("timedOut"):
            self.kill_others()
        res["ms"] = round((time.monotonic() - t0) * 1000, 1)
        return res

    def report_exception(self, e, res):
        import linecache
        import traceback

        for fname, src in self.sources.items():
            linecache.cache[fname] = (len(src), None, src.splitlines(True), fname)
        only = traceback.format_exception_only(type(e), e)
        res["exc"] = only[-1].strip() if only else type(e).__name__
        tb = e.__traceback__
        while tb is not None and os.path.abspath(tb.tb_frame.f_code.co_filename) == HARNESS:
            tb = tb.tb_next
        try:
            traceback.print_exception(type(e), e, tb)
        except Exception:
            print("".join(only), file=sys.stderr, end="")

    def step_py(self, st):
        i = st["i"]
        src = st["code"]
        fname = "<block %d>" % i
        res = {"i": i}
        try:
            tree = ast.parse(src, fname)
            code = compile(tree, fname, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as e:
            res["compileError"] = syntax_message(e)
            return res
        missing = missing_modules(tree)
        if missing:
            res["missing"] = missing
            return res
        if st.get("check"):
            return res
        self.sources[fname] = src
        res.update(self.run_user(lambda: exec(code, self.ns), float(st["timeout"])))
        return res

    def step_repl(self, st):
        i = st["i"]
        res = {"i": i}
        missing = missing_in((ex["source"], "<stdin>") for ex in st["examples"])
        if missing:
            res["missing"] = missing
            return res
        out = []
        t_end = time.monotonic() + float(st["timeout"])
        for ex in st["examples"]:
            try:
                code = compile(ex["source"], "<stdin>", "single", dont_inherit=True)
            except (SyntaxError, ValueError, OverflowError) as e:
                sm = syntax_message(e)
                out.append({"output": sm["text"], "exc": sm["message"], "compileError": sm, "exit": 1})
                continue
            if st.get("check"):
                out.append({"output": "", "exit": 0})
                continue
            left = t_end - time.monotonic()
            if left <= 0:
                out.append({"output": "", "timedOut": True, "exit": 124, "notRun": True})
                continue
            out.append(self.run_user(lambda: exec(code, self.ns), left))
        res["examples"] = out
        return res

    # -- processes ------------------------------------------------------------------------------
    def spawn(self, argv, stdin_fd, out_fd, raise_as=False):
        """posix_spawn (no fork of this interpreter): own process group, default signals, fds 0-2 given."""
        actions = [(os.POSIX_SPAWN_DUP2, stdin_fd, 0), (os.POSIX_SPAWN_DUP2, out_fd, 1), (os.POSIX_SPAWN_DUP2, out_fd, 2)]
        saved = None
        if raise_as:  # node reserves far more address space than python: lift the soft limit for it
            saved = resource.getrlimit(resource.RLIMIT_AS)
            try:
                resource.setrlimit(resource.RLIMIT_AS, (saved[1], saved[1]))
            except (ValueError, OSError):
                saved = None
        try:
            pid = os.posix_spawn(argv[0], argv, self.env, file_actions=actions, setpgroup=0, setsigdef=SANDBOX_SIGNALS)
        finally:
            if saved:
                resource.setrlimit(resource.RLIMIT_AS, saved)
        try:
            os.setpriority(os.PRIO_PROCESS, pid, min(19, os.getpriority(os.PRIO_PROCESS, 0) + 5))
        except OSError:
            pass
        self.emit({"ev": "pgid", "pgid": pid})
        return pid

    def read_until(self, fd, deadline, stop=None):
        """Reads fd until EOF, the deadline, or `stop` (bytes) seen. Returns (kept, dropped, status, rest)."""
        kept = bytearray()
        dropped = 0
        buf = b""
        keep_tail = len(stop) + 24 if stop else 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                kept_len = self.cap_bytes - len(kept)
                kept.extend(buf[: max(0, kept_len)])
                return kept, dropped + max(0, len(buf) - max(0, kept_len)), "timeout", b""
            r, _, _ = select.select([fd], [], [], left)
            if not r:
                continue
            data = os.read(fd, 1 << 16)
            if not data:
                room = self.cap_bytes - len(kept)
                kept.extend(buf[: max(0, room)])
                return kept, dropped + max(0, len(buf) - max(0, room)), "eof", b""
            buf += data
            if stop:
                k = buf.find(stop)
                if k >= 0:
                    room = self.cap_bytes - len(kept)
                    kept.extend(buf[:k][: max(0, room)])
                    return kept, dropped + max(0, k - max(0, room)), "stop", buf[k + len(stop):]
            if len(buf) > keep_tail + 4096:
                cut = len(buf) - keep_tail
                room = self.cap_bytes - len(kept)
                kept.extend(buf[:cut][: max(0, room)])
                dropped += max(0, cut - max(0, room))
                buf = buf[cut:]

    def decode(self, kept, dropped):
        text = bytes(kept).decode("utf-8", "replace")
        if dropped:
            text += "\n[output cut at %d bytes: %d more bytes]\n" % (self.cap_bytes, dropped)
        return text

    def start_bash(self):
        bash = self.program_path("bash") or "/bin/bash"
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        try:
            self.bash_pid = self.spawn([bash, "--noprofile", "--norc"], in_r, out_w)
        finally:
            os.close(in_r)
            os.close(out_w)
        self.bash_in = in_w
        self.bash_out = out_r

    def stop_bash(self):
        if self.bash_pid is not None:
            try:
                os.killpg(self.bash_pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                os.waitpid(self.bash_pid, 0)
            except OSError:
                pass
            for fd in (self.bash_in, self.bash_out):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self.bash_pid = None

    def bash_run(self, cmd, timeout):
        if self.bash_pid is None:
            self.start_bash()
        self.nscripts += 1
        path = os.path.join(self.scratch, "cmd%d.sh" % self.nscripts)
        write_text(path, cmd + "\n")
        tok = self.bash_token
        line = ". %s </dev/null; __vn_rc=$?; printf '\\036VN%s:%%d\\n' \"$__vn_rc\"\n" % (shell_quote(path), tok)
        t0 = time.monotonic()
        try:
            os.write(self.bash_in, line.encode())
        except OSError:
            self.stop_bash()
            self.start_bash()
            os.write(self.bash_in, line.encode())
        mark = ("\x1eVN%s:" % tok).encode()
        kept, dropped, how, rest = self.read_until(self.bash_out, t0 + timeout, mark)
        rc = -1
        if how == "stop":
            while b"\n" not in rest:  # the status digits follow the marker on the same line
                r, _, _ = select.select([self.bash_out], [], [], 2.0)
                if not r:
                    break
                more = os.read(self.bash_out, 64)
                if not more:
                    break
                rest += more
            try:
                rc = int(rest.split(b"\n", 1)[0])
            except ValueError:
                rc = -1
        elif how == "eof":  # the command ended the shell (`exit 3`)
            try:
                _, status = os.waitpid(self.bash_pid, 0)
                rc = os.waitstatus_to_exitcode(status)
            except OSError:
                pass
            self.bash_pid = None
            os.close(self.bash_in)
            os.close(self.bash_out)
        else:
            self.stop_bash()
        out = {"output": clean_shell_text(self.decode(kept, dropped), path), "rc": 124 if how == "timeout" else rc, "ms": round((time.monotonic() - t0) * 1000, 1)}
        if how == "timeout":
            out["timedOut"] = True
        if dropped:
            out["truncated"] = True
        return out

    def run_program(self, argv, timeout, raise_as=False):
        t0 = time.monotonic()
        out_r, out_w = os.pipe()
        dn = os.open(os.devnull, os.O_RDONLY)
        try:
            pid = self.spawn(argv, dn, out_w, raise_as)
        except OSError as e:
            return {"output": "%s: %s\n" % (argv[0], e), "exit": 127, "ms": 0}
        finally:
            os.close(out_w)
            os.close(dn)
        kept, dropped, how, _ = self.read_until(out_r, t0 + timeout)
        os.close(out_r)
        if how == "timeout":
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            _, status = os.waitpid(pid, 0)
            rc = os.waitstatus_to_exitcode(status)
        except OSError:
            rc = -1
        res = {"output": self.decode(kept, dropped), "exit": 124 if how == "timeout" else rc, "ms": round((time.monotonic() - t0) * 1000, 1)}
        if how == "timeout":
            res["timedOut"] = True
        if dropped:
            res["truncated"] = True
        return res

    def bash_syntax(self, text):
        self.nscripts += 1
        path = os.path.join(self.scratch, "check%d.sh" % self.nscripts)
        write_text(path, text + "\n")
        bash = self.program_path("bash") or "/bin/bash"
        r = self.run_program([bash, "-n", path], 10)
        if r["exit"] == 0:
            return ""
        return clean_shell_text(r["output"], path).strip() or "syntax error"

    def shell_cwd(self):
        """The transcript shell's working folder (Linux /proc), else the sandbox root."""
        if self.bash_pid is not None:
            try:
                return os.readlink("/proc/%d/cwd" % self.bash_pid)
            except OSError:
                pass
        return self.work

    def step_sh(self, st):
        i = st["i"]
        res = {"i": i}
        cmds = st["commands"]
        if st.get("check"):
            res["syntax"] = self.bash_syntax("\n".join(c["cmd"] for c in cmds))
            return res
        missing = []
        for c in cmds:
            for p in c.get("programs", []):
                if p not in missing and not self.program_path(p):
                    missing.append(p)
        py_files = [(read_text(os.path.join(self.work, name)), name) for name in st.get("pyFiles", [])]
        missing = missing_in([(text, name) for text, name in py_files if text is not None], missing)
        if missing:
            res["missing"] = missing
            return res
        t_end = time.monotonic() + float(st["timeout"])
        out = []
        for c in cmds:
            # Relative to the shell's current folder: an earlier `cd demo` moves where files are looked for.
            here = self.shell_cwd()
            unresolved = [f for f in c.get("needs", []) if not os.path.exists(os.path.join(here, f))]
            if unresolved:  # made neither by a block nor by an earlier command
                res["unresolved"] = unresolved
                return res
            left = t_end - time.monotonic()
            if left <= 0:
                out.append({"output": "", "rc": 124, "timedOut": True, "notRun": True})
                continue
            out.append(self.bash_run(c["cmd"], left))
        res["commands"] = out
        return res

    def step_script(self, st):
        i = st["i"]
        res = {"i": i}
        if st["lang"] == "shell":
            if st.get("check"):
                res["syntax"] = self.bash_syntax(st["code"])
                return res
            path = os.path.join(self.scratch, "block-%d.sh" % i)
            write_text(path, st["code"])
            bash = self.program_path("bash") or "/bin/bash"
            r = self.run_program([bash, path], float(st["timeout"]))
            r["output"] = clean_shell_text(r["output"], path)
            res.update(r)
            return res
        node = self.program_path("node")
        if not node:
            res["missing"] = ["node"]
            return res
        ext = st.get("ext", ".mjs")
        path = os.path.join(self.scratch, "block-%d%s" % (i, ext))
        write_text(path, st["code"])
        argv = [node, "--check", path] if st.get("check") else [node] + list(st.get("nodeArgs", [])) + [path]
        r = self.run_program(argv, float(st["timeout"]), raise_as=True)
        r["output"] = r["output"].replace(path, "block-%d%s" % (i, ext))
        res.update(r)
        return res

    # -- main -----------------------------------------------------------------------------------
    def run(self):
        self.setup()
        for st in self.job["steps"]:
            self.emit({"ev": "begin", "i": st["i"], "t": float(st.get("timeout", 10))})
            op = st["op"]
            try:
                if op == "py":
                    res = self.step_py(st)
                elif op == "repl":
                    res = self.step_repl(st)
                elif op == "sh":
                    res = self.step_sh(st)
                elif op == "script":
                    res = self.step_script(st)
                else:
                    res = {"i": st["i"], "error": "unknown step %r" % op}
            except BlockTimeout:
                res = {"i": st["i"], "timedOut": True, "output": "", "exit": 124}
            except Exception as e:  # a harness error is reported on the block, the session goes on
                import traceback

                res = {"i": st["i"], "error": "".join(traceback.format_exception(type(e), e, e.__traceback__))}
            res["ev"] = "step"
            self.emit(res)
        self.stop_bash()
        self.emit({"ev": "end"})


def shell_quote(s):
    return "'" + s.replace("'", "'\"'\"'") + "'"


# ------------------------------------------------------------------------------------------------
# the worker


class CaptureReader:
    """Splits a child's merged output into numbered segments, keeping `cap` bytes of each."""

    def __init__(self, cap, token):
        self.cap = cap
        self.prefix = b"\x00VNMARK" + token + b":"
        self.keep_tail = len(self.prefix) + 24
        self.pending = b""
        self.chunks = []
        self.size = 0
        self.dropped = 0
        self.done = {}
        self.last = 0

    def _keep(self, b):
        room = self.cap - self.size
        if room > 0:
            part = b[:room]
            self.chunks.append(part)
            self.size += len(part)
        self.dropped += max(0, len(b) - max(room, 0))

    def _close(self, seq):
        text = b"".join(self.chunks).decode("utf-8", "replace")
        if self.dropped:
            text += "\n[output cut at %d bytes: %d more bytes]\n" % (self.cap, self.dropped)
        self.done[seq] = (text, self.dropped > 0)
        self.last = max(self.last, seq)
        self.chunks, self.size, self.dropped = [], 0, 0

    def feed(self, data):
        buf = self.pending + data
        while True:
            k = buf.find(self.prefix)
            if k < 0:
                break
            end = buf.find(b"\x00", k + len(self.prefix))
            if end < 0:
                break  # the marker's number has not arrived yet
            self._keep(buf[:k])
            try:
                self._close(int(buf[k + len(self.prefix):end]))
            except ValueError:
                pass
            buf = buf[end + 1:]
        if len(buf) > self.keep_tail and buf.find(self.prefix) < 0:
            self._keep(buf[: -self.keep_tail])
            buf = buf[-self.keep_tail:]
        self.pending = buf

    def partial(self):
        """What the unfinished segment holds so far."""
        self._keep(self.pending)
        self.pending = b""
        return b"".join(self.chunks).decode("utf-8", "replace")


def run_child(line, keep, env):
    """In a forked session child: parse the job, open the worker's FIFOs, run, exit."""
    code = 0
    w = None
    try:
        job = marshal.loads(line)
        w = os.open(job["fifo_r"], os.O_WRONLY)
        cw = os.open(job["fifo_c"], os.O_WRONLY)
        cfg = dict(job["cfg"], keep=keep + [os.getppid()], env=env)
        Child(job, job["work"], job["scratch"], w, cfg, cw, job["token"].encode()).run()
    except BaseException as e:  # report, never return into the zygote's loop
        try:
            import traceback

            if w is not None:
                send_frame(w, {"ev": "fatal", "error": "".join(traceback.format_exception(type(e), e, e.__traceback__))})
        except Exception:
            pass
        code = 70
    os._exit(code)


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


def zygote(zin, zout, keep, path):
    """Forks one child per session and reports its pid and exit status. Touches as little memory as it
    can between forks: the children share its pages, and every page written after a fork is copied."""
    env = prepare_zygote(path)
    buf = b""
    while True:
        while len(buf) < 4 or len(buf) < 4 + int.from_bytes(buf[:4], "little"):
            data = os.read(zin, 1 << 16)
            if not data:
                os._exit(0)
            buf += data
        n = int.from_bytes(buf[:4], "little")
        line, buf = buf[4:4 + n], buf[4 + n:]
        pid = os.fork()
        if pid == 0:
            os.close(zin)
            os.close(zout)
            run_child(line, keep, env)
        os.write(zout, b"P%d\n" % pid)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = 0
        os.write(zout, b"X%d %d\n" % (pid, status))


class Worker:
    def __init__(self):
        self.base = "/tmp/verinotes-%d-%s" % (os.getpid(), os.urandom(4).hex())
        tmp = os.environ.get("TMPDIR")
        if tmp and os.path.isdir(tmp):
            self.base = os.path.join(tmp, os.path.basename(self.base))
        parent = os.path.dirname(self.base)
        for name in os.listdir(parent):  # leftovers of workers that were killed
            bits = name.split("-")
            if len(bits) == 3 and bits[0] == "verinotes" and bits[1].isdigit() and len(bits[2]) == 8 and not os.path.exists("/proc/" + bits[1]):
                rmtree(os.path.join(parent, name))
        os.mkdir(self.base, 0o700)
        self.bindir = os.path.join(self.base, "bin")
        os.mkdir(self.bindir)
        for name in ("python", "python3"):
            os.symlink(sys.executable, os.path.join(self.bindir, name))
        self.max_procs = int(os.environ.get("VERINOTES_MAX_PROCS", "128"))
        self.cgroup = setup_cgroup(self.max_procs)
        self.nproc = None
        if not self.cgroup and os.getuid() != 0 and self.max_procs > 0:
            self.nproc = count_user_processes() + self.max_procs
        self.path = self.bindir + os.pathsep + os.environ.get("PATH", os.defpath)
        self.n = 0
        self.zpid = None

    def start_zygote(self):
        zr, zw = os.pipe()  # worker -> zygote: jobs
        sr, sw = os.pipe()  # zygote -> worker: pids and exit statuses
        me = os.getpid()
        pid = os.fork()
        if pid == 0:
            os.close(zw)
            os.close(sr)
            try:
                zygote(zr, sw, [me], self.path)
            finally:
                os._exit(0)
        os.close(zr)
        os.close(sw)
        self.zpid, self.zin, self.zout, self.zbuf = pid, zw, sr, b""

    def stop_zygote(self):
        if self.zpid:
            for fd in (self.zin, self.zout):
                try:
                    os.close(fd)
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
        found = {}
        for n in names:
            p = which(n, self.path)
            if p:
                found[n] = p
        return found

    def limits_info(self):
        if self.cgroup:
            return "cgroup pids (max %d per session)" % self.max_procs
        if self.nproc:
            return "RLIMIT_NPROC (%d)" % self.nproc
        return "none (no writable pids cgroup, and RLIMIT_NPROC does not bind root)"

    def run_job(self, job):
        jid = job["id"]
        self.n += 1
        sdir = os.path.join(self.base, "s%d" % self.n)
        work = os.path.join(sdir, "work")
        scratch = os.path.join(sdir, "scratch")
        os.mkdir(sdir, 0o700)
        os.mkdir(work)
        os.mkdir(scratch)
        fifo_r = os.path.join(sdir, "r.fifo")
        fifo_c = os.path.join(sdir, "c.fifo")
        os.mkfifo(fifo_r, 0o600)
        os.mkfifo(fifo_c, 0o600)
        # O_RDWR: the worker holds a writer too, so opening never blocks and EOF never comes early;
        # the zygote's exit report says when the child is gone.
        r = os.open(fifo_r, os.O_RDWR | os.O_NONBLOCK)
        cr = os.open(fifo_c, os.O_RDWR | os.O_NONBLOCK)
        token = os.urandom(8).hex()
        cap = CaptureReader(int(job.get("limits", {}).get("outputCap", 1 << 20)), token.encode())
        if not self.zpid:
            self.start_zygote()
        child = dict(job, fifo_r=fifo_r, fifo_c=fifo_c, work=work, scratch=scratch, token=token,
                     cfg={"cgroup": self.cgroup, "nproc": self.nproc, "which": self.programs_of(job)})
        data = marshal.dumps(child)
        os.write(self.zin, len(data).to_bytes(4, "little") + data)
        t_start = time.monotonic()
        note_deadline = t_start + float(job.get("limits", {}).get("noteTimeout", 120))
        step_deadline = None
        current = None
        pid = None
        status = None
        pgids = set()
        reported = set()
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
            while True:
                try:
                    data = os.read(fd, 1 << 16)
                except BlockingIOError:
                    return
                if not data:
                    return
                feed(data)

        def on_result(data):
            nonlocal buf, current, step_deadline, fatal, ended
            msgs, buf = read_frames(buf + data)
            for msg in msgs:
                ev = msg.get("ev")
                if ev == "begin":
                    current = msg["i"]
                    step_deadline = time.monotonic() + float(msg.get("t", 10)) + GRACE
                elif ev == "pgid":
                    pgids.add(msg["pgid"])
                elif ev == "step":
                    step_deadline = None
                    msg["id"] = jid
                    queue.append(msg)
                elif ev == "fatal":
                    fatal = msg.get("error")
                elif ev == "end":
                    ended = time.monotonic()

        def on_capture(data):
            cap.feed(data)

        while True:
            now = time.monotonic()
            if status is not None:
                break
            if killed is None and (now >= note_deadline or (step_deadline and now >= step_deadline)):
                killed = "timeout" if step_deadline and now >= step_deadline else "note timeout"
                kill_tree(pid, pgids, self.cgroup, keep=(self.zpid,))
                kill_time = now
                continue
            if kill_time and now >= kill_time + 5.0:
                self.stop_zygote()  # the child cannot be reaped: start over with a new zygote
                break
            dls = [note_deadline]
            if step_deadline:
                dls.append(step_deadline)
            if kill_time:
                dls.append(kill_time + 5.0)
            rl, _, _ = select.select([r, cr, self.zout], [], [], max(0.0, min(dls) - now))
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
                    if zl.startswith(b"P"):
                        pid = int(zl[1:])
                    elif zl.startswith(b"X"):
                        status = int(zl.split()[1])
        # the child is gone: what it wrote is in the FIFOs
        drain(cr, on_capture)
        drain(r, on_result)
        flush(final=True)
        partial = cap.partial()
        os.close(r)
        os.close(cr)
        kill_tree(pid, pgids, self.cgroup, keep=(self.zpid,) if self.zpid else ())
        status = status if status is not None and status >= 0 else 0
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
            send(1, res)
        rmtree(sdir)
        send(1, {"ev": "done", "id": jid, "ms": round((time.monotonic() - t_start) * 1000, 1)})

    def close(self):
        self.stop_zygote()
        rmtree(self.base)
        if self.cgroup:
            kill_tree(None, [], self.cgroup)
            try:
                with open(os.path.join(os.path.dirname(self.cgroup), "cgroup.procs"), "w") as f:
                    f.write(str(os.getpid()))
            except OSError:
                pass
            try:
                os.rmdir(self.cgroup)
            except OSError:
                pass


def count_user_processes():
    uid = os.getuid()
    n = 0
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if os.stat("/proc/" + p).st_uid == uid:
                    n += 1
            except OSError:
                pass
    return n


def main():
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
    w = Worker()
    importlib.util.find_spec("__verinotes_warm_up__")  # fill the path finders' caches before forking
    w.start_zygote()
    try:
        send(1, {
            "ev": "ready",
            "pid": os.getpid(),
            "python": sys.version.split()[0],
            "executable": sys.executable,
            "processes": w.limits_info(),
        })
        stdin = sys.stdin.buffer
        while True:
            line = stdin.readline()
            if not line:
                break
            if not line.strip():
                continue
            job = json.loads(line)
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
