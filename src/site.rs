//! Collecting: parsed essays and sections become a [`Site`] — drafts and essays dated in the
//! future left out unless asked for, pages set apart from essays, essays in their reading
//! order (newest first), sections given their essays, tags grouped.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;

use crate::config::Config;
use crate::content::section::SortBy;
use crate::content::{Kind, Route, SectionMeta};
use crate::essay::Essay;
use crate::slugs::{slugify, slugify_name};
use crate::source::Asset;

/// Everything the renderer needs, in order.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Newest first; undated essays last, by title. Shared with a watch session, which keeps
    /// them between builds. Pages are not among them.
    pub essays: Vec<Arc<Essay>>,
    /// About, now, CV: built at their URLs, listed nowhere; by source file.
    pub pages: Vec<Arc<Essay>>,
    /// Where this site's lists are, under the output: empty for the site's own language,
    /// `es/` for its Spanish edition.
    pub prefix: String,
    /// For each language `[languages]` lists that has translations, a site of its own: its
    /// essays and pages (under `/<lang>/`), home page, sections, tags, archive and feed. Their
    /// own `editions` are empty.
    pub editions: Vec<Site>,
    /// Every version of each text that has translations, by [`Essay::key`]: the site's own
    /// language first, then by language. Shared by the editions.
    pub alternates: Arc<Alternates>,
    /// The essays the home page lists, as indices into `essays`: all but those of sections
    /// that keep their essays to themselves (`in_home = false`).
    pub home: Vec<usize>,
    /// Folders with a list page of their own, by folder; the root is the home page, not one.
    pub sections: Vec<Section>,
    /// The root's `_index.md`, if it has one: it makes the files beside it pages.
    pub root: Option<Arc<SectionMeta>>,
    /// Pages and sections in the site's navigation, in order.
    pub menu: Vec<MenuEntry>,
    /// By slug.
    pub tags: Vec<TagGroup>,
    /// By slug.
    pub series: Vec<SeriesGroup>,
    pub assets: Vec<Asset>,
    /// Every page bundle's folder, relative to `content/`, hidden ones (drafts, future)
    /// included: a hidden bundle's files are left out with it rather than copied loose.
    pub bundle_dirs: BTreeSet<PathBuf>,
    /// Each essay's links to other essays, resolved (see [`crate::links`]).
    pub links: crate::links::SiteLinks,
    /// With `related = true`, each essay's related essays, as indices into `essays` (see
    /// [`crate::related`]); otherwise empty.
    pub related: Vec<Vec<usize>>,
}

/// A folder with a list of its own: one with an `_index.md`, or a top-level folder of essays.
#[derive(Debug, Clone)]
pub struct Section {
    /// Relative to `content/`, `/`-separated, as written.
    pub dir: String,
    pub meta: Option<Arc<SectionMeta>>,
    pub title: String,
    pub route: Route,
    pub url: String,
    /// Its essays and those of the folders below it, as indices into `Site::essays`, in its
    /// order.
    pub essays: Vec<usize>,
    /// The sections right below it, as indices into `Site::sections`.
    pub subsections: Vec<usize>,
    /// The nearest section above it, if any (the home page is above all).
    pub parent: Option<usize>,
    pub paginate: usize,
}

/// The versions of each translated text, by [`Essay::key`].
pub type Alternates = HashMap<String, Vec<Alternate>>;

/// One version of a translated text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Alternate {
    pub lang: String,
    pub title: String,
    pub url: String,
}

/// One link of the site's navigation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct MenuEntry {
    pub title: String,
    pub url: String,
}

/// One tag and the essays that carry it, as indices into `Site::essays` (newest first).
#[derive(Debug, Clone)]
pub struct TagGroup {
    pub name: String,
    pub slug: String,
    /// The tag page's full URL.
    pub url: String,
    /// Its feed's full URL, when `[feeds] tags` gives it one.
    pub feed_url: Option<String>,
    pub essays: Vec<usize>,
}

