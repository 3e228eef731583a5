//! Gives each attribute list marker (see [`super::attributes`]) to its element, in the parsed
//! events: the block that ends just above it, the block that starts just below it, or the
//! span that ends just before it. One pass over the events with a stack of open elements
//! finds them all, so the cost is linear however many lists an essay holds.
//!
//! Headings take theirs first ([`on_headings`]), before ids are given and the table of
//! contents made: `{: #id}` and `{:.no_toc}` decide those. The rest ([`apply`]) waits until
//! code is highlighted and math written, so a list can also reach a code block's `<pre>`.
//! An element pulldown-cmark writes from its start tag alone (a paragraph, a list, a link)
//! gets an opening tag of ours; an image or a table is written whole and the attributes put
//! into its first tag. A list with kramdown's `toc` reference (`* TOC` then `{:toc}`) becomes
//! the table of contents. A marker beside nothing becomes its list again, as visible text.

use std::collections::HashMap;
use std::iter;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd, html};
use pulldown_cmark_escape::escape_html;

use super::Heading;
use super::attributes::{Place, read_marker};
use super::ial::Ial;

/// What a marker's list goes to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Target {
    /// An element from its start to its end event, inclusive.
    Element(Range<usize>),
    /// One HTML event (a highlighted code block).
    Lone(usize),
}

/// One marker: its events, its list as written, and what it goes to.
#[derive(Debug)]
struct Found {
    events: Range<usize>,
    list: String,
    target: Option<Target>,
}

/// Applies the lists that follow or precede headings, and removes their markers.
pub fn on_headings(events: &mut Vec<Event<'_>>) {
    let found = resolve(events);
    let mut removed = vec![false; events.len()];
    for one in &found {
        let Some(Target::Element(range)) = &one.target else {
            continue;
        };
        if let (Event::Start(tag @ Tag::Heading { .. }), Some(ial)) =
            (&mut events[range.start], Ial::parse(&one.list))
        {
            to_heading(tag, ial);
            removed[one.events.clone()].fill(true);
        }
    }
    retain(events, &removed);
}

/// Applies every other list, makes the `{:toc}` lists tables of contents from `toc`, and
/// turns markers beside nothing back into text.
pub fn apply(events: &mut Vec<Event<'_>>, toc: &[Heading]) {
    if !events.iter().any(is_marker) {
        return;
    }
    let found = resolve(events);
    let mut removed = vec![false; events.len()];
    // Lists that go to one element, merged in the order written.
    let mut lists: Vec<(Target, Ial)> = Vec::new();
    let mut index: HashMap<Target, usize> = HashMap::new();
    for one in found {
        removed[one.events.clone()].fill(true);
        match (one.target, Ial::parse(&one.list)) {
            (Some(target), Some(ial)) => match index.get(&target) {
                Some(&at) => lists[at].1.merge(ial),
                None => {
                    index.insert(target.clone(), lists.len());
                    lists.push((target, ial));
                }
            },
            _ => unattached(events, &mut removed, one.events, one.list),
        }
    }
    // Whole elements are written last and innermost first, so each holds what was done inside.
    let mut whole = Vec::new();
    for (target, ial) in lists {
        match target {
            Target::Lone(i) => match &events[i] {
                Event::Html(html) => events[i] = Event::Html(ial.add_to(html).into()),
                Event::InlineHtml(html) => events[i] = Event::InlineHtml(ial.add_to(html).into()),
                _ => {}
            },
            Target::Element(range) => {
                if let Some(event) = opening_tag(&mut events[range.start], &ial) {
                    events[range.start] = event;
                } else {
                    whole.push((range, ial));
                }
            }
        }
    }
    whole.sort_by_key(|(range, _)| range.len());
    for (range, ial) in whole {
        let html = match &events[range.start] {
            Event::Start(Tag::List(start)) if ial.refs.iter().any(|r| r == "toc") => {
                toc_html(toc, start.is_some(), &ial)
            }
            Event::Start(Tag::Table(_)) => format!(
                "{}{}{}",
                super::TABLE_WRAP_OPEN,
                ial.add_to(&written(&events[range.clone()], &removed[range.clone()])),
                super::TABLE_WRAP_CLOSE
            ),
            Event::Start(Tag::HtmlBlock) | Event::Start(Tag::Image { .. }) => {
                ial.add_to(&written(&events[range.clone()], &removed[range.clone()]))
            }
            _ => continue,
        };
        events[range.start] = Event::Html(html.into());
        removed[range.start + 1..range.end].fill(true);
    }
    retain(events, &removed);
}

