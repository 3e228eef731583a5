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

/// One file of the site, before rendering.
#[derive(Debug)]
pub struct Page {
    /// Relative to the output directory, `/`-separated.
    pub path: String,
    /// What produces it, for collision messages.
    origin: Origin,
    pub fingerprint: u64,
    pub job: Job,
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
    Translation(usize),
    List(ListJob),
    TagsIndex,
    Archive,
    /// The site's feed (`None`) or a section's.
    Feed(Option<usize>),
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
}

/// An essay or a page, by its index in `Site::essays` or `Site::pages`.
#[derive(Debug, Clone, Copy)]
pub enum Doc {
    Essay(usize),
    Page(usize),
    Translation(usize),
}

impl Doc {
    pub fn of(self, site: &crate::site::Site) -> &crate::essay::Essay {
        match self {
            Doc::Essay(i) => &site.essays[i],
            Doc::Page(i) => &site.pages[i],
            Doc::Translation(i) => &site.translated[i].0,
        }
    }
}

/// Which list a list page is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOf {
    Home,
    Tag(usize),
    Section(usize),
}

/// Page `n` of `total` of a list: essays `range` of it.
#[derive(Debug, Clone)]
pub struct ListJob {
    pub of: ListOf,
    pub n: usize,
    pub total: usize,
    pub range: Range<usize>,
}

/// Whether a section with nothing in it gives way to the list vellum makes at its place: a
/// Zola site's `archive/_index.md`, which asks its theme for an archive page, describes
/// the archive vellum makes itself.
fn stands_aside(section: &crate::site::Section) -> bool {
    section.essays.is_empty()
        && section.subsections.is_empty()
        && ["archive/", "tags/"].contains(&section.route.path.as_str())
}

