//! Obsidian's wikilinks and embeds, written as CommonMark the rest of the pipeline knows:
//! `[[note]]`, `[[note|shown]]`, `[[note#Heading]]` and `[[#Heading]]` become links to a
//! marker destination (`vellum-wiki:note#Heading`), which [`super::file_links::scan`] finds
//! as a [`LinkKind::Wiki`](super::file_links::LinkKind) link and `links` resolves by file
//! name, path, title or alias, as it resolves the other generators' links. So a wikilink is
//! checked, reported at its line and seen by backlinks as any other link to an essay.
//!
//! `![[note#Section]]` becomes a link to `vellum-embed:note#Section`; `links` renders the
//! section and puts it in the link's place (see `links::embeds`). `![[image.png|400]]`
//! becomes an `<img>` whose `src` is a `vellum-embed:` marker, resolved to the image's URL
//! wherever in `content/` it is.
//!
//! Each form stays on its own line, so lines still count from the file. Code spans and
//! blocks are left as written. Most essays hold no `[[`: one search settles that.

use std::borrow::Cow;
use std::ops::Range;

/// The marker a wikilink's destination starts with.
pub const WIKI: &str = "vellum-wiki:";
/// The marker an embed's destination starts with.
pub const EMBED: &str = "vellum-embed:";

/// File extensions an embed shows as an image, as Obsidian does.
const IMAGE_EXTENSIONS: [&str; 8] = ["png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "bmp"];

/// Whether `name` (`pic.PNG`) names an image rather than a note.
pub fn is_image(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        IMAGE_EXTENSIONS
            .iter()
            .any(|known| ext.eq_ignore_ascii_case(known))
    })
}

/// `text` with every wikilink and embed outside code written as CommonMark. Borrowed when
/// there is none.
pub fn with_markers(text: &str) -> Cow<'_, str> {
    if memchr::memmem::find(text.as_bytes(), b"[[").is_none() {
        return Cow::Borrowed(text);
    }
    // `[[1, 2]]` in code is common: not a wikilink.
    let mut code = super::file_links::LazyCode::new(text);
    let mut out = String::new();
    let mut done = 0;
    let mut from = 0;
    while let Some(open) = memchr::memmem::find(&text.as_bytes()[from..], b"[[").map(|i| from + i) {
        from = open + 2;
        let Some(found) = wikilink(text, open) else {
            continue;
        };
        if code.holds(open) {
            from = found.range.end;
            continue;
        }
        out.push_str(&text[done..found.range.start]);
        out.push_str(&found.markdown());
        done = found.range.end;
        from = done;
    }
    if done == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

/// One wikilink or embed as written.
#[derive(Debug, PartialEq)]
struct Wikilink<'a> {
    /// From `[[` (or `![[`) to after `]]`.
    range: Range<usize>,
    embed: bool,
    /// The note or file named: `note`, `folder/note`, `pic.png`; empty for `[[#Heading]]`.
    name: &'a str,
    heading: Option<&'a str>,
    /// After `|`: the text shown, or an image's width.
    shown: Option<&'a str>,
}

/// The wikilink whose `[[` is at `open`, if it closes on the same line.
fn wikilink(text: &str, open: usize) -> Option<Wikilink<'_>> {
    let inner_start = open + 2;
    let line_end = memchr::memchr(b'\n', &text.as_bytes()[inner_start..])
        .map_or(text.len(), |i| inner_start + i);
    let close = text[inner_start..line_end].find("]]")? + inner_start;
    let inner = &text[inner_start..close];
    if inner.trim().is_empty() || inner.contains(['[', ']']) {
        return None;
    }
    // `[[x]](url)` and `[[x]][ref]` are Markdown links whose text is in brackets, as blogs of
    // every generator write them: CommonMark reads them so, and so does vellum.
    if matches!(text.as_bytes().get(close + 2), Some(b'(' | b'[')) {
        return None;
    }
    // In a table, Obsidian writes the `|` escaped.
    let (target, shown) = match inner.split_once("\\|").or_else(|| inner.split_once('|')) {
        Some((target, shown)) => (target, Some(shown.trim())),
        None => (inner, None),
    };
    let (name, heading) = match target.split_once('#') {
        Some((name, heading)) => (name.trim(), Some(heading.trim())),
        None => (target.trim(), None),
    };
    let embed = text[..open].ends_with('!');
    Some(Wikilink {
        range: if embed { open - 1 } else { open }..close + 2,
        embed,
        name,
        heading: heading.filter(|h| !h.is_empty()),
        shown: shown.filter(|s| !s.is_empty()),
    })
}

