// The expander: placeholders, line counts, Verinotes' protection rules (§9.2 adapted), diagnostics.
import { describe, expect, it } from "vitest";
import { expandTags, fillTagPlaceholders, trimTagBody } from "./expand.ts";
import { renderNote, testContext } from "./testing.ts";

const lines = (s: string): number => s.split("\n").length;

describe("§9.2 adapted: nothing is evaluated, code is verbatim", () => {
  it.each([
    // Hexo evaluates {{ }} against the post; Verinotes shows it
    [
      "Title is {{ title }}, foo is {{ foo }}, page {{ page }}, sum {{ 1 + 2 }}.",
      "<p>Title is {{ title }}, foo is {{ foo }}, page {{ page }}, sum {{ 1 + 2 }}.</p>\n",
    ],
    // Hexo evaluates Nunjucks statements; here they are text (a note about Jinja shows its syntax)
    ['{% if foo == "bar" %}cond yes{% endif %}', '<p>{% if foo == &quot;bar&quot; %}cond yes{% endif %}</p>\n'],
    ["Jinja uses {% if user %}...{% endif %} for conditions.", "<p>Jinja uses {% if user %}...{% endif %} for conditions.</p>\n"],
    ["{% for x in xs %}\n- {{ x }}\n{% endfor %}", "<p>{% for x in xs %}</p>\n<ul>\n<li>{{ x }}\n{% endfor %}</li>\n</ul>\n"],
    ["{# a comment #}after comment", "<p>{# a comment #}after comment</p>\n"],
    ["{% raw %}{{ raw_var }} {% not_a_tag %}{% endraw %}", "<p>{{ raw_var }} {% not_a_tag %}</p>\n"],
    ["Inline `{{ code_var }}` and ``{% tag %}``.", "<p>Inline <code>{{ code_var }}</code> and <code>{% tag %}</code>.</p>\n"],
    ["```\nfenced {{ fenced_var }} {% fenced_tag %}\n```", "<pre><code>fenced {{ fenced_var }} {% fenced_tag %}\n</code></pre>\n"],
    ["    indented {{ ind_var }}", "<pre><code>indented {{ ind_var }}\n</code></pre>\n"],
    ["<!-- {{ in_comment }} -->", "<!-- {{ in_comment }} -->"],
    ["<code>{{ html_code }}</code>", "<p><code>{{ html_code }}</code></p>\n"],
    // Hexo evaluates this one (to <pre></pre>); not here
    ["<pre>{{ pre_only }}</pre>", "<pre>{{ pre_only }}</pre>"],
    ["A `{{ x }}\n\nb` not code", "<p>A `{{ x }}</p>\n<p>b` not code</p>\n"],
    // Vue and JSX samples are fatal or emptied in Hexo; shown as written here
    ["Vue: {{ message }} and {{ 1 + 1 }}", "<p>Vue: {{ message }} and {{ 1 + 1 }}</p>\n"],
    ['JSX: style={{color: "red"}} here', "<p>JSX: style={{color: &quot;red&quot;}} here</p>\n"],
    ["A {{ x } b", "<p>A {{ x } b</p>\n"],
    [
      "| a | b |\n|---|---|\n| `{{ x }}` | {% link t https://t.co %} |",
      '<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td><code>{{ x }}</code></td>\n<td><a href="https://t.co/" title="" target="">t</a></td>\n</tr>\n</tbody>\n</table>\n',
    ],
    ["```js\n{% raw %}x{% endraw %}\n```", '<pre><code class="language-js">{% raw %}x{% endraw %}\n</code></pre>\n'],
    ["Unclosed {{ oops", "<p>Unclosed {{ oops</p>\n"],
  ])("%j", (src, html) => {
    const r = renderNote(src);
    expect(r.html).toBe(html);
  });

  it("the codeblock body keeps {{ }} (Hexo empties it)", () => {
    expect(renderNote("{% codeblock lang:js %}\nconst t = `{{ x }}`;\n{% endcodeblock %}").markdown).toBe(
      "```js\nconst t = `{{ x }}`;\n```",
    );
  });

  it("Nunjucks statements are text, so nothing is reported for them", () => {
    const r = renderNote("x\n\n{% if foo %}a{% else %}b{% endif %}", testContext(), 3);
    expect(r.diagnostics).toEqual([]);
    expect(r.markdown).toBe("x\n\n{% if foo %}a{% else %}b{% endif %}");
  });

  it("…also inside a theme tag's body, whose tag lines alone are dropped", () => {
    const r = renderNote("{% note info %}\nJinja: {% set x = 1 %}{{ x }}\n{% endnote %}");
    expect(r.html).toBe("<p>Jinja: {% set x = 1 %}{{ x }}</p>\n");
    expect(r.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("Unknown tag {% note info %}")]);
  });

  it("…and around known tags, which still run", () => {
    const r = renderNote("{% if a %}{% link A https://a.com %}{% endif %}");
    expect(r.html).toBe('<p>{% if a %}<a href="https://a.com/" title="" target="">A</a>{% endif %}</p>\n');
  });
});

