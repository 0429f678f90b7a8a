// Remote images (图床, image hosts) copied into the site once, so a page still shows them when the host is gone or
// the reader is offline. Pure parts: which images of a note are remote, the file name of a copy, an image's size
// from its first bytes (a broken image with width and height keeps its space), and the page HTML with the copies.

import crypto from "node:crypto";
import type { Token } from "markdown-it";
import { escapeHtml } from "./escape-html.ts";
import { classifyImageSrc } from "./images.ts";

/** The folder of the copies in the site. */
export const REMOTE_IMAGES_DIR = "remote-images";

/** What the site has of one remote image. */
export interface LocalizedImage {
  /** The copy, relative to the site's root (`remote-images/ab12….png`); absent when it could not be fetched. */
  file?: string;
  width?: number;
  height?: number;
  /** Why there is no copy (the host's answer or the network error). */
  gone?: string;
}

/** The `src` of every remote Markdown image of a document, as rendered (normalized), each once. */
export function remoteImageSources(tokens: Token[]): string[] {
  const found = new Set<string>();
  const visit = (list: Token[]) => {
    for (const token of list) {
      if (token.type === "image") {
        const src = String(token.attrGet("src") ?? "");
        if (classifyImageSrc(src) === "remote") found.add(src.startsWith("//") ? `https:${src}` : src);
      }
      if (token.children) visit(token.children);
    }
  };
  visit(tokens);
  return [...found];
}

const EXTENSIONS: Record<string, string> = {
  "image/png": ".png",
  "image/jpeg": ".jpg",
  "image/gif": ".gif",
  "image/webp": ".webp",
  "image/avif": ".avif",
  "image/svg+xml": ".svg",
  "image/x-icon": ".ico",
  "image/vnd.microsoft.icon": ".ico",
  "image/bmp": ".bmp",
};

/** The copy's path in the site: a digest of the URL, with the extension of what the host sent. */
export function copyPath(url: string, contentType: string | undefined): string {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  const fromUrl = /\.(png|jpe?g|gif|webp|avif|svg|ico|bmp)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase().replace("jpeg", "jpg");
  const ext = EXTENSIONS[type] ?? (fromUrl ? `.${fromUrl}` : ".img");
  return `${REMOTE_IMAGES_DIR}/${crypto.createHash("sha256").update(url).digest("hex").slice(0, 20)}${ext}`;
}

/** Width and height from the first bytes of a PNG, GIF, JPEG, WebP or SVG; undefined when not found. */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47) return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b.length >= 10 && b.toString("latin1", 0, 3) === "GIF") return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    for (let i = 2; i + 9 < b.length; ) {
      if (b[i] !== 0xff) return undefined;
      const marker = b[i + 1];
      const length = b.readUInt16BE(i + 2);
      // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), hold the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      }
      i += 2 + length;
    }
    return undefined;
  }
  if (b.length >= 30 && b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP") {
    const chunk = b.toString("latin1", 12, 16);
    if (chunk === "VP8X") return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
    if (chunk === "VP8 ") return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
    if (chunk === "VP8L") {
      const bits = b.readUInt32LE(21);
      return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
    }
    return undefined;
  }
  const head = b.toString("utf8", 0, Math.min(b.length, 2048));
  const svg = /<svg\b[^>]*>/i.exec(head)?.[0];
  if (svg) {
    const number = (name: string) => Number(new RegExp(`\\s${name}\\s*=\\s*["']?([\\d.]+)(?:px)?["'\\s>]`, "i").exec(svg)?.[1]);
    const [width, height] = [number("width"), number("height")];
    if (width > 0 && height > 0) return { width: Math.round(width), height: Math.round(height) };
    const box = /\sviewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(svg);
    if (box) return { width: Math.round(Number(box[1])), height: Math.round(Number(box[2])) };
  }
  return undefined;
}

/**
 * A page's HTML with its remote images pointing at their copies (a path relative to the page, so any site root
 * works), the original URL kept in `data-remote-src` and used if the copy fails to load, and the size when known.
 * Only `<img src="…">` as the Markdown renderer writes them is touched (the src is the tag's first attribute).
 */
export function withLocalImages(html: string, pageRoute: string, images: ReadonlyMap<string, LocalizedImage>): string {
  const up = "../".repeat(pageRoute.split("/").length - 1);
  return html.replace(/<img src="([^"]*)"/g, (tag, escapedSrc: string) => {
    const src = escapedSrc.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
    const image = images.get(src.startsWith("//") ? `https:${src}` : src);
    if (!image?.file) return tag;
    const size = image.width && image.height ? ` width="${image.width}" height="${image.height}"` : "";
    return (
      `<img src="${escapeHtml(up + image.file)}" data-remote-src="${escapedSrc}"` +
      ` onerror="this.onerror=null;this.src=this.dataset.remoteSrc"${size}`
    );
  });
}
