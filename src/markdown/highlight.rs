//! Code highlighting with syntect. Each token gets short classes naming its colour in the light
//! scheme (`l3`) and in the dark one (`d5`), resolved from both syntect themes at build time, so
//! a token is one flat `<span>` instead of a nest of scope spans, and one small generated
//! stylesheet ([`stylesheet`]) serves both schemes. The syntax and theme sets are loaded once,
//! on first use, and shared across threads. A fence in a language syntect does not know is
//! rendered as escaped plain code.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use pulldown_cmark::CowStr;
use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;
use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme, ThemeSet};
use syntect::parsing::{ParseState, Scope, ScopeStack};
use syntect::util::LinesWithEndings;

use super::code_cache;
use super::code_info::CodeInfo;
use super::languages::{self, Language};
use super::numbered;

const LIGHT_THEME: &str = "InspiredGitHub";
const DARK_THEME: &str = "base16-ocean.dark";

static THEMES: LazyLock<ThemeSet> = LazyLock::new(ThemeSet::load_defaults);
static LIGHT: LazyLock<Scheme> = LazyLock::new(|| Scheme::new(LIGHT_THEME, 'l', LIGHT_MARK));
static DARK: LazyLock<Scheme> = LazyLock::new(|| Scheme::new(DARK_THEME, 'd', DARK_MARK));
/// The background of a marked line (`hl_lines`) in each scheme, as `BLOCKS` gives it: a little
/// darker than the light scheme's background and lighter than the dark one's, so a colour that
/// reads at 4.5:1 on the marked line reads at least as well on the others.
const LIGHT_MARK: Rgb = (0xfd, 0xf6, 0xdc);
const DARK_MARK: Rgb = (0x35, 0x3b, 0x48);

/// One colour scheme: a syntect theme, its highlighter, and the palette its classes index.
struct Scheme {
    highlighter: Highlighter<'static>,
    /// The class letter: `l` for light, `d` for dark.
    letter: char,
    foreground: Rgb,
    background: Rgb,
    /// Each colour the theme's rules can give a token, with its class number: `l3` is
    /// `colours[3]`. Colours that read the same as plain text get no class.
    classes: Vec<(Color, usize)>,
    /// The colours, raised to AA contrast against the background and without repeats.
    colours: Vec<Rgb>,
}

type Rgb = (u8, u8, u8);

impl Scheme {
    fn new(name: &str, letter: char, mark: Rgb) -> Scheme {
        // The default themes are compiled into syntect; a missing one would be a bug in this
        // file, and the empty theme it falls back to still renders (uncoloured) code.
        static EMPTY: LazyLock<Theme> = LazyLock::new(Theme::default);
        let theme: &'static Theme = THEMES.themes.get(name).unwrap_or(&EMPTY);
        let rgb = |c: Color| (c.r, c.g, c.b);
        let background = rgb(theme.settings.background.unwrap_or(Color::WHITE));
        // Raised against the marked line's background: the harder of the two to read on.
        let foreground = readable(rgb(theme.settings.foreground.unwrap_or(Color::BLACK)), mark);
        let (mut classes, mut colours) = (Vec::new(), Vec::new());
        for colour in theme.scopes.iter().filter_map(|item| item.style.foreground) {
            let shown = readable(rgb(colour), mark);
            if shown == foreground || classes.iter().any(|&(c, _)| c == colour) {
                continue;
            }
            let class = colours.iter().position(|&c| c == shown).unwrap_or_else(|| {
                colours.push(shown);
                colours.len() - 1
            });
            classes.push((colour, class));
        }
        Scheme {
            highlighter: Highlighter::new(theme),
            letter,
            foreground,
            background,
            classes,
            colours,
        }
    }

    /// Appends the classes for `style` (nothing for the plain text colour) to `out`.
    fn classes(&self, style: Style, out: &mut String) {
        let mut add = |class: std::fmt::Arguments| {
            if !out.is_empty() {
                out.push(' ');
            }
            let _ = out.write_fmt(class);
        };
        if let Some(&(_, i)) = self.classes.iter().find(|&&(c, _)| c == style.foreground) {
            add(format_args!("{}{i}", self.letter));
        }
        for (flag, suffix) in [
            (FontStyle::BOLD, 'b'),
            (FontStyle::ITALIC, 'i'),
            (FontStyle::UNDERLINE, 'u'),
        ] {
            if style.font_style.contains(flag) {
                add(format_args!("{}{suffix}", self.letter));
            }
        }
    }

