//! A fence's info string, read the way the three generators writers come from write it:
//!
//! - Zola: ```` ```rust,linenos,hl_lines=1-3 5,linenostart=10 ````
//! - Hugo: ```` ```go {linenos=true,hl_lines=[2,"4-5"],linenostart=10} ```` (`linenos` may be
//!   `table` or `inline`, both meaning on here, or `false`)
//! - Jekyll: ```` ```ruby linenos ```` (what `{% highlight ruby linenos %}` becomes)
//!
//! The first word is the language; after it, words are split at spaces and commas. A word
//! with `=` starts an option, and words that are only digits, `-`, quotes and brackets go on
//! the `hl_lines` value before them. Keys are matched without case or `_` (Hugo also takes
//! `lineNos`, `hlLines`). Anything else is ignored, and no value can make reading or using it
//! cost more than its length: ranges are kept as ranges, never expanded.

/// What a fence asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeInfo {
    /// The language as written, or empty.
    pub lang: String,
    /// Whether lines are numbered.
    pub linenos: bool,
    /// The first line's number (`linenostart`), 1 unless set.
    pub start: u64,
    /// Lines to highlight, counted from 1 at the block's first line: sorted, merged ranges,
    /// both ends included.
    pub marked: Vec<(u64, u64)>,
}

impl CodeInfo {
    /// Reads an info string. An indented block has none: pass `""`.
    pub fn parse(info: &str) -> CodeInfo {
        let info = info.trim();
        let lang_end = info.find([' ', ',', '{', '\t']).unwrap_or(info.len());
        let mut out = CodeInfo {
            lang: info[..lang_end].to_string(),
            start: 1,
            ..CodeInfo::default()
        };
        let mut in_lines = false;
        let mut ranges = Vec::new();
        for word in info[lang_end..]
            .split([' ', ',', '\t', '{', '}'])
            .filter(|w| !w.is_empty())
        {
            match word.split_once('=') {
                Some((key, value)) => {
                    in_lines = false;
                    match key.replace('_', "").to_ascii_lowercase().as_str() {
                        "linenos" => out.linenos = !matches!(unquote(value), "false" | "0" | ""),
                        "linenostart" => {
                            out.start = unquote(value).parse().unwrap_or(1);
                        }
                        "hllines" => {
                            in_lines = true;
                            add_ranges(value, &mut ranges);
                        }
                        _ => {}
                    }
                }
                None if in_lines && word.bytes().all(|b| b"0123456789-\"'[]".contains(&b)) => {
                    add_ranges(word, &mut ranges);
                }
                None => {
                    in_lines = false;
                    if word.eq_ignore_ascii_case("linenos") {
                        out.linenos = true;
                    }
                }
            }
        }
        out.marked = merged(ranges);
        out
    }

    /// Whether each line is wrapped in its own element: for numbers or highlighting.
    pub fn by_line(&self) -> bool {
        self.linenos || !self.marked.is_empty()
    }

    /// Whether line `n` (from 1) is highlighted. `n` only grows between calls in a block, so
    /// `cursor` walks the ranges once.
    pub fn is_marked(&self, n: u64, cursor: &mut usize) -> bool {
        while self.marked.get(*cursor).is_some_and(|&(_, end)| end < n) {
            *cursor += 1;
        }
        self.marked
            .get(*cursor)
            .is_some_and(|&(start, _)| start <= n)
    }

    /// What, besides the code, makes two blocks' HTML differ: the key they are remembered
    /// under ([`super::code_cache`]).
    pub fn cache_key(&self) -> String {
        if !self.by_line() {
            return self.lang.clone();
        }
        let mut key = format!("{}\0{}:{}", self.lang, u8::from(self.linenos), self.start);
        for (start, end) in &self.marked {
            key.push_str(&format!(":{start}-{end}"));
        }
        key
    }
}

fn unquote(value: &str) -> &str {
    value.trim_matches(|c| c == '"' || c == '\'')
}

