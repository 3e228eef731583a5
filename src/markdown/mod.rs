//! Markdown (and plain-essay) rendering. A body becomes a list of pulldown-cmark events, from
//! the CommonMark parser or from [`plain::events`], and then goes through the same small passes:
//! heading ids and the table of contents, math as MathML, code highlighting, word count, and
//! the summary cut.

pub mod attach;
pub mod attributes;
pub mod callouts;
pub mod code_cache;
pub mod code_info;
mod comments;
pub mod file_links;
pub mod footnotes;
pub mod headings;
pub mod highlight;
pub mod ial;
pub mod id_styles;
pub mod images;
pub mod languages;
pub mod link_context;
pub mod margin;
pub mod math;
pub mod mhchem;
pub mod numbered;
pub mod obsidian;
pub mod plain;
pub mod shortcodes;
pub mod tag_lines;
pub mod wikilinks;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, TextMergeStream, html};
use serde::Serialize;

pub use headings::{Heading, IdStyle};

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// The text before `<!-- more -->`, otherwise the first paragraph.
    pub summary: String,
    pub toc: Vec<Heading>,
    pub word_count: usize,
    /// The first image's `src`, as written: what a shared link shows (`og:image`).
    pub image: Option<String>,
}

/// What rendering a body needs to know beyond its text, made when the essay is read. Each
/// field is cheap to clone: every essay holds one.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// How heading text becomes an id (`heading_ids` in `vellum.toml`).
    pub heading_ids: IdStyle,
    /// Where the essay's image files are, for their sizes and resized copies; `None` for
    /// text shown outside an essay.
    pub images: Option<crate::images::Place>,
    /// The site's shortcode templates and the essay's own values, for [`shortcodes`].
    pub shortcodes: shortcodes::Scope,
}

impl Env {
    /// The settings every essay of the site shares.
    pub fn for_site(config: &crate::config::Config) -> Env {
        Env {
            heading_ids: config.heading_ids,
            images: Some(crate::images::Place {
                site: std::sync::Arc::new(crate::images::Images::for_site(config)),
                page_url: "".into(),
                bundle: None,
            }),
            shortcodes: shortcodes::Scope::default(),
        }
    }

    /// This essay's: its page's URL and its bundle folder, where its images are found.
    pub fn for_page(mut self, page_url: &str, bundle: Option<&std::path::Path>) -> Env {
        if let Some(place) = &mut self.images {
            place.page_url = page_url.into();
            place.bundle = bundle.map(Into::into);
        }
        self
    }
}

/// Reading speed for [`reading_time`], in words per minute.
pub const WORDS_PER_MINUTE: usize = 230;

/// Minutes to read `words`: whole minutes, at least one.
pub fn reading_time(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

/// The one place the parser's extensions are chosen.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_MATH
}

/// Renders CommonMark. Neighbouring text is merged into one event first: the parser splits
/// text at every character that might have been markup (`[`, `*`, a curled quote), and a
/// word split so (`Don’t`) would be counted as several, and hostile input (a run of `[`)
/// would cost an event per character. Hugo's and Jekyll's links to other essays are written
/// as marker destinations first (see [`file_links`]), and `\(…\)` and `\[…\]` as `$` math
/// (see [`math`]).
pub fn render_markdown(text: &str) -> Rendered {
    render_markdown_with(text, &Env::default())
}

/// [`render_markdown`] in `env`.
pub fn render_markdown_with(text: &str, env: &Env) -> Rendered {
    let text = obsidian::prepare(text);
    let text = file_links::with_markers(&text);
    let expanded = shortcodes::expand(&text, &env.shortcodes);
    let text = math::with_delimiters(&expanded.text);
    let text = tag_lines::as_paragraphs(&text);
    let text = attributes::with_markers(&text);
    let mut events: Vec<Event<'_>> =
        TextMergeStream::new(Parser::new_ext(&text, options())).collect();
    shortcodes::fill(&mut events, &expanded.outputs);
    // kramdown's `{: …}` on headings, before ids are given; callouts, before any pass
    // looks into quotes.
    if matches!(text, std::borrow::Cow::Owned(_)) {
        attach::on_headings(&mut events);
    }
    if memchr::memmem::find(text.as_bytes(), b"[!").is_some() {
        callouts::render(&mut events);
    }
    finish(events, env)
}

/// Renders a plain essay: one paragraph per line, bare short lines as headings.
pub fn render_plain(text: &str) -> Rendered {
    render_plain_with(text, &Env::default())
}

