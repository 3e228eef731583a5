//! Internal links: every URL on every page that leads into the site must reach a file, and a
//! `#fragment` an id on that page. A URL on the site's host but outside its base path is a
//! problem of its own: it works at `/` and breaks once the site is deployed under `/blog/`.
//!
//! A problem is reported where it can be fixed ([`Attribution`]): the essay line that holds the
//! URL, or the template that renders the page. The same broken URL on many pages (a template
//! link on every page) is one problem that counts the pages.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::sources::{self, EssaySource};
use super::target::{SiteUrl, Target};
use super::{Page, Problem, Rendered, Severity};
use crate::error::{Location, line_of};
use crate::site::Site;
use crate::theme::Theme;
use crate::urls;

/// Finds the file and line a URL on a rendered page came from.
#[derive(Debug)]
pub struct Attribution<'a> {
    /// Essay page (output path) → the essay's source.
    essay_pages: HashMap<String, &'a Path>,
    /// Every essay's source, by path.
    sources: &'a HashMap<PathBuf, EssaySource>,
    /// Every URL essay bodies hold, normalised, as written and as a summary on a list page
    /// shows it (made absolute): where it was written first.
    by_url: HashMap<String, (&'a Path, usize)>,
    /// Template name → the file it was read from.
    templates: &'a BTreeMap<String, PathBuf>,
    /// The text of every template that is a file on disk (a site's own, a theme folder's),
    /// by its path relative to the root.
    template_texts: Vec<(PathBuf, String)>,
}

impl<'a> Attribution<'a> {
    pub fn new(
        site: &'a Site,
        sources: &'a HashMap<PathBuf, EssaySource>,
        theme: &'a Theme,
        root: &Path,
    ) -> Self {
        let mut essay_pages = HashMap::new();
        for essay in site.all_pages() {
            essay_pages.insert(essay.route.file.clone(), essay.source.as_path());
        }
        let mut by_url = HashMap::new();
        let mut essays: Vec<_> = site.all_pages().collect();
        essays.sort_by(|a, b| a.source.cmp(&b.source));
        for essay in essays {
            let Some(source) = sources.get(&essay.source) else {
                continue;
            };
            let page_url = &essay.shown.url;
            let mut urls: Vec<(&String, &usize)> = source.urls.iter().collect();
            urls.sort();
            for (url, line) in urls {
                let at = (essay.source.as_path(), *line);
                by_url.entry(url.clone()).or_insert(at);
                by_url
                    .entry(sources::normal(&urls::absolute(url, page_url)))
                    .or_insert(at);
            }
        }
        // A link to another essay shows its resolved URL, not what was written.
        let resolved = site.with_editions().flat_map(|s| {
            let essays = s.essays.iter().zip(&s.links.resolved);
            essays.chain(s.pages.iter().zip(&s.links.pages))
        });
        for (essay, links) in resolved {
            for (url, line) in links.urls() {
                by_url
                    .entry(sources::normal(url))
                    .or_insert((essay.source.as_path(), line));
            }
        }
        let mut template_texts: Vec<(PathBuf, String)> = theme
            .origins
            .values()
            .filter_map(|origin| {
                let text = std::fs::read_to_string(root.join(origin)).ok()?;
                Some((origin.clone(), text))
            })
            .collect();
        template_texts.sort();
        template_texts.dedup();
        Attribution {
            essay_pages,
            sources,
            by_url,
            templates: &theme.origins,
            template_texts,
        }
    }

    /// Where `url`, found on `page`, was written.
    pub(super) fn locate(&self, page: &Page, url: &str) -> Location {
        if let Some(source) = self.essay_pages.get(&page.path)
            && let Some(essay) = self.sources.get(*source)
            && let Some(line) = essay.line_of_url(url)
        {
            return Location::line(*source, line);
        }
        // A summary on a list page: the essay whose body holds the URL.
        if let Some((path, line)) = self.by_url.get(&sources::normal(url)) {
            return Location::line(*path, *line);
        }
        // Written into a template on disk, as it appears in the page.
        for quoted in [format!("\"{url}\""), format!("'{url}'")] {
            if let Some((path, line)) = self.template_texts.iter().find_map(|(path, text)| {
                text.find(&quoted)
                    .map(|offset| (path, line_of(text, offset)))
            }) {
                return Location::line(path, line);
            }
        }
        match page.template.and_then(|t| self.templates.get(t)) {
            Some(template) => Location::file(template),
            None => Location::file(&page.origin),
        }
    }
}

