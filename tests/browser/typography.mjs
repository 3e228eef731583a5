// The typographer's checks of run.mjs (issue 13): what a careful reader notices on a page that
// passes the mechanical checks. Each takes an open Playwright page and reports through `fail`.
//
// On every page: body leading of 1.5 or less; a list item holding a note keeps its bullet; at
// desktop width, a code block of 80 columns or fewer does not scroll; the footer rule does not
// overhang the text; the Newer/Older links line up with the article. On pages that ask for it: the text column is centred (`centred`), the
// navigation marks the current section (`navCurrent`: the link's text), the page holds an
// 80-column code block (`requireCode80`), and, printed on A4 (`print`), lines of 90 characters
// or fewer, footnote marks in black and a URL printed after external links only.

/** The widest a body line may be, in characters, on paper. */
export const PRINT_MAX_CHARS = 90;
/** The most leading (line-height / font-size) a body paragraph may have. */
export const MAX_LEADING = 1.5;
/** A4 less the 2 cm margins of the themes' `@page`, in CSS px (170 mm at 96 px to the inch). */
export const A4_TEXT_WIDTH = Math.round((170 / 25.4) * 96);

const px = (n) => `${Math.round(n * 10) / 10}px`;

/** Runs in the page: the measurements of `checkTypography`. */
function measureReading() {
  const text = [...document.querySelectorAll('.essay-body p, main p')].find(
    (p) => !p.closest('.sidenote, .footnotes, header, nav') && p.textContent.trim().length > 40,
  );
  let leading = null;
  if (text) {
    const cs = getComputedStyle(text);
    const lh = parseFloat(cs.lineHeight);
    if (!Number.isNaN(lh)) leading = { value: lh / parseFloat(cs.fontSize), lineHeight: cs.lineHeight, fontSize: cs.fontSize };
  }
  // List items that carry a note, in the running text (not task-list items).
  const bullets = [...document.querySelectorAll('main ul > li')]
    .filter((li) => li.querySelector(':scope > .sidenote-toggle, :scope > p > .sidenote-toggle, .footnote-ref') &&
      !li.querySelector(':scope > input[type="checkbox"]:not(.sidenote-toggle)'))
    .map((li) => ({
      text: li.textContent.trim().slice(0, 40),
      listStyle: getComputedStyle(li).listStyleType,
      display: getComputedStyle(li).display,
    }));
  const code = [...document.querySelectorAll('main pre')].map((pre, i) => ({
    name: `pre[${i}]`,
    columns: Math.max(...pre.textContent.replace(/\n$/, '').split('\n').map((l) => [...l].length)),
    scrolls: pre.scrollWidth > pre.clientWidth + 1,
    scrollWidth: pre.scrollWidth,
    clientWidth: pre.clientWidth,
  }));
  // The text column: main's content box.
  const main = document.querySelector('main');
  let column = null;
  if (main) {
    const r = main.getBoundingClientRect();
    const cs = getComputedStyle(main);
    column = {
      left: r.left + parseFloat(cs.paddingLeft) + parseFloat(cs.borderLeftWidth),
      right: r.right - parseFloat(cs.paddingRight) - parseFloat(cs.borderRightWidth),
    };
  }
  const footer = document.querySelector('.site-footer');
  let rule = null;
  if (footer) {
    const ruled = [footer, ...footer.querySelectorAll('*')].find((el) => parseFloat(getComputedStyle(el).borderTopWidth) > 0);
    if (ruled) {
      const r = ruled.getBoundingClientRect();
      rule = { left: r.left, right: r.right };
    }
  }
  const style = (a) => {
    const cs = getComputedStyle(a);
    return `${cs.color} ${cs.textDecorationLine} ${cs.fontWeight} ${cs.backgroundColor} ${cs.borderBottomStyle}`;
  };
  const navLinks = [...document.querySelectorAll('header nav a')];
  const current = navLinks.filter((a) => a.getAttribute('aria-current') === 'page');
  const nav = {
    current: current.map((a) => a.textContent.trim()),
    currentStyle: current.length ? style(current[0]) : null,
    otherStyles: navLinks.filter((a) => !current.includes(a)).map(style),
  };
  // The article's content box and that of the Newer/Older links after it.
  const contentBox = (el) => {
    if (!el) return null;
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return { left: r.left + parseFloat(cs.paddingLeft), right: r.right - parseFloat(cs.paddingRight) };
  };
  const neighbours = { article: contentBox(document.querySelector('article.essay')), nav: contentBox(document.querySelector('.essay-nav')) };
  return { leading, bullets, code, column, rule, nav, neighbours, width: document.documentElement.clientWidth };
}

