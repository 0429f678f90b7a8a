"""What the worker, the zygote and the sessions say to each other: JSON lines to the node side, length-
prefixed frames from a session, and the capture pipe's output segments."""

import ast
import json
import os


MAX_FRAME = 4 << 20
#: Output a whole session may leave in the report (every block together); past it the session is stopped.
NOTE_OUTPUT_CAP = 4 << 20


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
    for part in [msg] + examples:  # a segment is a number the capture pipe gave: anything else names none
        if "seg" in part and type(part["seg"]) is not int:
            del part["seg"]
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
