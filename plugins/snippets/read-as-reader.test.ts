// §4b with real python3 and bash: each rule of "read a note as its reader would", on a note written the way real
// study notes are. Each expectation fails on a verifier that runs blocks literally.
import { beforeAll, describe, expect, it } from "vitest";
import { block } from "./testing.ts";
import type { Report, SnippetResult } from "./types.ts";
import { verifyNotes } from "./verify.ts";

const NOTES: Record<string, string> = {
  "imports.md": [
    block("python", "parser = argparse.ArgumentParser(prog='demo')", "print(parser.prog)"),
    "输出：",
    "",
    block("", "demo"),
    block("python", ">>> os.path.join('a', 'b')", "'a/b'"),
    block("python", "x = torch.zeros(3)", "print(x)"),
    block("python", ">>> x.shape", "torch.Size([3])"),
  ].join("\n"),
  "excerpt.md": [
    block("python", "logger.info(TAG)"),
    block("python", "self.model = Net()", "self.model.train()"),
    block("python", "print(later)"),
    block("python", "later = 1"),
  ].join("\n"),
  "reprs.md": [
    block("python", ">>> class Foo: pass", ">>> Foo()", "<__main__.Foo object at 0x7f2b1c2d3e40>"),
    block("python", ">>> import argparse", ">>> argparse.Namespace(b=2, a=1)", "Namespace(b=2, a=1)"),
  ].join("\n"),
  "prompts.md": [
    block("python", "# in the interpreter", ">>>x = 40", ">>>x + 2", "42"),
    block("python", ">> z = 5", ">> z * 2", "10"),
    block("", ">> a = [1 2 3]", ">> a'"),
    block("python", '>>> print(">> not a prompt")', ">> not a prompt"),
    block("python", "In [1]: print('hi'); 1 + 1", "hi", "Out[1]: 2"),
    block("python", "In [1]: y = [1, 2]", "", "In [2]: len(y)", "Out[2]: 2", "", "In [3]: %timeit len(y)", "100 loops", "", "In [4]: for v in y:", "   ...:     print(v)", "   ...:", "1", "2"),
  ].join("\n"),
  "shapes.md": [
    block("python", "torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, *, device=None)"),
    block("python", "def forward(self, x: Tensor) -> Tensor"),
    block("bash", "pip install <package>", "cp <source> <dest>"),
    block("python", "print 'hello'"),
    block("python", "CLASS torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride=1)"),
    block("python", "cv2.resize(src, dsize[, dst[, fx[, fy[, interpolation]]]]) -> dst"),
    block("python", "for indices in batch_sampler:", "    yield collate_fn([dataset[i] for i in indices])"),
    block("python", ">>> type(1)", "<type 'int'>"),
  ].join("\n"),
  "forms.md": [
    block("python", "type(name, bases, attrs)"),
    block("python", "operator.lt(a, b)", "operator.le(a, b)"),
    block("javascript", "{", '  "presets": ["@babel/preset-env", "@babel/preset-react"]', "}"),
    block("python", "names = ['x']", "print(nmae)"),
  ].join("\n"),
  "machine.md": [
    block("console", "$ uname -s", "Darwin"),
    block("console", "$ git log --oneline -1", "3f2a1b0 first commit"),
    block("console", "$ git init -q demo && cd demo && git status --porcelain | wc -l", "0"),
    block("python", "import socket", "print(socket.gethostbyname('example.com'))"),
    "Output:",
    "",
    block("", "93.184.216.34"),
  ].join("\n"),
  "not-the-machine.md": [
    block("console", "$ echo hello > /dev/null; echo done", "finished"),
    block("console", "$ env LANG=C python3 -c 'print(1 + 1)'", "3"),
    block("python", ">>> ConnectionRefusedError.__name__", "'Refused'"),
    block("python", ">>> def area(r):", "...     return 3 * r * r", ">>> aera(2)", "12"),
  ].join("\n"),
  "server.md": [block("python", "import time", "while True:", "    time.sleep(0.1)"), block("python", "print('after the server')"), "Output:", "", block("", "after the server")].join("\n"),
  "counter.md": [
    block("python", ">>> l = [1, 2]", ">>> d = {}", ">>> d[l] = 42", ">>> d[l]", "Traceback (most recent call last):", '  File "<interactive input>", line 1, in ?', "KeyError: [1, 2]"),
  ].join("\n"),
};

