//! Obsidian's embeds of other essays: `![[essay#Section]]` shows that section (from its
//! heading to the next heading of the same or a higher level), `![[essay]]` the whole body,
//! as a quoted excerpt with a link to where it comes from. The excerpt is rendered here, at
//! collect, with its own links resolved, and kept in the embedding essay's [`Resolved`](super::Resolved): an
//! essay's rendered body stays a function of its own text, and the pages that show the
//! excerpt change when it does (their fingerprint holds it).
//!
//! An embed written alone in its paragraph becomes the excerpt; one inside a sentence stays a
//! link to the section. An embed that would show itself, however far down, is an error that
//! names the chain.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{Context, Target};
use crate::markdown::IdStyle;
use crate::markdown::file_links::{self, FileLink};

/// How deep embeds may go inside embeds: enough for any real note, and a bound on the work
/// a web of embeds can make.
const MAX_DEPTH: usize = 8;

/// Why an embed shows nothing.
pub struct Failure {
    pub message: String,
    /// A cycle: the outermost essay of the chain fails with it too.
    pub cycle: bool,
}

impl Failure {
    fn plain(message: String) -> Failure {
        Failure {
            message,
            cycle: false,
        }
    }
}

/// The HTML that `link`, an embed of `target`, shows; `url` is where the excerpt links to.
/// `chain` holds what is being embedded already, outermost first.
pub(super) fn embed(
    ctx: &Context,
    target: &Target,
    link: &FileLink,
    url: &str,
    chain: &mut Vec<String>,
) -> Result<String, Failure> {
    let essay = ctx.by_path.get(&target.path).ok_or_else(|| {
        Failure::plain(format!(
            "{} is not an essay, and only an essay can be embedded",
            target.path
        ))
    })?;
    let key = match &link.anchor {
        Some(heading) => format!("{}#{heading}", target.path),
        None => target.path.clone(),
    };
    if chain.contains(&key) || chain.len() > MAX_DEPTH {
        let what = match chain.contains(&key) {
            true => "embeds form a cycle",
            false => "embeds go too deep",
        };
        return Err(Failure {
            message: format!("{what}: {} → {key}", chain.join(" → ")),
            cycle: true,
        });
    }
    let (text, body) = essay.body.source_text();
    let part = match &link.anchor {
        Some(heading) => section(text, body, heading, ctx.heading_ids)
            .ok_or_else(|| Failure::plain(format!("{} has no heading `{heading}`", target.path)))?,
        None => body,
    };
    chain.push(key);
    let links = file_links::scan(text, part.clone());
    // The embedded section's links are its essay's: they give the embedding one no backlinks.
    let (resolved, misses, _) = super::resolve_links(ctx, essay, &links, chain);
    chain.pop();
    // A cycle further down fails this embed; other broken links are the embedded essay's own,
    // reported there.
    if let Some(cycle) = misses.into_iter().find(|m| m.cycle) {
        return Err(Failure {
            message: cycle.why,
            cycle: true,
        });
    }
    let page_url = &essay.shown.url;
    let html = crate::urls::absolutize(&essay.body.render_part(part), page_url);
    let html = resolved
        .rebased(|href| crate::urls::absolute(href, page_url))
        .apply(html);
    let source = match &link.anchor {
        Some(heading) => format!("{} › {heading}", essay.title),
        None => essay.title.clone(),
    };
    let mut out = String::with_capacity(html.len() + 128);
    out.push_str("<blockquote class=\"embed\">\n");
    out.push_str(&without_ids(&html));
    out.push_str("<p class=\"embed-source\"><a href=\"");
    out.push_str(url);
    out.push_str("\">");
    let _ = pulldown_cmark_escape::escape_html(&mut out, &source);
    out.push_str("</a></p>\n</blockquote>\n");
    Ok(out)
}

