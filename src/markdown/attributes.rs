//! kramdown's attribute lists, found in the text before it is parsed. CommonMark reads a
//! `{: .x}` line under a paragraph as more of the paragraph, and a `{: …}` after a link as
//! text whose quotes smart punctuation then curls; by then which block or span it followed,
//! and what it said, are lost. So each list outside code is written as an HTML comment
//! marker first, which the parser keeps whole: on a line of its own it is an HTML block that
//! ends the paragraph above it (an HTML comment may interrupt a paragraph), and after a span
//! it is inline HTML right after that span's end. [`super::attach`] then gives each marker's
//! list to the element beside it. Every line stays where it was.
//!
//! A list on its own line belongs to the block above it when no blank line separates them,
//! otherwise to the block below (kramdown allows both); one with blank lines on both sides
//! belongs to nothing and stays text. Attribute definitions (`{:name: …}`), `{::options …/}`
//! and `{::comment}…{:/comment}` are dropped; `{::nomarkdown}` and its end are dropped and
//! what they enclose is kept.
//!
//! An essay without `{:` costs one `memchr` pass here.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use memchr::memmem;

use super::ial::Ial;

/// How every marker starts; then `after `, `before ` or `span `, then the list as written.
pub const MARKER: &str = "<!--vellum-ial ";
pub const MARKER_END: &str = "-->";

/// Where a marker's list goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The block that ends just above it.
    After,
    /// The block that starts just below it.
    Before,
    /// The span that ends just before it.
    Span,
}

impl Place {
    fn word(self) -> &'static str {
        match self {
            Place::After => "after",
            Place::Before => "before",
            Place::Span => "span",
        }
    }
}

/// What a marker holds: its place and its list as written, if `html` is a marker.
pub fn read_marker(html: &str) -> Option<(Place, &str)> {
    let rest = html
        .trim_end()
        .strip_prefix(MARKER)?
        .strip_suffix(MARKER_END)?;
    let (word, list) = rest.split_once(' ')?;
    let place = [Place::After, Place::Before, Place::Span]
        .into_iter()
        .find(|p| p.word() == word)?;
    Some((place, list))
}

/// `text` with its attribute lists written as markers and kramdown's extensions dropped.
pub fn with_markers(text: &str) -> Cow<'_, str> {
    if memmem::find(text.as_bytes(), b"{:").is_none() {
        return Cow::Borrowed(text);
    }
    let code = Code::in_text(text);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let lines = line_ranges(text);
    for (n, line) in lines.iter().enumerate() {
        let body = content_start(text, line.clone());
        let content = text[body..line.end].trim_end();
        let range = body..body + content.len();
        let Some(first) = memmem::find(content.as_bytes(), b"{:") else {
            continue;
        };
        if first == 0 && content.ends_with('}') && !code.covers(range.start) {
            if let Some(place) = block_place(text, &lines, n)
                && is_list(content)
            {
                edits.push((range, marker(place, content)));
                continue;
            }
            if is_definition(content) {
                edits.push((range, String::new()));
                continue;
            }
        }
        spans(text, range, &code, &mut edits);
    }
    extensions(text, &code, &mut edits);
    apply(text, edits)
}

fn marker(place: Place, list: &str) -> String {
    format!("{MARKER}{} {list}{MARKER_END}", place.word())
}

/// A list the marker can carry: one [`Ial::parse`] reads, that cannot end the comment.
fn is_list(text: &str) -> bool {
    !text.starts_with("{::")
        && !text.starts_with("{:/")
        && !text.contains("--")
        && !is_definition(text)
        && Ial::parse(text).is_some()
}

/// An attribute list definition: `{:name: .class}`.
fn is_definition(text: &str) -> bool {
    let inner = &text[2..];
    let name_len = inner
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(0);
    name_len > 0 && inner[name_len..].starts_with(':')
}

/// Where the list on line `n` belongs, by its neighbours: `None` when both are blank.
fn block_place(text: &str, lines: &[Range<usize>], n: usize) -> Option<Place> {
    let blank = |i: Option<usize>| {
        i.and_then(|i| lines.get(i)).is_none_or(|line| {
            let start = content_start(text, line.clone());
            text[start..line.end].trim().is_empty()
        })
    };
    if !blank(n.checked_sub(1)) {
        Some(Place::After)
    } else if !blank(Some(n + 1)) {
        Some(Place::Before)
    } else {
        None
    }
}

/// Lists right after a span's end (`*x*{: .y}`, `[a](b){: target="_blank"}`) in `line`.
fn spans(text: &str, line: Range<usize>, code: &Code, edits: &mut Vec<(Range<usize>, String)>) {
    let bytes = text.as_bytes();
    for at in memmem::find_iter(&bytes[line.clone()], b"{:").map(|at| at + line.start) {
        if at == line.start
            || !matches!(bytes[at - 1], b'*' | b'_' | b')' | b']' | b'`' | b'~')
            || code.covers(at)
        {
            continue;
        }
        let Some(len) = list_len(&text[at..line.end]) else {
            continue;
        };
        let list = &text[at..at + len];
        if is_list(list) {
            edits.push((at..at + len, marker(Place::Span, list)));
        }
    }
}

/// The longest list looked for, in bytes: real ones are a few dozen, and a bound keeps a line
/// of many `{:` with no `}` linear.
const LONGEST: usize = 512;

/// The length of the list that `text` starts with, to its `}` outside quotes.
fn list_len(text: &str) -> Option<usize> {
    let mut quote = None;
    for (at, b) in text.bytes().enumerate().take(LONGEST) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'}') => return Some(at + 1),
            _ => {}
        }
    }
    None
}

