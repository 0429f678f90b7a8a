// GFM syntax, raw HTML and typography: exact expected HTML, written out.
import { describe, expect, it } from "vitest";
import { createMarkdown, resolveMarkdownOptions } from "./create-markdown.ts";

const md = createMarkdown();

describe("options", () => {
  it("defaults in one place, explicit undefined means default", () => {
    const options = resolveMarkdownOptions({ breaks: undefined, linkify: false });
    expect(options).toMatchObject({
      html: true,
      breaks: true,
      typographer: true,
      quotes: "“”‘’",
      linkify: false,
      math: true,
      headingIdCase: 0,
    });
    expect(options.resolveImageSrc("a.png", {})).toBe("a.png");
  });

  it("breaks and typographer can be turned off", () => {
    const plain = createMarkdown({ breaks: false, typographer: false });
    expect(plain.render("a \"b\" -- c\nd")).toBe('<p>a &quot;b&quot; -- c\nd</p>\n');
  });
});

describe("GFM", () => {
  it.each([
    [
      "table with alignment",
      "| a | b |\n|:--|--:|\n| 1 | `x\\|y` |\n",
      '<table>\n<thead>\n<tr>\n<th style="text-align:left">a</th>\n<th style="text-align:right">b</th>\n</tr>\n</thead>\n' +
        '<tbody>\n<tr>\n<td style="text-align:left">1</td>\n<td style="text-align:right"><code>x|y</code></td>\n</tr>\n</tbody>\n</table>\n',
    ],
    ["strikethrough", "~~gone~~ kept", "<p><s>gone</s> kept</p>\n"],
    ["single tilde is text (1~3 days)", "1~3天，5~7天", "<p>1~3天，5~7天</p>\n"],
    [
      "task list",
      "- [ ] todo\n- [x] done\n- [X] also done\n- [y] not a task\n- [ ]\n",
      '<ul class="contains-task-list">\n' +
        '<li class="task-list-item"><label><input class="task-list-item-checkbox" type="checkbox" disabled> todo</label></li>\n' +
        '<li class="task-list-item"><label><input class="task-list-item-checkbox" type="checkbox" checked disabled> done</label></li>\n' +
        '<li class="task-list-item"><label><input class="task-list-item-checkbox" type="checkbox" checked disabled> also done</label></li>\n' +
        "<li>[y] not a task</li>\n<li>[ ]</li>\n</ul>\n",
    ],
    [
      "task with a link, as in the corpus",
      "- [x] [Docker](https://example.com/d)：notes\n",
      '<ul class="contains-task-list">\n<li class="task-list-item"><label><input class="task-list-item-checkbox" type="checkbox" checked disabled> ' +
        '<a href="https://example.com/d">Docker</a>：notes</label></li>\n</ul>\n',
    ],
    [
      "footnotes",
      "Claim[^a].\n\n[^a]: Source.\n",
      '<p>Claim<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>.</p>\n' +
        '<hr class="footnotes-sep">\n<section class="footnotes">\n<ol class="footnotes-list">\n' +
        '<li id="fn1" class="footnote-item"><p>Source. <a href="#fnref1" class="footnote-backref">↩︎</a></p>\n</li>\n</ol>\n</section>\n',
    ],
    [
      "autolinks: bare URL, <URL>, e-mail",
      "see https://pytorch.org/docs and <https://x.org/a> or me@example.com",
      '<p>see <a href="https://pytorch.org/docs">https://pytorch.org/docs</a> and <a href="https://x.org/a">https://x.org/a</a> ' +
        'or <a href="mailto:me@example.com">me@example.com</a></p>\n',
    ],
    ["no fuzzy links: file names with two-letter TLDs stay text", "edit README.md and setup.py //not.a/link", "<p>edit README.md and setup.py //not.a/link</p>\n"],
    // as marked does (tom89757's TensorBoard note); linkify-it 5 took the 。 into the URL
    [
      "a bare link ends before CJK punctuation",
      "细节见 https://www.tensorflow.org/tensorboard/。下一句",
      '<p>细节见 <a href="https://www.tensorflow.org/tensorboard/">https://www.tensorflow.org/tensorboard/</a>。下一句</p>\n',
    ],
  ])("%s", (_name, markdown, expected) => {
    expect(md.render(markdown)).toBe(expected);
  });
});