/// [`render_plain`] in `env`.
pub fn render_plain_with(text: &str, env: &Env) -> Rendered {
    finish(plain::events(text), env)
}

/// Renders Markdown with no ids or highlighting: the `markdown` filter, short descriptions.
pub fn render_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    let text = math::with_delimiters(text);
    html::push_html(
        &mut out,
        Parser::new_ext(&text, options()).map(math::to_html),
    );
    out
}

fn finish(mut events: Vec<Event<'_>>, env: &Env) -> Rendered {
    let footnote_ids = footnotes::rename_labels(&mut events);
    let toc = headings::assign_ids(&mut events, footnote_ids, env.heading_ids);
    // After the ids: a heading's formula gives its id its TeX, as other generators do.
    // Before math: an image's alt text keeps its TeX as text.
    let image = images::render(&mut events, env.images.as_ref());
    math::render(&mut events);
    highlight::highlight_code_blocks(&mut events);
    // After highlighting, so a list can reach a code block; before tables are wrapped.
    attach::apply(&mut events, &toc);
    wrap_tables(&mut events);
    name_task_markers(&mut events);
    let word_count = count_words(&events);
    let mut summary = String::new();
    if let Some(range) = summary_range(&events) {
        let mut shown: Vec<Event<'_>> = for_summary(&events[range]).collect();
        comments::drop(&mut shown);
        html::push_html(&mut summary, shown.into_iter());
    }
    // After the summary is found: `<!-- more -->` marks where it ends.
    comments::drop(&mut events);
    let mut html_out = String::new();
    html::push_html(&mut html_out, footnotes::render(events).into_iter());
    Rendered {
        html: html_out,
        summary,
        toc,
        word_count,
        image,
    }
}

/// A summary is shown on list pages beside other essays' summaries: it keeps no footnote
/// references (their notes are not there) and no heading ids (they would repeat).
fn for_summary<'a>(events: &[Event<'a>]) -> impl Iterator<Item = Event<'a>> {
    events.iter().filter_map(|event| match event {
        Event::FootnoteReference(_) => None,
        Event::Start(Tag::Heading {
            level,
            classes,
            attrs,
            ..
        }) => Some(Event::Start(Tag::Heading {
            level: *level,
            id: None,
            classes: classes.clone(),
            attrs: attrs.clone(),
        })),
        other => Some(other.clone()),
    })
}

/// What [`wrap_tables`] puts around a table.
const TABLE_WRAP_OPEN: &str =
    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table\">\n";
const TABLE_WRAP_CLOSE: &str = "</div>\n";

/// Puts each table in a focusable, labelled region: a wide table scrolls sideways inside it
/// on a narrow screen, and keyboard users can scroll it too.
fn wrap_tables(events: &mut Vec<Event<'_>>) {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::Table(_))))
    {
        return;
    }
    let mut out = Vec::with_capacity(events.len() + 8);
    for event in events.drain(..) {
        match event {
            Event::Start(Tag::Table(_)) => {
                out.push(Event::Html(TABLE_WRAP_OPEN.into()));
                out.push(event);
            }
            Event::End(TagEnd::Table) => {
                out.push(event);
                out.push(Event::Html(TABLE_WRAP_CLOSE.into()));
            }
            other => out.push(other),
        }
    }
    *events = out;
}

