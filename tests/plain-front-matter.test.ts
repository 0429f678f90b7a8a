// hexoSplitter reads a front matter of plain `key: value` lines without js-yaml (scripts/note-parser.ts,
// plainFrontMatterSplit): wherever it answers, the body and its first line must be what Hexo's full parse gives
// (parseFrontMatter), on tom89757, on generated notes and on the corners where YAML fails or reads otherwise.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseFrontMatter } from "../plugins/hexo/frontmatter.ts";
import { plainFrontMatterSplit } from "../scripts/note-parser.ts";
import { listFiles, sharedDir, tempDir } from "./helpers/cli.ts";

/** The split of the full parse, or undefined when it is not a front matter Hexo reads as a mapping. */
function parsedSplit(text: string): { body: string; bodyLine: number } | undefined {
  const r = parseFrontMatter(text.replace(/\r\n/g, "\n"));
  return r.ok && r.value.form !== "none" ? { body: r.value.body, bodyLine: r.value.bodyLine } : undefined;
}

/** How many texts the plain split answered; each answer checked against the full parse. */
function expectSameSplits(texts: { name: string; text: string }[]): number {
  let answered = 0;
  for (const { name, text } of texts) {
    const plain = plainFrontMatterSplit(text);
    if (!plain) continue;
    answered++;
    expect(plain, name).toEqual(parsedSplit(text));
  }
  return answered;
}

describe("the plain front matter split is Hexo's", () => {
  const dir = tempDir("plain-front-matter");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("on every note of tom89757", () => {
    const root = path.join(sharedDir, "corpus/tom89757/source");
    const files = listFiles(root).filter((f) => /\.(md|markdown)$/i.test(f));
    const answered = expectSameSplits(files.map((f) => ({ name: f, text: fs.readFileSync(path.join(root, f), "utf8") })));
    expect(answered).toBeGreaterThan(files.length / 2);
  });

  it("on 300 generated notes (with broken and wrong ones)", () => {
    const notes = path.join(dir, "generated");
    const g = spawnSync(process.execPath, [path.join(sharedDir, "bench/gen-notes.mjs"), notes, "300", "--broken=8", "--wrong=8", "--seed=5"], { encoding: "utf8" });
    expect(g.status, g.stderr).toBe(0);
    const files = listFiles(notes).filter((f) => f.endsWith(".md"));
    expect(expectSameSplits(files.map((f) => ({ name: f, text: fs.readFileSync(path.join(notes, f), "utf8") })))).toBe(300);
  });

  const plain: Record<string, string> = {
    simple: "---\ntitle: Hello\ndate: 2018-01-01 12:00:19\n---\nbody\n",
    lists: "---\ntitle: C# and C++ notes\ncategories:\n- Python\ntags:\n  - a b\n  - x:y\n---\n\nbody",
    "no newline after the closing line": "---\ntitle: x\n---body",
    "closing line with more dashes": "---\ntitle: x\n-----\nbody",
    "empty value": "---\ntitle:\ndraft: true\n---\nbody",
    crlf: "---\r\ntitle: x\r\ntags:\r\n- a\r\n---\r\nbody\r\nmore",
    bom: "\uFEFF---\ntitle: x\n---\nbody",
    "nothing after": "---\ntitle: x\n---",
  };
  it("answers plain front matters, as the full parse does", () => {
    const cases = Object.entries(plain).map(([name, text]) => ({ name, text }));
    expect(expectSameSplits(cases)).toBe(cases.length);
  });

  // YAML errors (duplicate key, an item under a key with a value, bad indentation), other readings (a scalar,
  // a list, quotes, flow collections, block scalars, comments, tabs, non-printable characters), other forms
  const notPlain: Record<string, string> = {
    "duplicate key": "---\ntitle: a\ntitle: b\n---\nbody",
    "item after a value": "---\ntags: a\n- b\n---\nbody",
    "mixed item indentation": "---\ntags:\n  - a\n- b\n---\nbody",
    "item first": "---\n- a\n---\nbody",
    "colon space in a value": "---\ntitle: a: b\n---\nbody",
    "trailing colon": "---\ntitle: a:\n---\nbody",
    "comment in a value": "---\ntitle: a #b\n---\nbody",
    quoted: "---\ntitle: 'a\n---\nbody",
    flow: "---\ntags: [a, b\n---\nbody",
    "block scalar": "---\ntitle: |\n  a\n---\nbody",
    anchor: "---\ntitle: &a x\n---\nbody",
    tab: "---\ntitle:\ta\n---\nbody",
    "control character": "---\ntitle: a\u0007\n---\nbody",
    "nested mapping": "---\nauthor:\n  name: x\n---\nbody",
    "blank line": "---\ntitle: a\n\n---\nbody",
    "json form": ";;;\n\"title\": \"a\"\n;;;\nbody",
    "no opening line": "title: a\n---\nbody",
    "four dashes": "----\ntitle: a\n----\nbody",
    "not closed": "---\ntitle: a\nbody",
  };
  it("leaves everything else to the full parse", () => {
    for (const [name, text] of Object.entries(notPlain)) expect(plainFrontMatterSplit(text), name).toBeUndefined();
  });
});
