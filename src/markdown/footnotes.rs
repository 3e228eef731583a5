//! Footnotes, rendered for reading: a note whose definition is one paragraph also becomes a
//! sidenote beside its reference (the theme floats it into the margin, or lets the reader
//! toggle it on a narrow screen, in CSS only), and every note is listed once more as an endnote
//! at the end of the body, for feeds, print and notes too long to sit in a margin.
//!
//! pulldown-cmark would use a footnote's label as its element id, so `[^sources]` and a heading
//! "Sources" would share one; labels become `fn-<slug>` ids first ([`rename_labels`]), and those
//! are reserved before headings get theirs.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd, html};

use super::headings::UniqueIds;
use super::margin;

/// Opens and closes the sidenote markup of one reference, so that [`for_feed`] can find it.
const SIDENOTE_OPEN: &str = "<!--sn-->";
const SIDENOTE_CLOSE: &str = "<!--/sn-->";

/// Renames every footnote label in place to the id its note will carry (`fn-<slug>`, unique
/// within the essay: `fn-x`, `fn-x-2`, …) and returns those ids.
pub fn rename_labels(events: &mut [Event<'_>]) -> HashSet<String> {
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut unique = UniqueIds::default();
    for event in events.iter_mut() {
        let label = match event {
            Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label)) => label,
            _ => continue,
        };
        let id = match ids.get(label.as_ref()) {
            Some(id) => id.clone(),
            None => {
                let id = unique.claim(footnote_id(label), 2);
                ids.insert(label.to_string(), id.clone());
                id
            }
        };
        *label = CowStr::from(id);
    }
    unique.into_taken()
}

/// `fn-` and the label's slug; a label with nothing sluggable (`[^*]`) uses code points.
fn footnote_id(label: &str) -> String {
    let slug = slug::slugify(label);
    if slug.is_empty() {
        let points: Vec<String> = label.chars().map(|c| format!("{:x}", c as u32)).collect();
        format!("fn-{}", points.join("-"))
    } else {
        format!("fn-{slug}")
    }
}

/// Replaces footnote references with sidenote (or plain link) markup, removes the definitions
/// from where they were written, and appends the endnote list. Labels must already be ids.
pub fn render<'a>(events: Vec<Event<'a>>) -> Vec<Event<'a>> {
    let (mut events, definitions) = take_definitions(events);
    if definitions.is_empty() {
        return events;
    }
    // Notes are numbered in the order they are first referred to; unreferenced ones follow.
    // Numbers are looked up by id, not searched for: an essay may have thousands of notes.
    let mut order: Vec<String> = Vec::new();
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let referenced = events.iter().filter_map(|event| match event {
        Event::FootnoteReference(id) => Some(id.as_ref()),
        _ => None,
    });
    for id in referenced.chain(definitions.iter().map(|(id, _)| id.as_str())) {
        if !numbers.contains_key(id) {
            order.push(id.to_string());
            numbers.insert(id.to_string(), order.len());
        }
    }
    let number = |id: &str| numbers.get(id).copied();
    let notes: HashMap<&str, &[Event<'a>]> = definitions
        .iter()
        .map(|(id, body)| (id.as_str(), body.as_slice()))
        .collect();

    // Notes that would sit too far below their references in the margin stay in the text.
    let lengths: HashMap<&str, usize> = definitions
        .iter()
        .filter_map(|(id, body)| Some((id.as_str(), margin::note_length(inline_content(body)?))))
        .collect();
    let in_text = margin::crowded(&events, &lengths);

    let mut sidenoted = HashSet::new();
    let mut seen = HashSet::new();
    for event in events.iter_mut() {
        let Event::FootnoteReference(id) = event else {
            continue;
        };
        let (Some(n), Some(body)) = (number(id), notes.get(id.as_ref())) else {
            // A reference to a note that does not exist stays as the writer typed it.
            *event = Event::Text(CowStr::from(format!("[^{id}]")));
            continue;
        };
        let first = seen.insert(id.to_string());
        let markup = match inline_content(body) {
            Some(inline) if first => {
                sidenoted.insert(id.to_string());
                sidenote(id, n, inline, in_text.contains(id.as_ref()))
            }
            _ if first => format!(
                "<sup class=\"footnote-ref\" id=\"fnref-{id}\"><a href=\"#{id}\">{n}</a></sup>"
            ),
            // A second reference to the same note: a link, with no id to duplicate.
            _ => format!("<sup class=\"footnote-ref\"><a href=\"#{id}\">{n}</a></sup>"),
        };
        *event = Event::InlineHtml(CowStr::from(markup));
    }

    let all = order.iter().all(|id| sidenoted.contains(id));
    let mut list = format!(
        "<section class=\"footnotes{}\" aria-label=\"Notes\">\n<ol>\n",
        if all { " all-sidenoted" } else { "" }
    );
    for id in &order {
        let Some(body) = notes.get(id.as_str()) else {
            continue;
        };
        let class = if sidenoted.contains(id) {
            "footnote has-sidenote"
        } else {
            "footnote"
        };
        let _ = write!(list, "<li id=\"{id}\" class=\"{class}\">");
        let mut content = String::new();
        html::push_html(&mut content, without_references(body));
        if seen.contains(id) {
            let n = number(id).unwrap_or_default();
            let backref = format!(
                " <a class=\"footnote-backref\" href=\"#fnref-{id}\" aria-label=\"Back to note {n}\">↩</a>"
            );
            match content.trim_end().strip_suffix("</p>") {
                Some(head) => {
                    content = format!("{head}{backref}</p>\n");
                }
                None => content.push_str(&backref),
            }
        }
        list.push_str(&content);
        list.push_str("</li>\n");
    }
    list.push_str("</ol>\n</section>\n");
    events.push(Event::Html(CowStr::from(list)));
    events
}

