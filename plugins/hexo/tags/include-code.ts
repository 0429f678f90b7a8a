// {% include_code [title] [lang:xx] [from:n] [to:n] path %} (also `include-code`) (§10.7).
import { posix } from "node:path";
import type { TagHandler, TagInvocation, TagOutput } from "./types.ts";
import { withCaption } from "./codeblock.ts";

/**
 * The file path under `code_dir`, normalised (`\` → `/`, leading `/` dropped as Hexo's `join` does),
 * or `undefined` when it would leave the folder (`../x`) or is empty.
 */
export function codeFilePath(path: string): string | undefined {
  if (path.includes("\0")) return undefined;
  const rel = posix.normalize(path.replace(/\\/g, "/").replace(/^\/+/, ""));
  if (rel === "" || rel === "." || rel === ".." || rel.startsWith("../") || rel.startsWith("/")) return undefined;
  return rel;
}

/** The tag shows nothing; the author gets a warning saying why. */
function nothingShown(message: string, hint?: string): TagOutput {
  return { kind: "html", value: "", problems: [{ severity: "warning", message, ...(hint === undefined ? {} : { hint }) }] };
}

export const includeCodeTag: TagHandler = {
  render({ args, ctx }: TagInvocation): TagOutput {
    let arg = args.join(" ");
    let lang = "";
    let from = 0;
    let to = Number.MAX_VALUE;
    arg = arg.replace(/\s*lang:(\w+)/i, (_, l: string) => ((lang = l), ""));
    arg = arg.replace(/\s*from:(\d+)/i, (_, f: string) => ((from = Number(f) - 1), ""));
    arg = arg.replace(/\s*to:(\d+)/i, (_, t: string) => ((to = Number(t)), ""));
    const m = /(.*)?(?:\s+|^)(\/*\S+)/.exec(arg);
    if (!m) return nothingShown("{% include_code %} without a file path: nothing is shown");
    const path = m[2];
    const rel = codeFilePath(path);
    const codeDir = (ctx.codeDir ?? "downloads/code").replace(/^\/+|\/+$/g, "");
    if (rel === undefined) {
      return nothingShown(`{% include_code ${path} %}: the path leaves ${codeDir}/, refused`, `include_code reads files below source/${codeDir}/ only.`);
    }
    const text = ctx.readCodeFile(rel);
    if (text === undefined) {
      return nothingShown(`{% include_code %}: source/${codeDir}/${rel} not found, nothing is shown`, `Put the file at source/${codeDir}/${rel} or fix the path.`);
    }
    lang = lang || posix.extname(rel).slice(1);
    const lines = text.split("\n");
    const code = lines.slice(from, to).join("\n").trim();
    const title = m[1] || posix.basename(rel);
    const caption = `<span>${title}</span><a href="${ctx.urlFor(posix.join(codeDir, rel))}">view raw</a>`;
    const html = ctx.highlight(code, lang, { caption });
    return { kind: "html", value: withCaption(html, caption, lang) };
  },
};