describe("tag pairing on the text, as Hexo pairs (before Markdown)", () => {
  const listWithSpoiler = (open: string, close: string) =>
    `1. Question\n    ${open}\n\`\`\`python\nprint(1)\n\`\`\`\n    ${close}\n2. Next\n`;

  it("a theme tag indented in a list item, its body's fence at column 0: paired (the end tag is no indented code)", () => {
    const r = renderNote(listWithSpoiler('{% spoiler "Answer" %}', "{% endspoiler %}"));
    expect(r.html).not.toContain("endspoiler");
    expect(r.html).toContain('<pre><code class="language-python">print(1)\n</code></pre>');
    expect(r.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('Unknown tag {% spoiler "Answer" %}')]);
  });

  it("the same with a built-in block tag: paired and run, not \"never closed\"", () => {
    const r = renderNote(listWithSpoiler("{% blockquote %}", "{% endblockquote %}"));
    expect(r.diagnostics).toEqual([]);
    expect(r.html).toContain('<blockquote><pre><code class="language-python">print(1)');
  });

  it("an indented code block of tag lines that pair with nothing stays code", () => {
    const r = renderNote("Example:\n\n    {% endspoiler %}\n");
    expect(r.html).toBe("<p>Example:</p>\n<pre><code>{% endspoiler %}\n</code></pre>\n");
    expect(r.diagnostics).toEqual([]);
  });

  it("nested theme tags pair inside out; a Nunjucks statement between them is text", () => {
    const r = renderNote("{% tabs t %}\n- a\n  {% note %}\n{% if x %}\n  {% endnote %}\n{% endtabs %}\n");
    expect(r.html).toContain("{% if x %}");
    expect(r.html).not.toMatch(/tabs|note/);
    expect(r.diagnostics.map((d) => d.line)).toEqual([1, 3]);
  });

  it("a built-in block inside a theme block inside a list item", () => {
    const r = renderNote("- item\n  {% spoiler %}\n  {% blockquote A %}\n  quoted\n  {% endblockquote %}\n  {% endspoiler %}\n");
    expect(r.html).toContain("<blockquote><p>quoted</p>\n<footer><strong>A</strong></footer></blockquote>");
    expect(r.html).not.toContain("spoiler");
  });
});

