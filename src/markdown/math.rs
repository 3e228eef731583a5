//! Math: TeX between `$…$` and `$$…$$` (pulldown-cmark's math extension), or between `\(…\)`
//! and `\[…\]` as kramdown, Hugo and MathJax users write it, becomes MathML when the site is
//! built (`pulldown-latex`), so a page needs no script to show it. Inside math the TeX is taken
//! as written: no emphasis, smart punctuation or escapes.
//!
//! [`with_delimiters`] writes `\(…\)` as `$…$` and `\[…\]` as `$$…$$` before parsing, keeping
//! every line where it was; [`to_html`] turns the parser's math events into MathML; [`check`]
//! finds the formulas TeX cannot read, with their lines, when the essay is parsed: rendering
//! waits until a page needs it and is skipped for unchanged pages, so a warning found there
//! would be said only on some builds. A formula that cannot be read is shown as its source, in
//! `<code class="math-error">`.
//!
//! An essay without `$`, `\(` or `\[` costs one `memchr` pass here.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};
use pulldown_latex::config::DisplayMode;
use pulldown_latex::{RenderConfig, Storage};

/// Whether `text` may hold math: a `$`, `\(` or `\[`.
fn may_have_math(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr(b'$', bytes).is_some() || may_have_tex_delimiters(bytes)
}

fn may_have_tex_delimiters(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\\', bytes).any(|at| matches!(bytes.get(at + 1), Some(b'(' | b'[')))
}

/// `text` with `\(…\)` written as `$…$` and `\[…\]` as `$$…$$`, outside code, raw HTML and
/// math, and each `$$` block that spans lines written on one line. Lines stay where they are.
/// `\[` opens display math only at the start of a line (after spaces or a quote's `>`), so an
/// escaped bracket in prose (`a\[i\]`, `\[1\]`) stays text.
pub fn with_delimiters(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let tex = may_have_tex_delimiters(bytes);
    let blocks = memchr::memmem::find(bytes, b"$$").is_some();
    if !tex && !blocks {
        return Cow::Borrowed(text);
    }
    let mut found = Vec::new();
    if tex {
        for (range, inner, display) in tex_delimited(text) {
            let fence = if display { "$$" } else { "$" };
            found.push((range, format!("{fence}{}{fence}", &text[inner]), true));
        }
    }
    if blocks {
        found.extend(math_blocks(text).into_iter().map(|(r, w)| (r, w, false)));
    }
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    found.sort_by_key(|(range, _, _)| range.start);
    let (code, math) = skipped_ranges(text);
    let overlaps = |ranges: &[Range<usize>], range: &Range<usize>| {
        ranges
            .iter()
            .any(|s| s.start < range.end && range.start < s.end)
    };
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for (range, written, outside_math) in found {
        if range.start < done
            || overlaps(&code, &range)
            || (outside_math && overlaps(&math, &range))
        {
            continue;
        }
        out.push_str(&text[done..range.start]);
        out.push_str(&written);
        done = range.end;
    }
    if done == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

/// Each `$$` block as kramdown writes it: `$$` at the start of a paragraph, on its own line or
/// before the TeX, to a line that ends with `$$`. CommonMark reads `$$` only within a
/// paragraph, so a blank line in the TeX, or a line that starts with `-`, `+` or `>`, would end
/// it or make a list or a quote: the block is written on one line, with its line breaks after it. A block with
/// a TeX comment (`%`, which ends at the end of its line) is left as it is.
fn math_blocks(text: &str) -> Vec<(Range<usize>, String)> {
    /// How far to look for the closing `$$`: kramdown lets a block hold blank lines, and a
    /// stray `$$` should not take the rest of the essay with it.
    const MAX_BLOCK_LINES: usize = 60;
    let mut found = Vec::new();
    let mut lines = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        lines.push(at..at + line.trim_end_matches(['\n', '\r']).len());
        at += line.len();
    }
    let mut i = 0;
    while i < lines.len() {
        let line = &text[lines[i].clone()];
        let after_blank = i == 0 || text[lines[i - 1].clone()].trim().is_empty();
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if !(after_blank && indent <= 3 && rest.starts_with("$$") && !rest[2..].contains("$$")) {
            i += 1;
            continue;
        }
        let Some(last) = (i + 1..lines.len().min(i + MAX_BLOCK_LINES))
            .find(|&j| text[lines[j].clone()].trim_end().ends_with("$$"))
        else {
            i += 1;
            continue;
        };
        let start = lines[i].start + indent;
        let end = lines[last].start + text[lines[last].clone()].trim_end().len();
        let inner = &text[start + 2..end - 2];
        if !inner.contains('%') {
            let joined: Vec<&str> = inner.lines().map(str::trim).collect();
            let breaks = "\n".repeat(last - i);
            found.push((
                start..end,
                format!("$${}$${breaks}", joined.join(" ").trim()),
            ));
        }
        i = last + 1;
    }
    found
}

/// Each `\(…\)` and `\[…\]`: the whole, the TeX inside (trimmed of spaces), and whether it is
/// display math. A formula ends within its paragraph and holds no `$`.
fn tex_delimited(text: &str) -> Vec<(Range<usize>, Range<usize>, bool)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'\\', &bytes[from..]).map(|i| from + i) {
        from = at + 1;
        let (display, close) = match bytes.get(at + 1) {
            Some(b'(') => (false, "\\)"),
            Some(b'[') if at_line_start(text, at) => (true, "\\]"),
            _ => continue,
        };
        let start = at + 2;
        let Some(len) = text[start..].find(close) else {
            continue;
        };
        let inner = &text[start..start + len];
        if inner.contains('$') || inner.contains("\n\n") || inner.trim().is_empty() {
            continue;
        }
        let lead = inner.len() - inner.trim_start_matches([' ', '\t']).len();
        let trail = inner.len() - inner.trim_end_matches([' ', '\t']).len();
        let end = start + len + close.len();
        found.push((at..end, start + lead..start + len - trail, display));
        from = end;
    }
    found
}

