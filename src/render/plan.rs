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

/// Output path → fingerprint of its inputs. (Keyed with FxHash: a rebuild looks up every path
/// of a large site, and these keys are ours, not an attacker's.)
pub type Fingerprints = HashMap<String, u64, rustc_hash::FxBuildHasher>;

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
    Essay(usize),
    Template(&'static str),
    Stylesheet,
    Static,
    Asset(String),
}

impl Page {
    /// What produces this file, in words: `content/a.md`, `static file x.css`, ….
    pub fn origin(&self, site: &crate::site::Site) -> String {
        match &self.origin {
            Origin::Essay(i) => site.essays[*i].source.display().to_string(),
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
    List(ListJob),
    TagsIndex,
    Archive,
    Feed,
    Sitemap,
    Simple {
        template: &'static str,
        kind: &'static str,
    },
    Alias {
        essay: usize,
        alias: String,
    },
    Stylesheet,
    Static(String),
    Asset(PathBuf),
}

/// Page `n` of `total` of the home page (`tag: None`) or a tag's page: essays `range` of its
/// list.
#[derive(Debug, Clone)]
pub struct ListJob {
    pub tag: Option<usize>,
    pub n: usize,
    pub total: usize,
    pub range: Range<usize>,
}

impl Renderer<'_> {
    /// Every file of the site.
    pub(super) fn plan(&self) -> Vec<Page> {
        let site = self.site;
        let config = &site.config;
        let global = fingerprint(&(
            crate::program_identity(),
            self.theme.fingerprint,
            format!("{config:?}"),
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
        // An essay's resolved links are in its card: its page and its summary show them.
        let cards: Vec<u64> = site
            .essays
            .iter()
            .zip(&site.links.resolved)
            .map(|(essay, links)| {
                let tags: Vec<u64> = essay
                    .tag_slugs
                    .iter()
                    .filter_map(|slug| tag_index.get(slug.as_str()))
                    .map(|&t| tag_fps[t])
                    .collect();
                fingerprint(&(essay.fingerprint, tags, links))
            })
            .collect();
        // What the archive and the sitemap show of each essay: its title, address and dates.
        let entries: Vec<u64> = site
            .essays
            .iter()
            .map(|e| fingerprint(&(&e.title, &e.slug, e.date, e.updated)))
            .collect();
        let tag_slugs: Vec<&str> = site.tags.iter().map(|g| g.slug.as_str()).collect();
        let page = |path: String, origin: Origin, inputs: u64, job: Job| Page {
            path,
            origin,
            fingerprint: fingerprint(&(global, inputs)),
            job,
        };
        let mut pages = Vec::with_capacity(site.essays.len() + site.tags.len() + 16);

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
            ));
            pages.push(page(
                format!("{}/index.html", essay.slug),
                Origin::Essay(i),
                inputs,
                Job::Essay(i),
            ));
            for alias in &essay.aliases {
                let path = if alias.ends_with(".html") || alias.ends_with(".htm") {
                    alias.clone()
                } else {
                    format!("{alias}/index.html")
                };
                pages.push(page(
                    path,
                    Origin::Essay(i),
                    fingerprint(&("alias", alias, cards[i])),
                    Job::Alias {
                        essay: i,
                        alias: alias.clone(),
                    },
                ));
            }
        }

        let lists = std::iter::once((None, self.all.as_slice())).chain(
            site.tags
                .iter()
                .enumerate()
                .map(|(t, g)| (Some(t), g.essays.as_slice())),
        );
        for (tag, essays) in lists {
            let per_page = match config.paginate {
                0 => essays.len().max(1),
                n => n,
            };
            let total = essays.len().div_ceil(per_page).max(1);
            let dir = list_dir(&site.tags, tag);
            let template = if tag.is_some() {
                "tag.html"
            } else {
                "index.html"
            };
            for n in 1..=total {
                let range = (n - 1) * per_page..(n * per_page).min(essays.len());
                let shown: Vec<u64> = essays[range.clone()].iter().map(|&e| cards[e]).collect();
                let path = format!("{}index.html", page_dir(&dir, n));
                pages.push(page(
                    path,
                    Origin::Template(template),
                    fingerprint(&("list", tag.map(|t| tag_fps[t]), n, total, shown)),
                    Job::List(ListJob {
                        tag,
                        n,
                        total,
                        range,
                    }),
                ));
            }
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
                Job::Feed,
            ),
            (
                "sitemap.xml",
                "sitemap.xml",
                fingerprint(&(&entries, &tag_slugs)),
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
            Job::List(list) => self.list_page(list),
            Job::TagsIndex => self.tags_index(),
            Job::Archive => self.archive(),
            Job::Feed => self.feed(),
            Job::Sitemap => self.sitemap(),
            Job::Simple { template, kind } => self.simple(&page.path, template, kind),
            Job::Alias { essay, alias } => self.alias(*essay, alias, &page.path),
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
            .essays
            .iter()
            .filter_map(|e| Some((e.bundle.as_deref()?, e.slug.as_str())))
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
                        let slug = bundles.get(dir)?;
                        Path::new(slug).join(asset.rel.strip_prefix(dir).ok()?)
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
