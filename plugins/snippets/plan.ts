// The notebook plan of a note (§3): which blocks run where, in which session, which blocks are the
// files that transcripts run, and what is only checked. Pure: snippets in, plan out.
import { NODE_LANGS, PYTHON_LANGS, SHELL_LANGS, parseRepl, parseTranscript, sandboxNameProblem } from "./extract.ts";
import type { ReplExample, TranscriptCommand } from "./extract.ts";
import type { SessionJob, StepJob } from "./runners/protocol.ts";
import type { TypeStripper } from "./runners/strip-types.ts";
import type { FileUse, Snippet, SnippetDiagnostic, Status } from "./types.ts";

export interface PlanOptions {
  /** Seconds per block. */
  timeout: number;
  noteTimeout: number;
  memoryMb: number;
  outputCap: number;
  /** Node can strip TypeScript types (node ≥ 22.6). */
  nodeStripsTypes: boolean;
  /** Otherwise, what removes them before node runs the block (the typescript package, when installed). */
  stripTypes?: TypeStripper;
  /** Available C / C++ compilers. */
  compilers: { c?: string; cpp?: string };
  /** Imports the reader supplies (§4b): name → module. */
  imports?: Record<string, string>;
}

export type StaticKind = "json" | "yaml" | "c" | "cpp";

export interface StaticCheck {
  index: number;
  kind: StaticKind;
  text: string;
}

/** A block that runs (or is checked) in a session, with what judging it needs. */
export interface PlannedStep {
  snippet: Snippet;
  job: StepJob;
  /** Checked statically only (norun, command lists, named files nothing uses). */
  check: boolean;
  /** Output is not compared (nocheck). */
  nocheck: boolean;
  strict: boolean;
  /** Expected exit status from `exit=`. */
  exit?: number;
  commands?: TranscriptCommand[];
  examples?: ReplExample[];
  /** The block is a named or inferred file that also runs (flag `run`). */
  servesFile?: boolean;
  /** Nothing is claimed and no timeout was given: a block that runs on (a server, a loop) is stopped early, not faulted. */
  stopsEarly?: boolean;
}

/** Seconds an unclaimed block may run before it is taken for a server or a loop and stopped (§4b). */
export const UNCLAIMED_SECONDS = 3;

export interface SessionPlan {
  session: string;
  job: SessionJob;
  steps: PlannedStep[];
}

export interface Fixed {
  status: Status;
  message: string;
}

export interface NotePlan {
  snippets: Snippet[];
  sessions: SessionPlan[];
  statics: StaticCheck[];
  /** Verdicts known without running anything. */
  fixed: Map<number, Fixed>;
  /** Block index → the file it serves as. */
  fileOf: Map<number, FileUse>;
  /** Transcript index → the files it runs. */
  filesOf: Map<number, FileUse[]>;
  diagnostics: SnippetDiagnostic[];
}

/** Words that are not programs on PATH. */
const SHELL_WORDS = new Set(
  (
    "alias bg bind break builtin caller cd command compgen complete compopt continue declare dirs disown echo enable " +
    "eval exec exit export false fc fg getopts hash help history jobs kill let local logout mapfile popd printf pushd " +
    "pwd read readarray readonly return set shift shopt source suspend test times trap true type typeset ulimit umask " +
    "unalias unset wait . : [ [[ ]] { } ! if then else elif fi case esac for while until do done function select time coproc in"
  ).split(" "),
);
const PREFIX_WORDS = new Set(["sudo", "time", "nohup", "exec", "env", "command", "builtin", "xargs", "watch", "timeout", "nice"]);

