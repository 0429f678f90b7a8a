import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { crc32, inflateRawSync } from "node:zlib";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { extractSnippets } from "./extract.ts";
import { mergeExpected } from "./judge.ts";
import { defaultMarkdown } from "./options.ts";
import { renderNoteSummary, renderSnippetDecorations, snippetFiles } from "./render.ts";
import { baselineFrom, formatSummary, mergeReports, noteSummaryLine, outcome, parseBaseline, planUpdate, toJUnit } from "./report.ts";
import { STATUSES, emptySummary, type Report, type SnippetResult, type Token } from "./types.ts";
import { verifyNotes } from "./verify.ts";
import { makeZip } from "./zip.ts";

const row = (over: Partial<SnippetResult>): SnippetResult => ({
  source: "a.md",
  index: 1,
  line: 3,
  lang: "python",
  kind: "source",
  name: "01.py",
  status: "passed",
  message: "",
  duration_ms: 5,
  hash: "h1",
  ...over,
});

const report = (snippets: SnippetResult[]): Report => {
  const summary = emptySummary();
  for (const s of snippets) summary[s.status]++;
  return { version: "t", summary, notes: new Set(snippets.map((s) => s.source)).size, snippets, diagnostics: [] };
};

describe("outcome and baseline", () => {
  const r = report([
    row({}),
    row({ index: 2, status: "failed", hash: "h2", message: "output differs", diff: "--- expected\n+++ actual\n-1\n+2" }),
    row({ index: 3, status: "warning", hash: "h3" }),
  ]);

  it("fails on failed, and under --strict on warnings too", () => {
    expect(outcome(r).exitCode).toBe(1);
    expect(outcome(r).failures.map((s) => s.index)).toEqual([2]);
    expect(outcome(r, { strict: true }).failures.map((s) => s.index)).toEqual([2, 3]);
  });

  it("passes when the baseline lists the failure, and fails on a new one", () => {
    const b = parseBaseline(JSON.stringify(baselineFrom(r)));
    expect(b.ok).toBe(true);
    if (!b.ok) return;
    expect(outcome(r, { baseline: b.value }).exitCode).toBe(0);
    const worse = report([...r.snippets, row({ source: "b.md", index: 1, status: "failed", hash: "hb" })]);
    expect(outcome(worse, { baseline: b.value }).failures.map((s) => s.source)).toEqual(["b.md"]);
    expect(parseBaseline("{").ok).toBe(false);
  });

  it("prints a summary table with the failure and its diff", () => {
    const t = formatSummary(r);
    expect(t).toContain("FAILED a.md:3 block 2 (01.py): output differs");
    expect(t).toContain("    +2");
    expect(t).toMatch(/passed\s+1/);
    expect(t).toContain("verify: 1 snippet failed");
  });

  it("writes JUnit XML with one failure", () => {
    const x = toJUnit(r);
    expect(x).toContain('<testsuites name="snippets" tests="3" failures="1"');
    expect(x).toContain('<failure message="failed: output differs" type="failed">--- expected');
    expect(x.match(/<testcase /g)?.length).toBe(3);
  });

  it("merges shard reports", () => {
    const m = mergeReports([report([row({})]), report([row({ source: "b.md", status: "failed" })])]);
    expect(m.snippets.map((s) => s.source)).toEqual(["a.md", "b.md"]);
    expect(m.summary.failed).toBe(1);
    expect(m.notes).toBe(2);
  });

  it("says what a note's snippets did in one line", () => {
    expect(noteSummaryLine([row({}), row({ status: "failed" }), row({ status: "missing-deps", missing: ["torch"] })])).toBe("3 snippets: 1 passed, 1 failed, 1 needs torch");
  });
});

