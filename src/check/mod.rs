//! `vellum check`: builds the site in memory, as `vellum build` would but writing nothing, and
//! looks for what would break once it is published: internal links and `#anchors` that lead
//! nowhere, images and files that are not there, links that leave a subpath deploy, a feed or
//! sitemap that readers and crawlers would reject, and lapses of writing hygiene (lints).
//! With `--external`, links to other sites are followed too.
//!
//! Every problem names the file and line a writer should open: the essay's source for what
//! its Markdown says, the template for what the theme adds. Problems come back sorted by
//! file and line, so the report is the same from run to run; [`report`] formats it.

mod external;
mod feed;
mod html;
mod leftover;
mod links;
mod lint;
pub mod report;
mod sources;
mod target;

use std::collections::HashSet;
use std::fmt;
use std::path::PathBuf;

use crate::error::{Location, Result};
use crate::output::{Contents, OutputFile};
use crate::session::Session;
use crate::{BuildOptions, Warning};

pub use external::{ExternalOptions, default_deadline};
pub use lint::LINTS;

/// What `vellum check` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Which site, and which essays it shows (drafts, future) at which base URL.
    pub build: BuildOptions,
    /// Follow links to other sites too.
    pub external: Option<ExternalOptions>,
}

/// How much a problem matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Fails the check.
    Error,
    /// Reported; fails the check only when `[check] deny` names its kind.
    Warning,
    /// An external link that could not be confirmed either way (rate limited, server error,
    /// no answer): reported, never a failure.
    Unknown,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Unknown => "unknown",
        }
    }
}

/// One thing `vellum check` found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Where to fix it.
    pub at: Location,
    pub severity: Severity,
    /// A short name for what is wrong: `broken-link`, `missing-anchor`, `alt-text`, ….
    pub kind: &'static str,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}[{}]: {}",
            self.at,
            self.severity.as_str(),
            self.kind,
            self.message
        )
    }
}

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Sorted by file, line, severity and kind.
    pub problems: Vec<Problem>,
    /// The build's own warnings (an essay without a date, …).
    pub build_warnings: Vec<Warning>,
    /// Pages (HTML files) looked at.
    pub pages: usize,
    /// Links and references followed, internal and (with `--external`) external.
    pub links: usize,
}

impl CheckReport {
    /// Whether anything fails the check.
    pub fn failed(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == severity)
            .count()
    }
}

/// A rendered HTML page, reduced to what the checks need.
#[derive(Debug)]
struct Page {
    /// Relative to the output folder.
    path: String,
    /// The template it was rendered with.
    template: Option<&'static str>,
    /// What produced it (an essay's path, …), for problems nothing more precise explains.
    origin: String,
    ids: HashSet<String>,
    references: Vec<html::Reference>,
}

/// The site as rendered: every file's path, every page scanned, the feeds and sitemap kept.
#[derive(Debug, Default)]
struct Rendered {
    files: HashSet<String>,
    pages: Vec<Page>,
    /// The site's feed and those of sections and tags, by path.
    feeds: Vec<(String, String)>,
    sitemap: Option<String>,
}

impl Rendered {
    /// Takes in one batch of rendered files, keeping only what the checks need.
    fn take(&mut self, files: Vec<OutputFile>) {
        for file in files {
            let text = match &file.contents {
                Contents::Bytes(bytes) => String::from_utf8_lossy(bytes).into_owned(),
                // Copied files matter by their presence (and a stylesheet by its urls, but
                // the theme's own are rendered to bytes).
                Contents::Copy(_) => String::new(),
            };
            if file.path.ends_with(".html") || file.path.ends_with(".htm") {
                let scan = html::scan(&text);
                self.pages.push(Page {
                    path: file.path.clone(),
                    template: file.template,
                    origin: file.origin.clone(),
                    ids: scan.ids.into_iter().collect(),
                    references: scan.references,
                });
            } else if file.path.ends_with("atom.xml") {
                self.feeds.push((file.path.clone(), text));
            } else if file.path == "sitemap.xml" {
                self.sitemap = Some(text);
            }
            self.files.insert(file.path);
        }
    }
}

/// Runs every check. An error means the check could not run at all (the configuration or an
/// essay is broken, a template fails): the site cannot be built, let alone checked.
pub fn run(options: &CheckOptions) -> Result<CheckReport> {
    let mut session = Session::open(&options.build)?;
    let mut rendered = Rendered::default();
    let (site, build_warnings) = session.render_into(&mut |files| {
        rendered.take(files);
        Ok(())
    })?;
    rendered.pages.sort_by(|a, b| a.path.cmp(&b.path));
    let config = session.config();
    let site_url = target::SiteUrl::new(&config.base_url);
    let all: Vec<PathBuf> = session.essays().map(|e| e.source.clone()).collect();
    let sources = sources::read_all(&config.root, all);

    // Links to essays that do not exist (`@/x.md`, `{{< ref >}}`), found while collecting.
    let mut problems: Vec<Problem> = site
        .links
        .broken
        .iter()
        .map(|broken| Problem {
            at: broken.at.clone(),
            severity: Severity::Error,
            kind: "broken-link",
            message: broken.message.clone(),
        })
        .collect();
    let theme = session.theme();
    let attribution = links::Attribution::new(&site, &sources, theme, &config.root);
    let internal = links::check(&rendered, &site_url, &attribution);
    let mut followed = internal.followed;
    // A broken file link is left as written in the page, where it leads nowhere either:
    // reported once, as above.
    let said = |p: &Problem| {
        site.links.broken.iter().any(|b| {
            b.at == p.at && p.kind == "broken-link" && p.message.contains(&format!("`{}`", b.href))
        })
    };
    problems.extend(internal.problems.into_iter().filter(|p| !said(p)));
    let xml = feed::Context {
        config,
        files: &rendered.files,
        site_url: &site_url,
        feed_template: theme.origins.get("atom.xml").cloned(),
        sitemap_template: theme.origins.get("sitemap.xml").cloned(),
    };
    rendered.feeds.sort();
    for (path, text) in &rendered.feeds {
        problems.extend(feed::check_feed(Some(text), path, &xml));
    }
    problems.extend(feed::check_sitemap(rendered.sitemap.as_deref(), &xml));
    let visibility = session.visibility()?;
    let essays: Vec<&crate::essay::Essay> = session.essays().collect();
    problems.extend(lint::check(&lint::Input {
        essays: &essays,
        sources: &sources,
        visibility: &visibility,
        deny: &config.check_deny,
        warn: &config.check_warn,
    }));
    if let Some(external) = &options.external {
        let found = external::check(&internal.external, external);
        followed += found.followed;
        problems.extend(found.problems);
    }
    problems.sort();
    problems.dedup();
    // Shortcode warnings are the `shortcode` lint's problems now: said once.
    let linted: std::collections::BTreeSet<&Warning> =
        essays.iter().flat_map(|e| &e.shortcode_warnings).collect();
    let build_warnings = build_warnings
        .iter()
        .filter(|w| !linted.contains(w))
        .cloned()
        .collect();
    Ok(CheckReport {
        problems,
        build_warnings,
        pages: rendered.pages.len(),
        links: followed,
    })
}
