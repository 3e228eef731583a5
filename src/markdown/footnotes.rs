//! Footnote ids. pulldown-cmark uses a footnote's label as its element id, so `[^sources]` and a
//! heading "Sources" would share one. Labels are renamed to `fn-<slug>` here, and those ids are
//! reserved before headings get theirs.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Tag};

use crate::slugs::slugify;

/// Renames every footnote label in place and returns the ids they will take.
pub fn rename_labels(events: &mut [Event<'_>]) -> HashSet<String> {
    let mut ids = HashSet::new();
    for event in events.iter_mut() {
        let label = match event {
            Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label)) => label,
            _ => continue,
        };
        let id = footnote_id(label);
        ids.insert(id.clone());
        *label = CowStr::from(id);
    }
    ids
}

/// `fn-` and the label's slug; a label with nothing sluggable keeps its characters' code points.
fn footnote_id(label: &str) -> String {
    let slug = slugify(label);
    if slug.is_empty() {
        let points: Vec<String> = label.chars().map(|c| format!("{:x}", c as u32)).collect();
        format!("fn-{}", points.join("-"))
    } else {
        format!("fn-{slug}")
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::render_markdown;

    #[test]
    fn footnote_and_heading_ids_do_not_collide() {
        let r = render_markdown("A.[^fn-x]\n\n## Fn x\n\n[^fn-x]: Note.\n");
        assert!(r.html.contains("href=\"#fn-fn-x\""), "{}", r.html);
        assert!(r.html.contains("id=\"fn-fn-x\""), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"fn-x\">"), "{}", r.html);
    }

    #[test]
    fn heading_named_like_a_footnote_id_moves_aside() {
        let r = render_markdown("A.[^1]\n\n## Fn 1\n\n[^1]: Note.\n");
        assert!(r.html.contains("id=\"fn-1\""), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"fn-1-1\">"), "{}", r.html);
    }
}
