//! One kramdown inline attribute list (`{: .class #id key="value" ref}`): reading it, and
//! writing it into an HTML opening tag. [`super::attributes`] finds the lists in a body and
//! [`super::attach`] gives each to its element; this is the part both need.

use pulldown_cmark_escape::escape_html;

/// What one attribute list says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ial {
    pub id: Option<String>,
    pub classes: Vec<String>,
    /// `key="value"` pairs in the order written. Event handlers (`on…`) are never kept: an
    /// essay's attributes style it, they do not run code.
    pub attrs: Vec<(String, String)>,
    /// Bare words: references to attribute definitions, and kramdown's `toc`.
    pub refs: Vec<String>,
}

impl Ial {
    /// Reads the list `text` (with its `{:` and `}`), or `None` if it is not one: an
    /// unterminated quote, an empty name, a stray character.
    pub fn parse(text: &str) -> Option<Ial> {
        let inner = text.strip_prefix("{:")?.strip_suffix('}')?;
        let mut ial = Ial::default();
        let mut rest = inner.trim_start();
        while !rest.is_empty() {
            let (token, after) = token(rest)?;
            rest = after.trim_start();
            if let Some(class) = token.strip_prefix('.') {
                ial.classes.push(name(class)?.to_string());
            } else if let Some(id) = token.strip_prefix('#') {
                ial.id = Some(name(id)?.to_string());
            } else if let Some((key, value)) = token.split_once('=') {
                let key = name(key)?;
                let value = unquote(value)?;
                if key.eq_ignore_ascii_case("class") {
                    ial.classes
                        .extend(value.split_whitespace().map(str::to_string));
                } else if key.eq_ignore_ascii_case("id") {
                    ial.id = Some(value.to_string());
                } else if let Some(size) = size(key, value) {
                    ial.attrs.push(size);
                } else if !key.to_ascii_lowercase().starts_with("on") {
                    ial.attrs.push((key.to_string(), value.to_string()));
                }
            } else {
                ial.refs.push(name(token)?.to_string());
            }
        }
        ial.join_styles();
        Some(ial)
    }

    /// One `style` of all those written: sizes moved there (see [`size`]) join the list's own.
    fn join_styles(&mut self) {
        let mut styles = self.attrs.iter().filter(|(k, _)| k == "style");
        if styles.clone().count() < 2 {
            return;
        }
        let joined: Vec<&str> = styles
            .by_ref()
            .map(|(_, v)| v.trim().trim_end_matches(';'))
            .collect();
        let joined = joined.join("; ") + ";";
        self.attrs.retain(|(k, _)| k != "style");
        self.attrs.push(("style".to_string(), joined));
    }

    /// Adds what `other` says: classes accumulate, a later id or value wins.
    pub fn merge(&mut self, other: Ial) {
        if other.id.is_some() {
            self.id = other.id;
        }
        self.classes.extend(other.classes);
        for (key, value) in other.attrs {
            match self.attrs.iter_mut().find(|(k, _)| *k == key) {
                Some(kept) => kept.1 = value,
                None => self.attrs.push((key, value)),
            }
        }
        self.refs.extend(other.refs);
    }

    /// `html` with these attributes written into its first opening tag. A class joins the
    /// tag's own `class`; an attribute the tag already has keeps the tag's value, so the
    /// result never repeats an attribute.
    pub fn add_to(&self, html: &str) -> String {
        let Some(open) = first_tag(html) else {
            return html.to_string();
        };
        let tag = &html[open.clone()];
        let has = |key: &str| find_attr(tag, key).is_some();
        let mut added = String::new();
        if let Some(id) = self.id.as_ref().filter(|_| !has("id")) {
            push_attr(&mut added, "id", id);
        }
        for (key, value) in &self.attrs {
            if !has(key) {
                push_attr(&mut added, key, value);
            }
        }
        let mut tag = tag.to_string();
        if !self.classes.is_empty() {
            let classes = self.classes.join(" ");
            match find_attr(&tag, "class") {
                Some(at) => {
                    let mut escaped = String::new();
                    let _ = escape_html(&mut escaped, &classes);
                    escaped.push(' ');
                    tag.insert_str(at, &escaped);
                }
                None => push_attr(&mut added, "class", &classes),
            }
        }
        let name_end = tag[1..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(tag.len(), |n| n + 1);
        tag.insert_str(name_end, &added);
        format!("{}{tag}{}", &html[..open.start], &html[open.end..])
    }
}

fn push_attr(out: &mut String, key: &str, value: &str) {
    out.push(' ');
    out.push_str(key);
    out.push_str("=\"");
    let _ = escape_html(&mut *out, value);
    out.push('"');
}

/// The byte range of the first opening tag in `html` (`<p class="x">`).
fn first_tag(html: &str) -> Option<std::ops::Range<usize>> {
    let bytes = html.as_bytes();
    let start = memchr::memchr_iter(b'<', bytes)
        .find(|&at| bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic))?;
    let mut quote = None;
    for (at, &b) in bytes.iter().enumerate().skip(start) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => {
                // Before a self-closing `/`, so `<img … />` gains its attributes inside.
                let end = if at > 0 && bytes[at - 1] == b'/' {
                    at - 1
                } else {
                    at
                };
                return Some(start..end.max(start + 1));
            }
            _ => {}
        }
    }
    None
}

