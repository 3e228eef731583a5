// Real-browser checks of a built vellum site, as a reader sees it.
//
//   node tests/browser/run.mjs <site-dir> <base-url>
//
// Design: the site's links are absolute (they start with base_url), so the browser must fetch the
// pages from exactly the address the site was built for. The caller (tests/browser.rs) therefore
// picks a free loopback port, builds the site with `vellum build --base-url http://127.0.0.1:PORT/`,
// and passes the same URL here; this script serves <site-dir> on that address with Node's `http`
// module (`/x/` -> `x/index.html`, a missing file -> `404.html` with status 404) and drives Debian's
// Chromium through playwright-core. Any request for another origin is aborted and reported, so no
// request leaves the local server.
//
// Every page kind, and every essay of the demo, is loaded at 1280 px and 375 px, light and
// dark, and checked for: the HTTP
// status, horizontal overflow, sidenote placement (in the margin, within 3 lines of the reference) and toggling, MathML fractions laid out as
// fractions (on pages marked `requireMath`), dark mode changing the colours,
// console errors, failed and external requests, and axe-core violations of impact serious or
// critical. One line per page/viewport/scheme is printed, then every failure; the exit code is 1
// when anything failed and 2 when the checks could not run at all.
//
// Environment: CHROMIUM (default /usr/bin/chromium).
// Debugging: VELLUM_SCREENSHOTS=/tmp/some-dir writes a full-page PNG of every load there.

