// `npm run verify` does not read a note whose stat (size, times, inode) its index knows (scripts/note-index.ts). Any
// change to a note must still be verified again: an edit of the same size with its modification time set back, a
// rename, a note moved onto another's path, a deletion. Real notes, real verify runs, one cache folder.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noteDigest, verifyNotes, type NoteInput } from "../plugins/snippets/verify.ts";
import { RACY_MS, openStatIndex } from "../scripts/note-index.ts";
import { notesOfSite, noteReading } from "../scripts/note-parser.ts";
import { runScript, tempDir, writeTree } from "./helpers/cli.ts";

/** A note whose block prints `a + b` and claims the output `expected`. */
const note = (title: string, a: number, b: number, expected: number) =>
  `---\ntitle: ${title}\n---\n\nSome prose.\n\n\`\`\`python\nprint(${a} + ${b})\n\`\`\`\n\nOutput:\n\n\`\`\`\n${expected}\n\`\`\`\n`;

/** Sets `file`'s modification time to `reference`'s, to the nanosecond (fs.utimes takes seconds as a double). */
const sameMtime = (file: string, reference: string) => execFileSync("touch", ["-m", "-r", reference, file]);

interface Row {
  source: string;
  status: string;
}

describe("the stat index of npm run verify", () => {
  const dir = tempDir("stat-index");
  const notes = path.join(dir, "notes");
  const cache = path.join(dir, "cache");
  const json = path.join(dir, "report.json");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const verify = (): Map<string, string> => {
    const r = runScript("verify", ["--input", notes, "--cache-dir", cache, "--json", json, "--quiet"]);
    expect(r.status === 0 || r.status === 1, r.stderr).toBe(true);
    const rows = (JSON.parse(fs.readFileSync(json, "utf8")) as { snippets: Row[] }).snippets;
    return new Map(rows.map((s) => [s.source, s.status]));
  };
  /** The notes the next run would read (the others its index stands for). */
  const wouldRead = async (): Promise<string[]> => {
    const reading = noteReading();
    await notesOfSite({ input: notes }, reading, { statIndexDir: cache });
    return [...reading.texts.keys()].map((f) => path.relative(notes, f)).sort();
  };

  beforeAll(async () => {
    const files: Record<string, string> = {};
    for (const name of ["same-size", "rename", "delete", "moved-onto", "mover", "grow", "untouched"]) files[`${name}.md`] = note(name, 1, 1, 2);
    writeTree(notes, files);
    // a note is recorded only once its times are RACY_MS older than the run that reads it
    await new Promise((r) => setTimeout(r, RACY_MS + 300));
    const first = verify();
    expect([...first.values()].every((s) => s === "passed")).toBe(true);
    expect(await wouldRead()).toEqual([]);
  }, 60_000);

  it("verifies a note edited to the same size, with its modification time set back, again", async () => {
    const file = path.join(notes, "same-size.md");
    const before = fs.statSync(file);
    execFileSync("touch", ["-r", file, path.join(dir, "reference")]);
    fs.writeFileSync(file, note("same-size", 1, 2, 2)); // prints 3, claims 2
    sameMtime(file, path.join(dir, "reference"));
    const after = fs.statSync(file);
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
    expect(await wouldRead()).toEqual(["same-size.md"]);
    expect(verify().get("same-size.md")).toBe("failed");
  }, 60_000);

  it("verifies a note edited to a new length again", async () => {
    fs.appendFileSync(path.join(notes, "grow.md"), "\n```python\nprint(2 + 2)\n```\n\nOutput:\n\n```\n5\n```\n");
    const report = verify();
    expect(report.get("grow.md")).toBe("failed");
  }, 60_000);

  it("verifies a renamed note under its new name, and forgets a deleted one", async () => {
    fs.renameSync(path.join(notes, "rename.md"), path.join(notes, "renamed.md"));
    fs.rmSync(path.join(notes, "delete.md"));
    const report = verify();
    expect(report.get("renamed.md")).toBe("passed");
    expect(report.has("rename.md")).toBe(false);
    expect(report.has("delete.md")).toBe(false);
  }, 60_000);

  it("verifies a note moved onto another note's path, with the same size and times, as the note it now is", async () => {
    const target = path.join(notes, "moved-onto.md");
    const mover = path.join(notes, "mover.md");
    const was = fs.statSync(target);
    fs.writeFileSync(mover, note("moved-onto", 2, 1, 2)); // same length as the target, prints 3, claims 2
    sameMtime(mover, target);
    fs.renameSync(mover, target);
    expect([fs.statSync(target).size, fs.statSync(target).mtimeMs]).toEqual([was.size, was.mtimeMs]);
    expect(verify().get("moved-onto.md")).toBe("failed");
  }, 60_000);

  it("still stands for the notes no one changed", async () => {
    expect(await wouldRead()).not.toContain("untouched.md");
    expect(verify().get("untouched.md")).toBe("passed");
  }, 60_000);
});

