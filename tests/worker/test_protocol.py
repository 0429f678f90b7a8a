"""protocol.py: JSON lines to the node side, frames from a session, and the capture pipe's segments."""

import json
import os

import pytest

from verinotes_worker.protocol import MAX_FRAME, CaptureReader, read_frames, sanitize_step, send, send_frame


def pipe_bytes(write):
    """What `write(fd)` put into a pipe."""
    r, w = os.pipe()
    try:
        write(w)
    finally:
        os.close(w)
    out = b""
    while True:
        data = os.read(r, 1 << 16)
        if not data:
            break
        out += data
    os.close(r)
    return out


def frame(payload):
    return len(payload).to_bytes(4, "little") + payload


def marker(token, seq):
    return b"\x00VNMARK" + token + b":" + str(seq).encode() + b"\x00"


# -- send: JSON lines ---------------------------------------------------------------------------


def test_send_writes_one_json_line_that_reads_back():
    obj = {"ev": "step", "id": 3, "output": "é ✓\n\ttab", "examples": [{"exit": 0}]}
    data = pipe_bytes(lambda fd: send(fd, obj))
    assert data.endswith(b"\n") and data.count(b"\n") == 1
    assert "é ✓".encode() in data  # UTF-8 itself, not \u escapes
    assert json.loads(data) == obj


def test_send_keeps_a_lone_surrogate_as_a_json_escape():
    # Output decoded with surrogateescape may hold lone surrogates, which UTF-8 cannot encode.
    data = pipe_bytes(lambda fd: send(fd, {"output": "a\udcffb"}))
    assert data == b'{"output": "a\\udcffb"}\n'
    assert json.loads(data) == {"output": "a\udcffb"}


# -- frames -------------------------------------------------------------------------------------


def test_frames_round_trip():
    msgs = [
        {"ev": "begin", "i": 1, "t": 10.0},
        {"ev": "step", "i": 1, "output": "ü\n", "examples": [{"seg": 2, "exit": 0}], "missing": None, "ok": True},
        {},
    ]
    data = pipe_bytes(lambda fd: [send_frame(fd, m) for m in msgs])
    assert int.from_bytes(data[:4], "little") == len(repr(msgs[0]).encode())
    assert read_frames(data) == (msgs, b"")


def test_torn_frames_wait_for_their_rest():
    msgs = [{"ev": "begin", "i": k, "text": "x" * k} for k in range(1, 4)]
    data = pipe_bytes(lambda fd: [send_frame(fd, m) for m in msgs])
    # every cut point: what is complete comes out, the rest is kept, and the rest plus the tail gives the others
    for cut in range(len(data) + 1):
        first, rest = read_frames(data[:cut])
        assert msgs[: len(first)] == first
        assert data[:cut].endswith(rest)
        second, tail = read_frames(rest + data[cut:])
        assert first + second == msgs
        assert tail == b""


def test_a_frame_short_of_its_length_is_kept_whole():
    whole = frame(b"{'a': 1}")
    for cut in range(len(whole)):
        assert read_frames(whole[:cut]) == ([], whole[:cut])
    assert read_frames(whole) == ([{"a": 1}], b"")


def test_an_oversized_frame_ends_the_stream():
    ok = frame(b"{'ev': 'end'}")
    big = (MAX_FRAME + 1).to_bytes(4, "little") + b"{}"
    assert read_frames(ok + big + ok) == ([{"ev": "end"}], None)
    at_limit = MAX_FRAME.to_bytes(4, "little") + b"{}"
    assert read_frames(at_limit) == ([], at_limit)  # a frame of MAX_FRAME bytes is allowed: waits for it


def test_frames_that_are_not_dicts_of_literals_are_skipped_unevaluated(tmp_path):
    flag = tmp_path / "ran"
    hostile = "__import__('os').mkdir(%r)" % str(flag)
    data = b"".join(
        frame(p)
        for p in (b"[1, 2]", hostile.encode(), b"{'a': ", b"\xff\xfe", b"{'ev': 'end', 'n': -1.5, 'b': b'x'}")
    )
    assert read_frames(data) == ([{"ev": "end", "n": -1.5, "b": b"x"}], b"")
    assert not flag.exists()


# -- sanitize_step ----------------------------------------------------------------------------


def test_sanitize_drops_what_only_the_worker_may_say():
    msg = {"ev": "x", "i": 1, "id": 99, "killed": "timeout", "limit": "memory", "output": "forged", "seg": 3, "exit": 0}
    sanitize_step(msg, 100, "py")
    assert msg == {"ev": "step", "i": 1, "seg": 3, "exit": 0}


def test_sanitize_keeps_a_scripts_own_output_but_cuts_it():
    msg = {"i": 4, "output": "abcdef", "exit": 0}
    sanitize_step(msg, 4, "script")
    assert msg == {"i": 4, "output": "abcd\n[cut at the output limit]", "exit": 0, "ev": "step"}
    msg = {"i": 4, "output": "abcd"}
    sanitize_step(msg, 4, "script")
    assert msg["output"] == "abcd"


