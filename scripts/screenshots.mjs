// node scripts/screenshots.mjs SITE_DIR PORT OUT_PREFIX PAGE... — see scripts/screenshots.sh.
import { chromium } from '../tests/browser/node_modules/playwright-core/index.mjs';
import { serve } from '../tests/browser/run.mjs';

const [siteDir, port, prefix, ...pages] = process.argv.slice(2);
const views = [
  { name: '1280', width: 1280, height: 800, scheme: 'light' },
  { name: '375', width: 375, height: 812, scheme: 'light' },
  { name: '1280-dark', width: 1280, height: 800, scheme: 'dark' },
  // A4 at 96 dpi less 2 cm margins, as Chromium lays out a printed page.
  { name: 'print', width: 718, height: 1047, scheme: 'light', media: 'print' },
];
const server = await serve(siteDir, Number(port));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
try {
  for (const view of views) {
    const context = await browser.newContext({
      viewport: { width: view.width, height: view.height },
      colorScheme: view.scheme,
    });
    const tab = await context.newPage();
    if (view.media) await tab.emulateMedia({ media: view.media });
    for (const page of pages) {
      await tab.goto(`http://127.0.0.1:${port}${page}`, { waitUntil: 'load' });
      const name = page.replace(/^\/|\/$/g, '').replace(/\//g, '-') || 'home';
      await tab.screenshot({ path: `${prefix}-${name}-${view.name}.png`, fullPage: true });
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
