// Shared value types of the verified-snippets plugin (snippets-spec.md). Pure data: no I/O.

/** Version of the verifier; part of every cache key (§7). Bump when running or judging changes. */
export const VERIFIER_VERSION = "verinotes-snippets/4";

/** The part of a markdown-it token the extractor reads (structural, so any markdown-it 13–15 works). */
export interface Token {
  type: string;
  tag: string;
  nesting: number;
  info: string;
  content: string;
  markup: string;
  map: [number, number] | null;
  children: Token[] | null;
  hidden: boolean;
}

export type SnippetKind = "transcript" | "repl" | "source" | "output";

/** §6, plus `file`: a source block that serves as a file of the sandbox and whose users all passed (§9 row 3). */
export type Status =
  | "passed"
  | "failed"
  | "warning"
  | "invalid"
  | "missing-deps"
  | "excerpt"
  | "environment"
  | "unresolved"
  | "checked"
  | "extracted"
  | "skipped"
  | "file";

/** Every status, in the order summaries list them. */
export const STATUSES: readonly Status[] = [
  "passed",
  "file",
  "failed",
  "warning",
  "invalid",
  "missing-deps",
  "excerpt",
  "environment",
  "unresolved",
  "checked",
  "extracted",
  "skipped",
];

/** A problem found in a note. Errors stay values (with file and line) until the CLI prints them. */
export interface SnippetDiagnostic {
  severity: "error" | "warning";
  file: string;
  line: number;
  message: string;
}

/** The parsed info string of a fence (§2). */
export interface InfoString {
  /** Language word as written ("" when none). */
  rawLang: string;
  /** Lower-cased, canonical language ("py" → "python", "c++" → "cpp", …). */
  lang: string;
  /** key → value for every `key=value`, `key="value"` and Pandoc `{key=value}`. */
  attrs: Record<string, string>;
  /** Bare words after the language (known or not). */
  flags: string[];
  /** Keys and bare words the verifier does not know (a warning, never an error). */
  unknownKeys: string[];
  /** `title`, `file`, `filename` or `[name]`, if any. */
  name?: string;
}

/** The expected-output block attached to a source block (§1 "output"). */
export interface ExpectedOutput {
  index: number;
  line: number;
  contentLine: number;
  text: string;
  lang: string;
}

/** One fenced block of a note. */
export interface Snippet {
  /** The note, as given to extractSnippets. */
  file: string;
  /** 1-based ordinal among all fences of the note. */
  index: number;
  /** File line (1-based) of the opening fence. */
  line: number;
  /** File line of the first content line. */
  contentLine: number;
  /** File line of the closing fence (or last line). */
  endLine: number;
  info: InfoString;
  lang: string;
  text: string;
  kind: SnippetKind;
  name?: string;
  /** `session` attribute, "" for the note's main session. */
  session: string;
  /** Hash of the text and attributes (16 hex digits). */
  hash: string;
  /** For kind "output": the index of the source block whose output this is. */
  outputOf?: number;
  /** For source blocks: the expected-output block that follows it. */
  output?: ExpectedOutput;
  /** The fence marker (``` or ~~~…), for the update command. */
  markup: string;
  diagnostics: SnippetDiagnostic[];
}

/** How a transcript or block uses / serves a file of the sandbox (§3). */
export interface FileUse {
  name: string;
  /** Index of the block that provides the file (absent when unresolved). */
  from?: number;
  inferred: boolean;
  /** Blocks that use it. */
  usedBy: number[];
}

/** The verdict on one snippet: one row of the report (§6, §8). */
export interface SnippetResult {
  /** Note path relative to the input folder. */
  source: string;
  index: number;
  line: number;
  lang: string;
  kind: SnippetKind;
  name: string;
  status: Status;
  message: string;
  duration_ms: number;
  diff?: string;
  /** The file this block serves as (file inference, §3). */
  file?: FileUse;
  /** Files this transcript needs, and where they came from. */
  files?: FileUse[];
  /** Missing modules or programs (missing-deps). */
  missing?: string[];
  /** Imports the reader supplies (§4b), as statements: "import numpy as np". */
  assumed?: string[];
  /** The block this one could not run without (a cascade, §4b). */
  dependsOn?: number;
  /** A short reason for readers, in the site's language terms (rendered by the page, §8); the message is for authors. */
  reason?: string;
  /** Index and line of the expected-output block, if one is attached. */
  output_index?: number;
  output_line?: number;
  session?: string;
  hash: string;
  /** Served from the cache. */
  cached?: boolean;
  /** Actual output per compared claim, for `--update`. */
  actual?: ActualClaim[];
}

/** An actual output observed for one claim of a snippet, used by `--update` to rewrite notes. */
export interface ActualClaim {
  /** "output" (the attached output block), "command" (transcript command k), "example" (REPL example k). */
  where: "output" | "command" | "example";
  /** Ordinal of the command or example inside the block (0-based). */
  k: number;
  /** File lines [from, to) of the expected text in the note. */
  from: number;
  to: number;
  actual: string;
  ok: boolean;
}

export interface Environment {
  python: string;
  executable: string;
  node: string;
  /** "bubblewrap: …" (what isolates each session), "NOT SANDBOXED (--no-sandbox)", or why there is none. */
  sandbox: string;
  /** How process counts are limited: "cgroup pids", "RLIMIT_NPROC", or why not. */
  processes: string;
  memory: string;
  fingerprint: string;
}

export interface Report {
  version: string;
  summary: Record<Status, number>;
  notes: number;
  snippets: SnippetResult[];
  diagnostics: SnippetDiagnostic[];
  environment?: Environment;
  /** Cache hits and misses, and the sessions that ran (0 when every result came from the cache). */
  cache?: { hits: number; misses: number; sessionsRun?: number };
  duration_ms?: number;
  shard?: { index: number; count: number };
}

export function emptySummary(): Record<Status, number> {
  const s = {} as Record<Status, number>;
  for (const k of STATUSES) s[k] = 0;
  return s;
}
