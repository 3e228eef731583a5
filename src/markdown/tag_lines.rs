//! A line that holds nothing but one inline tag (`<br />`, `<a name="x" />`, `<img …>`) starts
//! a raw HTML block in CommonMark, and the block runs on to the next blank line: the Markdown
//! under it (an image, its caption, a `{: …}` list) is printed as written. kramdown, and so
//! every Jekyll blog, reads such a line as the start of a paragraph instead, and writers of
//! any generator mean it so. [`as_paragraphs`] makes the parser read it that way too, by
//! writing an empty comment after the tag (a line that goes on after its tag starts no HTML
//! block), keeping every line where it was.
//!
//! Block-level tags (`<div>`, `<table>`, `<details>`, …) are left alone: an HTML block is what
//! their writers want.

use std::borrow::Cow;

use pulldown_cmark::{Event, Parser, Tag};

/// Tags kramdown reads as part of a paragraph: HTML's phrasing content.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "img",
    "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
    "var", "wbr",
];

/// The inline tags that never hold content.
const VOID: &[&str] = &["br", "img", "wbr"];

/// What is written after a lone inline tag so that its line is read as text.
const GOES_ON: &str = "<!-- -->";

/// `text` with each lone inline tag that starts a multi-line HTML block followed by an empty
/// comment. An essay without such a line costs one `memchr` pass.
pub fn as_paragraphs(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    // A `<` that begins its line, after at most a few spaces or quote markers: looking back
    // a bounded way keeps a line of many `<` linear.
    let lone = |at: usize| {
        let before = &bytes[at.saturating_sub(12)..at];
        let start = before.iter().rposition(|&b| b == b'\n').map(|n| n + 1);
        let start = match start {
            Some(start) => start,
            None if at <= 12 => 0,
            None => return false,
        };
        before[start..].iter().all(|&b| b == b' ' || b == b'>') && lone_inline_tag(&text[at..])
    };
    if !memchr::memchr_iter(b'<', bytes).any(lone) {
        return Cow::Borrowed(text);
    }
    let mut ends = Vec::new();
    for (event, range) in Parser::new_ext(text, super::options()).into_offset_iter() {
        if !matches!(event, Event::Start(Tag::HtmlBlock)) {
            continue;
        }
        let first_line = text[range.clone()].find('\n').map(|n| range.start + n);
        let Some(line_end) = first_line else { continue };
        let runs_on = !text[line_end..range.end].trim().is_empty();
        let line = &text[range.start..line_end];
        if runs_on && lone_inline_tag(line.trim_start()) {
            ends.push(range.start + line.trim_end().len());
        }
    }
    if ends.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + ends.len() * GOES_ON.len());
    let mut done = 0;
    for end in ends {
        out.push_str(&text[done..end]);
        out.push_str(GOES_ON);
        done = end;
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

/// Whether `line` (from its `<`) is one inline tag that has no content to wait for (a void
/// element, `<br>`, or one closed in itself, `<a name="x" />`), and nothing else but spaces
/// before its end. An opening tag alone (`<a href="…">`) is left alone: what follows is its
/// content, often a picture its writer wrapped in raw HTML on purpose.
fn lone_inline_tag(line: &str) -> bool {
    let line = line.split('\n').next().unwrap_or_default().trim_end();
    let Some(inner) = line.strip_prefix('<').and_then(|l| l.strip_suffix('>')) else {
        return false;
    };
    let name_end = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    let empty = VOID.contains(&name.as_str()) || inner.ends_with('/');
    // One tag: no other `<` or `>` in it (quoted attribute values may hold `>` in principle;
    // a line like that is left as the parser reads it).
    empty && INLINE.contains(&name.as_str()) && !inner.contains(['<', '>'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::render_markdown;

    #[test]
    fn a_lone_inline_tag_starts_a_paragraph_as_kramdown_reads_it() {
        let r = render_markdown("Text.\n\n<br />\n![A picture](a.png)\n*A caption*\n");
        assert!(
            r.html.contains("<img src=\"a.png\" alt=\"A picture\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("<em>A caption</em>"), "{}", r.html);
        let r = render_markdown("<a name=\"here\" />\nSome **bold** words.\n");
        assert!(r.html.contains("<strong>bold</strong>"), "{}", r.html);
    }

    #[test]
    fn block_tags_code_and_lone_lines_are_left_alone() {
        for text in [
            "<div>\n*raw*\n</div>\n",
            "<a href=\"x\">\n<img src=\"y.png\">\n</a>\n",
            "</span>\n*x*\n",
            "```\n<br />\n*x*\n```\n",
            "<br />\n\nNext.\n",
            "Para\n<br />\n*x*\n",
            "No tags at all.\n",
        ] {
            assert_eq!(as_paragraphs(text), text, "{text}");
        }
    }

    #[test]
    fn many_tags_on_one_line_or_many_lines_stay_linear() {
        let started = std::time::Instant::now();
        let one_line = "<".repeat(400_000);
        assert_eq!(as_paragraphs(&one_line), one_line);
        let many_lines = "<br>\nx\n\n".repeat(50_000);
        assert_eq!(as_paragraphs(&many_lines).matches(GOES_ON).count(), 50_000);
        // Seconds, not the minutes a quadratic scan would take, even in a debug build.
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    #[test]
    fn lines_stay_where_they_were() {
        let text = "a\n\n<br>\nb\n\n  <img src=\"x.png\">\nc\n";
        let out = as_paragraphs(text);
        assert_eq!(out.lines().count(), text.lines().count());
        assert_eq!(out.matches(GOES_ON).count(), 2, "{out}");
    }
}
