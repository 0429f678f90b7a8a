// --localize-images: remote images fetched once into the site (from a local HTTP server on 127.0.0.1, never the
// network), the original URL kept as the fallback, their size set so a broken one keeps its space; `npm run check`
// reports the images that are gone.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { fetchImages } from "../plugins/markdown/remote-images-fetch.ts";
import { projectRoot, tempDir, writeTree, type CommandResult } from "./helpers/cli.ts";
import { heldServer } from "./helpers/held-server.ts";

/** `npm run <script>` without blocking this process: the image server below answers while it runs. */
function run(script: "build" | "check", args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  const child = spawn(process.execPath, ["--import", "tsx", `scripts/${script}.ts`, ...args], { cwd: projectRoot, env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

/** A real 3×2 PNG. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", zlib.deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

describe("fetching remote images", () => {
  it("asks at most `concurrency` hosts at once, and keeps a copy of each image", async () => {
    const image = png(2, 2);
    const held = await heldServer((res) => res.writeHead(200, { "content-type": "image/png" }).end(image));
    try {
      const fetched = await fetchImages([1, 2, 3, 4, 5, 6, 7].map((n) => `${held.url}/${n}.png`), { cacheDir: tempDir("img-limit"), concurrency: 3 });
      expect([...fetched.values()].map((f) => f.width)).toEqual([2, 2, 2, 2, 2, 2, 2]);
      expect(held.most()).toBeLessThanOrEqual(3);
    } finally {
      await held.close();
    }
  });
});

describe("remote images: --localize-images and check", () => {
  const image = png(3, 2);
  const requests: string[] = [];
  let server: http.Server;
  let origin = "";
  const blog = tempDir("img-blog");
  const cache = tempDir("img-cache");
  const out = tempDir("img-out");
  const env = () => ({ VERINOTES_VERIFY: "off", VERINOTES_CACHE_DIR: cache });
  const pageOf = (dir: string) => fs.readFileSync(path.join(dir, "2022/01/03/pics/index.html"), "utf8");
  let first: CommandResult;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(req.url ?? "");
      if (req.url === "/ok.png") res.writeHead(200, { "content-type": "image/png" }).end(image);
      else res.writeHead(404, { "content-type": "text/plain" }).end("gone");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeTree(blog, {
      "_config.yml": "title: t\nurl: http://example.com\ntimezone: UTC\n",
      "source/_posts/pics.md": `---\ntitle: pics\ndate: 2022-01-03\n---\nA picture:\n\n![](${origin}/ok.png)\n\nA dead one:\n\n![a chart](${origin}/gone.png)\n`,
    });
    first = await run("build", ["--hexo", blog, "--output", out, "--localize-images"], env());
  }, 120_000);
  afterAll(() => server?.close());

  it("copies the image into the site, keeps the original URL as the fallback, and gives it its size", () => {
    expect(first.status).toBe(0);
    const html = pageOf(out);
    const m = /<img src="((?:\.\.\/)+)(remote-images\/[0-9a-f]{20}\.png)" data-remote-src="([^"]+)" onerror="this\.onerror=null;this\.src=this\.dataset\.remoteSrc" width="3" height="2" alt=""/.exec(html);
    expect(m, html).not.toBeNull();
    expect(m![1]).toBe("../../../../");
    expect(m![3]).toBe(`${origin}/ok.png`);
    expect(fs.readFileSync(path.join(out, m![2]))).toEqual(image);
  });

  it("an image the host no longer has stays as written", () => {
    expect(pageOf(out)).toContain(`<img src="${origin}/gone.png" alt="a chart"`);
  });

  it("fetches each image once: a second build uses the copy", async () => {
    expect(requests.filter((r) => r === "/ok.png")).toHaveLength(1);
    const again = tempDir("img-out2");
    expect((await run("build", ["--hexo", blog, "--output", again, "--localize-images"], env())).status).toBe(0);
    expect(requests.filter((r) => r === "/ok.png")).toHaveLength(1);
    expect(pageOf(again)).toMatch(/<img src="(?:\.\.\/)+remote-images\/[0-9a-f]{20}\.png"/);
  });

  it("check reports the image that is gone, with its note and line, from the build's record (no request)", async () => {
    const before = requests.length;
    const check = await run("check", [out]);
    expect(check.status).toBe(1);
    const lines = check.stderr.split("\n").filter((l) => l.includes("error:"));
    expect(lines).toEqual([`_posts/pics.md:11: error: broken link "${origin}/gone.png" on 2022/01/03/pics/index.html: image gone: the host answered 404 (when the site was built)`]);
    expect(requests.length).toBe(before);
  });

  it("without localizing, check --images asks the hosts and reports the same image", async () => {
    const plain = tempDir("img-plain");
    expect((await run("build", ["--hexo", blog, "--output", plain], env())).status).toBe(0);
    expect(pageOf(plain)).toContain(`<img src="${origin}/ok.png"`);
    expect((await run("check", [plain])).status).toBe(0); // nothing known without asking
    const check = await run("check", [plain, "--images", "--no-cache", "--retries", "0"]);
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(new RegExp(`broken link "${origin}/gone\\.png" .*: image gone: .*404`));
    expect(check.stderr).not.toContain("ok.png");
  });
});
