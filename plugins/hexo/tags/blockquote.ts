// {% blockquote [author[, source]] [link] [source_link_title] %}…{% endblockquote %} and its alias `quote` (§10.1).
import type { TagHandler, TagInvocation, TagOutput } from "./types.ts";

/**
 * The footer of Hexo's blockquote, from the arguments joined by spaces:
 * `author url title` | `author url` (link text = URL without protocol and trailing `/`, `/index.htm(l)`) |
 * `author, source` | `author`. Values are inserted as written, like Hexo does.
 */
export function blockquoteFooter(args: readonly string[]): string {
  const str = args.join(" ");
  if (!str) return "";
  let author = "";
  let source = "";
  let title = "";
  let m: RegExpExecArray | null;
  if ((m = /(\S.*)\s+(https?:\/\/\S+)\s+(.+)/i.exec(str))) {
    [, author, source, title] = m;
  } else if ((m = /(\S.*)\s+(https?:\/\/\S+)/i.exec(str))) {
    [, author, source] = m;
  } else if ((m = /([^,]+),\s*([^,]+)/.exec(str))) {
    [, author, title] = m;
  } else {
    author = str;
  }
  let footer = "";
  if (author) footer += `<strong>${author}</strong>`;
  if (source) {
    const link = source.replace(/^https?:\/\/|\/(index.html?)?$/g, "");
    footer += `<cite><a href="${source}">${title ? title : link}</a></cite>`;
  } else if (title) {
    footer += `<cite>${title}</cite>`;
  }
  return footer;
}

export const blockquoteTag: TagHandler = {
  body: "markdown",
  render({ args, body, ctx }: TagInvocation): TagOutput {
    const footer = blockquoteFooter(args);
    let html = "<blockquote>" + ctx.renderMarkdown(body ?? "");
    if (footer) html += `<footer>${footer}</footer>`;
    return { kind: "html", value: html + "</blockquote>" };
  },
};