/// Whether only spaces and `>` come before `at` on its line.
fn at_line_start(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    text[line_start..at]
        .bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'>'))
}

/// The byte ranges of code and raw HTML in `text`, where no markup of another pass is read.
pub(super) fn code_ranges(text: &str) -> Vec<Range<usize>> {
    skipped_ranges(text).0
}

/// Code and raw HTML, where no math is read; and math already written with `$`.
fn skipped_ranges(text: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let (mut code, mut math) = (Vec::new(), Vec::new());
    for (event, range) in Parser::new_ext(text, super::options()).into_offset_iter() {
        match event {
            Event::Code(_)
            | Event::Start(Tag::CodeBlock(_))
            | Event::Html(_)
            | Event::InlineHtml(_) => code.push(range),
            Event::InlineMath(_) | Event::DisplayMath(_) => math.push(range),
            _ => {}
        }
    }
    (code, math)
}

/// Each math event of a body as HTML. `$$…$$` is display math when it stands alone in its
/// paragraph (or beside other display math), and inline within a sentence: so kramdown reads
/// it, and Jekyll's posts write `$$` for all their math.
pub fn render(events: &mut [Event<'_>]) {
    let display: Vec<(usize, bool)> = events
        .iter()
        .enumerate()
        .filter_map(|(i, event)| match event {
            Event::InlineMath(_) => Some((i, false)),
            Event::DisplayMath(_) => Some((i, stands_alone(events, i))),
            _ => None,
        })
        .collect();
    for (i, display) in display {
        if let Event::InlineMath(tex) | Event::DisplayMath(tex) = &events[i] {
            events[i] = html(tex, display);
        }
    }
}

/// Whether the display math at `i` has no words of its sentence beside it.
fn stands_alone(events: &[Event<'_>], i: usize) -> bool {
    let blank = |e: &&Event<'_>| {
        matches!(e, Event::SoftBreak) || matches!(e, Event::Text(t) if t.trim().is_empty())
    };
    let in_sentence = |e: Option<&Event<'_>>| {
        matches!(
            e,
            Some(
                Event::Text(_)
                    | Event::Code(_)
                    | Event::InlineMath(_)
                    | Event::InlineHtml(_)
                    | Event::FootnoteReference(_)
                    | Event::Start(
                        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }
                    )
                    | Event::End(
                        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link
                    )
            )
        )
    };
    let before = events[..i].iter().rev().find(|e| !blank(e));
    let after = events[i + 1..].iter().find(|e| !blank(e));
    !in_sentence(before) && !in_sentence(after)
}

