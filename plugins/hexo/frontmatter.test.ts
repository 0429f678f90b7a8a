import { describe, expect, it } from "vitest";
import { loadHexoYaml, normaliseSource, parseFrontMatter } from "./frontmatter.ts";
import { OffsetTimestamp } from "./dates.ts";

// hexo-semantics.md §2.2 (Hexo 8.1.2, hexo-front-matter 4.2.1).
const vectors: Array<{ name: string; text: string; data: Record<string, unknown>; body: string; form: string; bodyLine: number }> = [
  { name: "yaml", text: "---\ntitle: A yaml\nfoo: bar\n---\nBody A\n", data: { title: "A yaml", foo: "bar" }, body: "Body A\n", form: "yaml", bodyLine: 5 },
  { name: "no opening line", text: "title: B no opening\nfoo: bar\n---\nBody B\n", data: { title: "B no opening", foo: "bar" }, body: "Body B\n", form: "yaml-no-opening", bodyLine: 4 },
  { name: "json", text: ';;;\n"title": "C json",\n"foo": "bar"\n;;;\nBody C\n', data: { title: "C json", foo: "bar" }, body: "Body C\n", form: "json", bodyLine: 5 },
  {
    name: "json without opening ;;;",
    text: '"title": "D json no open",\n"date": "2022-06-03 15:15:43"\n;;;\nBody D\n',
    data: { title: "D json no open", date: "2022-06-03 15:15:43" },
    body: "Body D\n",
    form: "json-no-opening",
    bodyLine: 4,
  },
  {
    name: "invalid json is body",
    text: ';;;\n"title": "bad json",\n;;;\nbody\n',
    data: {},
    body: ';;;\n"title": "bad json",\n;;;\nbody\n',
    form: "none",
    bodyLine: 1,
  },
  { name: "CRLF", text: "---\r\ntitle: E crlf\r\nfoo: bar\r\n---\r\nBody E\r\n", data: { title: "E crlf", foo: "bar" }, body: "Body E\n", form: "yaml", bodyLine: 5 },
  { name: "BOM", text: "\ufeff---\ntitle: F bom\n---\nBody F\n", data: { title: "F bom" }, body: "Body F\n", form: "yaml", bodyLine: 4 },
  { name: "leading tabs", text: "---\ntitle: G tabs\nlist:\n\t- x\n\t- y\n---\nBody G\n", data: { title: "G tabs", list: ["x", "y"] }, body: "Body G\n", form: "yaml", bodyLine: 7 },
  { name: "CRLF and tabs", text: "---\r\ntitle: S\r\nlist:\r\n\t- x\r\n---\r\nBody S\r\n", data: { title: "S", list: ["x"] }, body: "Body S\n", form: "yaml", bodyLine: 6 },
  { name: "four dashes both sides", text: "----\ntitle: J\n----\nBody J\n", data: { title: "J" }, body: "Body J\n", form: "yaml", bodyLine: 4 },
  // Opening and closing lines differ: the block closes at `\n---`, the rest of `----` starts the body.
  { name: "mismatched separators", text: "---\ntitle: K\n----\nBody K\n", data: { title: "K" }, body: "-\nBody K\n", form: "yaml", bodyLine: 3 },
  { name: "empty block", text: "---\n---\nBody L\n", data: {}, body: "---\n---\nBody L\n", form: "none", bodyLine: 1 },
  { name: "spaces after opening line", text: "---  \ntitle: R\n---\nBody R\n", data: {}, body: "---  \ntitle: R\n---\nBody R\n", form: "none", bodyLine: 1 },
  { name: "yaml scalar", text: "---\njust a string\n---\nBody O\n", data: {}, body: "---\njust a string\n---\nBody O\n", form: "none", bodyLine: 1 },
  { name: "leading blank line", text: "\n---\ntitle: Q\n---\nBody Q\n", data: { title: "Q" }, body: "Body Q\n", form: "yaml-no-opening", bodyLine: 5 },
  { name: "paragraph above an hr", text: "Some intro\n\n---\n\nBody M\n", data: {}, body: "Some intro\n\n---\n\nBody M\n", form: "none", bodyLine: 1 },
  { name: "colon paragraph is front matter", text: "Note: this is text\n\n---\nBody N\n", data: { Note: "this is text" }, body: "Body N\n", form: "yaml-no-opening", bodyLine: 4 },
  // js-yaml gives a number; Hexo's model turns the title into "2024" (the caller casts).
  { name: "numeric title", text: "---\ntitle: 2024\n---", data: { title: 2024 }, body: "", form: "yaml", bodyLine: 3 },
];

