// scanTags skips its confirming round when the mask cannot change the blocks (mask.ts, maskKeepsBlocks): the tags
// it finds must be the ones the rounds to the fixed point find, on notes built from the lines where a mask could
// change the blocks (HTML, tables, fences, code spans, reference definitions, containers) and on generated notes.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { maskKeepsBlocks } from "./mask.ts";
import { type TagNode, scanTags } from "./scan.ts";

const tree = (nodes: TagNode[]): unknown[] =>
  nodes.map((n) => [n.type, n.name, n.class, n.start, n.end, n.close ? [n.close.start, n.close.end] : null, tree(n.children)]);

const LINES = [
  "", "", "", "",
  "text {% post_link a %} more",
  "{% post_link a %}",
  "{% post_path b %}",
  "see {% post_path b %} here",
  "<a href={% post_path x %}>",
  '<a href="{% post_path x %}">',
  "<div>",
  "</div>",
  "<!--",
  "-->",
  "text {% post_link a %} -->",
  "`{% post_link y %}`",
  "`",
  "a ` b {% post_link a %}",
  "```",
  "~~~",
  "```{% post_link a %}",
  "```js {% post_link `a` %}",
  "[a]:",
  "[a]: {% post_path x %}",
  '[a]: /u "{% post_link a %}"',
  "| a | b |",
  "|---|---|",
  "{% post_link x|y %} | b",
  "a | {% post_link q %}",
  "- item {% post_link a %}",
  "- {% post_link a %}",
  "> quote {% post_link a %}",
  "    indented {% post_link a %}",
  "# head {% post_link a %}",
  "===",
  "---",
  "{% link t http://x %} \\| c",
  "{% img /a.png %} > x",
  "{% link t http://x.com/a>b %}",
  "x {% link \\`t\\` http://x %}",
  "{% blockquote %}",
  "{% endblockquote %}",
  "{% codeblock %}",
  "{% endcodeblock %}",
  "text {% note info %}",
  "{% raw %}",
  "{% endraw %}",
  "{% note info %}",
  "{% endnote %}",
];

/** Notes where one round would miss or add a tag: the mask changes their blocks. */
const MASK_CHANGES_BLOCKS: Record<string, string> = {
  // masked, the first line is a reference whose title runs on: the second line's backtick no longer opens a span
  "a reference definition": '[a]: {% post_path x %}\n"`{% post_link y %}"\n`',
  // masked, the header has two cells like the delimiter row: a table, whose rows are ranges of their own
  "a pipe in a tag": "a | {% post_link x|y %}\n|-|-|\n`{% post_link z %}\n`",
  // masked, the line is one HTML tag: an HTML block, where backticks are not code
  "a tag in an attribute": "<a href={% post_path x %}>\n`{% post_link y %}`",
  // the `>` in the tag ends the declaration's HTML block; masked, it goes on
  "a > in a tag": "<!DOCTYPE\ntext {% post_link a>b %}\n`{% post_link c %}`",
  // masked, the unknown tag's line is blank: the HTML block ends before the code span
  "an unknown tag alone": "<div>\n{% note %}\n`{% post_link c %}`",
  // masked, a fence: the rest is code
  "a backtick in a tag": "```js {% post_link `a` %}\n{% post_link b %}",
};

/** A deterministic stream of pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("scanTags finds the same tags with one round as with rounds to the fixed point", () => {
  it("on 4,000 notes made of the lines where a mask could change the blocks", () => {
    const next = random(16);
    let skipped = 0;
    for (let i = 0; i < 4000; i++) {
      const lines = Array.from({ length: 2 + Math.floor(next() * 9) }, () => LINES[Math.floor(next() * LINES.length)]);
      const body = lines.join("\n");
      const settled = scanTags(body, 1, { alwaysRescan: true });
      expect(tree(scanTags(body, 1)), body).toEqual(tree(settled));
      if (settled.length && maskKeepsBlocks(body, settled)) skipped++;
    }
    expect(skipped).toBeGreaterThan(300);
  });

  it.each(Object.keys(MASK_CHANGES_BLOCKS))("where the mask changes the blocks: %s", (name) => {
    const body = MASK_CHANGES_BLOCKS[name];
    const settled = scanTags(body, 1, { alwaysRescan: true });
    expect(settled.length).toBeGreaterThan(0);
    expect(tree(scanTags(body, 1))).toEqual(tree(settled));
  });

  it("on 200 generated notes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scan-rounds-"));
    try {
      const gen = path.resolve(import.meta.dirname, "../../../../shared/bench/gen-notes.mjs");
      const g = spawnSync(process.execPath, [gen, dir, "200", "--seed=9"], { encoding: "utf8" });
      expect(g.status, g.stderr).toBe(0);
      let tags = 0;
      for (const f of fs.readdirSync(dir)) {
        const body = fs.readFileSync(path.join(dir, f), "utf8");
        const settled = scanTags(body, 1, { alwaysRescan: true });
        expect(tree(scanTags(body, 1)), f).toEqual(tree(settled));
        tags += settled.length;
      }
      expect(tags).toBeGreaterThan(100);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
