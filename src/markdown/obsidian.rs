//! Obsidian's habits in a note's text, outside code: `%%comments%%` (inline or over several
//! lines) are dropped, `==highlights==` become `<mark>`, and `#tags` in the text are read as
//! the essay's tags. [`prepare`] is the text pass both the renderer and the link scan run,
//! so they see the same text; it keeps every line where it was, so lines still count from
//! the file. Most essays hold neither `%%` nor `==`: two searches settle that.

use std::borrow::Cow;

use pulldown_cmark::{Event, Parser, Tag, TagEnd, TextMergeStream};

use super::file_links::LazyCode;

/// `text` without comments, with highlights marked and wikilinks written as CommonMark
/// (see [`super::wikilinks`]).
pub fn prepare(text: &str) -> Cow<'_, str> {
    let text = without_comments(text);
    let highlighted = owned(with_highlights(&text));
    let text = highlighted.map_or(text, Cow::Owned);
    let linked = owned(super::wikilinks::with_markers(&text));
    linked.map_or(text, Cow::Owned)
}

/// The text a pass made, if it made one.
fn owned(changed: Cow<'_, str>) -> Option<String> {
    match changed {
        Cow::Owned(text) => Some(text),
        Cow::Borrowed(_) => None,
    }
}

/// `text` less its `%%…%%` comments outside code; a comment's line breaks stay, so the
/// lines after it keep their numbers. An unclosed `%%` is left as written.
fn without_comments(text: &str) -> Cow<'_, str> {
    if memchr::memmem::find(text.as_bytes(), b"%%").is_none() {
        return Cow::Borrowed(text);
    }
    // `printf("%%")` in code is common: not a comment.
    let mut code = LazyCode::new(text);
    let mut out = String::with_capacity(text.len());
    let (mut done, mut from) = (0, 0);
    while let Some(open) = text[from..].find("%%").map(|i| from + i) {
        if in_footnote_label(text, open) || code.holds(open) {
            from = open + 2;
            continue;
        }
        let Some(close) = text[open + 2..].find("%%").map(|i| open + 2 + i) else {
            break;
        };
        out.push_str(&text[done..open]);
        out.extend(text[open..close].matches('\n'));
        done = close + 2;
        from = done;
    }
    if done == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

/// `text` with each `==highlight==` outside code, within a line, as `<mark>…</mark>`. The
/// marked text may not start or end with a space (`a == b` is not one), nor touch another `=`
/// (a setext heading's `===` line is not one).
fn with_highlights(text: &str) -> Cow<'_, str> {
    if memchr::memmem::find(text.as_bytes(), b"==").is_none() {
        return Cow::Borrowed(text);
    }
    // `x == y` in code is common: not a highlight.
    let mut code = LazyCode::new(text);
    let mut out = String::with_capacity(text.len() + 16);
    let (mut done, mut from) = (0, 0);
    while let Some(open) = text[from..].find("==").map(|i| from + i) {
        from = open + 2;
        let Some(close) = highlight_end(text, open) else {
            continue;
        };
        if in_footnote_label(text, open) {
            continue;
        }
        if code.holds(open) || code.holds(close) {
            from = close + 2;
            continue;
        }
        out.push_str(&text[done..open]);
        out.push_str("<mark>");
        out.push_str(&text[open + 2..close]);
        out.push_str("</mark>");
        done = close + 2;
        from = done;
    }
    if done == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

/// Whether `at` is inside a footnote's label (`[^a%%]`, `[^b==]`), which is a name, not text:
/// a `[^` before it on its line, not yet closed.
fn in_footnote_label(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    before
        .rfind("[^")
        .is_some_and(|label| !before[label..].contains(']'))
}