describe("what the stat index records", () => {
  const dir = tempDir("stat-index-unit");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const stat = { size: 10, mtimeMs: 1_000_000, ctimeMs: 1_000_000, ino: 7, dev: 1 };

  it("records a note only when its times are clearly older than the run, and answers only for the same stat", () => {
    const root = path.join(dir, "notes");
    const digest = noteDigest("text");
    const first = openStatIndex(dir, root, "scheme", stat.ctimeMs + RACY_MS + 1);
    first.record("old.md", stat, digest);
    first.record("racy.md", { ...stat, ctimeMs: stat.ctimeMs + 2 }, digest); // changed within RACY_MS of the run
    first.record("future.md", { ...stat, mtimeMs: stat.mtimeMs + 10 * RACY_MS }, digest);
    first.save();
    const next = openStatIndex(dir, root, "scheme");
    expect(next.known("old.md", stat)).toBe(digest);
    expect(next.known("racy.md", { ...stat, ctimeMs: stat.ctimeMs + 2 })).toBeUndefined();
    expect(next.known("future.md", { ...stat, mtimeMs: stat.mtimeMs + 10 * RACY_MS })).toBeUndefined();
    for (const change of [{ size: 11 }, { mtimeMs: stat.mtimeMs + 1 }, { ctimeMs: stat.ctimeMs + 0.001 }, { ino: 8 }, { dev: 2 }])
      expect(next.known("old.md", { ...stat, ...change }), JSON.stringify(change)).toBeUndefined();
    expect(openStatIndex(dir, root, "another scheme").known("old.md", stat)).toBeUndefined();
    expect(openStatIndex(dir, path.join(dir, "other"), "scheme").known("old.md", stat)).toBeUndefined();
  });
});

describe("a note handed to the verifier by its digest", () => {
  const dir = tempDir("stat-index-digest");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, "n.md");
  const passes = note("n", 1, 1, 2);
  const fails = note("n", 1, 2, 2);
  const run = async (input: NoteInput) => (await verifyNotes([input], { inputDir: dir, cacheDir: path.join(dir, "cache") })).snippets[0]?.status;

  it("is read when its result is not cached, and its result kept under what it is then, not under the digest given", async () => {
    expect(await run({ file, text: passes })).toBe("passed");
    // the caller's stat said one text, the note is another by the time it is read
    expect(await run({ file, text: () => fails, digest: noteDigest("another text") })).toBe("failed");
    expect(await run({ file, text: fails })).toBe("failed");
    expect(await run({ file, text: () => passes, digest: noteDigest("another text") })).toBe("passed");
    // a digest the cache knows answers without reading the note
    const unreadable = () => {
      throw new Error("read");
    };
    expect(await run({ file, text: unreadable, digest: noteDigest(passes) })).toBe("passed");
    expect(await run({ file, text: unreadable, digest: noteDigest(fails) })).toBe("failed");
  }, 60_000);
});
