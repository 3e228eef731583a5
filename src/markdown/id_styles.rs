//! Heading id styles: how heading text becomes an id, as each generator vellum can stand in
//! for does it. An essay moved over from Zola, Hugo or Jekyll keeps the ids its old
//! generator gave, so that links into its sections from elsewhere still land. In comes the
//! heading's text (after smart punctuation, as it is shown); out comes the id before it is
//! made unique (`headings`). The styles themselves are named in `config`, which reads them.

pub use crate::config::IdStyle;
use crate::slugs::slugify;

impl IdStyle {
    /// The id `text` gets, before it is made unique. Never empty: an empty id is not valid
    /// HTML, and no link could have led to one.
    pub fn slug(self, text: &str) -> String {
        let slug = match self {
            IdStyle::Vellum => return slugify(text),
            IdStyle::Github => github(text),
            IdStyle::Zola => slug::slugify(text),
            IdStyle::Kramdown => return kramdown(text),
            IdStyle::Hugo => hugo(text),
        };
        if slug.is_empty() {
            "heading".to_string()
        } else {
            slug
        }
    }
}

/// github-slugger: lowercase, then remove what is not a letter, mark, digit, connector (`_`),
/// space or `-`, then turn each space into `-`. Rust has no table of general categories, so
/// numbers other than digits (`²`, `½`, `①`) and marks that are not letters are told by
/// their blocks, which hold nearly all of them.
fn github(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' | '-' => Some('-'),
            c if c.is_alphabetic() || is_connector(c) || is_combining_mark(c) => Some(c),
            c if c.is_numeric() && !is_other_number(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// Hugo's `sanitizeAnchorName`: each letter lowercased, letters, digits and `_` kept, a space
/// or `-` becomes `-`, anything else is dropped.
fn hugo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ' ' | '-' => out.push('-'),
            c if c == '_' || c.is_alphabetic() || (c.is_numeric() && !is_other_number(c)) => {
                // Go's `unicode.ToLower` maps one rune to one rune.
                out.push(c.to_lowercase().next().unwrap_or(c));
            }
            _ => {}
        }
    }
    out
}