/// The essays of one series, as indices into `Site::essays`, in reading order: oldest first.
#[derive(Debug, Clone)]
pub struct SeriesGroup {
    pub name: String,
    pub slug: String,
    /// Its page's full URL: `series/<slug>/`, where Hugo's series taxonomy has it.
    pub url: String,
    pub essays: Vec<usize>,
}

/// Which essays a build shows.
#[derive(Debug, Clone, Copy)]
pub struct Visibility {
    pub drafts: bool,
    /// Show essays dated after `now` too.
    pub future: bool,
    pub now: Timestamp,
}

impl Visibility {
    pub fn shows(&self, essay: &Essay) -> bool {
        (self.drafts || !essay.draft) && (self.future || !is_future(essay, self.now))
    }
}

/// Whether an essay is dated after `now`: it is scheduled, and waits for a later build.
pub fn is_future(essay: &Essay, now: Timestamp) -> bool {
    essay.date.is_some_and(|d| d.timestamp() > now)
}

impl Site {
    /// The site in its own language, with an edition for each language `[languages]` lists
    /// that has translations (see [`Site::editions`]).
    pub fn collect(
        config: Config,
        essays: Vec<Arc<Essay>>,
        sections: Vec<Arc<SectionMeta>>,
        assets: Vec<Asset>,
        visibility: &Visibility,
    ) -> Site {
        // A hidden bundle's files are left out with it rather than copied loose.
        let bundle_dirs: BTreeSet<PathBuf> =
            essays.iter().filter_map(|e| e.bundle.clone()).collect();
        // A draft section hides everything in it: in every language when it is the site's
        // own, in its language when it is a translation.
        let hidden: Vec<(Option<String>, String)> = sections
            .iter()
            .filter(|s| s.draft && !visibility.drafts && !s.dir.is_empty())
            .map(|s| (s.lang.clone(), s.dir.clone()))
            .collect();
        let shown = |e: &Essay| -> bool {
            visibility.shows(e)
                && !hidden
                    .iter()
                    .any(|(lang, dir)| (lang.is_none() || *lang == e.lang) && is_under(&e.dir, dir))
        };
        let (visible, unseen): (Vec<Arc<Essay>>, Vec<Arc<Essay>>) =
            essays.into_iter().partition(|e| shown(e));
        let mut by_lang: BTreeMap<Option<String>, Language> = BTreeMap::new();
        for essay in visible {
            by_lang.entry(essay.lang.clone()).or_default().0.push(essay);
        }
        for meta in sections {
            by_lang.entry(meta.lang.clone()).or_default().1.push(meta);
        }
        let (own, own_metas) = by_lang.remove(&None).unwrap_or_default();
        let mut site = Site::assemble(config, own, own_metas, &hidden, Edition::Own, assets);
        // A site with neither title nor author, of one essay (a pasted text in a folder), is
        // named after the essay rather than the folder; a site of many keeps the folder's name.
        if let ([only], true) = (&site.essays[..], site.config.title_from_folder) {
            site.config.title = only.title.clone();
        }
        // Only a site with translations needs to know what each original is.
        let originals: HashMap<&str, Kind> = match by_lang.is_empty() {
            true => HashMap::new(),
            false => site
                .essays
                .iter()
                .map(|e| (e.key.as_str(), Kind::Essay))
                .chain(site.pages.iter().map(|p| (p.key.as_str(), Kind::Page)))
                .collect(),
        };
        let editions: Vec<Site> = by_lang
            .into_iter()
            .filter_map(|(lang, (essays, metas))| {
                let lang = lang?;
                let mut config = site.config.clone();
                if let Some(own) = config.languages.get(&lang) {
                    config.title = own.title.clone().unwrap_or(config.title);
                    config.description = own.description.clone().or(config.description);
                }
                config.language = lang.clone();
                let edition = Edition::Translation {
                    prefix: format!("{lang}/"),
                    originals: &originals,
                };
                Some(Site::assemble(
                    config,
                    essays,
                    metas,
                    &hidden,
                    edition,
                    Vec::new(),
                ))
            })
            .collect();
        let alternates = Arc::new(alternates(&site, &editions));
        site.editions = editions
            .into_iter()
            .map(|mut e| {
                e.alternates = Arc::clone(&alternates);
                e
            })
            .collect();
        site.alternates = alternates;
        site.bundle_dirs = bundle_dirs;
        site.resolve_links(&unseen, visibility);
        if site.config.related {
            site.related = crate::related::related(&site.essays, &site.links.backlinks);
            for edition in &mut site.editions {
                edition.related =
                    crate::related::related(&edition.essays, &edition.links.backlinks);
            }
        }
        site
    }

