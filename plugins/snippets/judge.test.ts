import { describe, expect, it } from "vitest";
import {
  readerForm,
  sortKeywordReprs,
  compareOutput,
  foldLine,
  judgeCommand,
  judgeExample,
  lineMatches,
  linesMatch,
  splitExitClaim,
  toLines,
  tracebackClaim,
  unifiedDiff,
} from "./judge.ts";

describe("normalisation", () => {
  it("normalises line endings, trailing blanks and final blank lines", () => {
    expect(toLines("a  \r\nb\t\r\n\r\n\n")).toEqual(["a", "b"]);
    expect(toLines("")).toEqual([]);
  });
  it("strips terminal colours", () => {
    expect(toLines("\x1b[31mred\x1b[0m")).toEqual(["red"]);
  });
  it("folds runs of blanks (also NBSP and ideographic space) unless strict", () => {
    expect(foldLine("  -h,  --help\tshow")).toBe("-h, --help show");
    expect(foldLine("a\u00a0\u00a0b\u3000c")).toBe("a b c");
    expect(foldLine("  a  b", true)).toBe("  a  b");
  });
});

describe("compareOutput", () => {
  it("passes equal text and ignores trailing whitespace and blank lines at the end", () => {
    expect(compareOutput("4\n", "4   \n\n\n").ok).toBe(true);
  });
  it("fails different text with a unified diff", () => {
    const c = compareOutput("1\n2\n3\n", "1\n2\n4\n");
    expect(c.ok).toBe(false);
    expect(c.diff).toContain("--- expected");
    expect(c.diff).toContain("+++ actual");
    expect(c.diff).toContain("-3");
    expect(c.diff).toContain("+4");
    expect(c.diff).toContain("@@ -1,3 +1,3 @@");
  });
  it("folds whitespace by default and not under strict", () => {
    const exp = "options:\n -h, --help  show this help message and exit";
    const act = "options:\n  -h, --help  show this help message and exit\n";
    expect(compareOutput(exp, act).ok).toBe(true);
    expect(compareOutput(exp, act, { strict: true }).ok).toBe(false);
  });
  it("does not ignore a missing line in the middle", () => {
    expect(compareOutput("a\nc", "a\nb\nc").ok).toBe(false);
  });
  it("matches `...` against any number of lines, including none", () => {
    expect(compareOutput("start\n...\nend", "start\nx\ny\nz\nend").ok).toBe(true);
    expect(compareOutput("start\n...\nend", "start\nend").ok).toBe(true);
    expect(compareOutput("...\nend", "a\nb\nend").ok).toBe(true);
    expect(compareOutput("start\n...", "start").ok).toBe(true);
    expect(compareOutput("start\n...\nend", "start\nx\nEND").ok).toBe(false);
    expect(compareOutput("a\n...\nb\n...\nc", "a\n1\nb\n2\nb\n3\nc").ok).toBe(true);
  });
  it("matches `[..]` against any text on the line only", () => {
    expect(lineMatches("took [..] s", "took 0.25 s")).toBe(true);
    expect(lineMatches("took [..] s", "took 0.25 ms")).toBe(false);
    expect(lineMatches("[..]", "anything")).toBe(true);
    expect(lineMatches("a.b(c)", "aXb(c)")).toBe(false); // regex characters are literal
    expect(linesMatch(["[..]"], ["one", "two"])).toBe(false);
  });
  it("shows wildcards absorbing lines, not as differences", () => {
    const c = compareOutput("head\n...\nlast 1", "head\nx\ny\nlast 2");
    expect(c.ok).toBe(false);
    expect(c.diff).not.toContain("-...");
    expect(c.diff).not.toContain("+x");
    expect(c.diff).toContain("-last 1");
    expect(c.diff).toContain("+last 2");
  });
  it("ignores leading blank lines unless strict", () => {
    expect(compareOutput("\n\nhi", "hi").ok).toBe(true);
    expect(compareOutput("\nhi", "hi", { strict: true }).ok).toBe(false);
  });
});

