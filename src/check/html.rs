//! Reading rendered HTML for `vellum check`: the ids a page offers as anchors and the URLs it
//! refers to, each with its line in the page.
//!
//! This is a tokenizer, not a full HTML parser: it walks tags and their attributes, skips
//! comments and the contents of `<script>`, `<style>` and `<textarea>`, and decodes character
//! references in attribute values. That is all a link checker needs, and it keeps a tree
//! builder (html5ever and its twenty crates) out of the binary.

/// The attributes that hold a URL the page depends on.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "poster", "data"];

/// Elements whose contents are not markup.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title"];

/// A URL a page refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The element's name, lowercase: `a`, `img`, `link`, ….
    pub element: String,
    /// The URL, character references decoded.
    pub url: String,
    /// 1-based line in the page.
    pub line: usize,
    /// A file the page loads to display (an image, a stylesheet), rather than a link a reader
    /// may follow (`<a>`, `<link rel="canonical">`).
    pub embedded: bool,
}

/// What a page offers and refers to.
#[derive(Debug, Default, Clone)]
pub struct Scan {
    /// Every `id` (and `<a name>`), in order.
    pub ids: Vec<String>,
    pub references: Vec<Reference>,
    /// `<img>` elements with no `alt` attribute at all, by line.
    pub images_without_alt: Vec<(String, usize)>,
}

/// Scans a page.
pub fn scan(html: &str) -> Scan {
    let mut out = Scan::default();
    let mut rest = html;
    let mut line = 1;
    while let Some(open) = rest.find('<') {
        line += count_lines(&rest[..open]);
        rest = &rest[open..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").map_or(after.len(), |i| i + 3);
            line += count_lines(&after[..end]);
            rest = &after[end..];
            continue;
        }
        let Some(tag) = Tag::read(rest) else {
            // A `<` that opens no tag is text.
            rest = &rest[1..];
            continue;
        };
        record(&tag, line, &mut out);
        line += count_lines(&rest[..tag.len]);
        rest = &rest[tag.len..];
        if !tag.closing && RAW_TEXT.contains(&tag.name.as_str()) {
            let close = format!("</{}", tag.name);
            let end = find_ignore_case(rest, &close).unwrap_or(rest.len());
            line += count_lines(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

/// The text a reader sees, run by run between tags, with character references decoded: no
/// tags or attributes, no comments, nothing inside `<script>`, `<style>` and the like, and
/// nothing inside the elements named in `skip` (which may nest).
pub fn text_runs(html: &str, skip: &[&str]) -> Vec<String> {
    let mut runs = Vec::new();
    let mut rest = html;
    let mut skipping = 0usize;
    let mut text = String::new();
    let flush = |text: &mut String, runs: &mut Vec<String>| {
        if !text.trim().is_empty() {
            runs.push(decode_entities(text));
        }
        text.clear();
    };
    while let Some(open) = rest.find('<') {
        if skipping == 0 {
            text.push_str(&rest[..open]);
        }
        rest = &rest[open..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        let Some(tag) = Tag::read(rest) else {
            if skipping == 0 {
                text.push('<');
            }
            rest = &rest[1..];
            continue;
        };
        flush(&mut text, &mut runs);
        rest = &rest[tag.len..];
        if skip.contains(&tag.name.as_str()) {
            if tag.closing {
                skipping = skipping.saturating_sub(1);
            } else {
                skipping += 1;
            }
        } else if !tag.closing && RAW_TEXT.contains(&tag.name.as_str()) {
            let close = format!("</{}", tag.name);
            rest = &rest[find_ignore_case(rest, &close).unwrap_or(rest.len())..];
        }
    }
    if skipping == 0 {
        text.push_str(rest);
    }
    flush(&mut text, &mut runs);
    runs
}

fn record(tag: &Tag, line: usize, out: &mut Scan) {
    if tag.closing {
        return;
    }
    for (name, value) in &tag.attributes {
        let is_anchor = name == "id" || (name == "name" && tag.name == "a");
        if is_anchor && !value.is_empty() {
            out.ids.push(value.clone());
        }
        if URL_ATTRIBUTES.contains(&name.as_str()) {
            out.references.push(Reference {
                element: tag.name.clone(),
                url: value.trim().to_string(),
                line,
                embedded: is_embedding(tag),
            });
        }
        if name == "srcset" {
            for candidate in value.split(',') {
                if let Some(url) = candidate.split_whitespace().next() {
                    out.references.push(Reference {
                        element: tag.name.clone(),
                        url: url.to_string(),
                        line,
                        embedded: true,
                    });
                }
            }
        }
    }
    if tag.name == "img" && tag.attribute("alt").is_none() {
        let src = tag.attribute("src").unwrap_or_default().to_string();
        out.images_without_alt.push((src, line));
    }
}

/// Whether the tag's URL is a file the page loads rather than a link to follow.
fn is_embedding(tag: &Tag) -> bool {
    match tag.name.as_str() {
        "a" | "area" => false,
        "link" => !tag
            .attribute("rel")
            .is_some_and(|rel| rel.split_whitespace().any(is_navigation_rel)),
        _ => true,
    }
}

/// `rel` values whose `href` is a page rather than a file the page loads.
fn is_navigation_rel(rel: &str) -> bool {
    matches!(
        rel.to_ascii_lowercase().as_str(),
        "canonical" | "alternate" | "prev" | "next" | "author" | "help" | "license" | "search"
    )
}

/// One start or end tag.
#[derive(Debug)]
struct Tag {
    name: String,
    closing: bool,
    attributes: Vec<(String, String)>,
    /// Its length in the text, `<` to `>`.
    len: usize,
}

impl Tag {
    /// Reads the tag at the start of `text` (which starts with `<`); `None` if no tag starts
    /// there (`a < b` in text, `<!doctype>` and the like are skipped as if they were one).
    fn read(text: &str) -> Option<Tag> {
        let bytes = text.as_bytes();
        let mut i = 1;
        let closing = bytes.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let first = *bytes.get(i)?;
        if first == b'!' || first == b'?' {
            let end = text.find('>').map_or(text.len(), |e| e + 1);
            return Some(Tag {
                name: String::new(),
                closing: true,
                attributes: Vec::new(),
                len: end,
            });
        }
        if !first.is_ascii_alphabetic() {
            return None;
        }
        let name_end = i + text[i..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .unwrap_or(text.len() - i);
        let name = text[i..name_end].to_ascii_lowercase();
        let mut attributes = Vec::new();
        let mut pos = name_end;
        loop {
            pos += skip_space_and_slashes(&text[pos..]);
            match bytes.get(pos) {
                None => break,
                Some(b'>') => {
                    pos += 1;
                    break;
                }
                Some(_) => {}
            }
            let (attribute, used) = read_attribute(&text[pos..]);
            pos += used.max(1);
            attributes.extend(attribute);
        }
        Some(Tag {
            name,
            closing,
            attributes,
            len: pos.min(text.len()),
        })
    }

    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn skip_space_and_slashes(text: &str) -> usize {
    text.find(|c: char| !c.is_ascii_whitespace() && c != '/')
        .unwrap_or(text.len())
}

/// One `name`, `name=value`, `name="value"` or `name='value'`: the pair and the bytes used.
fn read_attribute(text: &str) -> (Option<(String, String)>, usize) {
    let name_end = text
        .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
        .unwrap_or(text.len());
    let name = text[..name_end].to_ascii_lowercase();
    let after_name = &text[name_end..];
    let spaces = after_name
        .find(|c: char| !c.is_ascii_whitespace())
        .unwrap_or(after_name.len());
    let Some(value_text) = after_name[spaces..].strip_prefix('=') else {
        return (Some((name, String::new())), name_end);
    };
    let start = name_end + spaces + 1;
    let lead = value_text
        .find(|c: char| !c.is_ascii_whitespace())
        .unwrap_or(value_text.len());
    let value_text = &value_text[lead..];
    let (raw, used) = match value_text.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let inner = &value_text[1..];
            let end = inner.find(quote).unwrap_or(inner.len());
            (&inner[..end], (end + 2).min(value_text.len()))
        }
        _ => {
            let end = value_text
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(value_text.len());
            (&value_text[..end], end)
        }
    };
    (Some((name, decode_entities(raw))), start + lead + used)
}

/// Decodes the character references that appear in URLs: numeric ones and the few named
/// ones HTML writers use in attributes. An unknown name is left as written.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let c = entity(&rest[1..semi])?;
            Some((c, semi + 1))
        });
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        "lt" => '<',
        "gt" => '>',
        "nbsp" => '\u{a0}',
        _ => return None,
    })
}

