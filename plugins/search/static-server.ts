// A minimal static file server for tests and benchmarks: serves a built site on 127.0.0.1 as a static host
// would (folder → index.html, UTF-8 paths percent-decoded, the site's 404.html for missing files).
// Not used by the plugin itself. With `gzip`, text files are compressed as static hosts do (Pagefind's own
// files are gzip already); without, byte counts are the files' own sizes.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import type { AddressInfo } from "node:net";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".wasm": "application/wasm",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** The file a request path maps to, or undefined when there is none (or the path leaves the root). */
export function fileForRequest(root: string, requestPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath.split(/[?#]/)[0]);
  } catch {
    return undefined;
  }
  const file = path.resolve(root, "." + decoded);
  if (file !== root && !file.startsWith(root + path.sep)) return undefined;
  const candidates = decoded.endsWith("/") ? [path.join(file, "index.html")] : [file, path.join(file, "index.html")];
  return candidates.find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

export function serveStatic(dir: string, { port = 0, gzip = false }: { port?: number; gzip?: boolean } = {}): Promise<StaticServer> {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const file = fileForRequest(root, req.url ?? "/");
    const notFound = path.join(root, "404.html");
    const type = contentTypes[path.extname(file ?? notFound).toLowerCase()] ?? "application/octet-stream";
    let body = file ? fs.readFileSync(file) : fs.existsSync(notFound) ? fs.readFileSync(notFound) : Buffer.from("not found");
    const compress = gzip && /^(text\/|application\/(json|xml)|image\/svg)/.test(type) && /\bgzip\b/.test(String(req.headers["accept-encoding"]));
    if (compress) body = zlib.gzipSync(body);
    res.writeHead(file ? 200 : 404, {
      "content-type": type,
      "content-length": body.length,
      "cache-control": "no-cache",
      ...(compress ? { "content-encoding": "gzip", vary: "accept-encoding" } : {}),
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${actual}`,
        // Browsers keep connections alive; end them, or close() waits for them to time out.
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}
