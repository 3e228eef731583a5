//! Rendering: a [`Site`] and a [`Theme`] become every file of the site, in memory
//! ([`OutputFile`]s). Nothing here touches the output directory; `output::write` does that
//! once everything has rendered, so a failed build leaves the previous site as it was.

mod plan;
pub mod urls;
pub mod views;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tera::Context;

use crate::error::{Error, Result};
use crate::markdown::footnotes;
use crate::output::OutputFile;
use crate::site::Site;
use crate::theme::Theme;
use plan::{ListJob, Page};

pub use plan::Fingerprints;
use views::{
    ArchiveEntry, EssayCard, EssayPage, Pagination, SeriesPart, SeriesView, SiteView, SitemapEntry,
    TagView, ThemeView,
};

/// A large render is handed over in batches of this many files, so that a clean build of a
/// big site never holds every page in memory at once.
const BATCH: usize = 1024;

/// What rendering did: the fingerprint of every file the site has (whether rendered this
/// time or not), and how many were rendered.
#[derive(Debug)]
pub struct Rendered {
    pub fingerprints: Fingerprints,
    pub rendered: usize,
    /// The site has exactly the files it had at the last render.
    pub same_files: bool,
    /// Time spent in each template, slowest first.
    pub templates: Vec<TemplateTime>,
}

/// The time spent rendering one template, summed over the pages that use it (and over both
/// cores, so the figures can add up to more than the render stage's wall time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateTime {
    pub name: String,
    pub pages: usize,
    pub total: Duration,
}

/// Renders the site and hands the files to `sink`. With `previous` fingerprints (from the
/// last render of the same site, in watch mode), only files whose inputs changed are
/// rendered; without, every file is.
///
/// A few files are rendered in memory and handed over at once, only if all of them render. A
/// large render is handed over in batches as it goes, so that a big site is never all in
/// memory: if a page fails, the remaining pages are rendered only to report their errors too,
/// and the caller must discard what `sink` received (the build stages files under temporary
/// names and puts them in place only when the render succeeds: [`output::Staged`]).
///
/// [`output::Staged`]: crate::output::Staged
pub fn render(
    site: &Site,
    theme: &mut Theme,
    previous: Option<&Fingerprints>,
    sink: &mut dyn FnMut(Vec<OutputFile>) -> Result<()>,
) -> Result<Rendered> {
    let globals = theme.tera.global_context();
    globals.insert("site", &SiteView::new(&site.config, &theme.site_extra));
    globals.insert("feed_url", &site.config.url("atom.xml"));
    let theme_view = ThemeView {
        name: &theme.name,
        description: &theme.description,
        extra: &theme.extra,
    };
    theme.tera.global_context().insert("theme", &theme_view);
    let theme = &*theme;
    let r = Renderer::new(site, theme);

    let pages = r.plan();
    // The same set of paths as last time (which had no clash) cannot clash now.
    let same_files = previous.is_some_and(|previous| same_paths(&pages, previous));
    if !same_files {
        check_collisions(&pages, site)?;
    }
    let fingerprints: Fingerprints = pages
        .iter()
        .map(|page| (page.path.clone(), page.fingerprint))
        .collect();
    let stale: Vec<&Page> = pages
        .iter()
        .filter(|page| previous.is_none_or(|p| p.get(&page.path) != Some(&page.fingerprint)))
        .collect();
    let mut errors = Vec::new();
    for batch in stale.chunks(BATCH) {
        let (files, failed) = render_batch(&r, batch);
        if errors.is_empty() && failed.is_empty() {
            sink(files)?;
        }
        errors.extend(failed);
    }
    site.essays
        .par_iter()
        .for_each(|essay| essay.body.release());
    if let Some(error) = Error::collect(dedupe(errors)) {
        return Err(error);
    }
    let mut templates: Vec<TemplateTime> = r
        .times
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .into_iter()
        .map(|(name, (pages, total))| TemplateTime { name, pages, total })
        .collect();
    templates.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
    Ok(Rendered {
        fingerprints,
        rendered: stale.len(),
        same_files,
        templates,
    })
}

/// Renders `pages` in parallel: the files that rendered, and the errors of those that did not.
fn render_batch(r: &Renderer, pages: &[&Page]) -> (Vec<OutputFile>, Vec<Error>) {
    let results: Vec<Result<OutputFile>> = pages.par_iter().map(|page| r.run(page)).collect();
    let mut files = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(e) => errors.push(e),
        }
    }
    (files, errors)
}

