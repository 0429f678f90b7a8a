// The GitHub Actions workflows cannot run here; what can be checked is: valid YAML, actionlint clean, and every
// npm script they call exists (the scripts themselves are tested by the rest of the suite).
import fs from "node:fs";
import path from "node:path";
import { load as loadYaml } from "js-yaml";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { projectRoot } from "./helpers/cli.ts";

const dir = path.join(projectRoot, ".github/workflows");
const workflows = fs.readdirSync(dir).filter((f) => f.endsWith(".yml"));
const scripts = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")).scripts as Record<string, string>;

describe.each(workflows)("%s", (file) => {
  const text = fs.readFileSync(path.join(dir, file), "utf8");

  it("is valid YAML with jobs", () => {
    const doc = loadYaml(text) as { jobs?: Record<string, unknown> };
    expect(Object.keys(doc.jobs ?? {}).length).toBeGreaterThan(0);
  });

  it("passes actionlint", async () => {
    const lint = await createLinter();
    expect(lint(text, file)).toEqual([]);
  });

  it("calls only npm scripts that exist", () => {
    const called = [...text.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
    expect(called.length).toBeGreaterThan(0);
    for (const name of called) expect(Object.keys(scripts), `npm run ${name}`).toContain(name);
  });
});

describe("the main workflow", () => {
  const doc = loadYaml(fs.readFileSync(path.join(dir, "site.yml"), "utf8")) as any;
  it("deploys to GitHub Pages from main only", () => {
    expect(doc.jobs.deploy.if).toContain("refs/heads/main");
    expect(doc.jobs.deploy.steps[0].uses).toMatch(/^actions\/deploy-pages@/);
  });
  it("keeps the content-addressed caches between runs", () => {
    const cache = doc.jobs.build.steps.find((s: any) => String(s.uses).startsWith("actions/cache@"));
    expect(cache.with.path).toBe(".cache");
    // Saved under this commit; restored from the newest cache of any earlier commit (the key without the commit).
    expect(cache.with.key).toMatch(/-\$\{\{ github\.sha \}\}$/);
    expect(cache.with["restore-keys"]).toBe(cache.with.key.replace(/\$\{\{ github\.sha \}\}$/, ""));
  });
});
