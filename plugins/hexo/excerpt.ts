// Excerpt and "more" of a rendered post (Hexo's after_post_render excerpt filter, hexo-semantics.md §7).

// At most one optional space on each side, any case: `<!--more-->`, `<!-- More -->`; not `<!--  more  -->`.
const moreMarker = /<!-- ?more ?-->/i;

/**
 * Splits rendered HTML at the first `<!-- more -->`, which becomes `<span id="more"></span>`.
 * A front-matter `excerpt` (any value, even "") wins: it is the excerpt as written and the content is left alone.
 */
export function splitExcerpt(html: string, frontMatterExcerpt: unknown): { content: string; excerpt: string; more: string } {
  if (frontMatterExcerpt !== undefined) {
    return { content: html, excerpt: frontMatterExcerpt === null ? "" : String(frontMatterExcerpt), more: html };
  }
  const marker = moreMarker.exec(html);
  if (!marker) return { content: html, excerpt: "", more: html };
  const before = html.slice(0, marker.index);
  const after = html.slice(marker.index + marker[0].length);
  return { content: `${before}<span id="more"></span>${after}`, excerpt: before.trim(), more: after.trim() };
}
