// The sandbox (§5) with real python3 and bash: timeouts, output cap, refused paths, fork bombs, memory
// hogs, crashes, no network, notes untouched, nothing left running.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { block } from "./testing.ts";
import type { Report, SnippetResult } from "./types.ts";
import { verifyNotes } from "./verify.ts";

/** A bash fork bomb whose transcript goes on, then a python block that needs no new process. */
const BASH_BOMB_THEN_PYTHON = [
  block("bash timeout=60", "$ :(){ :|:& };:", "$ echo survived", "survived"),
  block("python timeout=30", "print('alive')"),
  block("", "alive"),
];
const NOTES: Record<string, string> = {
  // A transcript that changes folder: files it made there are found there, and the shell stays there.
  "cd.md": block("console", "$ mkdir -p demo && cd demo", "$ printf 'a\\nb\\n' > words.txt", "$ wc -l < words.txt", "2", "$ pwd", "[..]/demo"),
  "timeout.md": [
    block("python timeout=1", "while True:", "    pass"),
    block("python", "print('after')"),
    "Output:",
    "",
    block("", "after"),
    block("python timeout=1", ">>> import time", ">>> time.sleep(30)"),
    block("python", ">>> print('still here')", "still here"),
  ].join("\n"),
  "cap.md": [block("python timeout=60", "print('x' * 100_000_000)"), block("", "x")].join("\n"),
  "escape.md": ["---", "title: t", "---", "", "Some text.", "", block('python title="../../x.py"', "print('escaped')")].join("\n"),
  "forkbomb.md": [
    block("python timeout=3", "import os", "while True:", "    try:", "        os.fork()", "    except OSError:", "        pass"),
    ...BASH_BOMB_THEN_PYTHON,
  ].join("\n"),
  // The bash fork bomb on its own: in forkbomb.md bash cannot even start while the python bomb's children hold the
  // session's processes, so only here does the bomb itself run.
  "forkbomb-bash.md": BASH_BOMB_THEN_PYTHON.join("\n"),
  "memory.md": [
    block("python", "x = bytearray(8 * 1024 ** 3)"),
    block("python timeout=30", "chunks = []", "while True:", "    chunks.append(bytearray(64 * 1024 * 1024))"),
    block("python", "chunks = None", "print('fine')"),
    block("", "fine"),
  ].join("\n"),
  "network.md": [
    block(
      "python",
      "import socket",
      "for host in ['127.0.0.1', '1.1.1.1', '8.8.8.8']:",
      "    try:",
      "        socket.create_connection((host, 80), timeout=2).close()",
      "        print(host, 'connected')",
      "    except OSError:",
      "        print(host, 'blocked')",
    ),
    block("", "127.0.0.1 blocked", "1.1.1.1 blocked", "8.8.8.8 blocked"),
  ].join("\n"),
  // §5: what a block sees. Environment cleared but for PATH and the listed values; HOME, TMPDIR and the
  // working folder are the note's own fresh folder. env.md and env2.md show each other nothing.
  "env.md": [
    block(
      "python",
      "import os, time",
      "here = os.getcwd()",
      "print(sorted(os.environ))",
      "print(os.environ['HOME'] == here, os.environ['TMPDIR'] == here, os.listdir(here))",
      "print(os.environ['LANG'], os.environ['TZ'], os.environ['COLUMNS'], os.environ['PYTHONHASHSEED'], time.tzname[0])",
      "import signal, sys",
      "print(repr(sys.stdin.read()), sys.stdin.seekable(), sys.stdout.encoding, sys.stderr.errors, exit)",
      "print(signal.getsignal(signal.SIGPIPE) is signal.SIG_IGN, signal.getsignal(signal.SIGTERM) is signal.SIG_DFL)",
      "open('mine.txt', 'w').close()",
      "os.environ['LEFT_BY_ENV_MD'] = '1'",
      "import builtins",
      "builtins.left_by_env_md = True",
    ),
    block(
      "",
      "['COLUMNS', 'HOME', 'LANG', 'PATH', 'PWD', 'PYTHONDONTWRITEBYTECODE', 'PYTHONHASHSEED', 'PYTHONIOENCODING', 'TMPDIR', 'TZ']",
      "True True []",
      "C.UTF-8 UTC 80 0 UTC",
      "'' True utf-8 backslashreplace Use exit() or Ctrl-D (i.e. EOF) to exit",
      "True True",
    ),
    block(
      "console",
      '$ test "$HOME" = "$PWD" && test "$TMPDIR" = "$PWD" && ls',
      "mine.txt",
      "$ env | cut -d= -f1 | grep -v '^_$' | sort | tr '\\n' ' '",
      "COLUMNS HOME LANG PATH PWD PYTHONDONTWRITEBYTECODE PYTHONHASHSEED PYTHONIOENCODING SHLVL TMPDIR TZ",
    ),
  ].join("\n"),
  // Verified after env.md by the same single worker (see ONE_WORKER): none of env.md's state is here.
  "env2.md": [
    block("python", "import os, builtins", "print(os.listdir('.'), 'LEFT_BY_ENV_MD' in os.environ, hasattr(builtins, 'left_by_env_md'))"),
    block("", "[] False False"),
  ].join("\n"),
  "crash.md": [block("python", "import os, signal", "os.kill(os.getpid(), signal.SIGKILL)"), block("python", "print('next')")].join("\n"),
  "hang.md": [
    block(
      "python timeout=1",
      "import signal",
      "signal.signal(signal.SIGALRM, signal.SIG_IGN)  # the block's own timer cannot stop it",
      "while True:",
      "    pass",
    ),
    block("python", "print('later')"),
  ].join("\n"),
};