/// Redirect pages for an essay's or page's aliases.
fn push_aliases(
    pages: &mut Vec<Page>,
    page: &dyn Fn(String, Origin, u64, Job) -> Page,
    doc: Doc,
    essay: &crate::essay::Essay,
    inputs: u64,
) {
    for alias in &essay.aliases {
        let path = if alias.ends_with(".html") || alias.ends_with(".htm") {
            alias.clone()
        } else {
            format!("{alias}/index.html")
        };
        pages.push(page(
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

impl Renderer<'_> {
    /// Every file of the site.
    pub(super) fn plan(&self) -> Vec<Page> {
        let site = self.site;
        let config = &site.config;
        // The menu is in every page's header.
        let global = fingerprint(&(
            crate::program_identity(),
            self.theme.fingerprint,
            format!("{config:?}"),
            &site.menu,
        ));
        let tag_fps: Vec<u64> = site
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
        let cards: Vec<u64> = site
            .essays
            .iter()
            .map(|essay| {
                let tags: Vec<u64> = essay
                    .tag_slugs
                    .iter()
                    .filter_map(|slug| tag_index.get(slug.as_str()))
                    .map(|&t| tag_fps[t])
                    .collect();
                fingerprint(&(essay.fingerprint, tags))
            })
            .collect();
        // What the archive and the sitemap show of each essay: its title, address and dates.
        let entries: Vec<u64> = site
            .essays
            .iter()
            .map(|e| fingerprint(&(&e.title, &e.route, e.date, e.updated)))
            .collect();
        let page_entries: Vec<u64> = site
            .pages
            .iter()
            .chain(site.translated.iter().map(|(t, _)| t))
            .map(|e| fingerprint(&(&e.route, e.date, e.updated)))
            .collect();
        let section_urls: Vec<&str> = site.sections.iter().map(|s| s.url.as_str()).collect();
        let tag_slugs: Vec<&str> = site.tags.iter().map(|g| g.slug.as_str()).collect();
        let page = |path: String, origin: Origin, inputs: u64, job: Job| Page {
            path,
            origin,
            fingerprint: fingerprint(&(global, inputs)),
            job,
        };
        let mut pages = Vec::with_capacity(site.essays.len() + site.tags.len() + 16);

        // The other versions of a translated text, which its page links to.
        let versions = |e: &crate::essay::Essay| site.alternates.get(&e.key).map(fingerprint);
        for (i, essay) in site.essays.iter().enumerate() {
            let series = self.series_of[i].map(|s| {
                let parts: Vec<u64> = site.series[s].essays.iter().map(|&e| cards[e]).collect();
                (s, parts)
            });
            let inputs = fingerprint(&(
                "essay",
                cards[i],
                i.checked_sub(1).map(|j| cards[j]),
                cards.get(i + 1),
                series,
                versions(essay),
            ));
            pages.push(page(
                essay.route.file.clone(),
                Origin::Essay(Doc::Essay(i)),
                inputs,
                Job::Essay(i),
            ));
            push_aliases(&mut pages, &page, Doc::Essay(i), essay, cards[i]);
        }
        for (i, doc) in site.pages.iter().enumerate() {
            let inputs = fingerprint(&("page", doc.fingerprint, versions(doc)));
            pages.push(page(
                doc.route.file.clone(),
                Origin::Essay(Doc::Page(i)),
                inputs,
                Job::Page(i),
            ));
            push_aliases(&mut pages, &page, Doc::Page(i), doc, inputs);
        }
        for (i, (doc, kind)) in site.translated.iter().enumerate() {
            let inputs = fingerprint(&("translation", doc.fingerprint, kind, versions(doc)));
            pages.push(page(
                doc.route.file.clone(),
                Origin::Essay(Doc::Translation(i)),
                inputs,
                Job::Translation(i),
            ));
            push_aliases(&mut pages, &page, Doc::Translation(i), doc, inputs);
        }
        for (r, (from, to)) in config.redirects.iter().enumerate() {
            pages.push(page(
                from.file.clone(),
                Origin::Redirect(r),
                fingerprint(&("redirect", from, to)),
                Job::Redirect(r),
            ));
        }

        // What a section's list shows besides its essays: itself, its subsections and the
        // sections around it.
        let section_fps: Vec<u64> = site
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
                    .filter(|(_, s)| !stands_aside(s))
                    .map(|(k, s)| (ListOf::Section(k), s.essays.as_slice())),
            );
        for (of, essays) in lists {
            let paginate = match of {
                ListOf::Section(k) => site.sections[k].paginate,
                _ => config.paginate,
            };
            let per_page = match paginate {
                0 => essays.len().max(1),
                n => n,
            };
            let total = essays.len().div_ceil(per_page).max(1);
            let dir = list_dir(site, of);
            let (template, own) = match of {
                ListOf::Home => ("index.html", 0),
                ListOf::Tag(t) => ("tag.html", tag_fps[t]),
                ListOf::Section(k) => ("section.html", section_fps[k]),
            };
            for n in 1..=total {
                let range = (n - 1) * per_page..(n * per_page).min(essays.len());
                let shown: Vec<u64> = essays[range.clone()].iter().map(|&e| cards[e]).collect();
                let path = format!("{}index.html", page_dir(&dir, n));
                let origin = match of {
                    ListOf::Section(k) => Origin::Section(k),
                    _ => Origin::Template(template),
                };
                pages.push(page(
                    path,
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
        for (k, section) in site.sections.iter().enumerate() {
            if section.essays.is_empty() {
                continue;
            }
            let count = config.feed_limit.min(section.essays.len());
            let shown: Vec<u64> = section.essays[..count].iter().map(|&e| cards[e]).collect();
            pages.push(page(
                format!("{}atom.xml", section.route.path),
                Origin::Section(k),
                fingerprint(&("feed", section_fps[k], shown)),
                Job::Feed(Some(k)),
            ));
        }

        let feed_count = config.feed_limit.min(site.essays.len());
        let fixed: [(&str, &'static str, u64, Job); 7] = [
            (
                "tags/index.html",
                "tags.html",
                fingerprint(&tag_fps),
                Job::TagsIndex,
            ),
            (
                "archive/index.html",
                "archive.html",
                fingerprint(&entries),
                Job::Archive,
            ),
            (
                "atom.xml",
                "atom.xml",
                fingerprint(&cards[..feed_count]),
                Job::Feed(None),
            ),
            (
                "sitemap.xml",
                "sitemap.xml",
                fingerprint(&(&entries, &tag_slugs, &page_entries, &section_urls)),
                Job::Sitemap,
            ),
            (
                "robots.txt",
                "robots.txt",
                0,
                Job::Simple {
                    template: "robots.txt",
                    kind: "robots",
                },
            ),
            (
                "404.html",
                "404.html",
                0,
                Job::Simple {
                    template: "404.html",
                    kind: "404",
                },
            ),
            (
                highlight::STYLESHEET,
                "",
                fingerprint(highlight::stylesheet()),
                Job::Stylesheet,
            ),
        ];
        for (path, template, inputs, job) in fixed {
            // A site's own `static/robots.txt` or `404.html` (as Hugo and Jekyll sites have
            // them) takes the place of the generated one.
            if matches!(job, Job::Simple { .. }) && self.theme.static_files.contains_key(path) {
                continue;
            }
            let origin = if template.is_empty() {
                Origin::Stylesheet
            } else {
                Origin::Template(template)
            };
            pages.push(page(path.to_string(), origin, inputs, job));
        }

        for (name, hash) in &self.theme.asset_hashes {
            if self.theme.static_files.contains_key(name) {
                pages.push(page(
                    name.clone(),
                    Origin::Static,
                    fingerprint(hash),
                    Job::Static(name.clone()),
                ));
            }
        }
        for (path, from, origin) in self.asset_targets() {
            // An asset is copied again when its size or modification time changes.
            let stamp = std::fs::metadata(&from)
                .ok()
                .map(|m| (m.len(), m.modified().ok()));
            pages.push(page(
                path,
                Origin::Asset(origin),
                fingerprint(&(&from, stamp)),
                Job::Asset(from),
            ));
        }
        pages
    }

    /// Renders (or reads) one planned file.
    pub(super) fn run(&self, page: &Page) -> Result<OutputFile> {
        match &page.job {
            Job::Essay(i) => self.essay(*i),
            Job::Page(i) => self.standalone(&self.site.pages[*i], "page.html"),
            Job::Translation(i) => {
                let (doc, kind) = &self.site.translated[*i];
                let template = match kind {
                    crate::markers::Kind::Page => "page.html",
                    crate::markers::Kind::Essay => "essay.html",
                };
                self.standalone(doc, template)
            }
            Job::List(list) => self.list_page(list),
            Job::TagsIndex => self.tags_index(),
            Job::Archive => self.archive(),
            Job::Feed(section) => self.feed(*section),
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
        }
    }

    /// Files under `content/`, as (output path, source, origin): beside their page for
    /// bundles, at the same path otherwise. A draft bundle's files stay out with it.
    fn asset_targets(&self) -> Vec<(String, PathBuf, String)> {
        let site = self.site;
        let bundles: HashMap<&Path, &str> = site
            .all_pages()
            .filter_map(|e| Some((e.bundle.as_deref()?, e.route.folder_of_file())))
            .collect();
        site.assets
            .iter()
            .filter_map(|asset| {
                let bundle = asset
                    .rel
                    .ancestors()
                    .skip(1)
                    .find(|dir| site.bundle_dirs.contains(*dir));
                let target: PathBuf = match bundle {
                    Some(dir) => {
                        let folder = bundles.get(dir)?;
                        Path::new(folder).join(asset.rel.strip_prefix(dir).ok()?)
                    }
                    None => asset.rel.clone(),
                };
                let path = target
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                Some((
                    path,
                    asset.from.clone(),
                    format!("content/{}", asset.rel.display()),
                ))
            })
            .collect()
    }
}