    /// Resolves the links between essays (see [`crate::links`]) of every essay and page in
    /// every language, at once: a link may cross languages, and every broken one is said
    /// together.
    fn resolve_links(&mut self, unseen: &[Arc<Essay>], visibility: &Visibility) {
        let any = self
            .with_editions()
            .any(|s| s.essays.iter().chain(&s.pages).any(|e| !e.links.is_empty()));
        if !any {
            // Most sites: nothing to look up, and no index to build.
            let none = |site: &Site| crate::links::SiteLinks {
                pages: vec![Default::default(); site.pages.len()],
                page_backlinks: vec![Vec::new(); site.pages.len()],
                ..crate::links::SiteLinks::none(site.essays.len())
            };
            for edition in &mut self.editions {
                edition.links = none(edition);
            }
            self.links = none(self);
            return;
        }
        let docs: Vec<Arc<Essay>> = self
            .with_editions()
            .flat_map(|s| s.essays.iter().chain(&s.pages))
            .cloned()
            .collect();
        // Sections by their `_index.md` (a folder without one by where it would be), and
        // each language's home page by its own.
        let mut targets = Vec::new();
        for site in self.with_editions() {
            let lang = site.config.language.as_str();
            let suffix = if site.prefix.is_empty() {
                ".md".to_string()
            } else {
                format!(".{lang}.md")
            };
            targets.push((format!("_index{suffix}"), site.config.url(&site.prefix)));
            for section in &site.sections {
                targets.push((
                    format!("{}/_index{suffix}", section.dir),
                    section.url.clone(),
                ));
            }
            // Hugo's series taxonomy: `{{< ref "series/x" >}}`.
            for series in &site.series {
                targets.push((format!("series/{}", series.slug), series.url.clone()));
            }
        }
        let tags: Vec<(&str, &str)> = self
            .tags
            .iter()
            .map(|g| (g.slug.as_str(), g.url.as_str()))
            .collect();
        let mut links = crate::links::resolve(&crate::links::Input {
            config: &self.config,
            essays: &docs,
            hidden: unseen,
            drafts: visibility.drafts,
            tags: &tags,
            assets: &self.assets,
            pages: &targets,
        });
        // Each language takes its essays' and pages' share, in the order of `docs`.
        let mut resolved = std::mem::take(&mut links.resolved).into_iter();
        let mut backlinks = std::mem::take(&mut links.backlinks).into_iter();
        let mut take = |n: usize| {
            let taken: (Vec<_>, Vec<_>) = (0..n)
                .map(|_| {
                    let r = resolved.next().unwrap_or_default();
                    (r, backlinks.next().unwrap_or_default())
                })
                .unzip();
            taken
        };
        let own = (take(self.essays.len()), take(self.pages.len()));
        for edition in &mut self.editions {
            (edition.links.resolved, edition.links.backlinks) = take(edition.essays.len());
            (edition.links.pages, edition.links.page_backlinks) = take(edition.pages.len());
        }
        (links.resolved, links.backlinks) = own.0;
        (links.pages, links.page_backlinks) = own.1;
        self.links = links;
    }

