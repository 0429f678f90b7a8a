// {% asset_path name %}, {% asset_link name [text…] [escape] %}, {% asset_img [class…] name [w] [h] [meta] %} (§10.9).
import type { TagHandler, TagInvocation, TagOutput, TagProblem } from "./types.ts";
import { renderImg } from "./img.ts";
import { encodeURL, escapeHTML, popEscapeFlag } from "./util.ts";

const missing = (tag: string, name: string | undefined): TagProblem => ({
  severity: "warning",
  message: name
    ? `{% ${tag} ${name} %}: the note has no asset "${name}"; nothing is shown`
    : `{% ${tag} %} without an asset name`,
  hint: "Post assets live in the folder named like the note (source/_posts/<note>/), with post_asset_folder: true.",
});

export const assetPathTag: TagHandler = {
  render({ args, ctx }: TagInvocation): TagOutput {
    const url = args[0] ? ctx.assetUrl(args[0]) : undefined;
    if (url === undefined) return { kind: "text", value: "", problems: [missing("asset_path", args[0])] };
    return { kind: "text", value: encodeURL(url) };
  },
};

export const assetLinkTag: TagHandler = {
  render({ args, ctx }: TagInvocation): TagOutput {
    const name = args[0];
    const url = name ? ctx.assetUrl(name) : undefined;
    if (url === undefined) return { kind: "html", value: "", problems: [missing("asset_link", name)] };
    const [rest, escape] = popEscapeFlag(args.slice(1));
    let title = rest.length ? rest.join(" ") : name;
    const attrTitle = escapeHTML(title);
    if (escape) title = attrTitle;
    return { kind: "html", value: `<a href="${encodeURL(url)}" title="${attrTitle}">${title}</a>` };
  },
};

export const assetImgTag: TagHandler = {
  render({ args, ctx }: TagInvocation): TagOutput {
    for (let i = 0; i < args.length; i++) {
      const url = ctx.assetUrl(args[i]);
      if (url === undefined) continue;
      const html = renderImg(
        args,
        (src, index) => (index === i ? encodeURL(url) : ctx.urlFor(src)),
        (_, index) => index === i,
      );
      return { kind: "html", value: html };
    }
    const names = args.filter((a) => !/^\d+$/.test(a));
    return { kind: "html", value: "", problems: [missing("asset_img", names.join(" ") || undefined)] };
  },
};