    /// This scheme's rules, compact: they are on every page with code.
    fn css(&self) -> String {
        let hex = |(r, g, b): Rgb| format!("#{r:02x}{g:02x}{b:02x}");
        let l = self.letter;
        let mut css = format!(
            ".hl-code{{color:{};background:{}}}\n",
            hex(self.foreground),
            hex(self.background)
        );
        for (i, &colour) in self.colours.iter().enumerate() {
            let _ = writeln!(css, "pre .{l}{i}{{color:{}}}", hex(colour));
        }
        let _ = writeln!(css, "pre .{l}b{{font-weight:bold}}");
        let _ = writeln!(css, "pre .{l}i{{font-style:italic}}");
        let _ = writeln!(css, "pre .{l}u{{text-decoration:underline}}");
        css
    }
}

/// Replaces every code block in `events` with its highlighted HTML.
pub fn highlight_code_blocks(events: &mut Vec<Event<'_>>) {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::CodeBlock(_))))
    {
        return;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut drained = std::mem::take(events).into_iter();
    while let Some(event) = drained.next() {
        let Event::Start(Tag::CodeBlock(kind)) = event else {
            out.push(event);
            continue;
        };
        let mut code = String::new();
        for inner in drained.by_ref() {
            match inner {
                Event::End(TagEnd::CodeBlock) => break,
                Event::Text(t) => code.push_str(&t),
                _ => {}
            }
        }
        let info = match &kind {
            CodeBlockKind::Fenced(info) => CodeInfo::parse(info),
            CodeBlockKind::Indented => CodeInfo::parse(""),
        };
        out.push(Event::Html(CowStr::from(code_block_with(&info, &code))));
    }
    *events = out;
}

/// Time spent highlighting, in nanoseconds, summed over threads, since [`take_time`].
static SPENT: AtomicU64 = AtomicU64::new(0);

/// The time spent highlighting code since the last call (summed over threads), for
/// `--timings`.
pub fn take_time() -> Duration {
    Duration::from_nanos(SPENT.swap(0, Ordering::Relaxed))
}

/// One code block in `lang`, with no line options, as HTML.
pub fn code_block(lang: &str, code: &str) -> String {
    code_block_with(&CodeInfo::parse(lang), code)
}

/// One code block as HTML, highlighted unless it was before ([`code_cache`]).
pub fn code_block_with(info: &CodeInfo, code: &str) -> String {
    let key = info.cache_key();
    if let Some(html) = code_cache::get(&key, code) {
        return html;
    }
    let started = Instant::now();
    let html = code_block_html(info, code);
    let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
    SPENT.fetch_add(nanos, Ordering::Relaxed);
    code_cache::put(&key, code, &html);
    html
}

fn code_block_html(info: &CodeInfo, code: &str) -> String {
    let lang = info.lang.as_str();
    let by_line = info.by_line();
    let lines = languages::find(lang).and_then(|language| highlighted(language, code, by_line));
    let mut html = String::with_capacity(code.len() * 2 + 64);
    let lang_attr = escape_attr(lang);
    let class = if lines.is_some() {
        " class=\"hl-code\""
    } else {
        ""
    };
    if lang.is_empty() {
        html.push_str("<pre tabindex=\"0\"><code");
    } else {
        let _ = write!(
            html,
            "<pre{class} data-lang=\"{lang_attr}\" tabindex=\"0\"><code class=\"language-{lang_attr}\""
        );
    }
    let lines = lines.unwrap_or_else(|| {
        let mut plain = Vec::new();
        for line in LinesWithEndings::from(code) {
            let mut escaped = String::with_capacity(line.len());
            let _ = escape_html(&mut escaped, line);
            plain.push(escaped);
        }
        plain
    });
    if by_line {
        html.push_str(" data-lines=\"\">");
        numbered::push_lines(info, &lines, &mut html);
    } else {
        html.push('>');
        html.extend(lines);
    }
    html.push_str("</code></pre>\n");
    html
}

fn escape_attr(text: &str) -> String {
    let mut out = String::new();
    let _ = escape_html(&mut out, text);
    out
}

/// Where the generated stylesheet is written in the site.
pub const STYLESHEET: &str = "syntax.css";

/// The stylesheet for highlighted code: light colours, and dark ones under
/// `prefers-color-scheme: dark`. Generated once per process.
pub fn stylesheet() -> &'static str {
    static CSS: LazyLock<String> = LazyLock::new(generate_stylesheet);
    &CSS
}

