//! The filters and functions vellum adds to Tera's own, for themes. Each is documented, with
//! an example, in `docs/themes.md`.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tera::{Kwargs, State, Tera, Value};

use crate::markdown::{self, WORDS_PER_MINUTE};
use crate::{date, slugs};

/// Registers everything on `tera`. `base_url` ends with `/`; `hashes` maps static file names
/// to their content hashes.
pub fn register(tera: &mut Tera, base_url: &str, hashes: BTreeMap<String, String>) {
    // {{ essay.date | date(format="%-d %B %Y") }}
    tera.register_filter("date", |value: &str, kwargs: Kwargs, _: &State| {
        let format = kwargs.get::<&str>("format")?.unwrap_or("%B %-d, %Y");
        format_date(value, format).map_err(tera::Error::message)
    });
    // {{ "Don’t Panic" | slugify }} → dont-panic
    tera.register_filter("slugify", |value: &str, _: Kwargs, _: &State| {
        slugs::slugify(value)
    });
    // {{ site.extra.bio | markdown }}, or markdown(inline=true) without the <p>.
    tera.register_filter("markdown", |value: &str, kwargs: Kwargs, _: &State| {
        let html = markdown::render_inline(value);
        let html = if kwargs.get::<bool>("inline")?.unwrap_or(false) {
            strip_paragraph(&html).to_string()
        } else {
            html
        };
        Ok::<_, tera::Error>(Value::safe_string(&html))
    });
    // {{ essay.content | reading_time }} → minutes, at least 1.
    tera.register_filter("reading_time", |value: &str, _: Kwargs, _: &State| {
        reading_time(value)
    });
    // {{ "tags/" | abs_url }} → https://example.com/blog/tags/
    let base = Arc::new(base_url.to_string());
    let base_for_filter = Arc::clone(&base);
    tera.register_filter("abs_url", move |value: &str, _: Kwargs, _: &State| {
        abs_url(&base_for_filter, value)
    });
    // {{ asset(path="style.css") }} → https://example.com/style.css?v=3f2a9c01
    let hashes = Arc::new(hashes);
    tera.register_function("asset", move |kwargs: Kwargs, _: &State| {
        let path: &str = kwargs.must_get("path")?;
        let path = path.trim_start_matches('/');
        match hashes.get(path) {
            Some(hash) => Ok(format!("{}?v={hash}", abs_url(&base, path))),
            None => Err(tera::Error::message(format!(
                "asset `{path}` is not a static file of the site or its theme"
            ))),
        }
    });
}

/// [`date::format`], remembered per thread: the archive formats every essay's date, and a
/// rebuild after a title change renders it again, with ten thousand dates that did not change.
fn format_date(value: &str, format: &str) -> Result<String, String> {
    use std::hash::BuildHasher;
    type Seen = HashMap<u64, (String, String, String), rustc_hash::FxBuildHasher>;
    thread_local! {
        static SEEN: RefCell<Seen> = RefCell::default();
    }
    let key = rustc_hash::FxBuildHasher.hash_one((value, format));
    SEEN.with_borrow_mut(|seen| {
        if let Some((v, f, done)) = seen.get(&key)
            && v == value
            && f == format
        {
            return Ok(done.clone());
        }
        let done = date::format(value, format)?;
        if seen.len() >= 100_000 {
            seen.clear();
        }
        seen.insert(key, (value.to_string(), format.to_string(), done.clone()));
        Ok(done)
    })
}

/// `path` under the site's address; full URLs and `//host` are returned as they are.
fn abs_url(base: &str, path: &str) -> String {
    if path.contains("://") || path.starts_with("//") {
        return path.to_string();
    }
    format!("{base}{}", path.trim_start_matches('/'))
}

/// Minutes to read `text` (HTML or plain), at least one.
fn reading_time(text: &str) -> usize {
    let mut words: usize = 0;
    let mut in_tag = false;
    let mut in_word = false;
    for c in text.chars() {
        match c {
            '<' => {
                in_tag = true;
                in_word = false;
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            c if c.is_whitespace() => in_word = false,
            _ => {
                if !in_word {
                    words += 1;
                }
                in_word = true;
            }
        }
    }
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

fn strip_paragraph(html: &str) -> &str {
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
    {
        // Only when it was one paragraph: "<p>a</p>\n<p>b</p>" keeps its structure.
        Some(inner) if !inner.contains("<p>") => inner,
        _ => html,
    }
}

/// A short, stable hash of `bytes` for cache-busting URLs: 64-bit FNV-1a, as 8 hex digits.
/// (Stable across Rust versions and platforms, unlike `DefaultHasher`.)
pub fn content_hash(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{:08x}", hash >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abs_url_joins_under_the_base() {
        assert_eq!(
            abs_url("https://a.b/blog/", "/tags/"),
            "https://a.b/blog/tags/"
        );
        assert_eq!(abs_url("/", "x.css"), "/x.css");
        assert_eq!(abs_url("https://a.b/", "https://c.d/x"), "https://c.d/x");
    }

    #[test]
    fn reading_time_ignores_tags() {
        let html = format!("<p class=\"x y z\">{}</p>", "word ".repeat(461));
        assert_eq!(reading_time(&html), 3);
        assert_eq!(reading_time(""), 1);
    }

    #[test]
    fn content_hash_is_fixed() {
        assert_eq!(content_hash(b""), "cbf29ce4");
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
    }

    #[test]
    fn one_paragraph_loses_its_p() {
        assert_eq!(strip_paragraph("<p>a <em>b</em></p>\n"), "a <em>b</em>");
        assert_eq!(
            strip_paragraph("<p>a</p>\n<p>b</p>\n"),
            "<p>a</p>\n<p>b</p>\n"
        );
    }
}
