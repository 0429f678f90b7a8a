// A blog per renderer and per set of renderer options in `_config.yml`, built through the CLI: its heading ids and
// the HTML the options change equal what the real renderer made of the same note (tests/fixtures/heading-styles.json,
// recorded with Hexo 8.1.2 and each renderer by scripts/record-heading-styles.mjs).
import fs from "node:fs";
import path from "node:path";
import { dump } from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { runScript, tempDir, writeTree } from "./helpers/cli.ts";

interface Recorded {
  markdown: string;
  renderers: Record<string, string>;
  ids: Record<string, string[]>;
  options: { markdown: string; cases: Record<string, { config: Record<string, unknown>; deps: string[]; content: string }> };
}
const recorded = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "fixtures/heading-styles.json"), "utf8")) as Recorded;
const env = { VERINOTES_CACHE: "off", VERINOTES_VERIFY: "off" };

function buildBlog(config: Record<string, unknown>, deps: string[] | undefined, markdown: string, args: string[] = []) {
  const blog = tempDir("renderer-blog");
  const out = tempDir("renderer-out");
  writeTree(blog, {
    "_config.yml": dump({ title: "t", url: "http://example.com", timezone: "UTC", ...config }),
    ...(deps ? { "package.json": JSON.stringify({ name: "blog", dependencies: Object.fromEntries(deps.map((d) => [d, "*"])) }) } : {}),
    "source/_posts/o.md": `---\ntitle: o\ndate: 2022-01-03\n---\n${markdown}`,
  });
  const result = runScript("build", ["--hexo", blog, "--output", out, ...args], env);
  const html = fs.readFileSync(path.join(out, "2022/01/03/o/index.html"), "utf8");
  const body = html.slice(html.indexOf('<div class="post-body">'));
  return { result, body: body.slice(0, body.indexOf("</article>") >= 0 ? body.indexOf("</article>") : undefined) };
}

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
/** The `id` of each heading, '' for one without. */
const headingIds = (html: string) => [...html.matchAll(/<h[1-6]((?:\s+[\w-]+="[^"]*")*)\s*>/g)].map((m) => unescape(/\sid="([^"]*)"/.exec(m[1])?.[1] ?? ""));
/** What the options change besides ids: line breaks, which URLs are links, which links open a new tab, image URLs. */
function optionEffects(html: string) {
  return {
    br: /Line one<br\s*\/?>\s*Line two/.test(html),
    links: [...html.matchAll(/<a href="(https?:[^"]*)"([^>]*)>/g)].map((m) => `${m[1]}${/target="_blank"/.test(m[2]) ? " (new tab)" : ""}`),
    images: [...html.matchAll(/<img [^>]*src="([^"]*)"/g)].map((m) => m[1]),
  };
}

describe("a blog per id style: every heading id is the real renderer's", () => {
  const declared: [style: string, deps: string[] | undefined, config: Record<string, unknown>, args: string[]][] = [
    ["hexo", ["hexo-renderer-marked"], {}, []],
    ["markdown-it", ["hexo-renderer-markdown-it"], {}, []],
    ["markdown-it-plus", ["hexo-renderer-markdown-it-plus"], {}, []],
    ["pandoc", ["hexo-renderer-pandoc"], {}, []],
    ["markdown-it-anchor", ["hexo-renderer-markdown-it"], { markdown: { plugins: ["markdown-it-anchor"] } }, []],
    ["github", undefined, {}, ["--heading-ids", "github"]],
  ];
  it.each(declared)("%s (%s)", (style, deps, config, args) => {
    const { result, body } = buildBlog(config, deps, recorded.markdown, args);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Heading ids: ${style} style, ${args.length ? "configured" : "declared"}`);
    expect(headingIds(body)).toEqual(recorded.ids[style].map((id) => unescape(id)));
  });
});

describe("renderer options of _config.yml, as the real renderer applies them", () => {
  const cases = Object.entries(recorded.options.cases);
  let built: Map<string, ReturnType<typeof buildBlog>>;
  beforeAll(() => {
    built = new Map(cases.map(([name, c]) => [name, buildBlog(c.config, c.deps, recorded.options.markdown)]));
  });

  it.each(cases.map(([name]) => [name]))("%s", (name) => {
    const real = recorded.options.cases[name].content;
    const ours = built.get(name)!;
    expect(ours.result.status).toBe(0);
    expect(headingIds(ours.body)).toEqual(headingIds(real));
    expect(optionEffects(ours.body)).toEqual(optionEffects(real));
  });

  it("the issue's case: `marked: { smartypants: false }` gives What-s-Changed, not What’s-Changed", () => {
    expect(headingIds(built.get("marked-smartypants-off")!.body)).toEqual(["What-s-Changed"]);
  });
});
