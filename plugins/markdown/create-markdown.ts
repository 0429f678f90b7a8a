// The Markdown renderer of Verinotes: markdown-it set up to read Hexo notes the way
// hexo-renderer-marked 7 did (hexo-semantics.md §12.1), plus build-time math and code
// highlighting. Every option is defaulted here and nowhere else.

import type { MarkdownIt } from "markdown-it";
import { brLinePlugin } from "./br-line.ts";
import { footnotesPlugin } from "./footnotes.ts";
import { headingIdsPlugin } from "./heading-ids.ts";
import { highlightPlugin } from "./highlight.ts";
import { imagesPlugin } from "./images.ts";
import { externalLinksPlugin, linksPlugin } from "./links.ts";
import { newMarkdownIt } from "./markdown-it.ts";
import { mathPlugin } from "./math.ts";
import { smartypantsPlugin } from "./smartypants.ts";
import { taskListsPlugin } from "./task-lists.ts";
import type { MarkdownOptions } from "./types.ts";

export const defaultMarkdownOptions: Readonly<Required<MarkdownOptions>> = Object.freeze({
  html: true,
  breaks: true,
  typographer: true,
  quotes: "“”‘’",
  linkify: true,
  standaloneBrLines: true,
  math: true,
  headingIdCase: 0,
  headingIdStyle: "hexo",
  headingAliasStyles: ["hexo" as const],
  headingStyleSettings: {},
  headingIds: true,
  keptHeadingIds: () => undefined,
  externalLinks: false,
  gfm: true,
  imageRoot: "/",
  resolveImageSrc: (src: string) => src,
});

/** Fills in the defaults (an explicit `undefined` counts as unset). */
export function resolveMarkdownOptions(options: MarkdownOptions = {}): Required<MarkdownOptions> {
  const resolved: Required<MarkdownOptions> = { ...defaultMarkdownOptions };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) Object.assign(resolved, { [key]: value });
  }
  return resolved;
}

export function createMarkdown(options?: MarkdownOptions): MarkdownIt {
  const settings = resolveMarkdownOptions(options);
  const md = newMarkdownIt({
    html: settings.html,
    breaks: settings.breaks,
    typographer: settings.typographer,
    quotes: settings.quotes,
    linkify: settings.linkify,
  });
  // Like GFM/marked: link bare `http(s)://` URLs and e-mails only — not `README.md` or
  // `setup.py` (two-letter TLDs) and not `//comment` text.
  if (!settings.gfm) md.disable(["table", "strikethrough"]);
  md.linkify.set({ fuzzyLink: false, fuzzyEmail: true }).add("//", null);

  md.use(smartypantsPlugin);
  if (settings.standaloneBrLines) md.use(brLinePlugin);
  md.use(footnotesPlugin);
  md.use(taskListsPlugin);
  if (settings.math) md.use(mathPlugin);
  md.use(highlightPlugin);
  md.use(imagesPlugin, { resolveImageSrc: settings.resolveImageSrc, root: settings.imageRoot });
  // After images: link sources are the final URLs.
  md.use(linksPlugin);
  // Last: ids are slugs of the finished heading text.
  if (settings.externalLinks) md.use(externalLinksPlugin, settings.externalLinks);
  md.use(headingIdsPlugin, {
    headingIdCase: settings.headingIdCase,
    style: settings.headingIdStyle,
    aliasStyles: settings.headingAliasStyles,
    styleSettings: settings.headingStyleSettings,
    enabled: settings.headingIds,
    keptIds: settings.keptHeadingIds,
  });
  return md;
}