/// The same template mistake fails every page that uses it; say it once.
fn dedupe(errors: Vec<Error>) -> Vec<Error> {
    let mut seen = std::collections::BTreeSet::new();
    errors
        .into_iter()
        .filter(|e| match e {
            Error::Template { at, message, .. } => seen.insert((at.clone(), message.clone())),
            _ => true,
        })
        .collect()
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    /// Each essay's card, made when first needed: a rebuild renders a few pages and should not
    /// pay for ten thousand cards.
    cards: Vec<OnceLock<EssayCard<'a>>>,
    /// Every tag's view, by slug, for the cards.
    tag_views: BTreeMap<&'a str, TagView<'a>>,
    /// Every essay's index, for the home page's list.
    all: Vec<usize>,
    /// For each essay, the index of its series in `site.series`.
    series_of: Vec<Option<usize>>,
    /// Pages rendered and time spent, by template.
    times: Mutex<BTreeMap<String, (usize, Duration)>>,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, theme: &'a Theme) -> Self {
        let tag_views: BTreeMap<&str, TagView<'a>> = site
            .tags
            .iter()
            .map(|g| (g.slug.as_str(), TagView::new(g)))
            .collect();
        let cards = (0..site.essays.len()).map(|_| OnceLock::new()).collect();
        let mut series_of = vec![None; site.essays.len()];
        for (s, group) in site.series.iter().enumerate() {
            for &e in &group.essays {
                series_of[e] = Some(s);
            }
        }
        Renderer {
            site,
            theme,
            cards,
            tag_views,
            all: (0..site.essays.len()).collect(),
            series_of,
            times: Mutex::new(BTreeMap::new()),
        }
    }

    /// Essay `i`'s card.
    fn card(&self, i: usize) -> &EssayCard<'a> {
        self.cards[i].get_or_init(|| {
            let essay = &self.site.essays[i];
            let tags = essay
                .tag_slugs
                .iter()
                .filter_map(|slug| self.tag_views.get(slug.as_str()).cloned())
                .collect();
            let mut card = EssayCard::new(essay, tags);
            // Links to other essays, resolved: the summary's were made absolute with the rest.
            let links = &self.site.links.resolved[i];
            if !links.is_empty() {
                let page_url = essay.shown.url.as_str();
                let links = links.rebased(|href| urls::absolute(href, page_url));
                card.summary = links.apply(card.summary.into_owned()).into();
            }
            card
        })
    }

    /// What every page gets: its own URL and what kind of page it is.
    fn context(&self, path: &str, kind: &str) -> Context {
        let mut context = Context::new();
        context.insert("current_url", &self.site.config.url(path));
        context.insert("page_kind", kind);
        context
    }

    fn page(
        &self,
        path: String,
        template: &'static str,
        context: &Context,
        origin: &Path,
    ) -> Result<OutputFile> {
        let essay = (!origin.as_os_str().is_empty()).then_some(origin);
        let started = Instant::now();
        let html = self.theme.render(template, context, essay)?;
        let took = started.elapsed();
        let mut times = self.times.lock().unwrap_or_else(|p| p.into_inner());
        match times.get_mut(template) {
            Some((pages, total)) => {
                *pages += 1;
                *total += took;
            }
            None => {
                times.insert(template.to_string(), (1, took));
            }
        }
        drop(times);
        let origin = match essay {
            Some(source) => source.display().to_string(),
            None => format!("the page {template} renders at {path}"),
        };
        Ok(OutputFile {
            template: Some(template),
            ..OutputFile::bytes(path, html.into_bytes(), origin)
        })
    }

    fn essay(&self, i: usize) -> Result<OutputFile> {
        let essay = &self.site.essays[i];
        let dir = format!("{}/", essay.slug);
        let mut context = self.context(&dir, "essay");
        // Before the card, which needs the digest: rendering the HTML works that out too.
        let html = self.site.links.resolved[i].apply(essay.body.html());
        let mut page = EssayPage::new(essay, self.card(i), &html);
        page.series = self.series_of[i].map(|s| self.series_view(s, i));
        context.insert("essay", &page);
        context.insert("newer", &i.checked_sub(1).map(|j| self.card(j)));
        context.insert(
            "older",
            &(i + 1 < self.cards.len()).then(|| self.card(i + 1)),
        );
        self.page(
            format!("{dir}index.html"),
            "essay.html",
            &context,
            &essay.source,
        )
    }

    /// One page of the home page's or a tag's list of essays.
    fn list_page(&self, list: &ListJob) -> Result<OutputFile> {
        let (essays, template, kind, tag) = match list.tag {
            None => (self.all.as_slice(), "index.html", "home", None),
            Some(t) => {
                let group = &self.site.tags[t];
                let tag = TagView::new(group);
                (group.essays.as_slice(), "tag.html", "tag", Some(tag))
            }
        };
        let dir = list_dir(&self.site.tags, list.tag);
        let path = page_dir(&dir, list.n);
        let mut context = self.context(&path, kind);
        let cards: Vec<&EssayCard> = essays[list.range.clone()]
            .iter()
            .map(|&i| self.card(i))
            .collect();
        context.insert("years", &views::years(&cards));
        context.insert("essays", &cards);
        let config = &self.site.config;
        context.insert(
            "pagination",
            &Pagination {
                current: list.n,
                total: list.total,
                prev_url: (list.n > 1).then(|| config.url(&page_dir(&dir, list.n - 1))),
                next_url: (list.n < list.total).then(|| config.url(&page_dir(&dir, list.n + 1))),
            },
        );
        if let Some(tag) = &tag {
            context.insert("tag", tag);
        }
        self.page(
            format!("{path}index.html"),
            template,
            &context,
            Path::new(""),
        )
    }

    fn tags_index(&self) -> Result<OutputFile> {
        let mut context = self.context("tags/", "tags");
        let tags: Vec<TagView> = self.site.tags.iter().map(TagView::new).collect();
        context.insert("tags", &tags);
        self.page(
            "tags/index.html".into(),
            "tags.html",
            &context,
            Path::new(""),
        )
    }

    fn feed(&self) -> Result<OutputFile> {
        let count = self.site.config.feed_limit.min(self.site.essays.len());
        // Feed readers show entries away from their pages, without the theme's CSS: links must
        // be absolute, and sidenotes become plain links to the endnotes.
        let contents: Vec<String> = (0..count)
            .map(|i| {
                let html = self.site.links.resolved[i].apply(self.site.essays[i].body.html());
                let html = footnotes::for_feed(&html);
                urls::absolutize(&html, self.card(i).url)
            })
            .collect();
        let entries: Vec<EssayPage> = (0..count)
            .map(|i| EssayPage::new(&self.site.essays[i], self.card(i), &contents[i]))
            .collect();
        let updated = self.site.essays[..count]
            .iter()
            .filter_map(|e| e.updated.max(e.date))
            .max()
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
        let mut context = self.context("atom.xml", "feed");
        context.insert("essays", &entries);
        context.insert("updated", &updated);
        self.page("atom.xml".into(), "atom.xml", &context, Path::new(""))
    }

    fn sitemap(&self) -> Result<OutputFile> {
        let config = &self.site.config;
        let essays = &self.site.essays;
        let newest = essays.first().and_then(|e| e.shown.date.as_deref());
        let mut entries = vec![SitemapEntry {
            loc: config.url("").into(),
            lastmod: newest,
        }];
        entries.extend(essays.iter().map(|e| SitemapEntry {
            loc: e.shown.url.as_str().into(),
            lastmod: e.shown.updated.as_deref().or(e.shown.date.as_deref()),
        }));
        if !self.site.tags.is_empty() {
            entries.push(SitemapEntry {
                loc: config.url("tags/").into(),
                lastmod: None,
            });
        }
        entries.extend(self.site.tags.iter().map(|g| SitemapEntry {
            loc: g.url.as_str().into(),
            lastmod: None,
        }));
        let mut context = self.context("sitemap.xml", "sitemap");
        context.insert("entries", &entries);
        self.page("sitemap.xml".into(), "sitemap.xml", &context, Path::new(""))
    }

    fn simple(&self, path: &str, template: &'static str, kind: &str) -> Result<OutputFile> {
        self.page(
            path.to_string(),
            template,
            &self.context(path, kind),
            Path::new(""),
        )
    }

    /// Every essay by year, titles and dates only, on one page.
    fn archive(&self) -> Result<OutputFile> {
        let mut context = self.context("archive/", "archive");
        let entries = self.site.essays.iter().map(|e| ArchiveEntry::new(e));
        context.insert("years", &views::group_by_year(entries, |e| e.year));
        self.page(
            "archive/index.html".into(),
            "archive.html",
            &context,
            Path::new(""),
        )
    }

    /// Where essay `i` sits in series `s`.
    fn series_view(&self, s: usize, i: usize) -> SeriesView<'_> {
        let group = &self.site.series[s];
        let position = group.essays.iter().position(|&e| e == i).unwrap_or(0);
        SeriesView {
            name: &group.name,
            slug: &group.slug,
            part: position + 1,
            total: group.essays.len(),
            parts: group
                .essays
                .iter()
                .map(|&e| SeriesPart {
                    title: self.card(e).title,
                    url: self.card(e).url,
                    current: e == i,
                })
                .collect(),
            prev: position
                .checked_sub(1)
                .and_then(|p| group.essays.get(p))
                .map(|&e| self.card(e)),
            next: group.essays.get(position + 1).map(|&e| self.card(e)),
        }
    }

    /// The redirect page of one alias of essay `i`.
    fn alias(&self, i: usize, alias: &str, path: &str) -> Result<OutputFile> {
        let mut context = self.context(alias, "alias");
        context.insert("target", &self.card(i).url);
        self.page(
            path.to_string(),
            "alias.html",
            &context,
            &self.site.essays[i].source,
        )
    }
}

