// {% iframe url [width|default] [height|default] %} (§10.4).
import type { TagHandler, TagInvocation, TagOutput } from "./types.ts";
import { htmlTag } from "./util.ts";

export const iframeTag: TagHandler = {
  render({ args }: TagInvocation): TagOutput {
    const [src, w, h] = args;
    const attrs = {
      src,
      width: w && w !== "default" ? w : "100%",
      height: h && h !== "default" ? h : "300",
      frameborder: "0",
      loading: "lazy",
      allowfullscreen: true,
    };
    const problems = src ? undefined : [{ severity: "warning" as const, message: "{% iframe %} without a URL" }];
    return { kind: "html", value: htmlTag("iframe", attrs, ""), problems };
  },
};