/// The events without footnote definitions, and the definitions' bodies by id, in order (the
/// first of two definitions with one id wins). A body without notes is returned as it came: a
/// body of millions of events (a run of `[` is one event per character) is not copied.
#[allow(clippy::type_complexity)]
fn take_definitions(mut events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Vec<(String, Vec<Event<'_>>)>) {
    let mut definitions: Vec<(String, Vec<Event<'_>>)> = Vec::new();
    if !events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::FootnoteDefinition(_))))
    {
        return (events, definitions);
    }
    let mut defined = HashSet::new();
    let mut current: Option<(String, Vec<Event<'_>>)> = None;
    // The first end closes a definition, as in the parser's output definitions never nest.
    let mut inside = false;
    let taken = events.extract_if(.., |event| {
        let take = inside || matches!(event, Event::Start(Tag::FootnoteDefinition(_)));
        inside = take && !matches!(event, Event::End(TagEnd::FootnoteDefinition));
        take
    });
    for event in taken {
        match (&mut current, event) {
            (None, Event::Start(Tag::FootnoteDefinition(id))) => {
                current = Some((id.to_string(), Vec::new()));
            }
            (Some(_), Event::End(TagEnd::FootnoteDefinition)) => {
                if let Some((id, note)) = current.take()
                    && defined.insert(id.clone())
                {
                    definitions.push((id, note));
                }
            }
            (Some((_, note)), event) => note.push(event),
            (None, _) => {}
        }
    }
    // What remains is rendered while the notes' HTML is made: keep it compact rather than at
    // the capacity that held the notes too (15,000 notes: 10 MB less at the peak).
    events.shrink_to_fit();
    (events, definitions)
}

/// A note that is one paragraph of inline content: its inline events.
fn inline_content<'b, 'a>(body: &'b [Event<'a>]) -> Option<&'b [Event<'a>]> {
    match body {
        [
            Event::Start(Tag::Paragraph),
            inner @ ..,
            Event::End(TagEnd::Paragraph),
        ] if !inner
            .iter()
            .any(|e| matches!(e, Event::Start(Tag::Paragraph))) =>
        {
            Some(inner)
        }
        _ => None,
    }
}

