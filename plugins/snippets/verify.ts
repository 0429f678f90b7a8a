// Verifies the snippets of notes (§3–§7): plan, run in the warm python workers (in parallel, one per
// core), judge, cache. Values in, a Report out; nothing is printed here.
import { hash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cacheKey, cacheKeyer, createFsCache, createMemoryCache, type ResultCache } from "./cache.ts";
import {
  joinDigests,
  lostRows,
  noteRecord,
  resultOfRecord,
  rowsDigest,
  withLazyRows,
  type NoteResult,
  type ReportDigest,
  type RunRecord,
} from "./lazy-rows.ts";
import type { Verdict } from "./decide.ts";
import { resolveOptions, type BodyParser, type VerifyOptions } from "./options.ts";
import type { NotePlan, PlanOptions } from "./plan.ts";
import { WORKER_PATH, createPythonPool, sandboxPlanOf, type PoolOptions, type PythonInfo, type PythonPool } from "./runners/python-pool.ts";
import { probePythonRemembered } from "./runners/known-python.ts";
import { PCH_MOUNT, SANDBOX_HELP, hiddenDirs, probeSandbox } from "./runners/sandbox.ts";
import { NO_PROCESS, type SessionJob, type StepRaw } from "./runners/protocol.ts";
import { codeDigest } from "../hexo/code-digest.ts";
import type { CxxBlock } from "./runners/cxx/unit.ts";
import type { StaticVerdict } from "./runners/static.ts";
import { loadTypeStripper, typescriptVersion, type TypeStripper } from "./runners/strip-types.ts";
import {
  VERIFIER_VERSION,
  emptySummary,
  type Environment,
  type Report,
  type Snippet,
  type SnippetDiagnostic,
  type SnippetResult,
  type Status,
} from "./types.ts";

export interface NoteInput {
  /** Path of the note (absolute or relative to the working directory). */
  file: string;
  /** The note's text; or, for a note the caller knows by `digest`, what reads it (called only when the cache misses). */
  text: string | (() => string);
  /** noteDigest of the text, when the caller knows it without reading the note (scripts/note-index.ts). */
  digest?: string;
}

export type { NoteResult };

/** Failures of the verifier itself, and blocks that found the session's process limit full (that depends on when an
 * earlier block's processes end): never cached. */
const INFRA = new RegExp(["verifier error", "worker died", "worker error", "pool is closed", "no result from the verifier", "cannot run python", "no sandbox", NO_PROCESS].join("|"));

/** A note's result is kept unless the verifier itself failed on one of its snippets (then it runs again next time). */
const cacheableResult = (r: NoteResult): boolean => r.snippets.every((s) => !INFRA.test(s.message));

/** A fence or codeblock tag that may be TypeScript (```ts, ```app.ts, lang:ts): a quick look before parsing. */
const TS_FENCE = /(?:`{3,}|~{3,}|lang:)[^\n`]*\b(?:ts|mts|cts|typescript)\b/i;

/**
 * What a note's cache key takes from its text: the text's SHA-256, and whether it may hold TypeScript (then what
 * strips types is part of the key). A caller that knows a note unchanged since it last read it (a stat index) hands
 * this in, and the note is neither read nor hashed.
 */
export function noteDigest(text: string): string {
  return `${TS_FENCE.test(text) ? "ts " : ""}${hash("sha256", text, "hex")}`;
}

/**
 * The checks of JSON, YAML, C and C++ blocks, imported at the first note that is not in the cache: js-yaml and the
 * C/C++ reader were a good part of the modules a warm run loaded and never used.
 */
const staticChecks = () => import("./runners/static.ts");
/** Planning and judging a note, likewise imported at the first note that is not in the cache. */
const planning = async () => {
  const [plan, decide, rows] = await Promise.all([import("./plan.ts"), import("./decide.ts"), import("./assemble.ts")]);
  return { planNote: plan.planNote, judgeStep: decide.judgeStep, assemble: rows.assemble };
};
const cxxChecks = async () => {
  const [compiler, diagnostics, pch, unit] = await Promise.all([
    import("./runners/cxx/compiler.ts"),
    import("./runners/cxx/diagnostics.ts"),
    import("./runners/cxx/pch.ts"),
    import("./runners/cxx/unit.ts"),
  ]);
  return { compilerArgs: compiler.compilerArgs, judgeCxx: diagnostics.judgeCxx, ensurePch: pch.ensurePch, cxxUnits: unit.cxxUnits };
};

