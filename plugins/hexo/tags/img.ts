// {% img [class…] /path/or/url [width] [height] [title text [alt text]] %} and its alias `image` (§10.5).
import type { TagHandler, TagInvocation, TagOutput } from "./types.ts";
import { htmlTag, isHexoUrl } from "./util.ts";

/**
 * Hexo's img tag. Arguments before the source (the first URL-ish argument, or one starting with `/`,
 * or the one `isSrc` accepts) are classes; then all-digit width and height; the rest is
 * `"title" "alt"` / `'title' 'alt'` (quote-less text is all title).
 */
export function renderImg(
  args: readonly string[],
  resolve: (src: string, index: number) => string,
  isSrc: (item: string, index: number) => boolean = () => false,
): string {
  const rest = [...args];
  const classes: string[] = [];
  let src: string | undefined;
  let width: string | undefined;
  let height: string | undefined;
  let title: string | undefined;
  let alt: string | undefined;
  let index = 0;
  while (rest.length > 0) {
    const item = rest.shift()!;
    if (isSrc(item, index) || isHexoUrl(item) || item.startsWith("/")) {
      src = resolve(item, index);
      break;
    }
    classes.push(item);
    index++;
  }
  if (rest.length) {
    if (!/\D+/.test(rest[0])) {
      width = rest.shift();
      if (rest.length && !/\D+/.test(rest[0])) height = rest.shift();
    }
    const meta = rest.join(" ");
    const dq = /"?([^"]+)?"?/;
    const sq = /'?([^']+)?'?/;
    const rTitle = meta.startsWith('"') ? dq : sq;
    const rAlt = meta.endsWith('"') ? dq : sq;
    const m = new RegExp(`${rTitle.source}\\s*${rAlt.source}`).exec(meta);
    if (m) {
      title = m[1];
      alt = m[2];
    }
  }
  return htmlTag("img", { src, class: classes.join(" "), width, height, title, alt });
}

export const imgTag: TagHandler = {
  render({ args, ctx }: TagInvocation): TagOutput {
    return { kind: "html", value: renderImg(args, (src) => ctx.urlFor(src)) };
  },
};
