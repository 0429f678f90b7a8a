"""A session's transcripts, shell and node blocks: one bash per session, programs started with posix_spawn."""

import os
import resource
import select
import signal
import time

from .analysis import missing_in
from .files import read_text, shell_quote, write_text


SANDBOX_SIGNALS = (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGALRM, signal.SIGQUIT)


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



class ShellSteps:
    """The Child's shell side: `sh` steps (transcripts in one bash) and `script` steps (shell and node blocks)."""

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
            self.forget_bash()

    def forget_bash(self):
        """The shell is gone (stopped, or killed with a block's leftovers): its pipes close, the next transcript
        starts a new one."""
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
            self.forget_bash()
        else:
            self.stop_bash()
        out = {
            "output": clean_shell_text(self.decode(kept, dropped), path),
            "rc": 124 if how == "timeout" else rc,
            "ms": round((time.monotonic() - t0) * 1000, 1),
        }
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
        ms = round((time.monotonic() - t0) * 1000, 1)
        res = {"output": self.decode(kept, dropped), "exit": 124 if how == "timeout" else rc, "ms": ms}
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
