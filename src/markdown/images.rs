//! Images in a body: each `<img>`, from Markdown or raw HTML, gets the `width` and `height`
//! of its file (so the page does not jump as it loads), `loading="lazy"` and
//! `decoding="async"` after the first (which may be above the fold), and a `srcset` of its
//! resized copies when the site makes them ([`crate::images`]). A Markdown image alone in its
//! paragraph with a title becomes a `<figure>` with the title as its caption.
//!
//! Attributes the writer gave (`width`, `loading`, …) are kept. A body with no image pays
//! one scan of its events.

use pulldown_cmark::{Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use crate::images::{self, Place};

/// Rewrites the images of `events` and returns the first one's `src` (unescaped), for
/// `og:image`.
pub fn render(events: &mut Vec<Event<'_>>, place: Option<&Place>) -> Option<String> {
    if !events.iter().any(has_image) {
        return None;
    }
    let mut state = State {
        place,
        seen: 0,
        first: None,
    };
    let old = std::mem::take(events);
    let mut i = 0;
    while i < old.len() {
        match &old[i] {
            Event::Start(Tag::Paragraph) => {
                if let Some((image, end)) = lone_titled_image(&old, i) {
                    let (tag, caption) = markdown_tag(&old, image, false);
                    let mut html = String::from("<figure>");
                    html.push_str(&state.enrich(&tag));
                    html.push_str("<figcaption>");
                    html.push_str(&caption);
                    html.push_str("</figcaption></figure>\n");
                    events.push(Event::Html(html.into()));
                    i = end + 1;
                    continue;
                }
                events.push(old[i].clone());
            }
            Event::Start(Tag::Image { .. }) => {
                let (tag, _) = markdown_tag(&old, i, true);
                events.push(Event::InlineHtml(state.enrich(&tag).into()));
                i = end_of(&old, i) + 1;
                continue;
            }
            Event::Html(html) if html.contains("<img") => {
                events.push(Event::Html(state.enrich(html).into()));
            }
            Event::InlineHtml(html) if html.contains("<img") => {
                events.push(Event::InlineHtml(state.enrich(html).into()));
            }
            other => events.push(other.clone()),
        }
        i += 1;
    }
    state.first
}

fn has_image(event: &Event<'_>) -> bool {
    match event {
        Event::Start(Tag::Image { .. }) => true,
        Event::Html(html) | Event::InlineHtml(html) => html.contains("<img"),
        _ => false,
    }
}

/// The index of the `End` matching the `Start` at `start`.
fn end_of(events: &[Event<'_>], start: usize) -> usize {
    let mut depth = 0usize;
    for (i, event) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// For the paragraph starting at `start`: when it holds one image with a title and nothing
/// else but spaces, the image's index and the paragraph's end.
fn lone_titled_image(events: &[Event<'_>], start: usize) -> Option<(usize, usize)> {
    let blank = |e: &Event<'_>| {
        matches!(e, Event::Text(t) if t.trim().is_empty())
            || matches!(e, Event::SoftBreak | Event::HardBreak)
    };
    let image = start + 1 + events[start + 1..].iter().position(|e| !blank(e))?;
    let Event::Start(Tag::Image { title, .. }) = &events[image] else {
        return None;
    };
    if title.trim().is_empty() {
        return None;
    }
    let after = end_of(events, image) + 1;
    let end = after + events.get(after..)?.iter().position(|e| !blank(e))?;
    matches!(events[end], Event::End(TagEnd::Paragraph)).then_some((image, end))
}

/// The `<img>` of the Markdown image starting at `start`, as pulldown-cmark writes it (with
/// its title when `with_title`), and its title escaped.
fn markdown_tag(events: &[Event<'_>], start: usize, with_title: bool) -> (String, String) {
    let Event::Start(Tag::Image {
        dest_url, title, ..
    }) = &events[start]
    else {
        return (String::new(), String::new());
    };
    let end = end_of(events, start);
    let mut tag = String::from("<img src=\"");
    // Writing to a String cannot fail.
    let _ = escape_href(&mut tag, dest_url);
    tag.push_str("\" alt=\"");
    for event in &events[start + 1..end] {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => {
                let _ = escape_html(&mut tag, t);
            }
            Event::InlineMath(t) => {
                tag.push('$');
                let _ = escape_html(&mut tag, t);
                tag.push('$');
            }
            Event::SoftBreak | Event::HardBreak => tag.push(' '),
            _ => {}
        }
    }
    let mut caption = String::new();
    let _ = escape_html(&mut caption, title);
    if with_title && !title.is_empty() {
        tag.push_str("\" title=\"");
        tag.push_str(&caption);
    }
    tag.push_str("\" />");
    (tag, caption)
}

/// What rewriting a body's images keeps track of.
struct State<'p> {
    place: Option<&'p Place>,
    /// Images met so far: all but the first load lazily.
    seen: usize,
    first: Option<String>,
}

impl State<'_> {
    /// `html` with every `<img>` tag in it given what it lacks.
    fn enrich(&mut self, html: &str) -> String {
        let mut out = String::with_capacity(html.len() + 96);
        let mut rest = html;
        while let Some(at) = find_img(rest) {
            let tag_start = &rest[at..];
            let Some(tag) = ImgTag::parse(tag_start) else {
                // A tag cut off (raw HTML split over lines): left as it is.
                break;
            };
            out.push_str(&rest[..at]);
            out.push_str(&tag_start[..tag.insert_at]);
            self.add_attributes(&mut out, &tag);
            out.push_str(&tag_start[tag.insert_at..tag.len]);
            rest = &tag_start[tag.len..];
        }
        out.push_str(rest);
        out
    }

    fn add_attributes(&mut self, out: &mut String, tag: &ImgTag<'_>) {
        let n = self.seen;
        self.seen += 1;
        let src = tag.get("src").unwrap_or_default();
        if self.first.is_none() && !src.is_empty() {
            self.first = Some(unescape(src));
        }
        let sized = tag.get("width").is_some() || tag.get("height").is_some();
        if let Some(place) = self.place.filter(|_| !sized) {
            let file = place.file(&unescape(src));
            if let Some((width, height)) = file.as_deref().and_then(images::dimensions) {
                out.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
                let resizable = file.is_some_and(|f| images::resizable(&f.to_string_lossy()));
                if resizable && tag.get("srcset").is_none() {
                    srcset(out, place, src, width);
                }
            }
        }
        if n > 0 {
            for (name, value) in [("loading", "lazy"), ("decoding", "async")] {
                if tag.get(name).is_none() {
                    out.push_str(&format!(" {name}=\"{value}\""));
                }
            }
        }
    }
}

/// ` srcset` and `sizes` for an image `width` pixels wide at `src` (as in the attribute),
/// when the site has narrower copies of it. Absolute URLs: the same HTML goes in feeds.
fn srcset(out: &mut String, place: &Place, src: &str, width: u32) {
    let widths = &place.site.widths;
    if images::copy_widths(widths, width).next().is_none() {
        return;
    }
    let url = |s: &str| crate::urls::absolute(s, &place.page_url);
    out.push_str(" srcset=\"");
    for w in images::copy_widths(widths, width) {
        out.push_str(&format!("{} {w}w, ", url(&images::copy_name(src, w))));
    }
    out.push_str(&format!("{} {width}w\" sizes=\"", url(src)));
    let _ = escape_html(&mut *out, &place.site.sizes);
    out.push('"');
}

/// The start of the next `<img` tag in `html`.
fn find_img(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = html[from..].find("<img").map(|i| from + i) {
        let next = html.as_bytes().get(at + 4);
        if next.is_some_and(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>') {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

/// One `<img …>` tag read: its attributes, where new ones go (after the last) and its length.
struct ImgTag<'a> {
    attributes: Vec<(&'a str, &'a str)>,
    insert_at: usize,
    len: usize,
}

impl<'a> ImgTag<'a> {
    /// Reads the tag at the start of `html`; `None` when it does not end.
    fn parse(html: &'a str) -> Option<ImgTag<'a>> {
        let bytes = html.as_bytes();
        let mut i = 4;
        let mut insert_at = 4;
        let mut attributes = Vec::new();
        loop {
            while bytes.get(i)?.is_ascii_whitespace() {
                i += 1;
            }
            match bytes[i] {
                b'>' => {
                    return Some(ImgTag {
                        attributes,
                        insert_at,
                        len: i + 1,
                    });
                }
                b'/' if bytes.get(i + 1) == Some(&b'>') => {
                    return Some(ImgTag {
                        attributes,
                        insert_at,
                        len: i + 2,
                    });
                }
                _ => {}
            }
            let name_start = i;
            while !matches!(bytes.get(i)?, b' ' | b'\t' | b'\n' | b'\r' | b'=' | b'>')
                && (bytes[i] != b'/' || bytes.get(i + 1) != Some(&b'>'))
            {
                i += 1;
            }
            let name = &html[name_start..i];
            let mut value = "";
            if bytes[i] == b'=' {
                i += 1;
                match bytes.get(i)? {
                    quote @ (b'"' | b'\'') => {
                        let close = html[i + 1..].find(*quote as char)? + i + 1;
                        value = &html[i + 1..close];
                        i = close + 1;
                    }
                    _ => {
                        let start = i;
                        while !bytes.get(i)?.is_ascii_whitespace() && bytes[i] != b'>' {
                            i += 1;
                        }
                        value = &html[start..i];
                    }
                }
            }
            // A lone `/` between attributes is no attribute.
            if !name.is_empty() && name != "/" {
                attributes.push((name, value));
            }
            i = i.max(name_start + 1);
            insert_at = i;
        }
    }

    fn get(&self, name: &str) -> Option<&'a str> {
        self.attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

/// An attribute's value with the entities pulldown-cmark and writers use undone.
fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{Env, render_markdown_with};

    fn html(text: &str) -> String {
        render_markdown_with(text, &Env::default()).html
    }

    #[test]
    fn all_but_the_first_image_load_lazily() {
        assert_eq!(
            html("![a](a.png) and ![b](b.png \"T\")\n\n<img src=\"c.png\">\n"),
            "<p><img src=\"a.png\" alt=\"a\" /> and <img src=\"b.png\" alt=\"b\" title=\"T\" loading=\"lazy\" decoding=\"async\" /></p>\n<img src=\"c.png\" loading=\"lazy\" decoding=\"async\">\n"
        );
    }

    #[test]
    fn a_lone_titled_image_is_a_figure_and_others_are_not() {
        assert_eq!(
            html("![A *cat*](cat.png \"Our cat, 2019\")\n"),
            "<figure><img src=\"cat.png\" alt=\"A cat\" /><figcaption>Our cat, 2019</figcaption></figure>\n"
        );
        assert_eq!(
            html("![a](a.png)\n"),
            "<p><img src=\"a.png\" alt=\"a\" /></p>\n"
        );
        assert_eq!(
            html("See ![a](a.png \"t\")\n"),
            "<p>See <img src=\"a.png\" alt=\"a\" title=\"t\" /></p>\n"
        );
    }

    #[test]
    fn the_writers_attributes_are_kept() {
        let mut state = State {
            place: None,
            seen: 1,
            first: None,
        };
        assert_eq!(
            state.enrich("<p><img loading=eager src='x.png' width=\"50%\"/> <img\n"),
            "<p><img loading=eager src='x.png' width=\"50%\" decoding=\"async\"/> <img\n"
        );
        assert_eq!(state.first.as_deref(), Some("x.png"));
        assert_eq!(
            state.enrich("<imgx> <img>"),
            "<imgx> <img loading=\"lazy\" decoding=\"async\">"
        );
    }
}