import { createServer } from 'node:http';
import { readFile, stat, readdir, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { checkTypography, checkPrint } from './typography.mjs';

const require = createRequire(import.meta.url);

export const VIEWPORTS = [
  { name: '1280', width: 1280, height: 800, desktop: true },
  { name: '375', width: 375, height: 812, desktop: false },
];
export const SCHEMES = ['light', 'dark'];

/**
 * The page kinds of a vellum site. `status` is the HTTP status the page must answer with;
 * `requireSidenotes` fails a page without any; `axe: false` would skip the axe-core scan.
 */
export async function demoPages(siteDir) {
  // A tag page: the first tag folder the build wrote (the demo's tags change with its content).
  let tag = null;
  try {
    const entries = await readdir(path.join(siteDir, 'tags'), { withFileTypes: true });
    const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
    if (dirs.length > 0) tag = `/tags/${dirs[0]}/`;
  } catch {
    // No tags/ folder: the tags-index check below reports it.
  }
  // The typography checks (typography.mjs): `centred` pages use no margin; `navCurrent` is the
  // nav link that must be marked current; `print` pages are also printed on A4.
  const essay = { status: 200, navCurrent: 'Essays', print: true };
  const pages = [
    { kind: 'home', path: '/', status: 200, centred: true, navCurrent: 'Essays' },
    { kind: 'essay+notes', path: '/tools-for-thinking/', ...essay, requireSidenotes: true },
    { kind: 'essay+code', path: '/code-in-the-margins/', ...essay, requireCode80: true },
    // Everything an essay can hold: math, callouts, figures, shortcodes, highlighted code.
    { kind: 'showcase', path: '/what-an-essay-can-hold/', ...essay, requireMath: true },
    // Crowded sidenotes, notes in lists and quotes, a wide table, a long URL, math, a figure.
    { kind: 'stress', path: '/a-crowded-margin/', ...essay, requireSidenotes: true, requireMath: true, requirePrintText: true },
    { kind: 'tag', path: tag ?? '/tags/(none-built)/', status: 200, centred: true, navCurrent: 'Tags' },
    { kind: 'tags-index', path: '/tags/', status: 200, centred: true, navCurrent: 'Tags' },
    { kind: 'archive', path: '/archive/', status: 200, centred: true, navCurrent: 'Archive' },
    { kind: '404', path: '/no-such-page/', status: 404, centred: true },
  ];
  // The demo again in broadsheet (tests/browser.rs builds it under /broadsheet/): its own
  // stylesheet, checked on the home page and the stress essay.
  if (await isFile(path.join(siteDir, 'broadsheet', 'index.html'))) {
    pages.push(
      { kind: 'bs-home', path: '/broadsheet/', status: 200, centred: true, navCurrent: 'Essays' },
      { kind: 'bs-stress', path: '/broadsheet/a-crowded-margin/', ...essay, requireSidenotes: true, requireMath: true, requirePrintText: true },
    );
  }
  // Every other page at the top of the site (the demo's other essays), so that every essay
  // page is seen by axe; redirect pages are left out, as the browser would leave them.
  const listed = new Set([...pages.map((p) => p.path), '/broadsheet/']);
  const top = await readdir(siteDir, { withFileTypes: true }).catch(() => []);
  for (const entry of top.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const page = `/${entry.name}/`;
    const file = path.join(siteDir, entry.name, 'index.html');
    if (listed.has(page) || !(await isFile(file))) continue;
    if ((await readFile(file, 'utf8')).includes('http-equiv="refresh"')) continue;
    pages.push({ kind: 'essay', path: page, ...essay });
  }
  return pages;
}

// ---------------------------------------------------------------------------------------------
// The local server

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

function contentType(file) {
  if (path.basename(file) === 'atom.xml') return 'application/atom+xml; charset=utf-8';
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

async function isFile(p) {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function isDir(p) {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Serves `root` on 127.0.0.1:`port` the way a static host would. Resolves to the server. */
export function serve(root, port) {
  const rootAbs = path.resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      let rel;
      try {
        rel = decodeURIComponent(url.pathname);
      } catch {
        rel = null;
      }
      let file = rel === null ? null : path.join(rootAbs, rel);
      if (file !== null && file !== rootAbs && !file.startsWith(rootAbs + path.sep)) file = null;
      if (file !== null && rel.endsWith('/')) file = path.join(file, 'index.html');
      else if (file !== null && (await isDir(file))) {
        res.writeHead(301, { Location: url.pathname + '/' });
        res.end();
        return;
      }
      if (file !== null && (await isFile(file))) {
        const body = await readFile(file);
        res.writeHead(200, { 'Content-Type': contentType(file), 'Content-Length': body.length });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      const notFound = path.join(rootAbs, '404.html');
      const body = (await isFile(notFound)) ? await readFile(notFound) : Buffer.from('Not found');
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(err));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------------------------------------
// In-page measurements (these functions run inside the browser)

/** Horizontal overflow of the document, and the outermost elements that stick out. */
function measureOverflow() {
  const doc = document.scrollingElement || document.documentElement;
  const limit = Math.min(window.innerWidth, doc.clientWidth);
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    if (el.classList.length) s += '.' + [...el.classList].join('.');
    return s;
  };
  const offenders = [];
  const sticksOut = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right + window.scrollX > limit + 0.5;
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (!sticksOut(el)) continue;
    if (el.parentElement && el.parentElement !== document.body && sticksOut(el.parentElement)) continue;
    const r = el.getBoundingClientRect();
    offenders.push(`${describe(el)} (right edge ${Math.round(r.right + window.scrollX)}px)`);
    if (offenders.length >= 4) break;
  }
  return { scrollWidth: doc.scrollWidth, width: limit, offenders };
}

/** Every sidenote with its label, visibility and box, plus the right edge of the text column. */
function measureSidenotes() {
  // Visible to a sighted reader: rendered, not transparent, larger than the 1×1 px box of the
  // usual visually-hidden technique, and at least partly inside the window.
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const shown = el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
    return shown && r.width > 1 && r.height > 1 && r.right > 0 && r.left < window.innerWidth;
  };
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top + window.scrollY, bottom: r.bottom + window.scrollY };
  };
  const notes = [...document.querySelectorAll('.sidenote')].map((el, i) => {
    const toggle = el.previousElementSibling;
    const toggleId = toggle && toggle.matches('input.sidenote-toggle') ? toggle.id : null;
    const label = toggleId ? document.querySelector(`label.sidenote-ref[for="${CSS.escape(toggleId)}"]`) : null;
    // Where the reader's eye leaves the text: the top of the reference mark.
    const mark = label ? label.querySelector('sup') || label : null;
    return {
      index: i,
      name: toggleId ? `#${toggleId}` : `.sidenote[${i}]`,
      toggleId,
      toggleVisible: toggleId ? visible(toggle) : false,
      // Rendered (a visually hidden box will do), enabled and in the tab order.
      toggleFocusable: toggleId ? toggle.checkVisibility({ checkVisibilityCSS: true }) && !toggle.disabled && toggle.tabIndex >= 0 : false,
      inText: el.classList.contains('in-text'),
      hasLabel: Boolean(label),
      visible: visible(el),
      box: box(el),
      refTop: mark ? box(mark).top : null,
    };
  });
  // One line of body text, the unit a note's drift from its reference is measured in.
  const firstP = [...document.querySelectorAll('.essay-body p')].find((p) => !p.closest('.sidenote, .footnotes'));
  const lineHeight = parseFloat(getComputedStyle(firstP || document.body).lineHeight) || null;
  // The text column: the content boxes of the essay's own paragraphs (not notes, not endnotes).
  let columnRight = null;
  for (const p of document.querySelectorAll('.essay-body p')) {
    if (p.closest('.sidenote, .footnotes')) continue;
    const r = p.getBoundingClientRect();
    if (r.width === 0) continue;
    const cs = getComputedStyle(p);
    const right = r.right - parseFloat(cs.paddingRight) - parseFloat(cs.borderRightWidth);
    columnRight = columnRight === null ? right : Math.max(columnRight, right);
  }
  return { notes, columnRight, lineHeight, innerWidth: window.innerWidth };
}

