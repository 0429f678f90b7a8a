// The README's "Write notes that verify" example is a note: it must verify as the README says (3 passed, 1 file).
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { projectRoot, runScript, tempDir } from "./helpers/cli.ts";

it("the README's example note verifies", () => {
  const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
  const example = /## Write notes that verify[\s\S]*?````md\n([\s\S]*?)````\n/.exec(readme)?.[1];
  expect(example, "the example block under 'Write notes that verify'").toBeTruthy();
  const dir = tempDir("readme");
  fs.writeFileSync(path.join(dir, "example.md"), `---\ntitle: README example\ndate: 2024-01-01 00:00:00\n---\n\n${example}`);
  const r = runScript("verify", ["--input", dir, "--no-cache", "--json", path.join(dir, "report.json")]);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  const report = JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8")) as { summary: Record<string, number> };
  expect(report.summary).toMatchObject({ passed: 3, file: 1, failed: 0 });
}, 120_000);
