// What a page links to and which fragments it can be the target of, read with a real HTML parser
// (htmlparser2, streaming: no tree is built). Also the URLs of feeds and sitemaps (XML mode).
import { Parser, Tokenizer } from "htmlparser2";

/** One URL as written in a document (entities decoded, as a browser reads the attribute). */
export interface LinkRef {
  /** The URL as written. For `srcset`, one candidate URL of the set. */
  href: string;
  /** Element and attribute it came from, e.g. `a[href]`, `img[srcset]`, `loc`. */
  where: string;
}

export interface PageFacts {
  links: LinkRef[];
  /** Every `id` and every `<a name>`: the fragments that find an element (HTML §7.4.6.3). */
  anchors: Set<string>;
  /** `<base href>`, when the page has one (it changes what relative URLs resolve against). */
  base?: string;
  /** `<link rel=canonical href>`. */
  canonical?: string;
}

/** Elements whose attribute holds one URL to check (`<a href>`, `<img src>` …). */
const URL_ATTRIBUTES: Record<string, readonly string[]> = {
  a: ["href"],
  area: ["href"],
  link: ["href"],
  img: ["src"],
  script: ["src"],
  iframe: ["src"],
  frame: ["src"],
  embed: ["src"],
  source: ["src"],
  track: ["src"],
  audio: ["src"],
  video: ["src", "poster"],
  object: ["data"],
  input: ["src"],
};
const SRCSET_ELEMENTS = new Set(["img", "source"]);
/** `a[href]`, `img[src]` …: made once, not per link. */
const WHERE: Record<string, Record<string, string>> = Object.fromEntries(
  Object.entries(URL_ATTRIBUTES).map(([el, attrs]) => [el, Object.fromEntries([...attrs, "srcset"].map((a) => [a, `${el}[${a}]`]))]),
);
/** `<link rel>` values that name an origin to warm up, not a resource. */
const LINK_RELS_NOT_RESOURCES = new Set(["preconnect", "dns-prefetch"]);

/** Attributes read at all (any other attribute is skipped without being sliced out of the text). */
const READ_ATTRIBUTES = ["id", "name", "href", "src", "srcset", "poster", "data", "rel", "http-equiv", "content"];
/** Elements whose attributes are read beyond `id`; `svg` and `math` are tracked for the tokenizer. */
const READ_ELEMENTS = [...Object.keys(URL_ATTRIBUTES), "base", "meta", "svg", "math", "image"];

/** Matches `text[start, end)` case-insensitively against ASCII lower-case names, without allocating. */
function nameMatcher(names: string[]): (text: string, start: number, end: number) => string | undefined {
  const byLength: string[][] = [];
  for (const name of names) (byLength[name.length] ??= []).push(name);
  return (text, start, end) => {
    const candidates = byLength[end - start];
    if (!candidates) return undefined;
    outer: for (const name of candidates) {
      for (let i = 0; i < name.length; i++) {
        let c = text.charCodeAt(start + i);
        if (c >= 65 && c <= 90) c += 32;
        if (c !== name.charCodeAt(i)) continue outer;
      }
      return name;
    }
    return undefined;
  };
}
const matchAttribute = nameMatcher(READ_ATTRIBUTES);
const matchElement = nameMatcher(READ_ELEMENTS);

/** What one start tag adds to a page's facts: `name=` anchors, `<base>`, refresh URLs, canonical, URL attributes. */
function collectTag(facts: PageFacts, name: string, attribs: Record<string, string>): void {
  const { links, anchors } = facts;
  if (name === "a" && attribs.name !== undefined && attribs.name !== "") anchors.add(attribs.name);
  if (name === "base") {
    if (facts.base === undefined && attribs.href !== undefined) facts.base = attribs.href;
    return;
  }
  if (name === "meta") {
    const refresh = attribs["http-equiv"];
    if (refresh && refresh.toLowerCase() === "refresh" && attribs.content) {
      const url = refreshUrl(attribs.content);
      if (url) links.push({ href: url, where: "meta[http-equiv=refresh]" });
    }
    return;
  }
  const urlAttrs = URL_ATTRIBUTES[name];
  if (!urlAttrs) return;
  if (name === "link") {
    const rels = (attribs.rel ?? "").toLowerCase().split(/\s+/).filter(Boolean);
    if (rels.some((r) => LINK_RELS_NOT_RESOURCES.has(r))) return;
    if (rels.includes("canonical") && facts.canonical === undefined && attribs.href !== undefined) facts.canonical = attribs.href;
  }
  for (const attr of urlAttrs) {
    const value = attribs[attr];
    if (value !== undefined) links.push({ href: value.trim(), where: WHERE[name][attr] });
  }
  if (SRCSET_ELEMENTS.has(name) && attribs.srcset !== undefined) {
    for (const url of parseSrcset(attribs.srcset)) links.push({ href: url, where: WHERE[name].srcset });
  }
}