/** The colours a reader sees: the page background and the body text colour. */
function measureColours() {
  const transparent = (c) => c === 'transparent' || /^rgba\(.*,\s*0\)$/.test(c);
  let bg = getComputedStyle(document.body).backgroundColor;
  if (transparent(bg)) bg = getComputedStyle(document.documentElement).backgroundColor;
  const text = document.querySelector('.essay-body p') || document.querySelector('main p') || document.body;
  return { background: bg, bodyColor: getComputedStyle(document.body).color, textColor: getComputedStyle(text).color };
}

/**
 * Every MathML fraction with the boxes of its numerator and denominator. Rendered as MathML, the
 * numerator sits above the denominator; where MathML is not laid out (an unsupported browser, or
 * a stylesheet that overrides `display: math`), the two run side by side on one line.
 */
function measureFractions() {
  return [...document.querySelectorAll('math mfrac')].map((frac, i) => {
    const [num, den] = frac.children;
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
    };
    return { name: `mfrac[${i}]`, frac: box(frac), num: num ? box(num) : null, den: den ? box(den) : null };
  });
}

async function runAxe() {
  // eslint-disable-next-line no-undef
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      count: v.nodes.length,
      nodes: v.nodes.slice(0, 3).map((n) => ({
        target: n.target.join(' '),
        summary: (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 220),
      })),
    }));
}

// ---------------------------------------------------------------------------------------------
// The checks

/** How far below its reference a note in the margin may start, in lines of body text. */
const MAX_DRIFT_LINES = 3;

const px = (n) => `${Math.round(n * 10) / 10}px`;

function overlaps(a, b) {
  const eps = 0.5;
  return a.left < b.right - eps && b.left < a.right - eps && a.top < b.bottom - eps && b.top < a.bottom - eps;
}

/**
 * Loads one page at one viewport in one scheme and checks it. Returns
 * { failures: [{check, detail}], colours, notes, axe }.
 */
