//! Planning a render: every file the site will have, where it comes from, and a fingerprint of
//! everything that goes into it. Nothing is rendered here. A file whose fingerprint is the same
//! as at the last render (in watch mode) holds the same bytes, so it need not be rendered again;
//! that is how a rebuild after one saved essay renders a handful of pages, not ten thousand,
//! and still equals a clean build.
//!
//! A fingerprint covers what the page's template can see: the theme and configuration (one
//! global fingerprint: change a template and everything is rendered), and the essays shown,
//! each by the fingerprint of its source text and of its tags (names and counts).

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::{Renderer, list_dir, page_dir};
use crate::error::Result;
use crate::fingerprint;
use crate::markdown::highlight;
use crate::output::{Contents, OutputFile};
use crate::theme::StaticFile;

/// A file copied into the site: (output path, source, origin in words, size and time).
type Asset = (
    String,
    PathBuf,
    String,
    Option<(u64, Option<std::time::SystemTime>)>,
);

/// One file of the site, before rendering.
#[derive(Debug)]
pub struct Page {
    /// Relative to the output directory, `/`-separated.
    pub path: String,
    /// What produces it, for collision messages.
    origin: Origin,
    pub fingerprint: u64,
    pub job: Job,
    /// Which of the site's editions it belongs to: 0 for the site's own language, then
    /// `Site::editions` in order.
    pub edition: usize,
}

/// What produces a file; made into words only for a message (there are thousands of pages).
#[derive(Debug)]
enum Origin {
    Essay(Doc),
    Section(usize),
    Redirect(usize),
    Template(&'static str),
    Stylesheet,
    Static,
    Asset(String),
}

impl Page {
    /// What produces this file, in words: `content/a.md`, `static file x.css`, ….
    pub fn origin(&self, site: &crate::site::Site) -> String {
        match &self.origin {
            Origin::Essay(doc) => doc.of(site).source.display().to_string(),
            Origin::Section(k) => match &site.sections[*k].meta {
                Some(meta) => meta.source.display().to_string(),
                None => format!("the section list of content/{}/", site.sections[*k].dir),
            },
            Origin::Redirect(r) => format!(
                "[redirects] \"/{}\" in vellum.toml",
                site.config.redirects[*r].0.path
            ),
            Origin::Template(template) => format!("the page {template} renders at {}", self.path),
            Origin::Stylesheet => "generated stylesheet".to_string(),
            Origin::Static => format!("static file {}", self.path),
            Origin::Asset(rel) => rel.clone(),
        }
    }
}

#[derive(Debug)]
pub enum Job {
    Essay(usize),
    Page(usize),
    List(ListJob),
    TagsIndex,
    Archive,
    /// The site's feed (`Home`), a section's or a tag's.
    Feed(ListOf),
    Sitemap,
    Simple {
        template: &'static str,
        kind: &'static str,
    },
    Alias {
        doc: Doc,
        alias: String,
    },
    /// `[redirects]` entry `n`.
    Redirect(usize),
    Stylesheet,
    Static(String),
    Asset(PathBuf),
    /// A copy of an image file `width` pixels wide (`[images] widths`).
    Resized {
        from: PathBuf,
        width: u32,
    },
}

/// An essay or a page, by its index in `Site::essays` or `Site::pages`.
#[derive(Debug, Clone, Copy)]
pub enum Doc {
    Essay(usize),
    Page(usize),
}

impl Doc {
    pub fn of(self, site: &crate::site::Site) -> &crate::essay::Essay {
        match self {
            Doc::Essay(i) => &site.essays[i],
            Doc::Page(i) => &site.pages[i],
        }
    }
}

/// Which list a list page is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOf {
    Home,
    Tag(usize),
    Section(usize),
    Series(usize),
}

/// Page `n` of `total` of a list: essays `range` of it.
#[derive(Debug, Clone)]
pub struct ListJob {
    pub of: ListOf,
    pub n: usize,
    pub total: usize,
    pub range: Range<usize>,
}