describe("placeholders", () => {
  it("a tag alone on its line is an HTML block (no <p>), one in text stays inline", () => {
    const r = renderNote("{% link A https://a.com %}\n\nSee {% link B https://b.com %} here.");
    expect(r.markdown).toBe("<!--vn-tag:0-->\n\nSee <!--vn-tag:1--> here.");
    expect(r.fragments).toEqual([
      '<a href="https://a.com/" title="" target="">A</a>',
      '<a href="https://b.com/" title="" target="">B</a>',
    ]);
    expect(r.html).toBe(
      '<a href="https://a.com/" title="" target="">A</a>\n<p>See <a href="https://b.com/" title="" target="">B</a> here.</p>\n',
    );
  });

  it("a tag first on a line that goes on stays in the paragraph (Hexo: raw HTML line)", () => {
    const r = renderNote("{% link Hexo https://hexo.io %} is a blog framework\nwritten in `{% node %}`.");
    expect(r.markdown).toBe('<vn-tag data-n="0"></vn-tag> is a blog framework\nwritten in `{% node %}`.');
    expect(r.html).toBe(
      '<p><a href="https://hexo.io/" title="" target="">Hexo</a> is a blog framework\nwritten in <code>{% node %}</code>.</p>\n',
    );
    expect(r.diagnostics).toEqual([]);
  });

  it("a block tag keeps its line count and its container", () => {
    const src = "- item\n  {% blockquote %}\n  quote\n  {% endblockquote %}\n- next";
    const r = renderNote(src);
    expect(r.markdown).toBe("- item\n  <!--vn-tag:0\n  vn\n  vn-->\n- next");
    expect(r.html).toBe("<ul>\n<li>item<blockquote><p>quote</p>\n</blockquote>\n</li>\n<li>next</li>\n</ul>\n");
  });

  it("a block tag on a list marker line, body less indented", () => {
    const r = renderNote("1. {% pullquote %}\nq\n{% endpullquote %}\n2. b");
    expect(r.markdown).toBe("1. <!--vn-tag:0\n   vn\n   vn-->\n2. b");
    expect(r.html).toBe('<ol>\n<li>\n<blockquote class="pullquote"><p>q</p>\n</blockquote>\n</li>\n<li>b</li>\n</ol>\n');
  });

  it("a block tag inside a block quote", () => {
    const r = renderNote("> {% blockquote A %}\n> q\n> {% endblockquote %}\n> after");
    expect(r.markdown).toBe("> <!--vn-tag:0\n> vn\n> vn-->\n> after");
    expect(r.html).toBe("<blockquote>\n<blockquote><p>q</p>\n<footer><strong>A</strong></footer></blockquote>\n<p>after</p>\n</blockquote>\n");
  });

  it("a block tag in the middle of text stays inline", () => {
    const r = renderNote("Text {% pullquote %}\nq\n{% endpullquote %} tail");
    expect(r.markdown).toBe("Text <!--vn-tag:0\nvn\nvn--> tail");
    expect(r.html).toBe('<p>Text <blockquote class="pullquote"><p>q</p>\n</blockquote> tail</p>\n');
  });

  it("fillTagPlaceholders also restores HTML-escaped placeholders and ignores unknown numbers", () => {
    expect(fillTagPlaceholders("<p>&lt;!--vn-tag:1--&gt; <!--vn-tag:0\nvn--> <!--vn-tag:9--></p>", ["A", "B"])).toBe("<p>B A </p>");
    expect(fillTagPlaceholders("<p>plain</p>", [])).toBe("<p>plain</p>");
  });

  it("trimTagBody: Hexo's stripIndent, then one newline each side", () => {
    expect(trimTagBody("\n  a\n    b\n\n")).toBe("a\n  b\n");
    expect(trimTagBody("x")).toBe("x");
  });
});

describe("line count is preserved", () => {
  const note = [
    "# Title {% post_path target-post %}",
    "",
    "{% blockquote David Levithan, Wide Awake %}",
    "Book quote with {% link a https://a.b %}",
    "{% endblockquote %}",
    "",
    "{% codeblock Array.map lang:js %}",
    "    array.map(callback)",
    "{% endcodeblock %}",
    "",
    "{% note info %}",
    "theme tag",
    "{% endnote %}",
    "",
    "{% raw %}",
    "{{ x }}",
    "{% endraw %}",
    "",
    "{% post_link no-such-post %} and {% youtube x %} and {% endnote %}",
    "",
    "{% link multi",
    "line https://x.org %}",
    "",
    "inline {% codeblock %}x{% endcodeblock %} and {% pullquote %}",
    "q",
    "{% endpullquote %}.",
    "",
    "{% blockquote %}",
    "never closed",
  ].join("\n");

  it("the whole note", () => {
    const r = expandTags(note, 1, testContext());
    expect(lines(r.markdown)).toBe(lines(note));
  });

  it.each(note.split("\n\n").map((chunk) => [chunk]))("%j", (chunk) => {
    expect(lines(expandTags(chunk, 1, testContext()).markdown)).toBe(lines(chunk));
  });

  it("diagnostics carry file lines, in order", () => {
    const r = expandTags(note, 10, testContext());
    expect(r.diagnostics.map((d) => [d.severity, d.line, d.file])).toEqual([
      ["warning", 20, "source/_posts/t.md"], // {% note info %}
      ["error", 28, "source/_posts/t.md"], // post_link no-such-post
      ["warning", 28, "source/_posts/t.md"], // youtube
      ["warning", 28, "source/_posts/t.md"], // stray endnote
      ["error", 37, "source/_posts/t.md"], // unclosed blockquote
    ]);
  });
});