/** Checks the page as it is on screen. */
export async function checkTypography(tab, page, viewport, fail) {
  const m = await tab.evaluate(measureReading);
  if (m.leading && m.leading.value > MAX_LEADING + 0.005) {
    fail('leading', `body text is set ${m.leading.fontSize}/${m.leading.lineHeight}: leading ` +
      `${m.leading.value.toFixed(2)}, more than ${MAX_LEADING}`);
  }
  for (const b of m.bullets) {
    if (b.listStyle === 'none' || b.display !== 'list-item') {
      fail('bullet', `the list item “${b.text}…” holds a note and has lost its bullet ` +
        `(list-style-type ${b.listStyle}, display ${b.display})`);
    }
  }
  if (viewport.desktop) {
    for (const c of m.code.filter((c) => c.columns <= 80 && c.scrolls)) {
      fail('code-scroll', `${c.name} (${c.columns} columns) scrolls at ${viewport.width}px: ` +
        `${c.scrollWidth}px of code in ${c.clientWidth}px`);
    }
  }
  if (page.requireCode80 && !m.code.some((c) => c.columns >= 80)) {
    fail('code-80-missing', 'the page has no code block of 80 columns to measure');
  }
  if (viewport.desktop && page.centred && m.column) {
    const off = (m.column.left + m.column.right) / 2 - m.width / 2;
    if (Math.abs(off) > 8) {
      fail('centred', `the text column runs from x=${px(m.column.left)} to ${px(m.column.right)} of ` +
        `${m.width}px: its centre is ${px(Math.abs(off))} ${off < 0 ? 'left' : 'right'} of the page's`);
    }
  }
  if (m.rule && m.column) {
    const over = Math.max(m.column.left - m.rule.left, m.rule.right - m.column.right);
    if (over > 1) {
      fail('footer-rule', `the footer rule (x ${px(m.rule.left)}–${px(m.rule.right)}) overhangs the ` +
        `text (x ${px(m.column.left)}–${px(m.column.right)}) by ${px(over)}`);
    }
  }
  const { article, nav } = m.neighbours;
  if (article && nav && Math.max(Math.abs(article.left - nav.left), Math.abs(article.right - nav.right)) > 1) {
    fail('essay-nav', `the Newer/Older links (x ${px(nav.left)}–${px(nav.right)}) do not line up with ` +
      `the article (x ${px(article.left)}–${px(article.right)})`);
  }
  if (page.navCurrent) {
    const { current, currentStyle, otherStyles } = m.nav;
    if (current.length !== 1 || current[0] !== page.navCurrent) {
      fail('nav-current', `expected the nav link “${page.navCurrent}” alone to carry aria-current="page", ` +
        `found ${current.length ? current.map((t) => `“${t}”`).join(', ') : 'none'}`);
    } else if (otherStyles.includes(currentStyle)) {
      fail('nav-current', `the current nav link “${current[0]}” looks like the others (${currentStyle})`);
    }
  }
}

/** Runs in the page, printed: characters per line of the body paragraphs, marks and links. */
function measurePrint() {
  // A line ends where the next character starts to the left of the one before it.
  const lines = (p) => {
    const counts = [];
    let n = 0;
    let lastLeft = -Infinity;
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const r = range.getClientRects()[0];
        if (!r) continue; // not rendered (a sidenote in print)
        if (r.left < lastLeft - 1) {
          counts.push(n);
          n = 0;
        }
        n++;
        lastLeft = r.left;
      }
    }
    return counts; // every line but the last, which may be short
  };
  let widest = { chars: 0, text: '' };
  const paragraphs = [...document.querySelectorAll('.essay-body p')]
    .filter((p) => !p.closest('.sidenote, .footnotes, li, blockquote') && p.textContent.length > 300)
    .slice(0, 6);
  for (const p of paragraphs) {
    const most = Math.max(0, ...lines(p));
    if (most > widest.chars) widest = { chars: most, text: p.textContent.trim().slice(0, 40) };
  }
  const marks = [...document.querySelectorAll('.sidenote-ref sup, .footnote-ref a')].map((el) => getComputedStyle(el).color);
  const links = [...document.querySelectorAll('.essay-body a[href]')]
    .filter((a) => /^https?:/.test(a.href) && !a.closest('.footnote-ref, .footnotes, .sidenote'))
    .map((a) => ({
      href: a.href,
      external: new URL(a.href).origin !== location.origin,
      after: getComputedStyle(a, '::after').content,
    }));
  return { paragraphs: paragraphs.length, widest, marks, links };
}

/** Checks the page printed on A4: call last, it leaves the page in print media. */
export async function checkPrint(tab, page, fail) {
  await tab.setViewportSize({ width: A4_TEXT_WIDTH, height: 1123 });
  await tab.emulateMedia({ media: 'print' });
  const m = await tab.evaluate(measurePrint);
  if (m.paragraphs === 0 && page.requirePrintText) fail('print-measure', 'no body paragraph of 300 characters to measure in print');
  if (m.widest.chars > PRINT_MAX_CHARS) {
    fail('print-measure', `printed on A4, “${m.widest.text}…” runs ${m.widest.chars} characters a line ` +
      `(at most ${PRINT_MAX_CHARS})`);
  }
  const coloured = m.marks.filter((c) => c !== 'rgb(0, 0, 0)');
  if (coloured.length) fail('print-marks', `${coloured.length} footnote mark(s) print in ${coloured[0]}, not black`);
  for (const l of m.links) {
    const printed = l.after.includes(l.href);
    if (l.external && !printed) fail('print-links', `the external link ${l.href} prints without its URL`);
    if (!l.external && l.after !== 'none' && l.after !== 'normal' && l.after !== '""') {
      fail('print-links', `the link ${l.href}, within the site, prints ${l.after} after it`);
    }
  }
}