/// kramdown's `basic_generate_id` and `generate_id`: everything before the first ASCII
/// letter is dropped, then everything but ASCII letters, digits, spaces and `-`, then each
/// space becomes `-`, lowercased; `section` when nothing is left.
fn kramdown(text: &str) -> String {
    let start = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let id: String = text[start..]
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-'))
        .map(|c| {
            if c == ' ' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

/// Connector punctuation (general category Pc), which github-slugger keeps.
fn is_connector(c: char) -> bool {
    matches!(
        c,
        '_' | '\u{203F}' | '\u{2040}' | '\u{2054}' | '\u{FE33}' | '\u{FE34}' | '\u{FE4D}'
            ..='\u{FE4F}' | '\u{FF3F}'
    )
}

/// The blocks of combining marks (general category M) that are not letters already.
fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{0483}'..='\u{0489}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Numbers that are not digits or letters (general category No): superscripts, subscripts,
/// fractions and circled numbers, which GitHub and Hugo drop.
fn is_other_number(c: char) -> bool {
    !c.is_alphabetic()
        && matches!(
            c,
            '\u{00B2}' | '\u{00B3}' | '\u{00B9}' | '\u{00BC}'..='\u{00BE}'
                | '\u{2070}'..='\u{209F}'
                | '\u{2150}'..='\u{215F}'
                | '\u{2189}'
                | '\u{2460}'..='\u{24FF}'
                | '\u{2776}'..='\u{2793}'
                | '\u{3192}'..='\u{3195}'
                | '\u{3220}'..='\u{3229}'
                | '\u{3248}'..='\u{325F}'
                | '\u{3280}'..='\u{3289}'
                | '\u{32B1}'..='\u{32BF}'
        )
}

#[cfg(test)]
mod tests {
    use super::IdStyle;
    use crate::markdown::{render_markdown, render_markdown_with, render_plain_with};

    const STYLES: [IdStyle; 5] = [
        IdStyle::Vellum,
        IdStyle::Github,
        IdStyle::Zola,
        IdStyle::Kramdown,
        IdStyle::Hugo,
    ];

    /// Headings that tell the styles apart, and the id each generator gives them, in the
    /// order of [`STYLES`]; in one essay, so the repeated heading is numbered.
    #[rustfmt::skip] // a table, read by rows
    const TRICKY: &[(&str, [&str; 5])] = &[
        ("What's next?", ["whats-next", "whats-next", "what-s-next", "whats-next", "whats-next"]),
        ("\"Quoted\" words", ["quoted-words"; 5]),
        ("Über uns", ["uber-uns", "über-uns", "uber-uns", "ber-uns", "über-uns"]),
        ("2. Second part", ["2-second-part", "2-second-part", "2-second-part", "second-part", "2-second-part"]),
        ("`code` and *emphasis*", ["code-and-emphasis"; 5]),
        ("Notes", ["notes"; 5]),
        ("Notes", ["notes-1"; 5]),
        ("A -- B", ["a-b", "a--b", "a-b", "a--b", "a--b"]),
        ("C++ & Rust", ["c-rust", "c--rust", "c-rust", "c--rust", "c--rust"]),
        ("???", ["untitled", "heading", "heading", "section", "heading"]),
        ("x²", ["x2", "x", "x2", "x", "x"]),
        ("Kept {#mine}", ["mine"; 5]),
    ];

    // The struct update stays for the fields `Env` will gain.
    #[allow(clippy::needless_update)]
    fn ids(heading_ids: IdStyle) -> crate::markdown::Env {
        crate::markdown::Env {
            heading_ids,
            ..Default::default()
        }
    }

    #[test]
    fn each_style_makes_ids_as_its_generator_does() {
        let markdown: String = TRICKY.iter().map(|(h, _)| format!("## {h}\n\n")).collect();
        for (n, style) in STYLES.into_iter().enumerate() {
            let r = render_markdown_with(&markdown, &ids(style));
            let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
            let expected: Vec<&str> = TRICKY.iter().map(|(_, ids)| ids[n]).collect();
            assert_eq!(ids, expected, "{style:?}");
            // The ids in the HTML are the ones in the table of contents.
            for id in ids {
                assert!(r.html.contains(&format!("id=\"{id}\"")), "{style:?}: {id}");
            }
        }
        // The default is vellum's own, as before the setting.
        assert_eq!(
            render_markdown(&markdown).toc,
            render_markdown_with(&markdown, &ids(IdStyle::Vellum)).toc
        );
    }

    #[test]
    fn plain_essays_follow_the_style_too() {
        let r = render_plain_with(
            "Title\nA line.\nÜber uns\nAnother line.\n",
            &ids(IdStyle::Github),
        );
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["title", "über-uns"], "{}", r.html);
    }

    #[test]
    fn style_specifics() {
        // github-slugger keeps letters of any script, combining marks and `_`, and drops
        // symbols, emoji and numbers that are not digits; every space is one `-`.
        assert_eq!(
            IdStyle::Github.slug("Ünïcode_snake  case 🚀 ½"),
            "ünïcode_snake--case--"
        );
        assert_eq!(
            IdStyle::Github.slug("e\u{301}te\u{301}"),
            "e\u{301}te\u{301}"
        );
        assert_eq!(IdStyle::Github.slug("日本語 テキスト"), "日本語-テキスト");
        // Hugo lowercases rune by rune and keeps `_`.
        assert_eq!(IdStyle::Hugo.slug("ÄÖÜ_x-y"), "äöü_x-y");
        // kramdown: nothing before the first ASCII letter, nothing outside ASCII.
        assert_eq!(
            IdStyle::Kramdown.slug("1984 and “Brave New World”"),
            "and-brave-new-world"
        );
        assert_eq!(IdStyle::Kramdown.slug("日本語"), "section");
        // The example in docs/migrating.md.
        let documented = ["2-c-rust", "2-c--rust", "2-c-rust", "c--rust", "2-c--rust"];
        for (style, id) in STYLES.into_iter().zip(documented) {
            assert_eq!(style.slug("2. C++ & Rust"), id, "{style:?}");
        }
        // Zola transliterates.
        assert_eq!(IdStyle::Zola.slug("Ça va — très bien"), "ca-va-tres-bien");
    }
}
