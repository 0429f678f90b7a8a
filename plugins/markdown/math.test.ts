import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createMarkdown } from "./create-markdown.ts";
import { katexAssetsDir, renderMath } from "./math.ts";

const md = createMarkdown();

/** TeX sources of the formulas in rendered HTML (KaTeX keeps them in a MathML annotation). */
function texOf(html: string): string[] {
  return [...html.matchAll(/<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>/g)].map((m) =>
    m[1].replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">"),
  );
}

function count(html: string, needle: string): number {
  return html.split(needle).length - 1;
}

describe("inline math", () => {
  it.each([
    ["simple", "area $x^2$ here", ["x^2"]],
    ["between CJK, no spaces", "顺序为$B G R$。", ["B G R"]],
    ["Markdown specials inside stay TeX", "norm $\\sqrt{|dI/dx|+|dI/dy|}$ and $a_1 * b_2 * c$", ["\\sqrt{|dI/dx|+|dI/dy|}", "a_1 * b_2 * c"]],
    ["escaped dollar inside", "cost $\\$5 + x$", ["\\$5 + x"]],
    ["two on a line", "$a$ and $b$", ["a", "b"]],
    ["inside link text", "[see $x$](https://example.com)", ["x"]],
    ["$$…$$ within a paragraph", "so $$E=mc^2$$ holds", ["E=mc^2"]],
  ])("%s", (_name, markdown, expected) => {
    expect(texOf(md.render(markdown))).toEqual(expected);
  });

  it("inline $…$ is inline KaTeX, inline $$…$$ is display KaTeX", () => {
    const html = md.render("a $x$ b $$y$$ c");
    expect(count(html, '<span class="katex">')).toBe(2);
    expect(count(html, '<span class="katex-display">')).toBe(1);
    expect(html).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML">'); // htmlAndMathml
    expect(html).toContain('<span class="katex-html" aria-hidden="true">');
  });
});

describe("dollars that are not math", () => {
  it.each([
    ["prices", "between $5 and $6 a day", "<p>between $5 and $6 a day</p>\n"],
    ["price then digit after closer", "pay $x$5 now", "<p>pay $x$5 now</p>\n"],
    ["space after opener", "a $ b$ c", "<p>a $ b$ c</p>\n"],
    ["space before closer", "a $b $ c", "<p>a $b $ c</p>\n"],
    ["shell variables", "unset $TMUX and $PATH", "<p>unset $TMUX and $PATH</p>\n"],
    ["escaped dollars", "\\$x\\$", "<p>$x$</p>\n"],
    ["in a code span", "`echo $HOME$` text", "<p><code>echo $HOME$</code> text</p>\n"],
    ["cannot reach into a code span", "cost $5 in `a$b`", "<p>cost $5 in <code>a$b</code></p>\n"],
    ["in a fence", "```bash\necho $a $b$\n```", '<pre class="code"><code class="language-bash hljs"><span class="hljs-built_in">echo</span> <span class="hljs-variable">$a</span> $b$\n</code></pre>\n'],
    ["unclosed $$ block", "$$\nx\n\ny", "<p>$$<br>\nx</p>\n<p>y</p>\n"],
    ["a lone $$ inside text", "one $$ two", "<p>one $$ two</p>\n"],
  ])("%s", (_name, markdown, expected) => {
    expect(md.render(markdown)).toBe(expected);
  });
});

describe("display math blocks", () => {
  it("$$ on its own lines", () => {
    const html = md.render("$$\nSSE=\\sum_{i=1}^k x_i\n$$\n");
    expect(html.startsWith('<div class="math-display"><span class="katex-display">')).toBe(true);
    expect(html.endsWith("</span></div>\n")).toBe(true);
    expect(texOf(html)).toEqual(["SSE=\\sum_{i=1}^k x_i"]);
  });

  it("one line: $$ tex $$", () => {
    expect(texOf(md.render("$$ a+b $$"))).toEqual(["a+b"]);
    expect(md.render("$$ a+b $$")).toContain('<div class="math-display">');
  });

  it("opening and closing on content lines", () => {
    expect(texOf(md.render("$$\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}$$"))).toEqual([
      "\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}",
    ]);
  });

  it("inside a paragraph, as the corpus writes it: splits the paragraph, keeps `\\\\` and `-1` lines", () => {
    // 图像处理中知识点01.md
    const markdown =
      "分别对应：\n$$\n\\begin{bmatrix}\n-1 & 0 & 1 \\\\\n-2 & 0 & 2 \\\\\n-1 & 0 & 1\n\\end{bmatrix}\n$$\n这两个核。\n";
    const html = md.render(markdown);
    expect(html.startsWith("<p>分别对应：</p>\n<div class=\"math-display\">")).toBe(true);
    expect(html.endsWith("</div>\n<p>这两个核。</p>\n")).toBe(true);
    expect(texOf(html)).toEqual(["\\begin{bmatrix}\n-1 & 0 & 1 \\\\\n-2 & 0 & 2 \\\\\n-1 & 0 & 1\n\\end{bmatrix}"]);
    expect(html).not.toContain("<ul>");
    expect(html).not.toContain("katex-error");
  });

  it("in a block quote (图像处理试题.md)", () => {
    const markdown = "> 其中：\n> $$\n> \\delta(t)=\n> \\begin{cases}\n> \\infty, & t=k \\\\\n> 0, & t \\neq k\n> \\end{cases}\n> $$\n> 且有：$\\int\\delta(t)dt=1$\n";
    const html = md.render(markdown);
    expect(html.startsWith("<blockquote>\n<p>其中：</p>\n<div class=\"math-display\">")).toBe(true);
    expect(texOf(html)).toEqual(["\\delta(t)=\n\\begin{cases}\n\\infty, & t=k \\\\\n0, & t \\neq k\n\\end{cases}", "\\int\\delta(t)dt=1"]);
    expect(html).not.toContain("katex-error");
  });

  it("indented in a list item (图像处理试题.md)", () => {
    const markdown = "- 固定阈值二值化：\n  $$\n  g(x,y)=\n  \\begin{cases}\n  0 &, f(x,y)<T \\\\\n  1 &, f(x,y)\\geq T\n  \\end{cases}\n  $$\n\n- next\n";
    const html = md.render(markdown);
    expect(count(html, "<li>")).toBe(2);
    expect(texOf(html)).toEqual(["g(x,y)=\n\\begin{cases}\n0 &, f(x,y)<T \\\\\n1 &, f(x,y)\\geq T\n\\end{cases}"]);
    expect(html).not.toContain("katex-error");
  });

  it("bad TeX renders as an error span and never throws", () => {
    const html = md.render("$$\n\\frac{1}{\n$$");
    expect(html).toContain('class="katex-error"');
    expect(renderMath("x^{", false)).toContain("katex-error");
  });

  it("CJK text inside math renders without warnings", () => {
    expect(renderMath("\\text{中文} + 中", false)).not.toContain("katex-error");
  });
});

describe("math off", () => {
  it("createMarkdown({ math: false }) leaves dollars as text", () => {
    expect(createMarkdown({ math: false }).render("$x$")).toBe("<p>$x$</p>\n");
  });
});

describe("katexAssetsDir", () => {
  it("holds KaTeX's CSS and fonts", () => {
    expect(path.basename(katexAssetsDir)).toBe("dist");
    expect(fs.existsSync(path.join(katexAssetsDir, "katex.min.css"))).toBe(true);
    expect(fs.existsSync(path.join(katexAssetsDir, "fonts"))).toBe(true);
  });
});
