// {% codeblock [title] [lang:xx] [url] [link text] [options] %}…{% endcodeblock %} and its alias `code` (§10.3).
//
// The expander rewrites the tag into an ordinary fenced block, so highlighting and the snippet extractor
// see one kind of code block. Info string made here:
//
//   lang title="caption" url="https://…" link="link text" line_number:false first_line:5 mark:1,3-4 …
//
// - `lang` first (`plaintext` when the tag has none but other attributes follow; nothing at all otherwise);
// - `title` / `url` / `link`: the caption, from the arguments that are not options (Hexo's caption
//   regexes); `link` is `link` when the tag gives a URL without text, as Hexo shows it; values are
//   double-quoted with `\"` and `\\` escaped;
// - Hexo's options, exactly as written (`key:value`, Hexo 8 fence syntax): `line_number`, `line_threshold`,
//   `first_line`, `mark`, `wrap`, `language_attr`, `highlight`.
import type { TagHandler, TagInvocation, TagOutput } from "./types.ts";
import { escapeHTML } from "./util.ts";

const OPTION_KEYS = new Set(["line_number", "line_threshold", "first_line", "wrap", "mark", "language_attr", "highlight"]);

/** A code block caption: `<span>title</span><a href="url">link</a>`. */
export interface CodeCaption {
  title: string;
  url?: string;
  /** Link text (Hexo: `link` when a URL is given without text). */
  link?: string;
}

export interface CodeArgs {
  /** `lang:xx` ('' when absent). */
  lang: string;
  caption?: CodeCaption;
  /** Hexo options as written (`line_number:false`, `mark:1,3-4`, …), in order; includes `highlight:`. */
  options: string[];
  /** `false` when `highlight:false` was given. */
  highlight: boolean;
  /** `first_line:n` (default 1). */
  firstLine: number;
}

/** Split Hexo codeblock arguments into language, caption and options (Hexo's `parseArgs` of `tag/code.ts`). */
export function parseCodeArgs(args: readonly string[]): CodeArgs {
  let lang = "";
  let highlight = true;
  let firstLine = 1;
  const options: string[] = [];
  const rest: string[] = [];
  let sawHighlight = false;
  for (const a of args) {
    const colon = a.indexOf(":");
    const key = colon === -1 ? "" : a.slice(0, colon);
    const value = a.slice(colon + 1);
    if (key === "highlight" && !sawHighlight) {
      sawHighlight = true;
      highlight = value === "true";
      options.push(a);
    } else if (key === "lang") {
      lang = value;
    } else if (OPTION_KEYS.has(key) && key !== "highlight") {
      if (key === "first_line" && value !== "" && !isNaN(Number(value))) firstLine = Number(value);
      options.push(a);
    } else {
      rest.push(a);
    }
  }
  const arg = rest.join(" ");
  let caption: CodeCaption | undefined;
  let m: RegExpMatchArray | null;
  if ((m = arg.match(/(\S[\S\s]*)\s+(https?:\/\/\S+)\s+(.+)/i))) caption = { title: m[1], url: m[2], link: m[3] };
  else if ((m = arg.match(/(\S[\S\s]*)\s+(https?:\/\/\S+)/i))) caption = { title: m[1], url: m[2], link: "link" };
  else if ((m = arg.match(/\S[\S\s]*/))) caption = { title: m[0] };
  return { lang, caption, options, highlight, firstLine };
}

/** Hexo's caption HTML (inserted as written, like Hexo). */
export function codeCaptionHtml(c: CodeCaption): string {
  return `<span>${c.title}</span>` + (c.url ? `<a href="${c.url}">${c.link ?? "link"}</a>` : "");
}

const quote = (s: string): string => `"${s.replace(/\s+/g, " ").replace(/[\\"]/g, (ch) => "\\" + ch)}"`;

/** The fence info string for a codeblock's arguments (see the file comment). */
export function codeFenceInfo(args: readonly string[]): string {
  const { lang, caption, options } = parseCodeArgs(args);
  const attrs: string[] = [];
  if (caption) {
    attrs.push(`title=${quote(caption.title)}`);
    if (caption.url) attrs.push(`url=${quote(caption.url)}`, `link=${quote(caption.link ?? "link")}`);
  }
  attrs.push(...options);
  const first = lang.replace(/\s+/g, "") || (attrs.length ? "plaintext" : "");
  return [first, ...attrs].join(" ").trim();
}

/**
 * Put a caption into highlighted HTML that has none: after the opening `<figure …>`, or by wrapping
 * other markup in `<figure class="highlight lang">` (Hexo's layout: `<figure…><figcaption>…</figcaption><table>…`).
 */
export function withCaption(html: string, caption: string, lang: string): string {
  if (!caption || html.includes(caption)) return html;
  const m = /^\s*<figure\b[^>]*>/.exec(html);
  if (m) return m[0] + `<figcaption>${caption}</figcaption>` + html.slice(m[0].length);
  return `<figure class="highlight ${escapeHTML(lang || "plaintext")}"><figcaption>${caption}</figcaption>${html}</figure>`;
}

/** Code as HTML when the tag can't become a fence (tag not alone on its lines). */
export function renderCode(args: readonly string[], code: string, ctx: TagInvocation["ctx"]): string {
  const { lang, caption, highlight, firstLine } = parseCodeArgs(args);
  if (!highlight) return `<pre><code>${escapeHTML(code)}</code></pre>`;
  const cap = caption ? codeCaptionHtml(caption) : undefined;
  const html = ctx.highlight(code, lang, { caption: cap, firstLine });
  return cap ? withCaption(html, cap, lang) : html;
}

export const codeblockTag: TagHandler = {
  body: "code",
  fenceInfo: codeFenceInfo,
  render({ args, body, ctx }: TagInvocation): TagOutput {
    return { kind: "html", value: renderCode(args, body ?? "", ctx) };
  },
};