/// Where the value of `key="…"` starts in `tag`, just after its opening quote.
fn find_attr(tag: &str, key: &str) -> Option<usize> {
    let needle = format!(" {key}=\"");
    tag.find(&needle).map(|at| at + needle.len())
}

/// `width` or `height` as HTML allows it: a whole number of pixels stays an attribute (`300`,
/// `300px` as `300`); any other size (`50%`, `20em`), which HTML does not allow there but
/// kramdown posts often write, becomes the same size in `style`.
fn size(key: &str, value: &str) -> Option<(String, String)> {
    let key = key.to_ascii_lowercase();
    if key != "width" && key != "height" {
        return None;
    }
    let value = value.trim();
    let number = value.strip_suffix("px").unwrap_or(value);
    Some(
        if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
            (key, number.to_string())
        } else {
            ("style".to_string(), format!("{key}: {value};"))
        },
    )
}

/// The next token of a list: up to a space outside quotes.
fn token(text: &str) -> Option<(&str, &str)> {
    let mut quote = None;
    for (at, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if q == c => quote = None,
            (None, c) if c.is_whitespace() => return Some((&text[..at], &text[at..])),
            _ => {}
        }
    }
    quote.is_none().then_some((text, ""))
}

/// `text` if it can be a class, id or attribute name.
fn name(text: &str) -> Option<&str> {
    let ok = text
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '.'));
    ok.then_some(text)
}

fn unquote(value: &str) -> Option<&str> {
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote) {
            return inner.strip_suffix(quote);
        }
    }
    (!value.contains(['"', '\''])).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::Ial;

    #[test]
    fn reads_classes_ids_values_and_references() {
        let ial =
            Ial::parse(r#"{: .a #b style="width: 50%;" class="c d" title='x "y"' toc}"#).unwrap();
        assert_eq!(ial.id.as_deref(), Some("b"));
        assert_eq!(ial.classes, ["a", "c", "d"]);
        assert_eq!(
            ial.attrs,
            [
                ("style".to_string(), "width: 50%;".to_string()),
                ("title".to_string(), "x \"y\"".to_string())
            ]
        );
        assert_eq!(ial.refs, ["toc"]);
        assert_eq!(Ial::parse("{:.no_toc}").unwrap().classes, ["no_toc"]);
    }

    #[test]
    fn sizes_html_does_not_allow_become_styles() {
        let ial = Ial::parse(r#"{: width="50%" height="120px" style="margin: 0"}"#).unwrap();
        assert_eq!(
            ial.attrs,
            [
                ("height".to_string(), "120".to_string()),
                ("style".to_string(), "width: 50%; margin: 0;".to_string())
            ]
        );
    }

    #[test]
    fn drops_event_handlers_and_refuses_what_is_not_a_list() {
        let ial = Ial::parse(r#"{: onclick="x()" onLoad=y}"#).unwrap();
        assert!(ial.attrs.is_empty());
        assert_eq!(Ial::parse(r#"{: title="open}"#), None);
        assert_eq!(Ial::parse("{: <b>}"), None);
    }

    #[test]
    fn attributes_are_escaped_and_merged_into_the_first_tag() {
        let ial = Ial::parse(r#"{: .x title="a&quot;<b>" class="y"}"#).unwrap();
        assert_eq!(
            ial.add_to("<p>text</p>"),
            "<p title=\"a&amp;quot;&lt;b&gt;\" class=\"x y\">text</p>"
        );
        assert_eq!(
            ial.add_to("<pre class=\"code\" title=\"kept\"><code>x</code></pre>"),
            "<pre class=\"x y code\" title=\"kept\"><code>x</code></pre>"
        );
        assert_eq!(
            ial.add_to("<img src=\"a.png\" alt=\"\" />"),
            "<img title=\"a&amp;quot;&lt;b&gt;\" class=\"x y\" src=\"a.png\" alt=\"\" />"
        );
    }
}
