import { describe, expect, it } from "vitest";
import { readingStats } from "./reading.ts";

describe("readingStats", () => {
  it("counts each CJK character as a word and Latin words by runs", () => {
    expect(readingStats("<p>深度学习 with PyTorch 2.0</p>")).toEqual({ words: 4 + 3, minutes: 1 });
  });
  it("leaves out tags and attributes, counts an entity once", () => {
    expect(readingStats('<a href="https://example.org/long/path">链接</a> &amp; <code class="language-python">x</code>')).toEqual({ words: 4, minutes: 1 });
  });
  it("counts kana and Hangul as CJK", () => {
    expect(readingStats("ひらがな 한국어").words).toBe(7);
  });
  it("reads 300 CJK characters or 200 other words a minute", () => {
    expect(readingStats("字".repeat(3000)).minutes).toBe(10);
    expect(readingStats("word ".repeat(2000)).minutes).toBe(10);
    expect(readingStats("字".repeat(1500) + " word".repeat(1000)).minutes).toBe(10);
  });
  it("keeps apostrophes and hyphens inside a word", () => {
    expect(readingStats("it's a well-known fact").words).toBe(4);
  });
});
