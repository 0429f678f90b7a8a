// A warm verify's report makes the rows nothing asks for only when they are asked for (issue 16), and says the same.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROWS, noteRecord, resultOfRecord, rowCount, withLazyRows, type NoteResult, type RowsDigest } from "./lazy-rows.ts";
import { baselineFrom, formatSummary, outcome } from "./report.ts";
import type { Report, SnippetResult } from "./types.ts";
import { createVerifier, noteDigest, verifyNotes, type NoteInput } from "./verify.ts";

const F = "```";
const passing = ["Passes.", "", `${F}python`, "print(6 * 7)", F, "", F, "42", F, ""].join("\n");
const failing = ["Fails.", "", `${F}python`, "print(1 + 1)", F, "", F, "3", F, ""].join("\n");
const needsTorch = ["Needs torch.", "", `${F}python`, "import torch", "print(torch.ones(1))", F, ""].join("\n");
const malformed = ["A malformed fence.", "", `${F}bashobsidian://open?vault=x`, "echo hi", F, "", `${F}python`, "print('hi')", F, ""].join("\n");

/** Whether the report's rows are still to be made. */
const lazy = (report: object) => typeof Object.getOwnPropertyDescriptor(report, "snippets")?.get === "function";
/** The summary as printed, without the line of cache figures and time. */
const printed = (report: Report) => formatSummary(report).replace(/\n {2}\(cache: .*\)/, "");

