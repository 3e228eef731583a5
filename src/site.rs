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
    /// Translations into the languages `[languages]` lists, each with what its text is (an
    /// essay or a page, as the original is), by source file. Built under `/<lang>/`, listed
    /// nowhere in the site's own language.
    pub translated: Vec<(Arc<Essay>, Kind)>,
    /// Every version of each text that has translations, by [`Essay::key`]: the site's own
    /// language first, then by language.
    pub alternates: Alternates,
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
    pub essays: Vec<usize>,
}

/// The essays of one series, as indices into `Site::essays`, in reading order: oldest first.
#[derive(Debug, Clone)]
pub struct SeriesGroup {
    pub name: String,
    pub slug: String,
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
    pub fn collect(
        config: Config,
        essays: Vec<Arc<Essay>>,
        sections: Vec<Arc<SectionMeta>>,
        assets: Vec<Asset>,
        visibility: &Visibility,
    ) -> Site {
        // A hidden bundle's files are left out with it rather than copied loose.
        let bundle_dirs = essays.iter().filter_map(|e| e.bundle.clone()).collect();
        // A draft section hides everything in it.
        let hidden: Vec<String> = sections
            .iter()
            .filter(|s| s.draft && !visibility.drafts && !s.dir.is_empty())
            .map(|s| s.dir.clone())
            .collect();
        let root = sections
            .iter()
            .find(|s| s.dir.is_empty() && s.lang.is_none())
            .cloned();
        // Files beside a root `_index.md` and in sections that are not rendered are pages.
        let mut of_pages: Vec<&str> = sections
            .iter()
            .filter(|s| !s.render && s.lang.is_none())
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
        let (translations, essays): (Vec<Arc<Essay>>, Vec<Arc<Essay>>) = essays
            .into_iter()
            .filter(|e| visibility.shows(e) && !hidden.iter().any(|dir| is_under(&e.dir, dir)))
            .partition(|e| e.lang.is_some());
        let (mut pages, essays): (Vec<Arc<Essay>>, Vec<Arc<Essay>>) =
            essays.into_iter().partition(|e| is_page(e, &of_pages));
        pages.sort_by(|a, b| a.source.cmp(&b.source));
        let (translated, alternates) = translations_of(translations, &essays, &pages, &config);
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
        let tags = group_tags(&essays, &config);
        let series = group_series(&essays);
        // A translated `_index.md` describes a list in its language, which is not built.
        let metas: Vec<Arc<SectionMeta>> = sections
            .into_iter()
            .filter(|s| {
                !s.dir.is_empty()
                    && s.render
                    && s.lang.is_none()
                    && !hidden.iter().any(|dir| is_under(&s.dir, dir))
            })
            .collect();
        let sections = group_sections(&essays, metas, &config);
        let home = essays
            .iter()
            .enumerate()
            .filter(|(_, e)| in_home(e, &sections))
            .map(|(i, _)| i)
            .collect();
        let menu = menu(&pages, &sections);
        Site {
            config,
            essays,
            pages,
            translated,
            alternates,
            home,
            sections,
            root,
            menu,
            tags,
            series,
            assets,
            bundle_dirs,
        }
    }

    /// Every essay, page and translation, for what covers them all (the sitemap, bundles'
    /// files, links).
    pub fn all_pages(&self) -> impl Iterator<Item = &Arc<Essay>> {
        self.essays
            .iter()
            .chain(&self.pages)
            .chain(self.translated.iter().map(|(t, _)| t))
    }
}

/// Translations, each as an essay or a page as its original is (or as its own front matter
/// says), and every version of each translated text, by key.
fn translations_of(
    mut translations: Vec<Arc<Essay>>,
    essays: &[Arc<Essay>],
    pages: &[Arc<Essay>],
    config: &Config,
) -> (Vec<(Arc<Essay>, Kind)>, Alternates) {
    if translations.is_empty() {
        return Default::default();
    }
    translations.sort_by(|a, b| a.source.cmp(&b.source));
    let originals: HashMap<&str, (&Essay, Kind)> = essays
        .iter()
        .map(|e| (e.key.as_str(), (e.as_ref(), Kind::Essay)))
        .chain(
            pages
                .iter()
                .map(|p| (p.key.as_str(), (p.as_ref(), Kind::Page))),
        )
        .collect();
    let version = |e: &Essay, lang: &str| Alternate {
        lang: lang.to_string(),
        title: e.title.clone(),
        url: e.shown.url.clone(),
    };
    let mut alternates = Alternates::new();
    let translated = translations
        .into_iter()
        .map(|t| {
            let original = originals.get(t.key.as_str());
            let versions = alternates.entry(t.key.clone()).or_insert_with(|| {
                original
                    .map(|(e, _)| vec![version(e, &config.language)])
                    .unwrap_or_default()
            });
            versions.push(version(&t, t.lang.as_deref().unwrap_or_default()));
            let kind = t
                .kind
                .or(original.map(|(_, kind)| *kind))
                .unwrap_or(Kind::Essay);
            (t, kind)
        })
        .collect();
    (translated, alternates)
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
            let route = Route::folder(
                &dir.split('/')
                    .map(slugify_name)
                    .collect::<Vec<_>>()
                    .join("/"),
            );
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

fn group_series(essays: &[Arc<Essay>]) -> Vec<SeriesGroup> {
    let mut groups: BTreeMap<String, SeriesGroup> = BTreeMap::new();
    // Essays are newest first; walking backwards puts each series in reading order.
    for (index, essay) in essays.iter().enumerate().rev() {
        if let Some(name) = &essay.series {
            let slug = slugify(name);
            groups
                .entry(slug.clone())
                .or_insert_with(|| SeriesGroup {
                    name: name.clone(),
                    slug,
                    essays: Vec::new(),
                })
                .essays
                .push(index);
        }
    }
    groups.into_values().collect()
}

fn group_tags(essays: &[Arc<Essay>], config: &Config) -> Vec<TagGroup> {
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
            url: config.url(&format!("tags/{slug}/")),
            essays,
        })
        .collect()
}