/// What the archive and the sitemap show of each essay or page: its title, address and dates.
fn entries(essays: &[std::sync::Arc<crate::essay::Essay>]) -> Vec<u64> {
    essays
        .iter()
        .map(|e| fingerprint(&(&e.title, &e.route, e.date, e.updated)))
        .collect()
}

/// Whether a section with nothing in it gives way to the list vellum makes at its place: a
/// Zola site's `archive/_index.md`, which asks its theme for an archive page, describes
/// the archive vellum makes itself.
fn stands_aside(section: &crate::site::Section, prefix: &str) -> bool {
    let own = section.route.path.strip_prefix(prefix);
    section.essays.is_empty()
        && section.subsections.is_empty()
        && own.is_some_and(|own| own == "archive/" || own == "tags/")
}

impl<'a> Renderer<'a> {
    /// Every file of the site (of this language's edition: see [`Site::editions`]), as the
    /// list of what a site is made of.
    ///
    /// [`Site::editions`]: crate::site::Site::editions
    pub(super) fn plan(&self) -> Vec<Page> {
        let inputs = Inputs::of(self);
        let site = self.site;
        let mut pages = Vec::with_capacity(site.essays.len() + site.tags.len() + 16);
        inputs.texts(&mut pages); // essays, pages, their aliases, [redirects]
        inputs.lists(&mut pages); // the home page, tags' and sections' lists, page by page
        inputs.feeds(&mut pages); // the site's and each section's
        inputs.indexes(&mut pages); // the tag index and the archive
        if site.prefix.is_empty() {
            // Once for every language.
            inputs.site_files(&mut pages); // sitemap, robots.txt, 404, stylesheet
            inputs.copies(&mut pages); // static files and content's other files
        }
        pages
    }
}

/// What goes into this edition's pages, worked out once: each fingerprint below is part of
/// the fingerprints of the pages that show it.
struct Inputs<'r, 'a> {
    r: &'r Renderer<'a>,
    /// The theme, the configuration and the menu: in every page.
    global: u64,
    /// Each tag's name, slug and count.
    tags: Vec<u64>,
    /// Each essay as a card shows it: its text and its tags.
    cards: Vec<u64>,
    /// What a section's list shows besides its essays: itself, its subsections and the
    /// sections around it.
    sections: Vec<u64>,
    /// What the archive and the sitemap show of each essay: its title, address and dates.
    entries: Vec<u64>,
}

impl<'r, 'a> Inputs<'r, 'a> {
    fn of(r: &'r Renderer<'a>) -> Self {
        let site = r.site;
        let global = fingerprint(&(
            crate::program_identity(),
            r.theme.fingerprint,
            format!("{:?}", site.config),
            &site.prefix,
            &site.menu,
            // `site.dated`: whether lists have year headings.
            site.dated(),
        ));
        let tags: Vec<u64> = site
            .tags
            .iter()
            .map(|g| fingerprint(&(&g.name, &g.slug, g.essays.len())))
            .collect();
        let tag_index: HashMap<&str, usize> = site
            .tags
            .iter()
            .enumerate()
            .map(|(t, g)| (g.slug.as_str(), t))
            .collect();
        // An essay's resolved links are in its card: its page and its summary show them.
        let cards = site
            .essays
            .iter()
            .zip(&site.links.resolved)
            .map(|(essay, links)| {
                let own: Vec<u64> = essay
                    .tag_slugs
                    .iter()
                    .filter_map(|slug| tag_index.get(slug.as_str()))
                    .map(|&t| tags[t])
                    .collect();
                fingerprint(&(essay.fingerprint, own, links))
            })
            .collect();
        let sections = site
            .sections
            .iter()
            .map(|s| {
                let subsections: Vec<(&str, &str, usize)> = s
                    .subsections
                    .iter()
                    .map(|&c| {
                        let c = &site.sections[c];
                        (c.title.as_str(), c.url.as_str(), c.essays.len())
                    })
                    .collect();
                let mut ancestors = Vec::new();
                let mut up = s.parent;
                while let Some(p) = up {
                    ancestors.push((&site.sections[p].title, &site.sections[p].url));
                    up = site.sections[p].parent;
                }
                fingerprint(&(
                    s.meta.as_ref().map(|m| m.fingerprint),
                    &s.title,
                    &s.url,
                    subsections,
                    ancestors,
                ))
            })
            .collect();
        Inputs {
            r,
            global,
            tags,
            cards,
            sections,
            entries: entries(&site.essays),
        }
    }