describe("parseFrontMatter: §2.2 vectors", () => {
  it.each(vectors)("$name", ({ text, data, body, form, bodyLine }) => {
    const result = parseFrontMatter(text);
    expect(result).toEqual({ ok: true, value: { data, body, form, bodyLine } });
  });
});

describe("parseFrontMatter: errors skip the post", () => {
  it.each([
    { name: "unclosed flow list", text: "---\ntitle: [unclosed\n---\nx\n", line: 2 },
    { name: "duplicate keys", text: "---\ntitle: a\nfoo: 1\nfoo: 2\n---\nx\n", line: 4 },
    { name: "no opening line: line counts from 1", text: "title: a\ntitle: b\n---\nx\n", line: 2 },
    { name: "BOM and CRLF do not move lines", text: "\ufeff---\r\na: 1\r\na: 2\r\n---\r\n", line: 3 },
    // Hexo fails to create a post whose front matter is a list (`source` is required!).
    { name: "a list", text: "---\n- a\n- b\n---\nx\n", line: 2 },
  ])("$name", ({ text, line }) => {
    const result = parseFrontMatter(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.line).toBe(line);
      expect(result.message).not.toBe("");
    }
  });
});

describe("parseFrontMatter: js-yaml 4 reading", () => {
  it("comment-only and null blocks are no front matter", () => {
    expect(parseFrontMatter("---\n# just a comment\n---\nx")).toMatchObject({ ok: true, value: { form: "none", data: {} } });
    expect(parseFrontMatter("---\n~\n---\nx")).toMatchObject({ ok: true, value: { form: "none", data: {} } });
  });

  it("a bare timestamp above --- is front matter without keys (as Hexo)", () => {
    expect(parseFrontMatter("2022-06-03\n---\nBody\n")).toEqual({ ok: true, value: { data: {}, body: "Body\n", bodyLine: 3, form: "yaml-no-opening" } });
  });

  it("unquoted timestamps are Dates read as UTC; an explicit offset is marked exact", () => {
    const result = parseFrontMatter("---\na: 2022-06-03 15:15:43\nb: 2022-06-03T15:15:43+02:00\nc: 2022-06-03\nd: \"2022-06-03\"\n---\n");
    if (!result.ok) throw new Error(result.message);
    const { a, b, c, d } = result.value.data as Record<string, Date>;
    expect(a).toBeInstanceOf(Date);
    expect(a).not.toBeInstanceOf(OffsetTimestamp);
    expect(a.toISOString()).toBe("2022-06-03T15:15:43.000Z");
    expect(b).toBeInstanceOf(OffsetTimestamp);
    expect(b.toISOString()).toBe("2022-06-03T13:15:43.000Z");
    expect(c.toISOString()).toBe("2022-06-03T00:00:00.000Z");
    expect(d).toBe("2022-06-03");
  });

  it.each([
    { yaml: "d: 2022-02-30 10:00:00", value: new Date("2022-03-02T10:00:00Z") }, // js-yaml 4 rolls over
    { yaml: "d: 2022-06-03 15:15", value: "2022-06-03 15:15" }, // no seconds: not a timestamp
    { yaml: "n: -0x1F", value: -31 },
    { yaml: "n: 0b101", value: 5 },
    { yaml: "n: 1_000", value: "1_000" },
    { yaml: "t: 12:30", value: "12:30" },
    { yaml: "b: yes", value: "yes" },
    { yaml: "s: !!set {a, b}", value: { a: null, b: null } },
  ])("$yaml", ({ yaml, value }) => {
    const data = loadHexoYaml(yaml) as Record<string, unknown>;
    expect(Object.values(data)[0]).toEqual(value);
  });

  it("an empty document is undefined, as js-yaml 4 returns", () => {
    expect(loadHexoYaml("")).toBeUndefined();
    expect(loadHexoYaml("# c")).toBeUndefined();
  });
});

describe("normaliseSource", () => {
  it.each([
    { text: "a\r\nb\r\n", out: "a\nb\n" },
    { text: "a\rb", out: "a\rb" }, // a lone CR stays (hexo-fs replaces only CRLF)
    { text: "\ufeff---\n", out: "---\n" },
    { text: "x\ufeff", out: "x\ufeff" },
  ])("$text", ({ text, out }) => {
    expect(normaliseSource(text)).toBe(out);
  });
});
