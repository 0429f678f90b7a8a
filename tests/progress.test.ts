// The progress printer of the command-line scripts, and the progress a build's verification reports.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { extractSnippets } from "../plugins/snippets/extract.ts";
import { defaultMarkdown } from "../plugins/snippets/options.ts";
import { snippetsExtension, type SnippetsProgress } from "../plugins/snippets/eleventy.ts";
import type { NoteForExtension } from "../plugins/hexo/extensions.ts";
import { progressPrinter } from "../scripts/progress.ts";
import { tempDir } from "./helpers/cli.ts";

function recorder(tty: boolean, after = 0) {
  const out: string[] = [];
  let clock = 1000;
  const print = progressPrinter("snippets", { tty, after, write: (t) => out.push(t), now: () => clock });
  return { out, print, advance: (ms: number) => (clock += ms) };
}

describe("progressPrinter", () => {
  it("prints a line at each tenth in logs, and the last one once", () => {
    const { out, print } = recorder(false);
    for (let i = 0; i <= 20; i++) print(i, 20, `n${i}.md`);
    print(20, 20, "again.md");
    expect(out).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((p) => `snippets: ${(p / 100) * 20}/20 notes (${p}%)\n`));
  });

  it("stays silent for work that ends within `after` ms of its first step, and speaks once it goes on longer", () => {
    const quick = recorder(false, 2000);
    quick.print(0, 3, "");
    quick.advance(1500);
    quick.print(3, 3, "c.md");
    expect(quick.out).toEqual([]);

    const slow = recorder(false, 2000);
    slow.print(0, 4, "");
    slow.advance(1500);
    slow.print(1, 4, "a.md");
    expect(slow.out).toEqual([]);
    slow.advance(1000);
    slow.print(2, 4, "b.md");
    slow.print(4, 4, "d.md");
    expect(slow.out).toEqual(["snippets: 2/4 notes (50%)\n", "snippets: 4/4 notes (100%)\n"]);
  });

  it("draws a bar in place on a terminal and clears it at the end", () => {
    const { out, print, advance } = recorder(true);
    print(1, 2, "a.md");
    advance(100);
    print(2, 2, "b.md");
    expect(out[0]).toBe("\r\x1b[2Ksnippets: [###############...............] 1/2 a.md");
    expect(out.at(-1)).toBe("\r\x1b[2K");
  });
});

describe("a build's verification", () => {
  it("reports progress: 0 when it starts, then each note as it is verified", async () => {
    const events: SnippetsProgress[] = [];
    const cacheDir = tempDir("progress");
    try {
      const ext = snippetsExtension({ verify: true, cacheDir, timeout: 10, reportLayout: false }, () => {}, (p) => events.push(p));
      const notes: NoteForExtension[] = ["a", "b", "c"].map((name, k) => {
        const md = `\`\`\`python\nprint(${k})\n\`\`\`\n`;
        const markdown = defaultMarkdown();
        const tokens = markdown.parse(md, {});
        return {
          source: `_posts/${name}.md`,
          abs: `/notes/${name}.md`,
          route: `${name}/index.html`,
          url: `/${name}/`,
          title: name,
          lang: "en",
          html: markdown.render(md),
          collected: extractSnippets(tokens as never, { file: `_posts/${name}.md`, bodyLine: 1 }),
        };
      });
      await ext.finish!(notes);
      expect(events[0]).toEqual({ done: 0, total: 3, source: "" });
      expect(events.slice(1).map((e) => e.done)).toEqual([1, 2, 3]);
      expect(events.map((e) => e.total)).toEqual([3, 3, 3, 3]);
      expect(events.slice(1).map((e) => e.source).sort()).toEqual(["_posts/a.md", "_posts/b.md", "_posts/c.md"]);
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  }, 60_000);
});
