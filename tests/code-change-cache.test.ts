// Caches are keyed by the code that made them (issue 14): a build that keeps `.cache` after a change to a plugin —
// here a Markdown rule — renders the pages again, even into a fresh output folder, as CI does after an upgrade.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot, tempDir } from "./helpers/cli.ts";

/** A copy of the project's code and sample blog (node_modules linked), to change a plugin without touching ours. */
function copyProject(dir: string): void {
  for (const entry of ["package.json", "tsconfig.json", ".eleventy.ts", "plugins", "layouts", "content", "scripts"]) {
    fs.cpSync(path.join(projectRoot, entry), path.join(dir, entry), { recursive: true, filter: (src) => !src.includes("__pycache__") });
  }
  fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"));
}

function build(dir: string, output: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/build.ts", "--output", output], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, VERINOTES_VERIFY: "off", VERINOTES_CACHE_DIR: path.join(dir, ".cache") },
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe("caches keyed by the code that made them", () => {
  const dir = tempDir("code-change");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("renders the pages again after a Markdown rule changed, with .cache kept and a fresh output folder", () => {
    copyProject(dir);
    const page = "2022/06/03/argparse-入门/index.html";
    const first = build(dir, path.join(dir, "out-1"));
    expect(first.status, first.out).toBe(0);
    expect(fs.readFileSync(path.join(dir, "out-1", page), "utf8")).toContain('<span aria-hidden="true">#</span>');

    // a change to a Markdown rule (the heading link's mark), as an upgrade of the package would bring
    const rule = path.join(dir, "plugins/markdown/heading-ids.ts");
    const before = fs.readFileSync(rule, "utf8");
    fs.writeFileSync(rule, before.replace('<span aria-hidden="true">#</span>', '<span aria-hidden="true">¶</span>'));
    expect(fs.readFileSync(rule, "utf8")).not.toBe(before);

    const second = build(dir, path.join(dir, "out-2"));
    expect(second.status, second.out).toBe(0);
    const html = fs.readFileSync(path.join(dir, "out-2", page), "utf8");
    expect(html).toContain('<span aria-hidden="true">¶</span>');
    expect(html).not.toContain('<span aria-hidden="true">#</span>');
  }, 240_000);
});