describe("unknown and broken tags", () => {
  it("an unknown block tag: a warning with its line, its body stays readable", () => {
    const r = renderNote("intro\n\n{% note info %}\n**Careful**: see {% link it https://x.org %}\n{% endnote %}\n\nafter", testContext(), 4);
    expect(r.markdown).toBe("intro\n\n\n**Careful**: see <!--vn-tag:0-->\n\n\nafter");
    expect(r.html).toBe(
      '<p>intro</p>\n<p><strong>Careful</strong>: see <a href="https://x.org/" title="" target="">it</a></p>\n<p>after</p>\n',
    );
    expect(r.diagnostics).toEqual([
      {
        severity: "warning",
        file: "source/_posts/t.md",
        line: 6,
        message: "Unknown tag {% note info %} (not a Hexo built-in tag): the tag is dropped, its content kept as Markdown",
        hint: "Theme tags (note, tabs, spoiler, …) have no Verinotes equivalent: rewrite the part in Markdown.",
      },
    ]);
  });

  it("nested unknown tags (tabs) keep all the text", () => {
    const src = "{% tabs demo %}\n<!-- tab A -->\n**a**\n<!-- endtab -->\n{% spoiler %}hidden{% endspoiler %}\n{% endtabs %}";
    const r = renderNote(src);
    expect(r.html).toBe("<!-- tab A -->\n<p><strong>a</strong></p>\n<!-- endtab -->\n<p>hidden</p>\n");
    expect(r.diagnostics.map((d) => d.line)).toEqual([1, 5]);
  });

  it("an unknown inline tag is dropped with a warning", () => {
    const r = renderNote("Watch {% youtube abc %} now");
    expect(r.html).toBe("<p>Watch  now</p>\n");
    expect(r.diagnostics).toMatchObject([{ severity: "warning", line: 1 }]);
    expect(r.diagnostics[0].message).toContain("Unknown tag {% youtube abc %}");
  });

  it.each([
    ["{% blockquote %}\nnever closed", 1, "<p>never closed</p>\n"],
    ["x\n\n{% codeblock lang:js %}\nconst a = 1;", 3, "<p>x</p>\n<p>const a = 1;</p>\n"],
    ["x\n{% raw %}\n{{ y }}", 2, "<p>x</p>\n<p>{{ y }}</p>\n"],
    ["{% pullquote %}\na {% blockquote %} b\n{% endpullquote %}", 2, '<blockquote class="pullquote"><p>a  b</p>\n</blockquote>'],
  ])("unclosed block tag %j: an error with its line", (src, line, html) => {
    const r = renderNote(src);
    expect(r.html).toBe(html);
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.line)).toEqual([line]);
    expect(r.diagnostics[0].message).toMatch(/is never closed: \{% end\w+ %\} is missing/);
  });

  it("a tag handler that throws is an error, the page still builds", () => {
    const ctx = testContext({
      renderMarkdown: () => {
        throw new Error("boom");
      },
    });
    const r = renderNote("a\n{% blockquote %}\nx\n{% endblockquote %}", ctx);
    expect(r.html).toBe("<p>a</p>\n");
    expect(r.diagnostics).toMatchObject([{ severity: "error", line: 2, message: "{% blockquote %} failed: boom" }]);
  });

  it("a note without tags comes back unchanged", () => {
    const src = "# Hi\n\n{{ vue }} and {#x#}\n";
    expect(expandTags(src, 3, testContext())).toEqual({ markdown: src, fragments: [], diagnostics: [] });
  });
});