    /// One language's site: its essays in reading order, its pages, sections, lists and tags.
    fn assemble(
        config: Config,
        essays: Vec<Arc<Essay>>,
        metas: Vec<Arc<SectionMeta>>,
        hidden: &[(Option<String>, String)],
        edition: Edition,
        assets: Vec<Asset>,
    ) -> Site {
        let root = metas.iter().find(|s| s.dir.is_empty()).cloned();
        // Files beside a root `_index.md` and in sections that are not rendered are pages.
        let mut of_pages: Vec<&str> = metas
            .iter()
            .filter(|s| !s.render)
            .map(|s| s.dir.as_str())
            .collect();
        // Only where the essays live in folders: a Zola blog whose posts sit beside its root
        // `_index.md` keeps them as essays.
        let nested = essays
            .iter()
            .any(|e| !e.dir.is_empty() && e.kind != Some(Kind::Page));
        if root.is_some() && nested {
            of_pages.push("");
        }
        let (mut pages, essays): (Vec<Arc<Essay>>, Vec<Arc<Essay>>) =
            essays.into_iter().partition(|e| match (&edition, e.kind) {
                (_, Some(kind)) => kind == Kind::Page,
                // A translation is what its original is.
                (Edition::Translation { originals, .. }, None)
                    if originals.contains_key(e.key.as_str()) =>
                {
                    originals[e.key.as_str()] == Kind::Page
                }
                _ => is_page(e, &of_pages),
            });
        pages.sort_by(|a, b| a.source.cmp(&b.source));
        // Dated before undated, newest first; then by title and file for a stable order. The
        // instants are worked out once, not at every comparison.
        let instants: Vec<_> = essays
            .iter()
            .map(|e| e.date.map(|d| (d.timestamp(), d.civil)))
            .collect();
        let mut order: Vec<usize> = (0..essays.len()).collect();
        // Unstable is enough: no two essays compare equal (their files differ).
        order.sort_unstable_by(|&a, &b| {
            instants[b]
                .is_some()
                .cmp(&instants[a].is_some())
                .then_with(|| instants[b].cmp(&instants[a]))
                .then_with(|| essays[a].title.cmp(&essays[b].title))
                .then_with(|| essays[a].source.cmp(&essays[b].source))
        });
        let essays: Vec<Arc<Essay>> = order.into_iter().map(|i| Arc::clone(&essays[i])).collect();
        let prefix = edition.prefix().to_string();
        let tags = group_tags(&essays, &config, &prefix);
        let series = group_series(&essays, &config, &prefix);
        let metas: Vec<Arc<SectionMeta>> = metas
            .into_iter()
            .filter(|s| {
                !s.dir.is_empty()
                    && s.render
                    && !hidden.iter().any(|(_, dir)| is_under(&s.dir, dir))
            })
            .collect();
        let sections = group_sections(&essays, metas, &config, &prefix);
        let home = essays
            .iter()
            .enumerate()
            .filter(|(_, e)| in_home(e, &sections))
            .map(|(i, _)| i)
            .collect();
        let menu = menu(&pages, &sections);
        Site {
            config,
            prefix,
            essays,
            pages,
            editions: Vec::new(),
            alternates: Arc::default(),
            home,
            sections,
            root,
            menu,
            tags,
            series,
            assets,
            bundle_dirs: BTreeSet::new(),
            links: Default::default(),
            related: Vec::new(),
        }
    }

    /// Every essay and page, in every language, for what covers them all (the sitemap,
    /// bundles' files, links).
    pub fn all_pages(&self) -> impl Iterator<Item = &Arc<Essay>> {
        let own = self.essays.iter().chain(&self.pages);
        own.chain(
            self.editions
                .iter()
                .flat_map(|e| e.essays.iter().chain(&e.pages)),
        )
    }

    /// Whether any of its essays has a date: only then are its lists grouped by year. Essays are
    /// sorted dated first, so the first tells.
    pub fn dated(&self) -> bool {
        self.essays.first().is_some_and(|e| e.date.is_some())
    }

    /// This site and its editions: every list vellum renders.
    pub fn with_editions(&self) -> impl Iterator<Item = &Site> {
        std::iter::once(self).chain(&self.editions)
    }
}

/// One language's texts and sections, as collected.
type Language = (Vec<Arc<Essay>>, Vec<Arc<SectionMeta>>);

/// Which language's site is being assembled.
enum Edition<'a> {
    /// The site's own language.
    Own,
    /// A language `[languages]` lists: its files go under `prefix`, and a translation that
    /// does not say what it is is what its original (by [`Essay::key`]) is.
    Translation {
        prefix: String,
        originals: &'a HashMap<&'a str, Kind>,
    },
}

