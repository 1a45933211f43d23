/**
 * Screenshots of built pages for a human look: npx tsx scripts/screenshot.ts PAGE [PAGE…] (e.g. "" or "telco/customer").
 * Serves dist/ with the production NGINX configuration, prints every problem the harness sees, writes PNGs to
 * test-results/ at 1440 px and 375 px wide. With --at=SELECTOR it also writes what one screen shows once that element is
 * scrolled to the top (…-view.png): what a user sees without scrolling further.
 */
import { mkdir } from "node:fs/promises";
import { launchBrowser, startSite, watchPage } from "../tests/browser/harness.js";

const at = process.argv.find((a) => a.startsWith("--at="))?.slice(5);
const pages = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const site = await startSite();
const browser = await launchBrowser();
await mkdir("test-results", { recursive: true });
try {
  for (const path of pages.length ? pages : [""]) {
    for (const width of [1440, 375]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const watch = await watchPage(page);
      await page.goto(new URL(path, site.url).href, { waitUntil: "networkidle" });
      await page.waitForTimeout(1500);
      const file = `test-results/${path.replaceAll("/", "_") || "index"}-${width}.png`;
      await page.screenshot({ path: file, fullPage: true });
      if (at) {
        await page
          .locator(at)
          .first()
          .evaluate((el) => el.scrollIntoView({ block: "start" }));
        await page.waitForTimeout(300);
        await page.screenshot({ path: file.replace(/\.png$/, "-view.png") });
      }
      process.stdout.write(`${file}: problems ${JSON.stringify(watch.problems())}\n`);
      await page.close();
    }
  }
} finally {
  await browser.close();
  await site.stop();
}