/// A note's number, the checkbox that opens it on a narrow screen, and the note. A note kept
/// `in_text` (see [`margin`]) carries the class `in-text` on all three: the theme leaves it
/// folded behind its number on wide screens too.
fn sidenote(id: &str, n: usize, inline: &[Event<'_>], in_text: bool) -> String {
    let mut content = String::new();
    html::push_html(&mut content, without_references(inline));
    let class = if in_text { " in-text" } else { "" };
    format!(
        "{SIDENOTE_OPEN}<label class=\"sidenote-ref{class}\" for=\"sn-{id}\"><sup id=\"fnref-{id}\">{n}</sup></label><input type=\"checkbox\" class=\"sidenote-toggle{class}\" id=\"sn-{id}\"><span class=\"sidenote{class}\"><span class=\"sidenote-number\">{n}</span> {}</span>{SIDENOTE_CLOSE}",
        content.trim_end()
    )
}

/// A note's own references to other notes, shown as text: notes inside notes are not linked.
fn without_references<'b, 'a>(events: &'b [Event<'a>]) -> impl Iterator<Item = Event<'a>> + 'b {
    events.iter().map(|e| match e {
        Event::FootnoteReference(id) => Event::Text(CowStr::from(format!("[^{id}]"))),
        other => other.clone(),
    })
}

/// HTML for places without the theme's CSS (feeds): each sidenote becomes a plain numbered
/// link to its endnote.
pub fn for_feed(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(SIDENOTE_OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find(SIDENOTE_CLOSE) else {
            break;
        };
        let region = &after[..end];
        let sup = region
            .find("<sup id=\"fnref-")
            .map_or("", |at| &region[at..]);
        let id = between(sup, "<sup id=\"fnref-", "\"");
        let n = between(sup, "\">", "</sup>");
        if let (Some(id), Some(n)) = (id, n) {
            let _ = write!(
                out,
                "<sup class=\"footnote-ref\" id=\"fnref-{id}\"><a href=\"#{id}\">{n}</a></sup>"
            );
        }
        rest = &after[end + SIDENOTE_CLOSE.len()..];
    }
    out.push_str(rest);
    out
}

