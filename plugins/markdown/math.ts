// Math rendered at build time with KaTeX: `$…$` inline, `$$…$$` display (see the two rule
// files for what counts as math). Pages need only KaTeX's CSS and fonts, no script.

import { createRequire } from "node:module";
import path from "node:path";
import type KaTeX from "katex";
import type { MarkdownIt, RendererRule } from "markdown-it";
import { escapeHtml } from "./escape-html.ts";
import { mathBlockRule } from "./math-block-rule.ts";
import { mathInlineRule } from "./math-inline-rule.ts";

const requireModule = createRequire(import.meta.url);

/** Folder holding `katex.min.css` and `fonts/`, for the site to copy next to its pages. */
export const katexAssetsDir: string = path.dirname(requireModule.resolve("katex"));

// Loaded on first use (Node keeps the module): a warm build renders no math.
const katex = (): typeof KaTeX => requireModule("katex") as typeof KaTeX;

/** KaTeX HTML (+ MathML for screen readers) of one formula; bad TeX shows as red source, never throws. */
export function renderMath(tex: string, displayMode: boolean): string {
  try {
    return katex().renderToString(tex, {
      displayMode,
      throwOnError: false,
      output: "htmlAndMathml",
      // Notes put CJK text inside math; KaTeX renders it fine, so don't warn on every build.
      strict: "ignore",
    });
  } catch (error) {
    // throwOnError only covers parse errors; anything else still must not break the build.
    const message = error instanceof Error ? error.message : String(error);
    return `<code class="math-error" title="${escapeHtml(message)}">${escapeHtml(tex)}</code>`;
  }
}

const renderMathInline: RendererRule = (tokens, idx) => {
  const token = tokens[idx];
  return renderMath(token.content, token.markup === "$$");
};

const renderMathBlock: RendererRule = (tokens, idx) =>
  `<div class="math-display">${renderMath(tokens[idx].content, true)}</div>\n`;

/** markdown-it plugin: `$…$` / `$$…$$` math as KaTeX HTML. */
export function mathPlugin(md: MarkdownIt): void {
  md.inline.ruler.after("escape", "math_inline", mathInlineRule);
  md.block.ruler.before("fence", "math_block", mathBlockRule, {
    alt: ["paragraph", "reference", "blockquote", "list"],
  });
  md.renderer.rules.math_inline = renderMathInline;
  md.renderer.rules.math_block = renderMathBlock;
}