/// What the internal check found, and the external URLs it passed over.
#[derive(Debug, Default)]
pub struct Internal {
    pub problems: Vec<Problem>,
    /// Each external URL and where it was written, once each.
    pub external: Vec<(String, Location)>,
    /// Internal references followed.
    pub followed: usize,
}

/// One broken URL on one page, before pages are counted.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    at: Location,
    kind: &'static str,
    message: String,
}

/// Checks every reference on every page.
pub(super) fn check(rendered: &Rendered, site_url: &SiteUrl, who: &Attribution) -> Internal {
    let pages: HashMap<&str, &Page> = rendered
        .pages
        .iter()
        .map(|p| (p.path.as_str(), p))
        .collect();
    let mut found: BTreeMap<Finding, Vec<&str>> = BTreeMap::new();
    let mut external: BTreeMap<(String, Location), ()> = BTreeMap::new();
    let mut followed = 0;
    for page in &rendered.pages {
        for reference in &page.references {
            let problem = match site_url.resolve(&page.path, &reference.url) {
                Target::Unchecked => continue,
                Target::External(url) => {
                    external.insert((url, who.locate(page, &reference.url)), ());
                    continue;
                }
                Target::Outside(path) => Some((
                    "outside-base",
                    format!(
                        "`{url}` leads to {path}, outside the site's base path {base}; make it relative or start it with {base}",
                        url = reference.url,
                        base = site_url.base_path()
                    ),
                )),
                Target::Internal { path, fragment } => {
                    followed += 1;
                    internal_problem(
                        &rendered.files,
                        &pages,
                        &reference.url,
                        &path,
                        fragment,
                        reference.embedded,
                    )
                }
            };
            if let Some((kind, message)) = problem {
                let finding = Finding {
                    at: who.locate(page, &reference.url),
                    kind,
                    message,
                };
                found.entry(finding).or_default().push(&page.path);
            }
        }
    }
    let problems = found
        .into_iter()
        .map(|(finding, on)| Problem {
            at: finding.at,
            severity: Severity::Error,
            kind: finding.kind,
            message: format!("{} ({})", finding.message, pages_phrase(&on)),
        })
        .collect();
    Internal {
        problems,
        external: external.into_keys().collect(),
        followed,
    }
}

/// What is wrong with a reference into the site, if anything: (kind, message).
fn internal_problem(
    files: &std::collections::HashSet<String>,
    pages: &HashMap<&str, &Page>,
    url: &str,
    path: &str,
    fragment: Option<String>,
    embedded: bool,
) -> Option<(&'static str, String)> {
    let Some(file) = find_file(files, path) else {
        let shown = if path.is_empty() { "/" } else { path };
        return Some(if embedded {
            (
                "missing-file",
                format!("`{url}`: the site has no file {shown}"),
            )
        } else {
            (
                "broken-link",
                format!("link to `{url}`: the site has no page {shown}"),
            )
        });
    };
    let fragment = fragment?;
    let target = pages.get(file.as_str())?;
    if target.ids.contains(&fragment) || fragment == "top" {
        return None;
    }
    Some((
        "missing-anchor",
        format!("link to `{url}`: {file} has no id `{fragment}`"),
    ))
}

/// The file a site path is served from: a folder's `index.html`, and (as static hosts do)
/// `x/index.html` for `x`.
fn find_file(files: &std::collections::HashSet<String>, path: &str) -> Option<String> {
    if path.is_empty() || path.ends_with('/') {
        let index = format!("{path}index.html");
        return files.contains(&index).then_some(index);
    }
    if files.contains(path) {
        return Some(path.to_string());
    }
    let index = format!("{path}/index.html");
    files.contains(&index).then_some(index)
}

/// `on a/index.html` or `on index.html and 3 other pages`.
fn pages_phrase(pages: &[&str]) -> String {
    match pages {
        [] => String::new(),
        [one] => format!("on {one}"),
        [first, rest @ ..] => format!(
            "on {first} and {} other page{}",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_static_host_fallbacks() {
        let files: std::collections::HashSet<String> = ["index.html", "a/index.html", "x.png"]
            .map(String::from)
            .into();
        assert_eq!(find_file(&files, "").as_deref(), Some("index.html"));
        assert_eq!(find_file(&files, "a").as_deref(), Some("a/index.html"));
        assert_eq!(find_file(&files, "a/").as_deref(), Some("a/index.html"));
        assert_eq!(find_file(&files, "x.png").as_deref(), Some("x.png"));
        assert_eq!(find_file(&files, "b/"), None);
    }

    #[test]
    fn pages_are_counted() {
        assert_eq!(pages_phrase(&["a"]), "on a");
        assert_eq!(pages_phrase(&["a", "b", "c"]), "on a and 2 other pages");
    }
}
