// Output comparison (§4): normalisation, whitespace folding, `...` and `[..]` wildcards, doctest's
// traceback rule, exit-status claims, unified diffs. Pure.

export interface JudgeOptions {
  /** Compare exactly: no whitespace folding (§2 `strict`). */
  strict?: boolean;
}

export interface Comparison {
  ok: boolean;
  /** Unified diff, expected against actual, when !ok. */
  diff?: string;
}

const ANSI_RE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07/g;
const SPACE_RUN = /[ \t\u00a0\u3000]+/g;

/** Lines of a text: line endings normalised, trailing whitespace and trailing blank lines dropped. */
export function toLines(text: string): string[] {
  const lines = text.replace(ANSI_RE, "").replace(/\r\n?/g, "\n").split("\n").map((l) => l.replace(/[ \t\r]+$/, ""));
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** The form a line is compared in: runs of blanks fold to one space, leading blanks go (unless strict). */
export function foldLine(line: string, strict = false): string {
  if (strict) return line;
  return line.replace(SPACE_RUN, " ").replace(/^ /, "");
}

function dropLeadingBlank(lines: string[], strict: boolean): string[] {
  if (strict) return lines;
  let i = 0;
  while (i < lines.length && lines[i].trim() === "") i++;
  return i ? lines.slice(i) : lines;
}

export function isLineWildcard(line: string): boolean {
  return line.trim() === "...";
}

function inlinePattern(folded: string): RegExp {
  const src = folded
    .split("[..]")
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${src}$`, "s");
}

/** A memory address in a repr (`<Foo object at 0x7f3a…>`): 0x and 6 or more hex digits (§4b). */
const ADDRESS = /\b0x[0-9a-fA-F]{6,}\b/g;

/**
 * What a reader ignores when reading output: memory addresses (any one matches any other, §4b), and the order of
 * keyword arguments in a repr (`Namespace(b=1, a=2)`: argparse printed them sorted before Python 3.9).
 */
export function readerForm(line: string): string {
  return sortKeywordReprs(line.replace(ADDRESS, "0x…"));
}

/** `Name(b=1, a=[2, 3])` → `Name(a=[2, 3], b=1)`: calls whose every argument is `key=value` (nesting and quotes respected). */
export function sortKeywordReprs(line: string): string {
  if (!line.includes("=")) return line;
  let out = "";
  let i = 0;
  const name = /[A-Za-z_][\w.]*/g; // each run of name characters is looked at once: linear in the line
  for (let hit = name.exec(line); hit; hit = name.exec(line)) {
    const open = hit.index + hit[0].length;
    if (line[open] !== "(") continue;
    const close = matchingParen(line, open);
    if (close < 0) break;
    const args = splitTopLevel(line.slice(open + 1, close)).map((a) => sortKeywordReprs(a.trim()));
    const keyword = args.length > 1 && args.every((a) => /^[A-Za-z_]\w*=/.test(a));
    out += line.slice(i, open + 1) + (keyword ? [...args].sort() : args).join(", ") + ")";
    i = close + 1;
    name.lastIndex = i;
  }
  return out + line.slice(i);
}

/**
 * Walks `s` from `start`, outside quoted strings, telling `visit` each character and the bracket depth after it;
 * stops where `visit` returns true. One scanner for matchingParen and splitTopLevel.
 */
function scanTopLevel(s: string, start: number, visit: (c: string, k: number, depth: number) => boolean | void): void {
  let depth = 0;
  let q: string | null = null;
  for (let k = start; k < s.length; k++) {
    const c = s[k];
    if (q) {
      if (c === "\\") k++;
      else if (c === q) q = null;
      continue;
    }
    if (c === "'" || c === '"') q = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    if (visit(c, k, depth)) return;
  }
}

/** The index of the bracket that closes the one at `open` (quotes respected), or -1. */
export function matchingParen(s: string, open: number): number {
  let found = -1;
  scanTopLevel(s, open, (c, k, depth) => {
    if (depth !== 0 || !")]}".includes(c)) return false;
    found = c === ")" ? k : -1;
    return true;
  });
  return found;
}

/** The comma-separated parts of `s` outside brackets and quotes. */
export function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let start = 0;
  scanTopLevel(s, 0, (c, k, depth) => {
    if (c === "," && depth === 0) {
      parts.push(s.slice(start, k));
      start = k + 1;
    }
  });
  parts.push(s.slice(start));
  return parts.filter((p, k) => p.trim() !== "" || k < parts.length - 1);
}

/** Does actual line `a` satisfy expected line `e` (`[..]` matches any text on the line)? */
export function lineMatches(e: string, a: string, strict = false): boolean {
  const fe = foldLine(e, strict);
  const fa = foldLine(a, strict);
  if (fe === fa) return true;
  if (!fe.includes("[..]")) return false;
  return inlinePattern(fe).test(fa);
}

/** Does the sequence of actual lines match the expected lines (a line `...` matches any number of lines)? */
export function linesMatch(expected: string[], actual: string[], strict = false): boolean {
  // Greedy matching with backtracking to the last `...`, as for `*` in glob patterns: correct because
  // every other expected line matches exactly one actual line.
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < actual.length) {
    if (i < expected.length && isLineWildcard(expected[i])) {
      star = i++;
      mark = j;
    } else if (i < expected.length && lineMatches(expected[i], actual[j], strict)) {
      i++;
      j++;
    } else if (star >= 0) {
      i = star + 1;
      j = ++mark;
    } else return false;
  }
  while (i < expected.length && isLineWildcard(expected[i])) i++;
  return i === expected.length;
}

/** Compares an expected output text with the actual one (§4). */
export function compareOutput(expected: string, actual: string, opts: JudgeOptions = {}): Comparison {
  const strict = !!opts.strict;
  const e = dropLeadingBlank(toLines(expected), strict);
  const a = dropLeadingBlank(toLines(actual), strict);
  if (linesMatch(e, a, strict)) return { ok: true };
  // read as a reader would (addresses, keyword order), each line once
  if (linesMatch(e.map(readerForm), a.map(readerForm), strict)) return { ok: true };
  return { ok: false, diff: unifiedDiff(e, a, { strict }) };
}

/** A transcript's `[N]` line after a command's output claims its exit status (§4). */
export function splitExitClaim(lines: string[]): { lines: string[]; exit?: number } {
  let end = lines.length;
  while (end > 0 && lines[end - 1].trim() === "") end--;
  const m = end > 0 ? /^\s*\[(-?\d+)\]\s*$/.exec(lines[end - 1]) : null;
  if (!m) return { lines };
  return { lines: lines.slice(0, end - 1), exit: Number(m[1]) };
}

export interface CommandJudgement extends Comparison {
  /** Set when an exit status was claimed and differs. */
  exit?: { expected: number; actual: number };
}

/** Judges one transcript command: its output lines and, when shown, its exit status. */
export function judgeCommand(expected: string[], actual: string, rc: number, opts: JudgeOptions & { exit?: number } = {}): CommandJudgement {
  const claim = splitExitClaim(expected);
  const expectedExit = opts.exit ?? claim.exit;
  if (claim.exit !== undefined && opts.exit === undefined) {
    // `[1]` may be a line of output (a printed list): accept it as output when that matches
    const asOutput = compareOutput(expected.join("\n"), actual, opts);
    if (asOutput.ok) return asOutput;
  }
  const out = compareOutput(claim.lines.join("\n"), actual, opts);
  if (expectedExit !== undefined && expectedExit !== rc) {
    const diff = out.diff ?? unifiedDiff([...toLines(claim.lines.join("\n")), `[${expectedExit}]`], [...toLines(actual), `[${rc}]`], opts);
    return { ok: false, diff, exit: { expected: expectedExit, actual: rc } };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// doctest

const TB_HEADER = /^Traceback \((?:most recent call last|innermost last)\):\s*$/;

/** If `want` shows a traceback, the exception lines doctest compares (from the first unindented line after the header). */
export function tracebackClaim(want: string): string | null {
  const lines = toLines(want);
  if (!lines.length || !TB_HEADER.test(lines[0].trim())) return null;
  const k = lines.findIndex((l, i) => i > 0 && /^\w/.test(l));
  return k < 0 ? "" : lines.slice(k).join("\n");
}

export interface ExampleRaw {
  /** stdout+stderr of the example, as a console shows it (the traceback included when it raised). */
  output: string;
  /** The last line of `traceback.format_exception_only`, when it raised. */
  exc?: string;
  timedOut?: boolean;
}

export interface ExampleJudgement extends Comparison {
  /** The exception that nothing claimed. */
  unexpected?: string;
}

/** Judges one `>>>` example with doctest's rules. */
export function judgeExample(want: string, got: ExampleRaw, opts: JudgeOptions = {}): ExampleJudgement {
  if (got.exc !== undefined) {
    const claim = tracebackClaim(want);
    if (claim !== null) {
      const c = compareOutput(claim, got.exc, opts);
      if (c.ok) return c;
      return { ok: false, diff: unifiedDiff(toLines(want), toLines(got.output), opts) };
    }
    const c = compareOutput(want, got.output, opts);
    if (c.ok) return c;
    return { ok: false, unexpected: got.exc, diff: c.diff };
  }
  return compareOutput(want, got.output, opts);
}

// ---------------------------------------------------------------------------------------------
// Unified diff (Myers), expected against actual; lines equal when they match (wildcards honoured).

type Op = { t: "=" | "-" | "+"; i: number; j: number };

function myers(n: number, m: number, eq: (i: number, j: number) => boolean, maxD: number): Op[] | null {
  const max = n + m;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(max, maxD); d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && eq(x, y)) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        // backtrack
        const ops: Op[] = [];
        let cx = n;
        let cy = m;
        for (let dd = d; dd > 0; dd--) {
          const pv = trace[dd];
          const kk = cx - cy;
          const prevK = kk === -dd || (kk !== dd && pv[off + kk - 1] < pv[off + kk + 1]) ? kk + 1 : kk - 1;
          const px = pv[off + prevK];
          const py = px - prevK;
          while (cx > px && cy > py) ops.push({ t: "=", i: --cx, j: --cy });
          if (cx === px) ops.push({ t: "+", i: cx, j: --cy });
          else ops.push({ t: "-", i: --cx, j: cy });
        }
        while (cx > 0 && cy > 0) ops.push({ t: "=", i: --cx, j: --cy });
        return ops.reverse();
      }
    }
  }
  return null;
}

export interface DiffOptions extends JudgeOptions {
  fromLabel?: string;
  toLabel?: string;
  context?: number;
}

/** Aligns expected with actual lines (Myers); a `...` line absorbs the insertions it can match. */
function align(expected: string[], actual: string[], strict: boolean): Op[] {
  const fe = expected.map((l) => foldLine(l, strict));
  const fa = actual.map((l) => foldLine(l, strict));
  const pats = fe.map((l) => (l.includes("[..]") ? inlinePattern(l) : null));
  const star = expected.map(isLineWildcard);
  const eq = (i: number, j: number) => !star[i] && (fe[i] === fa[j] || (pats[i] !== null && pats[i]!.test(fa[j])));
  // trim the common head and tail, then Myers within a budget
  let head = 0;
  while (head < expected.length && head < actual.length && eq(head, head)) head++;
  let tail = 0;
  while (tail < expected.length - head && tail < actual.length - head && eq(expected.length - 1 - tail, actual.length - 1 - tail)) tail++;
  const n = expected.length - head - tail;
  const m = actual.length - head - tail;
  const budget = Math.max(50, Math.min(3000, Math.floor(2e7 / (n + m + 1))));
  let mid = myers(n, m, (i, j) => eq(i + head, j + head), budget);
  if (!mid) {
    mid = [];
    for (let i = 0; i < n; i++) mid.push({ t: "-", i, j: 0 });
    for (let j = 0; j < m; j++) mid.push({ t: "+", i: n, j });
  }
  const ops: Op[] = [];
  for (let k = 0; k < head; k++) ops.push({ t: "=", i: k, j: k });
  for (const o of mid) ops.push({ t: o.t, i: o.i + head, j: o.j + head });
  for (let k = tail; k > 0; k--) ops.push({ t: "=", i: expected.length - k, j: actual.length - k });
  // a `...` line absorbs the insertions around it (those not needed to pair with real deletions)
  const kept: Op[] = [];
  for (let s = 0; s < ops.length; ) {
    if (ops[s].t === "=") {
      kept.push(ops[s++]);
      continue;
    }
    let e = s;
    while (e < ops.length && ops[e].t !== "=") e++;
    const run = ops.slice(s, e);
    const stars = run.filter((o) => o.t === "-" && star[o.i]);
    if (stars.length) {
      const dels = run.filter((o) => o.t === "-" && !star[o.i]);
      const plus = run.filter((o) => o.t === "+");
      const absorb = Math.max(0, plus.length - dels.length);
      const starFirst = dels.length === 0 || stars[0].i < dels[0].i;
      const absorbed = new Set(starFirst ? plus.slice(0, absorb) : plus.slice(plus.length - absorb));
      for (const o of run) {
        if (o.t === "-" && star[o.i]) kept.push({ t: "=", i: o.i, j: -1 });
        else if (!absorbed.has(o)) kept.push(o);
      }
    } else kept.push(...run);
    s = e;
  }
  return kept;
}

/** Unified diff of expected lines against actual lines; `...` absorbs the lines it matches. */
export function unifiedDiff(expected: string[], actual: string[], opts: DiffOptions = {}): string {
  const strict = !!opts.strict;
  const ctx = opts.context ?? 3;
  const kept = align(expected, actual, strict);
  const lines: string[] = [`--- ${opts.fromLabel ?? "expected"}`, `+++ ${opts.toLabel ?? "actual"}`];
  const changed = kept.map((o, k) => (o.t !== "=" ? k : -1)).filter((k) => k >= 0);
  if (!changed.length) return lines.concat(["@@ (differs only in lines matched by wildcards) @@"]).join("\n");
  // group changes into hunks
  let g = 0;
  while (g < changed.length) {
    let start = Math.max(0, changed[g] - ctx);
    let end = Math.min(kept.length, changed[g] + ctx + 1);
    let h = g + 1;
    while (h < changed.length && changed[h] - ctx <= end) {
      end = Math.min(kept.length, changed[h] + ctx + 1);
      h++;
    }
    const hunk = kept.slice(start, end);
    let aStart = -1;
    let bStart = -1;
    let aLen = 0;
    let bLen = 0;
    const body: string[] = [];
    for (const o of hunk) {
      if (o.t !== "+") {
        if (aStart < 0) aStart = o.i;
        aLen++;
      }
      if (o.t !== "-" && o.j >= 0) {
        if (bStart < 0) bStart = o.j;
        bLen++;
      }
      body.push(o.t === "=" ? ` ${expected[o.i]}` : o.t === "-" ? `-${expected[o.i]}` : `+${actual[o.j]}`);
    }
    if (aStart < 0) aStart = hunk[0]?.i ?? 0;
    if (bStart < 0) bStart = Math.max(0, hunk[0]?.j ?? 0);
    lines.push(`@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@`, ...body);
    g = h;
    start = end;
  }
  return lines.join("\n");
}

/**
 * The expected text rewritten from the actual one for `--update`: lines that still match stay as the
 * author wrote them (wildcards kept), the rest become the actual lines.
 */
export function mergeExpected(expected: string[], actual: string[], opts: JudgeOptions = {}): string[] {
  const out: string[] = [];
  for (const o of align(expected, actual, !!opts.strict)) {
    if (o.t === "=") out.push(expected[o.i]);
    else if (o.t === "+") out.push(actual[o.j]);
  }
  return out;
}
