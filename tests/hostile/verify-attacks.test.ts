// Issue 12, acceptance: hostile notes against `npm run verify`, one attack per note for every bullet under
// "Why" that runs code (snippets-spec.md §5). Every note gets its canaries' real paths and values, so each
// attack is aimed, not guessed: files in the checkout (the folder verify runs from) and in HOME, a secret in
// verify's environment, descriptors verify inherited, a TCP server, a UDP port, a unix socket file and an
// abstract socket of this process, the cache and the report. One verify run covers most notes; the cache,
// the leftovers between sessions and the daemon need runs of their own (in parallel where they can be).
// The programs the notes run are in attack-programs.ts; this file sets up the canaries, runs verify and judges.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../plugins/snippets/types.ts";
import { projectRoot } from "../helpers/cli.ts";
import {
  Note,
  changed,
  describe as show,
  killLeftovers,
  nonce,
  processesWith,
  readReport,
  resultOf,
  runCli,
  snapshot,
  tcpCanaries,
  udpCanary,
  unixCanary,
  writeNotes,
  type CliRun,
  type Listener,
} from "../helpers/hostile.ts";
import {
  CACHE_REWRITE,
  DAEMON,
  DISK,
  FDS,
  FIFOS,
  FILES,
  FORK_BOMB,
  LEFTOVER_READER,
  LEFTOVER_WRITER,
  MEMORY_FORKS,
  MEMORY_MEMFD,
  MEMORY_NODE,
  MEMORY_SYSV,
  NET,
  PROC,
  forgeOwn,
} from "./attack-programs.ts";

const id = nonce();
const SECRET = `canary-secret-${id}`;
const MARKER = `vn-hostile-daemon-${id}`;
const BOMB = `vn-hostile-bomb-${id}`;
/** What the leftover writer leaves outside its session folder (named for this run: the old code left them in the host's /tmp). */
const LEFT_FILE = `/tmp/left-by-another-note-${id}`;
const FILL_FILE = `/tmp/fill-${id}`;
const SYSV_KEY = 0x5600_0000 + (parseInt(id.slice(0, 6), 16) % 0xff_ffff);
/** Attacks on the harness aim at this checkout's workers only (the old code would let them reach any run's). */
const WORKER = path.join(projectRoot, "plugins/snippets/runners/worker.py");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------

