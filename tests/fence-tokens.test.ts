// `npm run verify` finds a note's snippets with a block-level parse (scripts/note-parser.ts, fenceTokensOf), not
// the page's full parse: the snippets must be the same, to the last field (index, lines, language, text, kind,
// which block is whose output, diagnostics), on the real tom89757 blog, on generated notes and on the corners
// where the inline parse reaches the block tokens (footnotes, task lists, entities, escapes).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractSnippets } from "../plugins/snippets/extract.ts";
import type { BodyParser } from "../plugins/snippets/options.ts";
import type { Snippet } from "../plugins/snippets/types.ts";
import { hexoSplitter, loadNoteParser } from "../scripts/note-parser.ts";
import { listFiles, sharedDir, tempDir } from "./helpers/cli.ts";

const F = "```";

function markdownFiles(dir: string): string[] {
  return listFiles(dir)
    .filter((f) => /\.(md|markdown)$/i.test(f))
    .map((f) => path.join(dir, f));
}

describe("snippets from the block-level parse are the page parse's", () => {
  let page: BodyParser;
  let fences: BodyParser;
  const dir = tempDir("fence-tokens");
  beforeAll(async () => {
    page = await loadNoteParser("page");
    fences = await loadNoteParser("fences");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Both parses' snippets of every note, and how many blocks and output pairings there were. */
  const compare = (files: { file: string; text: string }[]) => {
    let blocks = 0;
    let outputs = 0;
    for (const { file, text } of files) {
      const { body, bodyLine } = hexoSplitter(text);
      const expected: Snippet[] = extractSnippets(page(body), { file, bodyLine });
      const actual: Snippet[] = extractSnippets(fences(body), { file, bodyLine });
      expect(actual, file).toEqual(expected);
      blocks += expected.length;
      outputs += expected.filter((s) => s.kind === "output").length;
    }
    return { blocks, outputs };
  };

  it("on every note of tom89757", () => {
    const files = markdownFiles(path.join(sharedDir, "corpus/tom89757/source"));
    expect(files.length).toBeGreaterThan(100);
    const { blocks } = compare(files.map((file) => ({ file, text: fs.readFileSync(file, "utf8") })));
    expect(blocks).toBeGreaterThan(400);
  });

  it("on 300 generated notes (with broken and wrong ones)", () => {
    const notes = path.join(dir, "generated");
    const g = spawnSync(process.execPath, [path.join(sharedDir, "bench/gen-notes.mjs"), notes, "300", "--broken=8", "--wrong=8", "--seed=5"], { encoding: "utf8" });
    expect(g.status, g.stderr).toBe(0);
    const files = markdownFiles(notes);
    expect(files.length).toBe(300);
    const { blocks, outputs } = compare(files.map((file) => ({ file, text: fs.readFileSync(file, "utf8") })));
    expect(blocks).toBeGreaterThan(1000);
    expect(outputs).toBeGreaterThan(50);
  });

  // Each note has a pair of blocks the output rule decides on from the text between them (§1).
  const corners: Record<string, string> = {
    // a footnote definition's blocks move to the end, in the order of the references
    footnotes: `Text[^b] and[^a].\n\n[^a]: first\n\n    ${F}python\n    print(1)\n    ${F}\n\n[^b]: second\n\n    ${F}python\n    print(2)\n    ${F}\n\n    Output:\n\n    ${F}\n    2\n    ${F}\n\n${F}python\nprint(3)\n${F}\n\nOutput:\n\n${F}\n3\n${F}\n`,
    "inline footnote": `${F}python\nprint(1)\n${F}\n\nOutput^[the console]:\n\n${F}\n1\n${F}\n`,
    "task list": `- ${F}python\n  print(1)\n  ${F}\n- [ ] the output of the program is exactly:\n- ${F}\n  1\n  ${F}\n\n${F}python\nprint(2)\n${F}\n\n- [x] the result, which is long enough to be more than forty characters:\n\n${F}\n2\n${F}\n`,
    entities: `${F}python\nprint(1)\n${F}\n\nOutput&#58;\n\n${F}\n1\n${F}\n\n${F}python\nprint(2)\n${F}\n\nOutput&colon;\n\n${F}\n2\n${F}\n`,
    escapes: `${F}python\nprint(1)\n${F}\n\nOutput\\:\n\n${F}\n1\n${F}\n`,
    "links and code": `${F}python\nprint(1)\n${F}\n\n[Output](https://example.com) \`x\`:\n\n${F}\n1\n${F}\n\n${F}python\nprint(2)\n${F}\n\nsee https://example.com/a:\n\n${F}\n2\n${F}\n`,
    typography: `${F}python\nprint(1)\n${F}\n\n"It's" -- the output...:\n\n${F}\n1\n${F}\n`,
    "quote, heading, table": `${F}python\nprint(1)\n${F}\n\n> Output:\n\n${F}\n1\n${F}\n\n${F}python\nprint(2)\n${F}\n\n## Output:\n\n${F}\n2\n${F}\n\n${F}python\nprint(3)\n${F}\n\n| a | b |\n|---|---|\n| Output: | x |\n\n${F}\n3\n${F}\n`,
    "two paragraphs": `${F}python\nprint(1)\n${F}\n\nOne.\n\nOutput:\n\n${F}\n1\n${F}\n`,
    "hexo tags": `${F}python\nprint(1)\n${F}\n\nOutput of {% post_link other %}:\n\n${F}\n1\n${F}\n\n{% codeblock lang:python %}\nprint(2)\n{% endcodeblock %}\n\n{% blockquote %}\nOutput:\n{% endblockquote %}\n\n${F}\n2\n${F}\n`,
    "br lines and math": `${F}python\nprint(1)\n${F}\n</br>\nOutput:\n\n${F}\n1\n${F}\n\n$$\nx:\n$$\n\n${F}\n2\n${F}\n`,
  };

  it.each(Object.keys(corners))("where the inline parse touches the blocks: %s", (name) => {
    const text = `---\ntitle: ${name}\n---\n\n${corners[name]}`;
    const { blocks } = compare([{ file: `${name}.md`, text }]);
    expect(blocks).toBeGreaterThan(1);
  });

  it("pairs an output the way the page parse does (the check can fail)", () => {
    const body = `${F}python\nprint(1)\n${F}\n\nOutput&#58;\n\n${F}\n1\n${F}\n\n${F}python\nprint(2)\n${F}\n\nNot an output\n\n${F}\n2\n${F}\n`;
    const kinds = extractSnippets(fences(body), { file: "a.md", bodyLine: 1 }).map((s) => s.kind);
    expect(kinds).toEqual(["source", "output", "source", "source"]);
  });
});
