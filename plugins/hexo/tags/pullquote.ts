// {% pullquote [class…] %}…{% endpullquote %} (§10.2).
import type { TagHandler, TagInvocation, TagOutput } from "./types.ts";

export const pullquoteTag: TagHandler = {
  body: "markdown",
  render({ args, body, ctx }: TagInvocation): TagOutput {
    const cls = ["pullquote", ...args].join(" ");
    return { kind: "html", value: `<blockquote class="${cls}">${ctx.renderMarkdown(body ?? "")}</blockquote>` };
  },
};