/// A math event as HTML (MathML, or the source as code when TeX cannot read it), with display
/// math as written; any other event as it is. For Markdown with no page of its own (the
/// `markdown` filter).
pub fn to_html(event: Event<'_>) -> Event<'_> {
    match &event {
        Event::InlineMath(tex) => html(tex, false),
        Event::DisplayMath(tex) => html(tex, true),
        _ => event,
    }
}

fn html(tex: &str, display: bool) -> Event<'static> {
    let html = match mathml(tex, display) {
        // A wide formula scrolls sideways on a narrow screen, inside a box that takes the
        // keyboard's focus so that keyboard users can scroll it too.
        Ok(mathml) if display => {
            format!("<span class=\"math-display\" tabindex=\"0\">{mathml}</span>")
        }
        Ok(mathml) => mathml,
        Err(_) => {
            let mut html = String::from("<code class=\"math-error\">");
            let _ = pulldown_cmark_escape::escape_html(&mut html, tex);
            html.push_str("</code>");
            html
        }
    };
    Event::InlineHtml(CowStr::from(html))
}

/// The MathML for `tex`, or what is wrong with it.
pub fn mathml(tex: &str, display: bool) -> Result<String, String> {
    with_events(tex, display, |events| {
        let config = RenderConfig {
            display_mode: if display {
                DisplayMode::Block
            } else {
                DisplayMode::Inline
            },
            ..RenderConfig::default()
        };
        let mut out = String::with_capacity(tex.len() * 8);
        pulldown_latex::push_mathml(
            &mut out,
            events.into_iter().map(Ok::<_, std::io::Error>),
            config,
        )
        .map_err(|error| error.to_string())?;
        Ok(escape_operators(out))
    })?
}

/// Calls `f` with the events of `tex`, read as written or, failing that, as MathJax would
/// read it (see [`as_mathjax_reads`]); or says what is wrong with it as written.
fn with_events<R>(
    tex: &str,
    display: bool,
    f: impl for<'a> FnOnce(Vec<pulldown_latex::Event<'a>>) -> R,
) -> Result<R, String> {
    let storage = Storage::new();
    let error = match pulldown_latex::Parser::new(tex, &storage).collect::<Result<Vec<_>, _>>() {
        Ok(events) => return Ok(f(events)),
        Err(error) => problem(&error),
    };
    let Some(again) = as_mathjax_reads(tex, display) else {
        return Err(error);
    };
    let storage = Storage::new();
    match pulldown_latex::Parser::new(&again, &storage).collect::<Result<Vec<_>, _>>() {
        Ok(events) => Ok(f(events)),
        Err(_) => Err(error),
    }
}

/// What MathJax accepts and `pulldown-latex` does not, as it can read it: `\\` between the
/// lines of display math outside any environment (in `gathered`), `\label{…}` (dropped),
/// `\tag{…}` (written after a space), the `\TeX` logos (as text), the size commands
/// (`\small`: dropped, MathML sizes the formula), amsmath's `\mod` (as `\bmod`), mhchem's
/// `\ce` and `\pu` (see [`super::mhchem`]), and a `[`
/// that starts a line after `\\` (MathJax reads `\\[…]` as a line's spacing only when the
/// bracket follows at once). `None` when there is none of it.
fn as_mathjax_reads(tex: &str, display: bool) -> Option<String> {
    let mut out = tex.to_string();
    for (command, replacement) in [
        ("\\tiny", ""),
        ("\\scriptsize", ""),
        ("\\footnotesize", ""),
        ("\\small", ""),
        ("\\normalsize", ""),
        ("\\large", ""),
        ("\\Large", ""),
        ("\\LARGE", ""),
        ("\\huge", ""),
        ("\\Huge", ""),
        ("\\mod", "\\bmod"),
    ] {
        out = replace_command(&out, command, replacement);
    }
    out = row_break_before_bracket(&out);
    if let Some(chemistry) = super::mhchem::expand(&out) {
        out = chemistry;
    }
    for (command, replacement) in [
        ("\\label{", ""),
        ("\\tag*{", "\\qquad "),
        ("\\tag{", "\\qquad "),
    ] {
        while let Some(at) = out.find(command) {
            let open = at + command.len();
            let close = open + out[open..].find('}')?;
            let inner = &out[open..close];
            let with = match (replacement, command) {
                ("", _) => String::new(),
                (_, "\\tag{") => format!("{replacement}({inner})"),
                _ => format!("{replacement}{inner}"),
            };
            out.replace_range(at..=close, &with);
        }
    }
    // The logos, as KaTeX and MathJax write them.
    for (logo, text) in [
        ("\\KaTeX", "\\text{KaTeX}"),
        ("\\LaTeX", "\\text{LaTeX}"),
        ("\\TeX", "\\text{TeX}"),
    ] {
        if out.contains(logo) {
            out = out.replace(logo, text);
        }
    }
    if display && out.contains("\\\\") {
        out = format!("\\begin{{gathered}}{out}\\end{{gathered}}");
    }
    (out != tex).then_some(out)
}