/** Node strips TypeScript types itself (node ≥ 22.6). */
export function nodeStripsTypes(): boolean {
  const [maj, min] = process.versions.node.split(".").map(Number);
  return maj > 22 || (maj === 22 && min >= 6);
}

/** A word for bash, quoted. */
function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'"'"'`)}'`;
}

/** The last run of a set of notes, as a verifier's cache kept it (cachedRun). */
export interface CachedRun {
  /** When kept for these very notes: their names, what their rows say together, and what makes their results. */
  found?: { sources: string[]; digest: ReportDigest; diagnostics: SnippetDiagnostic[]; results(): NoteResult[] };
  /** Keeps what the notes' results say together for the next run of them, if every one of them is in the cache. */
  keep(digest: ReportDigest, diagnostics: SnippetDiagnostic[]): void;
}

export interface Verifier {
  /** Resolves once cachedNote can answer: the interpreter, part of every key, is probed. */
  whenReady(): Promise<void>;
  /** The note's result when the cache holds it, at once (nothing runs); undefined on a miss, and before whenReady. */
  cachedNote(note: NoteInput): NoteResult | undefined;
  /** What the last run of these notes said, when its result are all cached; call it after whenReady. */
  cachedRun(notes: NoteInput[]): CachedRun;
  /** Verifies one note from its text (front matter split and parsed with the configured parser). */
  verifyNote(note: NoteInput): Promise<NoteResult>;
  /** Verifies snippets already extracted from the page's own parse. */
  verifySnippets(file: string, snippets: Snippet[]): Promise<NoteResult>;
  environment(): Environment;
  /** Cache hits and misses (notes, sessions, static checks), and the sessions that actually ran. */
  stats(): { hits: number; misses: number; sessionsRun: number };
  /** Why note code could not run (no sandbox), or null. */
  sandboxError(): string | null;
  /** Stops the python workers (the process can exit); the verifier can still be used, and starts new ones. */
  close(): Promise<void>;
}

