//! The sentence around a link, as plain text: what a backlink shows of the essay that links
//! (see [`crate::links`]). It is worked out while the links are found ([`super::file_links`]),
//! from the same parser events: the text of each block (paragraph, heading, list item, table
//! cell) is gathered, and when the block ends, each link in it gets the sentence that holds it.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

/// A backlink shows one sentence, not a paragraph: a long one is cut around the link.
const MAX_CHARS: usize = 240;

/// Gathers the plain text of the current block and the links in it.
#[derive(Debug, Default)]
pub struct Contexts {
    text: String,
    /// Links of the current block: (link number, its text's range in `text`).
    open: Vec<(usize, Range<usize>)>,
    done: Vec<(usize, String)>,
}

impl Contexts {
    /// Takes in one event of the body, in order.
    pub fn see(&mut self, event: &Event) {
        match event {
            Event::Text(text) | Event::Code(text) => self.text.push_str(text),
            Event::SoftBreak | Event::HardBreak => self.text.push(' '),
            Event::End(TagEnd::Link) => {
                if let Some((_, range)) = self.open.last_mut() {
                    range.end = self.text.len();
                }
            }
            Event::Start(tag) if is_block(tag) => self.flush(),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::FootnoteDefinition,
            ) => self.flush(),
            _ => {}
        }
    }

    /// Link number `n` starts here (its text follows).
    pub fn link(&mut self, n: usize) {
        let at = self.text.len();
        self.open.push((n, at..at));
    }

    /// Each link's sentence, by link number.
    pub fn finish(mut self) -> Vec<(usize, String)> {
        self.flush();
        self.done
    }

    fn flush(&mut self) {
        for (n, range) in self.open.drain(..) {
            self.done
                .push((n, without_calls(sentence(&self.text, range))));
        }
        self.text.clear();
    }
}

/// `sentence` less the shortcode and Liquid calls in it (`{{< alert "info" >}}`): links are
/// found before calls are expanded, and a reader sees what a call renders, never its source.
fn without_calls(sentence: String) -> String {
    use super::shortcodes::scan;
    if !scan::may_have_calls(&sentence) {
        return sentence;
    }
    let mut out = String::with_capacity(sentence.len());
    let mut done = 0;
    for token in scan::tokens(&sentence, &[]) {
        out.push_str(&sentence[done..token.range.start]);
        done = token.range.end;
    }
    out.push_str(&sentence[done..]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::Item
            | Tag::TableCell
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::FootnoteDefinition(_)
    )
}

/// The sentence of `text` that holds `link`, with its spaces made single, cut to
/// [`MAX_CHARS`] around the link when longer.
pub fn sentence(text: &str, link: Range<usize>) -> String {
    let ends: Vec<usize> = sentence_ends(text).collect();
    let start = ends
        .iter()
        .copied()
        .rfind(|&e| e <= link.start)
        .unwrap_or(0);
    let end = ends
        .iter()
        .copied()
        .find(|&e| e >= link.end.max(link.start + 1))
        .unwrap_or(text.len());
    let words: Vec<&str> = text[start..end].split_whitespace().collect();
    let whole = words.join(" ");
    if whole.chars().count() <= MAX_CHARS {
        return whole;
    }
    // Keep the words around the link: those before it count from where it starts.
    let before = text[start..link.start].split_whitespace().count();
    let from = before.saturating_sub(8);
    let mut shown = String::new();
    let mut to = from;
    while to < words.len() && shown.chars().count() + words[to].chars().count() < MAX_CHARS {
        if to > from {
            shown.push(' ');
        }
        shown.push_str(words[to]);
        to += 1;
    }
    if to == from {
        // One word longer than the limit.
        shown = words[from].chars().take(MAX_CHARS).collect();
        to = from + 1;
    }
    if from > 0 {
        shown.insert_str(0, "… ");
    }
    if to < words.len() {
        shown.push_str(" …");
    }
    shown
}

/// Where each sentence ends: after `.`, `!` or `?` (and any closing quote or bracket) that a
/// space follows.
fn sentence_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    text.char_indices().filter_map(move |(i, c)| {
        if !matches!(c, '.' | '!' | '?') {
            return None;
        }
        let mut end = i + 1;
        for c in text[end..].chars() {
            if matches!(c, '"' | '\'' | ')' | ']' | '”' | '’' | '»') {
                end += c.len_utf8();
            } else {
                break;
            }
        }
        bytes
            .get(end)
            .is_some_and(u8::is_ascii_whitespace)
            .then_some(end)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn around(text: &str, link: &str) -> String {
        let at = text.find(link).expect("link in text");
        sentence(text, at..at + link.len())
    }

    #[test]
    fn the_sentence_holding_the_link_is_kept() {
        let text = "First one. Then “the link” is here! Last?  Yes.";
        assert_eq!(around(text, "the link"), "Then “the link” is here!");
        assert_eq!(around(text, "First"), "First one.");
        assert_eq!(around(text, "Yes"), "Yes.");
    }

    #[test]
    fn a_long_sentence_is_cut_around_the_link() {
        let long = format!("{} the link {}.", "word ".repeat(100), "more ".repeat(100));
        let shown = around(&long, "the link");
        assert!(shown.chars().count() <= MAX_CHARS + 4, "{shown}");
        assert!(shown.starts_with("… word"), "{shown}");
        assert!(shown.contains("the link"), "{shown}");
        assert!(shown.ends_with(" …"), "{shown}");
    }

    #[test]
    fn calls_are_left_out_of_the_sentence() {
        let text = "{{< alert \"circle-info\" >}} Better comments help, see [the cheatsheet](@/c.md). {{< /alert >}}\n";
        let links = crate::markdown::file_links::scan(text, 0..text.len());
        assert_eq!(links.len(), 1);
        assert_eq!(
            links[0].context,
            "Better comments help, see the cheatsheet."
        );
    }
}