impl Edition<'_> {
    fn prefix(&self) -> &str {
        match self {
            Edition::Own => "",
            Edition::Translation { prefix, .. } => prefix,
        }
    }
}

/// Every version of each text that has translations, by key: the site's own first, then by
/// language.
fn alternates(site: &Site, editions: &[Site]) -> Alternates {
    let mut alternates = Alternates::new();
    for edition in editions {
        for doc in edition.essays.iter().chain(&edition.pages) {
            alternates.entry(doc.key.clone()).or_default();
        }
    }
    if alternates.is_empty() {
        return alternates;
    }
    let version = |e: &Essay, lang: &str| Alternate {
        lang: lang.to_string(),
        title: e.title.clone(),
        url: e.shown.url.clone(),
    };
    for s in std::iter::once(site).chain(editions) {
        for doc in s.essays.iter().chain(&s.pages) {
            if let Some(versions) = alternates.get_mut(&doc.key) {
                versions.push(version(doc, &s.config.language));
            }
        }
    }
    alternates
}

/// Whether the folder `dir` is `section` or inside it.
fn is_under(dir: &str, section: &str) -> bool {
    dir.strip_prefix(section)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Whether an essay is a page: by its front matter, or when it says nothing, by its place: a
/// file in one of the folders `of_pages` (beside a root `_index.md`, as the root section's
/// pages are in Zola and Hugo sites: about, CV; or in a section that is not rendered).
fn is_page(essay: &Essay, of_pages: &[&str]) -> bool {
    match essay.kind {
        Some(kind) => kind == Kind::Page,
        None => of_pages.iter().any(|dir| {
            if dir.is_empty() {
                essay.dir.is_empty()
            } else {
                is_under(&essay.dir, dir)
            }
        }),
    }
}

/// The sections: every folder with an `_index.md`, and every top-level folder that holds
/// essays (Hugo's implicit sections), each with the essays under it. Linear in the essays:
/// each looks up the folders on its way up.
fn group_sections(
    essays: &[Arc<Essay>],
    metas: Vec<Arc<SectionMeta>>,
    config: &Config,
    prefix: &str,
) -> Vec<Section> {
    let mut dirs: BTreeMap<String, Option<Arc<SectionMeta>>> = BTreeMap::new();
    for meta in metas {
        dirs.insert(meta.dir.clone(), Some(meta));
    }
    for essay in essays {
        if let Some(top) = essay.dir.split('/').next().filter(|t| !t.is_empty()) {
            dirs.entry(top.to_string()).or_insert(None);
        }
    }
    let mut sections: Vec<Section> = dirs
        .into_iter()
        .map(|(dir, meta)| {
            let slugged: Vec<String> = dir.split('/').map(slugify_name).collect();
            let route = Route::folder(&format!("{prefix}{}", slugged.join("/")));
            let title = meta
                .as_ref()
                .and_then(|m| m.title.clone())
                .unwrap_or_else(|| title_of_folder(&dir));
            let paginate = meta
                .as_ref()
                .and_then(|m| m.paginate)
                .unwrap_or(config.paginate);
            Section {
                url: config.url(&route.path),
                dir,
                meta,
                title,
                route,
                essays: Vec::new(),
                subsections: Vec::new(),
                parent: None,
                paginate,
            }
        })
        .collect();
    let index: HashMap<String, usize> = sections
        .iter()
        .enumerate()
        .map(|(k, s)| (s.dir.clone(), k))
        .collect();
    let nearest = |dir: &str| -> Option<usize> {
        let mut dir = dir;
        loop {
            if let Some(&k) = index.get(dir) {
                return Some(k);
            }
            dir = &dir[..dir.rfind('/')?];
        }
    };
    for k in 0..sections.len() {
        let dir = sections[k].dir.clone();
        let parent = dir.rfind('/').and_then(|at| nearest(&dir[..at]));
        sections[k].parent = parent;
        if let Some(p) = parent {
            sections[p].subsections.push(k);
        }
    }
    // Essays are newest first; each joins its nearest section and every one above it.
    for (i, essay) in essays.iter().enumerate() {
        let mut at = (!essay.dir.is_empty())
            .then(|| nearest(&essay.dir))
            .flatten();
        while let Some(k) = at {
            sections[k].essays.push(i);
            at = sections[k].parent;
        }
    }
    for section in &mut sections {
        match section.meta.as_ref().map(|m| m.sort_by) {
            Some(SortBy::Title) => section
                .essays
                .sort_by(|&a, &b| essays[a].title.cmp(&essays[b].title).then(a.cmp(&b))),
            Some(SortBy::Weight) => section
                .essays
                .sort_by_key(|&i| (essays[i].weight.unwrap_or(i64::MAX), i)),
            Some(SortBy::Date) | None => {}
        }
    }
    sections
}

/// `notes-from-the-road` → `Notes from the road`, for a folder without an `_index.md`.
fn title_of_folder(dir: &str) -> String {
    let name = dir
        .rsplit('/')
        .next()
        .unwrap_or(dir)
        .replace(['-', '_'], " ");
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => dir.to_string(),
    }
}