/// `dir` for list page `n`: `dir` itself for the first, `dir/page/n/` after.
fn page_dir(dir: &str, n: usize) -> String {
    match n {
        1 => dir.to_string(),
        n => format!("{dir}page/{n}/"),
    }
}

/// Where the home page (`None`) or tag `t`'s pages live.
fn list_dir(tags: &[crate::site::TagGroup], tag: Option<usize>) -> String {
    match tag {
        None => String::new(),
        Some(t) => format!("tags/{}/", tags[t].slug),
    }
}

/// Whether `pages` are, path for path, the files `previous` lists.
fn same_paths(pages: &[Page], previous: &Fingerprints) -> bool {
    let paths: rustc_hash::FxHashSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    paths.len() == pages.len()
        && paths.len() == previous.len()
        && paths.iter().all(|p| previous.contains_key(*p))
}

/// Two sources writing the same file is an error naming both.
fn check_collisions(pages: &[Page], site: &Site) -> Result<()> {
    let mut sorted: Vec<&Page> = pages.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut errors: Vec<Error> = sorted
        .windows(2)
        .filter(|pair| pair[0].path == pair[1].path)
        .map(|pair| Error::Collision {
            first: pair[0].origin(site),
            second: pair[1].origin(site),
            output: pair[0].path.clone(),
        })
        .collect();
    // A file at `now` and a page at `now/index.html` cannot both exist on disk; catch it here,
    // before writing, rather than half-way through the write.
    let by_path: std::collections::HashMap<&str, &Page> =
        pages.iter().map(|p| (p.path.as_str(), p)).collect();
    for page in pages {
        let folders = page.path.match_indices('/').map(|(i, _)| &page.path[..i]);
        if let Some((folder, origin)) = folders
            .filter_map(|folder| by_path.get(folder).map(|origin| (folder, *origin)))
            .next()
        {
            errors.push(Error::FileOverFolder {
                file: origin.origin(site),
                inside: page.origin(site),
                path: folder.to_string(),
            });
        }
    }
    errors.extend(case_collisions(pages, site));
    match Error::collect(errors) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Paths that differ only in case (`Foo/index.html` beside `foo/index.html`): fine on Linux,
/// one file on macOS and Windows. One pass, by lowercased path; paths already lowercase (all
/// but a typed slug, an alias or a static file, as a rule) are not copied.
fn case_collisions(pages: &[Page], site: &Site) -> Vec<Error> {
    use std::borrow::Cow;
    let mut seen: rustc_hash::FxHashMap<Cow<str>, &Page> = rustc_hash::FxHashMap::default();
    seen.reserve(pages.len());
    let mut errors = Vec::new();
    for page in pages {
        let path = page.path.as_str();
        let folded = if path.is_ascii() && !path.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Borrowed(path)
        } else {
            Cow::Owned(path.to_lowercase())
        };
        match seen.get(&folded) {
            // The same path twice is a plain collision, reported above.
            Some(first) if first.path != page.path => errors.push(Error::CaseCollision {
                at: made_by(page, site),
                path: page.path.clone(),
                other: made_by(first, site),
                other_path: first.path.clone(),
            }),
            Some(_) => {}
            None => {
                seen.insert(folded, page);
            }
        }
    }
    errors
}

/// What makes a page, for a message: for an essay's page or alias, the essay with the line
/// and name of the field that gave the path.
fn made_by(page: &Page, site: &Site) -> String {
    let (essay, key) = match page.job {
        plan::Job::Essay(i) => (&site.essays[i], "slug"),
        plan::Job::Alias { essay, .. } => (&site.essays[essay], "aliases"),
        _ => return page.origin(site),
    };
    let source = essay.source.display();
    match essay.key_line(key) {
        Some(line) => format!("{source}:{line}: {key}"),
        None => format!("{source}: file name"),
    }
}
