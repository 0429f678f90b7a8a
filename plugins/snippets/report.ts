// What authors and CI see (§6, §8): summary table, JUnit XML, merged shard reports, the baseline of
// known failures, and `--update` (rewriting expected outputs in notes from the actual ones). Pure.
import { escapeHtml } from "../markdown/escape-html.ts";
import { rowCount, rowsWithStatus } from "./lazy-rows.ts";
import { STATUSES, VERIFIER_VERSION, emptySummary, type Report, type SnippetResult, type Status } from "./types.ts";

/** Statuses that fail `verify` (and, with --strict, the ones that fail it too). */
export const FAILING: readonly Status[] = ["failed"];
export const FAILING_STRICT: readonly Status[] = ["failed", "warning", "invalid", "unresolved"];

export function failingStatuses(strict: boolean): readonly Status[] {
  return strict ? FAILING_STRICT : FAILING;
}

// ---------------------------------------------------------------------------------------------
// baseline

export interface BaselineEntry {
  source: string;
  index: number;
  hash: string;
  status: Status;
  message: string;
}

export interface Baseline {
  version: string;
  entries: BaselineEntry[];
}

export const BASELINE_FILE = "snippets-baseline.json";

export function baselineFrom(report: Report, strict = false): Baseline {
  const bad = failingStatuses(strict);
  return {
    version: VERIFIER_VERSION,
    entries: rowsWithStatus(report, bad).map((s) => ({ source: s.source, index: s.index, hash: s.hash, status: s.status, message: s.message })),
  };
}

/** Parses a baseline file's text; a broken file is an error value. */
export function parseBaseline(text: string): { ok: true; value: Baseline } | { ok: false; message: string } {
  try {
    const v = JSON.parse(text) as Partial<Baseline>;
    if (!v || !Array.isArray(v.entries)) return { ok: false, message: "no `entries` array" };
    return { ok: true, value: { version: String(v.version ?? ""), entries: v.entries } };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

/** A snippet is known when the baseline lists the same note and block text (or, failing that, the same position). */
export function isKnown(s: SnippetResult, baseline: Baseline | undefined): boolean {
  if (!baseline) return false;
  return baseline.entries.some((e) => e.source === s.source && (e.hash === s.hash || e.index === s.index));
}

export interface Outcome {
  /** Snippets that make verify fail. */
  failures: SnippetResult[];
  /** Failing snippets the baseline already lists. */
  known: SnippetResult[];
  exitCode: 0 | 1;
}

export function outcome(report: Report, opts: { strict?: boolean; baseline?: Baseline } = {}): Outcome {
  const bad = failingStatuses(!!opts.strict);
  const failing = rowsWithStatus(report, bad);
  const failures = failing.filter((s) => !isKnown(s, opts.baseline));
  const known = failing.filter((s) => isKnown(s, opts.baseline));
  return { failures, known, exitCode: failures.length ? 1 : 0 };
}

// ---------------------------------------------------------------------------------------------
// merging shard reports

export function mergeReports(reports: Report[]): Report {
  const seen = new Map<string, SnippetResult>();
  for (const r of reports) for (const s of r.snippets) seen.set(`${s.source}\0${s.index}`, s);
  const snippets = [...seen.values()].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.index - b.index));
  const summary = emptySummary();
  for (const s of snippets) summary[s.status]++;
  return {
    version: reports[0]?.version ?? VERIFIER_VERSION,
    summary,
    notes: reports.reduce((a, r) => a + r.notes, 0),
    snippets,
    diagnostics: reports.flatMap((r) => r.diagnostics),
    environment: reports[0]?.environment,
    cache: { hits: reports.reduce((a, r) => a + (r.cache?.hits ?? 0), 0), misses: reports.reduce((a, r) => a + (r.cache?.misses ?? 0), 0), sessionsRun: reports.reduce((a, r) => a + (r.cache?.sessionsRun ?? 0), 0) },
    duration_ms: Math.max(0, ...reports.map((r) => r.duration_ms ?? 0)),
  };
}

// ---------------------------------------------------------------------------------------------
// text

export interface SummaryOptions {
  strict?: boolean;
  baseline?: Baseline;
  /** Lines of diff shown per failure. */
  diffLines?: number;
  /** Warnings, invalid and unresolved blocks are listed when there are at most this many (default 50). */
  maxNotable?: number;
  color?: boolean;
}

