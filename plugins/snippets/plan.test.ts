import { describe, expect, it } from "vitest";
import { extractSnippets } from "./extract.ts";
import { defaultMarkdown } from "./options.ts";
import { filesReadBy, filesRunBy, planNote, programsOf, shellWords, type PlanOptions } from "./plan.ts";
import { loadTypeStripper } from "./runners/strip-types.ts";
import type { Token } from "./types.ts";

const OPTS: PlanOptions = { timeout: 10, noteTimeout: 60, memoryMb: 512, outputCap: 1 << 20, nodeStripsTypes: false, compilers: { c: "gcc", cpp: "g++" } };

function plan(md: string, opts = OPTS) {
  const snippets = extractSnippets(defaultMarkdown().parse(md, {}) as unknown as Token[], { file: "n.md", bodyLine: 1 });
  return planNote(snippets, opts);
}

describe("files a command reads", () => {
  it.each([
    ["cat train.txt", ["train.txt"]],
    ["sort -r words.txt | head -n 1", ["words.txt"]],
    ["cut -d , -f 2 data.csv", ["data.csv"]],
    ["tail -5 log.txt", ["log.txt"]],
    ["wc -l < words.txt", ["words.txt"]],
  ])("%s", (cmd, files) => {
    expect(filesReadBy(cmd)).toEqual(files);
  });
});

describe("shell words", () => {
  it("finds the programs a command runs", () => {
    expect(shellWords(`echo "a b" 'c'|grep x && ls`)).toEqual(["echo", "a b", "c", "|", "grep", "x", "&&", "ls"]);
    expect(programsOf("nvidia-smi | grep python | awk '{ print $5 }' | xargs -n1 kill -9")).toEqual(["nvidia-smi", "grep", "awk", "xargs"]);
    expect(programsOf("cd build && FOO=1 make -j4; echo done")).toEqual(["make"]);
    expect(programsOf("sudo apt install gcc")).toEqual(["sudo", "apt"]);
    expect(programsOf("greet() { echo hi; }; greet", new Set(["greet"]))).toEqual([]);
  });
  it("finds the files run through an interpreter", () => {
    expect(filesRunBy("python prog.py -h")).toEqual([{ name: "prog.py", lang: "python" }]);
    expect(filesRunBy("python3 -u ./train.py --lr 1")).toEqual([{ name: "train.py", lang: "python" }]);
    expect(filesRunBy("python -m pip install x")).toEqual([]);
    expect(filesRunBy("bash run.sh && node app.js")).toEqual([
      { name: "run.sh", lang: "shell" },
      { name: "app.js", lang: "node" },
    ]);
    expect(filesRunBy("./tool.py a")).toEqual([{ name: "tool.py", lang: "python" }]);
  });
});