/**
 * Parses one HTML document with htmlparser2's HTML tokenizer (states, raw-text elements such as `<script>`,
 * comments, CDATA in foreign content, character references in attributes), driving it directly: only the
 * elements and attributes that matter are taken out of the text, so a page costs little more than one pass
 * over it. `extractPageWithParser` gives the same facts through htmlparser2's `Parser` (the tests compare them).
 */
export function extractPage(html: string | Uint8Array): PageFacts {
  // Bytes (a file as read) are tokenized as Latin-1 text: one byte per character, which V8 stores and scans
  // faster than the two-byte strings Chinese pages decode to. Every character the tokenizer acts on is ASCII,
  // and UTF-8 never uses ASCII bytes inside a multi-byte character, so tags and attributes are found exactly;
  // the attribute values kept are decoded from UTF-8 (a value's runs of text never split a character: they end
  // only at ASCII quotes, spaces or `&`).
  const bytes = typeof html !== "string";
  const text = typeof html === "string" ? html : Buffer.from(html.buffer, html.byteOffset, html.byteLength).toString("latin1");
  const slice = bytes ? (start: number, end: number) => fromLatin1(text.slice(start, end)) : (start: number, end: number) => text.slice(start, end);
  const facts: PageFacts = { links: [], anchors: new Set<string>(), base: undefined, canonical: undefined };
  const { anchors } = facts;

  /** The current element when its attributes are read ("" for any other element: only its `id` counts). */
  let tag = "";
  /** Attributes of a read element, first of each name wins. */
  let attrs: Record<string, string> | undefined;
  let id: string | undefined;
  let attrName: string | undefined;
  let attrValue = "";
  let foreignDepth = 0;
  let opensForeign = false;

  const onTag = (name: string, attribs: Record<string, string>) => collectTag(facts, name, attribs);
  const emit = () => {
    if (id !== undefined && id !== "") anchors.add(id);
    if (attrs) onTag(tag, attrs);
    tag = "";
    attrs = undefined;
    id = undefined;
  };

  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: true },
    {
      onopentagname(start, end) {
        let name = matchElement(text, start, end) ?? "";
        if (name === "image") name = foreignDepth === 0 ? "img" : "";
        opensForeign = name === "svg" || name === "math";
        if (opensForeign) {
          foreignDepth++;
          name = "";
        }
        tag = name;
        attrs = name ? {} : undefined;
        id = undefined;
      },
      onattribname(start, end) {
        attrName = undefined;
        const name = matchAttribute(text, start, end);
        if (name === undefined) return;
        if (name === "id" ? id !== undefined : !attrs || name in attrs) return;
        attrName = name;
        attrValue = "";
      },
      onattribdata(start, end) {
        if (attrName !== undefined) attrValue += slice(start, end);
      },
      onattribentity(codepoint) {
        if (attrName !== undefined) attrValue += String.fromCodePoint(codepoint);
      },
      onattribend() {
        if (attrName === "id") id = attrValue;
        else if (attrName !== undefined) attrs![attrName] = attrValue;
        attrName = undefined;
      },
      onopentagend() {
        emit();
      },
      onselfclosingtag() {
        // `<svg/>`: the foreign element closes at once.
        if (opensForeign) foreignDepth--;
        emit();
      },
      onclosetag(start, end) {
        if (foreignDepth > 0 && (end - start === 3 || end - start === 4)) {
          const name = matchElement(text, start, end);
          if (name === "svg" || name === "math") foreignDepth--;
        }
      },
      isInForeignContext() {
        return foreignDepth > 0;
      },
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onend() {},
      onprocessinginstruction() {},
      ontext() {},
      ontextentity() {},
    },
  );
  tokenizer.write(text);
  tokenizer.end();
  return facts;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** UTF-8 bytes held as Latin-1 characters → the text they encode. */
