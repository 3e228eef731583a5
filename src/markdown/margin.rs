//! Where sidenotes would land in the margin, estimated at build time, so that a note that would
//! sit far below its reference is kept in the text instead (folded behind its number, as on a
//! narrow screen) and the page needs no script to place its notes.
//!
//! In: the essay's events (footnote definitions already taken out, references still in place)
//! and the length of each note that could become a sidenote. Out: the ids of the notes to keep
//! in the text.
//!
//! The model. Sidenotes float right and clear each other, so a note starts at the line of its
//! reference or, when the notes before it reach further down, just below the last of them. The
//! model follows the text down the page in lines of body text and the margin's bottom edge
//! beside it, and folds a note whose top would be more than [`MAX_DRIFT`] lines below its
//! reference. Every guess errs towards folding, never towards drifting:
//!
//! * body text runs [`BODY_CHARS_PER_LINE`] characters a line, more than the themes' measure
//!   holds, and the space between blocks, headings' larger type, tables, code, math and images
//!   are counted as no more than their text or one line, and a folded callout as nothing; so
//!   the text is taken to advance no faster than it does;
//! * margin notes run [`NOTE_CHARS_PER_LINE`] characters a line, fewer than the margin holds,
//!   each line [`NOTE_LINE`] of a body line, with [`NOTE_GAP`] under each note; so notes are
//!   taken to be at least as tall as they are.
//!
//! The figures are for the default and broadsheet themes at 1100 px and wider (20 px text at
//! line-height 1.45–1.65 on a 33em measure, a 15rem margin of 16 px notes at line-height 1.5).
//! Measured in Chromium on the demo's essays: 65–81 characters a line of body text and 25–34 a
//! line of note. [`MAX_DRIFT`] is 2.5 lines where the browser suite allows 3, for what the model
//! cannot know (fonts, the height of a reference mark).

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, Tag, TagEnd};

/// Characters in a line of body text, on the generous side.
pub const BODY_CHARS_PER_LINE: f64 = 90.0;
/// Characters in a line of a margin note, on the short side.
pub const NOTE_CHARS_PER_LINE: f64 = 26.0;
/// The height of a line of a note, in lines of body text.
pub const NOTE_LINE: f64 = 0.85;
/// The space under (and above) a note in the margin, in lines of body text.
pub const NOTE_GAP: f64 = 0.75;
/// How far below its reference a note may start, in lines of body text.
pub const MAX_DRIFT: f64 = 2.5;

/// The ids of the notes to keep in the text: those whose sidenote would start more than
/// [`MAX_DRIFT`] lines below its reference. `lengths` holds, for each note that can be a
/// sidenote, the characters it shows; only a note's first reference places it.
pub fn crowded(events: &[Event<'_>], lengths: &HashMap<&str, usize>) -> HashSet<String> {
    let mut folded = HashSet::new();
    let mut placed = HashSet::new();
    // Both in lines of body text from the top of the essay.
    let mut text = 0.0_f64;
    let mut margin = 0.0_f64;
    // Inside a table or an image, text is not counted: a row is one line, an image is none.
    let mut table = 0_usize;
    let mut image = 0_usize;
    // Nor inside a folded callout (`<details>` without `open`): the reader does not see it.
    // One flag for each `<details>` open around this point: whether it is folded.
    let mut details: Vec<bool> = Vec::new();
    for event in events {
        let hidden = table > 0 || image > 0 || details.contains(&true);
        match event {
            Event::Html(h) if h.starts_with("<details") => {
                let open = h.split('>').next().is_some_and(|tag| tag.contains(" open"));
                details.push(!open);
            }
            Event::Html(h) if h.starts_with("</details") => {
                details.pop();
            }
            Event::Text(t) | Event::Code(t) if !hidden => {
                text += t.chars().count() as f64 / BODY_CHARS_PER_LINE;
            }
            Event::SoftBreak if !hidden => text += 1.0 / BODY_CHARS_PER_LINE,
            Event::HardBreak | Event::Rule => text = text.ceil(),
            Event::Start(Tag::Table(_)) => table += 1,
            Event::End(TagEnd::Table) => table = table.saturating_sub(1),
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => text = text.ceil() + 1.0,
            Event::Start(Tag::Image { .. }) => image += 1,
            Event::End(TagEnd::Image) => image = image.saturating_sub(1),
            // The next block starts on a line of its own.
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition,
            ) => text = text.ceil(),
            Event::FootnoteReference(id) => {
                let Some(&chars) = lengths.get(id.as_ref()) else {
                    continue;
                };
                if !placed.insert(id.as_ref()) {
                    continue;
                }
                let line = text.floor();
                if margin - line > MAX_DRIFT {
                    folded.insert(id.to_string());
                } else {
                    margin = margin.max(line) + height(chars);
                }
            }
            _ => {}
        }
    }
    folded
}

