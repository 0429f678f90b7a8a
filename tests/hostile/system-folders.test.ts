// Issue 12: the checkout, the notes, the cache and the report stay invisible wherever they are, also under a
// folder the sandbox shows as part of the system (a container's WORKDIR is often /opt/app or /usr/src/app,
// and actions/checkout leaves the job's token in .git/config). CI runs the suite as root, as here.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../plugins/snippets/types.ts";
import { Note, describe as show, nonce, readReport, resultOf, runCli, writeNotes, type CliRun } from "../helpers/hostile.ts";

describe("a checkout under /opt (issue 12)", () => {
  const id = nonce();
  const SECRET = `canary-secret-${id}`;
  const root = fs.mkdtempSync("/opt/verinotes-hostile-");
  const checkout = path.join(root, "checkout");
  const notesDir = path.join(checkout, "notes");
  const cacheDir = path.join(checkout, ".cache", "snippets");
  const reportFile = path.join(root, "report", "verify.json");
  let run: CliRun;
  let report: Report;
  let index = 0;

  beforeAll(async () => {
    fs.chmodSync(root, 0o755); // as a clone or a container's WORKDIR is: only the sandbox can hide it
    fs.mkdirSync(path.join(checkout, ".git"), { recursive: true });
    fs.writeFileSync(path.join(checkout, ".git", "config"), `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${SECRET}\n`);
    const note = new Note("opt");
    index = note.python(
      String.raw`
import os
got = []
for p in CFG['paths']:
    try:
        if os.path.isdir(p):
            entries = sorted(os.listdir(p))
            # the hidden folders may show as empty mount points (a name, no content): that is all
            if entries and entries != ['checkout']:
                got.append('%s: %s' % (p, entries))
        else:
            got.append('%s: %s' % (p, open(p).read().strip()))
    except OSError:
        pass
print(got)
`,
      { paths: [root, checkout, path.join(checkout, ".git", "config"), notesDir, cacheDir, path.dirname(reportFile)] },
      "[]",
    );
    writeNotes(notesDir, { "opt.md": note });
    // run from the checkout, with its default cache inside it, as a container job would
    run = await runCli("verify", ["--input", notesDir, "--json", reportFile, "--cache-dir", cacheDir, "--quiet"], { cwd: checkout, env: { ...(process.env as Record<string, string>), GITHUB_TOKEN: SECRET } });
    report = readReport(reportFile);
  }, 120_000);

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("a block sees neither the checkout's .git/config, nor the notes, the cache or the report's folder", () => {
    const r = resultOf(report, "opt.md", index);
    expect(report.environment?.sandbox).toMatch(/^bubblewrap/);
    expect(r.status, show(r)).toBe("passed");
    expect(run.stdout).not.toContain(SECRET);
  });
});