/// A task list's checkbox shows the task's state and is not for using: each is named by that
/// state, so that a screen reader says what it is (a form control with no name is one that
/// axe finds critical).
fn name_task_markers(events: &mut [Event<'_>]) {
    for event in events.iter_mut() {
        if let Event::TaskListMarker(done) = *event {
            *event = Event::InlineHtml(CowStr::Borrowed(match done {
                true => {
                    "<input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"Done\"/>\n"
                }
                false => "<input disabled=\"\" type=\"checkbox\" aria-label=\"Not done\"/>\n",
            }));
        }
    }
}

fn count_words(events: &[Event<'_>]) -> usize {
    events
        .iter()
        .map(|e| match e {
            Event::Text(t) | Event::Code(t) => words(t),
            _ => 0,
        })
        .sum()
}

/// The number of words in `text`, exactly as `str::split_whitespace` counts them, but a byte
/// at a time and without branching on most bytes: `split_whitespace` decodes every
/// character, and counting words was 6 % of a large build. Only the lead bytes that can
/// start a non-ASCII whitespace character (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000)
/// are decoded; every other byte of a multi-byte character belongs to a word.
fn words(text: &str) -> usize {
    /// What each byte is: part of a word, ASCII whitespace, or perhaps the start of a
    /// non-ASCII whitespace character.
    const WORD: u8 = 0;
    const SPACE: u8 = 1;
    const MAYBE: u8 = 2;
    const CLASS: [u8; 256] = {
        let mut class = [WORD; 256];
        let mut space = 0;
        while space < 6 {
            class[[b' ', b'\t', b'\n', b'\r', 0x0B, 0x0C][space] as usize] = SPACE;
            space += 1;
        }
        class[0xC2] = MAYBE;
        class[0xE1] = MAYBE;
        class[0xE2] = MAYBE;
        class[0xE3] = MAYBE;
        class
    };
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut after_space = true;
    let mut i = 0;
    while i < bytes.len() {
        let mut class = CLASS[usize::from(bytes[i])];
        let mut width = 1;
        if class == MAYBE {
            let c = text[i..].chars().next().unwrap_or('x');
            class = if c.is_whitespace() { SPACE } else { WORD };
            width = c.len_utf8();
        }
        let space = class == SPACE;
        count += usize::from(after_space & !space);
        after_space = space;
        i += width;
    }
    count
}

fn is_more_marker(html: &str) -> bool {
    let inner = html.trim();
    inner
        .strip_prefix("<!--")
        .and_then(|s| s.strip_suffix("-->"))
        .is_some_and(|s| s.trim() == "more")
}

/// Which events make up the summary: everything before a `<!-- more -->` marker, or else the
/// first top-level paragraph.
fn summary_range(events: &[Event<'_>]) -> Option<std::ops::Range<usize>> {
    if let Some(marker) = events
        .iter()
        .position(|e| matches!(e, Event::Html(h) | Event::InlineHtml(h) if is_more_marker(h)))
    {
        // An inline marker sits inside a paragraph: close it there by cutting before that
        // paragraph's start, which keeps the HTML balanced.
        let cut = if matches!(events[marker], Event::InlineHtml(_)) {
            events[..marker]
                .iter()
                .rposition(|e| matches!(e, Event::Start(Tag::Paragraph)))
                .unwrap_or(marker)
        } else {
            marker
        };
        return Some(0..cut);
    }
    let mut depth = 0usize;
    let mut start = None;
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                start = Some(i);
                depth += 1;
            }
            Event::End(TagEnd::Paragraph) if depth == 1 && start.is_some() => {
                return start.map(|s| s..i + 1);
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// One entry in a table of contents, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry<'a> {
    pub level: u8,
    pub id: &'a str,
    pub title: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_is_first_paragraph() {
        let r = render_markdown("# Title\n\nFirst *para*.\n\nSecond.\n");
        assert_eq!(r.summary, "<p>First <em>para</em>.</p>\n");
    }

    #[test]
    fn summary_stops_at_more_marker() {
        let r = render_markdown("One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n");
        assert_eq!(r.summary, "<p>One.</p>\n<p>Two.</p>\n");
    }

    #[test]
    fn smart_punctuation_keeps_curly_text() {
        let r = render_markdown("\"straight\" and “curly” -- and --- done\n");
        assert_eq!(r.html, "<p>“straight” and “curly” – and — done</p>\n");
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        // Every whitespace character, and characters sharing their lead bytes, between
        // ASCII words, curly quotes and dashes.
        let mut text = String::from("  Don’t — “quoted” words\u{1}here ");
        for c in (0..=0x3100u32).filter_map(char::from_u32) {
            text.push('w');
            text.push(c);
            text.push_str("w é ");
        }
        for sample in [
            "",
            " ",
            "one",
            "\u{a0}two\u{2003}three\u{3000}",
            "a\u{85}b\u{a0}c",
            text.as_str(),
        ] {
            assert_eq!(
                words(sample),
                sample.split_whitespace().count(),
                "{sample:?}"
            );
        }
    }

    #[test]
    fn words_and_reading_time() {
        let r = render_markdown(&"word ".repeat(461));
        assert_eq!(r.word_count, 461);
        assert_eq!(reading_time(r.word_count), 3);
    }

    /// Regression: smart punctuation split `Don't` into three text events, counted as three
    /// words.
    #[test]
    fn a_word_with_a_curled_apostrophe_or_brackets_is_one_word() {
        assert_eq!(render_markdown("Don't stop, it's [fine].\n").word_count, 4);
        assert_eq!(
            render_markdown("\"Quoted\" words -- dashed.\n").word_count,
            4
        );
    }
}