describe("rows made when asked for", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vn-lazy-rows-"));
  const cacheDir = path.join(dir, "cache");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const notes = (names: string[], texts: string[]): NoteInput[] => names.map((n, i) => ({ file: path.join(dir, n), text: texts[i] }));
  const run = (input: NoteInput[]) => verifyNotes(input, { inputDir: dir, cacheDir });

  it("a warm report says what the cold one said, prints it without making the rows of passing notes, and writes the same JSON", async () => {
    const input = notes(["a.md", "b.md", "c.md", "d.md"], [passing, failing, needsTorch, malformed]);
    const cold = await run(input);
    expect(cold.summary).toMatchObject({ passed: 2, failed: 1, "missing-deps": 1, extracted: 1 });
    expect(cold.diagnostics.length).toBeGreaterThan(0);
    const warm = await run(input);
    expect(warm.cache).toEqual({ hits: 4, misses: 0, sessionsRun: 0 });
    expect(lazy(warm)).toBe(true);
    expect(warm.summary).toEqual(cold.summary);
    expect(rowCount(warm)).toBe(cold.snippets.length);
    expect(warm.diagnostics).toEqual(cold.diagnostics);
    expect(printed(warm)).toBe(printed(cold));
    expect(outcome(warm).failures.map((s) => [s.source, s.index, s.cached])).toEqual([["b.md", 1, true]]);
    expect(outcome(warm, { strict: true }).exitCode).toBe(1);
    expect(baselineFrom(warm).entries).toEqual(baselineFrom(cold).entries);
    expect(lazy(warm), "the summary, outcome and baseline made no row").toBe(true);
    // what the verifier wrote before records (every row parsed, named by its note and marked cached), keys in the order of types.ts
    const expected: Report = {
      version: cold.version,
      summary: cold.summary,
      notes: cold.notes,
      snippets: cold.snippets.map((s) => ({ ...s, cached: true })),
      diagnostics: cold.diagnostics,
      environment: warm.environment,
      cache: warm.cache,
      duration_ms: warm.duration_ms,
    };
    expect(JSON.stringify(warm, null, 1)).toBe(JSON.stringify(expected, null, 1));
    expect(lazy(warm)).toBe(false);
    expect(warm.snippets.every((s) => s.cached && s.source.endsWith(".md"))).toBe(true);
  });

  it("prints a warm summary from the records' heads alone: the rows' packs are read only when a row is asked for", async () => {
    const input = notes(["p.md", "f.md"], [passing, failing]);
    const own = path.join(dir, "own-cache"); // its rows go: the other tests' notes must keep theirs
    const cold = await verifyNotes(input, { inputDir: dir, cacheDir: own });
    for (const pack of fs.readdirSync(own).filter((n) => n.startsWith("rows-"))) fs.rmSync(path.join(own, pack));
    const warm = await verifyNotes(input, { inputDir: dir, cacheDir: own });
    expect(warm.cache?.hits).toBe(2);
    expect(printed(warm)).toBe(printed(cold));
    expect(outcome(warm).failures.map((s) => s.source)).toEqual(["f.md"]);
    expect(() => warm.snippets).toThrow(/lost the rows of (f|p)\.md/);
  });

  it("reads what the last run of the very same notes said together, instead of every note's head", async () => {
    const own = path.join(dir, "run-cache"); // its heads go: the other tests' notes must keep theirs
    const runOwn = (input: NoteInput[]) => verifyNotes(input, { inputDir: dir, cacheDir: own });
    const input = notes(["p.md", "f.md", "t.md"], [passing, failing, needsTorch]);
    const cold = await runOwn(input);
    for (const pack of fs.readdirSync(own).filter((n) => n.startsWith("note-"))) fs.rmSync(path.join(own, pack));
    const warm = await runOwn(input);
    expect(warm.cache).toEqual({ hits: 3, misses: 0, sessionsRun: 0 });
    expect([warm.summary, printed(warm), warm.diagnostics]).toEqual([cold.summary, printed(cold), cold.diagnostics]);
    expect(outcome(warm).failures.map((s) => [s.source, s.index, s.cached])).toEqual([["f.md", 1, true]]);
    expect(() => warm.snippets, "made from the heads, which are gone").toThrow(/lost the rows of/);
    // any other set of notes looks its notes up: here their heads are gone, so they are judged again
    const fewer = await runOwn(input.slice(0, 2));
    expect(fewer.summary).toMatchObject({ passed: 1, failed: 1, "missing-deps": 0 });
    expect(fewer.snippets.map((s) => [s.source, s.status])).toEqual([["f.md", "failed"], ["p.md", "passed"]]);
  });

  it("answers for the very same notes only: not after an edit, a rename, another set, or a note that changed as it was read", async () => {
    const [p, f] = [passing, failing];
    const summaryOf = async (input: NoteInput[]) => {
      const r = await run(input);
      return { ...r.summary, failures: outcome(r).failures.map((s) => s.source) };
    };
    await summaryOf(notes(["x.md", "y.md"], [p, f]));
    expect(await summaryOf(notes(["x.md", "y.md"], [p, f]))).toMatchObject({ passed: 1, failed: 1, failures: ["y.md"] });
    expect(await summaryOf(notes(["x.md", "z.md"], [p, f]))).toMatchObject({ passed: 1, failed: 1, failures: ["z.md"] });
    expect(await summaryOf(notes(["x.md", "z.md"], [p, p]))).toMatchObject({ passed: 2, failed: 0 });
    expect(await summaryOf(notes(["x.md"], [p]))).toMatchObject({ passed: 1, failed: 0 });
    // a note the caller knows by a digest of a text never verified, which is another when read: its result is kept
    // under what it is then, and the run is not kept under the digest it began with
    const unknown = noteDigest("a text no run has seen");
    const changing = (text: string): NoteInput => ({ file: path.join(dir, "w.md"), text: () => text, digest: unknown });
    expect(await summaryOf([changing(f)])).toMatchObject({ passed: 0, failed: 1 });
    expect(await summaryOf([changing(p.replace("Passes.", "Passes, once more."))])).toMatchObject({ passed: 1, failed: 0 });
  });

  it("names the rows of a note found under another name by that name", async () => {
    await run(notes(["same.md"], [passing]));
    const moved = await run(notes(["moved.md"], [passing]));
    expect(moved.cache?.hits).toBe(1);
    expect(moved.snippets.map((s) => s.source)).toEqual(["moved.md"]);
  });

  it("answers a note from the cache at once once the interpreter is probed, and not before", async () => {
    const [note] = notes(["a.md"], [passing]);
    await run([note]);
    const verifier = createVerifier({ inputDir: dir, cacheDir });
    try {
      expect(verifier.cachedNote(note)).toBeUndefined();
      await verifier.whenReady();
      const hit = verifier.cachedNote(note);
      expect(hit?.snippets.map((s) => [s.source, s.status, s.cached])).toEqual([["a.md", "passed", true]]);
      expect(verifier.cachedNote({ ...note, text: passing.replace("6 * 7", "7 * 6") })).toBeUndefined();
      expect(verifier.stats()).toEqual({ hits: 1, misses: 0, sessionsRun: 0 });
    } finally {
      await verifier.close();
    }
  });
});