async function checkPage(context, origin, page, viewport, scheme, options) {
  const failures = [];
  const fail = (check, detail) => failures.push({ check, detail });
  const tab = await context.newPage();
  await tab.emulateMedia({ colorScheme: scheme });

  const url = new URL(page.path, origin).href;
  tab.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location();
    const where = loc && loc.url ? ` (${loc.url}${loc.lineNumber ? `:${loc.lineNumber}` : ''})` : '';
    // Chromium logs an error status of the page itself (the 404 page answers 404 on purpose);
    // the status check below judges that.
    if (loc && loc.url === url && /^Failed to load resource: the server responded/.test(msg.text())) return;
    fail('console-error', `${msg.text()}${where}`);
  });
  tab.on('pageerror', (err) => fail('console-error', `uncaught ${err.name}: ${err.message}`));
  tab.on('requestfailed', (req) => {
    if (new URL(req.url()).origin !== origin) return; // reported as external-request
    fail('request-failed', `${req.method()} ${req.url()}: ${req.failure()?.errorText ?? 'failed'}`);
  });
  tab.on('response', (res) => {
    if (res.url() === url && res.request().isNavigationRequest()) return; // checked below
    if (res.status() >= 400) fail('request-failed', `${res.request().method()} ${res.url()}: HTTP ${res.status()}`);
  });
  await tab.route('**/*', (route) => {
    const target = route.request().url();
    if (target.startsWith('data:') || target.startsWith('blob:')) return route.continue();
    if (new URL(target).origin === origin) return route.continue();
    fail('external-request', `${route.request().resourceType()} ${target} (blocked)`);
    return route.abort('blockedbyclient');
  });

  const result = { failures, colours: null, notes: 0, axe: 0, fractions: 0 };
  let response;
  try {
    response = await tab.goto(url, { waitUntil: 'load', timeout: 20_000 });
  } catch (err) {
    fail('load', `could not load ${url}: ${err.message.split('\n')[0]}`);
    await tab.close();
    return result;
  }
  const status = response ? response.status() : 0;
  if (status !== page.status) {
    fail('status', `${page.path} answered HTTP ${status}, expected ${page.status}` +
      (status === 404 ? ' (page not built)' : ''));
    await tab.close();
    return result; // The rest would only describe the 404 page again.
  }
  await tab.evaluate(() => document.fonts.ready);

  if (options.screenshots) {
    const name = `${page.kind}-${viewport.name}-${scheme}.png`.replace(/[^\w.+-]/g, '_');
    await tab.screenshot({ path: path.join(options.screenshots, name), fullPage: true });
  }

  // No horizontal scrolling.
  const overflowCheck = async (when) => {
    const o = await tab.evaluate(measureOverflow);
    if (o.scrollWidth > o.width) {
      fail('overflow', `scrolls sideways${when}: scrollWidth ${o.scrollWidth}px > ${o.width}px; ` +
        (o.offenders.length ? `sticking out: ${o.offenders.join(', ')}` : 'no single element found'));
    }
  };
  await overflowCheck('');

  // Colours, compared across schemes by the caller.
  result.colours = await tab.evaluate(measureColours);

  // Sidenotes.
  const sn = await tab.evaluate(measureSidenotes);
  result.notes = sn.notes.length;
  if (page.requireSidenotes && sn.notes.length === 0) {
    fail('sidenotes-missing', 'an essay with footnotes has no .sidenote elements');
  }
  for (const n of sn.notes) {
    if (!n.toggleId) fail('sidenote-markup', `${n.name}: not preceded by its input.sidenote-toggle`);
    else if (!n.hasLabel) fail('sidenote-markup', `${n.name}: no label.sidenote-ref[for="${n.toggleId}"]`);
    if (n.toggleVisible) fail('sidenote-checkbox', `the checkbox ${n.name} (input.sidenote-toggle) is visible`);
  }
  // Wide: in the margin, except the notes the build kept in the text (.in-text), which open in
  // place as every note does on a narrow screen.
  const inMargin = viewport.desktop ? sn.notes.filter((n) => !n.inText) : [];
  const folded = viewport.desktop ? sn.notes.filter((n) => n.inText) : sn.notes;
  if (inMargin.length > 0) {
    if (sn.columnRight === null) fail('sidenote-column', 'no .essay-body p to measure the text column by');
    for (const n of inMargin) {
      if (!n.visible) {
        fail('sidenote-hidden', `${n.name} is not visible at ${viewport.width}px`);
        continue;
      }
      if (sn.columnRight !== null && n.box.left < sn.columnRight - 0.5) {
        fail('sidenote-column', `${n.name} starts at x=${px(n.box.left)}, inside the text column ` +
          `(paragraphs end at x=${px(sn.columnRight)}): not in the margin`);
      }
      if (n.box.right > sn.innerWidth + 0.5) {
        fail('sidenote-column', `${n.name} ends at x=${px(n.box.right)}, past the window (${sn.innerWidth}px)`);
      }
    }
    const shown = inMargin.filter((n) => n.visible);
    // A note in the margin starts at most MAX_DRIFT_LINES lines of body text below its reference.
    for (const n of shown) {
      if (n.refTop === null || sn.lineHeight === null) continue;
      const lines = (n.box.top - n.refTop) / sn.lineHeight;
      if (lines > MAX_DRIFT_LINES) {
        fail('sidenote-drift', `${n.name} starts ${lines.toFixed(1)} lines (${px(n.box.top - n.refTop)}) below ` +
          `its reference; at most ${MAX_DRIFT_LINES} lines of ${px(sn.lineHeight)} allowed`);
      }
    }
    for (let i = 0; i < shown.length; i++) {
      for (let j = i + 1; j < shown.length; j++) {
        if (overlaps(shown[i].box, shown[j].box)) {
          fail('sidenote-overlap', `${shown[i].name} and ${shown[j].name} overlap ` +
            `(y ${px(shown[i].box.top)}–${px(shown[i].box.bottom)} and ${px(shown[j].box.top)}–${px(shown[j].box.bottom)})`);
        }
      }
    }
  }
  if (folded.length > 0) {
    // Hidden until the reader clicks the number (or reaches its checkbox with the keyboard),
    // then shown.
    for (const n of folded) {
      if (n.toggleId && !n.toggleFocusable) {
        fail('sidenote-keyboard', `the checkbox ${n.name} cannot be reached with the keyboard`);
      }
      if (n.visible) {
        fail('sidenote-toggle', `${n.name} is visible at ${viewport.width}px before its number is clicked`);
        continue;
      }
      if (!n.hasLabel) continue;
      try {
        await tab.locator(`label.sidenote-ref[for="${n.toggleId}"]`).click({ timeout: 10_000 });
      } catch (err) {
        fail('sidenote-toggle', `could not click the label for ${n.name}: ${err.message.split('\n')[0]}`);
        continue;
      }
      const after = (await tab.evaluate(measureSidenotes)).notes[n.index];
      const inside = after.box.left >= -0.5 && after.box.right <= sn.innerWidth + 0.5;
      if (!after.visible) fail('sidenote-toggle', `${n.name} is still hidden after its number is clicked`);
      else if (!inside) {
        fail('sidenote-toggle', `${n.name} opens outside the window (x ${px(after.box.left)}–${px(after.box.right)})`);
      }
    }
    await overflowCheck(' with every sidenote opened');
  }

  // Math: each fraction stacked, numerator over denominator.
  if (page.requireMath) {
    const fractions = await tab.evaluate(measureFractions);
    result.fractions = fractions.length;
    if (fractions.length === 0) fail('math-missing', 'the page has no MathML fraction (math mfrac)');
    for (const f of fractions) {
      if (!f.num || !f.den) {
        fail('math-render', `${f.name} has no numerator or denominator`);
      } else if (f.num.bottom > f.den.top + 1 || f.frac.height < f.num.height + f.den.height - 1) {
        fail('math-render', `${f.name} is not laid out as a fraction: numerator ` +
          `${px(f.num.top)}–${px(f.num.bottom)}, denominator ${px(f.den.top)}–${px(f.den.bottom)}, ` +
          `fraction ${px(f.frac.height)} high`);
      }
    }
  }

  await checkTypography(tab, page, viewport, fail);

  // axe-core: no serious or critical violations.
  if (page.axe !== false) {
    await tab.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const violations = await tab.evaluate(runAxe);
    result.axe = violations.length;
    for (const v of violations) {
      const nodes = v.nodes.map((n) => `${n.target}${n.summary ? ` — ${n.summary}` : ''}`).join('; ');
      fail('axe', `${v.impact} ${v.id} (${v.help}) ×${v.count}: ${nodes}`);
    }
  }

  // On paper, once per page: it leaves the tab in print media, so it comes last.
  if (page.print && viewport.desktop && scheme === 'light') await checkPrint(tab, page, fail);

  await tab.close();
  return result;
}