/// Whether an essay is listed on the home page: not when a section it is in says
/// `in_home = false`.
fn in_home(essay: &Essay, sections: &[Section]) -> bool {
    !sections
        .iter()
        .any(|s| s.meta.as_ref().is_some_and(|m| !m.in_home) && is_under(&essay.dir, &s.dir))
}

/// The navigation: pages and sections that ask to be in it, by their order, then title.
fn menu(pages: &[Arc<Essay>], sections: &[Section]) -> Vec<MenuEntry> {
    let mut entries: Vec<(i64, MenuEntry)> = pages
        .iter()
        .filter_map(|p| {
            Some((
                p.menu?,
                MenuEntry {
                    title: p.title.clone(),
                    url: p.shown.url.clone(),
                },
            ))
        })
        .chain(sections.iter().filter_map(|s| {
            let order = crate::markers::menu_of(&s.meta.as_ref()?.extra)?;
            Some((
                order,
                MenuEntry {
                    title: s.title.clone(),
                    url: s.url.clone(),
                },
            ))
        }))
        .collect();
    entries.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.title.cmp(&y.title)));
    entries.into_iter().map(|(_, entry)| entry).collect()
}

fn group_series(essays: &[Arc<Essay>], config: &Config, prefix: &str) -> Vec<SeriesGroup> {
    let mut groups: BTreeMap<String, SeriesGroup> = BTreeMap::new();
    // Essays are newest first; walking backwards puts each series in reading order.
    for (index, essay) in essays.iter().enumerate().rev() {
        if let Some(name) = &essay.series {
            let slug = slugify(name);
            groups
                .entry(slug.clone())
                .or_insert_with(|| SeriesGroup {
                    name: name.clone(),
                    url: config.url(&format!("{prefix}series/{slug}/")),
                    slug,
                    essays: Vec::new(),
                })
                .essays
                .push(index);
        }
    }
    groups.into_values().collect()
}

fn group_tags(essays: &[Arc<Essay>], config: &Config, prefix: &str) -> Vec<TagGroup> {
    // Keyed by borrowed slugs: a large site has tens of thousands of tag uses and few tags.
    // Hashed while counting (tens of thousands of uses), sorted once at the end (few tags).
    let mut groups: rustc_hash::FxHashMap<&str, (&str, Vec<usize>)> = Default::default();
    for (index, essay) in essays.iter().enumerate() {
        for (name, slug) in essay.tags.iter().zip(&essay.tag_slugs) {
            groups
                .entry(slug.as_str())
                .or_insert_with(|| (name.as_str(), Vec::new()))
                .1
                .push(index);
        }
    }
    let mut groups: Vec<(&str, (&str, Vec<usize>))> = groups.into_iter().collect();
    groups.sort_unstable_by_key(|&(slug, _)| slug);
    groups
        .into_iter()
        .map(|(slug, (name, essays))| TagGroup {
            name: name.to_string(),
            slug: slug.to_string(),
            url: config.url(&format!("{prefix}tags/{slug}/")),
            feed_url: config
                .tag_feeds
                .has(name, slug)
                .then(|| config.url(&format!("{prefix}tags/{slug}/atom.xml"))),
            essays,
        })
        .collect()
}
