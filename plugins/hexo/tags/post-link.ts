// {% post_path slug|title %} and {% post_link slug[#hash]|title [text…] [escape:true|false] %} (§10.8).
import type { TagHandler, TagInvocation, TagOutput, TagPostRef, TagContext } from "./types.ts";
import { encodeURL, escapeHTML, popEscapeFlag } from "./util.ts";

/** Hexo 8: `slug#hash` (exactly one `#`) links to a heading; a title containing `#` is still found whole. */
function lookup(ctx: TagContext, target: string): { post: TagPostRef; hash: string } | undefined {
  const parts = target.split("#");
  if (parts.length === 2) {
    const post = ctx.findPost(parts[0]);
    if (post) return { post, hash: parts[1] };
  }
  const post = ctx.findPost(target);
  return post ? { post, hash: "" } : undefined;
}

const withHash = (url: string, hash: string): string => (hash ? url + encodeURL("#" + hash) : url);

export const postPathTag: TagHandler = {
  render({ args, ctx }: TagInvocation): TagOutput {
    const target = args[0];
    const found = target ? lookup(ctx, target) : undefined;
    if (!found) {
      return {
        kind: "text",
        value: "",
        problems: [
          {
            severity: "warning",
            message: `{% post_path ${target ?? ""} %}: no post with that slug or title; the URL is empty`,
            hint: "The slug is the file path under source/_posts without .md (e.g. lorem/hello-world).",
          },
        ],
      };
    }
    return { kind: "text", value: withHash(found.post.url, found.hash) };
  },
};

export const postLinkTag: TagHandler = {
  render({ args, ctx }: TagInvocation): TagOutput {
    const [rest, escape] = popEscapeFlag(args.slice(1));
    const target = args[0];
    const found = target ? lookup(ctx, target) : undefined;
    if (!found) {
      const text = rest.length ? rest.join(" ") : (target ?? "");
      return {
        kind: "html",
        value: escape ? escapeHTML(text) : text,
        problems: [
          {
            severity: "error",
            message: target
              ? `Post not found: post_link ${target}. It is shown as plain text.`
              : "{% post_link %} without a slug",
            hint: "The slug is the file path under source/_posts without .md (e.g. lorem/hello-world), or the post's exact title.",
          },
        ],
      };
    }
    const { post, hash } = found;
    const realTitle = post.title || post.slug || target;
    let text = rest.length ? rest.join(" ") : realTitle;
    if (escape) text = escapeHTML(text);
    return {
      kind: "html",
      value: `<a href="${withHash(post.url, hash)}" title="${escapeHTML(realTitle)}">${text}</a>`,
    };
  },
};
