// Code blocks highlighted at build time with highlight.js; pages ship no highlighter script.
//
//   ```python title="prog.py" skip      →  <pre class="code"><code class="language-python hljs">
//   print("hi")                              <span class="hljs-built_in">print</span>(…)</code></pre>
//   ```
//
// Only the first word of the info string is the language; the rest belongs to other plugins
// (the snippets plugin reads `title=…`, `skip`, …) and is never printed here. The snippets
// plugin wraps `md.renderer.rules.fence`, which this plugin sets, or calls renderHighlighted.

import { createRequire } from "node:module";
import type { HLJSApi } from "highlight.js";
import type { MarkdownIt } from "markdown-it";
import { escapeHtml } from "./escape-html.ts";

// Loaded on first use (Node keeps the module): a warm build takes every page from the render cache and never
// highlights, and highlight.js with all its languages takes a tenth of a second to load.
const requireModule = createRequire(import.meta.url);
const hljs = (): HLJSApi => requireModule("highlight.js") as HLJSApi;

// A language name that is safe and meaningful in a class attribute (`c++`, `objective-c`, `c#`).
const LANGUAGE_NAME = /^[\w#+.-]+$/;

/** The language of a fence: the first word of its (already unescaped) info string, '' if none. */
export function fenceLanguage(info: string): string {
  return info.trim().split(/\s+/, 1)[0] ?? "";
}

/**
 * Token HTML of `code` in `lang`: highlight.js spans when it knows the language, else the
 * escaped text. Braces and template tags (`{{ }}`, `{% %}`) come out verbatim.
 */
export function highlightCode(code: string, lang: string): string {
  const lib = lang ? hljs() : undefined;
  if (lib?.getLanguage(lang)) {
    try {
      return lib.highlight(code, { language: transcriptGrammar(code, lang), ignoreIllegals: true }).value;
    } catch {
      // A grammar bug must not break the build; fall back to plain text.
    }
  }
  return escapeHtml(code);
}

/**
 * A `bash`/`sh`/`zsh` block with lines that start with a `$ ` prompt is a shell transcript: highlight.js's `console` grammar
 * highlights only the commands after `$ ` and leaves their output plain (the bash grammar would colour the output).
 */
function transcriptGrammar(code: string, lang: string): string {
  return /^(?:bash|sh|zsh)$/i.test(lang) && /^\$ /m.test(code) ? "console" : lang;
}

/** A whole highlighted block: `<pre class="code"><code class="language-LANG hljs">…</code></pre>\n`. */
export function renderHighlighted(code: string, lang: string): string {
  const classes = LANGUAGE_NAME.test(lang) ? `language-${lang} hljs` : "hljs";
  return `<pre class="code"><code class="${escapeHtml(classes)}">${highlightCode(code, lang)}</code></pre>\n`;
}

/** markdown-it plugin: highlighted fences and indented code blocks. */
export function highlightPlugin(md: MarkdownIt): void {
  md.renderer.rules.fence = (tokens, idx) =>
    renderHighlighted(tokens[idx].content, fenceLanguage(md.utils.unescapeAll(tokens[idx].info)));
  // Indented code has no language; it still gets the same frame and colours.
  md.renderer.rules.code_block = (tokens, idx) => renderHighlighted(tokens[idx].content, "");
}