describe("a note's record", () => {
  const row = (index: number, status: SnippetResult["status"]): SnippetResult => ({
    source: "old.md",
    index,
    line: index * 10,
    lang: "python",
    kind: "source",
    name: `0${index}.py`,
    status,
    message: status === "failed" ? "output differs" : "",
    duration_ms: 3,
    hash: "abcd",
  });
  const result: NoteResult = { source: "old.md", snippets: [row(1, "passed"), row(2, "missing-deps")], diagnostics: [{ severity: "warning", file: "old.md", line: 3, message: "m" }] };

  it("stands for the result as the note it is now found as, with rows made when read", () => {
    const record = noteRecord(result);
    expect(record.head + record.rows).not.toContain("\n");
    const back = resultOfRecord(record.head, () => record.rows, "new.md")!;
    expect(lazy(back)).toBe(true);
    expect((back as unknown as Record<symbol, unknown>)[ROWS]).toEqual({ count: 2, counts: { passed: 1, "missing-deps": 1 }, listed: [] });
    expect(back.diagnostics).toEqual([{ ...result.diagnostics[0], file: "new.md" }]);
    expect(JSON.stringify(back)).toBe(JSON.stringify({ ...result, source: "new.md", snippets: result.snippets.map((s) => ({ ...s, source: "new.md", cached: true })), diagnostics: back.diagnostics }));
  });

  it("keeps the rows a summary lists in its head, and makes the others with them only when asked", () => {
    const record = noteRecord({ ...result, snippets: [row(1, "passed"), row(2, "failed"), row(3, "warning")] });
    let reads = 0;
    const back = resultOfRecord(record.head, () => (reads++, record.rows), "n.md")!;
    const { listed } = (back as unknown as Record<symbol, RowsDigest>)[ROWS];
    expect(listed.map((s) => [s.index, s.status, s.source, s.cached])).toEqual([[2, "failed", "n.md", true], [3, "warning", "n.md", true]]);
    expect(reads).toBe(0);
    expect(back.snippets.map((s) => [s.status, s.source])).toEqual([["passed", "n.md"], ["failed", "n.md"], ["warning", "n.md"]]);
    expect([back.snippets[1], back.snippets[2]], "the listed rows themselves").toEqual(listed);
    expect(back.snippets[1]).toBe(listed[0]);
    expect(reads).toBe(1);
  });

  it("is not read as one when of another format; rows gone, cut short or run into more text are an error when asked for", () => {
    const { head, rows } = noteRecord(result);
    expect(resultOfRecord(JSON.stringify(result), () => rows, "n.md"), "the results before records").toBeUndefined();
    expect(resultOfRecord(`${head}\t${rows}`, () => rows, "n.md"), "one line of both").toBeUndefined();
    for (const lost of [undefined, rows.slice(0, -1), `${rows}]`]) {
      const back = resultOfRecord(head, () => lost, "n.md")!;
      expect(back.diagnostics).toHaveLength(1);
      expect(() => back.snippets).toThrow(/lost the rows of n\.md/);
    }
  });

  it("forgets what it knew of its rows when they are replaced", () => {
    const report = withLazyRows({ snippets: [] as SnippetResult[] }, () => [row(1, "passed")], { count: 1, counts: { passed: 1 }, listed: [] });
    report.snippets = [row(1, "failed"), row(2, "failed")];
    expect(rowCount(report as unknown as Report)).toBe(2);
  });
});
