//! Heading ids and the table of contents. Ids are slugs of the heading text, made unique within
//! the essay (`notes`, `notes-1`, …); an explicit `{#id}` is kept as written.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::slugs::slugify;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// Gives every heading an id, avoiding the ids in `taken`, and returns them in order.
pub fn assign_ids(events: &mut [Event<'_>], taken: HashSet<String>) -> Vec<Heading> {
    let mut seen = taken;
    let mut toc = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = *level as u8;
            let explicit = id.as_ref().map(|s| s.to_string());
            let title = heading_text(&events[i + 1..]);
            let base = explicit.unwrap_or_else(|| slugify(&title));
            let unique = unique_id(&mut seen, base);
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(unique.clone()));
            }
            toc.push(Heading {
                level,
                id: unique,
                title,
            });
        }
        i += 1;
    }
    toc
}

fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

fn unique_id(seen: &mut HashSet<String>, base: String) -> String {
    if seen.insert(base.clone()) {
        return base;
    }
    (1..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| seen.insert(candidate.clone()))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use crate::markdown::render_markdown;

    #[test]
    fn ids_are_unique_and_explicit_ids_kept() {
        let r = render_markdown("## Notes\n\n## Notes\n\n## Other {#mine}\n\n### `code` *here*\n");
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["notes", "notes-1", "mine", "code-here"]);
        assert!(
            r.html.contains("<h2 id=\"notes-1\">Notes</h2>"),
            "{}",
            r.html
        );
        assert_eq!(r.toc[3].level, 3);
        assert_eq!(r.toc[3].title, "code here");
    }
}