def test_sanitize_repl_examples():
    examples = [
        {"seg": 1, "output": "forged", "exit": 0},  # its output comes from the capture
        {"output": "forged too", "exit": 0},  # no segment: no output
        {"compileError": {"message": "SyntaxError"}, "output": "  File ...", "exit": 1},  # the harness's own text
        {"seg": 2, "compileError": {}, "output": "forged"},
    ]
    msg = {"i": 2, "examples": examples}
    sanitize_step(msg, 100, "repl")
    assert msg["examples"] == [
        {"seg": 1, "exit": 0},
        {"output": "", "exit": 0},
        {"compileError": {"message": "SyntaxError"}, "output": "  File ...", "exit": 1},
        {"seg": 2, "compileError": {}},
    ]


def test_sanitize_cuts_strings_in_examples_and_commands():
    msg = {"i": 3, "commands": [{"output": "x" * 10, "rc": 0}], "examples": [{"exc": "E" * 10}], "error": "e" * 10}
    sanitize_step(msg, 5, "sh")
    assert msg["commands"] == [{"output": "xxxxx\n[cut at the output limit]", "rc": 0}]
    assert msg["examples"] == [{"exc": "EEEEE\n[cut at the output limit]"}]
    assert msg["error"] == "eeeee\n[cut at the output limit]"


@pytest.mark.parametrize("bad", ["text", [1], [{"a": 1}, "b"], {"a": 1}, None])
def test_sanitize_drops_examples_and_commands_of_the_wrong_shape(bad):
    msg = {"i": 1, "examples": bad, "commands": bad}
    sanitize_step(msg, 100, "repl")
    assert msg == {"i": 1, "ev": "step"}


# -- CaptureReader -------------------------------------------------------------------------------

TOKEN = b"0123456789abcdef"


def test_capture_splits_segments_at_markers():
    cap = CaptureReader(100, TOKEN)
    cap.feed(b"hello\n" + marker(TOKEN, 1) + b"" + marker(TOKEN, 2) + b"world\n" + marker(TOKEN, 3))
    assert cap.done == {1: ("hello\n", False), 2: ("", False), 3: ("world\n", False)}
    assert cap.last == 3
    assert cap.total == 12


def test_capture_markers_torn_across_reads():
    data = b"ab" + marker(TOKEN, 1) + b"cd" + marker(TOKEN, 12) + b"tail"
    cap = CaptureReader(100, TOKEN)
    for k in range(len(data)):
        cap.feed(data[k:k + 1])
    assert cap.done == {1: ("ab", False), 12: ("cd", False)}
    assert cap.last == 12
    assert cap.partial() == "tail"


def test_capture_keeps_cap_bytes_of_each_segment_and_counts_the_rest():
    cap = CaptureReader(4, TOKEN)
    cap.feed(b"abcdefgh" + marker(TOKEN, 1) + b"xy" + marker(TOKEN, 2))
    assert cap.done[1] == ("abcd\n[output cut at 4 bytes: 4 more bytes]\n", True)
    assert cap.done[2] == ("xy", False)
    assert cap.total == 6


def test_capture_cap_holds_over_many_reads_without_markers():
    cap = CaptureReader(1000, TOKEN)
    for _ in range(100):
        cap.feed(b"y" * 100)
    cap.feed(marker(TOKEN, 1))
    text, cut = cap.done[1]
    assert cut
    assert text == "y" * 1000 + "\n[output cut at 1000 bytes: 9000 more bytes]\n"
    assert cap.total == 1000


def test_capture_ignores_markers_of_another_token_and_bad_numbers():
    other = marker(b"fedcba9876543210", 1)
    cap = CaptureReader(1000, TOKEN)
    cap.feed(b"a" + other + b"b" + b"\x00VNMARK" + TOKEN + b":x\x00" + b"c" + marker(TOKEN, 5))
    assert cap.done == {5: ("a" + other.decode() + "bc", False)}


def test_capture_partial_is_the_unfinished_segment():
    cap = CaptureReader(5, TOKEN)
    cap.feed(b"done" + marker(TOKEN, 1) + b"\x00VNMA")  # could be the start of a marker: held back
    assert cap.done == {1: ("done", False)}
    assert cap.partial() == "\x00VNMA"
    cap.feed(b"more text")
    assert cap.partial() == "\x00VNMA"  # the segment's cap (5 bytes) was reached
    assert cap.dropped == 9


def test_capture_decodes_invalid_utf8_with_replacement():
    cap = CaptureReader(100, TOKEN)
    cap.feed(b"\xff\xfeok" + marker(TOKEN, 1))
    assert cap.done[1] == ("\ufffd\ufffdok", False)
    cap.feed(b"\xe2\x9c")  # the start of a character, and nothing after it
    assert cap.partial() == "\ufffd"