/// The section of `text[body]` under the heading whose text (or id) is `heading`, heading
/// included.
fn section(text: &str, body: Range<usize>, heading: &str, ids: IdStyle) -> Option<Range<usize>> {
    let wanted = ids.slug(heading);
    let mut open: Option<(usize, pulldown_cmark::HeadingLevel)> = None;
    let mut current: Option<(usize, pulldown_cmark::HeadingLevel, String)> = None;
    let parser = Parser::new_ext(&text[body.clone()], crate::markdown::options());
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                if let Some((start, found)) = open
                    && level <= found
                {
                    return Some(body.start + start..body.start + range.start);
                }
                let id = id.map(|id| id.to_string()).unwrap_or_default();
                current = Some((range.start, level, id));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, words)) = &mut current {
                    words.push(' ');
                    words.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start, level, words)) = current.take()
                    && open.is_none()
                    && (ids.slug(words.trim()) == wanted
                        || words.trim().eq_ignore_ascii_case(heading))
                {
                    open = Some((start, level));
                }
            }
            _ => {}
        }
    }
    open.map(|(start, _)| body.start + start..body.end)
}

/// Embedded HTML without the `id`s of its headings: the page holding it has its own.
fn without_ids(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<h") {
        let tag = &rest[at..];
        let is_heading = tag
            .as_bytes()
            .get(2)
            .is_some_and(|b| (b'1'..=b'6').contains(b))
            && tag[3..].starts_with(" id=\"");
        if !is_heading {
            out.push_str(&rest[..at + 2]);
            rest = &rest[at + 2..];
            continue;
        }
        out.push_str(&rest[..at + 3]);
        let after = &tag[3 + " id=\"".len()..];
        let end = after.find('"').map_or(after.len(), |i| i + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Each embed alone in its paragraph (`<p><a href="vellum-embed:…">…</a></p>`) replaced by
/// its excerpt. Embeds inside a sentence are left as links.
pub(super) fn put_in_place(embeds: &[(String, String)], html: String) -> String {
    if embeds.is_empty() {
        return html;
    }
    let mut html = html;
    for (href, excerpt) in embeds {
        let open = format!("<p><a href=\"{href}\">");
        let mut from = 0;
        while let Some(at) = html[from..].find(&open).map(|i| from + i) {
            let after = at + open.len();
            let Some(close) = html[after..].find("</a></p>") else {
                break;
            };
            let mut end = after + close + "</a></p>".len();
            if html[end..].starts_with('\n') {
                end += 1;
            }
            html.replace_range(at..end, excerpt);
            from = at + excerpt.len();
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_runs_to_the_next_heading_of_its_level_or_higher() {
        let text =
            "# T\n\nIntro.\n\n## Why\n\nBecause.\n\n### Deeper\n\nMore.\n\n## Next\n\nOther.\n";
        let part = section(text, 0..text.len(), "why", IdStyle::Vellum).unwrap();
        assert_eq!(&text[part], "## Why\n\nBecause.\n\n### Deeper\n\nMore.\n\n");
        let part = section(text, 0..text.len(), "Next", IdStyle::Vellum).unwrap();
        assert_eq!(&text[part], "## Next\n\nOther.\n");
        assert_eq!(section(text, 0..text.len(), "Nope", IdStyle::Vellum), None);
    }

    #[test]
    fn lone_embeds_become_excerpts_and_headings_lose_their_ids() {
        let embeds = [(
            "vellum-embed:x".to_string(),
            "<blockquote>X</blockquote>\n".to_string(),
        )];
        let html = "<p><a href=\"vellum-embed:x\">x</a></p>\n<p>See <a href=\"vellum-embed:x\">x</a>.</p>\n";
        assert_eq!(
            put_in_place(&embeds, html.to_string()),
            "<blockquote>X</blockquote>\n<p>See <a href=\"vellum-embed:x\">x</a>.</p>\n"
        );
        assert_eq!(
            without_ids("<h2 id=\"why\">Why</h2>\n<hr />"),
            "<h2>Why</h2>\n<hr />"
        );
    }
}
