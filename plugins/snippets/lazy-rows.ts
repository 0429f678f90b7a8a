// Rows made when someone asks for them (issue 16). A warm `npm run verify` that prints its summary needs, of every
// note, how many rows of each status it has and the rows a summary lists (failures, warnings, invalid and unresolved
// blocks): parsing the cached rows of 4,000 notes was the largest part of its time. So verifyNote caches a note's
// result as a record, a head apart from its rows' JSON, and a result or report made from records keeps what is known
// of its rows (under ROWS) and makes `snippets` when first read (--json, --junit, --update).
// Rows are never changed once made (as the verifier's in-memory results), so what is known of them stays true.
import { emptySummary, type Report, type SnippetDiagnostic, type SnippetResult, type Status } from "./types.ts";

/** The statuses whose rows a summary may list (report.ts: the failing ones with --strict, which include the notable). */
export const LISTED_STATUSES: readonly Status[] = ["failed", "warning", "invalid", "unresolved"];

/** Where a result or report made with lazy rows keeps what is known of them (a symbol: JSON and spreads leave it out). */
export const ROWS = Symbol("verinotes.rows");

export interface RowsDigest {
  count: number;
  /** Rows of each status; a status with none may be left out. */
  counts: Partial<Record<Status, number>>;
  /** The rows of a LISTED_STATUSES status, in row order. */
  listed: SnippetResult[];
}

type WithRows = { snippets: SnippetResult[]; [ROWS]?: RowsDigest };

/** What is known of the rows of a result or report: kept when its rows are lazy, else counted from them. */
export function rowsDigest(of: WithRows): RowsDigest {
  const known = of[ROWS];
  if (known) return known;
  const counts: Partial<Record<Status, number>> = {};
  const listed: SnippetResult[] = [];
  for (const s of of.snippets) {
    counts[s.status] = (counts[s.status] ?? 0) + 1;
    if (LISTED_STATUSES.includes(s.status)) listed.push(s);
  }
  return { count: of.snippets.length, counts, listed };
}

/** What is known of a report's rows: `counts` has every status, as its summary. */
export type ReportDigest = RowsDigest & { counts: Record<Status, number> };

/** What is known of several results' rows one after the other. */
export function joinDigests(digests: RowsDigest[]): ReportDigest {
  let count = 0;
  const counts = emptySummary();
  const listed: SnippetResult[] = [];
  for (const d of digests) {
    count += d.count;
    for (const st in d.counts) counts[st as Status] += d.counts[st as Status]!;
    for (const s of d.listed) listed.push(s);
  }
  return { count, counts, listed };
}

/**
 * `target` with `snippets` made by `make` when first read (then an ordinary property, in the same place among the
 * keys, so that JSON.stringify writes the same text as for rows made at once) and `digest` kept under ROWS. Setting
 * `snippets` replaces the rows, and what was known of the old ones is dropped.
 */
export function withLazyRows<T extends { snippets: SnippetResult[] }>(target: T, make: () => SnippetResult[], digest: RowsDigest): T {
  const settle = (rows: SnippetResult[]) => {
    Object.defineProperty(target, "snippets", { value: rows, writable: true, enumerable: true, configurable: true });
    return rows;
  };
  Object.defineProperty(target, "snippets", {
    get: () => settle(make()),
    set: (rows: SnippetResult[]) => {
      delete (target as WithRows)[ROWS];
      settle(rows);
    },
    enumerable: true,
    configurable: true,
  });
  Object.defineProperty(target, ROWS, { value: digest, enumerable: false, configurable: true, writable: true });
  return target;
}

/** The report's rows of these statuses, in row order; without making every row when they are all listed ones. */
export function rowsWithStatus(report: Report, statuses: readonly Status[]): SnippetResult[] {
  const known = (report as WithRows)[ROWS];
  const from = known && statuses.every((s) => LISTED_STATUSES.includes(s)) ? known.listed : report.snippets;
  return from.filter((s) => statuses.includes(s.status));
}

/** How many rows the report has. */
export function rowCount(report: Report): number {
  return (report as WithRows)[ROWS]?.count ?? report.snippets.length;
}

// ---------------------------------------------------------------------------------------------
// a note's record, in two parts kept apart: its head (its rows of each status, the listed ones themselves, its
// diagnostics, how long its rows' JSON is), which a warm run reads of every note, and its rows' JSON, read only when
// some row that is not listed is asked for (the rows of 4,000 notes were 6.5 MB to read and decode, their heads 0.8 MB).

export interface NoteResult {
  source: string;
  snippets: SnippetResult[];
  diagnostics: SnippetDiagnostic[];
}

interface RecordHead {
  /** How many characters the rows' JSON has: rows cut short, run into other text or of another result are not read. */
  length: number;
  counts: Partial<Record<Status, number>>;
  /** The rows of a listed status, with their positions. */
  listed: [number, SnippetResult][];
  diagnostics: SnippetDiagnostic[];
}

/** The two parts of a note's record, each one line of a pack (JSON escapes every newline). */
export function noteRecord(result: NoteResult): { head: string; rows: string } {
  const rows = JSON.stringify(result.snippets);
  const counts: Partial<Record<Status, number>> = {};
  const listed: [number, SnippetResult][] = [];
  result.snippets.forEach((s, i) => {
    counts[s.status] = (counts[s.status] ?? 0) + 1;
    if (LISTED_STATUSES.includes(s.status)) listed.push([i, s]);
  });
  const head: RecordHead = { length: rows.length, counts, listed, diagnostics: result.diagnostics };
  return { head: JSON.stringify(head), rows };
}

/**
 * The result a record's head stands for, as the note at `source` (every row and diagnostic named by it, every row
 * marked cached), or undefined when the head is not one (another format). `rows` gives the rows' JSON when they are
 * first asked for; if they are gone or are not these rows then, reading `snippets` throws.
 */
export function resultOfRecord(headText: string, rows: () => string | undefined, source: string): NoteResult | undefined {
  let head: RecordHead;
  try {
    head = JSON.parse(headText) as RecordHead;
  } catch {
    return undefined;
  }
  if (!head || typeof head.length !== "number" || !head.counts || typeof head.counts !== "object" || !Array.isArray(head.listed) || !Array.isArray(head.diagnostics)) return undefined;
  const named = (s: SnippetResult) => {
    s.source = source;
    s.cached = true;
    return s;
  };
  for (const d of head.diagnostics) d.file = source;
  let count = 0;
  for (const st in head.counts) count += head.counts[st as Status]!;
  const listed = head.listed.map(([, s]) => named(s));
  const make = (): SnippetResult[] => {
    const text = rows();
    if (text === undefined || text.length !== head.length) throw lostRows(source);
    const made = (JSON.parse(text) as SnippetResult[]).map(named);
    head.listed.forEach(([i], k) => (made[i] = listed[k])); // the very rows the report lists
    return made;
  };
  return withLazyRows<NoteResult>({ source, snippets: [], diagnostics: head.diagnostics }, make, { count, counts: head.counts, listed });
}

/** The error of a report whose rows cannot be made: the result cache lost some it had when the report was made. */
export function lostRows(source: string): Error {
  return new Error(`the result cache has lost the rows of ${source}: verify again with --no-cache, or remove the cache folder`);
}

/**
 * What the results of a set of notes say together, kept by verifyWith for the next run of the very same notes, which
 * then reads it instead of every note's head (the heads of 4,000 notes were ~30 ms to look up, parse and wrap).
 */
export interface RunRecord extends ReportDigest {
  /** The digest of the notes' keys and names, in order: the record answers for these notes and no others. */
  set: string;
  diagnostics: SnippetDiagnostic[];
}
