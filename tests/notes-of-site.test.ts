// notesOfSite decides most notes' visibility without parsing their front matter (scripts/note-parser.ts,
// visibleUnread): it must pick exactly the notes that parsing every front matter picks (parseNote, as the build
// does), and hand the verifier the same texts and front matter splits as reading and splitting them again.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultHexoConfig, parseHexoConfig } from "../plugins/hexo/config.ts";
import { parseNote } from "../plugins/hexo/notes.ts";
import { readHexoBlog, readNotesFolder } from "../plugins/hexo/read.ts";
import { hexoSplitter, notesOfSite, noteReading } from "../scripts/note-parser.ts";
import { sharedDir, tempDir, writeTree } from "./helpers/cli.ts";

/** The notes the site renders, every front matter parsed (what notesOfSite did before it looked first). */
function parsedVisible(source: { hexo: string } | { input: string }): string[] {
  const dir = "hexo" in source ? source.hexo : source.input;
  const configFile = path.join(dir, "_config.yml");
  const config = fs.existsSync(configFile) ? parseHexoConfig(fs.readFileSync(configFile, "utf8"), configFile).config : defaultHexoConfig();
  const blog = "hexo" in source ? readHexoBlog(dir, { postAssetFolder: config.post_asset_folder }) : readNotesFolder(dir);
  const ctx = { config, permalinkTimezone: "UTC", now: new Date() };
  return blog.files
    .filter((f) => f.kind === "post" || f.kind === "page" || f.kind === "draft")
    .filter((f) => parseNote(f, ctx).note?.visible ?? true)
    .map((f) => f.abs)
    .sort();
}

async function expectSameNotes(source: { hexo: string } | { input: string }): Promise<string[]> {
  const reading = noteReading();
  const { files } = await notesOfSite(source, reading);
  expect(files).toEqual(parsedVisible(source));
  for (const file of files) {
    const text = reading.text(file);
    expect(text.replace(/^\uFEFF/, ""), file).toBe(fs.readFileSync(file, "utf8").replace(/^\uFEFF/, ""));
    expect(reading.split(text), file).toEqual(hexoSplitter(fs.readFileSync(file, "utf8")));
  }
  return files;
}

const tricky: Record<string, string> = {
  "plain.md": "---\ntitle: plain\n---\nbody\n",
  "hidden.md": "---\ntitle: hidden\npublished: false\n---\nbody\n",
  "hidden-string.md": "---\ntitle: s\npublished: 'false'\n---\nbody\n",
  "hidden-zero.md": "---\npublished: 0\n---\nbody\n",
  "shown-no.md": "---\npublished: no\n---\nbody\n",
  "word-in-body.md": "---\ntitle: w\n---\nThis was published: false in 2020.\n",
  "crlf-hidden.md": "---\r\ntitle: c\r\npublished: false\r\n---\r\nbody\r\n",
  "bom-hidden.md": "\uFEFF---\ntitle: b\npublished: false\n---\nbody\n",
  "json-hidden.md": ';;;\n"title": "j",\n"published": false\n;;;\nbody\n',
  "no-opening-hidden.md": "title: n\npublished: false\n---\nbody\n",
  "leading-newline-hidden.md": "\n---\npublished: false\n---\nbody\n",
  "second-line-separator.md": "---\n---\npublished: false\n---\nbody\n",
  "long-separator.md": "----\ntitle: l\n---x: 1\npublished: false\n----\nbody\n",
  "escaped-key.md": '---\n"\\x70ublished": false\n---\nbody\n',
  "broken.md": "---\ntitle: [unclosed\npublished: false\n---\nbody\n",
  "future.md": "---\ntitle: f\ndate: 2999-01-01\n---\nbody\n",
  "not-utf8.md": Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x74, 0x3a, 0x20, 0xff, 0x0a, 0x2d, 0x2d, 0x2d, 0x0a]).toString("latin1"),
};

describe("notesOfSite picks the notes parsing every front matter picks", () => {
  const dir = tempDir("notes-of-site");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const blog = (name: string, config: string) => {
    const root = path.join(dir, name);
    const files: Record<string, string | Buffer> = { "_config.yml": config };
    for (const [file, text] of Object.entries(tricky)) {
      files[`source/_posts/${file}`] = file === "not-utf8.md" ? Buffer.from(text, "latin1") : text;
      files[`source/_drafts/${file}`] = file === "not-utf8.md" ? Buffer.from(text, "latin1") : text;
    }
    files["source/about/index.md"] = "---\ntitle: about\npublished: false\n---\nbody\n";
    writeTree(root, files);
    return root;
  };

  it.each([
    ["defaults", "title: t\n"],
    ["future: false", "title: t\nfuture: false\n"],
    ["render_drafts", "title: t\nrender_drafts: true\n"],
    ["render_drafts, future: false", "title: t\nrender_drafts: true\nfuture: false\n"],
  ])("on front matters that hide a note or seem to (%s)", async (name, config) => {
    const files = await expectSameNotes({ hexo: blog(name.replace(/\W+/g, "-"), config) });
    expect(files.length).toBeGreaterThan(3);
    if (name === "defaults") {
      const names = files.map((f) => path.relative(path.join(dir, "defaults", "source"), f));
      expect(names).toContain("_posts/word-in-body.md");
      expect(names).not.toContain("_posts/hidden.md");
      expect(names).not.toContain("_posts/leading-newline-hidden.md");
      expect(names).not.toContain("_posts/second-line-separator.md");
      expect(names).not.toContain("_posts/long-separator.md");
      expect(names).toContain("_posts/broken.md");
    }
  });

  it("on tom89757", async () => {
    expect((await expectSameNotes({ hexo: path.join(sharedDir, "corpus/tom89757") })).length).toBeGreaterThan(100);
  });

  it("on generated notes (--input)", async () => {
    const notes = path.join(dir, "generated");
    const g = spawnSync(process.execPath, [path.join(sharedDir, "bench/gen-notes.mjs"), notes, "120", "--seed=3"], { encoding: "utf8" });
    expect(g.status, g.stderr).toBe(0);
    expect(await expectSameNotes({ input: notes })).toHaveLength(120);
  });
});
