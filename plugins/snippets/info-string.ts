// Parses a fence info string (§2): `python title="prog.py" skip timeout=30 {.cls key=v} [name]`.
import type { InfoString } from "./types.ts";

/** Keys the verifier reads. */
export const KNOWN_KEYS = new Set(["title", "file", "filename", "timeout", "session", "exit"]);
/** Bare flags the verifier reads. */
export const KNOWN_FLAGS = new Set(["skip", "norun", "nocheck", "run", "strict"]);
/** Display attributes of Hexo, VitePress and markdown-it plugins: accepted silently, not used here. */
const DISPLAY_KEYS = new Set([
  "highlight",
  "mark",
  "line_number",
  "first_line",
  "wrap",
  "url",
  "link_text",
  "caption",
  "linenos",
  "hl_lines",
  "lang",
]);

const ALIASES: Record<string, string> = {
  py: "python",
  py3: "python",
  python3: "python",
  pycon: "python",
  ipython: "python",
  ipython3: "python",
  "c++": "cpp",
  cc: "cpp",
  cxx: "cpp",
  hpp: "cpp",
  h: "c",
  yml: "yaml",
  js: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  node: "javascript",
  jsx: "javascript",
  ts: "typescript",
  mts: "typescript",
  "shell-session": "console",
  shellsession: "console",
  terminal: "console",
  txt: "text",
  plaintext: "text",
  plain: "text",
  jsonc: "json",
};

/** Extensions that identify a language when the "language word" is a file name (```settings.json). */
const EXT_LANG: Record<string, string> = {
  py: "python",
  sh: "bash",
  bash: "bash",
  js: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  ts: "typescript",
  json: "json",
  yaml: "yaml",
  yml: "yaml",
  c: "c",
  cpp: "cpp",
  cc: "cpp",
  txt: "text",
};

export function canonicalLang(word: string): string {
  const w = word.toLowerCase();
  return ALIASES[w] ?? w;
}

/** Splits `s` into tokens: words, `key=value` with quoted values, `{…}` groups and `[…]` names. */
function tokenize(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    let j = i;
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      let q: string | null = null;
      j++;
      while (j < s.length && (q !== null || s[j] !== close)) {
        if (q !== null) {
          if (s[j] === "\\") j++;
          else if (s[j] === q) q = null;
        } else if (s[j] === '"' || s[j] === "'") q = s[j];
        j++;
      }
      out.push(s.slice(i, Math.min(j + 1, s.length)));
      i = j + 1;
      continue;
    }
    let q: string | null = null;
    while (j < s.length) {
      const d = s[j];
      if (q !== null) {
        if (d === "\\") j++;
        else if (d === q) q = null;
      } else if (d === '"' || d === "'") q = d;
      else if (/\s/.test(d) || d === "{" || (d === "[" && j > i && s[j - 1] !== "=")) break;
      j++;
    }
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) {
    return v.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return v;
}

export function parseInfoString(info: string): InfoString {
  const text = info.trim();
  const attrs: Record<string, string> = {};
  const flags: string[] = [];
  const unknownKeys: string[] = [];
  let rawLang = "";
  let name: string | undefined;
  const tokens = tokenize(text);
  let first = true;

  const addPair = (tok: string): boolean => {
    const eq = tok.indexOf("=");
    if (eq <= 0) return false;
    const key = tok.slice(0, eq).toLowerCase();
    if (!/^[a-z_][\w-]*$/.test(key)) return false;
    attrs[key] = unquote(tok.slice(eq + 1));
    if (!KNOWN_KEYS.has(key) && !DISPLAY_KEYS.has(key)) unknownKeys.push(key);
    return true;
  };
  const addFlag = (tok: string) => {
    const f = tok.toLowerCase();
    flags.push(f);
    if (!KNOWN_FLAGS.has(f)) unknownKeys.push(tok);
  };

  for (const tok of tokens) {
    if (tok.startsWith("{")) {
      const inner = tok.slice(1, tok.endsWith("}") ? -1 : undefined).trim();
      if (/^[\d,\s-]*$/.test(inner)) {
        // VitePress line highlights: ```js{1,4-6}
        if (inner) attrs.highlight = inner.replace(/\s+/g, "");
      } else {
        for (const t of tokenize(inner)) {
          if (t.startsWith(".")) {
            if (!rawLang) rawLang = t.slice(1);
          } else if (t.startsWith("#")) {
            attrs.id = t.slice(1);
          } else if (!addPair(t)) addFlag(t);
        }
      }
      first = false;
      continue;
    }
    if (tok.startsWith("[") && tok.endsWith("]") && tok.length > 2) {
      name = tok.slice(1, -1).trim();
      first = false;
      continue;
    }
    if (first) {
      first = false;
      if (!tok.includes("=") || tok.startsWith("=")) {
        rawLang = tok;
        continue;
      }
    }
    if (!addPair(tok)) addFlag(tok);
  }

  let lang = canonicalLang(rawLang);
  // ```settings.json: the language word is a file name.
  if (!name && /^[\w][\w.-]*\.[a-z0-9]+$/i.test(rawLang)) {
    const ext = rawLang.slice(rawLang.lastIndexOf(".") + 1).toLowerCase();
    if (EXT_LANG[ext]) {
      name = rawLang;
      lang = EXT_LANG[ext];
    }
  }
  const title = attrs.title ?? attrs.file ?? attrs.filename;
  if (title !== undefined) name = title;
  return { rawLang, lang, attrs, flags, unknownKeys, name };
}

/** Removes the verifier's attributes from an info string, leaving what the page should show (§2). */
export function displayLang(info: InfoString): string {
  return info.rawLang;
}