const LABEL: Record<Status, string> = {
  passed: "passed",
  file: "file",
  failed: "failed",
  warning: "warning",
  invalid: "invalid",
  "missing-deps": "missing-deps",
  excerpt: "excerpt",
  environment: "environment",
  unresolved: "unresolved",
  checked: "checked",
  extracted: "extracted",
  skipped: "skipped",
};

/** The summary table and the failures, as the CLI prints them. */
export function formatSummary(report: Report, opts: SummaryOptions = {}): string {
  const c = (code: string, s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const out: string[] = [];
  const o = outcome(report, opts);
  const bad = failingStatuses(!!opts.strict);
  // the rows of these statuses only: a warm run's report makes no other (lazy-rows.ts)
  const failing = rowsWithStatus(report, bad);
  const notable = rowsWithStatus(report, ["warning", "invalid", "unresolved"]).filter((s) => !bad.includes(s.status));
  const maxNotable = opts.maxNotable ?? 50;
  const attention = [...failing, ...(notable.length <= maxNotable ? notable : [])].sort((a, b) =>
    a.source < b.source ? -1 : a.source > b.source ? 1 : a.index - b.index,
  );
  const maxDiff = opts.diffLines ?? 20;
  for (const s of attention) {
    const known = isKnown(s, opts.baseline);
    const tag = s.status === "failed" ? c("31;1", "FAILED") : c("33", s.status.toUpperCase());
    out.push(`${tag} ${s.source}:${s.line} block ${s.index} (${s.name}): ${s.message}${known ? " [in baseline]" : ""}`);
    if (s.status === "failed" && s.diff && !known) {
      const lines = s.diff.split("\n");
      for (const l of lines.slice(0, maxDiff)) out.push(`    ${l.startsWith("+") ? c("32", l) : l.startsWith("-") ? c("31", l) : l}`);
      if (lines.length > maxDiff) out.push(`    … ${lines.length - maxDiff} more diff lines (see --json)`);
    }
  }
  if (notable.length > maxNotable) out.push(`(${notable.length} warnings, invalid and unresolved blocks not listed: see --json, or --strict)`);
  if (attention.length || notable.length > maxNotable) out.push("");
  const total = rowCount(report);
  const w = Math.max(...STATUSES.map((s) => LABEL[s].length));
  out.push(`${report.notes} note${report.notes === 1 ? "" : "s"}, ${total} snippet${total === 1 ? "" : "s"}`);
  for (const st of STATUSES) {
    const n = report.summary[st];
    if (!n) continue;
    out.push(`  ${LABEL[st].padEnd(w)}  ${String(n).padStart(6)}`);
  }
  if (report.cache) out.push(`  (cache: ${report.cache.hits} hits, ${report.cache.misses} misses; ${sessionsLine(report.cache.sessionsRun)}${report.duration_ms !== undefined ? `; ${(report.duration_ms / 1000).toFixed(1)} s` : ""})`);
  if (report.environment && !report.environment.sandbox.startsWith("bubblewrap")) out.push(`  sandbox: ${report.environment.sandbox}`);
  if (o.known.length) out.push(`  ${o.known.length} known failure${o.known.length === 1 ? "" : "s"} in the baseline`);
  out.push(o.exitCode ? c("31;1", `verify: ${o.failures.length} snippet${o.failures.length === 1 ? "" : "s"} failed`) : c("32", "verify: ok"));
  return out.join("\n");
}

/** "7 snippets: 5 passed, 1 failed, 1 needs torch" (§8). */
export function noteSummaryLine(snippets: SnippetResult[]): string {
  const parts: string[] = [];
  const count = (st: Status) => snippets.filter((s) => s.status === st).length;
  for (const st of STATUSES) {
    const n = count(st);
    if (!n) continue;
    if (st === "missing-deps") {
      const mods = [...new Set(snippets.filter((s) => s.status === st).flatMap((s) => s.missing ?? []))];
      parts.push(`${n} need${n === 1 ? "s" : ""} ${mods.join(", ") || "missing dependencies"}`);
    } else parts.push(`${n} ${st}`);
  }
  return `${snippets.length} snippet${snippets.length === 1 ? "" : "s"}: ${parts.join(", ")}`;
}

// ---------------------------------------------------------------------------------------------
// JUnit

/** Text for XML: the control characters XML 1.0 cannot hold dropped, the rest escaped as for HTML. */
function xml(s: string): string {
  return escapeHtml(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ""));
}

