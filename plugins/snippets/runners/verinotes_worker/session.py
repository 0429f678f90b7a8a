"""A note session, run in its forked child: python blocks in one namespace, REPL lines doctest-style, and
(through ShellSteps) transcripts and scripts. Results go to the worker as frames, output through the capture pipe."""

import builtins
import os
import resource
import signal
import sys
import time
import types

import ast

from .analysis import (
    NOT_SUPPLIED,
    attribute_bases,
    bound_names,
    import_statement,
    imports_of,
    missing_in,
    missing_modules,
    module_exists,
    one_edit_apart,
    parse_quietly,
    syntax_message,
)
from .files import write_text, which
from .isolation import HARNESS_DIR, proc_pgid
from .protocol import send_frame
from .shell import ShellSteps


class BlockTimeout(BaseException):
    """Raised in user code when a block overruns its time."""



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



#: A block that needs a process when the session's process limit is full: the note's doing, not the verifier's
#: (decide.ts tells it from a verifier error by this prefix: NO_PROCESS in runners/protocol.ts).
NO_PROCESS = "could not start a process"
NO_PROCESS_WHY = "the session's process limit is full, with processes an earlier block left running"


class Child(ShellSteps):
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
                    self.forget_bash()
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
        while tb is not None and os.path.abspath(tb.tb_frame.f_code.co_filename).startswith(HARNESS_DIR + os.sep):
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
            except BlockingIOError as e:  # EAGAIN from fork or posix_spawn: the note's own processes fill its limit
                res = {"i": st["i"], "error": "%s (%s): %s" % (NO_PROCESS, e.strerror, NO_PROCESS_WHY)}
            except Exception as e:  # a harness error is reported on the block, the session goes on
                import traceback

                res = {"i": st["i"], "error": "".join(traceback.format_exception(type(e), e, e.__traceback__))}
            res["ev"] = "step"
            self.emit(res)
        self.stop_bash()
        self.emit({"ev": "end"})