function hashDir(dir: string): string {
  const h = createHash("sha256");
  for (const f of fs.readdirSync(dir).sort()) h.update(f).update(fs.readFileSync(path.join(dir, f)));
  return h.digest("hex");
}

/** This test's processes (descendants of this one) whose working directory is a verinotes sandbox: other test
 * files verify at the same time, and their sessions are not this test's business. */
function sandboxProcesses(): string[] {
  const parentOf = (p: string): string | undefined => {
    try {
      return fs.readFileSync(`/proc/${p}/stat`, "utf8").split(") ").pop()!.split(" ")[1];
    } catch {
      return undefined;
    }
  };
  const ours = (p: string): boolean => {
    for (let q: string | undefined = p, hops = 0; q && q !== "0" && hops < 64; q = parentOf(q), hops++) if (q === String(process.pid)) return true;
    return false;
  };
  const out: string[] = [];
  for (const p of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (fs.readlinkSync(`/proc/${p}/cwd`).includes("/verinotes-") && ours(p)) out.push(p);
    } catch {
      /* gone or not ours */
    }
  }
  return out;
}

/**
 * A transcript `$ :(){ :|:& };:` then `$ echo survived` / `survived`: the shell outlives its bomb and runs the next
 * command, whose output may hold the bomb's own "fork: retry" lines (the children still forking): then, and
 * only then, its claim differs. `neverRan`: the messages that say why it did not run, where that may happen.
 */
function expectShellSurvived(r: SnippetResult, neverRan?: RegExp): void {
  const lines = (r.actual?.at(-1)?.actual ?? "").split("\n");
  if (!lines.includes("survived") && neverRan) return void expect(r, JSON.stringify(r)).toMatchObject({ status: "failed", message: expect.stringMatching(neverRan) });
  expect(lines.filter((l) => l === "survived"), JSON.stringify(r)).toEqual(["survived"]);
  // the bomb's retries may land before or after it (seen after it in one run under load)
  const noise = lines.filter((l) => l !== "survived");
  expect(noise.filter((l) => !/: fork: (?:retry: )?Resource temporarily unavailable$/.test(l))).toEqual([]);
  expect(r.status).toBe(noise.length ? "failed" : "passed");
}

/** Notes verified one after the other by one worker, so that the second would see what the first left behind. */
const ONE_WORKER = ["env.md", "env2.md"];

