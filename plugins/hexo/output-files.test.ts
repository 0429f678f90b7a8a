import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeOutputFiles } from "./output-files.ts";

const dirs: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vn-output-files-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("writeOutputFiles", () => {
  it("copies and writes every file into its folder, never outside the output folder", async () => {
    const src = tmp();
    const out = path.join(tmp(), "site");
    fs.writeFileSync(path.join(src, "a.png"), "png");
    const files = Array.from({ length: 30 }, (_, i) => ({ to: `2022/0${i % 3}/n${i}/snippets/${i}.py`, content: `print(${i})\n` }));
    await writeOutputFiles(out, {
      copies: [{ from: path.join(src, "a.png"), to: "img/a.png" }],
      files: [...files, { to: "z/snippets.zip", content: new Uint8Array([80, 75, 5, 6]) }, { to: "../escape.txt", content: "no" }],
    }, { mayExist: () => false });
    expect(fs.readFileSync(path.join(out, "img/a.png"), "utf8")).toBe("png");
    for (const f of files) expect(fs.readFileSync(path.join(out, f.to), "utf8")).toBe(f.content);
    expect([...fs.readFileSync(path.join(out, "z/snippets.zip"))]).toEqual([80, 75, 5, 6]);
    expect(fs.existsSync(path.join(out, "../escape.txt"))).toBe(false);
  });

  it("leaves a file an earlier build wrote with the same bytes untouched, and rewrites one that differs", async () => {
    const out = tmp();
    fs.writeFileSync(path.join(out, "same.txt"), "same");
    fs.writeFileSync(path.join(out, "other.txt"), "old");
    const past = new Date("2020-01-01T00:00:00Z");
    for (const f of ["same.txt", "other.txt"]) fs.utimesSync(path.join(out, f), past, past);
    await writeOutputFiles(out, { copies: [], files: [{ to: "same.txt", content: "same" }, { to: "other.txt", content: "new" }] }, { mayExist: () => true });
    expect(fs.statSync(path.join(out, "same.txt")).mtime).toEqual(past);
    expect(fs.readFileSync(path.join(out, "other.txt"), "utf8")).toBe("new");
  });

  it("under npm start, a file this process wrote with the same bytes is not even read", async () => {
    const out = tmp();
    const written = new Map<string, string>();
    await writeOutputFiles(out, { copies: [], files: [{ to: "a.txt", content: "one" }] }, { mayExist: () => true, written });
    fs.writeFileSync(path.join(out, "a.txt"), "edited by hand");
    await writeOutputFiles(out, { copies: [], files: [{ to: "a.txt", content: "one" }] }, { mayExist: () => true, written });
    expect(fs.readFileSync(path.join(out, "a.txt"), "utf8")).toBe("edited by hand");
    await writeOutputFiles(out, { copies: [], files: [{ to: "a.txt", content: "two" }] }, { mayExist: () => true, written });
    expect(fs.readFileSync(path.join(out, "a.txt"), "utf8")).toBe("two");
    expect(written.size).toBe(1);
  });

  it("with a store, links each file from it: a fresh folder gets links, a changed file never changes the store", async () => {
    const store = path.join(tmp(), "files");
    const first = tmp();
    const files = [{ to: "a/snippets/01.py", content: "print(1)\n" }, { to: "b/snippets/01.py", content: "print(1)\n" }, { to: "b/snippets/index.json", content: "{}\n" }];
    await writeOutputFiles(first, { copies: [], files }, { mayExist: () => false, store });
    expect(fs.readdirSync(store)).toHaveLength(2); // the same bytes are one file
    const ino = (f: string) => fs.statSync(f).ino;
    const stored = path.join(store, fs.readdirSync(store).find((n) => fs.readFileSync(path.join(store, n), "utf8") === "print(1)\n")!);
    expect(ino(path.join(first, "a/snippets/01.py"))).toBe(ino(stored));
    expect(ino(path.join(first, "b/snippets/01.py"))).toBe(ino(stored));

    // CI: the store kept, a fresh output folder: nothing new in the store, every file a link
    const second = tmp();
    const before = fs.readdirSync(store).sort();
    await writeOutputFiles(second, { copies: [], files }, { mayExist: () => false, store });
    expect(fs.readdirSync(store).sort()).toEqual(before);
    expect(ino(path.join(second, "a/snippets/01.py"))).toBe(ino(stored));

    // a file that changed in the same folder: replaced, not written through the link; the store drops what no file uses
    await writeOutputFiles(second, { copies: [], files: [{ to: "a/snippets/01.py", content: "print(2)\n" }, files[2]] }, { mayExist: () => true, store });
    expect(fs.readFileSync(path.join(second, "a/snippets/01.py"), "utf8")).toBe("print(2)\n");
    expect(fs.readFileSync(path.join(first, "a/snippets/01.py"), "utf8")).toBe("print(1)\n");
    expect(fs.existsSync(stored)).toBe(false);
    expect(fs.readdirSync(store)).toHaveLength(2);
  });

  it("links a kept file (linkFrom) without reading it, replaces what is there without writing through, and falls back to its bytes when it is gone", async () => {
    const kept = path.join(tmp(), "kept");
    fs.writeFileSync(kept, "print(1)\n");
    const digest = "0".repeat(40);
    const unread = (to: string, linkFrom: string) => ({ to, digest, linkFrom, get content(): string { throw new Error(`read ${to}`); } });
    const out = tmp();
    writeOutputFiles(out, { copies: [], files: [unread("a/01.py", kept)] }, { mayExist: () => false });
    expect(fs.statSync(path.join(out, "a/01.py")).ino).toBe(fs.statSync(kept).ino);
    // an earlier build's link: left as it is
    writeOutputFiles(out, { copies: [], files: [unread("a/01.py", kept)] }, { mayExist: () => true });
    // a file that is not the kept one (written in place, or by a build before the store): replaced by a link
    fs.rmSync(path.join(out, "a/01.py"));
    fs.writeFileSync(path.join(out, "a/01.py"), "old\n");
    writeOutputFiles(out, { copies: [], files: [unread("a/01.py", kept)] }, { mayExist: () => true });
    expect(fs.statSync(path.join(out, "a/01.py")).ino).toBe(fs.statSync(kept).ino);
    // another kept file for the same path: the link is replaced, the first kept file is unchanged
    const other = path.join(path.dirname(kept), "other");
    fs.writeFileSync(other, "print(2)\n");
    writeOutputFiles(out, { copies: [], files: [unread("a/01.py", other)] }, { mayExist: () => true });
    expect(fs.readFileSync(path.join(out, "a/01.py"), "utf8")).toBe("print(2)\n");
    expect(fs.readFileSync(kept, "utf8")).toBe("print(1)\n");
    // under `npm start`: a file written before with the same digest is not even looked at
    const written = new Map([[path.join(out, "b/01.py"), digest]]);
    writeOutputFiles(out, { copies: [], files: [unread("b/01.py", path.join(path.dirname(kept), "gone"))] }, { mayExist: () => true, written });
    expect(fs.existsSync(path.join(out, "b/01.py"))).toBe(false);
    // gone from its folder: its bytes are asked for and written
    const gone = { to: "c/01.py", digest, linkFrom: path.join(path.dirname(kept), "gone"), content: "print(3)\n" };
    writeOutputFiles(out, { copies: [], files: [gone] }, { mayExist: () => false });
    expect(fs.readFileSync(path.join(out, "c/01.py"), "utf8")).toBe("print(3)\n");
  });
});