/** Runs every check on every page; resolves to { failures, lines }. */
export async function runChecks({ siteDir, baseUrl, pages, executablePath, screenshots = null, log = console.log }) {
  const base = new URL(baseUrl);
  if (base.hostname !== '127.0.0.1' || !base.port) {
    throw new Error(`base URL must be http://127.0.0.1:PORT/, got ${baseUrl}`);
  }
  if (screenshots) await mkdir(screenshots, { recursive: true });
  const origin = base.origin;
  const server = await serve(siteDir, Number(base.port));
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  const failures = [];
  try {
    log(`browser checks: ${baseUrl} serving ${siteDir}, Chromium ${browser.version()}`);
    for (const viewport of VIEWPORTS) {
      const context = await browser.newContext({
        viewport: { width: viewport.width, height: viewport.height },
        deviceScaleFactor: 1,
        reducedMotion: 'reduce',
      });
      for (const page of pages) {
        const colours = {};
        for (const scheme of SCHEMES) {
          const r = await checkPage(context, origin, page, viewport, scheme, { screenshots });
          colours[scheme] = r.colours;
          const where = { page: page.path, kind: page.kind, viewport: viewport.name, scheme };
          for (const f of r.failures) failures.push({ ...where, ...f });
          const verdict = r.failures.length ? `FAIL ${r.failures.length}` : 'ok';
          log(`  ${verdict.padEnd(7)} ${viewport.name.padEnd(4)} ${scheme.padEnd(5)} ${page.kind.padEnd(11)} ` +
            `${page.path.padEnd(24)} notes ${r.notes}, axe ${r.axe}` +
            (page.requireMath ? `, fractions ${r.fractions}` : '') +
            (r.colours ? `, bg ${r.colours.background}, text ${r.colours.textColor}` : ''));
        }
        // Dark mode must change what the reader sees.
        if (colours.light && colours.dark) {
          const same = [];
          if (colours.light.background === colours.dark.background) same.push(`background ${colours.light.background}`);
          if (colours.light.bodyColor === colours.dark.bodyColor) same.push(`body color ${colours.light.bodyColor}`);
          if (colours.light.textColor === colours.dark.textColor) same.push(`text color ${colours.light.textColor}`);
          if (same.length) {
            const f = { page: page.path, kind: page.kind, viewport: viewport.name, scheme: 'light/dark',
              check: 'dark-mode', detail: `dark scheme keeps the light ${same.join(', ')}` };
            failures.push(f);
            log(`  FAIL 1  ${viewport.name.padEnd(4)} dark  ${page.kind.padEnd(11)} ${page.path.padEnd(24)} dark mode changes nothing`);
          }
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  return failures;
}

export function formatFailures(failures) {
  return failures.map((f) => `  [${f.viewport} ${f.scheme}] ${f.page} ${f.check}: ${f.detail}`).join('\n');
}

async function main() {
  const [siteDir, baseUrl] = process.argv.slice(2);
  if (!siteDir || !baseUrl) {
    console.error('usage: node run.mjs <site-dir> <base-url, e.g. http://127.0.0.1:8123/>');
    console.error('the site must have been built with --base-url set to the same URL');
    process.exit(2);
  }
  const started = Date.now();
  // A hung browser must not hang `cargo test`: give up (and let Playwright kill Chromium) after
  // 10 min, which a machine busy with other builds can need.
  const watchdog = setTimeout(() => {
    console.error('browser checks timed out after 600 s');
    process.exit(2);
  }, 600_000);
  const failures = await runChecks({
    siteDir,
    baseUrl,
    pages: await demoPages(siteDir),
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    screenshots: process.env.VELLUM_SCREENSHOTS || null,
  });
  clearTimeout(watchdog);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (failures.length) {
    console.log(`\n${failures.length} browser check(s) failed (${secs} s):\n${formatFailures(failures)}`);
    process.exit(1);
  }
  console.log(`\nall browser checks passed (${secs} s)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(`browser checks could not run: ${err.stack || err}`);
    process.exit(2);
  });
}
