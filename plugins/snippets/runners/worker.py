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

Isolation (snippets-spec.md §5): the worker itself runs inside bubblewrap (the node side starts it there:
its own mount, PID, network, IPC and UTS namespaces, only the system and the interpreters visible, a private
/tmp). Each session then gets a PID namespace of its own (every process it starts dies with it) and runs as
a user that owns nothing but its folder: `root` mode (the verifier runs as root: bwrap keeps the worker a few
capabilities, and the session drops to an unprivileged uid of its own) or `user` mode (a nested user namespace
per session, all capabilities dropped). `none` is `--no-sandbox`: only the folder and the limits.

Protocol (stdout): {"ev":"ready",...} once, then per job {"id":..,"ev":"step",...} per block and
{"id":..,"ev":"done"}. Environment: VERINOTES_SYSPATH (JSON list: the interpreter's normal sys.path,
since -S skips site), VERINOTES_MAX_PROCS, VERINOTES_CPU (pin to this CPU), VERINOTES_ISOLATION (root, user
or none), VERINOTES_SESSION_SLOT (picks the session uid in root mode).
"""

import ast
import builtins
import ctypes
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
MAX_FRAME = 4 << 20
#: Output a whole session may leave in the report (every block together); past it the session is stopped.
NOTE_OUTPUT_CAP = 4 << 20
#: How often the worker adds up a running session's memory, from how long after its start.
MEMORY_POLL = 0.05
MEMORY_POLL_AFTER = 0.2
SANDBOX_SIGNALS = (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGALRM, signal.SIGQUIT)


def send(fd, obj):
    data = (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace")
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def send_frame(fd, obj):
    """Child -> worker: a frame (length, the repr of a dict of plain values). repr is C all the way: a forked
    child that uses it touches (and so copies) far fewer pages than one that runs the json module; and the
    worker reads it with ast.literal_eval, which evaluates nothing, since a hostile block can write frames too."""
    data = repr(obj).encode("utf-8", "backslashreplace")
    data = len(data).to_bytes(4, "little") + data
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def read_frames(buf):
    """Complete frames at the start of buf, and the rest; None for the rest when the stream is not frames."""
    out = []
    while len(buf) >= 4:
        n = int.from_bytes(buf[:4], "little")
        if n > MAX_FRAME:
            return out, None
        if len(buf) < 4 + n:
            break
        try:
            msg = ast.literal_eval(buf[4:4 + n].decode("utf-8", "replace"))
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            msg = None
        if isinstance(msg, dict):
            out.append(msg)
        buf = buf[4 + n:]
    return out, buf


def rmtree(path):
    """shutil.rmtree without importing shutil (and making unreadable folders readable first). A link is
    removed, never followed: a block may have replaced any folder of its session by one."""
    if os.path.islink(path):
        try:
            os.unlink(path)
        except OSError:
            pass
        return
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
# isolation (snippets-spec.md §5)

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REC = 0x4000
MS_PRIVATE = 1 << 18
#: Where a session's folder is, in its own mount namespace: a fresh tmpfs on /tmp, of the session's disk size.
SESSION_TMP = "/tmp"
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
CAP_LAST = 63
#: Session uids in root mode: one per worker (the node side picks a random slot, so that concurrent verifiers do
#: not share one), owned by no account, so that RLIMIT_NPROC counts one session's processes.
SESSION_UID_BASE = 1_900_000_000


def libc():
    return ctypes.CDLL(None, use_errno=True)


def checked(rc, what):
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, "%s: %s" % (what, os.strerror(err)))


def write_proc(path, text):
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def not_dumpable():
    """No ptrace, and no /proc/<pid>/{fd,environ,mem} of this process for anything without CAP_SYS_PTRACE."""
    checked(libc().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "prctl(PR_SET_DUMPABLE)")


def enter_session_namespaces(iso):
    """In the zygote's child, before it forks the session: the next child is PID 1 of a new PID namespace, with
    its own IPC namespace (SysV memory dies with it) and mount namespace, in which a fresh tmpfs of the session's
    disk size replaces /tmp: nothing one session leaves there reaches the next, and the disk limit is its own.
    In `user` mode all this sits in a user namespace of its own, mapping only the worker's uid."""
    lib = libc()
    flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC
    if iso["mode"] == "root":
        checked(lib.unshare(flags), "unshare(CLONE_NEWPID|CLONE_NEWNS|CLONE_NEWIPC)")
    else:
        uid, gid = os.getuid(), os.getgid()
        # a process that is not dumpable has its /proc files owned by root: it could not write its own maps
        checked(lib.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), "prctl(PR_SET_DUMPABLE)")
        checked(lib.unshare(CLONE_NEWUSER | flags), "unshare(CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNS|CLONE_NEWIPC)")
        write_proc("/proc/self/setgroups", "deny")
        write_proc("/proc/self/uid_map", "%d %d 1" % (uid, uid))
        write_proc("/proc/self/gid_map", "%d %d 1" % (gid, gid))
        checked(lib.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "prctl(PR_SET_DUMPABLE)")
    checked(lib.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
    size = b"size=%d,mode=1777" % int(iso.get("diskBytes") or (256 << 20))
    checked(lib.mount(b"tmpfs", SESSION_TMP.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, size), "mount tmpfs " + SESSION_TMP)
    if iso["mode"] == "root":
        limit_ipc(int(iso.get("memoryBytes") or (1 << 30)))
    # the worker's own code (a folder of the checkout, bound into the sandbox to start the worker) is loaded
    # already: the session does not see it
    lib.mount(b"tmpfs", os.path.dirname(HARNESS).encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"size=4k,mode=0755")
    work = os.path.join(SESSION_TMP, "verinotes-session")
    scratch = os.path.join(SESSION_TMP, "verinotes-harness")
    for d in (work, scratch):
        os.mkdir(d, 0o700)
        if iso["mode"] == "root":
            os.chown(d, int(iso["uid"]), int(iso["uid"]))
    return work, scratch


def limit_ipc(memory_bytes):
    """SysV shared memory of the session's own IPC namespace capped at its memory limit: a segment left detached is
    in no process's memory, so the worker's count cannot see it. Where /proc/sys is mounted read-only, this mount
    namespace is the session's own, so that mount is taken away first (the session's user cannot write there)."""
    libc().umount2(b"/proc/sys", 2)  # MNT_DETACH; where /proc/sys is not a read-only mount of its own, nothing to do
    page = os.sysconf("SC_PAGE_SIZE")
    for name, value in (("shmmax", memory_bytes), ("shmall", memory_bytes // page), ("shmmni", 64), ("msgmnb", 1 << 20)):
        try:
            write_proc("/proc/sys/kernel/%s" % name, str(value))
        except OSError:
            pass


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def become_session_user(iso, nproc):
    """In the session (PID 1 of its namespace): an unprivileged user with no capabilities, no way to gain
    any (no_new_privs), its process count limited, and killed with the process that watches it."""
    lib = libc()
    if iso["mode"] == "root":
        uid = int(iso["uid"])
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)  # from root to another uid: every capability goes
    else:
        for cap in range(CAP_LAST + 1):
            lib.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)  # EINVAL past the kernel's last capability
        data = (_CapData * 2)()
        checked(lib.capset(ctypes.byref(_CapHeader(0x20080522, 0)), data), "capset")
    checked(lib.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    if nproc:
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    checked(lib.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")
    if iso["mode"] == "root":
        lib.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # its own /proc/self/fd, as any process has


def session_memory(exclude):
    """Anonymous memory of every process in the sandbox but the worker's own (the session's, in its own PID
    namespace, are all visible here), each page shared after a fork counted once (proportional set size)."""
    total = 0
    seen = set()
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in exclude:
            continue
        try:
            with open("/proc/%s/smaps_rollup" % name, "rb") as f:
                for line in f:
                    if line.startswith((b"Pss_Anon:", b"Pss_Shmem:")):
                        total += int(line.split()[1]) * 1024
        except (OSError, IndexError, ValueError):
            pass
        total += memfd_bytes(name, seen)
    return total


def memfd_bytes(pid, seen):
    """Memory held in memfds (written, not mapped: in no process's PSS), each file once."""
    total = 0
    try:
        fds = os.listdir("/proc/%s/fd" % pid)
    except OSError:
        return 0
    for fd in fds:
        path = "/proc/%s/fd/%s" % (pid, fd)
        try:
            if not os.readlink(path).startswith("/memfd:"):
                continue
            st = os.stat(path)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            total += st.st_blocks * 512
    return total


def sanitize_step(msg, cap, op):
    """A step frame comes from the session's own process, which runs the note's code. What a python block or a
    REPL example printed is taken from the capture pipe by its segment number, never from the frame (a frame
    without one brings no output); what only the worker may say (killed, a limit) is dropped; texts are cut to
    the output cap. (Transcripts and scripts report their programs' output themselves: cut, not replaced.)"""
    for key in ("killed", "limit", "id"):
        msg.pop(key, None)
    examples = msg.get("examples", [])
    commands = msg.get("commands", [])
    if not isinstance(examples, list) or not all(isinstance(e, dict) for e in examples):
        msg.pop("examples", None)
        examples = []
    if not isinstance(commands, list) or not all(isinstance(c, dict) for c in commands):
        msg.pop("commands", None)
        commands = []
    if op == "py":
        msg.pop("output", None)  # filled from the capture by fill(), when the frame names a segment
    if op == "repl":
        for e in examples:
            if "seg" in e or "compileError" not in e:
                e.pop("output", None)
            if "seg" not in e:
                e.setdefault("output", "")
    for part in [msg] + examples + commands:
        for key, value in list(part.items()):
            if isinstance(value, str) and len(value) > cap:
                part[key] = value[:cap] + "\n[cut at the output limit]"
    msg["ev"] = "step"


def proc_pgid(pid):
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            return int(f.read().rsplit(b")", 1)[1].split()[2])
    except (OSError, IndexError, ValueError):
        return None


def kill_tree(pids, pgids):
    """Kill a session: its init (with it, its whole PID namespace) and, unsandboxed, the groups it made."""
    for p in pids:
        if p:
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
    for g in pgids:
        try:
            os.killpg(g, signal.SIGKILL)
        except OSError:
            pass


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


# -- reading a note as its reader would (snippets-spec.md §4b) ------------------------------------

#: Standard-library names that notes use as variables more often than as modules: never supplied.
NOT_SUPPLIED = frozenset(
    "code test site cmd parser token types string array queue select signal symbol this antigravity trace "
    "profile email html secrets tty pty mailbox wave chunk turtle turtledemo idlelib ensurepip venv lib2to3 "
    "pydoc_data nt msvcrt winreg winsound posix pwd grp".split()
)


def bound_names(tree):
    """Every name a block binds, at any depth (an over-approximation: a name it might bind is not free)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            out.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for a in node.names:
                out.add((a.asname or a.name).split(".")[0])
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            out.add(node.name)
        elif isinstance(node, ast.MatchAs) and node.name:
            out.add(node.name)
    return out


def attribute_bases(tree):
    """Names used as `name.attr`: what a reader takes for a module the note did not import."""
    return {
        n.value.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and isinstance(n.value.ctx, ast.Load)
    }


def one_edit_apart(a, b):
    """`aera` and `area`, `lenght` and `length`: one letter added, dropped, changed or two swapped (names of 3 or
    more letters, case counted: `model` and `Model` are a class and its instance, not a typo)."""
    if a.lower() == b.lower() or min(len(a), len(b)) < 3 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    k = 0
    while k < len(short) and short[k] == long_[k]:
        k += 1
    return short[k:] == long_[k + 1:]


def import_statement(name, module):
    """`import numpy as np`, `import os`, `from PIL import Image`."""
    if module == name:
        return "import %s" % name
    head, _, last = module.rpartition(".")
    if head and last == name:
        return "from %s import %s" % (head, name)
    return "import %s as %s" % (module, name)


def parse_quietly(text, name, mode="exec"):
    try:
        return ast.parse(text, name, mode)
    except (SyntaxError, ValueError, OverflowError):
        return None


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
        self.bash_cwd = None
        self.aliases = job.get("imports") or {}
        self.binders = []  # (block, names it binds) for every python block and REPL session of the session
        self.completed = set()  # blocks that ran to their end without an exception
        self.isolated = cfg.get("isolation", {}).get("mode", "none") != "none"
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
        for st in self.job["steps"]:
            texts = [st["code"]] if st["op"] == "py" else [ex["source"] for ex in st.get("examples", [])] if st["op"] == "repl" else []
            names = set()
            for t in texts:
                tree = parse_quietly(t, "<block>")
                if tree is not None:
                    names |= bound_names(tree)
            if names:
                self.binders.append((st["i"], names))
        for f in self.job.get("files", []):
            if f["name"].endswith(".py"):
                tree = parse_quietly(f["text"], f["name"])
                if tree is not None:
                    self.binders.append((0, bound_names(tree)))
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
        """After a timeout: kill what the block left running and reap it, so that the process limit is free
        again for the next blocks.
        Sandboxed, kill(-1) reaches every process of the session's namespace but its init and this one, the
        transcripts' shell too (the next transcript starts a new one). Unsandboxed, the processes of this
        one's group (the shell has its own) are found in /proc."""
        for _ in range(200):
            victims = []
            if self.isolated:
                try:
                    os.kill(-1, signal.SIGKILL)
                except OSError:
                    pass
            else:
                for p in [int(p) for p in os.listdir("/proc") if p.isdigit()]:
                    if p != self.pid and proc_pgid(p) == self.pid:
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
                if pid == self.bash_pid:  # the shell died: start a new one when needed
                    for fd in (self.bash_in, self.bash_out):
                        try:
                            os.close(fd)
                        except OSError:
                            pass
                    self.bash_pid = None
                reaped += 1
            if not victims and not reaped:
                return
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
            if type(e) is NameError and getattr(e, "name", None):
                res["nameError"] = e.name
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

    def supply_imports(self, trees, res):
        """Imports the reader supplies (§4b): a module name or a conventional alias used as `name.attr` that
        the note never binds nor imported earlier. Installed ones are imported before the block runs (so it
        runs once, as its reader would run it); the others are kept in `self.unsupplied`: if the block then
        stops at that name, it is missing-deps, and if it stops earlier at another name, it is that instead."""
        used = set()
        bound = set()
        for t in trees:
            used |= attribute_bases(t)
            bound |= bound_names(t)
        self.unsupplied = {}
        assumed = []
        for name in sorted(used - bound):
            if name in self.ns or hasattr(builtins, name):
                continue
            module = self.aliases.get(name)
            if module is None and name in sys.stdlib_module_names and not name.startswith("_") and name not in NOT_SUPPLIED:
                module = name
            if not module:
                continue
            stmt = import_statement(name, module)
            top = module.split(".")[0]
            if not module_exists(top):
                self.unsupplied[name] = (top, stmt)
                continue
            try:
                exec(compile(stmt, "<assumed>", "exec"), self.ns)
            except BaseException:  # installed but does not import: as if it were not there
                self.unsupplied[name] = (top, stmt)
                continue
            assumed.append(stmt)
        if assumed:
            res["assumed"] = assumed

    def missing_supplied(self, res, name):
        """The block stopped at a name the reader would import from a module not installed: missing-deps."""
        if name not in getattr(self, "unsupplied", {}):
            return False
        top, stmt = self.unsupplied[name]
        for k in ("output", "exc", "exit", "examples", "ms"):
            res.pop(k, None)
        res["missing"] = [top]
        res["assumed"] = res.get("assumed", []) + [stmt]
        return True

    def unbound(self, name, i):
        """Where a name a block needed is bound in the note: the latest earlier block, else 'later' or None; or
        the name it is a typo of (`fo` for `Foo`): then the block is not an excerpt but wrong."""
        known = set(k for k in self.ns if not k.startswith("__"))
        for _, names in self.binders:
            known |= names
        typo = next((k for k in sorted(known) if one_edit_apart(name, k)), None)
        if typo:
            return {"name": name, "boundBy": None, "typo": typo}
        earlier = [b for b, names in self.binders if name in names and b < i and b != 0]
        if earlier:
            return {"name": name, "boundBy": max(earlier), "ran": max(earlier) in self.completed}
        if any(name in names for b, names in self.binders if b != i):
            return {"name": name, "boundBy": None, "later": True}
        return {"name": name, "boundBy": None}

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
        self.supply_imports([tree], res)
        self.sources[fname] = src
        res.update(self.run_user(lambda: exec(code, self.ns), float(st["timeout"])))
        self.after_run(i, res)
        self.library_versions([tree], res)
        return res

    def library_versions(self, trees, res):
        """The versions of the libraries a block used (imported, or supplied): output that differs may be another
        version's (NumPy's reprs changed in 1.14 and 2.0)."""
        tops = set()
        for t in trees:
            tops.update(imports_of(t))
            for name in attribute_bases(t):  # modules an earlier block imported (`np.zeros` after `import numpy as np`)
                obj = self.ns.get(name)
                if isinstance(obj, types.ModuleType):
                    tops.add(obj.__name__.split(".")[0])
        for stmt in res.get("assumed", []):
            tops.add(stmt.split()[1].split(".")[0])
        found = {}
        for top in sorted(tops):
            if top in sys.stdlib_module_names:
                continue
            version = getattr(sys.modules.get(top), "__version__", None)
            if isinstance(version, str):
                found[top] = version
        if found:
            res["versions"] = found

    def after_run(self, i, res):
        name = res.pop("nameError", None)
        if name and self.missing_supplied(res, name):
            return
        if name:
            res["unbound"] = self.unbound(name, i)
        elif not res.get("exc") and not res.get("timedOut"):
            self.completed.add(i)

    def step_repl(self, st):
        i = st["i"]
        res = {"i": i}
        missing = missing_in((ex["source"], "<stdin>") for ex in st["examples"])
        if missing:
            res["missing"] = missing
            return res
        if not st.get("check"):
            trees = [t for t in (parse_quietly(ex["source"], "<stdin>") for ex in st["examples"]) if t is not None]
            self.supply_imports(trees, res)
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
        if not st.get("check"):
            self.library_versions(trees, res)
        names = [ex.pop("nameError") for ex in out if ex.get("nameError")]
        if names and self.missing_supplied(res, names[0]):
            return res
        if names:
            res["unbound"] = self.unbound(names[0], i)
        elif not st.get("check") and not any(ex.get("exc") or ex.get("timedOut") for ex in out):
            self.completed.add(i)
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
        if not self.isolated:  # sandboxed, the worker stops the whole namespace instead
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
        self.bash_cwd = None

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
        line = ". %s </dev/null; __vn_rc=$?; printf '\\036VN%s:%%d %%s\\n' \"$__vn_rc\" \"$PWD\"\n" % (shell_quote(path), tok)
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
            status_line = rest.split(b"\n", 1)[0].decode("utf-8", "surrogateescape")
            code, _, cwd = status_line.partition(" ")
            try:
                rc = int(code)
            except ValueError:
                rc = -1
            if cwd.startswith("/"):
                self.bash_cwd = cwd
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
        """The transcript shell's working folder, as it said after its last command, else the sandbox root."""
        if self.bash_pid is not None and self.bash_cwd:
            return self.bash_cwd
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
    """Splits a child's merged output into numbered segments, keeping `cap` bytes of each; `total` counts
    what all segments kept (the note's share of the report)."""

    def __init__(self, cap, token):
        self.cap = cap
        self.total = 0
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
            self.total += len(part)
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


def run_child(line, env):
    """In a forked session child: parse the job, open the worker's FIFOs, isolate, run, exit. Sandboxed,
    this process only watches: it forks the session as PID 1 of a new PID namespace, tells the worker that
    pid (to kill the whole namespace at once), and exits as the session did."""
    code = 0
    w = None
    try:
        job = marshal.loads(line)
        w = os.open(job["fifo_r"], os.O_WRONLY)
        cw = os.open(job["fifo_c"], os.O_WRONLY)
        os.dup2(cw, 1)  # nothing of the worker's stdout reaches the session
        os.dup2(cw, 2)
        cfg = dict(job["cfg"], env=env)
        iso = cfg["isolation"]
        if iso["mode"] != "none":
            os.setpgid(0, 0)
            job["work"], job["scratch"] = enter_session_namespaces(iso)
            pid = os.fork()
            if pid:
                send_frame(w, {"ev": "init", "pid": pid})
                os.close(w)
                os.close(cw)
                exit_as(os.waitpid(pid, 0)[1])
            # PID 1 of the session's namespace: only reaps, so that the session itself is an ordinary
            # process (signals it sends itself arrive, kill(-1) reaches all it started); when it exits, the
            # kernel kills everything left in the namespace.
            # its own /proc: the session sees its own processes, not the worker's (as root; in a user namespace
            # the kernel refuses a new /proc under bwrap's, and the worker's are not dumpable there either)
            libc().mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)
            become_session_user(iso, cfg.get("nproc"))
            session = os.fork()
            if session:
                os.close(cw)
                while True:
                    try:
                        done, status = os.waitpid(-1, 0)
                    except ChildProcessError:
                        os._exit(70)
                    if done == session:  # init cannot die of a signal it sends itself: say how the session ended
                        send_frame(w, {"ev": "exited", "status": status})
                        os._exit(0)
        Child(job, job["work"], job["scratch"], w, cfg, cw, job["token"].encode()).run()
    except BaseException as e:  # report, never return into the zygote's loop
        try:
            import traceback

            error = "".join(traceback.format_exception(type(e), e, e.__traceback__))
        except BaseException:
            error = "%s: %s" % (type(e).__name__, e)
        try:
            if w is not None:
                send_frame(w, {"ev": "fatal", "error": error})
        except BaseException:
            pass
        code = 70
    os._exit(code)


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


def zygote(zin, zout, path):
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
            run_child(line, env)
        os.write(zout, b"P%d\n" % pid)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = 0
        os.write(zout, b"X%d %d\n" % (pid, status))


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
            if mode != "none":  # counted for the session's own uid (root mode) or user namespace, its init too
                self.nproc = self.max_procs + 2
            elif os.getuid() != 0:
                self.nproc = count_user_processes() + self.max_procs
        self.path = self.bindir + os.pathsep + os.environ.get("PATH", os.defpath)
        self.n = 0
        self.zpid = None
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
        zr, zw = os.pipe()  # worker -> zygote: jobs
        sr, sw = os.pipe()  # zygote -> worker: pids and exit statuses
        pid = os.fork()
        if pid == 0:
            os.close(zw)
            os.close(sr)
            try:
                zygote(zr, sw, self.path)
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

    def exists(self, name):
        """A module the interpreter can import or a program on PATH, as the worker (not the session) sees them."""
        return (name.isidentifier() and module_exists(name)) or which(name, self.path) is not None

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
        sdir = os.path.join(self.base, "s%d" % self.n)
        work = os.path.join(sdir, "work")
        scratch = os.path.join(sdir, "scratch")
        os.mkdir(sdir, 0o700)
        if self.isolation["mode"] == "none":  # sandboxed, the session makes its folders on its own tmpfs
            os.mkdir(work, 0o700)
            os.mkdir(scratch, 0o700)
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
                     cfg={"isolation": self.isolation, "nproc": self.nproc, "which": self.programs_of(job)})
        data = marshal.dumps(child)
        os.write(self.zin, len(data).to_bytes(4, "little") + data)
        t_start = time.monotonic()
        note_deadline = t_start + float(job.get("limits", {}).get("noteTimeout", 120))
        step_deadline = None
        current = None
        pid = None
        init = None
        exited = None
        status = None
        pgids = set()
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
            while True:
                try:
                    data = os.read(fd, 1 << 16)
                except BlockingIOError:
                    return
                if not data:
                    return
                feed(data)

        def on_result(data):
            # Frames come from the session's own process, which runs the note's code: take only what
            # can be about this session's blocks, each once, and never a second init.
            nonlocal buf, current, step_deadline, fatal, ended, init, killed, exited
            if buf is None:
                return
            msgs, buf = read_frames(buf + data)
            if buf is None and killed is None:
                killed = "harness frames corrupted by the session"
                kill_tree([init, pid], pgids)
            for msg in msgs:
                ev = msg.get("ev")
                i = msg.get("i")
                if ev == "init" and init is None and isinstance(msg.get("pid"), int) and msg["pid"] > 1:
                    init = msg["pid"]
                elif ev == "begin" and i in step_ids and i not in reported:
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
                    exited = msg["status"]
                elif ev == "fatal" and fatal is None:  # written by the session's process: say whose words they are
                    fatal = "the session's interpreter failed: %s" % str(msg.get("error"))[:20000]
                elif ev == "end":
                    ended = time.monotonic()

        def on_capture(data):
            nonlocal killed
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
                used = session_memory({1, os.getpid(), self.zpid, pid})
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
        rmtree(sdir)
        send(1, {"ev": "done", "id": jid, "ms": round((time.monotonic() - t_start) * 1000, 1)})

    def close(self):
        self.stop_zygote()
        rmtree(self.base)


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
