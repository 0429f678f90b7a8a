// A real note end to end: nothing it contains is lost or mangled by the Markdown layer.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { createMarkdown } from "./create-markdown.ts";
import type { MarkdownEnv } from "./types.ts";

const source = fs.readFileSync(new URL("../../../shared/fixtures/seed-note.md", import.meta.url), "utf8");
// Front matter is the part between the first two `---` lines.
const body = source.split(/^---$/m).slice(2).join("---");

function count(text: string, needle: string | RegExp): number {
  return needle instanceof RegExp ? (text.match(needle) ?? []).length : text.split(needle).length - 1;
}

/** The body with fenced code removed (fence contents hold `>>>` prompts and `](` text that are not Markdown). */
const prose = body.replace(/^ *```[^\n]*\n[\s\S]*?^ *```$/gm, "");

// Counted by hand in fixtures/seed-note.md, and checked against the source below.
const expected = { fences: 21, tables: 1, blockQuotes: 15, links: 29, images: 4, rawBreaks: 13 };

describe("seed note", () => {
  const env: MarkdownEnv = {};
  const html = createMarkdown().render(body, env);

  it("the hand counts agree with the source", () => {
    expect(count(body, /^ *```/gm) / 2).toBe(expected.fences);
    expect(count(prose, /^ *\|[ :-]+\|[ :|-]*$/gm)).toBe(expected.tables);
    expect(count(prose, /^(?!>).*\n>/gm)).toBe(expected.blockQuotes);
    expect(count(prose, /(?<!!\[[^\]]*)\]\(https?:/g)).toBe(expected.links);
    expect(count(prose, /!\[[^\]]*\]\(https?:/g)).toBe(expected.images);
    expect(count(prose, "</br>")).toBe(expected.rawBreaks);
  });

  it("every code block, table, block quote, link, image and </br> is in the HTML", () => {
    expect(count(html, "<pre")).toBe(expected.fences);
    expect(count(html, "<table")).toBe(expected.tables);
    expect(count(html, "<blockquote")).toBe(expected.blockQuotes);
    expect(count(html, "<a href")).toBe(expected.links);
    expect(count(html, '<img src="https://raw.githubusercontent.com/')).toBe(expected.images);
    expect(count(html, "</br>")).toBe(expected.rawBreaks);
  });

  it("code is highlighted by language, and the shell block keeps its prompt text", () => {
    expect(count(html, '<code class="language-python hljs">')).toBe(17);
    expect(count(html, '<code class="language-bash hljs">')).toBe(3);
    expect(count(html, '<code class="language-css hljs">')).toBe(1);
    expect(html).toContain("prog.py: error: argument N: invalid int value:");
  });

  it("the table in a list item keeps its 6 rows and inline code", () => {
    const table = html.slice(html.indexOf("<table"), html.indexOf("</table>"));
    expect(count(table, "<tr>")).toBe(7);
    expect(table).toContain("<code>conda install pytorch==1.7.1 torchvision==0.8.2 torchaudio==0.7.2 cudatoolkit=10.1 -c pytorch</code>");
  });

  it("no math, headings or local images in this note", () => {
    expect(html).not.toContain("katex");
    expect(env.headings).toEqual([]);
    expect(env.localImages).toEqual([]);
  });

  it("Chinese text with links survives", () => {
    expect(html).toContain('本文记录一下在实现 <a href="https://link.springer.com/article/10.1007/s11042-016-3392-4">DDRQM</a> 过程中的一些 Pytorch 框架和 python 相关知识点。');
  });
});
