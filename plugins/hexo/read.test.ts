// The files of a notes folder and of a Hexo blog: which are read, and in which order (the notes' order everywhere after).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readHexoBlog, readNotesFolder } from "./read.ts";

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verinotes-read-"));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

describe("reading a folder of notes", () => {
  it("lists files folder by folder, each folder's entries sorted by name, without node_modules or symbolic links", () => {
    const dir = tree({
      "a.md": "a",
      "a/b.md": "b",
      "B.md": "B",
      "[x]/c#.md": "c",
      "node_modules/pkg/readme.md": "no",
      "sub/node_modules/y.md": "no",
      "sub/z.png": "png",
    });
    fs.symlinkSync("/etc/passwd", path.join(dir, "link.md"));
    fs.symlinkSync("/etc", path.join(dir, "etc"));
    const files = readNotesFolder(dir).files;
    expect(files.map((f) => `${f.kind} ${f.rel}`)).toEqual(["post B.md", "post [x]/c#.md", "post a/b.md", "post a.md", "static sub/z.png"]);
    expect(files.find((f) => f.rel === "a/b.md")?.text).toBe("b");
  });

  it("finds a Hexo blog's posts, drafts, pages and static files, and skips what Hexo skips", () => {
    const blog = tree({
      "source/_posts/one.md": "1",
      "source/_posts/_wip/two.md": "2",
      "source/_drafts/draft.md": "d",
      "source/about/index.md": "p",
      "source/.git/config": "x",
      "source/img/a.png": "png",
      "source/node_modules/m.md": "no",
    });
    const files = readHexoBlog(blog, { postAssetFolder: false }).files;
    expect(files.map((f) => `${f.kind} ${f.rel}`)).toEqual(["draft _drafts/draft.md", "post _posts/one.md", "page about/index.md", "static img/a.png"]);
  });
});
