//! Writing hygiene: things a reader would notice but that break nothing. They are warnings,
//! unless `[check] deny` in `vellum.toml` names them (or says `"all"`), which makes them fail
//! the check like a broken link. `leftover-markup` is the exception: markup printed into a
//! page is broken, so it fails the check unless `[check] warn` names it.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use super::leftover;
use super::sources::EssaySource;
use super::{Problem, Severity};
use crate::error::Location;
use crate::essay::Essay;
use crate::frontmatter::{self, FrontMatter};
use crate::site::{Visibility, is_future};

pub use crate::config::LINTS;

/// What the lints look at.
#[derive(Debug)]
pub struct Input<'a> {
    /// Every essay that parsed, shown or not.
    pub essays: &'a [&'a Essay],
    pub sources: &'a HashMap<PathBuf, EssaySource>,
    pub visibility: &'a Visibility,
    /// `[check] deny`.
    pub deny: &'a [String],
    /// `[check] warn`.
    pub warn: &'a [String],
}

/// Lints that fail the check unless `[check] warn` names them.
const ERRORS_UNLESS_TOLD: &[&str] = &["leftover-markup"];

/// Runs every lint.
pub fn check(input: &Input) -> Vec<Problem> {
    let shown: Vec<&Essay> = input
        .essays
        .iter()
        .copied()
        .filter(|e| input.visibility.shows(e))
        .collect();
    let mut found: Vec<(&'static str, Location, String)> = Vec::new();
    for essay in &shown {
        // A call that names no template, or that fails: shown to readers as its text.
        for warning in &essay.shortcode_warnings {
            found.push(("shortcode", warning.at.clone(), warning.message.clone()));
        }
        let source = input.sources.get(&essay.source);
        let key_line = |key: &str| source.and_then(|s| s.key_line(key));
        let at = |line: Option<usize>| Location {
            path: essay.source.clone(),
            line,
        };
        for (url, line) in source.map_or(&[][..], |s| &s.images_without_alt[..]) {
            found.push((
                "alt-text",
                at(Some(*line)),
                format!("image `{url}` has no alt text; describe it for readers who cannot see it"),
            ));
        }
        if essay.description.is_none() && !has_text(&essay.body.digest().summary) {
            found.push((
                "description",
                at(None),
                "no description, and no first paragraph of text to use instead; add `description = \"…\"` to the front matter".to_string(),
            ));
        }
        if let Some(source) = source {
            for tag in empty_tags(&source.text) {
                let shown = if tag.trim().is_empty() {
                    "an empty tag".to_string()
                } else {
                    format!("the tag `{tag}`, which has no letters or digits for its address,")
                };
                found.push((
                    "empty-tag",
                    at(key_line("tags").or_else(|| key_line("categories"))),
                    format!("{shown} is left out; remove it or give it a name"),
                ));
            }
        }
    }
    for essay in &shown {
        found.extend(leftover_markup(essay, input.sources.get(&essay.source)));
    }
    found.extend(duplicate_titles(&shown, input.sources));
    for essay in input.essays {
        if !essay.draft && is_future(essay, input.visibility.now) {
            let date = essay.date.map(|d| d.ymd()).unwrap_or_default();
            let line = input
                .sources
                .get(&essay.source)
                .and_then(|s| s.key_line("date"));
            found.push((
                "future-date",
                Location {
                    path: essay.source.clone(),
                    line,
                },
                format!("dated {date}, in the future: the site leaves it out until then (--future shows it now; `draft = true` if it is not ready)"),
            ));
        }
    }
    found
        .into_iter()
        .map(|(kind, at, message)| Problem {
            at,
            severity: severity(kind, input),
            kind,
            message,
        })
        .collect()
}

/// How much a lint's finding matters, by the lint's default and `[check]`'s lists: a list
/// that names the lint wins over `"all"`, and `deny` over `warn`.
fn severity(kind: &str, input: &Input) -> Severity {
    let names = |list: &[String]| list.iter().any(|d| d == kind);
    let all = |list: &[String]| list.iter().any(|d| d == "all");
    let error = if names(input.deny) || names(input.warn) {
        names(input.deny)
    } else if all(input.deny) || all(input.warn) {
        all(input.deny)
    } else {
        ERRORS_UNLESS_TOLD.contains(&kind)
    };
    if error {
        Severity::Error
    } else {
        Severity::Warning
    }
}

/// Template markup left in an essay's rendered text, at its line in the source.
fn leftover_markup(
    essay: &Essay,
    source: Option<&EssaySource>,
) -> Vec<(&'static str, Location, String)> {
    let fragments = leftover::fragments(&essay.body.html());
    let mut finder = source.map(|s| leftover::Finder::new(&s.text));
    fragments
        .into_iter()
        .map(|fragment| {
            let line = finder.as_mut().and_then(|f| f.line(&fragment));
            (
                "leftover-markup",
                Location {
                    path: essay.source.clone(),
                    line,
                },
                format!("`{fragment}` is shown to readers as written: markup nothing rendered (an unknown shortcode, Liquid, a kramdown attribute list or unrendered math)"),
            )
        })
        .collect()
}

/// Whether HTML has any text outside its tags.
fn has_text(html: &str) -> bool {
    let mut inside = false;
    html.chars().any(|c| match c {
        '<' => {
            inside = true;
            false
        }
        '>' => {
            inside = false;
            false
        }
        c => !inside && !c.is_whitespace(),
    })
}

/// Tags as written that the site drops: blank, or without a letter or digit to make an
/// address from.
fn empty_tags(text: &str) -> Vec<String> {
    let Ok(split) = frontmatter::split(text) else {
        return Vec::new();
    };
    let Ok((fm, _)) = frontmatter::parse(&split) else {
        return Vec::new();
    };
    let FrontMatter {
        tags,
        categories,
        taxonomies,
        ..
    } = fm;
    let taxonomies = taxonomies.unwrap_or_default();
    [tags, categories, taxonomies.tags, taxonomies.categories]
        .into_iter()
        .flatten()
        .flat_map(|list| match list {
            frontmatter::StringList::Many(items) => items,
            // A space-separated string has no empty items.
            frontmatter::StringList::One(_) => Vec::new(),
        })
        .filter(|tag| !tag.chars().any(char::is_alphanumeric))
        .collect()
}

/// Each essay whose title another shown essay also has.
fn duplicate_titles(
    shown: &[&Essay],
    sources: &HashMap<PathBuf, EssaySource>,
) -> Vec<(&'static str, Location, String)> {
    // Within one language: a translation may well keep its original's title.
    let mut by_title: BTreeMap<(Option<&str>, String), Vec<&Essay>> = BTreeMap::new();
    for essay in shown {
        by_title
            .entry((essay.lang.as_deref(), essay.title.trim().to_lowercase()))
            .or_default()
            .push(essay);
    }
    let mut found = Vec::new();
    for group in by_title.values().filter(|g| g.len() > 1) {
        for essay in group {
            let others: Vec<String> = group
                .iter()
                .filter(|other| other.source != essay.source)
                .map(|other| other.source.display().to_string())
                .collect();
            let line = sources.get(&essay.source).and_then(|s| s.key_line("title"));
            found.push((
                "duplicate-title",
                Location {
                    path: essay.source.clone(),
                    line,
                },
                format!(
                    "the title `{}` is also the title of {}",
                    essay.title,
                    others.join(", ")
                ),
            ));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_outside_tags() {
        assert!(!has_text("<p><img src=\"x\" alt=\"\"></p>\n"));
        assert!(has_text("<p>A <em>b</em></p>"));
    }

    #[test]
    fn blank_and_symbol_tags_are_empty() {
        assert_eq!(
            empty_tags("+++\ntags = [\"rust\", \"\", \"!!\"]\n+++\n"),
            ["", "!!"]
        );
        assert!(empty_tags("---\ntags: rust  writing\n---\n").is_empty());
    }
}
