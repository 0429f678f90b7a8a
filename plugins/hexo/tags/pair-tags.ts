// Pairing the tags of a note as Hexo pairs them, on the text: `{% name %}` with the next `{% endname %}`, an
// unknown tag a block when its end tag comes later, code/raw bodies opaque.
import type { ClassifyTag, TagNode, TagToken } from "./scan.ts";

/**
 * Drops the tokens of tag-line code blocks that do not pair: an end tag with no open tag of its name before it, an
 * opening tag with no end tag of its name after it. Those stay code.
 */
export function pairedOnly(tokens: readonly TagToken[], classify: ClassifyTag): TagToken[] {
  if (!tokens.some((t) => t.ifPaired)) return [...tokens];
  return tokens.filter((t, k) => {
    if (!t.ifPaired) return true;
    const cls = classify(t.name);
    if (t.kind === "end") return tokens.slice(0, k).some((o) => o.kind === "tag" && o.name === t.name);
    if (cls === "inline" || cls === "text") return false;
    return tokens.slice(k + 1).some((o) => o.kind === "end" && o.name === t.name);
  });
}

export function pairTokens(tokens: readonly TagToken[], classify: ClassifyTag): TagNode[] {
  const root: TagNode[] = [];
  const stack: TagNode[] = [];
  const container = (): TagNode[] => (stack.length ? stack[stack.length - 1].children : root);
  // Hexo: an unknown tag is a block tag when its end tag occurs later in the note.
  const lastEnd = new Map<string, number>();
  for (const t of tokens) if (t.kind === "end") lastEnd.set(t.name, t.start);

  const node = (t: TagToken, type: TagNode["type"]): TagNode => ({
    name: t.name,
    args: t.args,
    type,
    class: t.kind === "tag" ? classify(t.name) : undefined,
    open: t,
    children: [],
    start: t.start,
    end: t.end,
  });
  const closeNode = (n: TagNode, close: TagToken): void => {
    n.type = "block";
    n.close = close;
    n.end = close.end;
    n.bodyStart = n.open.end;
    n.bodyEnd = close.start;
  };

  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === "end") {
      let idx = -1;
      for (let s = stack.length - 1; s >= 0; s--) {
        if (stack[s].name === t.name) {
          idx = s;
          break;
        }
      }
      if (idx === -1) {
        container().push(node(t, "stray-end"));
        continue;
      }
      while (stack.length - 1 > idx) stack.pop()!.type = "unclosed";
      closeNode(stack.pop()!, t);
      continue;
    }
    const cls = classify(t.name);
    if (cls === "code" || cls === "raw") {
      const n = node(t, "unclosed");
      const next = tokens[k + 1];
      if (next && next.kind === "end" && next.name === t.name) {
        closeNode(n, next);
        k++;
      }
      container().push(n);
      continue;
    }
    const later = lastEnd.get(t.name);
    const isBlock = cls === "block" || (cls === undefined && later !== undefined && later > t.start);
    const n = node(t, isBlock ? "unclosed" : "inline");
    container().push(n);
    if (isBlock) stack.push(n);
  }
  // still open: unclosed (type already says so)
  return root;
}