describe("hostile notes against npm run verify (issue 12)", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "verinotes-hostile-"));
  // HOME and the canary folder in the checkout are outside /tmp: what hides them is the sandbox's choice of
  // folders, not the private /tmp. Their bin/ folders are on PATH, as ~/.local/bin often is.
  const home = fs.mkdtempSync(path.join(fs.existsSync("/var/tmp") ? "/var/tmp" : os.tmpdir(), "verinotes-hostile-home-"));
  const checkout = path.join(projectRoot, `.hostile-canary-${id}`);
  const privateTmp = path.join(root, "tmpdir");
  const notesDir = path.join(root, "notes");
  const cacheDir = path.join(root, "cache");
  const reportDir = path.join(root, "report");
  const reportFile = path.join(reportDir, "verify.json");
  const ciLog = path.join(root, "ci.log");
  const secretInput = path.join(root, "secret-input.txt");
  const touched = path.join(root, "touched-by-daemon");
  const stale = [path.join(os.tmpdir(), `verinotes-${99_000 + (parseInt(id.slice(0, 4), 16) % 900)}-${id.slice(0, 8)}`), path.join(privateTmp, `verinotes-99999-${id}${id.slice(0, 4)}`)];
  const staleTargets = [path.join(root, "stale-target-8"), path.join(root, "stale-target-16")];
  const listeners: Listener[] = [];
  let tcp: Awaited<ReturnType<typeof tcpCanaries>>;
  let udp: Awaited<ReturnType<typeof udpCanary>>;
  let run: CliRun;
  let report: Report;
  let before: Map<string, string>;
  let staleBefore: Map<string, string>;
  let reportAtEnd: Map<string, string>;
  let daemonsAfter: string[] = [];
  let cacheRuns: { attack: CliRun; again: CliRun; victim: Report };
  let leftovers: { run: CliRun; report: Report };
  let neighbours: { run: CliRun; report: Report };
  const idx: Record<string, number> = {};

  // Canaries anybody may read and write (folders 0777, files 0666): only the sandbox can keep a block out,
  // not the session's own uid.
  const files = (dir: string, names: Record<string, string>) => {
    for (const [rel, text] of Object.entries(names)) {
      const file = path.join(dir, rel);
      for (let d = path.dirname(file); d.startsWith(dir); d = path.dirname(d)) {
        fs.mkdirSync(d, { recursive: true });
        fs.chmodSync(d, 0o777);
      }
      fs.writeFileSync(file, text);
      fs.chmodSync(file, 0o666);
    }
  };

  beforeAll(async () => {
    files(checkout, {
      "secret.txt": `checkout ${SECRET}\n`,
      ".git/config": `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${SECRET}\n`,
      "scripts/verify.ts": "// the next workflow step runs this with the full environment\n",
      "bin/hostile-checkout-tool": `#!/bin/sh\necho ${SECRET}\n`,
    });
    files(home, {
      "secret.txt": `home ${SECRET}\n`,
      ".gitconfig": "[user]\n\tname = canary\n",
      ".bashrc": "# canary\n",
      ".ssh/id_ed25519": `${SECRET}\n`,
      ".local/bin/hostile-home-tool": `#!/bin/sh\necho ${SECRET}\n`,
    });
    for (const d of [root, home, privateTmp, reportDir, cacheDir]) {
      fs.mkdirSync(d, { recursive: true });
      fs.chmodSync(d, 0o777);
    }
    files(root, { "ci.log": "ci log\n", "secret-input.txt": `${SECRET}\n` });
    for (const target of staleTargets) files(target, { "keep.txt": "must survive\n", "sub/keep.txt": "must survive\n" });

    tcp = await tcpCanaries();
    udp = await udpCanary();
    const unixFile = await unixCanary(path.join(root, "host.sock"));
    const unixHome = await unixCanary(path.join(home, "agent.sock"));
    const abstract = await unixCanary(`verinotes-hostile-${id}`, true);
    listeners.push(tcp, udp, unixFile, unixHome, abstract);

    const notes: Record<string, Note> = {};
    const add = (name: string, build: (n: Note) => void) => build((notes[name] = new Note(name)));
    const readable = [
      ...["secret.txt", ".git/config", ".git", "scripts/verify.ts", "bin/hostile-checkout-tool", ""].map((f) => path.join(checkout, f)),
      ...[".git/config", ".git", "package.json", "scripts/verify.ts", ""].map((f) => path.join(projectRoot, f)),
      ...["secret.txt", ".ssh/id_ed25519", ".local/bin/hostile-home-tool", ""].map((f) => path.join(home, f)),
      notesDir,
      path.join(notesDir, "files.md"),
      cacheDir,
      reportDir,
      privateTmp,
      root,
      secretInput,
    ];
    const appendable = [
      ...["secret.txt", ".git/config", "scripts/verify.ts", "bin/hostile-checkout-tool"].map((f) => path.join(checkout, f)),
      ...[".gitconfig", ".bashrc", ".local/bin/hostile-home-tool"].map((f) => path.join(home, f)),
      ciLog,
    ];
    const dirs = [checkout, path.join(checkout, ".git"), home, path.join(home, ".local/bin"), notesDir, cacheDir, reportDir, privateTmp, root];
    const way = [path.join(projectRoot, "plugins/snippets/runners")];
    add("files.md", (n) => (idx.files = n.python(FILES, { read: readable, append: appendable, dirs, way }, "[]")));
    add("fds.md", (n) => (idx.fds = n.python(FDS, { secret: SECRET }, "[]")));
    add("proc.md", (n) => (idx.proc = n.python(PROC, { secret: SECRET, worker: WORKER }, "[] []")));
    add("net.md", (n) => (idx.net = n.python(NET, { tcp: tcp.endpoints, udp: udp.port, unix: [path.join(root, "host.sock"), path.join(home, "agent.sock")], abstract: [`verinotes-hostile-${id}`] }, "[]")));
    add("daemon.md", (n) => (idx.daemon = n.python(DAEMON, { report: reportFile, touch: touched, marker: MARKER }, "daemon started")));
    // §5: a claim that never ran is failed, whatever stopped the session before it
    add("exit.md", (n) => {
      idx.exitFirst = n.block("python", "print('start')", "start");
      n.block("python", "import os\nos._exit(0)");
      idx.exitPy = n.block("python", "print(2 + 2)", "5");
      idx.exitRepl = n.block("python", ">>> 1 + 1\n3");
      idx.exitSh = n.block("console", "$ echo hi\nho");
    });
    // the same, by frames the block writes on its own result pipe
    add("forge-error.md", (n) => {
      n.block("python", forgeOwn("{'ev': 'step', 'i': 2, 'error': 'forged'}", false));
      idx.forgeError = n.block("python", "print(1 + 1)", "3");
    });
    add("forge-missing.md", (n) => {
      n.block("python", forgeOwn("{'ev': 'step', 'i': 2, 'missing': ['numpy']}", false));
      idx.forgeMissing = n.block("python", "print(1 + 1)", "3");
    });
    add("forge-no-sandbox.md", (n) => {
      n.block("python", forgeOwn("{'ev': 'fatal', 'error': 'not run: no sandbox (forged)'}", true));
      idx.forgeNoSandbox = n.block("python", "print(1 + 1)", "3");
    });
    add("fifo-attacker.md", (n) => (idx.fifoAttacker = n.python(FIFOS, { tmps: ["/tmp", os.tmpdir(), privateTmp], worker: WORKER }, "[]")));
    for (const k of [1, 2, 3]) add(`fifo-victim-${k}.md`, (n) => (idx.fifoVictim = n.block("python", "import time\ntime.sleep(1.5)\nprint(1 + 1)", "3")));
    add("cache-victim.md", (n) => (idx.cacheVictim = n.block("python", "print(1 + 1)", "3")));
    add("memory-forks.md", (n) => (idx.memForks = n.block("python timeout=30", MEMORY_FORKS, "8 processes held 160 MiB each")));
    add("memory-node.md", (n) => (idx.memNode = n.block("js timeout=30", MEMORY_NODE, "held 1280 MiB")));
    add("memory-memfd.md", (n) => (idx.memMemfd = n.block("python timeout=30", MEMORY_MEMFD, "held 1280 MiB in memfds")));
    add("memory-sysv.md", (n) => (idx.memSysv = n.block("python timeout=30", MEMORY_SYSV, "left 1280 MiB of SysV shared memory")));
    add("disk.md", (n) => (idx.disk = n.block("python timeout=60", DISK, "stopped before 1 GiB: True - No space left on device")));
    writeNotes(notesDir, notes);

    before = snapshot([checkout, home, notesDir, secretInput]); // the CI log: see the descriptors
    staleBefore = snapshot(staleTargets);
    const logFd = fs.openSync(ciLog, "a");
    const secretFd = fs.openSync(secretInput, "r");
    const env = {
      ...(process.env as Record<string, string>),
      PATH: `${path.join(home, ".local/bin")}:${path.join(checkout, "bin")}:${process.env.PATH}`,
      HOME: home,
      TMPDIR: privateTmp,
      GITHUB_TOKEN: SECRET,
      NPM_TOKEN: SECRET,
    };
    // stale-folder cleanup: links named like a dead worker's folder, pointing at folders that must stay full;
    // in the shared /tmp only while this run starts its workers (an old verify elsewhere on the machine would
    // follow it too)
    for (const [k, target] of staleTargets.entries()) fs.symlinkSync(target, stale[k]);
    try {
      run = await runCli("verify", ["--input", notesDir, "--json", reportFile, "--cache-dir", cacheDir, "--quiet"], { cwd: projectRoot, env, fds: [logFd, secretFd] });
    } finally {
      fs.closeSync(logFd);
      fs.closeSync(secretFd);
      for (const link of stale) fs.rmSync(link, { force: true });
    }
    report = readReport(reportFile);
    reportAtEnd = snapshot([reportFile]);

    // While a daemon would wait its turn: the cache attack (a second note rewrites every entry, then the
    // victim is verified again from the cache) and the leftovers between sessions of one worker.
    const cacheAttack = async () => {
      const attackDir = path.join(root, "cache-attack");
      const againDir = path.join(root, "cache-again");
      const attacker = new Note("cache-attacker");
      idx.cacheAttacker = attacker.python(CACHE_REWRITE, { caches: [cacheDir] }, "[]");
      writeNotes(attackDir, { "cache-attacker.md": attacker });
      writeNotes(againDir, { "cache-victim.md": notes["cache-victim.md"] });
      const attack = await runCli("verify", ["--input", attackDir, "--json", path.join(root, "cache-attack.json"), "--cache-dir", cacheDir, "--quiet"], { cwd: projectRoot, env });
      const again = await runCli("verify", ["--input", againDir, "--json", path.join(root, "cache-again.json"), "--cache-dir", cacheDir, "--quiet"], { cwd: projectRoot, env });
      cacheRuns = { attack, again, victim: readReport(path.join(root, "cache-again.json")) };
    };
    const leftoverRun = async () => {
      // One worker, sessions one after the other; run from a checkout-like folder (its default cache inside).
      const cwd = path.join(root, "checkout-like");
      files(cwd, { "package.json": "{}\n", ".git/config": `[core]\n# ${SECRET}\n` });
      const dir = path.join(root, "leftover-notes");
      const writer = new Note("leftover-writer");
      writer.python(LEFTOVER_WRITER, { planted: LEFT_FILE, fill: FILL_FILE, key: SYSV_KEY });
      const reader = () => {
        const n = new Note("leftover-reader");
        idx.reader = n.block("python timeout=30", LEFTOVER_READER, "[]\n0\nwrote 64 MiB in my own folder");
        return n;
      };
      // verify starts the first note last (it yields before it): readers before and after the writer
      writeNotes(dir, { "l0-reader.md": reader(), "l1-writer.md": writer, "l2-reader.md": reader(), "l3-reader.md": reader(), "l4-reader.md": reader() });
      const json = path.join(root, "leftovers.json");
      const r = await runCli("verify", ["--input", dir, "--json", json, "--jobs", "1", "--quiet"], { cwd, env });
      leftovers = { run: r, report: readReport(json) };
    };
    const neighbourRun = async () => {
      // Two verify runs at once on one machine (CI shards, a build beside a verify): a note of one that
      // takes every process it may must not starve the other's sessions.
      const bombDir = path.join(root, "bomb-notes");
      const neighbourDir = path.join(root, "neighbour-notes");
      const bomb = new Note("bomb");
      bomb.python(FORK_BOMB, { marker: BOMB });
      const neighbour = new Note("neighbour");
      idx.neighbour = neighbour.block("python", "print(6 * 7)", "42");
      writeNotes(bombDir, { "bomb.md": bomb });
      writeNotes(neighbourDir, { "neighbour.md": neighbour });
      const json = path.join(root, "neighbour.json");
      const bombing = runCli("verify", ["--input", bombDir, "--no-cache", "--jobs", "1", "--quiet"], { cwd: projectRoot, env });
      // once the bomb holds its processes (at most 20 s)
      for (let t = 0; t < 100 && processesWith(BOMB).length < 100; t++) await sleep(200);
      const r = await runCli("verify", ["--input", neighbourDir, "--json", json, "--no-cache", "--jobs", "1", "--quiet"], { cwd: projectRoot, env });
      await bombing;
      neighbours = { run: r, report: readReport(json) };
    };
    await Promise.all([Promise.all([cacheAttack(), leftoverRun()]).then(neighbourRun), sleep(5000)]);
    await sleep(Math.max(0, run.endedAt + 5000 - Date.now()));
    daemonsAfter = processesWith(MARKER);
  }, 170_000);

  afterAll(async () => {
    killLeftovers(MARKER); // only the old, unsandboxed code leaves any
    killLeftovers(BOMB);
    for (const f of [LEFT_FILE, FILL_FILE]) fs.rmSync(f, { force: true });
    spawnSync("ipcrm", ["-M", String(SYSV_KEY)], { stdio: "ignore" });
    await Promise.all(listeners.map((l) => l.close()));
    for (const link of stale) fs.rmSync(link, { force: true });
    fs.rmSync(checkout, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("ran sandboxed, and the false claims made verify fail", () => {
    expect(run.stderr).not.toMatch(/no note code was run/);
    expect(report.environment?.sandbox).toMatch(/^bubblewrap/);
    expect(run.status).toBe(1);
  });

  it("a block cannot read, list, append to or create files in the checkout, HOME, the notes, the cache or the report's folder", () => {
    const r = resultOf(report, "files.md", idx.files);
    expect(r.status, show(r)).toBe("passed");
    expect(changed(before)).toEqual([]);
    const planted = [checkout, home, notesDir, cacheDir, reportDir, privateTmp, root].filter((d) => fs.existsSync(path.join(d, "pwned-by-note")));
    expect(planted).toEqual([]);
  });

  it("a block cannot read or write the descriptors verify inherited (a CI log, a secret)", () => {
    const r = resultOf(report, "fds.md", idx.fds);
    expect(fs.readFileSync(ciLog, "utf8"), show(r)).not.toContain("PWNED");
    expect(r.status, show(r)).toBe("passed");
  });

  it("no visible process gives away the secret in verify's environment, and the harness cannot be ptraced", () => {
    const r = resultOf(report, "proc.md", idx.proc);
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(r.status, show(r)).toBe("passed");
  });

  it("no network: the TCP servers, the UDP port, the unix socket file, the abstract socket and DNS are out of reach", async () => {
    await sleep(100); // connections still in this process's event queue
    const r = resultOf(report, "net.md", idx.net);
    expect(listeners.flatMap((l) => l.hits)).toEqual([]);
    expect(r.status, show(r)).toBe("passed");
  });

  it("a setsid double-fork daemon does not outlive verify and cannot rewrite the report", () => {
    expect(resultOf(report, "daemon.md", idx.daemon).status).toBe("passed"); // it did start its daemon
    expect(daemonsAfter).toEqual([]);
    expect(changed(reportAtEnd)).toEqual([]);
    expect(fs.existsSync(touched)).toBe(false);
  });

  it("os._exit(0) before false claims leaves them failed, not warnings", () => {
    expect(resultOf(report, "exit.md", idx.exitFirst).status).toBe("passed");
    for (const i of [idx.exitPy, idx.exitRepl, idx.exitSh]) {
      const r = resultOf(report, "exit.md", i);
      expect(r.status, show(r)).toBe("failed");
    }
  });

  it("frames a block writes on its own result pipe cannot turn a later false claim into a warning, missing-deps or not-run", () => {
    const got = [
      resultOf(report, "forge-error.md", idx.forgeError),
      resultOf(report, "forge-missing.md", idx.forgeMissing),
      resultOf(report, "forge-no-sandbox.md", idx.forgeNoSandbox),
    ].map((r) => `${r.source}: ${r.status} (${r.message})`);
    expect(got.filter((g) => !/: failed \(/.test(g))).toEqual([]);
  });

  it("result frames written into other sessions' pipes under /tmp/verinotes-* do not reach them", () => {
    const attacker = resultOf(report, "fifo-attacker.md", idx.fifoAttacker);
    for (const k of [1, 2, 3]) {
      const r = resultOf(report, `fifo-victim-${k}.md`, idx.fifoVictim);
      expect(r.status, show(r)).toBe("failed");
      expect(r.message).not.toMatch(/forged/);
    }
    expect(attacker.status, show(attacker)).toBe("passed");
  });

  it("a note that rewrites the cache cannot turn another note's failed claim into a passed one on the next run", () => {
    const attacker = readReport(path.join(root, "cache-attack.json"));
    const a = resultOf(attacker, "cache-attacker.md", idx.cacheAttacker);
    expect(resultOf(report, "cache-victim.md", idx.cacheVictim).status).toBe("failed");
    const again = resultOf(cacheRuns.victim, "cache-victim.md", idx.cacheVictim);
    expect(again.status, show(again)).toBe("failed");
    expect(cacheRuns.again.status).toBe(1);
    expect(fs.existsSync(path.join(cacheDir, "pwned-by-note.json"))).toBe(false);
    expect(a.status, show(a)).toBe("passed");
  });

  it("the stale-folder cleanup never follows a planted /tmp/verinotes-<dead pid>-<hex> link", () => {
    expect(changed(staleBefore)).toEqual([]);
    for (const t of staleTargets) expect(fs.readdirSync(t).sort()).toEqual(["keep.txt", "sub"]);
  });

  it.each([
    ["memory is limited per session, not per process: 8 processes of 160 MiB are stopped at 1 GiB", "memory-forks.md", "memForks"],
    ["a node block is held to the same memory limit", "memory-node.md", "memNode"],
    ["memory held in memfds (written, never mapped) counts against the session's limit", "memory-memfd.md", "memMemfd"],
  ])("%s", (_title, note, block) => {
    const r = resultOf(report, note, idx[block]);
    expect(r.status, show(r)).toBe("failed");
    expect(r.message).toMatch(/memory limit/);
  });

  it("SysV shared memory a session creates and detaches counts against its limit", () => {
    // the session's own IPC namespace holds at most its memory limit (1,024 MiB): the fifth segment is refused,
    // or the session is stopped at its memory limit
    const r = resultOf(report, "memory-sysv.md", idx.memSysv);
    expect(r.status, show(r)).toBe("failed");
    expect(`${r.message}\n${r.diff ?? ""}`).toMatch(/memory limit|\+left (0|256|512|768|1024) MiB of SysV shared memory/);
  });

  it("disk is limited per session: a block writing 1 GiB in 100 MiB files runs out of space well before", () => {
    const r = resultOf(report, "disk.md", idx.disk);
    expect(r.status, show(r)).toBe("passed");
  });

  it("nothing a session leaves in /tmp or SysV IPC reaches the next session of the same worker, nor eats its disk", () => {
    const rows = leftovers.report.snippets.filter((s) => /reader/.test(s.source) && s.index === idx.reader);
    expect(rows.length).toBe(4);
    expect(rows.filter((r) => r.status !== "passed").map(show)).toEqual([]);
    expect(leftovers.report.environment?.sandbox).toMatch(/^bubblewrap/);
  });

  it("a note that takes every process it may does not starve the sessions of another verify running beside it", () => {
    const r = resultOf(neighbours.report, "neighbour.md", idx.neighbour);
    expect(r.status, show(r)).toBe("passed");
  });
});
