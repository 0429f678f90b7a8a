// Bad input: each problem is a message with the file, the line and what to do; every other note still builds;
// the command exits non-zero at the end; the input folder is never written to.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runScript, tempDir, treeDigest, writeTree } from "./helpers/cli.ts";

const notes = tempDir("bad-notes");
const out = tempDir("bad-out");
let build: ReturnType<typeof runScript>;
let digest: string;

beforeAll(() => {
  writeTree(notes, {
    "good.md": "---\ntitle: Good\ndate: 2022-01-01 10:00:00\n---\n\n## Fine\n\nText.\n",
    "bad-yaml.md": "---\ntitle: Bad\ndate: 2022-01-02 10:00:00\ntags: [unclosed\n---\n\nBody.\n",
    "missing-link.md": "---\ntitle: Missing link\ndate: 2022-01-03 10:00:00\n---\n\nIntro.\n\nSee {% post_link no-such-note %} here.\n",
    "dup-a.md": "---\ntitle: Dup A\ndate: 2022-01-04 10:00:00\npermalink: same/\n---\nA\n",
    "dup-b.md": "---\ntitle: Dup B\ndate: 2022-01-05 10:00:00\npermalink: same/\n---\nB\n",
    "unclosed.md": "---\ntitle: Unclosed\ndate: 2022-01-06 10:00:00\n---\n\nLine.\n\n{% blockquote %}\nNever closed.\n",
    "gbk.md": Buffer.concat([Buffer.from("---\ntitle: GBK\ndate: 2022-01-07 10:00:00\n---\n\n"), Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x0a])]),
  });
  digest = treeDigest(notes);
  build = runScript("build", ["--input", notes, "--output", out], { VERINOTES_CACHE: "off", VERINOTES_VERIFY: "off" });
});

describe("a folder with broken notes", () => {
  it("exits non-zero after building the rest", () => {
    expect(build.status).toBe(1);
    expect(fs.existsSync(path.join(out, "2022/01/01/good/index.html"))).toBe(true);
    expect(fs.existsSync(path.join(out, "2022/01/03/missing-link/index.html"))).toBe(true);
    expect(fs.existsSync(path.join(out, "same/index.html"))).toBe(true);
  });

  it.each([
    ["unparsable front matter", /bad-yaml\.md:4: error: front matter cannot be read/],
    ["a post_link to a missing note", /missing-link\.md:8: error: .*no-such-note/],
    ["two notes at one URL", /dup-b\.md: error: has the same URL as dup-a\.md/],
    ["an unclosed tag", /unclosed\.md:8: error: .*blockquote/],
    ["a file that is not UTF-8", /gbk\.md:6: error: the file is not valid UTF-8/],
  ])("reports %s with file and line", (_name, pattern) => {
    expect(build.stderr).toMatch(pattern);
  });

  it("lists every error and says what to do", () => {
    expect(build.stdout).toMatch(/5 errors/);
    expect(build.stderr.match(/→ /g)?.length).toBeGreaterThanOrEqual(5);
  });

  it("never writes to the input folder", () => {
    expect(treeDigest(notes)).toBe(digest);
  });
});