describe("footnotes are per document", () => {
  it("two renders sharing one env number from 1 each and list only their own notes", () => {
    const env = {};
    md.render("a[^x]\n\n[^x]: one\n", env);
    expect(md.render("b[^y]\n\n[^y]: two\n", env)).toBe(
      '<p>b<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup></p>\n' +
        '<hr class="footnotes-sep">\n<section class="footnotes">\n<ol class="footnotes-list">\n' +
        '<li id="fn1" class="footnote-item"><p>two <a href="#fnref1" class="footnote-backref">↩︎</a></p>\n</li>\n</ol>\n</section>\n',
    );
  });
});

describe("raw HTML and line breaks", () => {
  it.each([
    ["</br> between paragraphs passes through", "a\n\n</br>\n\nb", "<p>a</p>\n</br>\n<p>b</p>\n"],
    ["inline </br>", "a </br> b", "<p>a </br> b</p>\n"],
    ["single newline is <br>", "one\ntwo", "<p>one<br>\ntwo</p>\n"],
    ["<details> block", "<details><summary>S</summary>\n\nbody\n\n</details>", "<details><summary>S</summary>\n<p>body</p>\n</details>"],
  ])("%s", (_name, markdown, expected) => {
    expect(md.render(markdown)).toBe(expected);
  });

  it.each([
    [
      "</br> then an item and a fence (Ubuntu常见操作01.md): the fence is code, the item Markdown",
      "</br>\n31.编写`bash`脚本：\n```bash\n# Find\n```\n",
      '</br>\n<p>31.编写<code>bash</code>脚本：</p>\n<pre class="code"><code class="language-bash hljs"><span class="hljs-comment"># Find</span>\n</code></pre>\n',
    ],
    ["</br> then a heading", "</br>\n### Vim map\n", '</br>\n<h3 id="Vim-map">Vim map <a class="headerlink" href="#Vim-map" aria-label="Link to this section" data-pagefind-ignore><span aria-hidden="true">#</span></a></h3>\n'],
    ["<br/> and <BR> too", "<br/>\n**b**\n\n<BR>\n*i*", "<br/>\n<p><strong>b</strong></p>\n<BR>\n<p><em>i</em></p>\n"],
    ["cannot interrupt a paragraph", "text\n</br>\nmore", "<p>text<br>\n</br><br>\nmore</p>\n"],
    ["other HTML blocks keep CommonMark rules", "<div>\n*raw*\n</div>", "<div>\n*raw*\n</div>"],
  ])("standalone <br> lines: %s", (_name, markdown, expected) => {
    expect(md.render(markdown)).toBe(expected);
  });

  it("standaloneBrLines: false gives CommonMark/Hexo behaviour (following lines are raw HTML)", () => {
    const hexoLike = createMarkdown({ standaloneBrLines: false });
    expect(hexoLike.render("</br>\n**not bold**\n")).toBe("</br>\n**not bold**\n");
  });
});

describe("typography (marked smartypants)", () => {
  it.each([
    ["quotes and apostrophes", `"x" it's 'y'`, "<p>“x” it’s ‘y’</p>\n"],
    ["dashes and ellipsis", "a -- b --- c...", "<p>a – b — c…</p>\n"],
    ["no (c)/(tm)/+- replacements", "(c) (tm) +-", "<p>(c) (tm) +-</p>\n"],
    ["code spans untouched", '`"x" -- ...`', "<p><code>&quot;x&quot; -- ...</code></p>\n"],
    ["escaped quote stays straight", '\\"x\\"', "<p>&quot;x&quot;</p>\n"],
    ["URLs in autolinks untouched, text after them typeset", "https://x.org/a--b...", '<p><a href="https://x.org/a--b">https://x.org/a--b</a>…</p>\n'],
  ])("%s", (_name, markdown, expected) => {
    expect(md.render(markdown)).toBe(expected);
  });
});