    fn page(&self, path: String, origin: Origin, inputs: u64, job: Job) -> Page {
        Page {
            path,
            origin,
            fingerprint: fingerprint(&(self.global, inputs)),
            job,
            edition: 0,
        }
    }

    /// What an essay's page shows of its related essays: their titles, URLs and dates.
    fn related(&self, i: usize) -> Option<u64> {
        let site = self.r.site;
        let related = site.related.get(i)?;
        let shown: Vec<_> = related
            .iter()
            .map(|&j| {
                (
                    &site.essays[j].title,
                    &site.essays[j].shown.url,
                    &site.essays[j].shown.date,
                )
            })
            .collect();
        Some(fingerprint(&shown))
    }

    /// The other versions of a translated text, which its page links to.
    fn versions(&self, essay: &crate::essay::Essay) -> Option<u64> {
        self.r.site.alternates.get(&essay.key).map(fingerprint)
    }

    /// Each essay's and page's own page, their aliases, and `[redirects]`.
    fn texts(&self, pages: &mut Vec<Page>) {
        let site = self.r.site;
        let cards = &self.cards;
        for (i, essay) in site.essays.iter().enumerate() {
            let series = self.r.series_of[i].map(|s| {
                let parts: Vec<u64> = site.series[s].essays.iter().map(|&e| cards[e]).collect();
                (s, parts)
            });
            let inputs = fingerprint(&(
                "essay",
                cards[i],
                i.checked_sub(1).map(|j| cards[j]),
                cards.get(i + 1),
                series,
                self.versions(essay),
                &site.links.backlinks[i],
                self.related(i),
            ));
            pages.push(self.page(
                essay.route.file.clone(),
                Origin::Essay(Doc::Essay(i)),
                inputs,
                Job::Essay(i),
            ));
            self.aliases(pages, Doc::Essay(i), essay, cards[i]);
        }
        for (i, doc) in site.pages.iter().enumerate() {
            let inputs = fingerprint(&(
                "page",
                doc.fingerprint,
                self.versions(doc),
                &site.links.pages[i],
                &site.links.page_backlinks[i],
            ));
            pages.push(self.page(
                doc.route.file.clone(),
                Origin::Essay(Doc::Page(i)),
                inputs,
                Job::Page(i),
            ));
            self.aliases(pages, Doc::Page(i), doc, inputs);
        }
        if site.prefix.is_empty() {
            for (r, (from, to)) in site.config.redirects.iter().enumerate() {
                pages.push(self.page(
                    from.file.clone(),
                    Origin::Redirect(r),
                    fingerprint(&("redirect", from, to)),
                    Job::Redirect(r),
                ));
            }
        }
    }

    /// Redirect pages for an essay's or page's aliases.
    fn aliases(&self, pages: &mut Vec<Page>, doc: Doc, essay: &crate::essay::Essay, inputs: u64) {
        for alias in &essay.aliases {
            let path = if alias.ends_with(".html") || alias.ends_with(".htm") {
                alias.clone()
            } else {
                format!("{alias}/index.html")
            };
            pages.push(self.page(
                path,
                Origin::Essay(doc),
                fingerprint(&("alias", alias, inputs, &essay.shown.url)),
                Job::Alias {
                    doc,
                    alias: alias.clone(),
                },
            ));
        }
    }

