// Builds the sample site (content/) with the real CLI into a temporary folder — or the Hexo blog VERINOTES_E2E_HEXO
// names (e.g. ../shared/corpus/tom89757), or takes SITE_DIR as it is — and serves it on 127.0.0.1 at the port the
// config chose (VERINOTES_E2E_PORT), under the site's root path. The reader tests (reader-*.spec.ts) also run on the
// tom89757 blog: it is built and served on a free port as well (see readerBlogs() in site.ts; VERINOTES_E2E_TOM=off
// leaves it out).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runScript } from "../helpers/cli.ts";
import { serveStatic } from "../../plugins/checks/serve.ts";
import { sitemapPages } from "../../plugins/checks/check.ts";
import { expectedRoot, hexoBlog, extraBlog } from "./site.ts";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const port = Number(process.env.VERINOTES_E2E_PORT);
  if (!port) throw new Error("VERINOTES_E2E_PORT is not set: run through playwright.config.ts");
  let dir: string;
  let temporary: string | undefined;
  if (process.env.SITE_DIR) {
    dir = path.resolve(process.env.SITE_DIR);
    if (!fs.existsSync(path.join(dir, "index.html"))) throw new Error(`SITE_DIR=${dir} has no index.html: build a site there first`);
  } else {
    temporary = fs.mkdtempSync(path.join(os.tmpdir(), "verinotes-e2e-"));
    dir = temporary;
    const started = performance.now();
    const blog = hexoBlog();
    const build = runScript("build", [...(blog ? ["--hexo", blog] : []), "--output", dir]);
    if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status}):\n${build.stderr}\n${build.stdout}`);
    console.error(`e2e: built ${blog ?? "the sample site"} into ${dir} in ${((performance.now() - started) / 1000).toFixed(1)}s`);
  }
  const root = sitemapPages(dir).location.root;
  if (root !== expectedRoot()) throw new Error(`the site's root is ${root}, the config expected ${expectedRoot()}`);
  const server = await serveStatic(dir, { port, root });
  process.env.VERINOTES_E2E_SITE_DIR = dir;
  console.error(`e2e: serving ${dir} at ${server.url}`);

  // The second blog the reader tests visit; the workers find it through the environment.
  const extra = extraBlog();
  let extraServer: Awaited<ReturnType<typeof serveStatic>> | undefined;
  let extraDir: string | undefined;
  if (extra) {
    extraDir = fs.mkdtempSync(path.join(os.tmpdir(), "verinotes-e2e-extra-"));
    const started = performance.now();
    const build = runScript("build", ["--hexo", extra.blog, "--output", extraDir]);
    if (build.status !== 0) throw new Error(`npm run build -- --hexo ${extra.blog} failed (exit ${build.status}):\n${build.stderr}\n${build.stdout}`);
    extraServer = await serveStatic(extraDir, { root: sitemapPages(extraDir).location.root });
    process.env.VERINOTES_E2E_EXTRA_DIR = extraDir;
    process.env.VERINOTES_E2E_EXTRA_URL = extraServer.url;
    console.error(`e2e: built ${extra.blog} in ${((performance.now() - started) / 1000).toFixed(1)}s, serving it at ${extraServer.url}`);
  }
  return async () => {
    await server.close();
    await extraServer?.close();
    if (temporary && !process.env.KEEP_E2E_SITE) fs.rmSync(temporary, { recursive: true, force: true });
    if (extraDir && !process.env.KEEP_E2E_SITE) fs.rmSync(extraDir, { recursive: true, force: true });
  };
}
