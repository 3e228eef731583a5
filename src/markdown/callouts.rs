//! Callouts: a quote whose first line is `[!kind]` becomes a titled box. GitHub's five kinds
//! (`> [!NOTE]`, `TIP`, `IMPORTANT`, `WARNING`, `CAUTION`) and Obsidian's any kind with an
//! optional title (`> [!faq] Why?`) are read alike; Obsidian's `+` or `-` after the kind
//! (`> [!tip]- Hidden`) makes it fold, open or closed, in a `<details>`.
//!
//! pulldown-cmark's `ENABLE_GFM` reads GitHub's five kinds, but not Obsidian's kinds, titles or
//! folds, so the first text of each quote is read here instead, after parsing: the title may
//! hold inline Markdown, and the body is rendered like any other, lists, code, footnotes and
//! other callouts included. The markup is [`Callout`]'s, which shortcodes share:
//!
//! ```html
//! <div class="callout callout-note" role="note">
//! <p class="callout-title">Note</p>
//! …body…
//! </div>
//! ```

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// One callout's kind and whether it folds: its markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callout {
    /// Lowercase letters, digits, `-` and `_`: it becomes a class name.
    pub kind: String,
    /// `None` for a box that does not fold; `Some(true)` for one that starts open.
    pub fold: Option<bool>,
}

impl Callout {
    /// A callout of `kind` (as written; `None` if it is not a kind's name).
    pub fn new(kind: &str, fold: Option<bool>) -> Option<Callout> {
        let ok = !kind.is_empty()
            && kind
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| Callout {
            kind: kind.to_ascii_lowercase(),
            fold,
        })
    }

    /// The title when none is written: the kind, capitalised (`Note`).
    pub fn default_title(&self) -> String {
        let mut chars = self.kind.chars();
        chars
            .next()
            .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    }

    /// Everything up to the title's text.
    pub fn open(&self) -> String {
        match self.fold {
            None => format!(
                "<div class=\"callout callout-{}\" role=\"note\">\n<p class=\"callout-title\">",
                self.kind
            ),
            Some(open) => format!(
                "<details class=\"callout callout-{}\"{}>\n<summary class=\"callout-title\">",
                self.kind,
                if open { " open" } else { "" }
            ),
        }
    }

    /// What ends the title; the body follows.
    pub fn after_title(&self) -> &'static str {
        match self.fold {
            None => "</p>\n",
            Some(_) => "</summary>\n",
        }
    }

    /// What ends the callout.
    pub fn close(&self) -> &'static str {
        match self.fold {
            None => "</div>\n",
            Some(_) => "</details>\n",
        }
    }
}

/// The callout a quote's first text opens (`[!kind]`, `[!kind]+`, `[!kind]-`), and the
/// title text written after it on the same line.
fn header(text: &str) -> Option<(Callout, &str)> {
    let rest = text.strip_prefix("[!")?;
    let end = rest.find(']')?;
    let after = &rest[end + 1..];
    let (fold, title) = match after.as_bytes().first() {
        Some(b'+') => (Some(true), &after[1..]),
        Some(b'-') => (Some(false), &after[1..]),
        _ => (None, after),
    };
    Some((Callout::new(&rest[..end], fold)?, title.trim_start()))
}

/// Writes every quote that starts with `[!kind]` as a callout.
pub fn render(events: &mut Vec<Event<'_>>) {
    let old = std::mem::take(events);
    let mut out = Vec::with_capacity(old.len() + 8);
    // For each quote open, the callout it became, if it did.
    let mut quotes: Vec<Option<Callout>> = Vec::new();
    let mut i = 0;
    while i < old.len() {
        match &old[i] {
            Event::Start(Tag::BlockQuote(_)) => {
                let found = match (old.get(i + 1), old.get(i + 2)) {
                    (Some(Event::Start(Tag::Paragraph)), Some(Event::Text(text))) => header(text),
                    _ => None,
                };
                let Some((callout, title)) = found else {
                    quotes.push(None);
                    out.push(old[i].clone());
                    i += 1;
                    continue;
                };
                i = write_head(&old, i + 3, &callout, title, &mut out);
                quotes.push(Some(callout));
                continue;
            }
            Event::End(TagEnd::BlockQuote(_)) => match quotes.pop().flatten() {
                Some(callout) => out.push(Event::Html(callout.close().into())),
                None => out.push(old[i].clone()),
            },
            other => out.push(other.clone()),
        }
        i += 1;
    }
    *events = out;
}

/// Writes a callout's opening and title: `title` and the events from `at` to the end of the
/// first line. Returns where its body starts; the rest of the first paragraph, if any, opens
/// a paragraph of the body.
fn write_head<'a>(
    old: &[Event<'a>],
    at: usize,
    callout: &Callout,
    title: &str,
    out: &mut Vec<Event<'a>>,
) -> usize {
    out.push(Event::Html(callout.open().into()));
    let mut title_events: Vec<Event<'a>> = Vec::new();
    if !title.is_empty() {
        title_events.push(Event::Text(CowStr::from(title.to_string())));
    }
    let mut depth = 0usize;
    let mut i = at;
    while let Some(event) = old.get(i) {
        match event {
            Event::SoftBreak | Event::HardBreak if depth == 0 => break,
            Event::End(TagEnd::Paragraph) if depth == 0 => break,
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        title_events.push(event.clone());
        i += 1;
    }
    if title_events.is_empty() {
        title_events.push(Event::Text(callout.default_title().into()));
    }
    out.extend(title_events);
    out.push(Event::Html(callout.after_title().into()));
    match old.get(i) {
        // The title ended the paragraph: the body starts after it.
        Some(Event::End(TagEnd::Paragraph)) => i + 1,
        Some(_) => {
            out.push(Event::Start(Tag::Paragraph));
            i + 1
        }
        None => i,
    }
}

#[cfg(test)]
mod tests {
    use super::{Callout, header};
    use crate::markdown::render_markdown;

    #[test]
    fn headers_are_read_with_their_fold_and_title() {
        let note = Callout::new("NOTE", None).unwrap();
        assert_eq!(header("[!NOTE]"), Some((note.clone(), "")));
        assert_eq!(note.default_title(), "Note");
        assert_eq!(
            header("[!faq]- Why *not*?"),
            Some((Callout::new("faq", Some(false)).unwrap(), "Why *not*?"))
        );
        assert_eq!(header("[!a b]"), None);
        assert_eq!(header("[x]"), None);
    }

    #[test]
    fn a_callout_with_a_title_and_a_body_on_the_next_line() {
        let r = render_markdown("> [!tip] Read *this*\n> Body text.\n>\n> - a list\n");
        assert_eq!(
            r.html,
            "<div class=\"callout callout-tip\" role=\"note\">\n\
             <p class=\"callout-title\">Read <em>this</em></p>\n\
             <p>Body text.</p>\n<ul>\n<li>a list</li>\n</ul>\n</div>\n"
        );
    }

    #[test]
    fn a_quote_without_a_kind_stays_a_quote() {
        let r = render_markdown("> [!] no\n\n> [link] text\n");
        assert_eq!(
            r.html,
            "<blockquote>\n<p>[!] no</p>\n</blockquote>\n<blockquote>\n<p>[link] text</p>\n</blockquote>\n"
        );
    }
}
