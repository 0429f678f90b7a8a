// What Pagefind reads of a page: the built HTML with two changes that only the index sees.
import { splitCjkInHtml } from "./cjk.ts";

// The `#` link after each heading (plugins/markdown/heading-ids.ts). `data-pagefind-ignore` keeps it out of
// the words but not out of the heading's title in sub-results ("Setup #"), so the index gets the page without it.
const headingAnchor = /<a class="headerlink"[^>]*>[\s\S]*?<\/a>/g;

export function preparePageForIndex(html: string, { splitCjk }: { splitCjk: boolean }): string {
  const withoutAnchors = html.replace(headingAnchor, "");
  return splitCjk ? splitCjkInHtml(withoutAnchors) : withoutAnchors;
}
