//! Absolute URLs for HTML shown away from its page. A feed reader shows an essay away from its
//! page, and a list page shows its summary, so a relative `src="margin.svg"` or `href="/other/"`
//! must be made absolute against the page it came from.

/// Rewrites the `href` and `src` attributes in `html` (as pulldown-cmark and the default
/// templates write them: double-quoted) to absolute URLs, resolving against `page_url`.
/// Only tags are touched: text that merely mentions `href="…"` (escaped, in code) is the
/// writer's, and comments are left whole. With a path for `page_url` (a site whose
/// `base_url` is only a path), relative URLs become paths from the root.
pub fn absolutize(html: &str, page_url: &str) -> String {
    let Some(origin) = origin(page_url) else {
        return html.to_string();
    };
    if !html.contains(" href=\"") && !html.contains(" src=\"") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let end = if rest.starts_with("<!--") {
            rest.find("-->").map_or(rest.len(), |i| i + 3)
        } else {
            rest.find('>').map_or(rest.len(), |i| i + 1)
        };
        let (tag, after) = rest.split_at(end);
        if tag.starts_with("<!") {
            out.push_str(tag);
        } else {
            rewrite_tag(&mut out, tag, page_url, origin);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Copies one tag into `out` with its `href` and `src` values made absolute.
fn rewrite_tag(out: &mut String, tag: &str, page_url: &str, origin: &str) {
    let mut rest = tag;
    while let Some((before, attr, after)) = next_attribute(rest) {
        out.push_str(before);
        out.push_str(attr);
        let end = after.find('"').unwrap_or(after.len());
        let value = &after[..end];
        resolve(out, value, page_url, origin);
        rest = &after[end..];
    }
    out.push_str(rest);
}

/// Pushes `value` made absolute against `page_url`, whose scheme and host are `origin`.
fn resolve(out: &mut String, value: &str, page_url: &str, origin: &str) {
    if is_absolute(value) {
        out.push_str(value);
    } else if let Some(fragment) = value.strip_prefix('#') {
        out.push_str(page_url);
        out.push('#');
        out.push_str(fragment);
    } else if value.starts_with('/') {
        out.push_str(origin);
        out.push_str(value);
    } else {
        out.push_str(page_url);
        out.push_str(value);
    }
}

/// One URL as [`absolutize`] would write it.
pub fn absolute(url: &str, page_url: &str) -> String {
    let mut out = String::with_capacity(page_url.len() + url.len());
    match origin(page_url) {
        Some(origin) => resolve(&mut out, url, page_url, origin),
        None => out.push_str(url),
    }
    out
}

/// The next ` href="` or ` src="`: (text before, the attribute with its quote, text after).
fn next_attribute(html: &str) -> Option<(&str, &str, &str)> {
    let href = html.find(" href=\"").map(|i| (i, 7));
    let src = html.find(" src=\"").map(|i| (i, 6));
    let (at, len) = match (href, src) {
        (Some(h), Some(s)) => h.min(s),
        (h, s) => h.or(s)?,
    };
    Some((&html[..at], &html[at..at + len], &html[at + len..]))
}

fn is_absolute(url: &str) -> bool {
    url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        })
}

/// `https://example.com` from `https://example.com/blog/x/`; empty for a path.
fn origin(url: &str) -> Option<&str> {
    if url.starts_with('/') {
        return Some("");
    }
    let scheme_end = url.find("://")? + 3;
    let host_end = url[scheme_end..]
        .find('/')
        .map_or(url.len(), |i| scheme_end + i);
    Some(&url[..host_end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_root_relative_and_fragments() {
        let html = r##"<a href="/x/">x</a><img src="pic.png" alt=""><a href="#fn1">1</a><a href="https://o.rg/">o</a><a href="mailto:a@b">m</a>"##;
        assert_eq!(
            absolutize(html, "https://ex.com/blog/essay/"),
            r##"<a href="https://ex.com/x/">x</a><img src="https://ex.com/blog/essay/pic.png" alt=""><a href="https://ex.com/blog/essay/#fn1">1</a><a href="https://o.rg/">o</a><a href="mailto:a@b">m</a>"##
        );
    }

    #[test]
    fn text_and_comments_are_not_tags() {
        let html = "<p>Write <code>&lt;a href=\"/x/\"&gt;</code></p><!-- <a href=\"/y/\"> --><a href=\"/z/\">";
        assert_eq!(
            absolutize(html, "https://ex.com/e/"),
            "<p>Write <code>&lt;a href=\"/x/\"&gt;</code></p><!-- <a href=\"/y/\"> --><a href=\"https://ex.com/z/\">"
        );
    }

    #[test]
    fn a_path_only_site_gets_paths_from_the_root() {
        assert_eq!(
            absolutize("<a href=\"x\"><img src=\"/y.png\">", "/essay/"),
            "<a href=\"/essay/x\"><img src=\"/y.png\">"
        );
        assert_eq!(absolutize("<a href=\"x\">", "essay/"), "<a href=\"x\">");
    }
}
