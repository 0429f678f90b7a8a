// A build into a folder that holds the previous build renders only the pages whose values changed, leaves the
// output as a full build would, and removes what belonged to a deleted note; a build into a fresh folder with the
// caches kept (CI) copies the unchanged pages from the cache (real CLI, real Eleventy).
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listFiles, runScript, tempDir } from "./helpers/cli.ts";

const dir = tempDir("incremental");
const notes = path.join(dir, "notes");
const out = path.join(dir, "site");
const fresh = path.join(dir, "fresh");
const env = { VERINOTES_CACHE_DIR: path.join(dir, "cache") };

const note = (title: string, date: string, body: string) => `---\ntitle: ${title}\ndate: ${date}\ntags: [demo]\n---\n\n${body}\n`;
const build = (to: string, withEnv: Record<string, string> = env) => {
  const r = runScript("build", ["--input", notes, "--output", to], withEnv);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};
const written = (stdout: string) => Number(/(\d+) files written/.exec(stdout)?.[1]);
/** The output's files and contents, without the build record (it lists what the build wrote, not what it shows). */
const snapshot = (root: string) =>
  Object.fromEntries(listFiles(root).filter((f) => f !== "verinotes-build.json").map((f) => [f, fs.readFileSync(path.join(root, f), "utf8")]));

beforeAll(() => {
  fs.mkdirSync(notes, { recursive: true });
  fs.writeFileSync(path.join(notes, "alpha.md"), note("Alpha", "2024-01-01 10:00:00", "First.\n\n```python\nprint(1)\n```\n\n```text\n1\n```"));
  fs.writeFileSync(path.join(notes, "beta.md"), note("Beta", "2024-02-01 10:00:00", "Second."));
  fs.writeFileSync(path.join(notes, "gamma.md"), note("Gamma", "2024-03-01 10:00:00", "Third, after [Beta](/2024/02/01/beta/)."));
});

describe("a second build into the same folder", () => {
  it("writes only what changed and leaves the same site as a fresh build", () => {
    const first = build(out);
    const all = written(first);
    expect(all).toBeGreaterThan(10);
    expect(written(build(out))).toBeLessThan(all / 2); // nothing changed: no page is rendered again, only a few fixed files

    fs.appendFileSync(path.join(notes, "beta.md"), "\nEdited.\n");
    const edited = build(out);
    expect(written(edited)).toBeLessThan(all);
    expect(fs.readFileSync(path.join(out, "2024/02/01/beta/index.html"), "utf8")).toContain("Edited.");
    build(fresh, { VERINOTES_CACHE: "off" }); // a full render, nothing from a cache
    expect(snapshot(out)).toEqual(snapshot(fresh));
  }, 180_000);

  it("removes the pages and snippet files of a deleted note, and nothing it did not write", () => {
    fs.writeFileSync(path.join(out, "keep-me.txt"), "not written by Verinotes");
    expect(fs.existsSync(path.join(out, "2024/01/01/alpha/snippets/index.json"))).toBe(true);
    fs.rmSync(path.join(notes, "alpha.md"));
    build(out);
    expect(fs.existsSync(path.join(out, "2024/01/01/alpha"))).toBe(false);
    expect(fs.existsSync(path.join(out, "2024/01/01"))).toBe(false); // the folders it leaves empty go too
    expect(fs.readFileSync(path.join(out, "keep-me.txt"), "utf8")).toBe("not written by Verinotes");
    expect(fs.readFileSync(path.join(out, "index.html"), "utf8")).not.toContain("Alpha");
  }, 180_000);
});

describe("a build into a fresh folder with the caches kept, as in CI", () => {
  const ciEnv = { VERINOTES_CACHE_DIR: path.join(dir, "ci-cache") };
  const site = path.join(dir, "ci-site");
  const ciBuild = () => {
    fs.rmSync(site, { recursive: true, force: true });
    return written(build(site, ciEnv));
  };
  const fullRender = () => {
    const to = path.join(dir, "ci-reference");
    fs.rmSync(to, { recursive: true, force: true });
    build(to, { VERINOTES_CACHE: "off" });
    return snapshot(to);
  };

  it("copies the pages whose values did not change from the cache, renders the others, and leaves the site a full render leaves", () => {
    const all = ciBuild();
    expect(all).toBeGreaterThan(10);
    const again = ciBuild();
    expect(again).toBeLessThan(all / 2); // only the fixed files (feed, sitemap, 404, robots) are rendered
    expect(snapshot(site)).toEqual(fullRender());

    fs.writeFileSync(path.join(notes, "gamma.md"), note("Gamma, renamed", "2024-03-01 10:00:00", "Third, edited."));
    const edited = ciBuild();
    expect(edited).toBeGreaterThan(again); // the note's page and the listings that show its title
    expect(edited).toBeLessThan(all);
    expect(fs.readFileSync(path.join(site, "2024/03/01/gamma/index.html"), "utf8")).toContain("Third, edited.");
    expect(snapshot(site)).toEqual(fullRender());
  }, 240_000);

  it("keeps copies: a page changed in place in the output does not change what the next build copies", () => {
    ciBuild();
    const page = path.join(site, "2024/02/01/beta/index.html");
    const before = fs.readFileSync(page, "utf8");
    fs.writeFileSync(page, "changed in place by another tool");
    ciBuild();
    expect(fs.readFileSync(page, "utf8")).toBe(before);
  }, 240_000);
});
