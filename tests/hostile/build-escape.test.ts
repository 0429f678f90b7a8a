// Issue 12, acceptance: with no code run at all, a snippet's title names the file the build writes in
// `<post URL>snippets/`; a title that leaves that folder (`../../../../../../scripts/verify.ts`, an absolute
// path, `../index.html`) must never be written, with verification off or on (snippets-spec.md §5).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listFiles, projectRoot } from "../helpers/cli.ts";
import { Note, runCli, writeNotes, type CliRun } from "../helpers/hostile.ts";

describe("a snippet title never writes outside the output folder (issue 12)", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "verinotes-hostile-build-"));
  const notesDir = path.join(root, "notes");
  const target = path.join(root, "escaped");
  const post = "2024/01/02/escape";
  const CODES = ["console.log('PWNED deep')", "console.log('PWNED exact')", "print('PWNED absolute')", "<p>PWNED page</p>", "<p>PWNED 404</p>"];
  const builds: Record<"off" | "on", { out: string; run?: CliRun }> = { off: { out: path.join(root, "out-off") }, on: { out: path.join(root, "out-on") } };

  beforeAll(async () => {
    const note = new Note("escape");
    const up = "../".repeat(24);
    // one note, each title aimed at the same folder: far up then down, exactly up, absolute; then two inside
    // the output but outside snippets/ (the post's own page, the site's 404 page)
    note.block(`js title="${up}${target.slice(1)}/deep.js"`, CODES[0]);
    note.block(`js title="${path.relative(path.join(builds.off.out, post, "snippets"), path.join(target, "exact.js"))}"`, CODES[1]);
    note.block(`python title="${target}/absolute.py"`, CODES[2]);
    note.block('html title="../index.html"', CODES[3]);
    note.block('html title="../../../../../404.html"', CODES[4]);
    writeNotes(notesDir, { "escape.md": note });
    const build = async (which: "off" | "on") => {
      const env = { ...(process.env as Record<string, string>), VERINOTES_CACHE_DIR: path.join(root, `cache-${which}`), ...(which === "off" ? { VERINOTES_VERIFY: "off" } : {}) };
      builds[which].run = await runCli("build", ["--input", notesDir, "--output", builds[which].out], { cwd: projectRoot, env });
    };
    await Promise.all([build("off"), build("on")]);
  }, 150_000);

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const which of ["off", "on"] as const) {
    it(`verification ${which}: nothing lands outside ${"<post URL>"}snippets/, and the build still completes`, () => {
      const { out, run } = builds[which];
      expect(run!.status, run!.stderr).toBe(0);
      expect(fs.existsSync(target)).toBe(false);
      expect(listFiles(root).filter((f) => !f.startsWith("notes/") && !f.startsWith("out-") && !f.startsWith("cache-"))).toEqual([]);
      // inside the output, only the snippets folder holds a file that is a block's code
      const leaked = listFiles(out).filter((f) => !f.startsWith(`${post}/snippets/`) && CODES.includes(fs.readFileSync(path.join(out, f), "utf8").trim()));
      expect(leaked).toEqual([]);
      expect(fs.readFileSync(path.join(out, post, "index.html"), "utf8")).toMatch(/^<!doctype html>/i);
      expect(fs.readFileSync(path.join(out, "404.html"), "utf8")).toMatch(/^<!doctype html>/i);
      // the blocks get numbered names, in the folder and in its zip (no entry a reader's unzip would put elsewhere)
      expect(fs.readdirSync(path.join(out, post, "snippets")).sort()).toEqual(["01.js", "02.js", "03.py", "04.html", "05.html", "index.json", "snippets.zip"]);
      expect(fs.readFileSync(path.join(out, post, "snippets", "snippets.zip")).includes("../")).toBe(false);
    });
  }
});