describe("planNote", () => {
  it("infers a transcript's file from the nearest preceding unnamed block, which then does not run", () => {
    const p = plan("```python\nprint('old')\n```\n\n```python\nimport sys\nprint(sys.argv)\n```\n\n```bash\n$ python prog.py a\n['prog.py', 'a']\n```\n");
    expect(p.fileOf.get(2)).toMatchObject({ name: "prog.py", from: 2, inferred: true, usedBy: [3] });
    expect(p.filesOf.get(3)).toEqual([{ name: "prog.py", from: 2, inferred: true, usedBy: [3] }]);
    const main = p.sessions[0];
    expect(main.job.files).toEqual([{ name: "prog.py", text: "import sys\nprint(sys.argv)\n" }]);
    expect(main.steps.map((s) => s.snippet.index)).toEqual([1, 3]); // block 2 is a file, not run
  });

  it("prefers a block named by title and checks named blocks nothing uses", () => {
    const p = plan('```python title="prog.py"\nprint(1)\n```\n\n```python\nprint(2)\n```\n\n```python title="lib.py"\nx = 1\n```\n\n```bash\n$ python prog.py\n1\n```\n');
    expect(p.fileOf.get(1)).toMatchObject({ name: "prog.py", inferred: false, usedBy: [4] });
    const steps = p.sessions[0].steps;
    expect(steps.map((s) => [s.snippet.index, s.check])).toEqual([
      [2, false],
      [3, true],
      [4, false],
    ]);
    expect(p.sessions[0].job.files.map((f) => f.name)).toEqual(["prog.py", "lib.py"]);
  });

  it("leaves a file nothing provides for the run to call unresolved", () => {
    const p = plan("```bash\n$ python train.py\nepoch 1\n```\n");
    const st = p.sessions[0].job.steps[0];
    expect(st).toMatchObject({ op: "sh", commands: [{ cmd: "python train.py", programs: ["python"], needs: ["train.py"] }] });
    const q = plan("```bash\n$ echo 1 > made.txt\n$ cat made.txt data/train.txt /etc/hosts\n1\n```\n");
    expect(q.sessions[0].job.steps[0]).toMatchObject({ commands: [{ cmd: "echo 1 > made.txt" }, { needs: ["made.txt", "data/train.txt"] }] });
  });

  it("checks command lists instead of running them, and runs them when flagged", () => {
    const p = plan("```bash\npip install torch\nconda activate x\n```\n\n```bash\n$ ls\n```\n\n```bash run\n$ echo hi\n```\n");
    expect(p.sessions[0].steps.map((s) => [s.job.op, s.check])).toEqual([
      ["script", true],
      ["sh", true],
      ["sh", false],
    ]);
  });

  it("refuses a file name outside the sandbox with file and line", () => {
    const p = plan('text\n\n```python title="../../x.py"\nprint(1)\n```\n');
    expect(p.fixed.get(1)).toMatchObject({ status: "invalid" });
    expect(p.diagnostics).toContainEqual(expect.objectContaining({ severity: "error", file: "n.md", line: 3 }));
    expect(p.sessions).toEqual([]);
  });

  it("separates sessions and honours skip, norun and timeout", () => {
    const p = plan('```python\nx = 1\n```\n\n```python session="b" timeout=30\nprint(x)\n```\n\n```python skip\nboom(\n```\n\n```python norun\nimport os\n```\n');
    expect(p.sessions.map((s) => [s.session, s.steps.map((x) => x.snippet.index)])).toEqual([
      ["", [1, 4]],
      ["b", [2]],
    ]);
    expect(p.sessions[1].job.steps[0].timeout).toBe(30);
    expect(p.fixed.get(3)?.status).toBe("skipped");
    expect(p.sessions[0].steps[1].check).toBe(true);
  });

  it("sends json, yaml and C to static checks and the rest to extraction", () => {
    const p = plan("```json\n{}\n```\n\n```yaml\na: 1\n```\n\n```cpp\nint x;\n```\n\n```java\nclass A {}\n```\n\n```ts\nlet x: number = 1\n```\n");
    expect(p.statics.map((s) => s.kind)).toEqual(["json", "yaml", "cpp"]);
    expect(p.fixed.get(4)?.status).toBe("extracted");
    expect(p.fixed.get(5)?.message).toMatch(/TypeScript/);
  });

  it("runs ts blocks as JavaScript when given a type stripper (node < 22.6 with the typescript package)", async () => {
    const stripTypes = await loadTypeStripper();
    expect(stripTypes).not.toBeNull();
    const md = "```ts\nconst n: number = 2;\nconsole.log(n as number);\n```\n\n```ts\nimport { join } from 'node:path';\nconst p: string = join('a', 'b');\n```\n\n```ts\nlet x: = 1\n```\n";
    const p = plan(md, { ...OPTS, stripTypes: stripTypes! });
    const steps = p.sessions[0].job.steps;
    expect(steps.map((s) => (s.op === "script" ? [s.i, s.ext, s.nodeArgs] : s.op))).toEqual([
      [1, ".cjs", []],
      [2, ".mjs", []],
    ]);
    const first = steps[0].op === "script" ? steps[0].code : "";
    expect(first).toContain("const n = 2;");
    expect(first).not.toContain(": number");
    expect(p.fixed.get(3)).toMatchObject({ status: "invalid", message: expect.stringMatching(/^not valid TypeScript: .*\(line 1\)$/) });
  });
});

describe("a block the verifier itself could not run", () => {
  const F = "```";
  const p = plan([`${F}python`, "print(1)", F, "", F, "1", F, ""].join("\n"));
  const step = p.sessions[0].steps[0];
  it("is not the note's failure when the worker died (it was a red 'output differs' or 'claim never ran')", async () => {
    const { judgeStep } = await import("./decide.ts");
    const v = judgeStep(step, { i: step.snippet.index, killed: "the python worker died: ModuleNotFoundError: No module named 'verinotes_worker'" });
    expect(v.status).toBe("warning");
    expect(v.message).toMatch(/^not run: the verifier failed \(the python worker died/);
  });
  it("is still failed when the session stopped before its claim ran (§5)", async () => {
    const { judgeStep } = await import("./decide.ts");
    expect(judgeStep(step, { i: step.snippet.index, killed: "killed after the memory limit of block 1" }).status).toBe("failed");
  });
});
