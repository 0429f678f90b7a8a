// {% url_for text path [relative] %} and {% full_url_for text path %} (§10.10).
import type { TagHandler, TagInvocation, TagOutput } from "./types.ts";
import { htmlTag } from "./util.ts";

export const urlForTag: TagHandler = {
  render({ args, ctx }: TagInvocation): TagOutput {
    const [text, path, relative] = args;
    const href = ctx.urlFor(path ?? "/", relative ? relative !== "false" : undefined);
    return { kind: "html", value: htmlTag("a", { href }, text ?? "") };
  },
};

export const fullUrlForTag: TagHandler = {
  render({ args, ctx }: TagInvocation): TagOutput {
    const [text, path] = args;
    return { kind: "html", value: htmlTag("a", { href: ctx.fullUrlFor(path ?? "/") }, text ?? "") };
  },
};
