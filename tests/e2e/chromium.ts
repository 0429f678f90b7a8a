// The system Chromium (Playwright cannot download its own here): PLAYWRIGHT_CHROMIUM_PATH, else CHROMIUM_PATH,
// else /usr/bin/chromium when it exists (else Playwright's own, from `npx playwright install chromium`); headless,
// without the background traffic Chromium otherwise sends to Google.
import fs from "node:fs";
import type { LaunchOptions } from "@playwright/test";

export const chromiumPath: string | undefined =
  process.env.PLAYWRIGHT_CHROMIUM_PATH || process.env.CHROMIUM_PATH || (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export const chromiumArgs = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-gpu"];

export const launchOptions: LaunchOptions = { executablePath: chromiumPath, args: chromiumArgs, headless: true };
