"""The real worker (python3 -S -B worker.py, not sandboxed) given note sessions as JSON lines on stdin, as
python-pool.ts starts it; what it says back on stdout (protocol.ts)."""

import json
import os
import platform
import subprocess
import sys
import types

import pytest

from conftest import WORKER

LIMITS = {"noteTimeout": 60, "memoryMb": 0, "outputCap": 100000, "cpuSeconds": 0}

JOBS = [
    {
        "id": 1,
        "limits": LIMITS,
        "files": [{"name": "helper.py", "text": "X = 5\n"}, {"name": "data/in.txt", "text": "from a file\n"}],
        "steps": [
            {"op": "py", "i": 1, "code": "import helper\nprint(helper.X + 1)\narea = 3\n", "timeout": 10},
            {"op": "repl", "i": 2, "examples": [{"source": "1+1"}, {"source": "print(area)"}, {"source": "y = 4"}], "timeout": 10},
            {
                "op": "sh",
                "i": 3,
                "commands": [
                    {"cmd": "echo hi", "programs": ["echo"]},
                    {"cmd": "cat data/in.txt", "programs": ["cat"]},
                    {"cmd": "cd data; pwd", "programs": []},
                    {"cmd": "false", "programs": []},
                ],
                "timeout": 10,
            },
        ],
    },
    {
        "id": 2,
        "limits": LIMITS,
        "files": [],
        "steps": [
            {"op": "py", "i": 1, "code": "print(area)", "timeout": 10},  # bound in the other session only
            {"op": "py", "i": 2, "code": "lenght = 2", "timeout": 10},
            {"op": "py", "i": 3, "code": "print(length)", "timeout": 10},
            {"op": "py", "i": 4, "code": "import vn_no_such_module_e2e", "timeout": 10},
            {"op": "py", "i": 5, "code": "ok = 1\nx = (", "timeout": 10},
            {"op": "py", "i": 6, "code": "import sys\nprint('out')\nsys.exit(3)", "timeout": 10},
            {"op": "sh", "i": 7, "commands": [{"cmd": "vn-no-such-program", "programs": ["vn-no-such-program"]}], "timeout": 10},
            {
                "op": "sh",
                "i": 8,
                "commands": [{"cmd": "nosuchcommand_vn", "programs": []}, {"cmd": "exit 4"}, {"cmd": "echo after"}],
                "timeout": 10,
            },
            {"op": "py", "i": 9, "code": "while True: pass", "timeout": 1},
            {"op": "py", "i": 10, "code": "print('still here')", "timeout": 10},
            {"op": "py", "i": 11, "code": "1 / 0\nhalf = 5", "timeout": 10},
            {"op": "py", "i": 12, "code": "print(half)", "timeout": 10},
            {"op": "py", "i": 13, "code": "print(defined_later)", "timeout": 10},
            {"op": "py", "i": 14, "code": "defined_later = 1", "timeout": 10},
            {
                "op": "sh",
                "i": 15,
                "commands": [
                    {"cmd": "mkdir demo && cd demo && echo made > f.txt", "programs": ["mkdir"]},
                    {"cmd": "cat f.txt", "programs": ["cat"], "needs": ["f.txt"]},  # found where the shell now is
                ],
                "timeout": 10,
            },
            {"op": "sh", "i": 16, "commands": [{"cmd": "cat absent.txt", "programs": ["cat"], "needs": ["absent.txt"]}], "timeout": 10},
        ],
    },
    {
        "id": 3,
        "limits": dict(LIMITS, outputCap=10),
        "files": [],
        "steps": [{"op": "py", "i": 1, "code": "print('x' * 100)", "timeout": 10}],
    },
]