/// Adds the ranges in one word of an `hl_lines` value: `3`, `1-3`, `[2`, `"4-5"]`. A range
/// that runs backwards (`5-2`) or does not read as numbers is left out.
fn add_ranges(word: &str, ranges: &mut Vec<(u64, u64)>) {
    let word = word.trim_matches(|c| matches!(c, '"' | '\'' | '[' | ']'));
    let number = |s: &str| -> Option<u64> {
        let s = s.trim_matches(|c| matches!(c, '"' | '\'' | '[' | ']'));
        // Past u64, a line number means "to the end" just as well.
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().unwrap_or(u64::MAX))
    };
    let range = match word.split_once('-') {
        Some((a, b)) => number(a).zip(number(b)),
        None => number(word).map(|n| (n, n)),
    };
    if let Some((start, end)) = range.filter(|(s, e)| s <= e && *e > 0) {
        ranges.push((start.max(1), end));
    }
}

/// Sorted, with overlapping and touching ranges joined.
fn merged(mut ranges: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    ranges.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match out.last_mut() {
            Some(last) if start <= last.1.saturating_add(1) => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked_lines(info: &CodeInfo, lines: u64) -> Vec<u64> {
        let mut cursor = 0;
        (1..=lines)
            .filter(|&n| info.is_marked(n, &mut cursor))
            .collect()
    }

    #[test]
    fn zolas_form() {
        let info = CodeInfo::parse("rust,linenos,hl_lines=1-3 5,linenostart=10");
        assert_eq!(info.lang, "rust");
        assert!(info.linenos);
        assert_eq!(info.start, 10);
        assert_eq!(marked_lines(&info, 8), [1, 2, 3, 5]);
    }

    #[test]
    fn hugos_form() {
        let info = CodeInfo::parse("go {linenos=true,hl_lines=[2,\"4-5\"],linenostart=10}");
        assert_eq!(info.lang, "go");
        assert!(info.linenos);
        assert_eq!(info.start, 10);
        assert_eq!(marked_lines(&info, 8), [2, 4, 5]);
        for (on, value) in [(true, "table"), (true, "inline"), (false, "false")] {
            let info = CodeInfo::parse(&format!("go {{linenos={value}, hl_lines=[8]}}"));
            assert_eq!(info.linenos, on, "{value}");
            assert_eq!(marked_lines(&info, 9), [8]);
        }
        let camel = CodeInfo::parse("go {lineNos=inline, hlLines=\"2 3\", lineNoStart=4}");
        assert!(camel.linenos);
        assert_eq!((camel.start, marked_lines(&camel, 4)), (4, vec![2, 3]));
    }

    #[test]
    fn jekylls_form() {
        let info = CodeInfo::parse("ruby linenos");
        assert_eq!(info.lang, "ruby");
        assert!(info.linenos);
        assert_eq!(info.start, 1);
        assert!(info.marked.is_empty());
        let plain = CodeInfo::parse("ruby");
        assert!(!plain.by_line());
        assert_eq!(plain.cache_key(), "ruby");
    }

    #[test]
    fn hostile_values_are_cheap_and_harmless() {
        let huge = CodeInfo::parse("rust,hl_lines=1-99999999999 3-99999999999999999999999");
        assert_eq!(huge.marked, [(1, u64::MAX)]);
        assert_eq!(marked_lines(&huge, 3), [1, 2, 3]);
        assert!(CodeInfo::parse("rust,hl_lines=5-2").marked.is_empty());
        assert!(
            CodeInfo::parse("rust,hl_lines=0 - -3 x-y =")
                .marked
                .is_empty()
        );
        let start = CodeInfo::parse("rust,linenos,linenostart=99999999999999999999999");
        assert_eq!(start.start, 1);
        // Many ranges: merged into one, and the key stays short.
        let many = format!("rust,hl_lines={}", "1-5 ".repeat(10_000));
        let many = CodeInfo::parse(&many);
        assert_eq!(many.marked, [(1, 5)]);
        assert!(many.cache_key().len() < 32);
    }

    #[test]
    fn options_are_in_the_cache_key() {
        let a = CodeInfo::parse("rust,hl_lines=1");
        let b = CodeInfo::parse("rust,hl_lines=2");
        let c = CodeInfo::parse("rust,linenos,hl_lines=2");
        let d = CodeInfo::parse("rust,linenos,hl_lines=2,linenostart=3");
        let keys = [a.cache_key(), b.cache_key(), c.cache_key(), d.cache_key()];
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].contains(k), "{keys:?}");
        }
    }
}
