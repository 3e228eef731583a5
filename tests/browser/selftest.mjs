// Proves that every check in run.mjs can fail, and fails for the right reason: it writes a mock
// site with one correct page and pages that each break one rule, runs the same checks on it, and
// requires each page to fail exactly the checks it was built to fail. It also proves the Nu HTML
// Checker command used by tests/browser.rs rejects an invalid page and accepts a valid one.
//
//   node tests/browser/selftest.mjs        (exit 0: every check bites; 1: one did not)

import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { runChecks, formatFailures } from './run.mjs';

const require = createRequire(import.meta.url);

// A correct theme in miniature: a text column with Tufte-style sidenotes in the right margin on
// wide screens, notes toggled by their number on narrow ones, and a dark scheme.
const GOOD_CSS = `
body { margin: 0; background: #fdfcf9; color: #1f1d1a; font: 18px/1.5 Georgia, serif; }
a { color: #7a2e0e; }
main { padding: 0 16px; }
/* Visually hidden but still focusable, so the keyboard can open a note. */
.sidenote-toggle { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); margin: -1px; }
.sidenote { font-size: 0.85em; }
@media (min-width: 1000px) {
  main { padding: 0; margin-left: 80px; }
  .essay-body { width: 620px; }
  .sidenote { float: right; clear: right; width: 280px; margin-right: -330px; }
}
@media (max-width: 999px) {
  .sidenote { display: none; }
  .sidenote-toggle:checked + .sidenote { display: block; margin: 0.5em 0; }
}
/* A note the build kept in the text opens in place at every width. */
.sidenote.in-text { display: none; float: none; width: auto; margin: 0; }
.sidenote-toggle:checked + .sidenote.in-text { display: block; margin: 0.5em 0; }
@media (prefers-color-scheme: dark) {
  body { background: #171615; color: #e9e5de; }
  a { color: #f0a070; }
}
`;

const note = (id, n, text, cls = '') =>
  `<label class="sidenote-ref${cls}" for="sn-${id}"><sup id="fnref-${id}">${n}</sup></label>` +
  `<input type="checkbox" class="sidenote-toggle${cls}" id="sn-${id}"><span class="sidenote${cls}">` +
  `<span class="sidenote-number">${n}</span> ${text}</span>`;

const LOREM = 'The reader follows the line of the argument from one paragraph to the next, and the notes wait in the margin.';

const essay = (notes) => `
<p>${LOREM} ${LOREM}${notes ? note('a', 1, 'A first note, long enough to wrap onto a second line in the margin.') : ''}</p>
<p>${LOREM}${notes ? note('b', 2, 'A second note, right after the first.') : ''}</p>
<p>${LOREM} ${LOREM}</p>`;

// Two long notes on one line: in the margin the second starts about 5 lines below its reference,
// unless it is kept in the text (`in-text`).
const LONG_NOTE = 'A note long enough to fill five lines of the margin: it goes on about the reading, the pencil, the notebook, the second draft and the third, and the reader who follows all of it.';
const crowded = (secondClass) => `
<p>${LOREM}${note('a', 1, LONG_NOTE)} ${note('b', 2, LONG_NOTE, secondClass)}</p>
<p>${LOREM} ${LOREM} ${LOREM} ${LOREM}</p>
<p>${LOREM} ${LOREM} ${LOREM} ${LOREM}</p>`;