def run_worker(jobs, tmp):
    """One worker, not sandboxed, given `jobs`: its stdout lines, its TMPDIR, and what it left there after it exited."""
    probe = subprocess.run([sys.executable, "-c", "import sys, json; print(json.dumps(sys.path))"], capture_output=True, check=True)
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "TMPDIR": str(tmp),
        "VERINOTES_ISOLATION": "none",
        "VERINOTES_SYSPATH": probe.stdout.decode().strip(),
    }
    proc = subprocess.Popen(
        [sys.executable, "-S", "-B", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    stdin = "".join(json.dumps(job) + "\n" for job in jobs).encode()
    try:
        out, err = proc.communicate(stdin, timeout=120)  # a hang guard, not a timing assertion
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail("the worker did not finish: %r %r" % (out[-2000:], err[-2000:]))
    assert proc.returncode == 0, err.decode()
    assert err == b""
    lines = [json.loads(line) for line in out.decode().splitlines()]
    return types.SimpleNamespace(lines=lines, left=os.listdir(tmp), tmpdir=str(tmp))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return run_worker(JOBS, tmp_path_factory.mktemp("worker-tmp"))


def steps_of(lines, jid):
    """The job's step lines by block, their `ms` checked and removed (times vary), the `id` checked too."""
    out = {}
    for line in lines:
        if line.get("ev") == "step" and line.get("id") == jid:
            for part in [line] + line.get("examples", []) + line.get("commands", []):
                if "ms" in part:
                    assert isinstance(part.pop("ms"), (int, float))
            del line["ev"], line["id"]
            out[line["i"]] = line
    return out


def test_ready_then_steps_in_order_then_done_per_job(run):
    lines = run.lines
    ready = lines[0]
    assert ready["ev"] == "ready"
    assert ready["isolation"] == "none" and ready["sandboxError"] is None
    assert ready["python"] == platform.python_version()
    assert ready["executable"] == sys.executable
    order = [(line["ev"], line.get("id"), line.get("i")) for line in lines[1:]]
    expected = []
    for job in JOBS:
        expected += [("step", job["id"], st["i"]) for st in job["steps"]] + [("done", job["id"], None)]
    assert order == expected
    assert all("error" not in line for line in lines if line["ev"] == "done")


def test_py_repl_and_sh_steps(run):
    steps = steps_of(run.lines, 1)
    assert steps[1] == {"i": 1, "exit": 0, "output": "6\n"}
    assert steps[2] == {
        "i": 2,
        "examples": [{"exit": 0, "output": "2\n"}, {"exit": 0, "output": "3\n"}, {"exit": 0, "output": ""}],
    }
    commands = steps[3].pop("commands")
    assert steps[3] == {"i": 3}
    pwd = commands[2].pop("output")
    # the session's own folder under the worker's private one in TMPDIR; `cd` carried to the next command
    base = os.path.join(run.tmpdir, "verinotes-%d-" % run.lines[0]["pid"])
    assert pwd.startswith(base) and pwd[len(base):].endswith("/s1/work/data\n")
    assert commands == [
        {"output": "hi\n", "rc": 0},
        {"output": "from a file\n", "rc": 0},
        {"rc": 0},
        {"output": "", "rc": 1},
    ]


def test_failures_are_reported_per_block(run):
    steps = steps_of(run.lines, 2)
    assert steps[1] == {
        "i": 1,
        "exit": 1,
        "exc": "NameError: name 'area' is not defined",
        "unbound": {"name": "area", "boundBy": None},
        "output": (
            "Traceback (most recent call last):\n"
            "  File \"<block 1>\", line 1, in <module>\n"
            "    print(area)\n"
            "           ^^^^\n"
            "NameError: name 'area' is not defined\n"
        ),
    }
    assert steps[2] == {"i": 2, "exit": 0, "output": ""}
    assert steps[3]["unbound"] == {"name": "length", "boundBy": None, "typo": "lenght"}
    assert steps[4] == {"i": 4, "missing": ["vn_no_such_module_e2e"]}
    assert steps[5] == {
        "i": 5,
        "compileError": {
            "message": "SyntaxError: '(' was never closed",
            "line": 2,
            "text": "  File \"<block 5>\", line 2\n    x = (\n        ^\nSyntaxError: '(' was never closed\n",
        },
    }
    assert steps[6] == {"i": 6, "exit": 3, "output": "out\n"}
    assert steps[7] == {"i": 7, "missing": ["vn-no-such-program"]}
    assert steps[8] == {
        "i": 8,
        "commands": [
            {"output": "bash: nosuchcommand_vn: command not found\n", "rc": 127},
            {"output": "", "rc": 4},  # the command ended the shell
            {"output": "after\n", "rc": 0},  # and the next one got a new one
        ],
    }
    assert steps[9] == {"i": 9, "exit": 124, "timedOut": True, "output": ""}
    assert steps[10] == {"i": 10, "exit": 0, "output": "still here\n"}
    assert steps[11]["exc"] == "ZeroDivisionError: division by zero"
    assert steps[12]["unbound"] == {"name": "half", "boundBy": 11, "ran": False}
    assert steps[13]["unbound"] == {"name": "defined_later", "boundBy": None, "later": True}
    assert steps[15] == {"i": 15, "commands": [{"output": "", "rc": 0}, {"output": "made\n", "rc": 0}]}
    assert steps[16] == {"i": 16, "unresolved": ["absent.txt"]}


def test_output_past_the_cap_is_cut(run):
    output = "xxxxxxxxxx\n[output cut at 10 bytes: 91 more bytes]\n"
    assert steps_of(run.lines, 3) == {1: {"i": 1, "exit": 0, "truncated": True, "output": output}}


def test_the_worker_leaves_nothing_in_its_tmpdir(run):
    assert run.left == []


# A block can write frames to the worker itself (it runs in the process that reports). One whose segment number
# is not a number must not stop the worker's handling of the session.
FORGED_FRAME = """
import os, time
data = repr({"ev": "step", "i": 1, "seg": [1]}).encode()
for fd in range(3, 64):
    try:
        os.write(fd, len(data).to_bytes(4, "little") + data)
    except OSError:
        pass
time.sleep(0.5)
"""


def test_a_forged_frame_with_a_bad_segment_number(tmp_path):
    jobs = [
        {"id": 1, "limits": LIMITS, "files": [], "steps": [{"op": "py", "i": 1, "code": FORGED_FRAME, "timeout": 10}]},
        {"id": 2, "limits": LIMITS, "files": [], "steps": [{"op": "py", "i": 1, "code": "print(2)", "timeout": 10}]},
    ]
    result = run_worker(jobs, tmp_path)
    done = [line for line in result.lines if line["ev"] == "done"]
    assert [d["id"] for d in done] == [1, 2]
    assert [d.get("error") for d in done] == [None, None]
    assert [line["i"] for line in result.lines if line["ev"] == "step" and line["id"] == 1] == [1]
    assert steps_of(result.lines, 2) == {1: {"i": 1, "exit": 0, "output": "2\n"}}
    assert result.left == []
