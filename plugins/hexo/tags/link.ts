// {% link text… url [external:true|false] [title…] %} and its aliases `a`, `anchor` (§10.6).
import type { TagHandler, TagInvocation, TagOutput, TagProblem } from "./types.ts";
import { htmlTag, isHexoUrl } from "./util.ts";

export const linkTag: TagHandler = {
  render({ args, ctx }: TagInvocation): TagOutput {
    const problems: TagProblem[] = [];
    let i = args.findIndex((a) => isHexoUrl(a));
    let url = i === -1 ? "" : args[i];
    if (i === -1) {
      // Hexo finds no URL in `{% link Home /about/ %}` and makes `href=""`; Verinotes links the site path.
      i = args.findIndex((a) => a.startsWith("/"));
      if (i !== -1) url = ctx.urlFor(args[i]);
      else {
        i = args.length;
        problems.push({
          severity: "warning",
          message: "{% link %} has no URL: it renders as a link to nowhere (href=\"\")",
          hint: "Write {% link text https://example.com %} or a Markdown link [text](url).",
        });
      }
    }
    const text = args.slice(0, i);
    const after = args.slice(i + 1);
    let external = false;
    let title = "";
    if (after.length) {
      if (after[0] === "true" || after[0] === "false") external = after.shift() === "true";
      title = after.join(" ");
    }
    const html = htmlTag("a", { href: url, title, target: external ? "_blank" : "" }, text.join(" "));
    return { kind: "html", value: html, problems: problems.length ? problems : undefined };
  },
};
