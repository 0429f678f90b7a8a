import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { NoteForExtension } from "../hexo/extensions.ts";
import { writeOutputFiles } from "../hexo/output-files.ts";
import { snippetsExtension } from "./eleventy.ts";
import { extractSnippets } from "./extract.ts";
import { storedNoteFiles, temporaryNoteFiles, type NoteFilesInput } from "./note-files.ts";
import { defaultMarkdown } from "./options.ts";
import { snippetFileNames, snippetFiles } from "./render.ts";
import type { Snippet, Token } from "./types.ts";

const dirs: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vn-note-files-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const snippetsOf = (md: string, file = "a.md"): Snippet[] => extractSnippets(defaultMarkdown().parse(md, {}) as unknown as Token[], { file, bodyLine: 1 });
const two = snippetsOf('```python\nprint(1)\n```\n\n```bash\n$ echo hi\nhi\n```\n');
const one = snippetsOf("```python\nprint(2)\n```\n");
const input = (snippets: Snippet[], key: string, folder = "2024/01/01/a/snippets"): NoteFilesInput => ({ folder, snippets, results: [], names: snippetFileNames(snippets), key });
/** What the files say, read as the writer reads them. */
const texts = (files: { to: string; content: string | Uint8Array }[]) => Object.fromEntries(files.map((f) => [f.to, Buffer.from(f.content).toString("latin1")]));
const expected = (snippets: Snippet[], folder = "2024/01/01/a/snippets") => texts(snippetFiles(snippets).map((f) => ({ to: `${folder}/${f.path}`, content: f.content })));

describe("a note's snippet files kept in the cache folder", () => {
  it("are made once: a later build finds them by their key and links them from the store", () => {
    const cache = tmp();
    const first = storedNoteFiles(cache);
    const made = first.filesOf(input(two, "k-two"));
    first.done(true);
    expect(made.zip).toBe(true);
    expect(texts(made.files)).toEqual(expected(two));
    const store = path.join(cache, "files");
    expect(made.files.every((f) => f.linkFrom && path.dirname(f.linkFrom) === store && fs.existsSync(f.linkFrom))).toBe(true);

    // the next build: the same key gives the kept files, not made again (these snippets would make other ones)
    const next = storedNoteFiles(cache);
    const kept = next.filesOf(input(one, "k-two", "2025/02/02/moved/snippets"));
    next.done(true);
    expect(kept.files.map((f) => f.to)).toEqual(made.files.map((f) => f.to.replace("2024/01/01/a", "2025/02/02/moved")));
    expect(kept.files.map((f) => f.digest)).toEqual(made.files.map((f) => f.digest));
    expect(kept.zip).toBe(true);

    // written by the notes plugin into a fresh folder: every file a link to the store, its bytes never read
    const out = tmp();
    const unread = kept.files.map((f) => ({ to: f.to, digest: f.digest, linkFrom: f.linkFrom, get content(): Uint8Array { throw new Error(`read ${f.to}`); } }));
    writeOutputFiles(out, { copies: [], files: unread }, { mayExist: () => false });
    for (const f of kept.files) expect(fs.statSync(path.join(out, f.to)).ino).toBe(fs.statSync(f.linkFrom!).ino);
  });

  it("are made again when what they are made from changed, and a one-shot build's store keeps only its notes' files", () => {
    const cache = tmp();
    const store = path.join(cache, "files");
    const first = storedNoteFiles(cache);
    first.filesOf(input(two, "k-two"));
    first.done(true);
    const before = fs.readdirSync(store);

    // under `npm start` the list only grows and nothing is removed
    const watching = storedNoteFiles(cache);
    const changed = watching.filesOf(input(one, "k-one"));
    watching.done(false);
    expect(texts(changed.files)).toEqual(expected(one));
    expect(changed.zip).toBe(false);
    expect(fs.readdirSync(store)).toEqual(expect.arrayContaining(before));
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(cache, "files.json"), "utf8"))).sort()).toEqual(["k-one", "k-two"]);

    // a one-shot build of the edited note: the other note's files go
    const oneShot = storedNoteFiles(cache);
    const files = oneShot.filesOf(input(one, "k-one")).files;
    oneShot.done(true);
    expect(fs.readdirSync(store).sort()).toEqual(files.map((f) => f.digest).sort());
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(cache, "files.json"), "utf8")))).toEqual(["k-one"]);
  });

  it("are made again when the store lost one", () => {
    const cache = tmp();
    const first = storedNoteFiles(cache);
    const made = first.filesOf(input(two, "k-two")).files;
    first.done(true);
    fs.rmSync(made[0].linkFrom!);
    const next = storedNoteFiles(cache);
    const again = next.filesOf(input(two, "k-two")).files;
    next.done(true);
    expect(fs.existsSync(again[0].linkFrom!)).toBe(true);
    expect(texts(again)).toEqual(expected(two));
  });
});

describe("a note's snippet files without a cache folder", () => {
  it("wait in a temporary file, read back once, and it is closed once every file was read", () => {
    const pending = temporaryNoteFiles(tmp());
    const a = pending.filesOf(input(two, ""));
    const b = pending.filesOf(input(one, "", "b/snippets"));
    expect(a.zip).toBe(true);
    expect(b.zip).toBe(false);
    expect(texts(a.files)).toEqual(expected(two));
    expect(() => b.files[0].content).not.toThrow();
    expect(() => b.files[0].content).not.toThrow(); // a second read of a file is not counted
    expect(texts(b.files)).toEqual(expected(one, "b/snippets")); // the last file read: closed
    expect(() => a.files[0].content).toThrow(/after they were written/);
    pending.close(); // again: nothing to do
  });
});

describe("the snippets extension's files", () => {
  const note = (source: string, route: string, collected: Snippet[]): NoteForExtension => ({ source, abs: `/n/${source}`, route, url: `/${path.posix.dirname(route)}/`, title: source, lang: "en", html: "", collected });
  const notes = () => [note("a.md", "2024/01/01/a/index.html", two), note("b.md", "2024/01/02/b/index.html", one)];
  const options = (cacheDir: string | null) => ({ verify: false, cacheDir, timeout: 10, reportLayout: false as const });

  it("with the cache kept, a build makes no file again; each build writes the same files", async () => {
    const cache = tmp();
    const first = (await snippetsExtension(options(cache)).finish!(notes())).files!;
    const want = { ...expected(two, "2024/01/01/a/snippets"), ...expected(one, "2024/01/02/b/snippets") };
    expect(texts(first)).toEqual(want);
    expect(first.every((f) => f.linkFrom)).toBe(true);
    // the next build finds every note's files in the list: it makes none, so the list is not written again
    const list = () => fs.statSync(path.join(cache, "files.json")).ino;
    const before = list();
    const next = (await snippetsExtension(options(cache)).finish!(notes())).files!;
    expect(next.map((f) => [f.to, f.linkFrom])).toEqual(first.map((f) => [f.to, f.linkFrom]));
    expect(list()).toBe(before);

    // and without a cache folder, the same bytes
    const none = (await snippetsExtension(options(null)).finish!(notes())).files!;
    expect(none.some((f) => f.linkFrom)).toBe(false);
    expect(texts(none)).toEqual(want);
  });
});