export function toJUnit(report: Report, opts: { strict?: boolean; baseline?: Baseline } = {}): string {
  const bad = failingStatuses(!!opts.strict);
  const bySource = new Map<string, SnippetResult[]>();
  for (const s of report.snippets) bySource.set(s.source, [...(bySource.get(s.source) ?? []), s]);
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const [source, list] of bySource) {
    const cases: string[] = [];
    let f = 0;
    let sk = 0;
    for (const s of list) {
      const name = `block ${s.index} (${s.name}) line ${s.line}`;
      const time = (s.duration_ms / 1000).toFixed(3);
      let body = "";
      if (bad.includes(s.status) && !isKnown(s, opts.baseline)) {
        f++;
        body = `<failure message="${xml(`${s.status}: ${s.message}`)}" type="${s.status}">${xml(s.diff ?? s.message)}</failure>`;
      } else if (["skipped", "extracted", "missing-deps", "unresolved", "checked", "file"].includes(s.status) || bad.includes(s.status)) {
        sk++;
        body = `<skipped message="${xml(`${s.status}: ${s.message}`)}"/>`;
      } else if (s.message) body = `<system-out>${xml(`${s.status}: ${s.message}`)}</system-out>`;
      cases.push(`    <testcase classname="${xml(source)}" name="${xml(name)}" file="${xml(source)}" line="${s.line}" time="${time}">${body}</testcase>`);
    }
    tests += list.length;
    failures += f;
    skipped += sk;
    suites.push(`  <testsuite name="${xml(source)}" tests="${list.length}" failures="${f}" skipped="${sk}" errors="0">\n${cases.join("\n")}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="snippets" tests="${tests}" failures="${failures}" skipped="${skipped}" errors="0">\n${suites.join("\n")}\n</testsuites>\n`;
}

// ---------------------------------------------------------------------------------------------
// --update

export interface UpdatePlan {
  /** Note source (relative path as in the report) → its new text. */
  files: Map<string, string>;
  /** How many claims were rewritten. */
  claims: number;
}

/**
 * Rewrites the expected outputs of failed claims from the actual ones (wildcard lines that still match
 * are kept). `read` gives a note's text by its report `source`. Only failed snippets are touched.
 */
export function planUpdate(report: Report, read: (source: string) => string): UpdatePlan {
  const bySource = new Map<string, SnippetResult[]>();
  for (const s of report.snippets) {
    if (s.status !== "failed" || !s.actual?.some((a) => !a.ok)) continue;
    bySource.set(s.source, [...(bySource.get(s.source) ?? []), s]);
  }
  const files = new Map<string, string>();
  let claims = 0;
  for (const [source, list] of bySource) {
    const text = read(source);
    const eol = text.includes("\r\n") ? "\r\n" : "\n";
    const lines = text.split(/\r?\n/);
    const edits: { from: number; to: number; lines: string[] }[] = [];
    for (const s of list) {
      // the prefix that container blocks (list items, quotes) put before each line of the fence
      const fence = lines[s.line - 1] ?? "";
      const prefix = /^([ \t>]*)/.exec(fence)?.[1] ?? "";
      for (const a of s.actual ?? []) {
        if (a.ok) continue;
        const body = a.actual === "" ? [] : a.actual.split("\n").map((l) => (l === "" ? prefix.replace(/\s+$/, "") : prefix + l));
        edits.push({ from: a.from, to: a.to, lines: body });
        claims++;
      }
    }
    edits.sort((x, y) => y.from - x.from);
    for (const e of edits) lines.splice(e.from - 1, e.to - e.from, ...e.lines);
    files.set(source, lines.join(eol));
  }
  return { files, claims };
}

/** "3 sessions run", "no session run": how much the run really did, for a warm CI run at a glance. */
export function sessionsLine(run: number | undefined): string {
  return run === undefined ? "sessions run: unknown" : run === 0 ? "no session run" : run === 1 ? "1 session run" : `${run} sessions run`;
}