describe("the sandbox", () => {
  let dir: string;
  let report: Report;
  let before: string;
  const get = (file: string, index: number): SnippetResult => report.snippets.find((s) => s.source === file && s.index === index)!;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vn-sandbox-test-"));
    for (const [name, text] of Object.entries(NOTES)) fs.writeFileSync(path.join(dir, name), text);
    before = hashDir(dir);
    const notes = Object.keys(NOTES).map((name) => ({ file: path.join(dir, name), text: fs.readFileSync(path.join(dir, name), "utf8") }));
    const byOne = notes.filter((n) => ONE_WORKER.includes(path.basename(n.file)));
    const [rest, inTurn] = await Promise.all([
      verifyNotes(notes.filter((n) => !byOne.includes(n)), { inputDir: dir, cacheDir: null, memoryMb: 1024 }),
      verifyNotes(byOne, { inputDir: dir, cacheDir: null, memoryMb: 1024, jobs: 1 }),
    ]);
    report = { ...rest, snippets: [...rest.snippets, ...inTurn.snippets], diagnostics: [...rest.diagnostics, ...inTurn.diagnostics] };
  }, 120_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("stops `while True: pass` at the block's limit; later blocks still get statuses", () => {
    expect(get("timeout.md", 1)).toMatchObject({ status: "warning", message: expect.stringMatching(/does not finish within 1 s/) });
    expect(get("timeout.md", 1).duration_ms).toBeLessThan(8000);
    expect(get("timeout.md", 2).status).toBe("passed");
    expect(get("timeout.md", 4)).toMatchObject({ status: "failed", message: expect.stringMatching(/timed out/) });
    expect(get("timeout.md", 5).status).toBe("passed");
  });

  it("kills a block that ignores its timer (watchdog), and says why later blocks did not run", () => {
    expect(get("hang.md", 1)).toMatchObject({ status: "warning", message: expect.stringMatching(/killed/) });
    expect(get("hang.md", 2)).toMatchObject({ status: "warning", message: expect.stringMatching(/not run: killed after the timeout of block 1/) });
  });

  it("looks for a transcript's files in the folder its shell is in", () => {
    expect(get("cd.md", 1)).toMatchObject({ status: "passed" });
  });

  it("cuts 100 MB of output at the cap", () => {
    const r = get("cap.md", 1);
    expect(r.status).toBe("failed");
    const actual = r.actual?.[0]?.actual ?? "";
    expect(actual).toContain("[output cut at 1048576 bytes");
    expect(actual.length).toBeLessThan(1_100_000);
  });

  it("refuses title=\"../../x.py\" with file and line", () => {
    expect(get("escape.md", 1)).toMatchObject({ status: "invalid", line: 7, message: expect.stringMatching(/\.\./) });
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ severity: "error", file: "escape.md", line: 7 }));
  });

  it("stops a python fork bomb at its timeout and goes on; a claim that could not run is failed", () => {
    expect(get("forkbomb.md", 1)).toMatchObject({ status: "warning", message: expect.stringMatching(/does not finish within 3 s/) });
    // While block 1's children still hold the session's processes, block 2's bash cannot start, and a claim that
    // never ran is failed (§5); once they are gone it runs like forkbomb-bash.md's. Never a warning.
    expectShellSurvived(get("forkbomb.md", 2), /^could not start a process \(Resource temporarily unavailable\): the session's process limit is full|not run: killed after the timeout of block 1/);
    // Block 3 needs no new process: it runs in the session's python, unless the watchdog ended the session.
    const later = get("forkbomb.md", 3);
    if (later.status === "passed") expect(later.message).toBe("output matches block 4");
    else expect(later).toMatchObject({ status: "failed", message: expect.stringMatching(/not run: killed after the timeout of block 1/) });
  });

  it("contains a bash fork bomb: the transcript goes on, and so does the session", () => {
    const bomb = get("forkbomb-bash.md", 1);
    expectShellSurvived(bomb);
    expect(get("forkbomb-bash.md", 2), JSON.stringify(get("forkbomb-bash.md", 2))).toMatchObject({ status: "passed", message: "output matches block 3" });
  });

  it("stops a memory hog with MemoryError (RLIMIT_AS) and goes on", () => {
    expect(get("memory.md", 1)).toMatchObject({ status: "warning", message: expect.stringMatching(/MemoryError/) });
    expect(get("memory.md", 2)).toMatchObject({ status: "warning", message: expect.stringMatching(/MemoryError/) });
    expect(get("memory.md", 3).status).toBe("passed");
  });

  it("gives each note a fresh folder as HOME, TMPDIR and working folder, and a cleared environment", () => {
    expect(get("env.md", 1)).toMatchObject({ status: "passed" });
    expect(get("env.md", 3), JSON.stringify(get("env.md", 3))).toMatchObject({ status: "passed" });
    expect(get("env2.md", 1)).toMatchObject({ status: "passed" });
  });

  it("survives a child that kills itself", () => {
    expect(get("crash.md", 1)).toMatchObject({ status: "warning", message: expect.stringMatching(/signal 9/) });
    expect(get("crash.md", 2)).toMatchObject({ status: "warning", message: expect.stringMatching(/not run/) });
  });

  it("has no network inside", () => {
    expect(report.environment?.sandbox).toMatch(/^bubblewrap:/);
    expect(get("network.md", 1)).toMatchObject({ status: "passed" });
  });

  it("leaves the notes byte-identical and nothing running", () => {
    expect(hashDir(dir)).toBe(before);
    expect(sandboxProcesses()).toEqual([]);
    expect(fs.readdirSync(os.tmpdir()).filter((f) => /^verinotes-\d+-[0-9a-f]{16}$/.test(f))).toEqual([]);
  });
});