/// Where the `==` closing a highlight opened at `open` is, on the same line.
fn highlight_end(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let start = open + 2;
    let line_end = memchr::memchr(b'\n', &bytes[start..]).map_or(text.len(), |i| start + i);
    let first = *bytes.get(start)?;
    if open > 0 && bytes[open - 1] == b'=' || first == b'=' || first.is_ascii_whitespace() {
        return None;
    }
    let close = text[start..line_end].find("==")? + start;
    let last = bytes[close - 1];
    let after = bytes.get(close + 2).copied();
    (close > start && !last.is_ascii_whitespace() && after != Some(b'=')).then_some(close)
}

/// The `#tags` in the text of `body` (prepared), as written less the `#`: not in code,
/// headings or links, not `#123`, and only after a space or at the start of a line (so not
/// a URL's fragment).
pub fn inline_tags(body: &str) -> Vec<String> {
    if !may_tag(body) {
        return Vec::new();
    }
    let mut tags = Vec::new();
    let mut skip = 0usize;
    for event in TextMergeStream::new(Parser::new_ext(body, super::options())) {
        match event {
            Event::Start(Tag::Heading { .. } | Tag::Link { .. } | Tag::Image { .. }) => skip += 1,
            Event::Start(Tag::CodeBlock(_)) => skip += 1,
            Event::End(TagEnd::Heading(_) | TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                skip = skip.saturating_sub(1)
            }
            Event::Text(text) if skip == 0 => tags_in(&text, &mut tags),
            _ => {}
        }
    }
    tags
}

/// Whether `body` may hold a tag: a `#` after a space or at the start, before a letter or
/// `_`. A heading's `# ` is not one, so most essays are spared a parse.
fn may_tag(body: &str) -> bool {
    let bytes = body.as_bytes();
    memchr::memchr_iter(b'#', bytes).any(|at| {
        let after_space = at == 0 || bytes[at - 1].is_ascii_whitespace();
        let next = bytes.get(at + 1).copied().unwrap_or(b' ');
        after_space && (next.is_ascii_alphabetic() || next == b'_' || next >= 0x80)
    })
}

/// The tags of one run of text, pushed to `tags`.
fn tags_in(text: &str, tags: &mut Vec<String>) {
    for (at, _) in text.match_indices('#') {
        if at > 0 && !text[..at].ends_with(char::is_whitespace) {
            continue;
        }
        let rest = &text[at + 1..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '/')))
            .unwrap_or(rest.len());
        let tag = rest[..end].trim_end_matches('/');
        if !tag.is_empty() && !tag.chars().all(|c| c.is_ascii_digit()) {
            tags.push(tag.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_go_and_keep_their_lines() {
        let text = "a %%inline%% b\n%%\nmany\nlines\n%%\nc `%%code%%` %%open\n";
        assert_eq!(prepare(text), "a  b\n\n\n\n\nc `%%code%%` %%open\n");
        // Regression: footnote labels hold any punctuation (`[^a%%]`, `[^b==]`).
        let labels = "x[^a%%] y[^b==].\n\n[^a%%]: One.\n[^b==]: Two ==z==.\n";
        assert_eq!(
            prepare(labels),
            "x[^a%%] y[^b==].\n\n[^a%%]: One.\n[^b==]: Two <mark>z</mark>.\n"
        );
    }

    #[test]
    fn highlights_become_marks_outside_code_and_equations() {
        let text = "A ==bright== word, `==code==`, a == b == c, x==y==z.\n\nTitle\n=====\n";
        assert_eq!(
            prepare(text),
            "A <mark>bright</mark> word, `==code==`, a == b == c, x<mark>y</mark>z.\n\nTitle\n=====\n"
        );
    }

    #[test]
    fn inline_tags_outside_code_headings_links_and_fragments() {
        let body = "#writing starts, then #Publishing/vellum and #2024 and #a-b_c.\n\n\
                    # Heading #not\n\n`#code` [#link](https://x.com/#frag) https://x.com/#frag\n\n\
                    ```\n#block\n```\n";
        assert_eq!(inline_tags(body), ["writing", "Publishing/vellum", "a-b_c"]);
    }
}
