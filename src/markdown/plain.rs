//! Plain essays: text as it comes out of a notes app. One paragraph per line, no blank lines,
//! section headings as short bare lines, typography already typed. Each line becomes a
//! paragraph and heading-like lines become `<h2>`; characters are kept exactly as they are (no
//! Markdown, no smart punctuation), and are escaped when the HTML is written.
//!
//! Text that is hard-wrapped instead (blank lines between paragraphs, every line short) is read
//! one paragraph per blank-line-separated block.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

/// Lines longer than this are never the product of hard wrapping.
const WRAP_WIDTH: usize = 100;
const MAX_HEADING_CHARS: usize = 70;
const MAX_HEADING_WORDS: usize = 10;
const MAX_TITLE_CHARS: usize = 120;

/// Whether a line has the shape of a section heading: short, starting with a capital or digit,
/// and ending in a letter or digit (no closing punctuation, no closing quote).
pub fn is_heading_like(line: &str) -> bool {
    let line = line.trim();
    let (Some(first), Some(last)) = (line.chars().next(), line.chars().last()) else {
        return false;
    };
    line.chars().count() <= MAX_HEADING_CHARS
        && line.split_whitespace().count() <= MAX_HEADING_WORDS
        && first.is_alphanumeric()
        && !first.is_lowercase()
        && (last.is_alphanumeric() || last == ')')
}

/// Whether a first line can be the essay's title: short, and not ending like a sentence
/// (a question or exclamation is allowed).
pub fn is_title_like(line: &str) -> bool {
    let line = line.trim();
    let Some(last) = line.chars().last() else {
        return false;
    };
    line.chars().count() <= MAX_TITLE_CHARS && !matches!(last, '.' | ',' | ';' | ':' | '…')
}

/// Splits off a first line that reads as a title: `(title, rest)`.
pub fn split_title(body: &str) -> Option<(&str, &str)> {
    let body = body.trim_start_matches(['\n', ' ', '\t']);
    let (first, rest) = body.split_once('\n').unwrap_or((body, ""));
    (is_title_like(first) && !rest.trim().is_empty()).then(|| (first.trim(), rest))
}

/// Whether a Markdown body is really a plain essay: several lines, no blank line between them,
/// and no line that starts a Markdown block.
pub fn looks_plain(body: &str) -> bool {
    let lines: Vec<&str> = body.trim().lines().collect();
    lines.len() >= 3
        && lines
            .iter()
            .all(|line| !line.trim().is_empty() && !starts_markdown_block(line))
}

fn starts_markdown_block(line: &str) -> bool {
    if line.starts_with("    ") || line.starts_with('\t') {
        return true;
    }
    let t = line.trim_start();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    [
        "#", ">", "- ", "* ", "+ ", "|", "```", "~~~", "<", "[^", "![",
    ]
    .iter()
    .any(|p| t.starts_with(p))
        || (digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") ")))
}

/// The blocks of a plain text: one per line, or one per blank-line-separated group when the
/// text is hard-wrapped.
fn blocks(text: &str) -> Vec<String> {
    let trimmed = text.trim_matches('\n');
    let hard_wrapped = trimmed.contains("\n\n")
        && trimmed
            .lines()
            .all(|line| line.chars().count() <= WRAP_WIDTH);
    if hard_wrapped {
        trimmed
            .split("\n\n")
            .map(|block| block.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|block| !block.is_empty())
            .collect()
    } else {
        trimmed
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// The events of a plain essay's body.
pub fn events(text: &str) -> Vec<Event<'static>> {
    let blocks = blocks(text);
    let mut events = Vec::with_capacity(blocks.len() * 3);
    for (i, block) in blocks.iter().enumerate() {
        // A heading introduces a paragraph: the line after it must not look like one too,
        // which keeps poems and lists of short lines as paragraphs.
        let heading =
            is_heading_like(block) && blocks.get(i + 1).is_some_and(|next| !is_heading_like(next));
        let (start, end) = if heading {
            (
                Tag::Heading {
                    level: HeadingLevel::H2,
                    id: None,
                    classes: Vec::new(),
                    attrs: Vec::new(),
                },
                TagEnd::Heading(HeadingLevel::H2),
            )
        } else {
            (Tag::Paragraph, TagEnd::Paragraph)
        };
        events.push(Event::Start(start));
        events.push(Event::Text(CowStr::from(block.clone())));
        events.push(Event::End(end));
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::render_plain;

    #[test]
    fn heading_shapes() {
        assert!(is_heading_like("The second draft"));
        assert!(is_heading_like("Part 2"));
        assert!(!is_heading_like("It was late."));
        assert!(!is_heading_like("and then"));
        assert!(!is_heading_like("He said “no”"));
        assert!(!is_heading_like("What now?"));
        assert!(!is_heading_like(&"Word ".repeat(12)));
    }

    #[test]
    fn one_paragraph_per_line_with_headings() {
        let text =
            "First paragraph, typed “as is” — with care.\nA heading\nSecond paragraph.\nThird.\n";
        let r = render_plain(text);
        assert_eq!(
            r.html,
            "<p>First paragraph, typed “as is” — with care.</p>\n<h2 id=\"a-heading\">A heading</h2>\n<p>Second paragraph.</p>\n<p>Third.</p>\n"
        );
    }

    #[test]
    fn markup_characters_are_text() {
        let r = render_plain("Use *stars* and <tags> & \"quotes\" -- as typed.\n");
        assert_eq!(
            r.html,
            "<p>Use *stars* and &lt;tags&gt; &amp; \"quotes\" -- as typed.</p>\n"
        );
    }

    #[test]
    fn consecutive_short_lines_are_not_headings() {
        let r = render_plain("Roses\nViolets\nSugar is sweet.\n");
        assert!(r.html.starts_with("<p>Roses</p>"), "{}", r.html);
        assert!(
            r.html.contains("<h2 id=\"violets\">Violets</h2>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn hard_wrapped_text_joins_lines() {
        let r = render_plain("one two\nthree four.\n\nHeading here\n\nfive six\nseven.\n");
        assert_eq!(
            r.html,
            "<p>one two three four.</p>\n<h2 id=\"heading-here\">Heading here</h2>\n<p>five six seven.</p>\n"
        );
    }

    #[test]
    fn detects_plain_markdown_bodies() {
        assert!(looks_plain("Title\nOne line.\nTwo line.\n"));
        assert!(!looks_plain("Title\n\nOne line.\nTwo line.\n"));
        assert!(!looks_plain("- a\n- b\n- c\n"));
        assert!(!looks_plain("Intro:\n1. a\n2. b\n"));
        assert!(!looks_plain("just one line"));
    }

    #[test]
    fn title_split() {
        assert_eq!(
            split_title("\nMy Essay\nBody."),
            Some(("My Essay", "Body."))
        );
        assert_eq!(split_title("This is a sentence.\nBody."), None);
    }
}
