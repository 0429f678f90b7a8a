// scripts/run-cli.mjs, behind `npm run build|start|verify|check|new`: the compiled CLI when dist/ is newer than its
// sources, else the sources through tsx with a message. Run here on a small copy of the layout (the real launcher
// and tsx; a dist/ and sources that say which ran), the files' times set, so that the checkout's own are not touched.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot, tempDir, writeTree } from "./helpers/cli.ts";

const dir = tempDir("run-cli");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Each says which ran, with what, and which code the cache keys would hash (plugins/hexo/code-digest.ts).
const SOURCE = (name: string) =>
  `const args: string[] = process.argv.slice(2);\nconsole.log("sources ${name}", args.join(" "), process.env.VERINOTES_DIST_BUILT_FROM ?? "-");\nprocess.exitCode = 4;\n`;
const COMPILED = 'console.log("compiled", process.argv.slice(2).join(" "), process.env.VERINOTES_DIST_BUILT_FROM);\nprocess.exitCode = 3;\n';

function layout(name: string, files: Record<string, string> = {}): string {
  const root = path.join(dir, name);
  writeTree(root, {
    "scripts/run-cli.mjs": fs.readFileSync(path.join(projectRoot, "scripts/run-cli.mjs"), "utf8"),
    "scripts/build.ts": SOURCE("build"),
    "scripts/verify.ts": SOURCE("verify"),
    "plugins/hexo/index.ts": "export const x = 1;\n",
    "plugins/snippets/runners/worker.py": "print('worker')\n",
    "tsconfig.json": "{}\n",
    "tsconfig.build.json": "{}\n",
    "dist/scripts/cli.js": COMPILED,
    "dist/plugins/hexo/index.js": "export const x = 1;\n",
    ...files,
  });
  fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(root, "node_modules"));
  // every file an hour old, dist/ a minute newer than the sources
  const hourAgo = Date.now() / 1000 - 3600;
  for (const entry of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const at = path.relative(root, file).startsWith("dist") ? hourAgo + 60 : hourAgo;
    fs.utimesSync(file, at, at);
  }
  return root;
}

function launch(root: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [path.join(root, "scripts/run-cli.mjs"), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, VERINOTES_DIST_BUILT_FROM: "/inherited", ...env },
  });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

/** Marks a file as changed now. */
function touch(root: string, rel: string): void {
  const now = Date.now() / 1000;
  fs.utimesSync(path.join(root, rel), now, now);
}

describe("scripts/run-cli.mjs", () => {
  it("runs the compiled CLI, with the command and its arguments, when dist/ is newer than the sources", () => {
    const root = layout("fresh");
    expect(launch(root, ["build", "--output", "x y"])).toEqual({ status: 3, stdout: `compiled build --output x y ${root}`, stderr: "" });
    expect(launch(root, ["serve", "--port", "1"]).stdout).toBe(`compiled serve --port 1 ${root}`);
  });

  it.each(["plugins/hexo/index.ts", "plugins/snippets/runners/worker.py", "scripts/build.ts", "tsconfig.build.json"])(
    "runs the sources through tsx, saying why, once %s changed after dist/ was built",
    (changed) => {
      const root = layout(changed.replace(/\W+/g, "-"));
      touch(root, changed);
      const r = launch(root, ["verify", "--quiet"]);
      expect(r).toEqual({ status: 4, stdout: "sources verify --quiet -", stderr: `verinotes: ${changed} changed after dist/ was built: running the sources through tsx (npm run prepare builds dist/)` });
      expect(launch(root, ["serve", "--port", "1"]).stdout).toBe("sources build --serve --port 1 -");
    },
  );

  it("takes when dist/ began to be built from the file scripts/package-dist.mjs writes first, not from the outputs", () => {
    // a source saved while tsc ran: older than every output, newer than the build's start
    const root = layout("build-started", { "dist/.build-started": "" });
    const at = (rel: string, s: number) => fs.utimesSync(path.join(root, rel), s, s);
    const hourAgo = Date.now() / 1000 - 3600;
    at("dist/.build-started", hourAgo + 10);
    at("plugins/hexo/index.ts", hourAgo + 30);
    expect(launch(root, ["verify"]).stderr).toBe("verinotes: plugins/hexo/index.ts changed after dist/ was built: running the sources through tsx (npm run prepare builds dist/)");
    // and an output older than the sources does not make a build that began after them stale
    at("plugins/hexo/index.ts", hourAgo);
    at("dist/plugins/hexo/index.js", hourAgo - 60);
    expect(launch(root, ["verify"]).stdout).toBe(`compiled verify ${root}`);
  });

  it("keeps running dist/ when only tests or documentation changed", () => {
    const root = layout("tests-changed", { "plugins/hexo/index.test.ts": "", "plugins/hexo/README.md": "", "plugins/snippets/runners/tests/test_x.py": "" });
    for (const rel of ["plugins/hexo/index.test.ts", "plugins/hexo/README.md", "plugins/snippets/runners/tests/test_x.py"]) touch(root, rel);
    expect(launch(root, ["build"]).stdout).toBe(`compiled build ${root}`);
  });

  it("runs the sources when dist/ is not built, or when VERINOTES_SOURCES=1 asks for them (without a message)", () => {
    const root = layout("no-dist");
    expect(launch(root, ["build"], { VERINOTES_SOURCES: "1" })).toEqual({ status: 4, stdout: "sources build  -", stderr: "" });
    fs.rmSync(path.join(root, "dist"), { recursive: true });
    expect(launch(root, ["build"]).stderr).toBe("verinotes: dist/ is not built: running the sources through tsx (npm run prepare builds dist/)");
  });

  it("refuses a command it does not know", () => {
    const r = launch(layout("unknown"), ["deploy"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^usage: node scripts\/run-cli.mjs <build\|serve\|verify\|check\|new>/);
  });
});