/// A note's height in the margin, with the gap under it, in lines of body text.
fn height(chars: usize) -> f64 {
    (chars as f64 / NOTE_CHARS_PER_LINE).ceil() * NOTE_LINE + NOTE_GAP
}

/// The characters a note shows: its text and code, and the text of its inline HTML (a formula's
/// MathML, a shortcode's markup) without the tags.
pub fn note_length(inline: &[Event<'_>]) -> usize {
    // The note's number and the space after it.
    let mut chars = 2;
    for event in inline {
        chars += match event {
            Event::Text(t) | Event::Code(t) => t.chars().count(),
            Event::InlineHtml(h) | Event::Html(h) | Event::InlineMath(h) => visible_chars(h),
            Event::SoftBreak | Event::HardBreak => 1,
            _ => 0,
        };
    }
    chars
}

/// The characters of `html` outside its tags.
fn visible_chars(html: &str) -> usize {
    let mut inside = false;
    let mut count = 0;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            _ if !inside => count += 1,
            _ => {}
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use pulldown_cmark::{Event, Parser, TextMergeStream};

    use super::{crowded, note_length};
    use crate::markdown::options;

    fn folded(markdown: &str, lengths: &[(&str, usize)]) -> Vec<String> {
        let events: Vec<_> = Parser::new_ext(markdown, options()).collect();
        let lengths: HashMap<&str, usize> = lengths.iter().copied().collect();
        let mut ids: Vec<String> = crowded(&events, &lengths).into_iter().collect();
        ids.sort();
        ids
    }

    #[test]
    fn notes_close_together_fold_those_that_would_drift() {
        // Three long notes in one short paragraph: the first takes the margin, the second
        // would start 6 lines below its reference and folds, the third finds room again below
        // the first.
        let text = "A.[^a] B.[^b]\n\nC.\n\nD.\n\nE.\n\nF.\n\nG.[^c]\n\n[^a]: a\n[^b]: b\n[^c]: c\n";
        let long = 26 * 6;
        assert_eq!(
            folded(text, &[("a", long), ("b", long), ("c", long)]),
            ["b"]
        );
    }

    #[test]
    fn notes_far_apart_stay_in_the_margin() {
        let para = "word ".repeat(100);
        let text = format!("A.[^a] {para}\n\n{para}B.[^b]\n\n[^a]: a\n[^b]: b\n");
        assert!(folded(&text, &[("a", 100), ("b", 100)]).is_empty());
    }

    #[test]
    fn a_folded_callout_gives_no_room() {
        // The same paragraphs as room enough, but folded in a callout: `b` would drift.
        let para = "word ".repeat(100);
        let folded_text = format!(
            "A.[^a] B.\n\n> [!note]- Folded\n> {para}\n> {para}\n> {para}\n\nC.[^b]\n\n[^a]: a\n[^b]: b\n"
        );
        let open_text = folded_text.replace("[!note]-", "[!note]+");
        let parse = |text: &str| {
            let mut events: Vec<_> =
                TextMergeStream::new(Parser::new_ext(text, options())).collect();
            crate::markdown::callouts::render(&mut events);
            events
                .into_iter()
                .map(Event::into_static)
                .collect::<Vec<_>>()
        };
        let events = parse(&folded_text);
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::Html(h) if h.starts_with("<details"))),
            "{events:?}"
        );
        let lengths: HashMap<&str, usize> = [("a", 26 * 6), ("b", 10)].into_iter().collect();
        assert_eq!(crowded(&events, &lengths).len(), 1);
        assert!(crowded(&parse(&open_text), &lengths).is_empty());
    }

    #[test]
    fn only_notes_that_can_be_sidenotes_take_room() {
        // `long` is an endnote (not in `lengths`): it neither folds nor pushes `b` down.
        let text = "A.[^long] B.[^b]\n\n[^long]: a\n[^b]: b\n";
        assert!(folded(text, &[("b", 100)]).is_empty());
    }

    #[test]
    fn a_note_counts_what_it_shows() {
        let events: Vec<_> = Parser::new_ext("Six *wo*`rd`", options()).collect();
        assert_eq!(note_length(&events[1..events.len() - 1]), 2 + 8);
        let html = [pulldown_cmark::Event::InlineHtml(
            "<math><mi>x</mi></math>".into(),
        )];
        assert_eq!(note_length(&html), 2 + 1);
    }
}
