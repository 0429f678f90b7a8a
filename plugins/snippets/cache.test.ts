// The result cache (§7): prose edits re-run nothing, a block edit re-runs only its session.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cacheKey, cacheKeyer, createFsCache, createMemoryCache, readPack } from "./cache.ts";
import { extractSnippets } from "./extract.ts";
import { defaultMarkdown } from "./options.ts";
import type { Token } from "./types.ts";
import { createVerifier, verifyNotes, type NoteInput } from "./verify.ts";

const F = "```";
const note = (prose: string, a: string, aOut: string, b: string, bOut: string) =>
  [prose, "", `${F}python`, a, F, "", F, aOut, F, "", `${F}python session="b"`, b, F, "", F, bOut, F, ""].join("\n");

describe("the cache", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vn-cache-test-"));
  const cacheDir = path.join(dir, "cache");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (notes: NoteInput[]) => verifyNotes(notes, { inputDir: dir, cacheDir });
  const A = (text: string): NoteInput => ({ file: path.join(dir, "a.md"), text });
  const other: NoteInput = { file: path.join(dir, "other.md"), text: note("Other.", "print('o')", "o", "print('p')", "p") };

  it("stores values under keys in a folder", () => {
    const c = createFsCache(path.join(dir, "kv"));
    const k = cacheKey("x", { a: 1 });
    expect(c.get(k)).toBeUndefined();
    c.set(k, { v: [1, 2] });
    c.flush?.();
    expect(createFsCache(path.join(dir, "kv")).get(k)).toEqual({ v: [1, 2] });
    expect(cacheKey("x", { a: 1 })).toBe(k);
    expect(cacheKey("x", { a: 2 })).not.toBe(k);
    const keyer = cacheKeyer("x");
    expect([keyer({ a: 1 }), keyer({ a: 2 }), keyer({ a: 1 })]).toEqual([k, cacheKey("x", { a: 2 }), k]);
  });

  it("keeps text of a caller's own format beside JSON entries, one line each, in a folder or in memory", () => {
    const kv = path.join(dir, "text");
    const memory = createMemoryCache();
    // each cache, and what reads it back: the same folder from a new cache, the same memory
    for (const [c, reopen] of [[createFsCache(kv), () => createFsCache(kv)], [memory, () => memory]] as const) {
      c.setText("record", `{"head":1}\t[{"row":"a\\tb"}]`);
      c.set("json", { v: 1 });
      c.flush?.();
      const again = reopen();
      expect(again.getText("record")).toBe(`{"head":1}\t[{"row":"a\\tb"}]`);
      expect(again.get("record"), "not JSON: a miss for get").toBeUndefined();
      expect([again.get("json"), again.getText("json")]).toEqual([{ v: 1 }, '{"v":1}']);
      expect(again.getText("absent")).toBeUndefined();
      expect(() => c.setText("torn", "a\nb"), "a newline would end the pack's line").toThrow(/newline/);
    }
  });

  it("keys are the sha256 of the parts, each followed by NUL (the keys caches already hold)", () => {
    const parts = ["note", { a: [1, "é"] }, "text with \ud83d lone surrogate", 3];
    const h = createHash("sha256");
    for (const p of parts) h.update(typeof p === "string" ? p : JSON.stringify(p)).update("\0");
    const incremental = h.digest("hex");
    expect(cacheKey(...parts)).toBe(incremental);
    expect(cacheKeyer(parts[0], parts[1])(parts[2], parts[3])).toBe(incremental);
  });

  it("writes entries in batches to one pack per process, and reads every pack back", () => {
    const kv = path.join(dir, "packs");
    const c = createFsCache(kv, { batch: 3 });
    for (const i of [1, 2]) c.set(cacheKey(i), { i });
    expect(fs.existsSync(kv), "nothing written before the batch is full").toBe(false);
    c.set(cacheKey(3), { i: 3 });
    expect(fs.readdirSync(kv).filter((n) => n.endsWith(".pack"))).toHaveLength(1);
    c.set(cacheKey(4), { i: 4 });
    c.flush?.();
    expect(fs.readdirSync(kv).filter((n) => n.endsWith(".pack")), "the same pack, appended to").toHaveLength(1);
    const again = createFsCache(kv);
    expect([1, 2, 3, 4].map((i) => again.get(cacheKey(i)))).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }, { i: 4 }]);
  });

  it("leaves out a torn last line, and merges many packs into one once no process writes them", () => {
    const m = new Map<string, string>();
    readPack(`a\t{"x":1}\nb\t{"x":`, m);
    expect([...m]).toEqual([["a", '{"x":1}']]);
    const kv = path.join(dir, "merge");
    for (let i = 0; i < 5; i++) {
      const c = createFsCache(kv, { mergeAbove: 100 });
      c.set(cacheKey("m", i), i);
      c.flush?.();
    }
    expect(fs.readdirSync(kv)).toHaveLength(5);
    const busy = createFsCache(kv, { mergeAbove: 3 }); // written just now: maybe still growing, kept
    expect(busy.get(cacheKey("m", 4))).toBe(4);
    expect(fs.readdirSync(kv)).toHaveLength(5);
    const idle = createFsCache(kv, { mergeAbove: 3, busyMs: -1 });
    expect([0, 1, 2, 3, 4].map((i) => idle.get(cacheKey("m", i)))).toEqual([0, 1, 2, 3, 4]);
    expect(fs.readdirSync(kv)).toHaveLength(1);
    expect(createFsCache(kv).get(cacheKey("m", 2))).toBe(2);
  });

  it("reads only the packs of its own generation, and removes (once unused for an hour) those of its kind that other code wrote", () => {
    const kv = path.join(dir, "generations");
    const write = (generation: string, key: string) => {
      const c = createFsCache(kv, { generation });
      c.set(cacheKey(key), key);
      c.flush?.();
    };
    write("", "legacy"); // written before generations
    write("session-aaaa", "old session");
    write("note-cccc", "note");
    const packs = () => fs.readdirSync(kv).sort();
    expect(packs()).toHaveLength(3);
    const busy = createFsCache(kv, { generation: "session-bbbb" }); // the others were written just now: kept
    expect(busy.get(cacheKey("old session")), "another generation never answers").toBeUndefined();
    expect(busy.get(cacheKey("legacy"))).toBeUndefined();
    expect(packs()).toHaveLength(3);
    const idle = createFsCache(kv, { generation: "session-bbbb", staleMs: -1 });
    expect(idle.get(cacheKey("old session"))).toBeUndefined();
    expect(packs(), "the old session pack and the legacy one removed, the note pack left").toEqual([expect.stringMatching(/^note-cccc\./)]);
    write("session-bbbb", "new session");
    expect(createFsCache(kv, { generation: "note-cccc", staleMs: -1 }).get(cacheKey("note"))).toBe("note");
    expect(createFsCache(kv, { generation: "session-bbbb", staleMs: -1 }).get(cacheKey("new session"))).toBe("new session");
    expect(packs()).toHaveLength(2);
  });

  it("runs everything the first time, nothing the second", async () => {
    const first = await run([A(note("Intro.", "print(1)", "1", "print(2)", "2")), other]);
    expect(first.summary.passed).toBe(4);
    expect(first.cache).toEqual({ hits: 0, misses: 4, sessionsRun: 4 });
    const second = await run([A(note("Intro.", "print(1)", "1", "print(2)", "2")), other]);
    expect(second.cache).toEqual({ hits: 2, misses: 0, sessionsRun: 0 });
    expect(second.snippets.every((s) => s.cached)).toBe(true);
    expect(second.environment?.processes).toMatch(/not started/);
  });

  it("re-runs nothing after an edit to prose", async () => {
    const r = await run([A(note("Intro, reworded.", "print(1)", "1", "print(2)", "2")), other]);
    expect(r.cache).toEqual({ hits: 3, misses: 0, sessionsRun: 0 }); // other.md as a whole, both sessions of a.md
    expect(r.summary.passed).toBe(4);
  });

  it("judges an edited expected output again without running", async () => {
    const r = await run([A(note("Intro.", "print(1)", "one", "print(2)", "2")), other]);
    expect(r.cache).toEqual({ hits: 3, misses: 0, sessionsRun: 0 });
    expect(r.snippets.find((s) => s.source === "a.md" && s.index === 1)?.status).toBe("failed");
  });

  it("re-runs only the session of an edited block", async () => {
    const r = await run([A(note("Intro.", "print(1)", "1", "print(3)", "3")), other]);
    expect(r.cache).toEqual({ hits: 2, misses: 1, sessionsRun: 1 });
    expect(r.summary.passed).toBe(4);
  });

  it("gives a build's verifier a note's verdicts under its snippets, judged again when an expected output changes", async () => {
    const file = path.join(dir, "built.md");
    const snippetsOf = (text: string) => extractSnippets(defaultMarkdown().parse(text, {}) as unknown as Token[], { file, bodyLine: 1 });
    const verifySnippets = async (text: string) => {
      const verifier = createVerifier({ inputDir: dir, cacheDir });
      try {
        return { result: await verifier.verifySnippets(file, snippetsOf(text)), stats: verifier.stats() };
      } finally {
        await verifier.close();
      }
    };
    const first = await verifySnippets(note("Built.", "print(5)", "5", "print(6)", "6"));
    expect(first.stats).toEqual({ hits: 0, misses: 2, sessionsRun: 2 });
    const second = await verifySnippets(note("Built.", "print(5)", "5", "print(6)", "6"));
    expect(second.stats, "the note's verdicts, not its sessions").toEqual({ hits: 1, misses: 0, sessionsRun: 0 });
    expect(second.result.snippets.map((s) => [s.index, s.status, s.cached])).toEqual(first.result.snippets.map((s) => [s.index, s.status, true]));
    const edited = await verifySnippets(note("Built.", "print(5)", "five", "print(6)", "6"));
    expect(edited.stats, "judged again from both sessions' results").toEqual({ hits: 2, misses: 0, sessionsRun: 0 });
    expect(edited.result.snippets.find((s) => s.index === 1)?.status).toBe("failed");
  });
});