/// `text` with the command `name` (`\small`, not `\smallint`) replaced by `with`.
fn replace_command(text: &str, name: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(name) {
        let after = &rest[at + name.len()..];
        out.push_str(&rest[..at]);
        if after.starts_with(|c: char| c.is_ascii_alphabetic()) {
            out.push_str(name);
        } else {
            out.push_str(with);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `\\` then spaces (a line break, in the source) then `[`: `\\{}`, so that the bracket is
/// the next row's text and not the row break's optional spacing.
fn row_break_before_bracket(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\\\\") {
        let after = &rest[at + 2..];
        out.push_str(&rest[..at + 2]);
        let trimmed = after.trim_start();
        if trimmed.len() < after.len() && trimmed.starts_with('[') {
            out.push_str("{}");
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `pulldown-latex` escapes text (`\text{a < b}`) but not a one-character operator or
/// identifier: `a < b` comes out as `<mo><</mo>`, which an HTML parser reads as the start of a
/// tag. Such a character always stands alone between two tags.
fn escape_operators(mathml: String) -> String {
    if !mathml.contains("><</") && !mathml.contains(">&</") {
        return mathml;
    }
    mathml
        .replace("><</", ">&lt;</")
        .replace(">&</", ">&amp;</")
}

/// The first line of a TeX error, without its `parsing error:` prefix.
fn problem(error: &pulldown_latex::ParserError) -> String {
    let message = error.to_string();
    let first = message.lines().next().unwrap_or_default();
    first
        .strip_prefix("parsing error: ")
        .unwrap_or(first)
        .trim()
        .to_string()
}

/// A formula TeX cannot read: its 1-based line in the essay's file, and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MathError {
    pub line: usize,
    pub message: String,
}

/// The formulas of the Markdown body `text[body]` that TeX cannot read, with their lines in
/// `text`. Parses the body only when it holds a `$`, `\(` or `\[`.
pub fn check(text: &str, body: Range<usize>) -> Vec<MathError> {
    let body_text = &text[body.clone()];
    if !may_have_math(body_text) {
        return Vec::new();
    }
    let first_line = crate::error::line_of(text, body.start);
    let delimited = with_delimiters(body_text);
    let mut errors = Vec::new();
    for (event, range) in Parser::new_ext(&delimited, super::options()).into_offset_iter() {
        let (tex, display) = match &event {
            Event::InlineMath(tex) => (tex, false),
            Event::DisplayMath(tex) => (tex, true),
            _ => continue,
        };
        if let Err(error) = with_events(tex, display, |_| ()) {
            let fence = if display { "$$" } else { "$" };
            errors.push(MathError {
                line: first_line + crate::error::line_of(&delimited, range.start) - 1,
                message: format!(
                    "math: {error}; the formula `{fence}{}{fence}` is shown as its source",
                    shorten(tex)
                ),
            });
        }
    }
    errors
}

/// A formula cut to fit in a message.
fn shorten(tex: &str) -> String {
    let tex = tex.trim();
    match tex.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &tex[..at]),
        None => tex.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{render_inline, render_markdown};
    use super::*;

    fn html(markdown: &str) -> String {
        render_markdown(markdown).html
    }

    /// Regression: `_` and `*` in TeX were read as emphasis
    /// (`\bar{\alpha}<em>t = \prod</em>{i=1}`).
    #[test]
    fn emphasis_never_touches_tex() {
        let out = html("$$\\bar{\\alpha}_t = \\prod_{i=1}^t \\alpha_i$$\n\nand $a_1 * b_1 * c$.\n");
        assert!(!out.contains("<em>"), "{out}");
        assert!(out.contains("<math display=\"block\">"), "{out}");
        assert!(
            out.contains("<munderover><mo movablelimits=\"false\">∏</mo>"),
            "{out}"
        );
        assert!(
            out.contains("<msub><mi>a</mi><mn>1</mn></msub><mo>∗</mo>"),
            "{out}"
        );
        assert!(!out.contains('$'), "{out}");
    }

    #[test]
    fn smart_punctuation_and_escapes_never_touch_tex() {
        let out = html("$$x = \"a\" -- b$$\n\nand $a < b \\& c$\n");
        assert_eq!(
            out,
            concat!(
                "<p><span class=\"math-display\" tabindex=\"0\"><math display=\"block\"><mi>x</mi><mo>=</mo><mi>\"</mi><mi>a</mi>",
                "<mi>\"</mi><mo>−</mo><mi>−</mi><mi>b</mi></math></span></p>\n<p>and <math display=\"inline\">",
                "<mi>a</mi><mo>&lt;</mo><mi>b</mi><mi>&amp;</mi><mi>c</mi></math></p>\n"
            )
        );
    }

    #[test]
    fn prices_stay_text() {
        assert_eq!(
            html("It costs $5 and $10.\n"),
            "<p>It costs $5 and $10.</p>\n"
        );
        assert_eq!(html("From $5 to $ 10.\n"), "<p>From $5 to $ 10.</p>\n");
    }

    #[test]
    fn formulas_real_posts_use() {
        let out = html(concat!(
            "A fraction $\\frac{a}{b}$, a sum $\\sum_{i=1}^n x_i$, scripts $x_i^2$,\n",
            "$\\mathbb{R}$, $\\operatorname{tr}(A)$ and $\\text{if } x > 0$.\n\n",
            "$$\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}$$\n\n",
            "$$\\begin{aligned} a &= b + c \\\\ d &= e \\end{aligned}$$\n",
        ));
        for part in [
            "<mfrac><mrow><mi>a</mi></mrow><mrow><mi>b</mi></mrow></mfrac>",
            "<msubsup><mo movablelimits=\"false\">∑</mo>",
            "<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup>",
            "<mi>ℝ</mi>",
            "<mi>tr</mi><mo>\u{2061}</mo>",
            "<mtext>if&nbsp;</mtext>",
            "<mtable class=\"menv-arraylike\"><mtr><mtd><mi>a</mi></mtd>",
            "<mtable class=\"menv-alignlike menv-align\">",
        ] {
            assert!(out.contains(part), "{part} in {out}");
        }
        assert_eq!(out.matches("<math display=\"block\">").count(), 2, "{out}");
    }

    #[test]
    fn tex_delimiters_as_kramdown_and_mathjax_write_them() {
        let out = html("Inline \\( a_1 * b_1 \\) here.\n\n\\[\n\\frac{a}{b}\n\\]\n");
        assert!(out.contains("<math display=\"inline\"><msub>"), "{out}");
        assert!(out.contains("<math display=\"block\"><mfrac>"), "{out}");
        assert!(!out.contains("<em>") && !out.contains("\\("), "{out}");
    }

    #[test]
    fn escaped_brackets_and_code_stay_as_written() {
        assert_eq!(
            html("`\\(x\\)` and a\\[i\\], \\[1\\].\n\n```\n\\[x\\]\n```\n"),
            "<p><code>\\(x\\)</code> and a[i], [1].</p>\n<pre tabindex=\"0\"><code>\\[x\\]\n</code></pre>\n"
        );
    }

    #[test]
    fn delimiters_keep_every_line_in_place() {
        let text = "one\n\n\\[\n  x \\\\\n  y\n\\]\n\nand \\(z\\)\n";
        let out = with_delimiters(text);
        assert_eq!(out.lines().count(), text.lines().count(), "{out}");
        assert_eq!(out, "one\n\n$$\n  x \\\\\n  y\n$$\n\nand $z$\n");
    }

    #[test]
    fn a_bad_formula_is_shown_as_its_source() {
        let out = html("See $\\frac{1}$ here.\n");
        assert_eq!(
            out,
            "<p>See <code class=\"math-error\">\\frac{1}</code> here.</p>\n"
        );
    }

    #[test]
    fn a_bad_formula_is_found_at_its_line() {
        let text = "+++\ntitle = \"x\"\n+++\nFine $x$.\n\nText\n$$\\frac{1}$$ and $\\begin{foo}$\n";
        let body = text.find("Fine").unwrap()..text.len();
        let errors = check(text, body);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].line, 7);
        assert!(
            errors[0].message.starts_with("math: "),
            "{}",
            errors[0].message
        );
        assert!(
            errors[0].message.contains("`$$\\frac{1}$$`"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[1].line, 7);
    }

    #[test]
    fn text_without_math_is_not_parsed() {
        assert!(check("No math (here) [at] all.\n", 0..24).is_empty());
        assert!(!may_have_math("a [link](x) \\* not math"));
        assert!(may_have_math("costs $5"));
    }

    /// MathJax reads these; the real posts that use them should not lose their formulas.
    #[test]
    fn what_mathjax_accepts_beyond_pulldown_latex() {
        let out = html("$$a = b \\\\ c = d \\label{eq:x} \\tag{2}$$\n");
        assert!(out.contains("<math display=\"block\"><mtable"), "{out}");
        assert!(
            out.contains("<mspace width=\"2em\" /><mo symmetric=\"false\" stretchy=\"false\">(</mo><mn>2</mn>"),
            "{out}"
        );
        assert!(
            !out.contains("eq:x") && !out.contains("math-error"),
            "{out}"
        );
    }

    /// Seen in a real Jekyll blog: `\small` notes beside aligned rows, `\mod`, and a row
    /// that starts with a bracket after a line break.
    #[test]
    fn sizes_mod_and_a_row_starting_with_a_bracket() {
        for tex in [
            "$$\\begin{aligned} a &= b & \\small{\\text{; a note}} \\\\ c &= d\\end{aligned}$$",
            "$$A = \\{j: (i-j) \\mod \\ell = 0\\}$$",
            "$$\\begin{aligned} x &= [a, b] \\\\\n[y, z] &= [c, d]\\end{aligned}$$",
        ] {
            let out = html(&format!("{tex}\n"));
            assert!(out.contains("<math display=\"block\">"), "{tex}: {out}");
            assert!(!out.contains("math-error"), "{tex}: {out}");
        }
        let out = html("$$\\begin{aligned} x &= 1 \\\\\n[y] &= 2\\end{aligned}$$\n");
        assert!(out.contains(">[</mo>"), "{out}");
        // `\smallint` is another command: only `\small` itself is dropped.
        assert_eq!(
            replace_command("\\small x \\smallint", "\\small", ""),
            " x \\smallint"
        );
    }

    /// mhchem, as KaTeX and MathJax sites load it: a real Zola theme's demo writes both.
    #[test]
    fn chemistry_and_quantities() {
        let out = html("Water is $\\ce{H2O}$, at $\\pu{25 °C}$.\n");
        assert!(!out.contains("math-error"), "{out}");
        let water =
            "<msub><mrow><mi mathvariant=\"normal\">H</mi></mrow><mrow><mn>2</mn></mrow></msub>";
        assert!(out.contains(water), "{out}");
        assert!(out.contains("<mi mathvariant=\"normal\">C</mi>"), "{out}");
    }

    /// Regression: a Jekyll post's `$$n$$` in the middle of a sentence broke it in two.
    #[test]
    fn display_math_within_a_sentence_is_inline_as_kramdown_reads_it() {
        let out = html("where $$n$$ is the index, and\n\n$$\na = b\n$$\n$$c$$\n\n> $$d$$\n");
        assert_eq!(
            out.matches("<math display=\"inline\"><mi>n</mi></math>")
                .count(),
            1,
            "{out}"
        );
        assert_eq!(out.matches("<math display=\"block\">").count(), 3, "{out}");
    }

    /// Regression: a `$$` block with a line starting with `-` became a list, its TeX
    /// emphasis.
    #[test]
    fn a_math_block_is_never_read_as_markdown() {
        let text = "Text.\n\n$$\n\\begin{aligned}\na &= b\\\\\n\n- c &= d_1 * e_2 *\n\\end{aligned}\n$$\n\nAfter.\n";
        let out = html(text);
        assert!(!out.contains("<li>") && !out.contains("<em>"), "{out}");
        assert_eq!(
            out.matches("<math display=\"block\"><mtable").count(),
            1,
            "{out}"
        );
        assert_eq!(with_delimiters(text).lines().count(), text.lines().count());
        // Not in code, and not with a TeX comment.
        for kept in ["```\n$$\n- a\n$$\n```\n", "$$\na % note\n- b\n$$\n"] {
            assert_eq!(with_delimiters(kept), kept);
        }
    }

    /// Regression: a heading `## $\KaTeX$` lost its id `katex`, which links led to.
    #[test]
    fn a_formula_in_a_heading_gives_its_id_its_tex() {
        let r = render_markdown("## $\\KaTeX$ and $\\LaTeX$\n");
        assert_eq!(r.toc[0].id, "katex-and-latex");
        assert!(r.html.contains("<mtext>KaTeX</mtext>"), "{}", r.html);
    }

    #[test]
    fn the_markdown_filter_renders_math_too() {
        assert!(render_inline("$x^2$").contains("<msup>"));
    }
}
