//! Essay sources as `vellum check` needs them: each essay's file read again, with every URL
//! its body refers to and the line it is written on, so that a problem found in the rendered
//! page is reported where the writer can fix it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;
use pulldown_cmark::{Event, Parser, Tag};
use rayon::prelude::*;

use crate::error::line_of;
use crate::frontmatter::{self, Split};
use crate::source;

/// One essay's file, read for checking.
#[derive(Debug, Default)]
pub struct EssaySource {
    pub text: String,
    /// Each URL the body refers to (normalised, see [`normal`]) and its first line.
    pub urls: HashMap<String, usize>,
    /// Images whose alt text is empty: their URL as written and their line.
    pub images_without_alt: Vec<(String, usize)>,
}

impl EssaySource {
    /// Reads and scans the essay at `path` (relative to `root`). An essay that cannot be
    /// read again (deleted since) is an empty source: its problems are then reported
    /// against the file without a line.
    pub fn read(root: &Path, path: &Path) -> EssaySource {
        let text = std::fs::read(root.join(path))
            .ok()
            .and_then(|bytes| source::decode(bytes).ok())
            .unwrap_or_default();
        let mut essay = EssaySource::default();
        if let Ok(split) = frontmatter::split(&text) {
            essay.scan_body(&split);
        }
        essay.text = text;
        essay
    }

    /// The line of a URL the body refers to; the text is searched for URLs the Markdown
    /// scan did not see (plain essays, unusual raw HTML).
    pub fn line_of_url(&self, url: &str) -> Option<usize> {
        let key = normal(url);
        self.urls.get(&key).copied().or_else(|| {
            self.text
                .find(url)
                .or_else(|| self.text.find(&key))
                .map(|offset| line_of(&self.text, offset))
        })
    }

    /// The file line of a top-level front-matter key.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        frontmatter::split(&self.text).ok()?.key_line(key)
    }

    fn scan_body(&mut self, split: &Split) {
        let body = split.body;
        let line_at = |offset: usize| split.body_line + line_of(body, offset) - 1;
        let mut image: Option<(String, usize, String)> = None;
        for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
            match event {
                Event::Start(Tag::Link { dest_url, .. }) => {
                    self.add(&dest_url, line_at(range.start));
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    let line = line_at(range.start);
                    self.add(&dest_url, line);
                    image = Some((dest_url.to_string(), line, String::new()));
                }
                Event::Text(text) | Event::Code(text) => {
                    if let Some((_, _, alt)) = &mut image {
                        alt.push_str(&text);
                    }
                }
                Event::End(pulldown_cmark::TagEnd::Image) => {
                    if let Some((url, line, alt)) = image.take()
                        && alt.trim().is_empty()
                    {
                        self.images_without_alt.push((url, line));
                    }
                }
                Event::Html(html) | Event::InlineHtml(html) => {
                    let first = line_at(range.start);
                    let scan = super::html::scan(&html);
                    for reference in scan.references {
                        self.add(&reference.url, first + reference.line - 1);
                    }
                    for (url, line) in scan.images_without_alt {
                        self.images_without_alt.push((url, first + line - 1));
                    }
                }
                _ => {}
            }
        }
    }

    fn add(&mut self, url: &str, line: usize) {
        self.urls.entry(normal(url)).or_insert(line);
    }
}

/// A URL in the form both Markdown and the rendered HTML agree on: character references
/// and percent-escapes decoded, surrounding space trimmed.
pub fn normal(url: &str) -> String {
    let decoded = super::html::decode_entities(url.trim());
    percent_decode_str(&decoded)
        .decode_utf8_lossy()
        .into_owned()
}

/// Reads every essay in `paths`, in parallel.
pub fn read_all(root: &Path, paths: Vec<PathBuf>) -> HashMap<PathBuf, EssaySource> {
    paths
        .into_par_iter()
        .map(|path| {
            let source = EssaySource::read(root, &path);
            (path, source)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanned(text: &str) -> EssaySource {
        let mut essay = EssaySource::default();
        let split = frontmatter::split(text).unwrap();
        essay.scan_body(&split);
        essay.text = text.to_string();
        essay
    }

    #[test]
    fn urls_get_their_file_lines() {
        let essay = scanned(
            "+++\ntitle = \"T\"\n+++\n\nSee [x](/x/) and\n[ref][r].\n\n<a href=\"raw%20one\">\nraw</a>\n\n![](pic.png)\n\n[r]: other/#part\n",
        );
        assert_eq!(essay.line_of_url("/x/"), Some(5));
        assert_eq!(essay.line_of_url("other/#part"), Some(6));
        assert_eq!(essay.line_of_url("raw one"), Some(8));
        assert_eq!(essay.line_of_url("pic.png"), Some(11));
        assert_eq!(essay.images_without_alt, [("pic.png".to_string(), 11)]);
        assert_eq!(essay.key_line("title"), Some(2));
    }
}
