// The system Chromium (Playwright cannot download its own here): PLAYWRIGHT_CHROMIUM_PATH, else CHROMIUM_PATH,
// else /usr/bin/chromium; headless, without the background traffic Chromium otherwise sends to Google.
// Elsewhere (e.g. GitHub Actions after `npx playwright install chromium`), Playwright's own browser is used.
import fs from "node:fs";
import type { LaunchOptions } from "@playwright/test";

const systemChromium = process.env.PLAYWRIGHT_CHROMIUM_PATH || process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const chromiumPath: string | undefined = fs.existsSync(systemChromium) ? systemChromium : undefined;

export const chromiumArgs = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-gpu"];

export const launchOptions: LaunchOptions = { executablePath: chromiumPath, args: chromiumArgs, headless: true };
