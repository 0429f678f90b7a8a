import { describe, expect, it } from "vitest";
import { readingStats } from "./reading.ts";

describe("readingStats", () => {
  it("counts each CJK character as a word and Latin words by runs", () => {
    expect(readingStats("<p>深度学习 with PyTorch 2.0</p>")).toEqual({ words: 4 + 3, minutes: 1 });
  });
  it("leaves out HTML tags and attributes, counts an entity once", () => {
    expect(readingStats('<a href="https://example.org/long/path">链接</a> &amp; <code class="language-python">x</code>')).toEqual({ words: 4, minutes: 1 });
  });
  it("leaves out link targets, images, link definitions and tag plugins; counts link text and code", () => {
    const md = "见[官方文档](https://pytorch.org/docs/stable/index.html)。\n\n![图](a.png)\n\n{% asset_img heads.svg 注意力 %}\n\n[ref]: https://example.org/x\n\n```python\nprint(1)\n```\n";
    expect(readingStats(md).words).toBe(1 + 4 + 3 /* 见, 官方文档, python print 1 */);
  });
  it("counts kana and Hangul as CJK", () => {
    expect(readingStats("ひらがな 한국어").words).toBe(7);
  });
  it("reads 300 CJK characters or 200 other words a minute", () => {
    expect(readingStats("字".repeat(3000)).minutes).toBe(10);
    expect(readingStats("word ".repeat(2000)).minutes).toBe(10);
    expect(readingStats("字".repeat(1500) + " word".repeat(1000)).minutes).toBe(10);
  });
  it("keeps text between comparison signs, which are not tags", () => {
    expect(readingStats("P<0.001 且 x > 1，<!-- more --><https://example.org> R<sup>2</sup>").words).toBe(7 /* P 0.001 且 x 1 R 2 */);
  });
  it("counts the symbols of math, not its LaTeX commands", () => {
    expect(readingStats("熵 $H = \\frac{a}{b}$ 与 $$\\sum_{k=1} x_k$$").words).toBe(2 + 3 + 4 /* H a b; k 1 x_k */);
  });
  it("does not count the numbers of an ordered list", () => {
    expect(readingStats("1. 甲\n2. 乙\n10) 丙\n> 3. 丁\n").words).toBe(4);
  });
  it("keeps apostrophes and hyphens inside a word", () => {
    expect(readingStats("it's a well-known fact").words).toBe(4);
  });
});
