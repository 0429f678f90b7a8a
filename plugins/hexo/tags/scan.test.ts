// Finding tags outside code (§9.2 adapted: nothing in code of any kind is a tag) and Hexo's argument rules (§9.3).
import { describe, expect, it } from "vitest";
import { continuationPrefix, isAloneOnLine } from "./lines.ts";
import { type TagNode, scanTags } from "./scan.ts";
import { parseTagArgs } from "./tag-token.ts";

/** `name@line` for every tag found, depth-first, with `/name@line` for closing tags. */
function found(src: string, bodyLine = 1): string[] {
  const out: string[] = [];
  const walk = (nodes: TagNode[]): void => {
    for (const n of nodes) {
      out.push(`${n.type === "stray-end" ? "end" : ""}${n.name}@${n.open.line}`);
      walk(n.children);
      if (n.close) out.push(`/${n.name}@${n.close.line}`);
    }
  };
  walk(scanTags(src, bodyLine));
  return out;
}

describe("parseTagArgs (§9.3)", () => {
  it.each([
    ['link "Quoted text here" https://x.com "a title"', ["link", "Quoted text here", "https://x.com", "a title"]],
    [`left shadow /a.png 100 200 '"Title text" "Alt text"'`, ["left", "shadow", "/a.png", "100", "200", '"Title text" "Alt text"']],
    ['"Target <Post> & \\"Co\\""', ['Target <Post> & "Co"']],
    ["'it\\'s' two", ["it's", "two"]],
    ['a"b c"d', ["ab cd"]],
    ['x "" y', ["x", "y"]],
    ['" padded "', ["padded"]],
    ["Don't panic", ["Don't", "panic"]],
    ["  spaced\targs\n on lines ", ["spaced", "args", "on", "lines"]],
    ['"line\\nbreak"', ["line\nbreak"]],
    ["", []],
  ])("%j", (text, args) => expect(parseTagArgs(text)).toEqual(args));
});

describe("scanTags: lines and pairing", () => {
  it("reports 1-based file lines from bodyLine", () => {
    const src = "intro\n\n{% blockquote A %}\nq {% link t https://t.co %}\n{% endblockquote %}\n\n{% post_path x %}";
    expect(found(src, 5)).toEqual(["blockquote@7", "link@8", "/blockquote@9", "post_path@11"]);
    const [bq] = scanTags(src, 5);
    expect(bq).toMatchObject({ type: "block", class: "block", args: ["A"] });
    expect(src.slice(bq.bodyStart, bq.bodyEnd)).toBe("\nq {% link t https://t.co %}\n");
  });

  it("parses name, args and whitespace control", () => {
    const [t] = scanTags("{%- link  a 'b c' -%}", 1);
    expect(t).toMatchObject({ name: "link", args: ["a", "b c"], type: "inline", class: "inline" });
    expect(t.open.source).toBe("{%- link  a 'b c' -%}");
  });

  it.each([
    // unknown tag with an end tag later: block; without: inline
    ["{% note info %}\nx\n{% endnote %}", ["note@1", "/note@3"]],
    ["{% youtube abc %}", ["youtube@1"]],
    // same-name nesting pairs inside out
    ["{% note %}\n{% note %}\nx\n{% endnote %}\n{% endnote %}", ["note@1", "note@2", "/note@4", "/note@5"]],
    // an end tag without its opening tag
    ["x\n{% endnote %}", ["endnote@2"]],
    // a known block tag is a block even without end: unclosed
    ["{% blockquote %}\nx", ["blockquote@1"]],
    // not tags: no name, bad name, no closing %}
    ["{% %} {%= x %} {% 1 %} {% foo.bar %} {% link", []],
    ["{{ title }} {# c #}", []],
  ])("%j", (src, tags) => expect(found(src)).toEqual(tags));

  it("types: unclosed, stray-end, unknown inline", () => {
    expect(scanTags("{% blockquote %}\nx", 1)[0]).toMatchObject({ type: "unclosed", class: "block" });
    expect(scanTags("{% codeblock %}\nx", 1)[0]).toMatchObject({ type: "unclosed", class: "code" });
    expect(scanTags("{% endnote %}", 1)[0]).toMatchObject({ type: "stray-end", name: "note" });
    expect(scanTags("{% note %}", 1)[0]).toMatchObject({ type: "inline", class: undefined });
  });

  it("a mis-nested block leaves the inner one unclosed", () => {
    const [outer] = scanTags("{% note a %}\n{% tabs x %}\n{% endnote %}\n{% endtabs %}", 1);
    expect(outer).toMatchObject({ name: "note", type: "block" });
    expect(outer.children[0]).toMatchObject({ name: "tabs", type: "unclosed" });
  });
});

describe("scanTags: Nunjucks statements are text, not tags", () => {
  it("if/for/set/else and their ends are not tags; theme tags around them are", () => {
    const nodes = scanTags("{% note %}\n{% if a %}{% for x in y %}{% set z = 1 %}{% else %}{% endfor %}{% endif %}\n{% endnote %}", 1);
    expect(nodes).toMatchObject([{ name: "note", type: "block", children: [] }]);
  });
});

