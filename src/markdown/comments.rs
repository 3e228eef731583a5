//! HTML comments a writer left in an essay (`<!-- an old draft of this paragraph -->`) are
//! not published: readers never see them, but anyone reading the page's source would, and a
//! commented-out passage is often one its writer did not mean to share. Hugo leaves them out
//! by default too. [`drop`] takes them out of the rendered events: a block that holds nothing
//! but comments goes entirely, a block that mixes comments with markup keeps its markup, and
//! a comment inside a paragraph goes.
//!
//! The text of `<script>`, `<style>` and `<textarea>` is not HTML, so a `<!--` there is not a
//! comment: blocks that open with them are left as they are.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// Takes every comment out of `events`. An essay without `<!--` in its HTML costs one look
/// at each event.
pub fn drop(events: &mut Vec<Event<'_>>) {
    let has_comment =
        |e: &Event<'_>| matches!(e, Event::Html(h) | Event::InlineHtml(h) if h.contains("<!--"));
    if !events.iter().any(has_comment) {
        return;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut block: Option<String> = None;
    for event in events.drain(..) {
        match (&mut block, event) {
            (None, Event::Start(Tag::HtmlBlock)) => block = Some(String::new()),
            (Some(text), Event::Html(h)) => text.push_str(&h),
            (Some(_), Event::End(TagEnd::HtmlBlock)) => {
                let text = block.take().unwrap_or_default();
                let kept = without_comments(&text);
                if !kept.trim().is_empty() {
                    out.push(Event::Start(Tag::HtmlBlock));
                    out.push(Event::Html(CowStr::from(kept.into_owned())));
                    out.push(Event::End(TagEnd::HtmlBlock));
                }
            }
            (None, Event::InlineHtml(h)) if is_comment(&h) => {}
            (Some(text), other) => {
                // Not seen from pulldown-cmark (a block holds only `Html`), but a pass may
                // have put something there: keep the block as it was.
                out.push(Event::Start(Tag::HtmlBlock));
                out.push(Event::Html(CowStr::from(std::mem::take(text))));
                block = None;
                out.push(other);
            }
            (None, other) => out.push(other),
        }
    }
    if let Some(text) = block {
        out.push(Event::Start(Tag::HtmlBlock));
        out.push(Event::Html(CowStr::from(text)));
    }
    *events = out;
}

/// Whether `html` is one whole comment and nothing else.
fn is_comment(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|inner| inner.strip_suffix("-->"))
        .is_some_and(|inner| !inner.contains("-->"))
}

/// `html` with its comments taken out; an unclosed comment runs to the end, as in a browser.
fn without_comments(html: &str) -> std::borrow::Cow<'_, str> {
    let opens_raw_text = {
        let start = html
            .trim_start()
            .get(..9)
            .unwrap_or_default()
            .to_ascii_lowercase();
        ["<script", "<style", "<textarea"]
            .iter()
            .any(|tag| start.starts_with(tag))
    };
    if opens_raw_text || !html.contains("<!--") {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find("<!--") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 4..];
        rest = match after.find("-->") {
            Some(close) => &after[close + 3..],
            None => "",
        };
        // The comment's own line goes with it, so no blank line is left where it was.
        if out.ends_with('\n') || out.is_empty() {
            rest = rest.strip_prefix('\n').unwrap_or(rest);
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Parser, html};

    fn render(md: &str) -> String {
        let mut events: Vec<Event<'_>> = Parser::new(md).collect();
        drop(&mut events);
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        out
    }

    #[test]
    fn a_block_of_comments_goes() {
        assert_eq!(
            render("Before.\n\n<!-- ![old](x.png)\n{: .center} -->\n\nAfter.\n"),
            "<p>Before.</p>\n<p>After.</p>\n"
        );
        assert_eq!(render("<!-- a -->\n<!-- b -->\n"), "");
    }

    #[test]
    fn markup_around_a_comment_stays() {
        assert_eq!(
            render("<div class=\"x\">\n<!-- note -->\n<b>kept</b>\n</div>\n"),
            "<div class=\"x\">\n<b>kept</b>\n</div>\n"
        );
    }

    #[test]
    fn an_inline_comment_goes_and_its_sentence_stays() {
        assert_eq!(render("Kept <!-- hidden --> too.\n"), "<p>Kept  too.</p>\n");
    }

    #[test]
    fn script_text_is_not_html() {
        let md = "<script>\nvar s = \"<!-- x -->\";\n</script>\n";
        assert_eq!(render(md), md);
    }

    #[test]
    fn an_unclosed_comment_hides_the_rest_as_a_browser_would() {
        // A comment block runs on to its `-->`, over blank lines: all of it goes.
        assert_eq!(render("<!-- open\n\nText.\n"), "");
    }
}
