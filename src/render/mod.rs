//! Rendering: a [`Site`] and a [`Theme`] become every file of the site, in memory
//! ([`OutputFile`]s). Nothing here touches the output directory; `output::write` does that
//! once everything has rendered, so a failed build leaves the previous site as it was.

pub mod urls;
pub mod views;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::Context;

use crate::error::{Error, Result};
use crate::markdown::{footnotes, highlight};
use crate::output::{Contents, OutputFile};
use crate::site::Site;
use crate::theme::{StaticFile, Theme};
use views::{
    EssayCard, EssayPage, Pagination, SeriesPart, SeriesView, SiteView, SitemapEntry, TagView,
    ThemeView,
};

/// Renders the whole site.
pub fn render(site: &Site, theme: &mut Theme) -> Result<Vec<OutputFile>> {
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

    let essay_pages: Vec<Result<OutputFile>> = (0..site.essays.len())
        .into_par_iter()
        .map(|i| r.essay(i))
        .collect();
    let mut results = essay_pages;
    results.extend(r.list_pages(
        "",
        "index.html",
        None,
        &(0..site.essays.len()).collect::<Vec<_>>(),
    ));
    for group in &site.tags {
        let tag = TagView::new(group, &site.config);
        let dir = format!("tags/{}/", group.slug);
        results.extend(r.list_pages(&dir, "tag.html", Some(&tag), &group.essays));
    }
    results.push(r.tags_index());
    results.push(r.archive());
    results.push(r.feed());
    results.push(r.sitemap());
    results.push(r.simple("robots.txt", "robots.txt", "robots"));
    results.push(r.simple("404.html", "404.html", "404"));
    results.extend(r.aliases());

    let mut files = Vec::with_capacity(results.len() + site.assets.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(e) => errors.push(e),
        }
    }
    if let Some(error) = Error::collect(dedupe(errors)) {
        return Err(error);
    }
    files.push(OutputFile::bytes(
        highlight::STYLESHEET,
        highlight::stylesheet().as_bytes().to_vec(),
        "generated stylesheet",
    ));
    files.extend(static_files(theme));
    files.extend(assets(site));
    check_collisions(&mut files)?;
    Ok(files)
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
    cards: Vec<EssayCard<'a>>,
    /// For each essay, the index of its series in `site.series`.
    series_of: Vec<Option<usize>>,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, theme: &'a Theme) -> Self {
        let tags: BTreeMap<&str, TagView<'a>> = site
            .tags
            .iter()
            .map(|g| (g.slug.as_str(), TagView::new(g, &site.config)))
            .collect();
        let cards = site
            .essays
            .par_iter()
            .map(|essay| {
                let essay_tags = essay
                    .tags
                    .iter()
                    .filter_map(|t| tags.get(crate::slugs::slugify(t).as_str()).cloned())
                    .collect();
                EssayCard::new(essay, &site.config, essay_tags)
            })
            .collect();
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
            series_of,
        }
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
        template: &str,
        context: &Context,
        origin: &Path,
    ) -> Result<OutputFile> {
        let essay = (!origin.as_os_str().is_empty()).then_some(origin);
        let html = self.theme.render(template, context, essay)?;
        let origin = match essay {
            Some(source) => source.display().to_string(),
            None => format!("the page {template} renders at {path}"),
        };
        Ok(OutputFile::bytes(path, html.into_bytes(), origin))
    }

    fn essay(&self, i: usize) -> Result<OutputFile> {
        let essay = &self.site.essays[i];
        let dir = format!("{}/", essay.slug);
        let mut context = self.context(&dir, "essay");
        let mut page = EssayPage::new(essay, &self.cards[i]);
        page.series = self.series_of[i].map(|s| self.series_view(s, i));
        context.insert("essay", &page);
        context.insert("newer", &i.checked_sub(1).map(|j| &self.cards[j]));
        context.insert("older", &self.cards.get(i + 1));
        self.page(
            format!("{dir}index.html"),
            "essay.html",
            &context,
            &essay.source,
        )
    }

    /// The home page or a tag page, split into pages of `paginate` essays.
    fn list_pages(
        &self,
        dir: &str,
        template: &str,
        tag: Option<&TagView>,
        essays: &[usize],
    ) -> Vec<Result<OutputFile>> {
        let per_page = match self.site.config.paginate {
            0 => essays.len().max(1),
            n => n,
        };
        let chunks: Vec<&[usize]> = if essays.is_empty() {
            vec![&[]]
        } else {
            essays.chunks(per_page).collect()
        };
        let page_dir = |n: usize| match n {
            1 => dir.to_string(),
            n => format!("{dir}page/{n}/"),
        };
        let total = chunks.len();
        chunks
            .par_iter()
            .enumerate()
            .map(|(index, chunk)| {
                let n = index + 1;
                let path = page_dir(n);
                let kind = if tag.is_some() { "tag" } else { "home" };
                let mut context = self.context(&path, kind);
                let cards: Vec<&EssayCard> = chunk.iter().map(|&i| &self.cards[i]).collect();
                context.insert("years", &views::years(&cards));
                context.insert("essays", &cards);
                context.insert(
                    "pagination",
                    &Pagination {
                        current: n,
                        total,
                        prev_url: (n > 1).then(|| self.site.config.url(&page_dir(n - 1))),
                        next_url: (n < total).then(|| self.site.config.url(&page_dir(n + 1))),
                    },
                );
                if let Some(tag) = tag {
                    context.insert("tag", tag);
                }
                self.page(
                    format!("{path}index.html"),
                    template,
                    &context,
                    Path::new(""),
                )
            })
            .collect()
    }

    fn tags_index(&self) -> Result<OutputFile> {
        let mut context = self.context("tags/", "tags");
        let tags: Vec<TagView> = self
            .site
            .tags
            .iter()
            .map(|g| TagView::new(g, &self.site.config))
            .collect();
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
                let html = footnotes::for_feed(&self.site.essays[i].body.html);
                urls::absolutize(&html, &self.cards[i].url)
            })
            .collect();
        let entries: Vec<EssayPage> = (0..count)
            .map(|i| EssayPage {
                content: &contents[i],
                ..EssayPage::new(&self.site.essays[i], &self.cards[i])
            })
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
        let newest = self.cards.first().and_then(|c| c.date.clone());
        let mut entries = vec![SitemapEntry {
            loc: config.url(""),
            lastmod: newest,
        }];
        entries.extend(self.cards.iter().map(|card| SitemapEntry {
            loc: card.url.clone(),
            lastmod: card.updated.clone().or(card.date.clone()),
        }));
        if !self.site.tags.is_empty() {
            entries.push(SitemapEntry {
                loc: config.url("tags/"),
                lastmod: None,
            });
        }
        entries.extend(self.site.tags.iter().map(|g| SitemapEntry {
            loc: config.url(&format!("tags/{}/", g.slug)),
            lastmod: None,
        }));
        let mut context = self.context("sitemap.xml", "sitemap");
        context.insert("entries", &entries);
        self.page("sitemap.xml".into(), "sitemap.xml", &context, Path::new(""))
    }

    fn simple(&self, path: &str, template: &str, kind: &str) -> Result<OutputFile> {
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
        let cards: Vec<&EssayCard> = self.cards.iter().collect();
        context.insert("years", &views::years(&cards));
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
                    title: self.cards[e].title,
                    url: &self.cards[e].url,
                    current: e == i,
                })
                .collect(),
            prev: position
                .checked_sub(1)
                .and_then(|p| group.essays.get(p))
                .map(|&e| &self.cards[e]),
            next: group.essays.get(position + 1).map(|&e| &self.cards[e]),
        }
    }

    /// A redirect page at each alias.
    fn aliases(&self) -> Vec<Result<OutputFile>> {
        let mut out = Vec::new();
        for (essay, card) in self.site.essays.iter().zip(&self.cards) {
            for alias in &essay.aliases {
                let path = if alias.ends_with(".html") || alias.ends_with(".htm") {
                    alias.clone()
                } else {
                    format!("{alias}/index.html")
                };
                let mut context = self.context(alias, "alias");
                context.insert("target", &card.url);
                out.push(self.page(path, "alias.html", &context, &essay.source));
            }
        }
        out
    }
}

