// Small helpers shared by the tag plugins: hexo-util's HTML/URL functions and Hexo's URL regex.
// (one module at a time: hexo-util's index loads every helper it has)
import hexoHtmlTag from "hexo-util/dist/html_tag.js";
import hexoEscapeHTML from "hexo-util/dist/escape_html.js";
import hexoEncodeURL from "hexo-util/dist/encode_url.js";
import hexoStripIndent from "hexo-util/dist/strip_indent.js";

/** hexo-util `htmlTag`: URL-ish attributes encodeURL-ed, `''` kept as `attr=""`, text escaped. */
export const htmlTag: (
  tag: string,
  attrs?: Record<string, string | boolean | number | null | undefined>,
  text?: string,
  escape?: boolean,
) => string = hexoHtmlTag;

/** hexo-util `escapeHTML` (`& < > " ' \` / =`, existing entities left alone). */
export const escapeHTML: (str: string) => string = hexoEscapeHTML;

/** hexo-util `encodeURL` (`encodeURI(unescape(str))`; absolute URLs keep their host). */
export const encodeURL: (str: string) => string = hexoEncodeURL;

/** hexo-util `stripIndent` (removes the smallest indentation of the non-blank lines). */
export const stripIndent: (str: string) => string = hexoStripIndent;

/**
 * The URL test of Hexo's `img` and `link` tags (`lib/plugins/tag/{img,link}.ts`), unanchored as there:
 * a scheme (`https:`, `mailto:`), `www.` or `user@` form anywhere in the argument.
 */
export const isHexoUrl = (s: string): boolean =>
  /((([A-Za-z]{3,9}:(?:\/\/)?)(?:[-;:&=+$,\w]+@)?[A-Za-z0-9.-]+|(?:www.|[-;:&=+$,\w]+@)[A-Za-z0-9.-]+)((?:\/[+~%/.\w-_]*)?\??(?:[-+=&;%@.\w_]*)#?(?:[.!/\\\w]*))?)/.test(
    s,
  );

/** Hexo's escape flag: a last argument `true`/`false` is taken off the list. Returns [args, escape]. */
export function popEscapeFlag(args: readonly string[]): [string[], boolean] {
  const rest = [...args];
  const last = rest[rest.length - 1];
  if (last === "true" || last === "false") {
    rest.pop();
    return [rest, last === "true"];
  }
  return [rest, true];
}
