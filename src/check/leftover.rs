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
        // Each step moves past an opener and its closer (or to the end when it has none), so
        // the run is read once however many openers it holds.
        let mut at = 0;
        while let Some(start) = run[at..].find(['{', '$']).map(|i| at + i) {
            let Some((open, close)) = OPENERS
                .iter()
                .find(|(open, _)| run[start..].starts_with(open))
            else {
                at = start + 1;
                continue;
            };
            let after = start + open.len();
            let end = run[after..]
                .find(close)
                .map_or(run.len(), |i| after + i + close.len());
            found.push(shorten(&run[start..end]));
            at = end;
        }
    }
    found
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
    /// Bytes left to search: a few times the source's length, so that an essay of thousands
    /// of fragments that cannot be found costs no more than reading it a few times.
    budget: usize,
}

impl<'a> Finder<'a> {
    pub fn new(source: &'a str) -> Finder<'a> {
        Finder {
            source,
            after: 0,
            budget: source.len().saturating_mul(8),
        }
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
        let mut search = |from: usize, needle: &str| -> Option<usize> {
            let haystack = self.source.get(from..)?;
            // What a search may cost is paid before it: past the budget, nothing is searched.
            if haystack.len() > self.budget {
                self.budget = 0;
                return None;
            }
            let found = haystack.find(needle);
            self.budget -= found.map_or(haystack.len(), |i| i + needle.len());
            found.map(|i| from + i)
        };
        let after = self.after;
        let offset = [written.as_str(), start]
            .into_iter()
            .find_map(|needle| search(after, needle).or_else(|| search(0, needle)))?;
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
    fn many_openers_cost_one_reading() {
        let text = "{ $ {{ x }} ".repeat(50_000);
        let started = std::time::Instant::now();
        let found = fragments(&format!("<p>{text}</p>"));
        assert_eq!(found.len(), 50_000);
        let unclosed = fragments(&format!("<p>{}</p>", "{{ $$ {: {% ".repeat(50_000)));
        assert_eq!(unclosed.len(), 1);
        let source = "x".repeat(1_000_000);
        let mut finder = Finder::new(&source);
        for _ in 0..10_000 {
            assert_eq!(finder.line("{{ nowhere }}"), None);
        }
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
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