fn generate_stylesheet() -> String {
    // Each scheme in its own media block, so no light colour leaks into dark mode through a
    // class the dark scheme does not style. No comment, no spaces: the sheet is on every page
    // with code, within the page-weight budget. The colours are syntect's LIGHT_THEME and
    // DARK_THEME, raised to 4.5:1 contrast.
    format!(
        "@media not all and (prefers-color-scheme: dark) {{\n{}}}\n\
         @media (prefers-color-scheme: dark) {{\n{}}}\n{BLOCKS}",
        LIGHT.css(),
        DARK.css()
    )
}

/// How every theme shows a block's parts (docs/themes.md, "Code blocks"): the language label;
/// line numbers drawn from `data-n` by `::before` and prompts unselectable, so copied code has
/// neither; a marked line's rule at the left as well as its background. In the generated sheet,
/// not each theme's, so that every theme, a site's own included, gets them; a theme can
/// restyle them. Contrast is kept by opacity over the block's own colours (at least 4.5:1).
const BLOCKS: &str = "\
pre[data-lang]::before{content:attr(data-lang);display:block;position:sticky;left:0;margin:-.4em 0 .3em;font-size:.75em;text-transform:uppercase;text-align:right;opacity:.8}
code[data-lines]{display:block;width:max-content;min-width:100%}
.line{display:block}
mark.line{background:#fdf6dc;color:inherit;box-shadow:inset 3px 0 currentColor}
.ln::before{content:attr(data-n);margin-right:1em;opacity:.75}
pre[data-lang]::before,.ln::before,.hl-prompt{user-select:none}
@media (prefers-color-scheme:dark){mark.line{background:#353b48}}
@media print{mark.line{box-shadow:none;border-left:3px solid}}
";

/// The classes a token gets for its scope stack, and whether either scheme underlines it.
#[derive(Debug, Clone)]
struct TokenClasses {
    classes: Box<str>,
    underlined: bool,
}

/// Classes for a scope stack, worked out from both themes on first sight and then remembered
/// per thread: matching a stack against a theme's rules costs more than parsing the line,
/// and a site's code has only a few hundred distinct stacks.
fn token_classes(stack: &[Scope], seen: &mut HashMap<Vec<Scope>, TokenClasses>) -> TokenClasses {
    if let Some(known) = seen.get(stack) {
        return known.clone();
    }
    let (light, dark) = (&*LIGHT, &*DARK);
    let (light_style, dark_style) = (
        light.highlighter.style_for_stack(stack),
        dark.highlighter.style_for_stack(stack),
    );
    let mut classes = String::new();
    light.classes(light_style, &mut classes);
    dark.classes(dark_style, &mut classes);
    let known = TokenClasses {
        classes: classes.into(),
        underlined: (light_style.font_style | dark_style.font_style).contains(FontStyle::UNDERLINE),
    };
    seen.insert(stack.to_vec(), known.clone());
    known
}

/// Tokens of one grammar turned into HTML, line after line. Tokens are flat spans with a
/// light and a dark class; neighbours with the same classes share a span, and whitespace
/// joins whichever span is open (its colour cannot be seen).
struct Tokens<'s> {
    parser: ParseState,
    stack: ScopeStack,
    /// The classes of the span open at the end of `out`, or empty.
    open: Box<str>,
    seen: &'s mut HashMap<Vec<Scope>, TokenClasses>,
}

impl Tokens<'_> {
    /// Appends one line (with its line ending); `None` if syntect fails on it.
    fn line(&mut self, line: &str, out: &mut String) -> Option<()> {
        let ops = self.parser.parse_line(line, languages::syntaxes()).ok()?;
        let mut at = 0;
        for (to, op) in &ops {
            if *to > at {
                self.token(&line[at..*to], out);
                at = *to;
            }
            self.stack.apply(op).ok()?;
        }
        if at < line.len() {
            self.token(&line[at..], out);
        }
        Some(())
    }

    fn token(&mut self, text: &str, out: &mut String) {
        let stack = self.stack.as_slice();
        if !text.trim().is_empty() || token_classes(stack, self.seen).underlined {
            let classes = token_classes(stack, self.seen).classes;
            if classes != self.open {
                self.close(out);
                if !classes.is_empty() {
                    let _ = write!(out, "<span class=\"{classes}\">");
                }
                self.open = classes;
            }
        }
        let _ = escape_html(out, text);
    }

    /// Appends text outside any token: a prompt, a command's output.
    fn plain(&mut self, text: &str, out: &mut String) {
        self.close(out);
        let _ = escape_html(out, text);
    }

    fn close(&mut self, out: &mut String) {
        if !self.open.is_empty() {
            out.push_str("</span>");
            self.open = "".into();
        }
    }
}

/// The highlighted HTML of `code`, or `None` if syntect fails on it: one string for the
/// block, or with `by_line` one per line, each with its spans closed.
fn highlighted(language: Language, code: &str, by_line: bool) -> Option<Vec<String>> {
    thread_local! {
        static SEEN: RefCell<HashMap<Vec<Scope>, TokenClasses>> = RefCell::default();
    }
    let syntax = match language {
        Language::Grammar(syntax) => syntax,
        Language::Console => languages::shell()?,
    };
    SEEN.with_borrow_mut(|seen| {
        let mut tokens = Tokens {
            parser: ParseState::new(syntax),
            stack: ScopeStack::new(),
            open: "".into(),
            seen,
        };
        let mut lines = Vec::new();
        let mut out = String::with_capacity(code.len() * 2);
        let mut continued = false;
        for line in LinesWithEndings::from(code) {
            match language {
                Language::Grammar(_) => tokens.line(line, &mut out)?,
                Language::Console => {
                    continued = console_line(line, continued, &mut tokens, &mut out)?;
                }
            }
            if by_line {
                tokens.close(&mut out);
                lines.push(std::mem::take(&mut out));
            }
        }
        tokens.close(&mut out);
        if !by_line {
            lines.push(out);
        }
        Some(lines)
    })
}

/// One line of a terminal session: after a prompt (`$ `, `% `, `# `), or after a command
/// line ending in `\`, a shell command; otherwise output, left plain. The prompt is marked
/// (`hl-prompt`) so a theme can keep it out of a reader's selection. Returns whether the next
/// line goes on with this command.
fn console_line(
    line: &str,
    continued: bool,
    tokens: &mut Tokens,
    out: &mut String,
) -> Option<bool> {
    let prompt = ["$ ", "% ", "# "]
        .iter()
        .find(|p| line.starts_with(**p) || line.trim_end() == p.trim_end());
    let command = match (prompt, continued) {
        (Some(prompt), false) => {
            let len = prompt.len().min(line.trim_end().len().max(1));
            tokens.close(out);
            out.push_str("<span class=\"hl-prompt\">");
            let _ = escape_html(&mut *out, &line[..len]);
            out.push_str("</span>");
            &line[len..]
        }
        (_, true) => line,
        (None, false) => {
            tokens.plain(line, out);
            return Some(false);
        }
    };
    tokens.line(command, out)?;
    Some(command.trim_end().ends_with('\\'))
}

/// WCAG relative luminance.
fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `colour`, moved towards black (on a light background) or white (on a dark one) until it
/// reads at 4.5:1 or more.
fn readable(colour: Rgb, background: Rgb) -> Rgb {
    let target = if luminance(background) > 0.5 {
        0.0
    } else {
        255.0
    };
    let mix = |c: u8, t: f64| (f64::from(c) + (target - f64::from(c)) * t).round() as u8;
    (0..=20)
        .map(|step| f64::from(step) / 20.0)
        .map(|t| (mix(colour.0, t), mix(colour.1, t), mix(colour.2, t)))
        .find(|&c| contrast(c, background) >= 4.5)
        .unwrap_or(colour)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_hex(hex: &str) -> Option<(u8, u8, u8)> {
        let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        Some((byte(0)?, byte(2)?, byte(4)?))
    }

    #[test]
    fn a_block_highlighted_again_comes_from_memory_and_is_the_same() {
        let code = "def twice(x):\n    return 2 * x  # cached\n";
        let first = code_block("python", code);
        assert_eq!(code_cache::get("python", code).as_ref(), Some(&first));
        assert_eq!(code_block("python", code), first);
        // The language is part of the key: the same code in another language is its own block.
        let plain = code_block("no-such-language", code);
        assert_ne!(plain, first);
        assert!(!plain.contains("<span"), "{plain}");
        assert_eq!(code_block("python", code), first);
    }

    #[test]
    fn known_language_gets_classes() {
        let html = code_block("rust", "fn main() {}\n");
        assert!(
            html.starts_with("<pre class=\"hl-code\" data-lang=\"rust\" tabindex=\"0\">"),
            "{html}"
        );
        assert!(html.contains("<span class=\"l"), "{html}");
    }

    #[test]
    fn unknown_language_is_escaped_plain_code() {
        let html = code_block("nonsense-lang", "<b>&\n");
        assert_eq!(
            html,
            "<pre data-lang=\"nonsense-lang\" tabindex=\"0\"><code class=\"language-nonsense-lang\">&lt;b&gt;&amp;\n</code></pre>\n"
        );
    }

    #[test]
    fn every_colour_reads_at_aa_contrast() {
        // On the block's background and on a marked line's, as the stylesheet gives it.
        let hex = |(r, g, b): Rgb| format!("mark.line{{background:#{r:02x}{g:02x}{b:02x}");
        assert!(stylesheet().contains(&hex(LIGHT_MARK)), "{}", stylesheet());
        assert!(stylesheet().contains(&hex(DARK_MARK)), "{}", stylesheet());
        for (background, block) in [
            ((255, 255, 255), 0),
            ((43, 48, 59), 1),
            (LIGHT_MARK, 0),
            (DARK_MARK, 1),
        ] {
            let css = stylesheet()
                .split("@media")
                .nth(block + 1)
                .unwrap_or_default();
            let colours: Vec<(u8, u8, u8)> = css
                .split("{color:#")
                .skip(1)
                .filter_map(parse_hex)
                .collect();
            assert!(colours.len() > 10, "{css}");
            for colour in colours {
                assert!(
                    contrast(colour, background) >= 4.5,
                    "{colour:?} on {background:?}"
                );
            }
        }
        assert!(
            contrast(
                readable((0x96, 0x98, 0x96), (255, 255, 255)),
                (255, 255, 255)
            ) >= 4.5
        );
    }

    #[test]
    fn stylesheet_stays_small() {
        // Within the default theme's page-weight budget (30 KB for a 1,500-word essay).
        assert!(stylesheet().len() < 4_000, "{}", stylesheet().len());
        assert!(stylesheet().contains("pre .l0{"));
        assert!(stylesheet().contains("pre .d0{"));
    }

    #[test]
    fn tokens_are_flat_spans_with_a_class_per_scheme() {
        let html = code_block("rust", "// note\nfn main() {}\n");
        let body = html.split("<code class=\"language-rust\">").nth(1).unwrap();
        // No span inside another: every opening tag is closed before the next one.
        let mut depth = 0;
        for piece in body.split('<').skip(1) {
            if piece.starts_with("span") {
                depth += 1;
                assert_eq!(depth, 1, "{html}");
            } else if piece.starts_with("/span") {
                depth -= 1;
            }
        }
        assert_eq!(depth, 0, "{html}");
        // The comment is coloured in both schemes, and the text survives intact.
        let before = html.split("\">// note").next().unwrap();
        let classes = before.rsplit("class=\"").next().unwrap();
        assert!(classes.starts_with('l'), "{html}");
        assert!(classes.contains(" d"), "{html}");
        let text: String = html
            .trim_end()
            .split('<')
            .map(|p| p.split_once('>').map_or(p, |(_, t)| t))
            .collect();
        assert_eq!(text, "// note\nfn main() {}\n", "{html}");
    }

    #[test]
    fn every_class_used_has_a_rule() {
        let html = code_block(
            "python",
            "@dataclass\nclass A:\n    x: int = 1  # n\n    s = f\"{x!r}\"\n",
        );
        for classes in html
            .split("class=\"")
            .skip(3)
            .map(|c| c.split('"').next().unwrap())
        {
            for class in classes.split(' ') {
                assert!(
                    stylesheet().contains(&format!("pre .{class}{{")),
                    "{class} in {html}"
                );
            }
        }
    }

    #[test]
    fn stylesheet_has_both_schemes() {
        let css = stylesheet();
        assert!(css.contains(".hl-code"));
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
    }
}
