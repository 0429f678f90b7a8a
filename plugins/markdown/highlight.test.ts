import { describe, expect, it } from "vitest";
import type { RendererRule } from "markdown-it";
import { createMarkdown } from "./create-markdown.ts";
import { fenceLanguage, highlightCode, renderHighlighted } from "./highlight.ts";

const md = createMarkdown();

/** Visible text of some HTML: tags dropped, the five escapes decoded. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&");
}

describe("fences", () => {
  it("python gets highlight.js token spans inside <pre class=code><code class=\"language-python hljs\">", () => {
    const html = md.render('```python\ndef f(x):\n    return "hi"  # note\n```\n');
    expect(html).toBe(
      '<pre class="code"><code class="language-python hljs"><span class="hljs-keyword">def</span> ' +
        '<span class="hljs-title function_">f</span>(<span class="hljs-params">x</span>):\n' +
        '    <span class="hljs-keyword">return</span> <span class="hljs-string">&quot;hi&quot;</span>  ' +
        '<span class="hljs-comment"># note</span>\n</code></pre>\n',
    );
  });

  it.each([
    ['```python title="prog.py" skip', "python"],
    ["```bash output", "bash"],
    ['```py {title="x"}', "py"],
  ])("info string %s: only the first word is printed", (opening, lang) => {
    const html = md.render(`${opening}\nprint(1)\n\`\`\`\n`);
    expect(html.startsWith(`<pre class="code"><code class="language-${lang} hljs">`)).toBe(true);
    for (const leaked of ["title", "prog.py", "skip", "output", "{"]) expect(html).not.toContain(leaked);
  });

  it("unknown language: escaped plain text, class kept for the reader", () => {
    expect(md.render("```mermaid\ngraph TD; A-->B & <C>\n```\n")).toBe(
      '<pre class="code"><code class="language-mermaid hljs">graph TD; A--&gt;B &amp; &lt;C&gt;\n</code></pre>\n',
    );
  });

  it("no language, and indented code, get the same frame", () => {
    expect(md.render("```\n<b>\n```\n")).toBe('<pre class="code"><code class="hljs">&lt;b&gt;\n</code></pre>\n');
    expect(md.render("    <b>\n")).toBe('<pre class="code"><code class="hljs">&lt;b&gt;\n</code></pre>\n');
  });

  it("a language name unsafe for a class attribute is dropped from it", () => {
    expect(md.render('```a"b\nx\n```\n')).toBe('<pre class="code"><code class="hljs">x\n</code></pre>\n');
  });

  it.each([
    ["python", 'print(f"{x}")  # {{ y }} {% raw %}\n'],
    ["jinja", "{% for a in b %}{{ a }}{% endfor %}\n"],
    ["javascript", "const o = { a: `${b}` };\n"],
    ["nohighlight-lang", "{{ x }} {% y %} { }\n"],
  ])("%s: braces and template tags shown verbatim", (lang, code) => {
    expect(textOf(md.render(`\`\`\`${lang}\n${code}\`\`\`\n`))).toBe(`${code}\n`); // + the newline after </pre>
  });

  it("fences in list items (the corpus indents them under `1.`)", () => {
    const html = md.render("1. Parse:\n\n   ```python\n   args = p.parse_args()\n   ```\n\n2. Next\n");
    expect(html).toContain('<li>\n<p>Parse:</p>\n<pre class="code"><code class="language-python hljs">args = p.parse_args()\n</code></pre>\n</li>');
  });
});

describe("exports for the snippets plugin", () => {
  it("renderHighlighted makes the same block as a fence", () => {
    expect(renderHighlighted("x = 1\n", "python")).toBe(md.render("```python\nx = 1\n```\n"));
  });

  it("highlightCode gives just the token HTML", () => {
    expect(highlightCode("x = 1", "python")).toBe('x = <span class="hljs-number">1</span>');
    expect(highlightCode("<x>", "no-such-language")).toBe("&lt;x&gt;");
  });

  it.each([
    ['python title="a b.py" skip', "python"],
    ["  c++  ", "c++"],
    ["", ""],
  ])("fenceLanguage(%j) = %j", (info, lang) => {
    expect(fenceLanguage(info)).toBe(lang);
  });

  it("md.renderer.rules.fence is the one hook: a wrapper sees the token and the highlighted block", () => {
    const wrapped = createMarkdown();
    const base = wrapped.renderer.rules.fence as RendererRule;
    wrapped.renderer.rules.fence = (tokens, idx, options, env, self) =>
      `<figure data-info="${wrapped.utils.escapeHtml(tokens[idx].info)}">${base(tokens, idx, options, env, self)}</figure>\n`;
    expect(wrapped.render('```python title="p.py"\nx\n```\n')).toBe(
      '<figure data-info="python title=&quot;p.py&quot;"><pre class="code"><code class="language-python hljs">x\n</code></pre>\n</figure>\n',
    );
  });
});