fn count_lines(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count()
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_ids_and_lines() {
        let html = "<!doctype html>\n<p id=\"top\">\n<a href=\"/x/?a=1&amp;b=2#s\">x</a>\n<img src='p.png' alt=\"\"><IMG SRC=q.png>\n";
        let scan = scan(html);
        assert_eq!(scan.ids, ["top"]);
        let refs: Vec<(&str, &str, usize)> = scan
            .references
            .iter()
            .map(|r| (r.element.as_str(), r.url.as_str(), r.line))
            .collect();
        assert_eq!(
            refs,
            [
                ("a", "/x/?a=1&b=2#s", 3),
                ("img", "p.png", 4),
                ("img", "q.png", 4)
            ]
        );
        assert_eq!(scan.images_without_alt, [("q.png".to_string(), 4)]);
    }

    #[test]
    fn comments_scripts_and_text_are_not_tags() {
        let html = "<!-- <a href=\"c\"> -->\n<script>if (a<b) x = '<a href=\"s\">';</script>\n<p>1 < 2 and <code>&lt;a href=\"t\"&gt;</code></p><a href=\"real\">";
        let urls: Vec<String> = scan(html).references.into_iter().map(|r| r.url).collect();
        assert_eq!(urls, ["real"]);
    }

    #[test]
    fn canonical_links_are_navigation_stylesheets_are_embedded() {
        let scan = scan("<link rel=\"canonical\" href=\"/a/\"><link rel=stylesheet href=s.css>");
        assert!(!scan.references[0].embedded);
        assert!(scan.references[1].embedded);
    }

    #[test]
    fn srcset_candidates() {
        let scan = scan("<img alt=x srcset=\"a.png 1x, b.png 2x\">");
        let urls: Vec<&str> = scan.references.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(urls, ["a.png", "b.png"]);
    }

    #[test]
    fn text_runs_leave_out_tags_comments_and_skipped_elements() {
        let html = "<p title=\"{{ a }}\">One &amp; <em>two</em><!-- {{ c }} --></p>\
                    <pre><code>{{ d }}<b>x</b></code></pre><p>a < b</p><script>{{ e }}</script>";
        assert_eq!(
            text_runs(html, &["pre", "code"]),
            ["One & ", "two", "a < b"]
        );
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a&amp;b&#x41;&#66;&bogus;&"),
            "a&bAB&bogus;&"
        );
    }
}