impl Wikilink<'_> {
    /// The destination, percent-encoded as [`super::file_links::scan`] decodes it.
    fn destination(&self, marker: &str) -> String {
        let mut dest = format!("{marker}{}", encode(self.name));
        if let Some(heading) = self.heading {
            dest.push('#');
            dest.push_str(&encode(heading));
        }
        dest
    }

    /// What a reader sees: the text after `|`, else the name, and a heading as Obsidian shows
    /// it (`note > Heading`, or `Heading` on the same page).
    fn shown(&self) -> String {
        if let Some(shown) = self.shown {
            return shown.to_string();
        }
        match (self.name, self.heading) {
            (name, None) => name.to_string(),
            ("", Some(heading)) => heading.to_string(),
            (name, Some(heading)) => format!("{name} > {heading}"),
        }
    }

    fn markdown(&self) -> String {
        if self.embed && is_image(self.name) {
            return self.image();
        }
        let marker = if self.embed { EMBED } else { WIKI };
        format!(
            "[{}]({})",
            escape_text(&self.shown()),
            self.destination(marker)
        )
    }

    /// `![[pic.png|400]]` or `|400x300` sizes it; other text after `|` is its description.
    fn image(&self) -> String {
        let size = self.shown.and_then(|shown| {
            let (w, h) = shown.split_once('x').unwrap_or((shown, ""));
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            (digits(w) && (h.is_empty() || digits(h))).then_some((w, h))
        });
        let alt = match (size, self.shown) {
            (None, Some(shown)) => shown,
            _ => self.name,
        };
        let mut tag = format!(
            "<img src=\"{}\" alt=\"{}\"",
            self.destination(EMBED),
            escape_attribute(alt)
        );
        if let Some((w, h)) = size {
            tag.push_str(&format!(" width=\"{w}\""));
            if !h.is_empty() {
                tag.push_str(&format!(" height=\"{h}\""));
            }
        }
        tag.push_str(" />");
        tag
    }
}

/// Link text as typed: every ASCII punctuation character escaped, so none is read as markup.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// A name or heading as a destination: what is not plainly safe percent-encoded.
fn encode(part: &str) -> String {
    percent_encoding::utf8_percent_encode(part, &super::file_links::PATH_SAFE).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_becomes_a_marked_link_on_its_line() {
        let text = "See [[On drafts]], [[on-drafts|the essay]] and [[Notes/x#A Part]].\n\
                    Up: [[#Top]]. Table: [[x\\|y]].\n\n![[other#Sec]]\n\n![[pic.png|400]] ![[a b.PNG|A view]]\n";
        assert_eq!(
            with_markers(text),
            "See [On drafts](vellum-wiki:On%20drafts), [the essay](vellum-wiki:on-drafts) and \
             [Notes\\/x \\> A Part](vellum-wiki:Notes/x#A%20Part).\n\
             Up: [Top](vellum-wiki:#Top). Table: [y](vellum-wiki:x).\n\n\
             [other \\> Sec](vellum-embed:other#Sec)\n\n\
             <img src=\"vellum-embed:pic.png\" alt=\"pic.png\" width=\"400\" /> \
             <img src=\"vellum-embed:a%20b.PNG\" alt=\"A view\" />\n"
        );
    }

    #[test]
    fn markdown_links_with_bracketed_text_are_not_wikilinks() {
        let text = "Code at [[me/repo]](https://example.com/repo) and [[x]][ref].\n\n[ref]: /x/\n";
        assert_eq!(with_markers(text), text);
    }

    #[test]
    fn code_and_unclosed_brackets_are_left_as_written() {
        let text = "`[[x]]` and\n\n```\n[[y]]\n```\n\n[[z\n]] [[]] [[a[b]]\n";
        assert_eq!(with_markers(text), text);
    }

    #[test]
    fn shown_text_is_kept_as_typed() {
        let text = "[[my_file*name]]";
        let out = with_markers(text);
        let html = crate::markdown::render_markdown(&out).html;
        assert!(html.contains(">my_file*name</a>"), "{html}");
    }
}