fn static_files(theme: &Theme) -> Vec<OutputFile> {
    theme
        .static_files
        .iter()
        .map(|(name, file)| {
            let contents = match file {
                StaticFile::Embedded(bytes) => Contents::Bytes(bytes.to_vec()),
                StaticFile::Disk(path) => Contents::Copy(path.clone()),
            };
            OutputFile {
                path: name.clone(),
                contents,
                origin: format!("static file {name}"),
            }
        })
        .collect()
}

/// Files under `content/`: beside their page for bundles, at the same path otherwise. A draft
/// bundle's files stay out with it.
fn assets(site: &Site) -> Vec<OutputFile> {
    let bundles: BTreeMap<&Path, &str> = site
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
            Some(OutputFile {
                path,
                contents: Contents::Copy(asset.from.clone()),
                origin: format!("content/{}", asset.rel.display()),
            })
        })
        .collect()
}

/// Two sources writing the same file is an error naming both.
fn check_collisions(files: &mut [OutputFile]) -> Result<()> {
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut errors: Vec<Error> = files
        .windows(2)
        .filter(|pair| pair[0].path == pair[1].path)
        .map(|pair| Error::Collision {
            first: pair[0].origin.clone(),
            second: pair[1].origin.clone(),
            output: pair[0].path.clone(),
        })
        .collect();
    // A file at `now` and a page at `now/index.html` cannot both exist on disk; catch it here,
    // before writing, rather than half-way through the write.
    let by_path: std::collections::HashMap<&str, &str> = files
        .iter()
        .map(|f| (f.path.as_str(), f.origin.as_str()))
        .collect();
    for file in files.iter() {
        let folders = file.path.match_indices('/').map(|(i, _)| &file.path[..i]);
        if let Some((folder, origin)) = folders
            .filter_map(|folder| by_path.get(folder).map(|origin| (folder, *origin)))
            .next()
        {
            errors.push(Error::FileOverFolder {
                file: origin.to_string(),
                inside: file.origin.clone(),
                path: folder.to_string(),
            });
        }
    }
    match Error::collect(errors) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}
