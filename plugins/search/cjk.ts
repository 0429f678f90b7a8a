// Chinese and Japanese text split one character per word for the index (see `splitCjk` in options.ts).
// Pagefind splits words at spaces; a space between two CJK characters makes each its own word, and the browser
// script splits a query the same way, so a quoted query matches exactly the notes containing that substring.
// `layouts/assets/search.js` has the same rule for queries and removes the spaces again from excerpts.

const cjkPair = /([\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])(?=[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])/gu;

/** `注意力机制` → `注 意 力 机 制`; other text is left as it is. */
export function splitCjkText(text: string): string {
  return text.replace(cjkPair, "$1 ");
}

// A tag (attribute values may hold `>`), a comment, or a script/style element with its content: never text.
const markup = /(<!--[\s\S]*?-->|<(script|style)\b(?:[^>"']|"[^"]*"|'[^']*')*>[\s\S]*?<\/\2\s*>|<\/?[a-zA-Z!?](?:[^>"']|"[^"]*"|'[^']*')*>)/;

/** Splits the CJK text of an HTML page, leaving tags, attribute values, comments, scripts and styles untouched. */
export function splitCjkInHtml(html: string): string {
  const parts = html.split(markup);
  let out = "";
  // split() with two capture groups yields [text, markup, scriptOrStyleName, text, markup, name, …].
  for (let i = 0; i < parts.length; i += 3) {
    out += splitCjkText(parts[i] ?? "");
    if (i + 1 < parts.length) out += parts[i + 1];
  }
  return out;
}