describe("exit status claims", () => {
  it("splits a final [N] line", () => {
    expect(splitExitClaim(["usage: x", "[2]"])).toEqual({ lines: ["usage: x"], exit: 2 });
    expect(splitExitClaim(["a", "b"])).toEqual({ lines: ["a", "b"] });
  });
  it("asserts the exit status only when shown", () => {
    expect(judgeCommand(["oops"], "oops\n", 1).ok).toBe(true);
    expect(judgeCommand(["oops", "[2]"], "oops\n", 2).ok).toBe(true);
    const j = judgeCommand(["oops", "[2]"], "oops\n", 0);
    expect(j.ok).toBe(false);
    expect(j.exit).toEqual({ expected: 2, actual: 0 });
    expect(j.diff).toContain("-[2]");
    expect(j.diff).toContain("+[0]");
  });
  it("takes a printed list that looks like [1] as output", () => {
    expect(judgeCommand(["[1]"], "[1]\n", 0).ok).toBe(true);
  });
  it("asserts exit= from the attributes", () => {
    expect(judgeCommand(["x"], "x", 3, { exit: 3 }).ok).toBe(true);
    expect(judgeCommand(["x"], "x", 0, { exit: 3 }).ok).toBe(false);
  });
});

describe("doctest rules", () => {
  it("reads the exception part of a traceback claim", () => {
    expect(tracebackClaim("Traceback (most recent call last):\n  File \"<stdin>\", line 1\n    ...\nKeyError: 'x'")).toBe("KeyError: 'x'");
    expect(tracebackClaim("True")).toBeNull();
  });
  it("matches a traceback by its header and last line", () => {
    const want = "Traceback (most recent call last):\n  ...\nZeroDivisionError: division by zero";
    const got = {
      output: "Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\nZeroDivisionError: division by zero\n",
      exc: "ZeroDivisionError: division by zero",
    };
    expect(judgeExample(want, got).ok).toBe(true);
    expect(judgeExample(want.replace("zero", "nothing"), got).ok).toBe(false);
  });
  it("fails an exception nothing claimed and names it", () => {
    const j = judgeExample("Namespace(x=1)", { output: "Traceback ...\nNameError: name 'parser' is not defined\n", exc: "NameError: name 'parser' is not defined" });
    expect(j.ok).toBe(false);
    expect(j.unexpected).toBe("NameError: name 'parser' is not defined");
  });
  it("compares printed values, stdout and stderr", () => {
    expect(judgeExample("True", { output: "True\n" }).ok).toBe(true);
    expect(judgeExample("", { output: "" }).ok).toBe(true);
    expect(judgeExample("", { output: "surprise\n" }).ok).toBe(false);
    expect(judgeExample("WARNING:root:Watch Out!", { output: "WARNING:root:Watch Out!\n" }).ok).toBe(true);
  });
});

describe("unifiedDiff", () => {
  it("gives hunks with context", () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const b = [...a];
    b[10] = "changed";
    const d = unifiedDiff(a, b);
    expect(d.split("\n")).toEqual([
      "--- expected",
      "+++ actual",
      "@@ -8,7 +8,7 @@",
      " l7",
      " l8",
      " l9",
      "-l10",
      "+changed",
      " l11",
      " l12",
      " l13",
    ]);
  });
  it("handles empty sides", () => {
    expect(unifiedDiff([], ["x"])).toContain("+x");
    expect(unifiedDiff(["x"], [])).toContain("-x");
  });
  it("copes with large inputs", () => {
    const a = Array.from({ length: 30000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 30000 }, (_, i) => `b${i}`);
    const t = Date.now();
    const d = unifiedDiff(a, b);
    expect(Date.now() - t).toBeLessThan(5000);
    expect(d).toContain("-a0");
  });
});

describe("reading output as a reader would (§4b)", () => {
  it("matches any memory address with any other (0x and 6 or more hex digits)", () => {
    expect(compareOutput("<__main__.Foo object at 0x7f2b1c2d3e40>", "<__main__.Foo object at 0x55d0c0ffee11>").ok).toBe(true);
    expect(compareOutput("<function f at 0x7f2b1c2d3e40>", "<function g at 0x55d0c0ffee11>").ok).toBe(false);
    expect(compareOutput("0x1f", "0x2f").ok).toBe(false); // a number, not an address
  });

  it("compares the keyword arguments of a repr in any order, and only those", () => {
    expect(
      compareOutput("Namespace(accumulate=<built-in function sum>, integers=[7, -1, 42])", "Namespace(integers=[7, -1, 42], accumulate=<built-in function sum>)").ok,
    ).toBe(true);
    expect(sortKeywordReprs("dict(b=2, a=f(c=1, b='x(y'))")).toBe("dict(a=f(b='x(y', c=1), b=2)");
    expect(compareOutput("f(1, 2)", "f(2, 1)").ok).toBe(false);
    expect(compareOutput("Point(x=1, y=2)", "Point(x=2, y=1)").ok).toBe(false);
  });

  it("reads a very long line in one pass", () => {
    expect(readerForm("x".repeat(2_000_000) + "(a=1)")).toHaveLength(2_000_005);
  });
});
