import markdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { escapeHtml } from "./escape-html.ts";

describe("escapeHtml", () => {
  it("escapes as markdown-it escapes the rest of the page, entities included", () => {
    const page = markdownIt().utils.escapeHtml;
    for (const text of ['<a href="x">&amp; &lt;</a>', "it's `code` a/b=c", "中文 & 'quotes' \"double\"", ""]) {
      expect(escapeHtml(text), text).toBe(page(text));
    }
    expect(escapeHtml('&amp;<"')).toBe("&amp;amp;&lt;&quot;");
  });
});
