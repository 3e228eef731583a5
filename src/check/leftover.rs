//! The `leftover-markup` lint: template markup that reached a reader as text. `{{ … }}`,
//! `{% … %}`, `{: … }` and `$$` in an essay's rendered text mean a shortcode, a Liquid tag, a
//! kramdown attribute list or a formula that nothing understood, and the page shows it as
//! written. Code, math and attributes are not text a reader sees as prose: markup there is
//! what the writer meant to show, and is left alone.
//!
//! A fragment is reported at the line of the essay's source where it is written, found by
//! searching the source for it (with the quotes and dashes that smart punctuation curled put
//! back), or for the start of it; the file alone when neither is there.

use crate::error::line_of;

use super::html::text_runs;

/// What starts a leftover, and what ends it.
const OPENERS: &[(&str, &str)] = &[("{{", "}}"), ("{%", "%}"), ("{:", "}"), ("$$", "$$")];

/// Elements whose text is shown as written on purpose, or is not prose.
const SHOWN_AS_WRITTEN: &[&str] = &["code", "pre", "kbd", "samp", "math", "svg"];

/// The longest fragment shown in a message, in characters.
const SHOWN: usize = 60;

/// Each leftover fragment in a body's HTML, in order, shortened for a message.
pub fn fragments(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for run in text_runs(html, SHOWN_AS_WRITTEN) {
        let mut at = 0;
        while let Some((start, close)) = next_opener(&run[at..]) {
            let start = at + start;
            let body = &run[start + 2..];
            let end = body
                .find(close)
                .map_or(run.len(), |i| start + 2 + i + close.len());
            found.push(shorten(&run[start..end]));
            at = end.max(start + 2);
        }
    }
    found
}

/// The first opener in `text`: its offset and the closer it wants.
fn next_opener(text: &str) -> Option<(usize, &'static str)> {
    OPENERS
        .iter()
        .filter_map(|(open, close)| text.find(open).map(|i| (i, *close)))
        .min_by_key(|(i, _)| *i)
}

/// One line, at most [`SHOWN`] characters, with `…` where it was cut.
fn shorten(fragment: &str) -> String {
    let flat: String = fragment.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

/// Finds fragments in an essay's source, in order: each search starts after the last
/// fragment found, so a fragment written twice is reported at each of its lines.
#[derive(Debug)]
pub struct Finder<'a> {
    source: &'a str,
    after: usize,
}

impl<'a> Finder<'a> {
    pub fn new(source: &'a str) -> Finder<'a> {
        Finder { source, after: 0 }
    }

    /// The line of `fragment` in the source, if it can be found.
    pub fn line(&mut self, fragment: &str) -> Option<usize> {
        let written = as_written(fragment.trim_end_matches('…'));
        // The whole fragment, else its start: the opener and the first word after it, up to
        // the first character Markdown may have changed (a quote, a dash, an escape).
        let word_start = 2 + written[2..]
            .find(|c: char| !c.is_whitespace() && !matches!(c, '<' | '%' | '.' | '#'))
            .unwrap_or(written.len() - 2);
        let word_len = written[word_start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '-' | '\\' | '*' | '_'))
            .unwrap_or(written.len() - word_start);
        let start = &written[..word_start + word_len];
        let start = if word_len == 0 {
            written.as_str()
        } else {
            start
        };
        let offset = [written.as_str(), start].into_iter().find_map(|needle| {
            let later = self.source.get(self.after..)?.find(needle);
            later
                .map(|i| self.after + i)
                .or_else(|| self.source.find(needle))
        })?;
        self.after = offset + 2;
        Some(line_of(self.source, offset))
    }
}

/// The fragment with smart punctuation undone.
fn as_written(fragment: &str) -> String {
    fragment
        .replace(['“', '”'], "\"")
        .replace(['‘', '’'], "'")
        .replace('—', "---")
        .replace('–', "--")
        .replace('…', "...")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_leftover_is_found_and_shortened() {
        let html = "<p>A {{&lt; ref “x” &gt;}} link, {{ site.foo }}, {% include a.html %}.</p>\n\
                    <p>Styled{: .wide}</p><p>$$x^2$$</p><p>{{ "
            .to_string()
            + &"y".repeat(100)
            + "</p>";
        assert_eq!(
            fragments(&html),
            [
                "{{< ref “x” >}}".to_string(),
                "{{ site.foo }}".into(),
                "{% include a.html %}".into(),
                "{: .wide}".into(),
                "$$x^2$$".into(),
                format!("{{{{ {}…", "y".repeat(57)),
            ]
        );
    }

    #[test]
    fn markup_in_code_math_and_attributes_is_meant() {
        let html = "<p title=\"{{ a }}\"><code>{{ b }}</code></p><pre><code>{% raw %}\n{: .x}\n</code></pre>\
                    <math><mi>$$</mi></math><p>{ {x} } and $5, $$ alone? no: a single {</p>";
        assert_eq!(fragments(html), ["$$ alone? no: a single {"]);
    }

    #[test]
    fn fragments_are_found_at_their_lines_in_order() {
        let source =
            "+++\ntitle = \"t\"\n+++\nA {{< ref \"x\" >}}\n\n{{< ref \"x\" >}}\nEnd {{ y -- z }}\n";
        let mut finder = Finder::new(source);
        assert_eq!(finder.line("{{< ref “x” >}}"), Some(4));
        assert_eq!(finder.line("{{< ref “x” >}}"), Some(6));
        assert_eq!(finder.line("{{ y – z }}"), Some(7));
        assert_eq!(finder.line("{{ nowhere }}"), None);
    }
}