/** Splits a command line into shell words (quotes removed; good enough to find program names). */
export function shellWords(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let has = false;
  let q: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === q) q = null;
      else if (c === "\\" && q === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
      continue;
    }
    if (c === "'" || c === '"') {
      q = c;
      has = true;
    } else if (c === "\\" && i + 1 < s.length) {
      if (s[i + 1] !== "\n") cur += s[i + 1];
      i++;
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = "";
      has = false;
    } else if (c === "|" || c === ";" || c === "&" || c === "(" || c === ")") {
      if (has || cur) out.push(cur);
      cur = "";
      has = false;
      let op = c;
      if ((c === "|" || c === "&" || c === ";") && s[i + 1] === c) op += s[++i];
      out.push(op);
    } else {
      cur += c;
      has = true;
    }
  }
  if (has || cur) out.push(cur);
  return out;
}

const SEPARATORS = new Set(["|", "||", "&&", ";", ";;", "&", "(", ")"]);

/** The simple commands of a command line, each as words (assignments and redirections kept). */
function simpleCommands(cmd: string): string[][] {
  const words = shellWords(cmd.replace(/#[^\n'"]*$/gm, (m, off: number) => (off === 0 || /\s/.test(cmd[off - 1]) ? "" : m)));
  const out: string[][] = [[]];
  for (const w of words) {
    if (SEPARATORS.has(w)) out.push([]);
    else out[out.length - 1].push(w);
  }
  return out.filter((c) => c.length);
}

/** The program a simple command runs (after `VAR=x`, `sudo`, …), or null. */
function programOf(words: string[]): { prog: string; args: string[] }[] {
  const found: { prog: string; args: string[] }[] = [];
  let k = 0;
  while (k < words.length) {
    const w = words[k];
    if (/^[A-Za-z_][\w]*=/.test(w) || /^[<>]|^\d[<>]/.test(w)) {
      k++;
      continue;
    }
    if (PREFIX_WORDS.has(w)) {
      found.push({ prog: w, args: [] });
      k++;
      while (k < words.length && words[k].startsWith("-")) k++;
      if (w === "timeout" && k < words.length && /^\d/.test(words[k])) k++;
      continue;
    }
    found.push({ prog: w, args: words.slice(k + 1) });
    break;
  }
  return found;
}

/** Programs a command needs from PATH. */
export function programsOf(cmd: string, defined: Set<string> = new Set()): string[] {
  const progs: string[] = [];
  for (const words of simpleCommands(cmd)) {
    for (const { prog } of programOf(words)) {
      if (!prog || SHELL_WORDS.has(prog) || defined.has(prog) || prog.includes("/") || /[$`*?={}]/.test(prog) || prog.endsWith("()")) continue;
      if (!progs.includes(prog)) progs.push(prog);
    }
  }
  return progs;
}

export type FileLang = "python" | "shell" | "node";

/** Files a command runs through an interpreter (`python prog.py`, `bash run.sh`, `node app.js`, `./x.py`). */
export function filesRunBy(cmd: string): { name: string; lang: FileLang }[] {
  const out: { name: string; lang: FileLang }[] = [];
  const byExt = (n: string): FileLang | null =>
    /\.py$/.test(n) ? "python" : /\.(sh|bash)$/.test(n) ? "shell" : /\.(m?js|cjs|ts|mts)$/.test(n) ? "node" : null;
  for (const words of simpleCommands(cmd)) {
    for (const { prog, args } of programOf(words)) {
      let lang: FileLang | null = null;
      if (/^(python[\d.]*|py)$/.test(prog)) lang = "python";
      else if (/^(bash|sh|zsh|source|\.)$/.test(prog)) lang = "shell";
      else if (/^(node|tsx|ts-node)$/.test(prog)) lang = "node";
      if (lang) {
        let k = 0;
        while (k < args.length && args[k].startsWith("-")) {
          if (lang === "python" && (args[k] === "-m" || args[k] === "-c")) {
            k = args.length;
            break;
          }
          if (lang === "shell" && args[k] === "-c") {
            k = args.length;
            break;
          }
          k++;
        }
        const f = args[k];
        if (f && !/[$`*?<>|]/.test(f) && (lang !== "shell" || byExt(f) === "shell" || !f.includes("."))) out.push({ name: f.replace(/^\.\//, ""), lang });
      } else if (prog.startsWith("./")) {
        const l = byExt(prog);
        if (l) out.push({ name: prog.slice(2), lang: l });
      }
    }
  }
  return out;
}

/** Programs that read the files named on their command line. */
const READERS = new Set(
  "cat tac head tail wc sort uniq paste diff cmp comm join nl od xxd hexdump less more md5sum sha1sum sha256sum cut column file stat".split(" "),
);

/** Relative files a command reads (`cat train.txt`): a transcript that shows them needs them in the sandbox. */
export function filesReadBy(cmd: string): string[] {
  const out: string[] = [];
  for (const words of simpleCommands(cmd)) {
    for (const { prog, args } of programOf(words)) {
      if (!READERS.has(prog)) continue;
      for (const [k, a] of args.entries()) {
        // `head -n 1`, `cut -d , -f 2`, `sort -k 2`: the value of a short option is not a file.
        const optionValue = k > 0 && /^-[nckftdsw]$/.test(args[k - 1]);
        if (optionValue || /^\d+$/.test(a)) continue;
        if (a.startsWith("-") || a.startsWith("/") || a.startsWith("~") || /[$`*?<>|{}]/.test(a) || /^\d*[<>]/.test(a) || a === "") continue;
        if (!out.includes(a)) out.push(a.replace(/^\.\//, ""));
      }
    }
  }
  return out;
}

function langFamily(lang: string): FileLang | null {
  if (PYTHON_LANGS.has(lang)) return "python";
  if (SHELL_LANGS.has(lang)) return "shell";
  if (NODE_LANGS.has(lang)) return "node";
  return null;
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || !/^-?\d+(\.\d+)?$/.test(v)) return undefined;
  return Number(v);
}

/** The plan of one note. */
export function planNote(snippets: Snippet[], opts: PlanOptions): NotePlan {
  const fixed = new Map<number, Fixed>();
  const fileOf = new Map<number, FileUse>();
  const filesOf = new Map<number, FileUse[]>();
  const diagnostics: SnippetDiagnostic[] = snippets.flatMap((s) => s.diagnostics);
  const blocks = snippets.filter((s) => s.kind !== "output");
  const flag = (s: Snippet, f: string) => s.info.flags.includes(f);

  // named files, per session
  const named = new Map<string, Map<string, Snippet>>();
  for (const s of blocks) {
    if (s.name === undefined || s.kind !== "source" || flag(s, "skip")) continue;
    const problem = sandboxNameProblem(s.name);
    if (problem) {
      fixed.set(s.index, { status: "invalid", message: problem });
      diagnostics.push({ severity: "error", file: s.file, line: s.line, message: problem });
      continue;
    }
    const m = named.get(s.session) ?? new Map<string, Snippet>();
    named.set(s.session, m);
    m.set(s.name, s);
    fileOf.set(s.index, { name: s.name, from: s.index, inferred: false, usedBy: [] });
  }

  // transcripts: the files they run (named, else inferred from the nearest preceding unnamed block)
  const taken = new Map<number, string>();
  const transcripts = new Map<number, TranscriptCommand[]>();
  for (const s of blocks) {
    if (s.kind !== "transcript" || flag(s, "skip")) continue;
    const cmds = parseTranscript(s.text, s.contentLine);
    transcripts.set(s.index, cmds);
    const uses: FileUse[] = [];
    const earlierCmds: string[] = [];
    for (const c of cmds) {
      for (const f of filesRunBy(c.cmd)) {
        if (uses.some((u) => u.name === f.name)) continue;
        const problem = sandboxNameProblem(f.name);
        if (problem) continue; // a path outside the sandbox: the command runs as written
        const n = named.get(s.session)?.get(f.name);
        if (n) {
          uses.push({ name: f.name, from: n.index, inferred: false, usedBy: [s.index] });
          fileOf.get(n.index)!.usedBy.push(s.index);
          continue;
        }
        // made by an earlier command (`cat > x.py`, `touch x.py`)? then it exists at run time
        const madeEarlier = earlierCmds.some((e) => new RegExp(`(>|touch\\s+|-o\\s*)\\s*['"]?(\\./)?${f.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`).test(e));
        if (madeEarlier) continue;
        // already inferred for this name by an earlier transcript?
        let from: Snippet | undefined = [...taken.entries()]
          .filter(([, nm]) => nm === f.name)
          .map(([i]) => blocks.find((b) => b.index === i)!)
          .find((b) => b.session === s.session);
        if (!from) {
          for (let k = blocks.indexOf(s) - 1; k >= 0; k--) {
            const b = blocks[k];
            if (b.session !== s.session || b.kind !== "source" || b.name !== undefined || flag(b, "skip")) continue;
            if (langFamily(b.lang) !== f.lang || taken.has(b.index)) continue;
            from = b;
            break;
          }
        }
        if (from) {
          taken.set(from.index, f.name);
          const use = fileOf.get(from.index) ?? { name: f.name, from: from.index, inferred: true, usedBy: [] };
          use.usedBy.push(s.index);
          fileOf.set(from.index, use);
          uses.push({ name: f.name, from: from.index, inferred: true, usedBy: [s.index] });
        } else uses.push({ name: f.name, inferred: false, usedBy: [s.index] });
      }
      earlierCmds.push(c.cmd);
    }
    if (uses.length) filesOf.set(s.index, uses);
  }

  // steps, in document order, per session
  const sessions = new Map<string, SessionPlan>();
  const statics: StaticCheck[] = [];
  const sessionOf = (name: string): SessionPlan => {
    let sp = sessions.get(name);
    if (!sp) {
      sp = {
        session: name,
        job: {
          limits: { noteTimeout: opts.noteTimeout, memoryMb: opts.memoryMb, outputCap: opts.outputCap, cpuSeconds: opts.noteTimeout + 10 },
          ...(opts.imports ? { imports: opts.imports } : {}),
          files: [],
          steps: [],
        },
        steps: [],
      };
      sessions.set(name, sp);
    }
    return sp;
  };
  for (const s of blocks) {
    const f = fileOf.get(s.index);
    if (f && !fixed.has(s.index)) sessionOf(s.session).job.files.push({ name: f.name, text: s.text });
  }

  for (const s of blocks) {
    if (fixed.has(s.index)) continue;
    if (flag(s, "skip")) {
      fixed.set(s.index, { status: "skipped", message: "skip: extracted only" });
      continue;
    }
    const timeout = num(s.info.attrs.timeout) ?? opts.timeout;
    const norun = flag(s, "norun");
    const base = { snippet: s, nocheck: flag(s, "nocheck"), strict: flag(s, "strict"), exit: num(s.info.attrs.exit) };
    const add = (job: StepJob, extra: Partial<PlannedStep> = {}) => {
      const sp = sessionOf(s.session);
      sp.job.steps.push(job);
      sp.steps.push({ ...base, job, check: !!job.check, ...extra });
    };
    const file = fileOf.get(s.index);
    const runFlag = flag(s, "run");
    if (s.kind === "transcript") {
      const cmds = transcripts.get(s.index) ?? parseTranscript(s.text, s.contentLine);
      const claims = cmds.some((c) => c.expected !== null) || base.exit !== undefined;
      const check = norun || !(claims || runFlag);
      const defined = new Set<string>();
      const uses = filesOf.get(s.index) ?? [];
      const provided = new Set(uses.filter((u) => u.from !== undefined).map((u) => u.name));
      const commands = cmds.map((c) => {
        for (const m of c.cmd.matchAll(/(?:^|\s)(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\)/g)) defined.add(m[1]);
        const needs = [...filesRunBy(c.cmd).map((f) => f.name), ...filesReadBy(c.cmd)].filter((n) => !provided.has(n) && !sandboxNameProblem(n));
        return { cmd: c.cmd, programs: programsOf(c.cmd, defined), ...(needs.length ? { needs: [...new Set(needs)] } : {}) };
      });
      add(
        {
          op: "sh",
          i: s.index,
          commands,
          timeout,
          check,
          pyFiles: [...new Set(cmds.flatMap((c) => filesRunBy(c.cmd)).filter((f) => f.lang === "python").map((f) => f.name))],
        },
        { commands: cmds },
      );
      continue;
    }
    if (s.kind === "repl") {
      const examples = parseRepl(s.text, s.contentLine);
      add({ op: "repl", i: s.index, examples: examples.map((e) => ({ source: e.source })), timeout, check: norun }, { examples });
      continue;
    }
    // source blocks
    const fam = langFamily(s.lang);
    const used = !!file && (file.usedBy.length > 0 || file.inferred);
    // nothing to compare and no time given: run it briefly, as a reader would start a server and look
    const stopsEarly = !s.output && base.exit === undefined && s.info.attrs.timeout === undefined && !flag(s, "nocheck");
    const runFor = stopsEarly ? Math.min(timeout, UNCLAIMED_SECONDS) : timeout;
    if (used && !runFlag) continue; // a file of the sandbox: judged by the transcripts that use it
    const namedUnused = !!file && !used && !runFlag;
    if (fam === "python") {
      add({ op: "py", i: s.index, code: s.text, timeout: runFor, check: norun || namedUnused }, { servesFile: used, stopsEarly });
    } else if (fam === "shell") {
      const run = !norun && !namedUnused && (runFlag || !!s.output);
      add({ op: "script", i: s.index, lang: "shell", code: s.text, timeout, check: !run }, { servesFile: used });
    } else if (fam === "node") {
      const ts = s.lang === "typescript";
      let code = s.text;
      if (ts && !opts.nodeStripsTypes) {
        if (!opts.stripTypes) {
          fixed.set(s.index, { status: "extracted", message: `node ${process.version} cannot strip TypeScript types (needs node ≥ 22.6, or the typescript package)` });
          continue;
        }
        const js = opts.stripTypes(s.text);
        if (!js.ok) {
          fixed.set(s.index, { status: "invalid", message: `not valid TypeScript: ${js.message}${js.line ? ` (line ${js.line})` : ""}` });
          continue;
        }
        code = js.code;
      }
      const nodeStrips = ts && opts.nodeStripsTypes;
      // module or script, from what node will run (`import x = require()` in TypeScript is a require)
      const esm = /^\s*(import|export)\s/m.test(code) || /\bawait\b/.test(code);
      const ext = nodeStrips ? ".ts" : esm ? ".mjs" : ".cjs";
      add(
        {
          op: "script",
          i: s.index,
          lang: "node",
          code,
          timeout,
          check: norun || namedUnused,
          ext,
          nodeArgs: nodeStrips ? ["--experimental-strip-types", "--no-warnings"] : [],
        },
        { servesFile: used },
      );
    } else if (s.lang === "json" || s.lang === "yaml") {
      statics.push({ index: s.index, kind: s.lang, text: s.text });
    } else if (s.lang === "c" || s.lang === "cpp") {
      if (opts.compilers[s.lang]) statics.push({ index: s.index, kind: s.lang, text: s.text });
      else fixed.set(s.index, { status: "extracted", message: `no ${s.lang === "c" ? "gcc" : "g++"} here to check it` });
    } else {
      fixed.set(s.index, { status: "extracted", message: s.lang ? `no checker for ${s.info.rawLang}` : "no language: extracted only" });
    }
  }
  return { snippets, sessions: [...sessions.values()].filter((sp) => sp.job.steps.length > 0), statics, fixed, fileOf, filesOf, diagnostics };
}
