//! Rendering: a [`Site`] and a [`Theme`] become every file of the site, in memory
//! ([`OutputFile`]s). Nothing here touches the output directory; `output::write` does that
//! once everything has rendered, so a failed build leaves the previous site as it was.

mod plan;
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
use crate::urls;
use plan::{ListJob, ListOf, Page};

use crate::essay::Essay;
pub use crate::output::Fingerprints;
use views::{
    ArchiveEntry, EssayCard, EssayPage, Pagination, RelatedEssay, SectionView, SeriesLink,
    SeriesPart, SeriesView, SiteView, SitemapEntry, TagView, ThemeView, TranslationView,
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
    globals.insert("site", &SiteView::new(site, &theme.site_extra));
    globals.insert("feed_url", &site.config.url("atom.xml"));
    let theme_view = ThemeView {
        name: &theme.name,
        description: &theme.description,
        extra: &theme.extra,
    };
    theme.tera.global_context().insert("theme", &theme_view);
    let theme = &*theme;
    // The site in its own language, then each translated edition.
    let sites: Vec<&Site> = site.with_editions().collect();
    let renderers: Vec<Renderer> = sites.iter().map(|s| Renderer::new(s, theme)).collect();
    let mut pages = Vec::new();
    for (edition, r) in renderers.iter().enumerate() {
        pages.extend(r.plan().into_iter().map(|mut page| {
            page.edition = edition;
            page
        }));
    }
    // The same set of paths as last time (which had no clash) cannot clash now.
    let same_files = previous.is_some_and(|previous| same_paths(&pages, previous));
    if !same_files {
        check_collisions(&pages, &sites)?;
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
        let (files, failed) = render_batch(&renderers, batch);
        if errors.is_empty() && failed.is_empty() {
            sink(files)?;
        }
        errors.extend(failed);
    }
    for s in &sites {
        s.essays.par_iter().for_each(|essay| essay.body.release());
    }
    if let Some(error) = Error::collect(dedupe(errors)) {
        return Err(error);
    }
    let mut times: BTreeMap<String, (usize, Duration)> = BTreeMap::new();
    for r in renderers {
        let own = r.times.into_inner().unwrap_or_else(|p| p.into_inner());
        for (name, (pages, total)) in own {
            let entry = times.entry(name).or_default();
            entry.0 += pages;
            entry.1 += total;
        }
    }
    let mut templates: Vec<TemplateTime> = times
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
fn render_batch(renderers: &[Renderer], pages: &[&Page]) -> (Vec<OutputFile>, Vec<Error>) {
    let results: Vec<Result<OutputFile>> = pages
        .par_iter()
        .map(|page| renderers[page.edition].run(page))
        .collect();
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
    /// For each essay, the index of its series in `site.series`.
    series_of: Vec<Option<usize>>,
    /// Pages rendered and time spent, by template.
    times: Mutex<BTreeMap<String, (usize, Duration)>>,
    /// For a translated edition, what its pages see in place of the site's own `site`,
    /// `feed_url` and language.
    edition: Option<(SiteView<'a>, String)>,
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
        let edition = (!site.prefix.is_empty()).then(|| {
            (
                SiteView::new(site, &theme.site_extra),
                site.config.url(&format!("{}atom.xml", site.prefix)),
            )
        });
        Renderer {
            site,
            theme,
            cards,
            tag_views,
            series_of,
            times: Mutex::new(BTreeMap::new()),
            edition,
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

    /// What every page gets: its own URL and what kind of page it is; in a translated
    /// edition, its own `site`, `feed_url` and `lang` too.
    fn context(&self, path: &str, kind: &str) -> Context {
        let mut context = Context::new();
        context.insert("current_url", &self.site.config.url(path));
        context.insert("page_kind", kind);
        if let Some((site, feed_url)) = &self.edition {
            context.insert("site", site);
            context.insert("feed_url", feed_url);
            context.insert("lang", &self.site.config.language);
        }
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
        let mut context = self.context(&essay.route.path, "essay");
        // Before the card, which needs the digest: rendering the HTML works that out too.
        let html = self.site.links.resolved[i].apply(essay.body.html());
        let mut page = EssayPage::new(essay, self.card(i), &html);
        page.series = self.series_of[i].map(|s| self.series_view(s, i));
        page.backlinks = &self.site.links.backlinks[i];
        if let Some(related) = self.site.related.get(i) {
            let essays = &self.site.essays;
            page.related = related
                .iter()
                .map(|&j| RelatedEssay::new(&essays[j]))
                .collect();
        }
        page.translations = self.translations(essay);
        context.insert("essay", &page);
        context.insert("newer", &i.checked_sub(1).map(|j| self.card(j)));
        context.insert(
            "older",
            &(i + 1 < self.cards.len()).then(|| self.card(i + 1)),
        );
        self.page(
            essay.route.file.clone(),
            "essay.html",
            &context,
            &essay.source,
        )
    }

    /// A page (about, CV): its body, title and dates, with no neighbours and no tags.
    fn standalone(&self, i: usize) -> Result<OutputFile> {
        let doc = &self.site.pages[i];
        let mut context = self.context(&doc.route.path, "page");
        let html = self.site.links.pages[i].apply(doc.body.html());
        let card = EssayCard::new(doc, Vec::new());
        let mut page = EssayPage::new(doc, &card, &html);
        page.translations = self.translations(doc);
        page.backlinks = &self.site.links.page_backlinks[i];
        context.insert("essay", &page);
        self.page(doc.route.file.clone(), "page.html", &context, &doc.source)
    }

    /// The versions of `doc`'s text, if it has translations.
    fn translations(&self, doc: &Essay) -> Vec<TranslationView<'a>> {
        let Some(versions) = self.site.alternates.get(&doc.key) else {
            return Vec::new();
        };
        versions
            .iter()
            .map(|v| TranslationView {
                lang: &v.lang,
                title: &v.title,
                url: &v.url,
                current: v.url == doc.shown.url,
            })
            .collect()
    }

    /// One page of the home page's, a tag's or a section's list of essays.
    fn list_page(&self, list: &ListJob) -> Result<OutputFile> {
        let site = self.site;
        let dir = list_dir(site, list.of);
        let path = page_dir(&dir, list.n);
        let (essays, template, kind) = match list.of {
            ListOf::Home => (site.home.as_slice(), "index.html", "home"),
            ListOf::Tag(t) => (site.tags[t].essays.as_slice(), "tag.html", "tag"),
            ListOf::Section(k) => (
                site.sections[k].essays.as_slice(),
                "section.html",
                "section",
            ),
            ListOf::Series(s) => (site.series[s].essays.as_slice(), "series.html", "series"),
        };
        let mut context = self.context(&path, kind);
        match list.of {
            ListOf::Home => {}
            ListOf::Tag(t) => context.insert("tag", &TagView::new(&site.tags[t])),
            ListOf::Section(k) => context.insert("section", &SectionView::new(site, k)),
            ListOf::Series(s) => {
                let group = &site.series[s];
                context.insert(
                    "series",
                    &SeriesLink {
                        name: &group.name,
                        slug: &group.slug,
                        url: &group.url,
                        count: group.essays.len(),
                    },
                );
            }
        }
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
        self.page(
            format!("{path}index.html"),
            template,
            &context,
            Path::new(""),
        )
    }

    fn tags_index(&self) -> Result<OutputFile> {
        let dir = format!("{}tags/", self.site.prefix);
        let mut context = self.context(&dir, "tags");
        let tags: Vec<TagView> = self.site.tags.iter().map(TagView::new).collect();
        context.insert("tags", &tags);
        self.page(
            format!("{dir}index.html"),
            "tags.html",
            &context,
            Path::new(""),
        )
    }

    /// The site's feed, a section's or a tag's: its newest essays, whole.
    fn feed(&self, of: ListOf) -> Result<OutputFile> {
        let site = self.site;
        let all: Vec<usize>;
        let list = match of {
            ListOf::Section(k) => site.sections[k].essays.as_slice(),
            ListOf::Tag(t) => site.tags[t].essays.as_slice(),
            ListOf::Home | ListOf::Series(_) => {
                all = (0..site.essays.len()).collect();
                all.as_slice()
            }
        };
        let path = format!("{}atom.xml", list_dir(site, of));
        let shown = &list[..site.config.feed_limit.min(list.len())];
        // Feed readers show entries away from their pages, without the theme's CSS: links must
        // be absolute, and sidenotes become plain links to the endnotes.
        let contents: Vec<String> = shown
            .iter()
            .map(|&i| {
                let html = site.links.resolved[i].apply(site.essays[i].body.html());
                let html = footnotes::for_feed(&html);
                urls::absolutize(&html, self.card(i).url)
            })
            .collect();
        let entries: Vec<EssayPage> = shown
            .iter()
            .zip(&contents)
            .map(|(&i, content)| EssayPage::new(&site.essays[i], self.card(i), content))
            .collect();
        let updated = feed_updated(shown.iter().map(|&i| &*site.essays[i]));
        let mut context = self.context(&path, "feed");
        context.insert("essays", &entries);
        context.insert("updated", &updated);
        match of {
            ListOf::Section(k) => context.insert("section", &SectionView::new(site, k)),
            ListOf::Tag(t) => context.insert("tag", &TagView::new(&site.tags[t])),
            ListOf::Home | ListOf::Series(_) => {}
        }
        if !matches!(of, ListOf::Home) {
            context.insert("feed_url", &site.config.url(&path));
        }
        self.page(path, "atom.xml", &context, Path::new(""))
    }

    /// Every page of every language, with its date where it has one.
    fn sitemap(&self) -> Result<OutputFile> {
        let config = &self.site.config;
        let mut entries = Vec::new();
        for site in self.site.with_editions() {
            let essays = &site.essays;
            let newest =
                |list: &[usize]| list.first().and_then(|&i| essays[i].shown.date.as_deref());
            entries.push(SitemapEntry {
                loc: config.url(&site.prefix).into(),
                lastmod: newest(&site.home),
            });
            entries.extend(site.essays.iter().chain(&site.pages).map(|e| SitemapEntry {
                loc: e.shown.url.as_str().into(),
                lastmod: e.shown.updated.as_deref().or(e.shown.date.as_deref()),
            }));
            entries.extend(site.sections.iter().map(|s| SitemapEntry {
                loc: s.url.as_str().into(),
                lastmod: newest(&s.essays),
            }));
            if !site.tags.is_empty() {
                entries.push(SitemapEntry {
                    loc: config.url(&format!("{}tags/", site.prefix)).into(),
                    lastmod: None,
                });
            }
            entries.extend(site.tags.iter().map(|g| SitemapEntry {
                loc: g.url.as_str().into(),
                lastmod: None,
            }));
            entries.extend(site.series.iter().map(|g| {
                SitemapEntry {
                    loc: g.url.as_str().into(),
                    lastmod: g
                        .essays
                        .last()
                        .and_then(|&i| essays[i].shown.date.as_deref()),
                }
            }));
        }
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
        let dir = format!("{}archive/", self.site.prefix);
        let mut context = self.context(&dir, "archive");
        let entries = self.site.essays.iter().map(|e| ArchiveEntry::new(e));
        context.insert("years", &views::group_by_year(entries, |e| e.year));
        self.page(
            format!("{dir}index.html"),
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
            url: &group.url,
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

    /// A redirect page at `path` (an alias, or a `[redirects]` entry) leading to `target`.
    fn redirect(&self, from: &str, target: &str, path: &str, origin: &Path) -> Result<OutputFile> {
        let mut context = self.context(from, "alias");
        context.insert("target", target);
        self.page(path.to_string(), "alias.html", &context, origin)
    }
}

/// `dir` for list page `n`: `dir` itself for the first, `dir/page/n/` after.
fn page_dir(dir: &str, n: usize) -> String {
    match n {
        1 => dir.to_string(),
        n => format!("{dir}page/{n}/"),
    }
}

/// Where a list's pages live.
fn list_dir(site: &Site, of: ListOf) -> String {
    match of {
        ListOf::Home => site.prefix.clone(),
        ListOf::Tag(t) => format!("{}tags/{}/", site.prefix, site.tags[t].slug),
        ListOf::Section(k) => site.sections[k].route.path.clone(),
        ListOf::Series(s) => format!("{}series/{}/", site.prefix, site.series[s].slug),
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
fn check_collisions(pages: &[Page], sites: &[&Site]) -> Result<()> {
    let site = |page: &Page| sites[page.edition];
    let mut sorted: Vec<&Page> = pages.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut errors: Vec<Error> = sorted
        .windows(2)
        .filter(|pair| pair[0].path == pair[1].path)
        .map(|pair| Error::Collision {
            first: pair[0].origin(site(pair[0])),
            second: pair[1].origin(site(pair[1])),
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
                file: origin.origin(site(origin)),
                inside: page.origin(site(page)),
                path: folder.to_string(),
            });
        }
    }
    errors.extend(case_collisions(pages, sites));
    match Error::collect(errors) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Paths that differ only in case (`Foo/index.html` beside `foo/index.html`): fine on Linux,
/// one file on macOS and Windows. One pass, by lowercased path; paths already lowercase (all
/// but a typed slug, an alias or a static file, as a rule) are not copied.
fn case_collisions(pages: &[Page], sites: &[&Site]) -> Vec<Error> {
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
                at: made_by(page, sites[page.edition]),
                path: page.path.clone(),
                other: made_by(first, sites[first.edition]),
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
    // A page's place comes from its front matter's `path`, `url` or `permalink`, or else
    // its slug.
    let place = |essay: &crate::essay::Essay| {
        crate::markers::url_override(&essay.extra).map_or("slug", |(key, _)| key)
    };
    let (essay, key): (&crate::essay::Essay, _) = match page.job {
        plan::Job::Essay(i) => (&site.essays[i], place(&site.essays[i])),
        plan::Job::Page(i) => (&site.pages[i], place(&site.pages[i])),
        plan::Job::Alias { doc, .. } => (doc.of(site), "aliases"),
        _ => return page.origin(site),
    };
    let source = essay.source.display();
    match essay.key_line(key) {
        Some(line) => format!("{source}:{line}: {key}"),
        None => format!("{source}: file name"),
    }
}

/// The feed's `<updated>`, which an undated essay's entry shows too: the newest date of the
/// essays in the feed (only theirs: the feed's fingerprint covers them; undated essays are
/// listed last, so when none of these has a date, none in its list has). A feed with no date
/// at all (and no git history to give one) has the day of the build (`SOURCE_DATE_EPOCH` when set), never 1970: the day
/// rather than the moment, so that builds on one day are byte-identical.
fn feed_updated<'a>(essays: impl Iterator<Item = &'a crate::essay::Essay>) -> String {
    if let Some(newest) = essays.filter_map(|e| e.updated.max(e.date)).max() {
        return newest.rfc3339();
    }
    let now = crate::date::now().unwrap_or_else(|_| jiff::Timestamp::now());
    format!("{}T00:00:00Z", now.strftime("%Y-%m-%d"))
}