fn is_marker(event: &Event<'_>) -> bool {
    matches!(event, Event::Html(h) | Event::InlineHtml(h) if read_marker(h).is_some())
}

/// Finds every marker and what it goes to, in one pass.
fn resolve(events: &[Event<'_>]) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    // Open elements: where each started, and the marker above it waiting for it.
    let mut open: Vec<(usize, Option<usize>)> = Vec::new();
    // The element that ended last, and the last event that belongs to it (its markers).
    let mut last: Option<(Target, usize)> = None;
    // A marker waiting for the element that starts at this event.
    let mut before: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < events.len() {
        let block = match (&events[i], events.get(i + 1), events.get(i + 2)) {
            (
                Event::Start(Tag::HtmlBlock),
                Some(Event::Html(html)),
                Some(Event::End(TagEnd::HtmlBlock)),
            ) => read_marker(html).map(|(place, list)| (place, list, i..i + 3)),
            (Event::InlineHtml(html), _, _) => read_marker(html)
                .filter(|(place, _)| *place == Place::Span)
                .map(|(place, list)| (place, list, i..i + 1)),
            _ => None,
        };
        if let Some((place, list, range)) = block {
            let mut target = None;
            match place {
                Place::After | Place::Span => {
                    if let Some((element, through)) = &mut last
                        && *through + 1 == i
                    {
                        target = Some(element.clone());
                        *through = range.end - 1;
                    }
                }
                Place::Before => before = Some((found.len(), range.end)),
            }
            found.push(Found {
                events: range.clone(),
                list: list.to_string(),
                target,
            });
            i = range.end;
            continue;
        }
        let waiting = before.filter(|&(_, at)| at == i).map(|(marker, _)| marker);
        match &events[i] {
            Event::Start(_) => open.push((i, waiting)),
            Event::End(_) => {
                if let Some((start, marker)) = open.pop() {
                    let element = Target::Element(start..i + 1);
                    if let Some(marker) = marker {
                        found[marker].target = Some(element.clone());
                    }
                    last = Some((element, i));
                }
            }
            // Inline HTML is a span a list can follow: an image is written as HTML by then
            // (see `images`), with its size.
            Event::Html(_) | Event::InlineHtml(_) => {
                if let Some(marker) = waiting {
                    found[marker].target = Some(Target::Lone(i));
                }
                last = Some((Target::Lone(i), i));
            }
            _ => {}
        }
        i += 1;
    }
    found
}

fn to_heading<'a>(tag: &mut Tag<'a>, ial: Ial) {
    if let Tag::Heading {
        id, classes, attrs, ..
    } = tag
    {
        if let Some(new) = ial.id {
            *id = Some(new.into());
        }
        classes.extend(ial.classes.into_iter().map(CowStr::from));
        attrs.extend(
            ial.attrs
                .into_iter()
                .map(|(k, v)| (CowStr::from(k), Some(CowStr::from(v)))),
        );
    }
}

/// The opening tag of an element pulldown-cmark writes from its start alone, with `ial`'s
/// attributes; `None` for one written whole (an image, a table, a table of contents).
fn opening_tag<'a>(start: &mut Event<'a>, ial: &Ial) -> Option<Event<'a>> {
    let inline = match start {
        Event::Start(tag @ Tag::Heading { .. }) => {
            to_heading(tag, ial.clone());
            return Some(start.clone());
        }
        Event::Start(Tag::List(_)) if ial.refs.iter().any(|r| r == "toc") => return None,
        Event::Start(
            Tag::Paragraph
            | Tag::BlockQuote(_)
            | Tag::List(_)
            | Tag::Item
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition,
        ) => false,
        Event::Start(
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. },
        ) => true,
        _ => return None,
    };
    let mut html = String::new();
    html::push_html(&mut html, iter::once(start.clone()));
    let html = CowStr::from(ial.add_to(html.trim_start_matches('\n')));
    Some(if inline {
        Event::InlineHtml(html)
    } else {
        Event::Html(html)
    })
}

