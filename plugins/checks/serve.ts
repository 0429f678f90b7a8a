// A small static file server for a built site (the browser crawl serves the site with it): percent-encoded URLs
// map to folders with raw UTF-8 names, `x/` serves `x/index.html`, a folder without its slash is redirected like
// GitHub Pages does, and a miss answers 404 with the site's `404.html`; a path that climbs out of the folder is a 400.
// Listens on the loopback unless told another host. With `gzip`, text is compressed as static hosts do (the search
// benchmark counts the bytes a reader downloads); with `liveReload`, pages reload when `reload()` is called
// (`npm start` serves the blog with it).
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import type { AddressInfo } from "node:net";

export interface StaticServer {
  /** `http://127.0.0.1:PORT/root/` */
  url: string;
  port: number;
  /** With `liveReload`: tells every open page to reload (after a rebuild). */
  reload(): void;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** 0 (default): any free port. */
  port?: number;
  host?: string;
  /** The path the site lives under ("/" or "/blog/"). */
  root?: string;
  /** Compress text (HTML, CSS, JS, JSON, XML, SVG) for clients that accept gzip (default false). */
  gzip?: boolean;
  /** Pages get a script that reloads them when `reload()` is called (`npm start`); default false. */
  liveReload?: boolean;
}

/** The live-reload event stream, below the site's root (never a file of the site: the name is not a Hexo route). */
const RELOAD_PATH = "__verinotes/reload";

/** The types worth gzipping (text; images other than SVG are compressed already). */
const COMPRESSIBLE = /^(text\/|application\/(json|xml)|image\/svg)/;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".py": "text/plain; charset=utf-8",
  ".sh": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".otf": "font/otf",
  ".eot": "application/vnd.ms-fontobject",
  ".wasm": "application/wasm",
  ".pdf": "application/pdf",
  ".zip": "application/zip",
};

export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}

export async function serveStatic(dir: string, options: ServeOptions = {}): Promise<StaticServer> {
  const siteDir = path.resolve(dir);
  const host = options.host ?? "127.0.0.1";
  let root = options.root ?? "/";
  if (!root.startsWith("/")) root = `/${root}`;
  if (!root.endsWith("/")) root = `${root}/`;

  const notFound = (res: http.ServerResponse, head: boolean) => {
    const page = path.join(siteDir, "404.html");
    const body = fs.existsSync(page) ? fs.readFileSync(page) : Buffer.from("404 Not Found\n");
    res.writeHead(404, { "content-type": fs.existsSync(page) ? TYPES[".html"] : TYPES[".txt"], "content-length": body.length, "cache-control": "no-store" });
    res.end(head ? undefined : body);
  };

  const listeners = new Set<http.ServerResponse>();
  const reloadScript = Buffer.from(
    `<script>new EventSource(${JSON.stringify(root + RELOAD_PATH)}).addEventListener("reload", () => location.reload());</script>`,
  );

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const head = req.method === "HEAD";
    if (req.method !== "GET" && !head) {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    } catch {
      res.writeHead(400).end();
      return;
    }
    // The URL parser already drops `..` and `%2e%2e` segments; a request that held them is refused all the same.
    if (climbs((req.url ?? "/").split(/[?#]/)[0])) {
      res.writeHead(400, { "content-type": TYPES[".txt"] }).end("bad path\n");
      return;
    }
    if (!pathname.startsWith(root)) {
      if (pathname === root.slice(0, -1)) return redirect(res, root);
      return notFound(res, head);
    }
    let rest: string;
    try {
      rest = decodeURIComponent(pathname.slice(root.length));
    } catch {
      res.writeHead(400, { "content-type": TYPES[".txt"] }).end("malformed percent-encoding\n");
      return;
    }
    if (options.liveReload && rest === RELOAD_PATH) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
      res.write(": connected\n\n");
      listeners.add(res);
      req.on("close", () => listeners.delete(res));
      return;
    }
    // A path that climbs out of the site (`/..%2f..%2fetc%2fpasswd`) or holds a NUL is a bad request, not a miss.
    if (rest.includes("\0") || rest.split(/[/\\]/).some((s) => s === "..")) {
      res.writeHead(400, { "content-type": TYPES[".txt"] }).end("bad path\n");
      return;
    }
    let file = path.join(siteDir, rest);
    if (file !== siteDir && !file.startsWith(siteDir + path.sep)) {
      res.writeHead(400, { "content-type": TYPES[".txt"] }).end("bad path\n");
      return;
    }
    let stat = statOrUndefined(file);
    if (stat?.isDirectory()) {
      if (!rest.endsWith("/") && rest !== "") return redirect(res, `${pathname}/`);
      file = path.join(file, "index.html");
      stat = statOrUndefined(file);
    }
    if (!stat?.isFile()) return notFound(res, head);
    // Pages are asked for afresh; styles, scripts, fonts and images may be reused for a few minutes, as a
    // reader's browser does (a crawl then loads each of them once, not once per page).
    const html = /\.html?$/i.test(file);
    const type = contentType(file);
    const headers = { "content-type": type, "cache-control": html ? "no-cache" : "public, max-age=600" };
    if (options.gzip && COMPRESSIBLE.test(type) && /\bgzip\b/.test(String(req.headers["accept-encoding"]))) {
      const body = zlib.gzipSync(fs.readFileSync(file));
      res.writeHead(200, { ...headers, "content-encoding": "gzip", vary: "accept-encoding", "content-length": body.length });
      res.end(head ? undefined : body);
      return;
    }
    if (options.liveReload && html) {
      const page = fs.readFileSync(file);
      const at = page.lastIndexOf("</body>");
      const body = at < 0 ? Buffer.concat([page, reloadScript]) : Buffer.concat([page.subarray(0, at), reloadScript, page.subarray(at)]);
      res.writeHead(200, { ...headers, "cache-control": "no-store", "content-length": body.length });
      res.end(head ? undefined : body);
      return;
    }
    res.writeHead(200, { ...headers, "content-length": stat.size });
    if (head) {
      res.end();
      return;
    }
    // The file may go between stat and read (a rebuild under `npm start`): end the response, keep serving.
    fs.createReadStream(file)
      .on("error", () => res.destroy())
      .pipe(res);
  };

  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      // Whatever went wrong with this request (a file removed mid-read), the server goes on answering others.
      if (!res.headersSent) res.writeHead(500, { "content-type": TYPES[".txt"] });
      res.end();
    }
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}${root}`,
    port,
    reload: () => {
      for (const listener of listeners) listener.write("event: reload\ndata: 1\n\n");
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const listener of listeners) listener.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Does a raw request path (percent-decoded, `/` or `\` separated) hold a `..` segment? */
function climbs(rawPath: string): boolean {
  let decoded = rawPath;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    // malformed: answered 400 further on
  }
  return decoded.split(/[/\\]/).some((segment) => segment === "..");
}

function redirect(res: http.ServerResponse, location: string): void {
  res.writeHead(301, { location, "content-type": TYPES[".txt"] }).end(`moved to ${location}\n`);
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