function page(title, body, { css = GOOD_CSS, head = '' } = {}) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${css}</style>
${head}
</head>
<body>
<main>
<h1>${title}</h1>
<div class="essay-body">${body}</div>
</main>
</body>
</html>
`;
}

// A block formula with one fraction, as vellum writes MathML.
const FRACTION = '<p><math display="block"><mfrac><mrow><mi>a</mi><mo>+</mo><mn>1</mn></mrow><mi>b</mi></mfrac></math></p>';

// The typography checks (typography.mjs): a page with a header nav, a list with a note, an
// 80-column code block, a paragraph to print and a footer; TYPE_GOOD_CSS sets it right.
const TYPE_GOOD_CSS = `
body { margin: 0; background: #fdfcf9; color: #1f1d1a; font: 18px/1.45 Georgia, serif; }
a { color: #7a2e0e; }
header, main, footer { width: min(620px, 100% - 32px); margin-inline: auto; }
footer { border-top: 1px solid #ccc; }
nav a[aria-current] { color: #1f1d1a; text-decoration: none; }
pre { overflow-x: auto; font: 14px/1.4 monospace; }
.sidenote-toggle { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); margin: -1px; }
@media (min-width: 1000px) {
  .sidenote { float: right; clear: right; width: 200px; margin-right: -240px; font-size: 0.85em; }
  pre { width: max-content; max-width: 100vw; }
}
@media (max-width: 999px) { .sidenote { display: none; } .sidenote-toggle:checked + .sidenote { display: block; } }
@media print { main { max-width: 34em; } .sidenote-ref { color: #000; } a[href^="http"]::after { content: " (" attr(href) ")"; } }
@media (prefers-color-scheme: dark) { body { background: #171615; color: #e9e5de; } a { color: #f0a070; } }
`;
// Everything the checks look for, wrong: loose leading, a bullet lost to the note's checkbox,
// 80 columns that scroll, an off-centre column, an overhanging footer rule, no current link,
// long printed lines, red marks, and URLs printed after links within the site.
const TYPE_BAD_CSS = TYPE_GOOD_CSS.replace('18px/1.45', '18px/1.7') + `
li:has(> input[type="checkbox"]) { list-style: none; }
@media (min-width: 1000px) { header, main, footer { margin-left: 60px; } pre { width: auto; } }
footer { margin-inline: 0; width: auto; }
@media print { body { font-size: 9pt; } main { max-width: none; } .sidenote-ref { color: #c00; } a::after { content: " (" attr(href) ")"; } }
`;
// Exactly 80 columns.
const CODE80 = 'let lines: Vec<&str> = notes.lines().filter(|l| !l.trim().is_empty()).collect();';

function typographyPage(title, css, current) {
  const link = (href, text) => `<li><a href="${href}"${text === current ? ' aria-current="page"' : ''}>${text}</a></li>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${css}</style>
</head>
<body>
<header><nav aria-label="Site"><ul>${link('/', 'Essays')}${link('/archive/', 'Archive')}</ul></nav></header>
<main>
<h1>${title}</h1>
<div class="essay-body">
<p>${LOREM} ${LOREM} ${LOREM} See <a href="/typography-good/">the other page</a> and <a href="https://example.com/">a site elsewhere</a>.</p>
<ul><li>A point with a note.${note('l', 1, 'The note of a list item.')}</li><li>A point without.</li></ul>
<pre><code>${CODE80}</code></pre>
</div>
</main>
<footer class="site-footer"><p>The footer.</p></footer>
</body>
</html>
`;
}

// Each mock page, and the checks (check@viewport) it must fail — no more, no fewer.
const CASES = [
  { path: '/good/', requireSidenotes: true, html: page('Good', essay(true)), expect: [] },
  {
    path: '/overflow/',
    html: page('Overflow', `${essay(false)}<div style="width: 600px">A box wider than a phone.</div>`),
    expect: ['overflow@375'],
  },
  {
    path: '/inline-notes/',
    requireSidenotes: true,
    html: page('Inline notes', essay(true), { css: 'body { background: #fff; color: #111 } @media (prefers-color-scheme: dark) { body { background: #111; color: #eee } }' }),
    expect: ['sidenote-column@1280', 'sidenote-toggle@375', 'sidenote-checkbox@1280', 'sidenote-checkbox@375'],
  },
  {
    path: '/overlapping-notes/',
    html: page('Overlapping notes', essay(true), {
      css: GOOD_CSS + `
        @media (min-width: 1000px) { .essay-body { position: relative }
          .sidenote { float: none; position: absolute; top: 0; left: 660px; margin: 0; } }
        @media (max-width: 999px) { .sidenote-toggle:checked + .sidenote { display: none } }`,
    }),
    expect: ['sidenote-overlap@1280', 'sidenote-toggle@375'],
  },
  {
    path: '/notes-off-screen/',
    html: page('Notes off screen', essay(true), {
      css: GOOD_CSS + `
        @media (min-width: 1000px) { .sidenote { margin-right: -700px } }
        @media (max-width: 999px) { .sidenote-toggle:checked + .sidenote { position: relative; left: -120px } }`,
    }),
    // Pushed partly past the window, a note also makes the page scroll sideways.
    expect: ['sidenote-column@1280', 'overflow@1280', 'sidenote-toggle@375'],
  },
  { path: '/drifting-notes/', html: page('Drifting notes', crowded('')), expect: ['sidenote-drift@1280'] },
  { path: '/note-kept-in-text/', html: page('Note kept in text', crowded(' in-text')), expect: [] },
  {
    path: '/unreachable-toggles/',
    html: page('Unreachable toggles', essay(true), { css: GOOD_CSS + '.sidenote-toggle { display: none; }' }),
    expect: ['sidenote-keyboard@375'],
  },
  {
    path: '/hidden-notes/',
    html: page('Hidden notes', essay(true), { css: GOOD_CSS + '@media (min-width: 1000px) { .sidenote { visibility: hidden } }' }),
    expect: ['sidenote-hidden@1280'],
  },
  {
    path: '/bad-note-markup/',
    html: page('Bad note markup', essay(false).replace('</p>', '<span class="sidenote">A note with no toggle.</span></p>')),
    expect: ['sidenote-markup@1280', 'sidenote-markup@375'],
  },
  { path: '/no-notes/', requireSidenotes: true, html: page('No notes', essay(false)), expect: ['sidenotes-missing@1280', 'sidenotes-missing@375'] },
  {
    path: '/no-dark-mode/',
    html: page('No dark mode', essay(false), { css: 'body { background: #fff; color: #111; }' }),
    expect: ['dark-mode@1280', 'dark-mode@375'],
  },
  {
    path: '/console-error/',
    html: page('Console error', essay(false), { head: '<script>console.error("boom"); throw new Error("bang");</script>' }),
    expect: ['console-error@1280', 'console-error@375'],
  },
  {
    path: '/failed-request/',
    html: page('Failed request', essay(false) + '<img src="/missing.png" alt="A missing picture" width="10" height="10">'),
    // Chromium also logs the 404 in the console.
    expect: ['request-failed@1280', 'request-failed@375', 'console-error@1280', 'console-error@375'],
  },
  {
    path: '/external-request/',
    html: page('External request', essay(false), { head: '<link rel="stylesheet" href="https://fonts.example.com/serif.css">' }),
    // The blocked request is also a failed load in the console.
    expect: ['external-request@1280', 'external-request@375', 'console-error@1280', 'console-error@375'],
  },
  {
    path: '/inaccessible/',
    html: page('Inaccessible', essay(false) + '<img src="/pixel.svg" width="10" height="10"><p style="color: #ccc">Faint text.</p>'),
    expect: ['axe@1280', 'axe@375'],
  },
  { path: '/math/', requireMath: true, html: page('Math', essay(false) + FRACTION), expect: [] },
  {
    path: '/math-flat/',
    requireMath: true,
    // Without MathML layout the numerator and denominator run on one line.
    html: page('Math flat', essay(false) + FRACTION, { css: GOOD_CSS + 'math, math * { display: inline; }' }),
    expect: ['math-render@1280', 'math-render@375'],
  },
  { path: '/no-math/', requireMath: true, html: page('No math', essay(false)), expect: ['math-missing@1280', 'math-missing@375'] },
  { path: '/never-built/', expect: ['status@1280', 'status@375'] },
  {
    path: '/typography-good/',
    typography: true,
    html: typographyPage('Good type', TYPE_GOOD_CSS, 'Essays'),
    expect: [],
  },
  {
    path: '/typography-bad/',
    typography: true,
    html: typographyPage('Bad type', TYPE_BAD_CSS, null),
    expect: ['leading@1280', 'leading@375', 'bullet@1280', 'bullet@375', 'code-scroll@1280', 'centred@1280',
      'footer-rule@1280', 'footer-rule@375', 'nav-current@1280', 'nav-current@375',
      'print-measure@1280', 'print-marks@1280', 'print-links@1280'],
  },
];

const PIXEL = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function main() {
  const started = Date.now();
  const watchdog = setTimeout(() => {
    console.error('self-test timed out after 600 s');
    process.exit(2);
  }, 600_000);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vellum-selftest-'));
  const problems = [];
  try {
    for (const c of CASES) {
      if (!c.html) continue;
      await mkdir(path.join(dir, c.path), { recursive: true });
      await writeFile(path.join(dir, c.path, 'index.html'), c.html);
    }
    await writeFile(path.join(dir, 'pixel.svg'), PIXEL);
    await writeFile(path.join(dir, '404.html'), page('Not found', '<p>Nothing here.</p>'));

    const port = await freePort();
    const pages = CASES.map((c) => ({
      kind: c.path.replace(/\//g, ''),
      path: c.path,
      status: 200,
      requireSidenotes: Boolean(c.requireSidenotes),
      requireMath: Boolean(c.requireMath),
      // The typography pages ask for every flag of typography.mjs.
      ...(c.typography ? { centred: true, navCurrent: 'Essays', print: true, requireCode80: true, requirePrintText: true } : {}),
      // axe takes most of the time: scan only the page that must pass it and the one that must not.
      axe: c.path === '/good/' || c.path === '/inaccessible/',
    }));
    const lines = [];
    const failures = await runChecks({
      siteDir: dir,
      baseUrl: `http://127.0.0.1:${port}/`,
      pages,
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      log: (l) => lines.push(l),
    });

    for (const c of CASES) {
      const mine = failures.filter((f) => f.page === c.path);
      const fired = new Set(mine.map((f) => `${f.check}@${f.viewport}`));
      const expected = new Set(c.expect);
      const missing = [...expected].filter((e) => !fired.has(e));
      const extra = [...fired].filter((e) => !expected.has(e));
      const verdict = missing.length || extra.length ? 'WRONG' : 'ok';
      console.log(`  ${verdict.padEnd(5)} ${c.path.padEnd(22)} fails ${[...expected].sort().join(', ') || '(nothing)'}`);
      if (missing.length) problems.push(`${c.path}: expected ${missing.join(', ')} to fail, but it did not`);
      if (extra.length) {
        problems.push(`${c.path}: unexpected failures ${extra.join(', ')}:\n${formatFailures(mine)}`);
      }
    }

    // The Nu HTML Checker, with the flags tests/browser.rs uses.
    const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
    const vnu = (target) => {
      try {
        execFileSync('java', ['-jar', jar, '--errors-only', '--skip-non-html', target], { stdio: 'pipe' });
        return { ok: true, out: '' };
      } catch (err) {
        return { ok: false, out: String(err.stderr || err.message) };
      }
    };
    const good = vnu(path.join(dir, 'good', 'index.html'));
    const badFile = path.join(dir, 'invalid.html');
    await writeFile(badFile, '<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body><p><div>x</div></p></body></html>');
    const bad = vnu(badFile);
    console.log(`  ${good.ok ? 'ok   ' : 'WRONG'} vnu accepts a valid page`);
    console.log(`  ${!bad.ok && /error/.test(bad.out) ? 'ok   ' : 'WRONG'} vnu rejects an invalid page`);
    if (!good.ok) problems.push(`vnu rejected the valid mock page:\n${good.out}`);
    if (bad.ok || !/error/.test(bad.out)) problems.push('vnu accepted an invalid page');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  clearTimeout(watchdog);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (problems.length) {
    console.log(`\nself-test: ${problems.length} check(s) do not bite as they should (${secs} s):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`\nself-test: every check fails on the page built to break it (${secs} s)`);
}

main().catch((err) => {
  console.error(`self-test could not run: ${err.stack || err}`);
  process.exit(2);
});
