// A static file server for a built site (the browser crawl serves the site with it, `npm start` the blog): a request
// is resolved here, and the file sent by sirv (type, length, dates, ranges). Percent-encoded URLs map to folders with
// raw UTF-8 names, `x/` serves `x/index.html`, a folder without its slash is redirected like GitHub Pages does, and
// a miss answers 404 with the site's `404.html`; a path that climbs out of the folder is a 400. Listens on the
// loopback unless told another host. With `gzip`, text is compressed as static hosts do (the search benchmark counts
// the bytes a reader downloads); with `liveReload`, pages reload when `reload()` is called.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import type { AddressInfo } from "node:net";
import { lookup } from "mrmime";
import sirv from "sirv";

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

/** Note code mrmime (sirv's types) does not type as text: `.py` and `.sh` it does not know, `.ts` it calls video. */
const NOTE_CODE = /\.(py|sh|ts)$/i;

/** The type a file is sent with: mrmime's, with the charset of a text type (everything the site writes is UTF-8). */
export function contentType(file: string): string {
  const type = NOTE_CODE.test(file) ? "text/plain" : (lookup(file) ?? "application/octet-stream");
  return /^text\/|^application\/(json|xml|manifest\+json)$/.test(type) ? `${type}; charset=utf-8` : type;
}

const TEXT = contentType(".txt");
const HTML = contentType(".html");

export async function serveStatic(dir: string, options: ServeOptions = {}): Promise<StaticServer> {
  const siteDir = path.resolve(dir);
  const host = options.host ?? "127.0.0.1";
  let root = options.root ?? "/";
  if (!root.startsWith("/")) root = `/${root}`;
  if (!root.endsWith("/")) root = `${root}/`;

  const notFound = (res: http.ServerResponse, head: boolean) => {
    const page = path.join(siteDir, "404.html");
    const body = fs.existsSync(page) ? fs.readFileSync(page) : Buffer.from("404 Not Found\n");
    res.writeHead(404, { "content-type": fs.existsSync(page) ? HTML : TEXT, "content-length": body.length, "cache-control": "no-store" });
    res.end(head ? undefined : body);
  };

  // Looks the file up at each request (`dev`: a rebuild under `npm start` changes the folder) and sends it. Pages are
  // asked for afresh; styles, scripts, fonts and images may be reused for a few minutes, as a reader's browser does
  // (a crawl then loads each of them once, not once per page).
  const sendFile = sirv(siteDir, {
    dev: true,
    dotfiles: true,
    extensions: [],
    setHeaders: (res, pathname) => {
      res.setHeader("content-type", contentType(pathname));
      res.setHeader("cache-control", /\.html?$/i.test(pathname) ? "no-cache" : "public, max-age=600");
    },
  });

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
      res.writeHead(400, { "content-type": TEXT }).end("bad path\n");
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
      res.writeHead(400, { "content-type": TEXT }).end("malformed percent-encoding\n");
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
      res.writeHead(400, { "content-type": TEXT }).end("bad path\n");
      return;
    }
    let file = path.join(siteDir, rest);
    if (file !== siteDir && !file.startsWith(siteDir + path.sep)) {
      res.writeHead(400, { "content-type": TEXT }).end("bad path\n");
      return;
    }
    let stat = statOrUndefined(file);
    if (stat?.isDirectory()) {
      if (!rest.endsWith("/") && rest !== "") return redirect(res, `${pathname}/`);
      file = path.join(file, "index.html");
      stat = statOrUndefined(file);
    }
    if (!stat?.isFile()) return notFound(res, head);
    const html = /\.html?$/i.test(file);
    const type = contentType(file);
    if (options.gzip && COMPRESSIBLE.test(type) && /\bgzip\b/.test(String(req.headers["accept-encoding"]))) {
      const body = zlib.gzipSync(fs.readFileSync(file));
      res.writeHead(200, { "content-type": type, "cache-control": html ? "no-cache" : "public, max-age=600", "content-encoding": "gzip", vary: "accept-encoding", "content-length": body.length });
      res.end(head ? undefined : body);
      return;
    }
    if (options.liveReload && html) {
      const page = fs.readFileSync(file);
      const at = page.lastIndexOf("</body>");
      const body = at < 0 ? Buffer.concat([page, reloadScript]) : Buffer.concat([page.subarray(0, at), reloadScript, page.subarray(at)]);
      res.writeHead(200, { "content-type": type, "cache-control": "no-store", "content-length": body.length });
      res.end(head ? undefined : body);
      return;
    }
    // sirv is handed the file's own path, already decoded: @polka/url (its parser) takes `req._parsedUrl` when it was
    // parsed from this `req.url`, and sirv's decodeURI would leave `%23` in a `C#` folder. A `%` of the name is
    // written `%25` for that decodeURI.
    const parsed = { pathname: `/${path.relative(siteDir, file).split(path.sep).join("/").replace(/%/g, "%25")}`, search: "", query: undefined, raw: req.url };
    (req as http.IncomingMessage & { _parsedUrl?: typeof parsed })._parsedUrl = parsed;
    // The file may go between the lookup and the read (a rebuild under `npm start`): end that response, keep serving.
    res.once("pipe", (source: NodeJS.ReadableStream) => source.on("error", () => res.destroy()));
    sendFile(req, res, () => notFound(res, head));
  };

  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      // Whatever went wrong with this request (a file removed mid-read), the server goes on answering others.
      if (!res.headersSent) res.writeHead(500, { "content-type": TEXT });
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
  res.writeHead(301, { location, "content-type": TEXT }).end(`moved to ${location}\n`);
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
