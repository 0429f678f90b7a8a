// Browser tests of the built site (tests/e2e): the global setup builds the sample site with the real CLI (or takes
// SITE_DIR as it is) and serves it on 127.0.0.1; `use.baseURL` points there. `--shard i/n` splits the crawl,
// whose chunks are separate tests (CRAWL_CHUNKS, default 4).
import net from "node:net";
import { defineConfig } from "@playwright/test";
import { launchOptions } from "./tests/e2e/chromium.ts";
import { expectedRoot } from "./tests/e2e/site.ts";

/** A free port on the loopback, chosen once: worker processes inherit it through the environment. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

process.env.VERINOTES_E2E_PORT ??= String(await freePort());

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./tests/e2e/global-setup.ts",
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  workers: process.env.PLAYWRIGHT_WORKERS ? Number(process.env.PLAYWRIGHT_WORKERS) : 2,
  timeout: 60_000,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  outputDir: "test-results",
  use: {
    browserName: "chromium",
    viewport: { width: 1280, height: 800 },
    baseURL: `http://127.0.0.1:${process.env.VERINOTES_E2E_PORT}${expectedRoot()}`,
    launchOptions,
    screenshot: "only-on-failure",
    trace: "off",
  },
  projects: [{ name: "chromium" }],
});