describe("reading a note as its reader would (§4b)", () => {
  let report: Report;
  const get = (file: string, index: number): SnippetResult => {
    const r = report.snippets.find((s) => s.source === file && s.index === index);
    if (!r) throw new Error(`no result for ${file} block ${index}`);
    return r;
  };
  beforeAll(async () => {
    report = await verifyNotes(
      Object.entries(NOTES).map(([file, text]) => ({ file, text })),
      { inputDir: ".", cacheDir: null },
    );
  }, 120_000);

  it("supplies the standard library and conventional aliases, and says so", () => {
    expect(get("imports.md", 1)).toMatchObject({ status: "passed", assumed: ["import argparse"] });
    expect(get("imports.md", 1).message).toContain("assuming `import argparse`");
    expect(get("imports.md", 3)).toMatchObject({ status: "passed", assumed: ["import os"] });
  });

  it("makes a block needing an alias that is not installed missing-deps, and a block that depends on it too", () => {
    expect(get("imports.md", 4)).toMatchObject({ status: "missing-deps", missing: ["torch"], message: "needs torch (assuming `import torch`)" });
    expect(get("imports.md", 5)).toMatchObject({ status: "missing-deps", dependsOn: 4, missing: ["torch"] });
    expect(get("imports.md", 5).message).toMatch(/^depends on block 4 \(x\)/);
  });

  it("calls a block using names no block defines an excerpt, not an error", () => {
    expect(get("excerpt.md", 1)).toMatchObject({ status: "excerpt" });
    expect(get("excerpt.md", 1).message).toMatch(/logger|TAG/);
    expect(get("excerpt.md", 2)).toMatchObject({ status: "excerpt" });
    expect(get("excerpt.md", 3)).toMatchObject({ status: "excerpt", message: "excerpt: uses later before the block that defines it" });
  });

  it("matches any address with any other, and keyword arguments in any order", () => {
    expect(get("reprs.md", 1)).toMatchObject({ status: "passed" });
    expect(get("reprs.md", 2)).toMatchObject({ status: "passed" });
  });

  it("takes >>> without a space, comments before the first prompt, and IPython sessions (magics skipped)", () => {
    expect(get("prompts.md", 1)).toMatchObject({ kind: "repl", status: "passed", message: "2 examples passed" });
    expect(get("prompts.md", 2)).toMatchObject({ kind: "repl", status: "passed", message: "2 examples passed" });
    expect(get("prompts.md", 3)).toMatchObject({ kind: "source" }); // MATLAB's prompt, unlabelled: not python
    expect(get("prompts.md", 4)).toMatchObject({ kind: "repl", status: "passed", message: "1 example passed" });
    expect(get("prompts.md", 5)).toMatchObject({ kind: "repl", status: "passed", message: "1 example passed" });
    expect(get("prompts.md", 6)).toMatchObject({ kind: "repl", status: "passed", message: "3 examples passed" });
  });

  it("checks signatures and <placeholder> templates instead of calling them invalid, and says Python 2", () => {
    expect(get("shapes.md", 1)).toMatchObject({ status: "checked" });
    expect(get("shapes.md", 1).message).toMatch(/^a signature/);
    expect(get("shapes.md", 2)).toMatchObject({ status: "checked" });
    expect(get("shapes.md", 3)).toMatchObject({ status: "checked" });
    expect(get("shapes.md", 3).message).toMatch(/placeholders/);
    expect(get("shapes.md", 4)).toMatchObject({ status: "invalid", reason: "python2" });
    expect(get("shapes.md", 4).message).toMatch(/^written for Python 2/);
    expect(get("shapes.md", 5)).toMatchObject({ status: "checked" }); // PyTorch's documentation style
    expect(get("shapes.md", 6)).toMatchObject({ status: "checked" }); // OpenCV's
    expect(get("shapes.md", 7)).toMatchObject({ status: "excerpt" }); // the inside of a function
    expect(get("shapes.md", 8)).toMatchObject({ status: "failed", reason: "python2" });
    expect(get("shapes.md", 8).message).toMatch(/^written for Python 2 \(<type '…'>\)/);
  });

  it("reads calls written as their forms as signatures and JSON in a javascript block as a config file, not errors", () => {
    expect(get("forms.md", 1)).toMatchObject({ status: "checked" });
    expect(get("forms.md", 1).message).toMatch(/^a signature/);
    expect(get("forms.md", 2)).toMatchObject({ status: "checked" });
    expect(get("forms.md", 3)).toMatchObject({ status: "checked" });
    expect(get("forms.md", 3).message).toMatch(/^JSON/);
    expect(get("forms.md", 4).status).not.toBe("checked"); // one bare name that does not exist: not a form
  });

  it("does not compare what shows the author's machine or needs the network, but judges state the note made", () => {
    expect(get("machine.md", 1)).toMatchObject({ status: "environment", reason: "host" });
    expect(get("machine.md", 2)).toMatchObject({ status: "environment", reason: "host" });
    expect(get("machine.md", 3)).toMatchObject({ status: "passed" });
    expect(get("machine.md", 4)).toMatchObject({ status: "environment", reason: "network" });
  });

  it("still fails what is the note's fault: /dev/null, env VAR=x cmd, an exception's name, a typo", () => {
    for (const i of [1, 2, 3, 4]) expect(get("not-the-machine.md", i).status, `block ${i}`).toBe("failed");
  });

  it("stops an unclaimed block that runs on (a server, a loop) early, without a warning", () => {
    expect(get("server.md", 1)).toMatchObject({ status: "passed" });
    expect(get("server.md", 1).message).toMatch(/stopped/);
    expect(get("server.md", 2)).toMatchObject({ status: "passed" });
  });

  it("does not call a hand-written illustration (tracebacks `in ?`) a failure", () => {
    expect(get("counter.md", 1)).toMatchObject({ status: "warning" });
    expect(get("counter.md", 1).message).toMatch(/illustration/);
  });
});
