// `npm start` against hostile requests and stale folders: it listens on the loopback only, answers a path that
// climbs out of the site with 400 and keeps serving, and serves nothing it did not write for the blog it was given.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot, runScript, tempDir, writeTree } from "../helpers/cli.ts";

const env = { VERINOTES_VERIFY: "off", VERINOTES_CACHE: "off" };

function blog(title: string): string {
  const dir = tempDir(`serve-${title}`);
  writeTree(dir, {
    "_config.yml": "title: t\nurl: http://example.com\ntimezone: UTC\n",
    [`source/_posts/${title}.md`]: `---\ntitle: ${title}\ndate: 2022-01-03\n---\n## ${title}\n\ntext\n`,
  });
  return dir;
}

/** `npm start` as a child process; resolves with its URL once it says it serves. */
function start(args: string[]): Promise<{ child: ChildProcess; url: string; log: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/build.ts", "--serve", "--port", "0", ...args], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${log}`)), 90_000);
    const check = setInterval(() => {
      const m = /Server at (http:\/\/\S+)/.exec(log);
      if (m) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ child, url: m[1], log: () => log });
      }
    }, 50);
    child.on("exit", (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${log}`));
    });
  });
}

/** A raw GET: the path is sent exactly as given (no URL normalisation on this side). */
function get(url: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: rawPath, method: "GET" }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function stop(child: ChildProcess | undefined): void {
  if (child?.pid && child.exitCode === null) child.kill("SIGTERM");
}

describe("npm start, hostile requests", () => {
  const blogB = blog("beta");
  let server: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    server = await start(["--hexo", blogB]);
  }, 120_000);
  afterAll(() => stop(server?.child));

  it("listens on 127.0.0.1 only", async () => {
    expect(new URL(server.url).hostname).toBe("127.0.0.1");
    const port = Number(new URL(server.url).port);
    const outside = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === "IPv4" && !a.internal);
    expect(outside, "this machine has a non-loopback address to try").toBeDefined();
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: outside!.address, port }, () => {
        socket.destroy();
        resolve("connected");
      });
      socket.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
    });
    expect(refused).toBe("ECONNREFUSED");
  });

  it.each([
    ["/..%2f..%2fetc%2fpasswd"],
    ["/..%2F..%2F..%2F..%2Fetc%2Fpasswd"],
    ["/%2e%2e/%2e%2e/etc/passwd"],
    ["/../../etc/passwd"],
    ["/..%5c..%5cetc%5cpasswd"],
    ["/a%00.html"],
    ["/%E0%A4%A"],
  ])("GET %s → 400, and the server keeps serving", async (rawPath) => {
    const bad = await get(server.url, rawPath);
    expect(bad.status).toBe(400);
    expect(bad.body).not.toContain("root:");
    const page = await get(server.url, "/2022/01/03/beta/");
    expect(page.status).toBe(200);
    expect(page.body).toContain('id="beta"');
  });

  it("pages carry the live-reload script, and a saved note makes the stream say reload", async () => {
    const page = await get(server.url, "/2022/01/03/beta/");
    expect(page.body).toContain('new EventSource("/__verinotes/reload")');
    const { hostname, port } = new URL(server.url);
    const heard = new Promise<string>((resolve, reject) => {
      const req = http.get({ host: hostname, port, path: "/__verinotes/reload" }, (res) => {
        let text = "";
        res.on("data", (d) => {
          text += d;
          if (text.includes("event: reload")) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on("error", (e) => (e.message.includes("socket hang up") ? undefined : reject(e)));
      setTimeout(() => reject(new Error(`no reload event:\n${server.log()}`)), 60_000);
    });
    await new Promise((r) => setTimeout(r, 500));
    fs.appendFileSync(path.join(blogB, "source/_posts/beta.md"), "\nedited\n");
    expect(await heard).toContain("event: reload");
  }, 90_000);
});

describe("npm start serves only what it wrote for this blog", () => {
  let server: Awaited<ReturnType<typeof start>> | undefined;
  afterAll(() => stop(server?.child));

  it("after a build of another blog into _site, the other blog's pages are not served (and _site is left alone)", async () => {
    const cwdSite = path.join(projectRoot, "_site");
    const alpha = blog("alpha");
    const alphaOut = tempDir("alpha-out");
    expect(runScript("build", ["--hexo", alpha, "--output", alphaOut], env).status).toBe(0);
    // A folder that held alpha's build, given to npm start for beta: emptied first.
    server = await start(["--hexo", blog("beta"), "--output", alphaOut]);
    expect((await get(server.url, "/2022/01/03/alpha/")).status).toBe(404);
    expect((await get(server.url, "/2022/01/03/beta/")).status).toBe(200);
    const search = fs.readdirSync(alphaOut);
    expect(search).not.toContain("alpha");
    expect(fs.existsSync(path.join(alphaOut, "2022/01/03/alpha"))).toBe(false);
    stop(server.child);
    // Without --output it never touches _site: its own folder per blog.
    const before = fs.existsSync(cwdSite) ? fs.statSync(cwdSite).mtimeMs : undefined;
    server = await start(["--hexo", alpha]);
    expect(server.log()).toMatch(/serving \S*serve\/verinotes-serve-alpha-\w+-[0-9a-f]{10},/);
    expect(fs.existsSync(cwdSite) ? fs.statSync(cwdSite).mtimeMs : undefined).toBe(before);
  }, 240_000);

  it("refuses an --output folder holding files Verinotes did not write", () => {
    const foreign = tempDir("foreign");
    fs.writeFileSync(path.join(foreign, "precious.txt"), "keep me");
    const result = runScript("build", ["--serve", "--hexo", blog("gamma"), "--output", foreign], env);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("holds files Verinotes did not write");
    expect(fs.readFileSync(path.join(foreign, "precious.txt"), "utf8")).toBe("keep me");
  });
});
