import { describe, expect, it } from "vitest";
import { splitExcerpt } from "./excerpt.ts";

// hexo-semantics.md §7, recorded by the reference harness (out-excerpt.json). `html` is the rendered body
// before the excerpt filter; the expected values are Hexo's post.content / excerpt / more.
const codeBlock =
  '<figure class="highlight html"><table><tr><td class="gutter"><pre><span class="line">1</span><br></pre></td><td class="code"><pre><span class="line"><span class="comment">&lt;!-- more --&gt;</span></span><br></pre></td></tr></table></figure>';
const heading = '<h1 id="Heading"><a href="#Heading" class="headerlink" title="Heading"></a>Heading</h1>';

describe("splitExcerpt: §7", () => {
  it.each([
    {
      name: "<!--more--> between paragraphs",
      html: "<p>Intro para.</p>\n<!--more-->\n\n<p>Rest para.</p>\n",
      fm: undefined,
      content: '<p>Intro para.</p>\n<span id="more"></span>\n\n<p>Rest para.</p>\n',
      excerpt: "<p>Intro para.</p>",
      more: "<p>Rest para.</p>",
    },
    {
      name: "<!-- more -->",
      html: "<p>Intro.</p>\n<!-- more -->\n<p>Rest.</p>\n",
      fm: undefined,
      content: '<p>Intro.</p>\n<span id="more"></span>\n<p>Rest.</p>\n',
      excerpt: "<p>Intro.</p>",
      more: "<p>Rest.</p>",
    },
    {
      name: "two spaces: not a marker",
      html: "<p>Intro.</p>\n<!--  more  -->\n\n<p>Rest.</p>\n",
      fm: undefined,
      content: "<p>Intro.</p>\n<!--  more  -->\n\n<p>Rest.</p>\n",
      excerpt: "",
      more: "<p>Intro.</p>\n<!--  more  -->\n\n<p>Rest.</p>\n",
    },
    {
      name: "upper case",
      html: "<p>Intro.</p>\n<!--MORE-->\n\n<p>Rest.</p>\n",
      fm: undefined,
      content: '<p>Intro.</p>\n<span id="more"></span>\n\n<p>Rest.</p>\n',
      excerpt: "<p>Intro.</p>",
      more: "<p>Rest.</p>",
    },
    {
      name: "only the first marker is replaced",
      html: "<p>One.</p>\n<!-- more -->\n\n<p>Two.</p>\n<!-- more -->\n\n<p>Three.</p>\n",
      fm: undefined,
      content: '<p>One.</p>\n<span id="more"></span>\n\n<p>Two.</p>\n<!-- more -->\n\n<p>Three.</p>\n',
      excerpt: "<p>One.</p>",
      more: "<p>Two.</p>\n<!-- more -->\n\n<p>Three.</p>",
    },
    {
      name: "front-matter excerpt wins, raw and unrendered",
      html: "<p>Intro.</p>\n<!-- more -->\n\n<p>Rest.</p>\n",
      fm: "Custom *excerpt* <b>x</b>",
      content: "<p>Intro.</p>\n<!-- more -->\n\n<p>Rest.</p>\n",
      excerpt: "Custom *excerpt* <b>x</b>",
      more: "<p>Intro.</p>\n<!-- more -->\n\n<p>Rest.</p>\n",
    },
    {
      name: "front-matter excerpt empty string",
      html: "<p>Intro.</p>\n<!-- more -->\n\n<p>Rest.</p>\n",
      fm: "",
      content: "<p>Intro.</p>\n<!-- more -->\n\n<p>Rest.</p>\n",
      excerpt: "",
      more: "<p>Intro.</p>\n<!-- more -->\n\n<p>Rest.</p>\n",
    },
    {
      name: "escaped marker in code never matches",
      html: `<p>Intro.</p>\n${codeBlock}\n\n<p>Rest.</p>\n`,
      fm: undefined,
      content: `<p>Intro.</p>\n${codeBlock}\n\n<p>Rest.</p>\n`,
      excerpt: "",
      more: `<p>Intro.</p>\n${codeBlock}\n\n<p>Rest.</p>\n`,
    },
    {
      name: "inline marker splits the paragraph",
      html: "<p>Inline <!-- more --> marker.</p>\n",
      fm: undefined,
      content: '<p>Inline <span id="more"></span> marker.</p>\n',
      excerpt: "<p>Inline",
      more: "marker.</p>",
    },
    { name: "no marker", html: "<p>No marker here.</p>\n", fm: undefined, content: "<p>No marker here.</p>\n", excerpt: "", more: "<p>No marker here.</p>\n" },
    {
      name: "<!--more --> after a heading",
      html: `${heading}<p>Intro.</p>\n<!--more -->\n<p>Rest.</p>\n`,
      fm: undefined,
      content: `${heading}<p>Intro.</p>\n<span id="more"></span>\n<p>Rest.</p>\n`,
      excerpt: `${heading}<p>Intro.</p>`,
      more: "<p>Rest.</p>",
    },
  ])("$name", ({ html, fm, content, excerpt, more }) => {
    expect(splitExcerpt(html, fm)).toEqual({ content, excerpt, more });
  });

  it("a non-string front-matter excerpt is printed (Hexo's String field)", () => {
    expect(splitExcerpt("<p>x</p>", 5)).toEqual({ content: "<p>x</p>", excerpt: "5", more: "<p>x</p>" });
  });

  it("the marker text is not treated as a replacement pattern", () => {
    expect(splitExcerpt("<p>$&amp; $1</p><!-- more --><p>$'</p>", undefined).content).toBe('<p>$&amp; $1</p><span id="more"></span><p>$\'</p>');
  });
});