describe("scanTags: code is never scanned", () => {
  it.each([
    ["fenced ```", "```\n{% a %}\n```\n{% b %}", ["b@4"]],
    ["fenced ~~~", "~~~js\n{% a %}\n~~~\n{% b %}", ["b@4"]],
    ["longer fence holding a shorter one", "````md\n```\n{% a %}\n```\n````\n{% b %}", ["b@6"]],
    ["fence in a list item", "- item\n\n  ```\n  {% a %}\n  ```\n- {% b %}", ["b@6"]],
    ["fence in a block quote", "> ```\n> {% a %}\n> ```\n> {% b %}", ["b@4"]],
    ["unclosed fence runs to the end", "```\n{% a %}\n\n{% b %}", []],
    ["indented code", "para\n\n    {% a %}\n\n{% b %}", ["b@5"]],
    ["4-space list continuation is not code", "1. step\n\n    {% a %}", ["a@3"]],
    ["lazy paragraph continuation is not code", "para\n    {% a %}", ["a@2"]],
    ["inline code, 1 backtick", "`{% a %}` {% b %}", ["b@1"]],
    ["inline code, 2 backticks holding one", "``{% a %} ` x`` {% b %}", ["b@1"]],
    ["inline code, 3 backticks", "```{% a %}``` {% b %}", ["b@1"]],
    ["inline code across lines of a paragraph", "`x\n{% a %}` {% b %}", ["b@2"]],
    ["backticks do not pair across a blank line", "`x\n\n{% a %}`", ["a@3"]],
    ["unmatched backtick run is text", "`` {% a %} `", ["a@1"]],
    ["escaped backtick opens nothing", "\\`{% a %}`", ["a@1"]],
    ["escaped tag is text", "\\{% a %}", []],
    ["HTML comment", "<!-- {% a %} -->{% b %}\n\nx <!-- {% c %}\n{% d %} --> {% e %}", ["b@1", "e@4"]],
    ["raw <code> and <pre> inline", "<code>{% a %}</code> <pre>{% b %}</pre> <CODE class=x>{% c %}</CODE> {% d %}", ["d@1"]],
    ["raw <pre> block", "<pre>\n{% a %}\n</pre>\n\n{% b %}", ["b@5"]],
    ["<script> and <style>", "<script>\nif (a {% a %})\n</script>\n<style>{% b %}</style>\n\n{% c %}", ["c@6"]],
    ["tags inside other raw HTML are tags", '<div>\n<img src="{% asset_path a.png %}">\n</div>', ["asset_path@2"]],
    ["tag in a table cell", "| a | b |\n|---|---|\n| `{% a %}` | {% b %} |", ["b@3"]],
  ])("%s", (_, src, tags) => expect(found(src)).toEqual(tags));

  it.each([
    ["raw body", "{% raw %}\n{% a %} {{ x }}\n{% endraw %} {% b %}", ["raw@1", "/raw@3", "b@3"]],
    ["codeblock body", "{% codeblock %}\n{% a %}\n{% endcodeblock %}\n{% b %}", ["codeblock@1", "/codeblock@3", "b@4"]],
    // a fence in the codeblock body would swallow the rest if parsed as Markdown; it is code, so it doesn't
    ["unbalanced fence in a codeblock body", "{% code lang:md %}\n```\n{% endcode %}\n\n{% b %}", ["code@1", "/code@3", "b@5"]],
    ["codeblock in a fence is code", "```\n{% codeblock %}\n```\n{% endcodeblock %}", ["endcodeblock@4"]],
    ["raw markers in an inline code span", "`{% raw %}{{ x }}{% endraw %}` `{% a %}`", ["raw@1", "/raw@1"]],
    ["raw in a fence is code", "```\n{% raw %}x{% endraw %}\n```", []],
    ["codeblock in a blockquote tag body", "{% blockquote %}\n{% code %}\n{% a %}\n{% endcode %}\n{% endblockquote %}", [
      "blockquote@1", "code@2", "/code@4", "/blockquote@5",
    ]],
  ])("opaque bodies: %s", (_, src, tags) => expect(found(src)).toEqual(tags));
});

describe("line helpers", () => {
  it.each([
    ["{% a %}", 0, 7, true],
    ["  {% a %}  \nx", 2, 9, true],
    ["> - {% a %}", 4, 11, true],
    ["1. {% a %}", 3, 10, true],
    ["x {% a %}", 2, 9, false],
    ["{% a %} x", 0, 7, false],
  ])("isAloneOnLine(%j)", (src, start, end, alone) => expect(isAloneOnLine(src, start, end)).toBe(alone));

  it.each([
    ["", ""],
    ["   ", "   "],
    ["- ", "  "],
    ["> - ", ">   "],
    ["10. text ", "    "],
    ["> > ", "> > "],
  ])("continuationPrefix(%j) = %j", (before, prefix) => expect(continuationPrefix(before)).toBe(prefix));
});