/** A verifier that keeps its python workers warm between notes (the site uses one per build). */
export function createVerifier(options: Partial<VerifyOptions> = {}): Verifier {
  const opts = resolveOptions(options);
  let py: PythonInfo | null = null;
  let pyError = "";
  let fingerprint = "";
  let probed = false;
  const ready = probePythonRemembered(opts.python, opts.cacheDir).then((found) => {
    py = "error" in found ? null : found;
    pyError = "error" in found ? found.error : "";
    fingerprint = py ? `${py.executable}|${py.version}|${py.fingerprint}|node ${process.version}` : `no python|node ${process.version}`;
    probed = true;
  });
  // the code that produced a cached result, not a version to bump by hand: what the workers run (a session's raw
  // result) and everything that judges it (a note's verdicts)
  const judgeCode = codeDigest([path.dirname(path.dirname(WORKER_PATH))]);
  // sessions' raw results and notes' verdicts in packs of their own code's generation: a change to the judge keeps
  // the sessions' results, and the packs of code no longer run are removed rather than read at every run
  const cacheOf = (generation: string): ResultCache => (opts.cacheDir ? createFsCache(opts.cacheDir, { generation }) : createMemoryCache());
  // the workers' code and the sessions' cache: at the first session to run, which a warm run has none of (hashing the
  // runners' files a second time, besides judgeCode, was 1-3 ms of it)
  let sessions: { runnerCode: string; cache: ResultCache } | undefined;
  const sessionsOf = () => {
    if (sessions) return sessions;
    const runnerCode = codeDigest([path.dirname(WORKER_PATH)]);
    return (sessions = { runnerCode, cache: cacheOf(`session-${runnerCode.slice(0, 16)}`) });
  };
  const noteCache = cacheOf(`note-${judgeCode.slice(0, 16)}`);
  // the rows of the notes' records (lazy-rows.ts), in packs of their own: read only when a row is asked for
  const rowsCache = cacheOf(`rows-${judgeCode.slice(0, 16)}`);
  // what the last run of the notes below the input folder said together (RunRecord), by the folder
  const runCache = cacheOf(`run-${judgeCode.slice(0, 16)}`);
  const runKey = cacheKey(VERIFIER_VERSION, "run", opts.inputDir);
  const optionKey = [opts.timeout, opts.noteTimeout, opts.outputCap, opts.memoryMb, opts.maxProcesses, opts.sandbox, opts.diskMb, opts.compileC, opts.imports];
  // For a note with a ts block: what removes the types where node cannot, so that installing or upgrading
  // typescript re-verifies those notes (and no other).
  const nodeStrips = nodeStripsTypes();
  let tsKey: unknown[] | undefined;
  const tsOptionKey = () => (tsKey ??= [...optionKey, nodeStrips ? "node" : typescriptVersion()]);
  let pool: PythonPool | null = null;
  const hidden = hiddenDirs([opts.inputDir, opts.cacheDir, ...opts.hide]);
  // the precompiled C/C++ headers: built once (only system headers, outside the sandbox), shown to it read-only
  // with no cache folder, a private one for this verifier (never a fixed path in the shared temporary folder)
  let privatePch: string | undefined;
  const pchDirOf = (): string => (opts.cacheDir ? path.resolve(opts.cacheDir, "cxx-pch") : (privatePch ??= fs.mkdtempSync(path.join(os.tmpdir(), "verinotes-pch-"))));
  const pchs = new Map<string, Promise<{ include: string; dir: string } | null>>();
  const home = process.env.HOME || "/root";
  /** Whether note code may run here (§5: only sandboxed, unless the user said --no-sandbox); probed at the first session. */
  let sandboxCheck: Promise<string | null> | null = null;
  let sandboxError: string | null = null;
  const sandboxReady = (py: PythonInfo): Promise<string | null> =>
    (sandboxCheck ??=
      opts.sandbox === "none"
        ? Promise.resolve(null)
        : probeSandbox(sandboxPlanOf(poolOptions(py))).then((r) => (sandboxError = r.ok ? null : r.why)));
  /** What the pool of workers is made of (and the probe tries). */
  const poolOptions = (py: PythonInfo): PoolOptions => {
    const pchDir = pchDirOf();
    fs.mkdirSync(pchDir, { recursive: true }); // bound into the sandbox when a worker starts: it must exist by then
    fs.chmodSync(pchDir, 0o755); // read by the session's unprivileged user
    return {
      executable: py.executable,
      sysPath: py.sysPath,
      size: opts.jobs,
      maxProcesses: opts.maxProcesses,
      sandbox: opts.sandbox,
      hidden,
      home,
      tmpBytes: opts.diskMb << 20,
      memoryBytes: opts.memoryMb * (1 << 20),
      readOnly: [{ host: pchDir, inside: PCH_MOUNT }],
    };
  };
  let parser: Promise<BodyParser> | null = null;
  const getParser = (): Promise<BodyParser> => (parser ??= opts.loadParser ? opts.loadParser() : Promise.resolve(opts.parse));
  const pyInfo = async (): Promise<PythonInfo | null> => {
    await ready;
    return py;
  };
  let compilers: { c?: string; cpp?: string } | null = null;
  let compilersProbed: Promise<{ c?: string; cpp?: string }> | null = null;
  const probedInfo = (): PythonInfo | null => py;
  let hits = 0;
  let misses = 0;
  let sessionsRun = 0;
  /** Results of verifySnippets by note and snippets (never changed once made); kept from one run to the next. */
  const verified = new Map<string, NoteResult>();
  const verifiedUsed = new Set<string>();

  let stripper: Promise<TypeStripper | null> | null = null;
  /** The plan's options; typescript is loaded only for a note with a ts block that node cannot run itself. */
  const planOpts = async (snippets: Snippet[]): Promise<PlanOptions> => {
    compilers ??= await (compilersProbed ??= opts.compileC ? staticChecks().then((m) => m.probeCompilers()) : Promise.resolve({}));
    const stripTypes = !nodeStrips && snippets.some((s) => s.lang === "typescript") ? ((await (stripper ??= loadTypeStripper())) ?? undefined) : undefined;
    return {
      timeout: opts.timeout,
      noteTimeout: opts.noteTimeout,
      memoryMb: opts.memoryMb,
      outputCap: opts.outputCap,
      nodeStripsTypes: nodeStrips,
      stripTypes,
      compilers,
      imports: opts.imports,
    };
  };

  // a note below the input folder, as notesOfSite names them (`<inputDir>/<rel>`), is named without path.resolve
  const inputPrefix = opts.inputDir && path.sep === "/" ? `${path.normalize(opts.inputDir).replace(/\/+$/, "")}/` : undefined;
  const relative = (file: string) => {
    if (inputPrefix && file.startsWith(inputPrefix) && !/(^|\/)\.{0,2}(\/|$)/.test(file.slice(inputPrefix.length))) return file.slice(inputPrefix.length);
    const rel = path.isAbsolute(file) || opts.inputDir ? path.relative(opts.inputDir, path.resolve(file)) : file;
    return rel.split(path.sep).join("/");
  };

  async function runSession(job: SessionJob): Promise<StepRaw[]> {
    const py = await pyInfo();
    // what ran unsandboxed (--no-sandbox) is never an answer for a sandboxed run, nor the other way round
    const { runnerCode, cache: sessionCache } = sessionsOf();
    const key = cacheKey(VERIFIER_VERSION, runnerCode, "session", fingerprint, opts.sandbox, job);
    const hit = sessionCache.get<StepRaw[]>(key);
    if (hit) {
      hits++;
      return hit;
    }
    misses++;
    if (!py) return job.steps.map((s) => ({ i: s.i, killed: pyError }));
    const noSandbox = await sandboxReady(py);
    if (noSandbox) return job.steps.map((s) => ({ i: s.i, killed: `not run: no sandbox (${noSandbox})` }));
    pool ??= createPythonPool(poolOptions(py));
    sessionsRun++;
    const raws = await pool.run(job);
    sandboxError ??= pool.sandboxError();
    // a worker that died or a harness error is the verifier's trouble, not the block's: run those again next time
    // (timeouts are cached: a block that serves forever would otherwise cost its timeout on every run)
    if (!raws.some((r) => r.error || (r.killed && INFRA.test(r.killed)))) sessionCache.set(key, raws);
    return raws;
  }

  /**
   * A note's C and C++ blocks (§4b): as few compiler runs as the notes allow (all C++ blocks in one unit), with one
   * precompiled header, run inside the note's sandbox like any of its code (an `#include "/etc/…"` must not leak).
   */
  async function runCxx(blocks: CxxBlock[]): Promise<Map<number, Verdict>> {
    const { compilerArgs, judgeCxx, ensurePch, cxxUnits } = await cxxChecks();
    const out = new Map<number, Verdict>();
    for (const unit of cxxUnits(blocks)) {
      const cc = unit.lang === "c" ? compilers?.c : compilers?.cpp;
      if (!cc) {
        for (const i of unit.blocks) out.set(i, { status: "extracted", message: `no ${unit.lang === "c" ? "gcc" : "g++"} here to check it`, duration_ms: 0 });
        continue;
      }
      const key = `${unit.lang} ${cc}`;
      const pchDir = pchDirOf();
      if (!pchs.has(key)) pchs.set(key, ensurePch(unit.lang, cc, pchDir));
      const built = (await pchs.get(key)) ?? undefined;
      // sandboxed, the sandbox shows the header's folder at PCH_MOUNT
      const pch = built && opts.sandbox === "bwrap" ? { include: path.join(PCH_MOUNT, path.relative(pchDir, built.include)) } : built;
      const argv = compilerArgs(unit, cc, pch);
      const job: SessionJob = {
        limits: { noteTimeout: 120, memoryMb: opts.memoryMb, outputCap: opts.outputCap, cpuSeconds: 130 },
        files: [{ name: unit.file, text: unit.text }],
        steps: [{ op: "script", i: unit.blocks[0], lang: "shell", code: `${argv.map(shellQuote).join(" ")} 2>&1\n`, timeout: 90 }],
      };
      const [raw] = await runSession(job);
      if (raw?.killed || raw?.error) {
        const why = raw.killed ?? `verifier error: ${raw.error}`;
        for (const i of unit.blocks) out.set(i, { status: why.startsWith("not run: no sandbox") ? "extracted" : "warning", message: why, duration_ms: 0 });
        continue;
      }
      const ms = Math.round((raw?.ms ?? 0) / unit.blocks.length);
      for (const [i, v] of judgeCxx(unit, raw?.output ?? "", raw?.exit ?? -1)) {
        out.set(i, {
          status: v.compilerFailure ? "warning" : v.status,
          message: v.message,
          ...(v.missing ? { missing: v.missing } : {}),
          duration_ms: ms,
        });
      }
    }
    return out;
  }

  async function runStatic(kind: "json" | "yaml", text: string): Promise<StaticVerdict> {
    const { checkJson, checkYaml } = await staticChecks();
    return kind === "json" ? checkJson(text) : checkYaml(text);
  }

  async function verifyPlanned(source: string, plan: NotePlan): Promise<NoteResult> {
    const { judgeStep, assemble } = await planning();
    const verdicts = new Map<number, Verdict>();
    const work: Promise<void>[] = [];
    for (const sp of plan.sessions) {
      work.push(
        runSession(sp.job).then((raws) => {
          const byIndex = new Map(raws.map((r) => [r.i, r]));
          for (const st of sp.steps) verdicts.set(st.snippet.index, judgeStep(st, byIndex.get(st.snippet.index)));
        }),
      );
    }
    const cxx: CxxBlock[] = [];
    for (const sc of plan.statics) {
      if (sc.kind === "c" || sc.kind === "cpp") {
        cxx.push({ index: sc.index, lang: sc.kind, text: sc.text });
        continue;
      }
      work.push(
        runStatic(sc.kind, sc.text).then((r) => {
          verdicts.set(sc.index, { status: r.status, message: r.message, missing: r.missing, duration_ms: r.ms });
        }),
      );
    }
    if (cxx.length) work.push(runCxx(cxx).then((m) => m.forEach((v, i) => verdicts.set(i, v))));
    await Promise.all(work);
    return { source, snippets: assemble(source, plan, verdicts), diagnostics: plan.diagnostics.map((d) => ({ ...d, file: source })) };
  }

  function describeSandbox(): string {
    if (opts.sandbox === "none") return "NOT SANDBOXED: --no-sandbox was given, the notes' code ran with the user's rights and network";
    if (sandboxError) return `unavailable, no note code ran: ${sandboxError}; ${SANDBOX_HELP}`;
    if (!sandboxCheck) return "bubblewrap (not started: every result came from the cache)";
    return `bubblewrap: a worker per core with only the system and interpreters visible and no network; each session in its own PID, mount and IPC namespaces with a tmpfs /tmp of ${opts.diskMb} MiB, as an unprivileged user with no capabilities`;
  }

  /**
   * A note's key from its digest: what every note's key holds (the code, the interpreter, the options; known once the
   * interpreter is, after `ready`), hashed once, then the digest itself (a hash a note was 2% of a warm run).
   */
  let noteKeyHeads: { plain: string; ts?: string } | null = null;
  const noteKeyOf = (digest: string): string => {
    const head = (noteKeyHeads ??= { plain: cacheKey(VERIFIER_VERSION, judgeCode, "note", fingerprint, opts.parserId, optionKey) });
    if (!digest.startsWith("ts ")) return `${head.plain}.${digest}`;
    return `${(head.ts ??= cacheKey(VERIFIER_VERSION, judgeCode, "note", fingerprint, opts.parserId, tsOptionKey()))}.${digest.slice(3)}`;
  };
  /** The note's key, and its result when the cache holds it; `read` reads the note when its caller gave no digest. */
  const lookUp = (note: NoteInput, read: () => string): { key: string; hit?: NoteResult } => {
    const key = noteKeyOf(note.digest ?? noteDigest(read()));
    const head = noteCache.getText(key);
    const hit = head === undefined ? undefined : resultOfRecord(head, () => rowsCache.getText(key), relative(note.file));
    if (hit) {
      hits++;
      answered.add(key);
    }
    return { key, hit };
  };
  const reader = (note: NoteInput) => {
    let text = typeof note.text === "string" ? note.text : undefined;
    return (): string => (text ??= (note.text as () => string)());
  };
  /** The keys this run found or kept a note's result under: a run is kept only when they are all its notes' keys. */
  const answered = new Set<string>();
  let snippetsKey: ((...rest: unknown[]) => string) | null = null;
  const verifier: Verifier = {
    whenReady: () => ready,
    cachedNote(note) {
      return probed ? lookUp(note, reader(note)).hit : undefined;
    },
    cachedRun(notes) {
      if (!probed) return { keep: () => {} };
      const sources = notes.map((n) => relative(n.file));
      const keys = notes.map((n) => noteKeyOf(n.digest ?? noteDigest(reader(n)())));
      const set = hash("sha256", `${keys.join("\n")}\0${sources.join("\n")}`, "hex");
      const keep = (digest: ReportDigest, diagnostics: SnippetDiagnostic[]) => {
        // not when a note's result is not cached (the verifier failed on it: it runs again next time), nor when it is
        // kept under another key than the one the run began with (the note changed as it was read)
        if (keys.every((k) => answered.has(k))) runCache.set(runKey, { set, ...digest, diagnostics } satisfies RunRecord);
      };
      const kept = runCache.get<RunRecord>(runKey);
      if (kept?.set !== set || !Array.isArray(kept.listed) || !Array.isArray(kept.diagnostics)) return { keep };
      hits += notes.length;
      for (const s of kept.listed) s.cached = true;
      const { set: _, diagnostics, ...digest } = kept;
      const results = () =>
        keys
          .map((key, k) => {
            const head = noteCache.getText(key);
            const result = head === undefined ? undefined : resultOfRecord(head, () => rowsCache.getText(key), sources[k]);
            if (!result) throw lostRows(sources[k]);
            return result;
          })
          .sort(bySource);
      return { found: { sources, digest, diagnostics, results }, keep };
    },
    async verifyNote(note) {
      await ready;
      const read = reader(note);
      const found = lookUp(note, read);
      if (found.hit) return found.hit;
      let key = found.key;
      const source = relative(note.file);
      // a digest handed in says what the note was when its caller looked; the result is kept under what it is now
      if (note.digest !== undefined) key = noteKeyOf(noteDigest(read()));
      const { body, bodyLine } = opts.splitFrontMatter(read());
      const parse = await getParser();
      const { extractSnippets } = await import("./extract.ts");
      const snippets = extractSnippets(parse(body), { file: source, bodyLine });
      const { planNote } = await planning();
      const result = await verifyPlanned(source, planNote(snippets, await planOpts(snippets)));
      if (cacheableResult(result)) {
        const record = noteRecord(result);
        rowsCache.setText(key, record.rows); // first: a head is never on disk before its rows (they are flushed in this order too)
        noteCache.setText(key, record.head);
        answered.add(key);
      }
      return result;
    },
    async verifySnippets(file, snippets) {
      await ready;
      const source = relative(file);
      // A build with the caches kept (CI) finds the note's verdicts under its snippets, as verifyNote does under its
      // text: planning and judging every note again from its sessions' results cost 0.8 s of 1,000 notes (issue 16).
      // The same key keeps them in memory for the next build of this verifier (`npm start`).
      snippetsKey ??= cacheKeyer(VERIFIER_VERSION, judgeCode, "snippets", fingerprint, opts.parserId);
      const key = snippetsKey(snippets.some((s) => s.lang === "typescript") ? tsOptionKey() : optionKey, source, snippets);
      verifiedUsed.add(key);
      const known = verified.get(key);
      if (known) return known;
      const hit = noteCache.get<NoteResult>(key);
      if (hit) {
        hits++;
        for (const s of hit.snippets) s.cached = true;
        verified.set(key, hit);
        return hit;
      }
      const { planNote } = await planning();
      const result = await verifyPlanned(source, planNote(snippets, await planOpts(snippets)));
      if (cacheableResult(result)) {
        verified.set(key, result);
        noteCache.set(key, result);
      }
      return result;
    },
    environment() {
      const py = probedInfo();
      return {
        python: py?.version ?? `unavailable: ${pyError}`,
        executable: py?.executable ?? "",
        node: process.version,
        sandbox: describeSandbox(),
        processes: pool?.processes() ?? "not started (everything came from the cache)",
        memory: opts.memoryMb > 0 ? `${opts.memoryMb} MiB for a session's processes together (stopped past it), and for each one's address space` : "no limit",
        fingerprint: cacheKey(fingerprint).slice(0, 16),
      };
    },
    stats: () => ({ hits, misses, sessionsRun }),
    sandboxError: () => sandboxError,
    async close() {
      if (privatePch) fs.rmSync(privatePch, { recursive: true, force: true });
      privatePch = undefined;
      // The workers stop; the probe and the cache stay, and a later run starts new workers (npm start rebuilds).
      // Results of notes this run did not verify (edited or gone) are forgotten.
      for (const key of verified.keys()) if (!verifiedUsed.has(key)) verified.delete(key);
      verifiedUsed.clear();
      answered.clear();
      rowsCache.flush?.(); // before the heads: a head is never on disk without its rows, nor a run without its heads
      for (const cache of [sessions?.cache, noteCache, runCache]) {
        if (!cache) continue;
        cache.flush?.(); // the results not yet on disk (they are written in batches)
        cache.forgetUnused?.(); // the folder cache's in-memory copies, likewise
      }
      // the rows are not forgotten: a report's rows are made when first asked for, which may be after this (the CLI
      // writes --json then); only verifyNote reads them, and a build (verifySnippets) never loads them
      const running = pool;
      pool = null;
      await running?.close();
    },
  };
  return verifier;
}