fn between<'s>(text: &'s str, open: &str, close: &str) -> Option<&'s str> {
    let start = text.find(open)? + open.len();
    let len = text[start..].find(close)?;
    Some(&text[start..start + len])
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::Parser;

    use super::{for_feed, take_definitions};
    use crate::markdown::{options, render_markdown};

    #[test]
    fn labels_with_one_slug_get_numbered_ids() {
        // `a!` and `a?` both slug to `a`; `a 2` slugs to what the second became.
        let r = render_markdown(
            "One.[^a!] Two.[^a?] Three.[^a 2]\n\n[^a!]: 1.\n[^a?]: 2.\n[^a 2]: 3.\n",
        );
        let ids: Vec<&str> = r
            .html
            .split("<li id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert_eq!(ids, ["fn-a", "fn-a-2", "fn-a-2-2"], "{}", r.html);
    }

    #[test]
    fn a_body_without_notes_is_not_copied_and_one_with_notes_is_left_compact() {
        // A run of `[` is one event per character; a copy of them all was the largest
        // allocation of a build.
        let events: Vec<_> = Parser::new_ext("[[[[ [[[[\n", options()).collect();
        let at = events.as_ptr();
        let (body, definitions) = take_definitions(events);
        assert_eq!(body.as_ptr(), at);
        assert!(definitions.is_empty());

        let text = "A.[^a] [[[[ [[[[\n\n[^a]: Note.\n\n[^b]: Other.\n\nAfter.\n";
        let events: Vec<_> = Parser::new_ext(text, options()).collect();
        let len = events.len();
        let (body, definitions) = take_definitions(events);
        let taken: usize = definitions.iter().map(|(_, note)| note.len() + 2).sum();
        assert_eq!(body.len() + taken, len);
        assert_eq!(body.capacity(), body.len());
    }

    #[test]
    fn a_second_definition_of_a_label_is_dropped() {
        let r = render_markdown("A.[^a]\n\n[^a]: First.\n\n[^a]: Second.\n");
        assert!(r.html.contains("First."), "{}", r.html);
        assert!(!r.html.contains("Second."), "{}", r.html);
    }

    #[test]
    fn footnote_and_heading_ids_do_not_collide() {
        let r = render_markdown("A.[^fn-x]\n\n## Fn x\n\n[^fn-x]: Note.\n");
        assert!(r.html.contains("id=\"fn-fn-x\""), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"fn-x\">"), "{}", r.html);
    }

    #[test]
    fn heading_named_like_a_footnote_id_moves_aside() {
        let r = render_markdown("A.[^1]\n\n## Fn 1\n\n[^1]: Note.\n");
        assert!(r.html.contains("<li id=\"fn-1\""), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"fn-1-1\">"), "{}", r.html);
    }

    #[test]
    fn one_paragraph_note_becomes_a_sidenote_and_an_endnote() {
        let r = render_markdown("Claim.[^a]\n\n[^a]: A *short* note.\n");
        assert_eq!(
            r.html,
            "<p>Claim.<!--sn--><label class=\"sidenote-ref\" for=\"sn-fn-a\"><sup id=\"fnref-fn-a\">1</sup></label><input type=\"checkbox\" class=\"sidenote-toggle\" id=\"sn-fn-a\"><span class=\"sidenote\"><span class=\"sidenote-number\">1</span> A <em>short</em> note.</span><!--/sn--></p>\n\
             <section class=\"footnotes all-sidenoted\" aria-label=\"Notes\">\n<ol>\n\
             <li id=\"fn-a\" class=\"footnote has-sidenote\"><p>A <em>short</em> note. <a class=\"footnote-backref\" href=\"#fnref-fn-a\" aria-label=\"Back to note 1\">↩</a></p>\n</li>\n</ol>\n</section>\n"
        );
    }

    #[test]
    fn long_notes_stay_endnotes_and_numbers_follow_first_reference() {
        let r = render_markdown(
            "One.[^long] Two.[^short] Again.[^long]\n\n[^short]: Short.\n\n[^long]: First.\n\n    Second paragraph.\n",
        );
        assert!(
            r.html.contains(
                "<sup class=\"footnote-ref\" id=\"fnref-fn-long\"><a href=\"#fn-long\">1</a></sup>"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<sup id=\"fnref-fn-short\">2</sup>"),
            "{}",
            r.html
        );
        // The repeated reference links without repeating the id.
        assert!(
            r.html
                .contains("Again.<sup class=\"footnote-ref\"><a href=\"#fn-long\">1</a></sup>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<section class=\"footnotes\""),
            "{}",
            r.html
        );
        let long = r
            .html
            .find("<li id=\"fn-long\" class=\"footnote\">")
            .expect("long note");
        let short = r.html.find("<li id=\"fn-short\"").expect("short note");
        assert!(long < short);
    }

    #[test]
    fn feed_gets_plain_links() {
        let r = render_markdown("Claim.[^a]\n\n[^a]: Note.\n");
        let feed = for_feed(&r.html);
        assert!(feed.starts_with("<p>Claim.<sup class=\"footnote-ref\" id=\"fnref-fn-a\"><a href=\"#fn-a\">1</a></sup></p>"), "{feed}");
        assert!(!feed.contains("sidenote-toggle"), "{feed}");
        assert!(feed.contains("<li id=\"fn-a\""), "{feed}");
    }

    #[test]
    fn summary_leaves_notes_out() {
        let r = render_markdown("Claim.[^a]\n\n## Later\n\n[^a]: Note.\n");
        assert_eq!(r.summary, "<p>Claim.</p>\n");
    }
}