/// `{::options …/}`, `{::comment}…{:/comment}` and `{::nomarkdown}`'s tags, outside code.
fn extensions(text: &str, code: &Code, edits: &mut Vec<(Range<usize>, String)>) {
    let bytes = text.as_bytes();
    // Where each end tag was last found (`None`: there is none further on), so that many
    // openings without an end search the text once, not once each.
    let mut ends: HashMap<String, Option<usize>> = HashMap::new();
    let mut from = 0;
    while let Some(at) = memmem::find(&bytes[from..], b"{::").map(|at| at + from) {
        from = at + 3;
        if code.covers(at) {
            continue;
        }
        let Some(len) = list_len(&text[at..]) else {
            break;
        };
        let tag = &text[at..at + len];
        let name: String = tag[3..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        let end_len = name.len() + 4;
        let end_tag = match ends.get(&name) {
            Some(&Some(end)) if end >= at + len => Some(end),
            Some(&None) => None,
            _ => {
                let found = memmem::find(&bytes[at + len..], format!("{{:/{name}}}").as_bytes())
                    .map(|end| at + len + end);
                ends.insert(name.clone(), found);
                found
            }
        }
        .map(|end| (end, end_len));
        let end = match (tag.ends_with("/}"), name.as_str(), end_tag) {
            (true, _, _) => at + len,
            (false, "comment", Some((end, end_len))) => end + end_len,
            (false, "nomarkdown", Some((end, end_len))) => {
                edits.push((end..end + end_len, String::new()));
                at + len
            }
            _ => continue,
        };
        // Dropped text keeps its line breaks, so the lines below stay where they were.
        let kept = "\n".repeat(text[at..end].matches('\n').count());
        edits.push((at..end, kept));
        from = end;
    }
}

/// `text` with `edits` made, each skipped if it overlaps one before it.
fn apply(text: &str, mut edits: Vec<(Range<usize>, String)>) -> Cow<'_, str> {
    if edits.is_empty() {
        return Cow::Borrowed(text);
    }
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(text.len() + edits.len() * 24);
    let mut done = 0;
    for (range, written) in edits {
        if range.start < done {
            continue;
        }
        out.push_str(&text[done..range.start]);
        out.push_str(&written);
        done = range.end;
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        lines.push(start..end);
        start = end + 1;
    }
    lines.push(start..text.len());
    lines
}

/// Where a line's content starts, after indentation and quote markers.
fn content_start(text: &str, line: Range<usize>) -> usize {
    let skipped = text[line.clone()]
        .bytes()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'>'))
        .count();
    line.start + skipped
}

/// The byte ranges of code and raw HTML in a text, sorted, where no list is looked for.
struct Code(Vec<Range<usize>>);

impl Code {
    fn in_text(text: &str) -> Code {
        let mut ranges = super::math::code_ranges(text);
        ranges.sort_by_key(|r| r.start);
        Code(ranges)
    }

    fn covers(&self, at: usize) -> bool {
        let after = self.0.partition_point(|r| r.start <= at);
        after > 0 && self.0[after - 1].end > at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_lists_become_markers_in_place_and_keep_lines() {
        let text = "Para\n{: .x}\n\n{: #top}\n# Head\n\n{: .alone}\n\n> quoted\n> {:.q}\n";
        let out = with_markers(text);
        assert_eq!(out.lines().count(), text.lines().count());
        assert!(
            out.contains("Para\n<!--vellum-ial after {: .x}-->\n"),
            "{out}"
        );
        assert!(
            out.contains("<!--vellum-ial before {: #top}-->\n# Head"),
            "{out}"
        );
        assert!(out.contains("\n{: .alone}\n"), "{out}");
        assert!(out.contains("> <!--vellum-ial after {:.q}-->"), "{out}");
    }

    #[test]
    fn span_lists_follow_a_span_and_code_is_left_alone() {
        let text =
            "*a*{: .x} [b](c){:target=\"_blank\"} word{: .no} `*c*{: .d}`\n\n```\n*e*{: .f}\n```\n";
        let out = with_markers(text);
        assert!(out.contains("*a*<!--vellum-ial span {: .x}-->"), "{out}");
        assert!(
            out.contains("(c)<!--vellum-ial span {:target=\"_blank\"}-->"),
            "{out}"
        );
        assert!(out.contains("word{: .no}"), "{out}");
        assert!(
            out.contains("`*c*{: .d}`") && out.contains("\n*e*{: .f}\n"),
            "{out}"
        );
    }

    #[test]
    fn extensions_and_definitions_are_dropped() {
        let text = "{::options parse_block_html=\"true\" /}\n{:ref: .x}\nA {::comment}gone\nstill{:/comment}B\n{::nomarkdown}<b>kept</b>{:/nomarkdown}\n";
        let out = with_markers(text);
        assert_eq!(out, "\n\nA \nB\n<b>kept</b>\n");
    }

    #[test]
    fn many_openings_without_an_end_stay_linear() {
        // Each would scan the rest of its line or of the text for its end: minutes, if so.
        let line = "*a*{: \"".repeat(40_000);
        let openings = "{::comment} {::nomarkdown}\n".repeat(40_000);
        for text in [line, openings] {
            let started = std::time::Instant::now();
            let out = with_markers(&text);
            assert!(out.len() >= text.len() / 2);
            assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        }
    }

    #[test]
    fn markers_are_read_back() {
        assert_eq!(
            read_marker("<!--vellum-ial after {: .x}-->\n"),
            Some((Place::After, "{: .x}"))
        );
        assert_eq!(read_marker("<!-- other -->"), None);
    }
}