export function summarize(snippets: SnippetResult[]): Record<Status, number> {
  const s = emptySummary();
  for (const r of snippets) s[r.status]++;
  return s;
}

/**
 * Verifies every note (in parallel: one python worker per core) and returns the report.
 * `notes` are texts with their paths; `options.inputDir` makes the paths in the report relative.
 */
export async function verifyNotes(notes: NoteInput[], options: Partial<VerifyOptions> = {}): Promise<Report> {
  const verifier = createVerifier(options);
  try {
    return await verifyWith(verifier, notes, options.onProgress, options.jobs);
  } finally {
    await verifier.close();
  }
}

/** verifyNotes with a verifier the caller made (and closes): its interpreter probe runs while notes are read. */
export async function verifyWith(
  verifier: Verifier,
  notes: NoteInput[],
  onProgress?: VerifyOptions["onProgress"],
  jobs = resolveOptions().jobs,
): Promise<Report> {
  const t0 = process.hrtime.bigint(); // not performance.now(): its first call loads node's perf_hooks (1-2 ms)
  const reportOf = (digest: ReportDigest, diagnostics: SnippetDiagnostic[], rows: () => SnippetResult[]): Report => {
    const report: Report = {
      version: VERIFIER_VERSION,
      summary: digest.counts,
      notes: notes.length,
      snippets: [],
      diagnostics,
      environment: verifier.environment(),
      cache: verifier.stats(),
      duration_ms: Math.round(Number(process.hrtime.bigint() - t0) / 1e6),
    };
    // a warm run makes no row that nothing asks for (lazy-rows.ts)
    return withLazyRows(report, rows, digest);
  };
  await verifier.whenReady();
  // the same notes as the last run, all cached: what they said together, and no note looked up
  const run = verifier.cachedRun(notes);
  if (run.found) {
    const { sources, digest, diagnostics, results } = run.found;
    sources.forEach((source, k) => onProgress?.(k + 1, notes.length, source));
    return reportOf(digest, diagnostics, () => results().flatMap((r) => r.snippets));
  }
  let done = 0;
  let next = 0;
  const results: NoteResult[] = [];
  // the notes the cache holds first, one after the other: a promise and a turn of the event loop a note cost a warm
  // run of 4,000 notes more than looking them up
  const missed: NoteInput[] = [];
  for (const note of notes) {
    const r = verifier.cachedNote(note);
    if (!r) {
      missed.push(note);
      continue;
    }
    results.push(r);
    onProgress?.(++done, notes.length, r.source);
  }
  // a window of notes in flight, each lane taking the next note when its own is done (a queued closure per note
  // through p-limit cost a cold run of 4,000 notes more than its own bookkeeping needed)
  const lane = async () => {
    while (next < missed.length) {
      const k = next++;
      if (k % 16 === 0) await new Promise((r) => setImmediate(r));
      const r = await verifier.verifyNote(missed[k]);
      results.push(r);
      onProgress?.(++done, notes.length, r.source);
    }
  };
  await Promise.all(Array.from({ length: Math.min(missed.length, Math.max(4, jobs * 6)) }, lane));
  results.sort(bySource);
  // the summary from what each note knows of its rows
  const digest = joinDigests(results.map(rowsDigest));
  const diagnostics = results.flatMap((r) => r.diagnostics);
  run.keep(digest, diagnostics);
  return reportOf(digest, diagnostics, () => results.flatMap((r) => r.snippets));
}

/** Results in the order of their notes' names (the report's). */
const bySource = (a: NoteResult, b: NoteResult) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0);
