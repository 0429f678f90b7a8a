// C and C++ blocks read as a reader reads them (§4b), with the real g++ / gcc: one unit per note, fragments
// wrapped, missing libraries as missing-deps, and one precompiled header. Timings are printed, never asserted.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractSnippets } from "../../extract.ts";
import { defaultMarkdown, defaultSplitFrontMatter, parserFrom } from "../../options.ts";
import { compilerArgs } from "./compiler.ts";
import { judgeCxx, type CxxVerdict } from "./diagnostics.ts";
import { ensurePch } from "./pch.ts";
import { cxxUnits, type CxxBlock, type CxxUnit } from "./unit.ts";

const CORPUS = fileURLToPath(new URL("../../../../../shared/corpus/tom89757/source/_posts", import.meta.url));
const work = fs.mkdtempSync(path.join(os.tmpdir(), "verinotes-cxx-"));
const pchDir = path.join(work, "pch");
let pchCpp: { include: string; dir: string } | null = null;
let pchC: { include: string; dir: string } | null = null;

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs the compiler on a unit as the lead's sandbox script will: the unit's file in a folder, argv from compilerArgs. */
function compile(unit: CxxUnit, pch: { include: string } | null, extra: string[] = []): { output: string; exit: number; ms: number } {
  const dir = fs.mkdtempSync(path.join(work, "unit-"));
  fs.writeFileSync(path.join(dir, unit.file), unit.text);
  const argv = compilerArgs(unit, unit.lang === "c" ? "gcc" : "g++", pch ?? undefined);
  const t0 = performance.now();
  const r = spawnSync(argv[0], [...extra, ...argv.slice(1)], { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8" }, timeout: 240_000 });
  return { output: `${r.stdout}${r.stderr}`, exit: r.status ?? -1, ms: Math.round(performance.now() - t0) };
}

function check(blocks: CxxBlock[], usePch = true): Map<number, CxxVerdict> {
  const all = new Map<number, CxxVerdict>();
  for (const unit of cxxUnits(blocks)) {
    const { output, exit } = compile(unit, usePch ? (unit.lang === "c" ? pchC : pchCpp) : null);
    for (const [i, v] of judgeCxx(unit, output, exit)) all.set(i, v);
  }
  return all;
}

const cpp = (...texts: string[]): CxxBlock[] => texts.map((text, k) => ({ index: k + 1, lang: "cpp", text }));
const statuses = (m: Map<number, CxxVerdict>) => [...m.values()].map((v) => v.status);

beforeAll(async () => {
  const t0 = performance.now();
  pchCpp = await ensurePch("cpp", "g++", pchDir);
  const t1 = performance.now();
  pchC = await ensurePch("c", "gcc", pchDir);
  console.log(`[cxx] PCH build: C++ ${Math.round(t1 - t0)} ms, C ${Math.round(performance.now() - t1)} ms; load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
}, 600_000);

describe("units", () => {
  it("puts every C++ block of a note in one unit, each C block in its own", () => {
    const units = cxxUnits([
      { index: 1, lang: "cpp", text: "int main() {}\n" },
      { index: 2, lang: "c", text: "int main(void) { return 0; }\n" },
      { index: 4, lang: "cpp", text: "int main() {}\n" },
      { index: 5, lang: "c", text: "int x;\n" },
    ]);
    expect(units.map((u) => [u.lang, u.blocks])).toEqual([
      ["cpp", [1, 4]],
      ["c", [2]],
      ["c", [5]],
    ]);
    expect(new Set(units.map((u) => u.file)).size).toBe(3);
    expect(units[0].text).toContain('#line 1 "block-4.cpp"');
  });

  it("hoists a block's #include lines to the top, guarded by __has_include", () => {
    const [unit] = cxxUnits(cpp("int a;\n#include <opencv2/core.hpp>\nint main() {}\n"));
    const guard = unit.text.indexOf("#if __has_include(<opencv2/core.hpp>)");
    expect(guard).toBeGreaterThan(-1);
    expect(guard).toBeLessThan(unit.text.indexOf("namespace __verinotes_block_1"));
  });

  it("gives the compiler -fsyntax-only, a standard, no warnings, plain diagnostics and the PCH when there is one", () => {
    const [unit] = cxxUnits(cpp("int main() {}\n"));
    const args = compilerArgs(unit, "g++", { include: "/cache/pch/verinotes-cpp.h" });
    expect(args[0]).toBe("g++");
    expect(args).toEqual(expect.arrayContaining(["-fsyntax-only", "-w", "-fdiagnostics-plain-output", "-fno-diagnostics-color", unit.file]));
    expect(args.some((a) => /^-std=(gnu|c)\+\+17$/.test(a))).toBe(true);
    expect(args[args.indexOf("-include") + 1]).toBe("/cache/pch/verinotes-cpp.h");
    expect(compilerArgs(unit, "g++")).not.toContain("-include");
    const [cUnit] = cxxUnits([{ index: 1, lang: "c", text: "int x;\n" }]);
    expect(compilerArgs(cUnit, "gcc").some((a) => /^-std=(gnu|c)11$/.test(a))).toBe(true);
  });
});

describe("C++ fragments, with g++", () => {
  it("reads bare statements and declarations mixed with statements as a function body", () => {
    const v = check(
      cpp(
        "cout << 1 << endl;\n",
        "int a = 5; a++;\n",
        "vector<int> v{1,2};\n",
        "int n;\ncin >> n;\nvector<int> nums(n);\nfor (int i = 0; i < n; i++) cin >> nums[i];\n",
        "int sq(int x) { return x * x; }\nstruct P { int x; };\nP p{3};\ncout << sq(p.x) << endl;\n",
        "using namespace std;\nstring s;\ngetline(cin, s);\ncout << s << endl;\n",
      ),
    );
    expect(statuses(v)).toEqual(["checked", "checked", "checked", "checked", "checked", "checked"]);
    expect(v.get(1)!.message).toMatch(/function body/);
  });

  it("takes `return`, `break` and `continue` of a fragment as the code around it (a reader would)", () => {
    const v = check(cpp("if (1 > 0) return false;\n", "break;\n", "for (int i = 0; i < 3; i++) { if (i) continue; }\nreturn 0;\n"));
    expect(statuses(v)).toEqual(["checked", "checked", "checked"]);
  });

  it("calls a block that uses names declared nowhere in the note an excerpt, naming them", () => {
    const v = check(cpp("cout << x << endl;\n", "for (auto i = m.begin(); i != m.end(); i++) {\n  if (t[i->first] != i->second) return false;\n}\n", "Widget w;\nw.draw();\n"));
    expect(statuses(v)).toEqual(["excerpt", "excerpt", "excerpt"]);
    expect(v.get(1)!.undeclared).toEqual(["x"]);
    expect(v.get(2)!.undeclared).toEqual(["m", "t"]);
    expect(v.get(3)!.message).toMatch(/Widget/);
  });

  it("lets two blocks both define main and the same class; a later block sees the earlier declarations", () => {
    const v = check(
      cpp(
        "#include <bits/stdc++.h>\nusing namespace std;\nclass Solution {\npublic:\n  int f(int x) { return x; }\n};\nint main() { Solution s; cout << s.f(1); }\n",
        "class Solution {\npublic:\n  bool search(vector<int>& nums, int target) { return !nums.empty() && nums[0] == target; }\n};\n",
        "int main(){\n    vector<int> nums;\n    nums={1, 0, 1};\n    Solution s;\n    cout << s.search(nums, 0) << endl;\n}\n",
      ),
    );
    expect(statuses(v)).toEqual(["checked", "checked", "checked"]);
  });

  it("keeps a block's macros to that block", () => {
    const v = check(cpp("#define N 100\nint a[N];\n", "const int N = 5;\nint b[N];\n", "#define int long long\nsigned main() { int x = 1; }\n", "int main() { int y = 2; return y; }\n"));
    expect(statuses(v)).toEqual(["checked", "checked", "checked", "checked"]);
  });

  it("gives a real error the block's own line, and leaves the other blocks alone", () => {
    const v = check(
      cpp(
        "#include <vector>\n#include <iostream>\nint main() {\n  std::vector<int> v;\n  v.push_back(1)\n}\n",
        "int main() { return 0; }\n",
        "void f() {\n  int x = 1;\n  x = x +* ;\n}\n",
      ),
    );
    expect(v.get(1)).toMatchObject({ status: "invalid", message: expect.stringMatching(/line 5: expected .;. before .}. token/) });
    expect(v.get(2)!.status).toBe("checked");
    expect(v.get(3)).toMatchObject({ status: "invalid", message: expect.stringMatching(/line 3:/) });
  });

  it("calls output or prose pasted as cpp invalid, and does not let it take the next block", () => {
    const v = check(
      cpp(
        "1 2 3\n4 5 6\n",
        "Hello World!\n",
        "输出结果：3\n",
        "terminate called after throwing an instance of std::out_of_range\n",
        "[1, 2, 3]\n",
        "a.out: main.cpp:5: int main(): Assertion `x > 0` failed.\nAborted (core dumped)\n",
        "cout << 1 << endl\n",
        "int main() { return 0; }\n",
      ),
    );
    expect(statuses(v)).toEqual(["invalid", "invalid", "invalid", "invalid", "invalid", "invalid", "invalid", "checked"]);
    expect(v.get(2)!.message).toMatch(/line 1: expected ';' at the end of the block/);
  });

  it("reads a signature without a body or `;` as a declaration", () => {
    const v = check(cpp("vector<int> twoSum(vector<int>& nums, int target)\n", "int maxProfit(vector<int>& prices)\n", "int main() {}\n"));
    expect(statuses(v)).toEqual(["checked", "checked", "checked"]);
  });

  it("keeps an unclosed brace, bracket or comment from swallowing the blocks after it", () => {
    const v = check(cpp("for (int i = 0; i < 3; i++) {\n  cout << i;\n", "int main() { return 0; }\n", "int x = 1; /* never closed\n", "int f() { return 1; }}\n", "vector<int> v{1, 2};\n"));
    expect(v.get(1)).toMatchObject({ status: "invalid", message: expect.stringMatching(/line 1: '\{' opened on line 1 is never closed/) });
    expect(v.get(3)).toMatchObject({ status: "invalid", message: expect.stringMatching(/comment/) });
    expect(v.get(4)).toMatchObject({ status: "invalid", message: expect.stringMatching(/line 1: '\}' closes nothing/) });
    expect(v.get(2)!.status).toBe("checked");
    expect(v.get(5)!.status).toBe("checked");
  });

  it("makes missing headers and library namespaces without their headers missing-deps, not invalid", () => {
    const v = check(
      cpp(
        "#include <opencv2/core.hpp>\nint main() { cv::Mat m = cv::imread(\"a.png\"); m.rows; }\n",
        "void cv::Canny(InputArray image,\n\tOutputArray edges,\n\tdouble threshold1,\n\tint apertureSize = 3\n\t)\n",
        "Eigen::MatrixXd m(2, 2);\nm(0, 0) = 3;\n",
        "torch::Tensor t = torch::rand({2, 3});\n",
        '#include "my_solver.h"\nint main() { Solver s; s.run(); }\n',
        "int main() { return 0; }\n",
      ),
    );
    expect(v.get(1)).toMatchObject({ status: "missing-deps", missing: ["opencv2/core.hpp"] });
    expect(v.get(2)).toMatchObject({ status: "missing-deps", missing: ["opencv2/opencv.hpp"] });
    expect(v.get(3)).toMatchObject({ status: "missing-deps", missing: ["Eigen/Dense"] });
    expect(v.get(4)).toMatchObject({ status: "missing-deps", missing: ["torch/torch.h"] });
    expect(v.get(5)).toMatchObject({ status: "missing-deps", missing: ["my_solver.h"] });
    expect(v.get(6)!.status).toBe("checked");
  });

  it("gives the same verdicts without the precompiled header (the unit includes the usual headers itself)", () => {
    const blocks = cpp("cout << x << endl;\n", "int main() { return 0 }\n", "vector<int> v{1,2};\nsort(v.begin(), v.end());\n", "#include <opencv2/core.hpp>\n");
    expect(statuses(check(blocks, false))).toEqual(statuses(check(blocks, true)));
    expect(statuses(check(blocks, false))).toEqual(["excerpt", "invalid", "checked", "missing-deps"]);
  });

  it("says so, without blaming the note, when the compiler fails without a word about a block", () => {
    const [unit] = cxxUnits(cpp("int main() {}\n"));
    expect(judgeCxx(unit, "g++: fatal error: Killed signal terminated program cc1plus\n", 1).get(1)).toMatchObject({ compilerFailure: true });
    expect(judgeCxx(unit, "", 0).get(1)!.status).toBe("checked");
    // killed half-way: a block it had reported on keeps its verdict, the others are not called fine
    const [two] = cxxUnits(cpp("int main() { return 0 }\n", "int main() {}\n"));
    const partial = judgeCxx(two, "block-1.cpp:1:23: error: expected ‘;’ before ‘}’ token\n", 137);
    expect(partial.get(1)!.status).toBe("invalid");
    expect(partial.get(2)).toMatchObject({ compilerFailure: true });
  });
});

describe("C blocks, with gcc", () => {
  it("wraps statements, keeps programs, reports errors, missing headers and undeclared names", () => {
    const v = check([
      { index: 1, lang: "c", text: 'int x = 3;\nprintf("%d\\n", x);\n' },
      { index: 2, lang: "c", text: "#include <stdio.h>\nint main(void) {\n  int x = 1\n  return x;\n}\n" },
      { index: 3, lang: "c", text: "#include <gtk/gtk.h>\nint main(void) { gtk_init(0, 0); }\n" },
      { index: 4, lang: "c", text: "y = z + 1;\n" },
      { index: 5, lang: "c", text: "#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n" },
      { index: 6, lang: "c", text: "struct node { int v; struct node *next; };\nint len(struct node *n) { return n ? 1 + len(n->next) : 0; }\n" },
    ]);
    expect(statuses(v)).toEqual(["checked", "invalid", "missing-deps", "excerpt", "checked", "checked"]);
    expect(v.get(2)!.message).toMatch(/line 4:/);
    expect(v.get(3)!.missing).toEqual(["gtk/gtk.h"]);
    expect(v.get(4)!.undeclared).toEqual(["y", "z"]);
  });
});

describe("the precompiled header", () => {
  it("is built, taken by the compiler (g++ -H shows it as used) and reused", async () => {
    expect(pchCpp).not.toBeNull();
    const gch = `${pchCpp!.include}.gch`;
    expect(fs.existsSync(gch)).toBe(true);
    const [unit] = cxxUnits(cpp("cout << 1;\n"));
    const { output } = compile(unit, pchCpp, ["-H"]);
    expect(output).toContain(`! ${gch}`);
    const mtime = fs.statSync(gch).mtimeMs;
    const again = await ensurePch("cpp", "g++", pchDir);
    expect(again).toEqual(pchCpp);
    expect(fs.statSync(gch).mtimeMs).toBe(mtime);
  });

  it("survives two processes building it at once (temporary folder, renamed into place)", async () => {
    const dir = path.join(work, "race");
    const [a, b] = await Promise.all([ensurePch("c", "gcc", dir), ensurePch("c", "gcc", dir)]);
    expect(a).not.toBeNull();
    expect(b).toEqual(a);
    expect(fs.readdirSync(dir)).toEqual([path.basename(a!.dir)]);
    const unit = cxxUnits([{ index: 1, lang: "c", text: 'printf("%d", 1);\n' }])[0];
    const { output } = compile(unit, a, ["-H"]);
    expect(output).toContain(`! ${a!.include}.gch`);
  }, 300_000);

  it("is null when the compiler does not exist", async () => {
    expect(await ensurePch("cpp", path.join(work, "no-such-g++"), pchDir)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Every C/C++ block of tom89757, judged as a C++ reader would (each verdict below was read against its block).

const TOM: Record<string, [number, CxxVerdict["status"], RegExp?][]> = {
  "ACM格式输入1.md": [
    [1, "checked"],
    [2, "checked"],
    [3, "checked"],
    [4, "invalid", /line 50: redeclaration of .int j./], // a list of alternatives declares `int j,k;` twice
    [5, "invalid", /line 26: redefinition of .int main\(\)./], // eleven alternative mains in one file
  ],
  "ACM格式输入2.md": [
    [1, "checked"],
    [2, "checked"],
    [3, "invalid", /line 11: '\{' opened on line 11 is never closed/], // the block stops inside the loop
  ],
  "C++常见bug.md": [
    [1, "missing-deps", /Winsock2\.h/],
    [2, "missing-deps", /ws2tcpip\.h/],
    [3, "excerpt", /fd, val/], // setsockopt(fd, …, &val, …): the socket code around it is the reader's
  ],
  "C++知识点01.md": [
    [1, "checked"],
    [2, "invalid", /line 5: expected .;. after struct definition/], // the note's own bug: `}` without `;`
    [3, "checked"],
    [4, "excerpt", /map_s, map_t/],
  ],
  "leetcode刷题技巧.md": [
    [3, "checked"],
    [4, "checked"], // `Solution s;` is block 3's class
  ],
  "图像处理中知识点01.md": [
    [21, "missing-deps", /opencv2\/opencv\.hpp/], // cv::Canny's signature
    [23, "missing-deps", /opencv2\/opencv\.hpp/], // cv::Sobel's signature
  ],
};

describe("tom89757", () => {
  const parse = parserFrom(defaultMarkdown());
  const blocksOf = (file: string): CxxBlock[] => {
    const { body, bodyLine } = defaultSplitFrontMatter(fs.readFileSync(path.join(CORPUS, file), "utf8"));
    return extractSnippets(parse(body), { file, bodyLine })
      .filter((s) => s.lang === "c" || s.lang === "cpp")
      .map((s) => ({ index: s.index, lang: s.lang as "c" | "cpp", text: s.text }));
  };

  it("has C/C++ blocks in exactly the notes listed here", () => {
    const notes = fs.readdirSync(CORPUS).filter((f) => f.endsWith(".md") && blocksOf(f).length > 0);
    expect(notes.sort()).toEqual(Object.keys(TOM).sort());
  });

  for (const [note, expected] of Object.entries(TOM)) {
    it(`${note}: one compiler run, the verdicts a reader would give`, () => {
      const blocks = blocksOf(note);
      expect(blocks.map((b) => b.index)).toEqual(expected.map(([i]) => i));
      const units = cxxUnits(blocks);
      expect(units).toHaveLength(1);
      const { output, exit, ms } = compile(units[0], pchCpp);
      const verdicts = judgeCxx(units[0], output, exit);
      console.log(`[cxx] ${note}: ${blocks.length} blocks, one g++ run with the PCH: ${ms} ms (load ${os.loadavg()[0].toFixed(2)})`);
      for (const [i, v] of verdicts) console.log(`[cxx]   block ${i}: ${v.status}: ${v.message}`);
      for (const [i, status, message] of expected) {
        expect(verdicts.get(i), `${note} block ${i}`).toMatchObject({ status, ...(message ? { message: expect.stringMatching(message) } : {}) });
      }
    }, 240_000);
  }

  it("the GrabCut program of 图像处理中知识点02 (line 62, not a fence for markdown-it) needs OpenCV", () => {
    const lines = fs.readFileSync(path.join(CORPUS, "图像处理中知识点02.md"), "utf8").split("\n");
    const open = lines.findIndex((l) => l.startsWith("```c++"));
    const close = lines.findIndex((l, k) => k > open && l.startsWith("```"));
    const v = check([{ index: 1, lang: "cpp", text: lines.slice(open + 1, close).join("\n") + "\n" }]);
    expect(v.get(1)).toMatchObject({ status: "missing-deps", missing: ["opencv2/highgui/highgui.hpp", "opencv2/imgproc/imgproc.hpp", "opencv2/opencv.hpp"] });
  }, 240_000);
});