/// A marker beside nothing: its list again, as text (a paragraph of its own for a block).
fn unattached<'a>(
    events: &mut [Event<'a>],
    removed: &mut [bool],
    range: Range<usize>,
    list: String,
) {
    removed[range.clone()].fill(false);
    if range.len() == 3 {
        events[range.start] = Event::Start(Tag::Paragraph);
        events[range.start + 1] = Event::Text(list.into());
        events[range.start + 2] = Event::End(TagEnd::Paragraph);
    } else {
        events[range.start] = Event::Text(list.into());
    }
}

/// The HTML of `events`, leaving out those removed.
fn written(events: &[Event<'_>], removed: &[bool]) -> String {
    let mut out = String::new();
    let kept = events
        .iter()
        .zip(removed)
        .filter(|(_, removed)| !**removed)
        .map(|(event, _)| event.clone());
    html::push_html(&mut out, kept);
    out
}

fn retain(events: &mut Vec<Event<'_>>, removed: &[bool]) {
    if !removed.contains(&true) {
        return;
    }
    let mut keep = removed.iter().map(|r| !r);
    events.retain(|_| keep.next().unwrap_or(true));
}

/// The table of contents where `* TOC` and `{:toc}` were: the headings as nested lists, in a
/// `nav`, the list carrying the other attributes written for it.
fn toc_html(toc: &[Heading], ordered: bool, ial: &Ial) -> String {
    let tag = if ordered { "ol" } else { "ul" };
    let mut out = String::from("<nav class=\"toc-inline\" aria-label=\"Table of contents\">\n");
    out.push_str(&ial.add_to(&format!("<{tag}>")));
    // The level of each list open, the outermost first.
    let mut levels: Vec<u8> = Vec::new();
    for heading in toc {
        match levels.last() {
            None => levels.push(heading.level),
            Some(&level) if heading.level > level => {
                out.push_str(&format!("\n<{tag}>"));
                levels.push(heading.level);
            }
            Some(_) => {
                while levels.len() > 1 && levels.last().is_some_and(|&l| heading.level < l) {
                    out.push_str(&format!("</li>\n</{tag}>"));
                    levels.pop();
                }
                out.push_str("</li>");
            }
        }
        out.push_str("\n<li><a href=\"#");
        let _ = escape_html(&mut out, &heading.id);
        out.push_str("\">");
        let _ = escape_html(&mut out, &heading.title);
        out.push_str("</a>");
    }
    for _ in 1..levels.len() {
        out.push_str(&format!("</li>\n</{tag}>"));
    }
    if !levels.is_empty() {
        out.push_str("</li>");
    }
    out.push_str(&format!("\n</{tag}>\n</nav>\n"));
    out
}

#[cfg(test)]
mod tests {
    use crate::markdown::render_markdown;

    #[test]
    fn a_table_of_contents_nests_by_level() {
        let r = render_markdown("* TOC\n{:toc}\n\n## A\n\n### A1\n\n#### A1a\n\n## B\n");
        let html = r.html.split("</nav>").next().unwrap_or_default();
        assert_eq!(
            html,
            "<nav class=\"toc-inline\" aria-label=\"Table of contents\">\n<ul>\n\
             <li><a href=\"#a\">A</a>\n<ul>\n<li><a href=\"#a1\">A1</a>\n<ul>\n\
             <li><a href=\"#a1a\">A1a</a></li>\n</ul></li>\n</ul></li>\n\
             <li><a href=\"#b\">B</a></li>\n</ul>\n"
        );
    }

    #[test]
    fn lists_before_and_after_blocks_and_after_spans() {
        let r = render_markdown(
            "{: .before}\nPara\n{: .after #p}\n\n*em*{: .x} [l](u){: target=\"_blank\"}\n\n![a](i.png){: width=\"50%\"}\n",
        );
        assert!(
            r.html
                .contains("<p id=\"p\" class=\"before after\">Para</p>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<em class=\"x\">em</em>"), "{}", r.html);
        assert!(
            r.html.contains("<a target=\"_blank\" href=\"u\">l</a>"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<img style=\"width: 50%;\" src=\"i.png\" alt=\"a\" />"),
            "{}",
            r.html
        );
    }

    #[test]
    fn a_list_beside_nothing_stays_text() {
        let r = render_markdown("Para\n\n{: .x}\n\nword{: .y}\n");
        assert_eq!(r.html, "<p>Para</p>\n<p>{: .x}</p>\n<p>word{: .y}</p>\n");
    }
}
