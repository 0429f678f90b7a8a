import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { allowsOutputBetween, classifyContent, extractSnippets, parseRepl, parseTranscript, sandboxNameProblem } from "./extract.ts";
import { defaultMarkdown, defaultSplitFrontMatter } from "./options.ts";
import type { Snippet, Token } from "./types.ts";

const SEED = new URL("../../../shared/fixtures/seed-note.md", import.meta.url);

function extract(text: string, file = "note.md"): Snippet[] {
  const { body, bodyLine } = defaultSplitFrontMatter(text);
  return extractSnippets(defaultMarkdown().parse(body, {}) as unknown as Token[], { file, bodyLine });
}

describe("extractSnippets on the seed note", () => {
  const text = fs.readFileSync(SEED, "utf8");
  const snippets = extract(text, "seed-note.md");
  const lines = text.split("\n");

  it("finds all 21 fenced blocks, numbered in document order", () => {
    expect(snippets.map((s) => s.index)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });

  it("maps each block to the file line of its opening fence", () => {
    for (const s of snippets) expect(lines[s.line - 1].trim().startsWith("```")).toBe(true);
    expect(snippets[0].line).toBe(34);
    // block 7 sits in a list item: its fence is indented
    expect(lines[snippets[6].line - 1]).toMatch(/^ {3}```python/);
  });

  it("classifies by content", () => {
    const kinds = snippets.map((s) => s.kind);
    expect(kinds.filter((k) => k === "transcript").length).toBe(3);
    expect(kinds.filter((k) => k === "repl").length).toBe(3);
    expect(kinds.filter((k) => k === "output").length).toBe(0);
    expect(snippets[3].kind).toBe("transcript");
    expect(snippets[8].kind).toBe("repl");
    expect(snippets[1].lang).toBe("css");
  });

  it("gives stable hashes that change with the text", () => {
    const again = extract(text, "seed-note.md");
    expect(again.map((s) => s.hash)).toEqual(snippets.map((s) => s.hash));
    const edited = extract(text.replace("parser.parse_args(['--sum'", "parser.parse_args([ '--sum'"), "seed-note.md");
    expect(edited[8].hash).not.toBe(snippets[8].hash);
    expect(edited[9].hash).toBe(snippets[9].hash);
  });
});

describe("the output-block rule", () => {
  const note = (between: string, lang = "") =>
    ["```python", "print(1)", "```", ...(between ? ["", between, ""] : [""]), "```" + lang, "1", "```", ""].join("\n");

  it("takes a following text block as the output", () => {
    const s = extract(note(""));
    expect(s.map((x) => x.kind)).toEqual(["source", "output"]);
    expect(s[0].output).toMatchObject({ index: 2, text: "1\n" });
    expect(s[1].outputOf).toBe(1);
  });

  it("allows one short paragraph ending in a colon (also the full-width one and with emphasis)", () => {
    expect(extract(note("输出："))[1].kind).toBe("output");
    expect(extract(note("运行结果："))[1].kind).toBe("output");
    expect(extract(note("**Output:**"))[1].kind).toBe("output");
    expect(extract(note("Output:", "text"))[1].kind).toBe("output");
    expect(extract(note("Output:", "log"))[1].kind).toBe("output");
  });

  it("does not take a block after a long paragraph, a paragraph without colon, or another language", () => {
    expect(extract(note("This paragraph explains in far more than forty characters what happens:"))[1].kind).toBe("source");
    expect(extract(note("Output"))[1].kind).toBe("source");
    expect(extract(note("", "python"))[1].kind).toBe("source");
    expect(extract(note("# Heading"))[1].kind).toBe("source");
  });

  it("does not attach outputs to transcripts or REPL sessions", () => {
    const s = extract(["```bash", "$ echo hi", "hi", "```", "", "```", "hi", "```"].join("\n"));
    expect(s.map((x) => x.kind)).toEqual(["transcript", "source"]);
  });

  it("counts structural tokens (list items) as nothing between", () => {
    const toks = defaultMarkdown().parse("- a\n\n  ```python\n  print(1)\n  ```\n\n- ```\n  1\n  ```\n", {}) as unknown as Token[];
    const s = extractSnippets(toks, { file: "n.md", bodyLine: 1 });
    expect(s.map((x) => x.kind)).toEqual(["source", "output"]);
    expect(allowsOutputBetween([])).toBe(true);
  });

  it("finds blocks in block quotes and with ~~~ fences, not indented code", () => {
    const s = extract("> ```python\n> x = 1\n> ```\n\n~~~~bash\n$ ls\n~~~~\n\n    indented = 1\n");
    expect(s.map((x) => [x.lang, x.kind, x.line])).toEqual([
      ["python", "source", 1],
      ["bash", "transcript", 5],
    ]);
    expect(s[0].text).toBe("x = 1\n");
  });
});

describe("classifyContent", () => {
  it("decides transcripts and REPL sessions by content", () => {
    expect(classifyContent("bash", "$ ls\n")).toBe("transcript");
    expect(classifyContent("", "(venv) $ pip list\n")).toBe("transcript");
    expect(classifyContent("python", ">>> 1 + 1\n2\n")).toBe("repl");
    expect(classifyContent("", "\n>>> x\n")).toBe("repl");
    expect(classifyContent("bash", "pip install torch\n")).toBe("source");
    expect(classifyContent("php", "$ x = 1;\n")).toBe("source");
    expect(classifyContent("text", ">>> not run\n")).toBe("source");
  });
});

describe("parseTranscript", () => {
  it("splits commands and the output under each, with file lines", () => {
    const t = parseTranscript("$ python prog.py 1 2 3 4\n4\n\n$ python prog.py 1 2 3 4 --sum\n10\n", 119);
    expect(t).toEqual([
      { cmd: "python prog.py 1 2 3 4", line: 119, expected: ["4"], from: 120, to: 121 },
      { cmd: "python prog.py 1 2 3 4 --sum", line: 122, expected: ["10"], from: 123, to: 124 },
    ]);
  });
  it("joins `\\` continuation lines and here-documents into the command", () => {
    const t = parseTranscript("$ echo a \\\n  b\na b\n$ cat <<EOF\nx\nEOF\nx\n$ ls\n", 1);
    expect(t.map((c) => c.cmd)).toEqual(["echo a \\\n  b", "cat <<EOF\nx\nEOF", "ls"]);
    expect(t.map((c) => c.expected)).toEqual([["a b"], ["x"], null]);
  });
  it("reads env prompts", () => {
    expect(parseTranscript("(base) $ conda list\n", 1)[0].cmd).toBe("conda list");
  });
});

describe("parseRepl", () => {
  it("reads sources, continuations and wants like doctest", () => {
    const ex = parseRepl(">>> with open('w') as f:\n...     d = f.read()\n\n>>> # a comment\n>>> f.closed\nTrue\n>>> print('a\\n\\nb')\na\n<BLANKLINE>\nb\n", 10);
    expect(ex.map((e) => [e.source, e.want, e.line])).toEqual([
      ["with open('w') as f:\n    d = f.read()\n", "", 10],
      ["f.closed\n", "True", 14],
      ["print('a\\n\\nb')\n", "a\n\nb", 16],
    ]);
    expect(ex[1]).toMatchObject({ from: 15, to: 16 });
  });
});

describe("sandboxNameProblem", () => {
  it("refuses paths that leave the sandbox", () => {
    expect(sandboxNameProblem("prog.py")).toBeNull();
    expect(sandboxNameProblem("src/prog.py")).toBeNull();
    expect(sandboxNameProblem("../../x.py")).toMatch(/\.\./);
    expect(sandboxNameProblem("/etc/passwd")).toMatch(/relative/);
    expect(sandboxNameProblem("a/../../b")).toMatch(/\.\./);
  });
});

describe("malformed info strings (§8)", () => {
  it("warns with file and line when the language word is not one (an editor's link pasted onto the fence)", () => {
    const md = "text\n\n```bashobsidian://open?vault=notes&file=x\nls\n```\n\n```python title=\"a.py\"\nprint(1)\n```\n";
    const snippets = extractSnippets(defaultMarkdown().parse(md, {}) as unknown as Token[], { file: "n.md", bodyLine: 3 });
    expect(snippets[0].diagnostics).toEqual([
      { severity: "warning", file: "n.md", line: 5, message: expect.stringMatching(/^malformed info string "bashobsidian:\/\/open\?vault=notes&file=x"/) },
    ]);
    expect(snippets[1].diagnostics).toEqual([]);
  });
});