function fromLatin1(s: string): string {
  return NON_ASCII.test(s) ? Buffer.from(s, "latin1").toString("utf8") : s;
}

/** The same facts through htmlparser2's `Parser` (a reference for `extractPage`; slower). */
export function extractPageWithParser(html: string): PageFacts {
  const facts: PageFacts = { links: [], anchors: new Set<string>(), base: undefined, canonical: undefined };
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const id = attribs.id;
        if (id !== undefined && id !== "") facts.anchors.add(id);
        collectTag(facts, name, attribs);
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return facts;
}

/** The URLs of a `srcset` ("a.png 1x, b.png 2x", "c.png 480w"), as the HTML spec splits candidates. */
export function parseSrcset(value: string): string[] {
  const urls: string[] = [];
  let i = 0;
  const n = value.length;
  const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f";
  while (i < n) {
    while (i < n && (isSpace(value[i]) || value[i] === ",")) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(value[i])) i++;
    let url = value.slice(start, i);
    // A URL that ends with commas ends the candidate there (no descriptors follow).
    if (url.endsWith(",")) {
      url = url.replace(/,+$/, "");
      if (url) urls.push(url);
      continue;
    }
    if (url) urls.push(url);
    // Skip the descriptors up to the next comma outside parentheses.
    let depth = 0;
    while (i < n) {
      const c = value[i];
      if (c === "(") depth++;
      else if (c === ")") depth = Math.max(0, depth - 1);
      else if (c === "," && depth === 0) break;
      i++;
    }
  }
  return urls;
}

/** `<meta http-equiv=refresh content="0; url=/x/">` → `/x/`. */
function refreshUrl(content: string): string | undefined {
  const m = /^\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?(.*)$/i.exec(content);
  if (!m) return undefined;
  let url = m[1].trim();
  if ((url.startsWith("'") && url.endsWith("'")) || (url.startsWith('"') && url.endsWith('"'))) url = url.slice(1, -1);
  return url || undefined;
}

export type XmlKind = "sitemap" | "feed" | "other";

export interface XmlFacts {
  kind: XmlKind;
  links: LinkRef[];
}

/**
 * The URLs of a feed (Atom `<link href>`, `<icon>`, `<logo>`, `<content src>`; RSS `<link>`, `<enclosure url>`)
 * or a sitemap (`<loc>`, `<xhtml:link href>`). Other XML documents give no links.
 */
export function extractXml(xml: string): XmlFacts {
  const links: LinkRef[] = [];
  let kind: XmlKind | undefined;
  const stack: string[] = [];
  let text = "";
  const textElements = new Set(["loc", "icon", "logo", "image:loc"]);
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const local = name.toLowerCase();
        if (kind === undefined) kind = local === "urlset" || local === "sitemapindex" ? "sitemap" : local === "feed" || local === "rss" ? "feed" : "other";
        stack.push(local);
        text = "";
        if (kind === "other") return;
        if (kind === "feed" && local === "link" && attribs.href !== undefined) links.push({ href: attribs.href.trim(), where: "link[href]" });
        else if (kind === "feed" && local === "content" && attribs.src !== undefined) links.push({ href: attribs.src.trim(), where: "content[src]" });
        else if (kind === "feed" && local === "enclosure" && attribs.url !== undefined) links.push({ href: attribs.url.trim(), where: "enclosure[url]" });
        else if (kind === "sitemap" && local === "xhtml:link" && attribs.href !== undefined) links.push({ href: attribs.href.trim(), where: "xhtml:link[href]" });
      },
      ontext(data) {
        text += data;
      },
      onclosetag(name) {
        const local = name.toLowerCase();
        stack.pop();
        if (kind === "other" || kind === undefined) return;
        const value = text.trim();
        text = "";
        if (!value) return;
        if (textElements.has(local)) links.push({ href: value, where: local });
        // RSS 2.0: <channel><link> and <item><link> hold the URL as text (Atom's <link> is empty).
        else if (local === "link" && stack[0] === "rss") links.push({ href: value, where: "link" });
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(xml);
  return { kind: kind ?? "other", links };
}