    /// The home page's, each tag's, section's and series' list of essays, page by page.
    fn lists(&self, pages: &mut Vec<Page>) {
        let site = self.r.site;
        let lists = std::iter::once((ListOf::Home, site.home.as_slice()))
            .chain(
                site.tags
                    .iter()
                    .enumerate()
                    .map(|(t, g)| (ListOf::Tag(t), g.essays.as_slice())),
            )
            .chain(
                site.sections
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| !stands_aside(s, &site.prefix))
                    .map(|(k, s)| (ListOf::Section(k), s.essays.as_slice())),
            )
            .chain(
                site.series
                    .iter()
                    .enumerate()
                    .map(|(s, g)| (ListOf::Series(s), g.essays.as_slice())),
            );
        for (of, essays) in lists {
            let paginate = match of {
                ListOf::Section(k) => site.sections[k].paginate,
                _ => site.config.paginate,
            };
            let per_page = match paginate {
                0 => essays.len().max(1),
                n => n,
            };
            let total = essays.len().div_ceil(per_page).max(1);
            let dir = list_dir(site, of);
            let (template, own) = match of {
                ListOf::Home => ("index.html", 0),
                ListOf::Tag(t) => ("tag.html", self.tags[t]),
                ListOf::Section(k) => ("section.html", self.sections[k]),
                // Each page of a series' list says how many parts it has.
                ListOf::Series(s) => (
                    "series.html",
                    fingerprint(&(
                        &site.series[s].name,
                        &site.series[s].slug,
                        site.series[s].essays.len(),
                    )),
                ),
            };
            for n in 1..=total {
                let range = (n - 1) * per_page..(n * per_page).min(essays.len());
                let shown: Vec<u64> = essays[range.clone()]
                    .iter()
                    .map(|&e| self.cards[e])
                    .collect();
                let origin = match of {
                    ListOf::Section(k) => Origin::Section(k),
                    _ => Origin::Template(template),
                };
                pages.push(self.page(
                    format!("{}index.html", page_dir(&dir, n)),
                    origin,
                    fingerprint(&("list", template, own, n, total, shown)),
                    Job::List(ListJob {
                        of,
                        n,
                        total,
                        range,
                    }),
                ));
            }
        }
    }

    /// The feed of the newest essays, each section's (unless `[feeds] sections = false`) and
    /// each tag's that `[feeds] tags` asks for.
    fn feeds(&self, pages: &mut Vec<Page>) {
        let site = self.r.site;
        let config = &site.config;
        let newest = |essays: &[usize]| -> Vec<u64> {
            let count = config.feed_limit.min(essays.len());
            essays[..count].iter().map(|&e| self.cards[e]).collect()
        };
        let all: Vec<usize> = (0..site.essays.len()).collect();
        pages.push(self.page(
            format!("{}atom.xml", site.prefix),
            Origin::Template("atom.xml"),
            fingerprint(&("feed", newest(&all))),
            Job::Feed(ListOf::Home),
        ));
        for (k, section) in site.sections.iter().enumerate() {
            if section.essays.is_empty() || !config.section_feeds {
                continue;
            }
            pages.push(self.page(
                format!("{}atom.xml", section.route.path),
                Origin::Section(k),
                fingerprint(&("feed", self.sections[k], newest(&section.essays))),
                Job::Feed(ListOf::Section(k)),
            ));
        }
        for (t, tag) in site.tags.iter().enumerate() {
            if tag.feed_url.is_none() {
                continue;
            }
            pages.push(self.page(
                format!("{}atom.xml", list_dir(site, ListOf::Tag(t))),
                Origin::Template("atom.xml"),
                fingerprint(&("tag feed", self.tags[t], newest(&tag.essays))),
                Job::Feed(ListOf::Tag(t)),
            ));
        }
    }

    /// The tag index and the archive.
    fn indexes(&self, pages: &mut Vec<Page>) {
        let site = self.r.site;
        pages.push(self.page(
            format!("{}tags/index.html", site.prefix),
            Origin::Template("tags.html"),
            fingerprint(&self.tags),
            Job::TagsIndex,
        ));
        pages.push(self.page(
            format!("{}archive/index.html", site.prefix),
            Origin::Template("archive.html"),
            fingerprint(&self.entries),
            Job::Archive,
        ));
    }

    /// What a site has once, whatever its languages: the sitemap (of every language),
    /// robots.txt, the 404 page, the search page if asked for, and the code stylesheet.
    fn site_files(&self, pages: &mut Vec<Page>) {
        let sitemap: Vec<u64> = self
            .r
            .site
            .with_editions()
            .map(|s| {
                // The site's own essays' entries are worked out already.
                let essays = match s.prefix.is_empty() {
                    true => fingerprint(&self.entries),
                    false => fingerprint(&entries(&s.essays)),
                };
                let texts = (essays, entries(&s.pages));
                let sections: Vec<&str> = s.sections.iter().map(|k| k.url.as_str()).collect();
                let tags: Vec<&str> = s.tags.iter().map(|g| g.url.as_str()).collect();
                let series: Vec<&str> = s.series.iter().map(|g| g.url.as_str()).collect();
                fingerprint(&(texts, sections, tags, series))
            })
            .collect();
        pages.push(self.page(
            "sitemap.xml".to_string(),
            Origin::Template("sitemap.xml"),
            fingerprint(&sitemap),
            Job::Sitemap,
        ));
        // Pagefind's page: its script is on no other page.
        if self.r.site.config.pagefind {
            pages.push(self.page(
                format!("{}index.html", super::views::SEARCH_PAGE),
                Origin::Template("search.html"),
                0,
                Job::Simple {
                    template: "search.html",
                    kind: "search",
                },
            ));
        }
        for (path, kind) in [("robots.txt", "robots"), ("404.html", "404")] {
            // A site's own `static/robots.txt` or `404.html` (as Hugo and Jekyll sites have
            // them) takes the place of the generated one.
            if self.r.theme.static_files.contains_key(path) {
                continue;
            }
            pages.push(self.page(
                path.to_string(),
                Origin::Template(path),
                0,
                Job::Simple {
                    template: path,
                    kind,
                },
            ));
        }
        pages.push(self.page(
            highlight::STYLESHEET.to_string(),
            Origin::Stylesheet,
            fingerprint(highlight::stylesheet()),
            Job::Stylesheet,
        ));
    }

    /// Files copied as they are: the theme's and site's static files, and the files under
    /// `content/` that are not essays.
    fn copies(&self, pages: &mut Vec<Page>) {
        let theme = self.r.theme;
        for (name, hash) in &theme.asset_hashes {
            if theme.static_files.contains_key(name) {
                pages.push(self.page(
                    name.clone(),
                    Origin::Static,
                    fingerprint(hash),
                    Job::Static(name.clone()),
                ));
            }
        }
        let mut images = Vec::new();
        for (path, from, origin) in self.r.asset_targets() {
            // An asset is copied again when its size or modification time changes.
            let stamp = std::fs::metadata(&from)
                .ok()
                .map(|m| (m.len(), m.modified().ok()));
            images.push((path.clone(), from.clone(), origin.clone(), stamp));
            pages.push(self.page(
                path,
                Origin::Asset(origin),
                fingerprint(&(&from, stamp)),
                Job::Asset(from),
            ));
        }
        self.resized_copies(pages, images);
    }

    /// The resized copies of the site's images (`[images] widths`), beside each image, for
    /// the `srcset` rendering gives it (see `markdown::images`): the same rule, a copy at each
    /// width narrower than the image, decides both. A name the site already has is left to
    /// the site's file.
    fn resized_copies(&self, pages: &mut Vec<Page>, mut images: Vec<Asset>) {
        let widths = &self.r.site.config.images.widths;
        if widths.is_empty() {
            return;
        }
        let static_dir = self.r.site.config.static_dir();
        for (name, file) in &self.r.theme.static_files {
            // The site's `static/` only: essays' images are looked for there (not in a theme).
            if let StaticFile::Disk(from) = file
                && from.starts_with(&static_dir)
            {
                let stamp = std::fs::metadata(from)
                    .ok()
                    .map(|m| (m.len(), m.modified().ok()));
                images.push((name.clone(), from.clone(), format!("static/{name}"), stamp));
            }
        }
        images.retain(|(path, ..)| crate::images::resizable(path));
        let taken: std::collections::HashSet<String> =
            pages.iter().map(|p| p.path.clone()).collect();
        let mut copies = Vec::new();
        for (path, from, origin, stamp) in images {
            let Some((width, _)) = crate::images::dimensions(&from) else {
                continue;
            };
            for w in crate::images::copy_widths(widths, width) {
                let copy = crate::images::copy_name(&path, w);
                if taken.contains(&copy) {
                    continue;
                }
                copies.push(self.page(
                    copy,
                    Origin::Asset(format!("{origin}, {w} pixels wide")),
                    fingerprint(&(&from, stamp, w)),
                    Job::Resized {
                        from: from.clone(),
                        width: w,
                    },
                ));
            }
        }
        pages.extend(copies);
    }
}