describe("--update", () => {
  it("keeps wildcard lines that still match", () => {
    expect(mergeExpected(["start", "...", "took [..] s", "old"], ["start", "x", "y", "took 3 s", "new"])).toEqual(["start", "...", "took [..] s", "new"]);
  });

  it("rewrites failed claims in the note (also in list items) and the note then passes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vn-update-test-"));
    const file = path.join(dir, "n.md");
    const F = "```";
    const text = [
      "# t",
      "",
      `${F}python`,
      "print('a'); print('b')",
      F,
      "",
      "输出：",
      "",
      F,
      "a",
      "B",
      F,
      "",
      "- item",
      "",
      `  ${F}python`,
      "  >>> 6 * 7",
      "  41",
      "  >>> print('same')",
      "  same",
      `  ${F}`,
      "",
      `${F}bash`,
      "$ echo one; echo two",
      "one",
      "...",
      "$ echo three",
      "four",
      F,
      "",
    ].join("\n");
    fs.writeFileSync(file, text);
    const run = () => verifyNotes([{ file, text: fs.readFileSync(file, "utf8") }], { inputDir: dir, cacheDir: null });
    const r1 = await run();
    expect(r1.snippets.map((s) => s.status)).toEqual(["failed", "failed", "failed"]);
    const plan = planUpdate(r1, (s) => fs.readFileSync(path.join(dir, s), "utf8"));
    expect(plan.claims).toBe(3);
    fs.writeFileSync(file, plan.files.get("n.md")!);
    const updated = fs.readFileSync(file, "utf8");
    expect(updated).toContain("  >>> 6 * 7\n  42\n  >>> print('same')");
    expect(updated).toContain("$ echo one; echo two\none\n...\n$ echo three\nthree\n");
    expect(updated).toContain("a\nb\n```");
    const r2 = await run();
    expect(r2.snippets.map((s) => s.status)).toEqual(["passed", "passed", "passed"]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("page decorations and files", () => {
  const md = '```python title="prog.py"\nprint(1)\n```\n\n```bash\n$ python prog.py\n2\n```\n\n```python\nprint(<b>)\n```\n\n```\n1\n```\n';
  const snippets = extractSnippets(defaultMarkdown().parse(md, {}) as unknown as Token[], { file: "n.md", bodyLine: 1 });

  it("renders caption, a badge for readers, download link, copy button and a coloured diff readable without JavaScript", () => {
    const failed = row({ index: 2, status: "failed", message: "line 6: output of `python prog.py` differs", diff: "-2\n+1 <tag>" });
    const d = renderSnippetDecorations(snippets[1], failed);
    expect(d.id).toBe("snippet-2");
    expect(d.before).toContain('<figure class="snippet snippet--failed" id="snippet-2"');
    expect(d.before).toContain('<span class="snippet__badge snippet__badge--bad" data-status="failed">✗ output differs</span>');
    expect(d.before).toContain('<a class="snippet__download" href="snippets/02.sh" download="02.sh">download</a>');
    expect(d.before).toContain('data-copy="snippet-2-code" data-copied-label="copied" hidden>copy</button>');
    expect(d.after).toContain('<details class="snippet__details" open>');
    expect(d.after).toContain('<span class="snippet__diff-ins">+1 &lt;tag&gt;</span>');
    expect(d.after).toContain('<span class="snippet__diff-del">-2</span>');
    // the author's message is not on the page (§8)
    expect(d.before + d.after).not.toContain("output of `python prog.py` differs");
    const long = renderSnippetDecorations(snippets[1], { ...failed, diff: Array.from({ length: 30 }, (_, k) => `-${k}`).join("\n") });
    expect(long.after).toContain('<details class="snippet__details">');
    expect(renderSnippetDecorations(snippets[0], row({ status: "file", message: "the file prog.py" })).before).toContain('<span class="snippet__name">prog.py</span>');
    expect(renderSnippetDecorations(snippets[3], undefined).before).toContain('expected output of <a href="#snippet-3">#3</a>');
    const torch = renderSnippetDecorations(snippets[0], row({ status: "missing-deps", missing: ["torch"], message: "needs torch (assuming `import torch`)" }));
    expect(torch.before).toContain('<span class="snippet__badge snippet__badge--neutral" data-status="missing-deps">needs torch</span>');
    expect(renderNoteSummary([row({})])).toBe('<p class="snippets-summary snippets-summary--neutral">1 code block</p>');
    expect(renderNoteSummary([row({}), row({ index: 2, status: "failed" })], { zip: true, reportHref: "../snippets/#note-1" })).toBe(
      '<p class="snippets-summary snippets-summary--bad">2 code blocks · <span class="snippets-summary__failed">✗ output differs × 1</span> · ' +
        '<a href="snippets/snippets.zip" download>download all (zip)</a> · <a href="../snippets/#note-1">verification report</a></p>',
    );
  });

  it("speaks the page's language: every label of the snippet UI in zh-CN, zh-TW and en", () => {
    const zh = renderSnippetDecorations(snippets[0], row({ status: "missing-deps", missing: ["torch", "pandas"] }), { language: "zh-CN" });
    expect(zh.before).toContain(">需要 torch、pandas</span>");
    expect(zh.before).toContain(">下载</a>");
    expect(zh.before).toContain('data-copied-label="已复制" hidden>复制</button>');
    expect(renderSnippetDecorations(snippets[0], row({ status: "excerpt" }), { language: "zh-CN" }).before).toContain(">片段</span>");
    expect(renderSnippetDecorations(snippets[0], row({ status: "environment", reason: "network" }), { language: "zh-CN" }).before).toContain(">依赖网络</span>");
    expect(renderSnippetDecorations(snippets[0], row({ status: "passed" }), { language: "zh_TW" }).before).toContain(">✓ 執行結果一致</span>");
    expect(renderSnippetDecorations(snippets[3], undefined, { language: "zh-CN" }).before).toContain('<a href="#snippet-3">#3</a> 的预期输出');
    expect(renderNoteSummary([row({}), row({ index: 2 })], { language: "zh-CN" })).toContain("2 个代码块");
    // no English word is left in the zh-CN UI of any status
    for (const status of STATUSES) {
      const html = renderSnippetDecorations(snippets[1], row({ index: 2, status, missing: ["m"], diff: "-a\n+b" }), { language: "zh-CN" });
      const text = (html.before + html.after).replace(/<[^>]+>/g, " ").replace(/\b(02\.sh|m|a|b)\b/g, "");
      expect(text, status).not.toMatch(/[A-Za-z]{2,}/);
    }
  });

  it("writes one file per block, index.json and a zip that unpacks", () => {
    const files = snippetFiles(snippets, [row({ index: 1, status: "file" })]);
    expect(files.map((f) => f.path)).toEqual(["prog.py", "02.sh", "03.py", "snippets.zip", "index.json"]);
    expect(files[1].content).toBe("python prog.py\n");
    const index = JSON.parse(files[4].content as string);
    expect(index.snippets[0]).toMatchObject({ ordinal: 1, name: "prog.py", language: "python", kind: "source", status: "file", line: 1 });
    expect(index.snippets[2]).toMatchObject({ ordinal: 3, output_ordinal: 4 });
    // read the zip back: first local header, name and inflated data
    const zip = Buffer.from(files[3].content as Uint8Array);
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    const nameLen = zip.readUInt16LE(26);
    expect(zip.subarray(30, 30 + nameLen).toString()).toBe("prog.py");
    const method = zip.readUInt16LE(8);
    const size = zip.readUInt32LE(18);
    const body = zip.subarray(30 + nameLen, 30 + nameLen + size);
    const data = method === 8 ? inflateRawSync(body) : body;
    expect(data.toString()).toBe("print(1)\n");
    expect(zip.readUInt32LE(14)).toBe(crc32("print(1)\n"));
    expect(zip.readUInt32LE(zip.length - 22)).toBe(0x06054b50);
  });

  it("zips small entries stored and big ones deflated, with UTF-8 names, that unzip to what went in", () => {
    const big = "print('长的一行')\n".repeat(200);
    const zip = makeZip([{ name: "01.py", data: "print(1)\n" }, { name: "笔记.py", data: big }, { name: "bytes.bin", data: new Uint8Array([0, 1, 2]) }]);
    const back = unzipSync(zip);
    expect(Object.keys(back)).toEqual(["01.py", "笔记.py", "bytes.bin"]);
    expect(Buffer.from(back["笔记.py"]).toString()).toBe(big);
    expect([...back["bytes.bin"]]).toEqual([0, 1, 2]);
    const bytes = Buffer.from(zip);
    expect(bytes.readUInt16LE(8)).toBe(0); // the first entry is stored
    expect(bytes.length).toBeLessThan(Buffer.byteLength(big) / 4); // the big one is not
    expect(makeZip([]).length).toBe(22);
  });

  it("writes the same bytes in every timezone: each entry dated 1980-01-01 00:00", () => {
    const entries = [{ name: "01.py", data: "print(1)\n" }, { name: "02.sh", data: "echo 1\n".repeat(300) }];
    const zipIn = (tz: string) => {
      const before = process.env.TZ;
      process.env.TZ = tz;
      try {
        return Buffer.from(makeZip(entries));
      } finally {
        if (before === undefined) delete process.env.TZ;
        else process.env.TZ = before;
      }
    };
    const east = zipIn("Pacific/Kiritimati"); // UTC+14
    const west = zipIn("Pacific/Pago_Pago"); // UTC-11
    expect(east.equals(west)).toBe(true);
    expect(east.readUInt16LE(10)).toBe(0); // DOS time 00:00:00
    expect(east.readUInt16LE(12)).toBe((0 << 9) | (1 << 5) | 1); // DOS date 1980-01-01
  });
});