impl Renderer<'_> {
    /// Renders (or reads) one planned file.
    pub(super) fn run(&self, page: &Page) -> Result<OutputFile> {
        match &page.job {
            Job::Essay(i) => self.essay(*i),
            Job::Page(i) => self.standalone(*i),
            Job::List(list) => self.list_page(list),
            Job::TagsIndex => self.tags_index(),
            Job::Archive => self.archive(),
            Job::Feed(of) => self.feed(*of),
            Job::Sitemap => self.sitemap(),
            Job::Simple { template, kind } => self.simple(&page.path, template, kind),
            Job::Alias { doc, alias } => {
                let doc = doc.of(self.site);
                self.redirect(alias, &doc.shown.url, &page.path, &doc.source)
            }
            Job::Redirect(r) => {
                let (from, to) = &self.site.config.redirects[*r];
                let to = if to.contains("://") {
                    to.clone()
                } else {
                    self.site.config.url(to)
                };
                self.redirect(&from.path, &to, &page.path, Path::new(""))
            }
            Job::Stylesheet => Ok(OutputFile::bytes(
                page.path.clone(),
                highlight::stylesheet().as_bytes().to_vec(),
                page.origin(self.site),
            )),
            Job::Static(name) => {
                let contents = match self.theme.static_files.get(name) {
                    Some(StaticFile::Embedded(bytes)) => Contents::Bytes(bytes.to_vec()),
                    Some(StaticFile::Disk(path)) => Contents::Copy(path.clone()),
                    None => Contents::Bytes(Vec::new()),
                };
                Ok(OutputFile {
                    path: page.path.clone(),
                    contents,
                    origin: page.origin(self.site),
                    template: None,
                })
            }
            Job::Asset(from) => Ok(OutputFile {
                path: page.path.clone(),
                contents: Contents::Copy(from.clone()),
                origin: page.origin(self.site),
                template: None,
            }),
            Job::Resized { from, width } => Ok(OutputFile {
                path: page.path.clone(),
                // An image that cannot be decoded is copied whole: its `srcset` still
                // leads to it.
                contents: crate::images::resize::copy(&self.site.config.root, from, *width)
                    .map_or_else(|| Contents::Copy(from.clone()), Contents::Bytes),
                origin: page.origin(self.site),
                template: None,
            }),
        }
    }

    /// Files under `content/`, as (output path, source, origin): beside their page for
    /// bundles, at the same path otherwise. A draft bundle's files stay out with it.
    fn asset_targets(&self) -> Vec<(String, PathBuf, String)> {
        let site = self.site;
        // A bundle's files go beside its page, and beside each of its translations.
        let mut bundles: HashMap<&Path, Vec<&str>> = HashMap::new();
        for doc in site.all_pages() {
            if let Some(dir) = doc.bundle.as_deref() {
                bundles
                    .entry(dir)
                    .or_default()
                    .push(doc.route.folder_of_file());
            }
        }
        let mut targets = Vec::with_capacity(site.assets.len());
        for asset in &site.assets {
            let bundle = asset
                .rel
                .ancestors()
                .skip(1)
                .find(|dir| site.bundle_dirs.contains(*dir));
            let folders: Vec<PathBuf> = match bundle {
                Some(dir) => {
                    let Ok(inside) = asset.rel.strip_prefix(dir) else {
                        continue;
                    };
                    bundles
                        .get(dir)
                        .into_iter()
                        .flatten()
                        .map(|folder| Path::new(folder).join(inside))
                        .collect()
                }
                None => vec![asset.rel.clone()],
            };
            for target in folders {
                let path = target
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                targets.push((
                    path,
                    asset.from.clone(),
                    format!("content/{}", asset.rel.display()),
                ));
            }
        }
        targets
    }
}
