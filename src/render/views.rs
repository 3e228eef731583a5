//! The template context: plain structs that borrow from the [`Site`](crate::site::Site) and
//! serialize into what templates see. The field documentation here is the theme contract; see
//! `docs/themes.md` for the same with examples.

use serde::Serialize;

use crate::essay::Essay;
use crate::frontmatter::Extra;
use crate::markdown::TocEntry;
use crate::site::{MenuEntry, Site, TagGroup};

/// Where `[search] pagefind = true` puts the search page, under the site's root.
pub const SEARCH_PAGE: &str = "search/";

/// `site`: in every template.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub author: Option<&'a str>,
    pub description: Option<&'a str>,
    /// Ends with `/`; a full URL, or `/` when the site has none configured. In a translated
    /// edition, its own root (`…/es/`).
    pub base_url: std::borrow::Cow<'a, str>,
    pub language: &'a str,
    /// `[extra]` from `vellum.toml`, over the theme's `[extra]` defaults.
    pub extra: &'a toml::Table,
    /// Pages and sections that ask to be in the navigation (`menu`), in order.
    pub menu: &'a [MenuEntry],
    /// Every section: its title and URL.
    pub sections: Vec<SectionLink<'a>>,
    /// True when any essay has a date. Lists group essays by year only then: a site of
    /// undated essays has no year headings (and no "Undated" one).
    pub dated: bool,
    /// The search page's full URL, when `[search] pagefind = true` makes one.
    pub search_url: Option<String>,
}

impl<'a> SiteView<'a> {
    /// `extra` is the site's `[extra]` over the theme's defaults.
    pub fn new(site: &'a Site, extra: &'a toml::Table) -> Self {
        let config = &site.config;
        SiteView {
            title: &config.title,
            author: config.author.as_deref(),
            description: config.description.as_deref(),
            base_url: if site.prefix.is_empty() {
                config.base_url.as_str().into()
            } else {
                config.url(&site.prefix).into()
            },
            language: &config.language,
            extra,
            menu: &site.menu,
            sections: (0..site.sections.len())
                .map(|k| SectionLink::new(site, k))
                .collect(),
            dated: site.dated(),
            search_url: config.pagefind.then(|| config.url(SEARCH_PAGE)),
        }
    }
}

/// A section, where one is linked to: `site.sections`, `section.subsections`.
#[derive(Debug, Serialize)]
pub struct SectionLink<'a> {
    pub title: &'a str,
    pub url: &'a str,
    /// How many essays it holds, its subsections' included.
    pub count: usize,
}

impl<'a> SectionLink<'a> {
    pub fn new(site: &'a Site, k: usize) -> Self {
        let section = &site.sections[k];
        SectionLink {
            title: &section.title,
            url: &section.url,
            count: section.essays.len(),
        }
    }
}

/// `section` on a section's list page and in its feed.
#[derive(Debug, Serialize)]
pub struct SectionView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    /// HTML: the body of its `_index.md`, if any.
    pub content: &'a str,
    pub url: &'a str,
    /// Absent when it has no essays, or `[feeds] sections = false`.
    pub feed_url: Option<String>,
    /// How many essays it holds, its subsections' included.
    pub count: usize,
    pub subsections: Vec<SectionLink<'a>>,
    /// The sections above it, outermost first.
    pub ancestors: Vec<SectionLink<'a>>,
    /// Its `_index.md`'s keys vellum does not know, and its `[extra]`.
    pub extra: Option<&'a Extra>,
}

impl<'a> SectionView<'a> {
    pub fn new(site: &'a Site, k: usize) -> Self {
        let section = &site.sections[k];
        let mut ancestors = Vec::new();
        let mut up = section.parent;
        while let Some(p) = up {
            ancestors.push(SectionLink::new(site, p));
            up = site.sections[p].parent;
        }
        ancestors.reverse();
        SectionView {
            title: &section.title,
            description: section.meta.as_ref().and_then(|m| m.description.as_deref()),
            content: section.meta.as_ref().map_or("", |m| m.content()),
            url: &section.url,
            feed_url: (site.config.section_feeds && !section.essays.is_empty())
                .then(|| site.config.url(&format!("{}atom.xml", section.route.path))),
            count: section.essays.len(),
            subsections: section
                .subsections
                .iter()
                .map(|&c| SectionLink::new(site, c))
                .collect(),
            ancestors,
            extra: section.meta.as_ref().map(|m| &m.extra),
        }
    }
}

/// A tag, wherever one is shown.
#[derive(Debug, Clone, Serialize)]
pub struct TagView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
    /// How many essays carry it.
    pub count: usize,
    /// Its feed's full URL, when `[feeds] tags` gives it one.
    pub feed_url: Option<&'a str>,
}

impl<'a> TagView<'a> {
    pub fn new(group: &'a TagGroup) -> Self {
        TagView {
            name: &group.name,
            slug: &group.slug,
            url: &group.url,
            count: group.essays.len(),
            feed_url: group.feed_url.as_deref(),
        }
    }
}

/// An essay as listed on the home page, tag pages and neighbours' links.
#[derive(Debug, Serialize)]
pub struct EssayCard<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
    /// `YYYY-MM-DD`; absent for undated essays.
    pub date: Option<&'a str>,
    pub date_rfc3339: Option<&'a str>,
    pub updated: Option<&'a str>,
    pub updated_rfc3339: Option<&'a str>,
    pub year: Option<i16>,
    /// Plain text from front matter.
    pub description: Option<&'a str>,
    /// HTML: front matter `summary`, else the text before `<!-- more -->`, or the first
    /// paragraph; links to other essays resolved.
    pub summary: std::borrow::Cow<'a, str>,
    pub tags: Vec<TagView<'a>>,
    pub word_count: usize,
    /// Whole minutes, at least one.
    pub reading_time: usize,
    /// The absolute URL of the image a shared link shows: the one the front matter names
    /// (`image`, `cover`, Hugo's `images`), else the first in the text; absent without one.
    pub image: Option<&'a str>,
}

impl<'a> EssayCard<'a> {
    /// `tags` are this essay's tags, looked up in the site's groups.
    pub fn new(essay: &'a Essay, tags: Vec<TagView<'a>>) -> Self {
        let shown = &essay.shown;
        let digest = essay.body.digest();
        EssayCard {
            title: &essay.title,
            slug: &essay.slug,
            url: &shown.url,
            date: shown.date.as_deref(),
            date_rfc3339: shown.date_rfc3339.as_deref(),
            updated: shown.updated.as_deref(),
            updated_rfc3339: shown.updated_rfc3339.as_deref(),
            year: essay.date.map(|d| d.year()),
            description: essay.description.as_deref(),
            summary: essay.summary.as_deref().unwrap_or(&digest.summary).into(),
            tags,
            word_count: digest.word_count,
            reading_time: digest.reading_time(),
            image: essay.image.as_deref().or(digest.image.as_deref()),
        }
    }
}

/// `essay` on an essay page and in the feed: the card's fields and the body.
#[derive(Debug, Serialize)]
pub struct EssayPage<'a> {
    #[serde(flatten)]
    pub card: &'a EssayCard<'a>,
    /// HTML.
    pub content: &'a str,
    /// Every heading, in order.
    pub toc: Vec<TocEntry<'a>>,
    /// Front-matter keys vellum does not know, and the contents of an `[extra]` table.
    pub extra: &'a Extra,
    pub draft: bool,
    /// Read as a plain essay (one paragraph a line), not Markdown: themes may set its short
    /// paragraphs differently.
    pub plain: bool,
    /// Front matter `toc = true`: the writer wants the table of contents shown.
    pub show_toc: bool,
    /// The series this essay belongs to, if any.
    pub series: Option<SeriesView<'a>>,
    /// Every version of this text when it has translations, this one included (`current`).
    pub translations: Vec<TranslationView<'a>>,
    /// The essays and pages that link here, each once: `title`, `url` and `context` (the
    /// sentence holding the link, as plain text), newest first, then pages. Empty in feeds.
    pub backlinks: &'a [crate::links::Backlink],
    /// With `related = true`, the essays most like this one, most related first. Empty in
    /// feeds and on pages.
    pub related: Vec<RelatedEssay<'a>>,
}

/// One of `essay.related`: what a short list of titles needs.
#[derive(Debug, Serialize)]
pub struct RelatedEssay<'a> {
    pub title: &'a str,
    pub url: &'a str,
    /// `YYYY-MM-DD`; absent for undated essays.
    pub date: Option<&'a str>,
}

impl<'a> RelatedEssay<'a> {
    pub fn new(essay: &'a Essay) -> Self {
        RelatedEssay {
            title: &essay.title,
            url: &essay.shown.url,
            date: essay.shown.date.as_deref(),
        }
    }
}

/// One version of a translated text, in `essay.translations`.
#[derive(Debug, Serialize)]
pub struct TranslationView<'a> {
    pub lang: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    /// True for the version being rendered.
    pub current: bool,
}

impl<'a> EssayPage<'a> {
    /// `content` is the essay's body, rendered.
    pub fn new(essay: &'a Essay, card: &'a EssayCard<'a>, content: &'a str) -> Self {
        EssayPage {
            card,
            content,
            toc: essay
                .body
                .digest()
                .toc
                .iter()
                .map(|h| TocEntry {
                    level: h.level,
                    id: &h.id,
                    title: &h.title,
                })
                .collect(),
            extra: &essay.extra,
            draft: essay.draft,
            plain: essay.body.is_plain(),
            show_toc: essay.toc,
            series: None,
            translations: Vec::new(),
            backlinks: &[],
            related: Vec::new(),
        }
    }
}

/// `essay.series`: where this essay sits in its series.
#[derive(Debug, Serialize)]
pub struct SeriesView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    /// The series' own page.
    pub url: &'a str,
    /// 1-based position of this essay.
    pub part: usize,
    pub total: usize,
    /// Every part, in reading order (oldest first).
    pub parts: Vec<SeriesPart<'a>>,
    /// The part before this one, and after.
    pub prev: Option<&'a EssayCard<'a>>,
    pub next: Option<&'a EssayCard<'a>>,
}

/// `series` on a series' page.
#[derive(Debug, Serialize)]
pub struct SeriesLink<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
    /// How many parts it has.
    pub count: usize,
}

/// One entry in `essay.series.parts`.
#[derive(Debug, Serialize)]
pub struct SeriesPart<'a> {
    pub title: &'a str,
    pub url: &'a str,
    /// True for the essay being rendered.
    pub current: bool,
}

/// `years` on list pages and the archive: entries grouped by the year of their date.
#[derive(Debug, Serialize)]
pub struct YearGroup<T> {
    /// `None` for undated essays, which come last.
    pub year: Option<i16>,
    pub essays: Vec<T>,
}

/// Groups cards (already newest first) by year, keeping their order.
pub fn years<'a>(cards: &[&'a EssayCard<'a>]) -> Vec<YearGroup<&'a EssayCard<'a>>> {
    group_by_year(cards.iter().copied(), |card| card.year)
}

/// Groups `items` (newest first) by year, keeping their order.
pub fn group_by_year<T>(
    items: impl IntoIterator<Item = T>,
    year: impl Fn(&T) -> Option<i16>,
) -> Vec<YearGroup<T>> {
    let mut groups: Vec<YearGroup<T>> = Vec::new();
    for item in items {
        let y = year(&item);
        match groups.last_mut() {
            Some(group) if group.year == y => group.essays.push(item),
            _ => groups.push(YearGroup {
                year: y,
                essays: vec![item],
            }),
        }
    }
    groups
}

/// An essay as the archive lists it: the archive shows every essay, so it gets only what a
/// list of titles needs, and is rendered again only when one of these changes.
#[derive(Debug, Serialize)]
pub struct ArchiveEntry<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: Option<&'a str>,
    pub date_rfc3339: Option<&'a str>,
    pub year: Option<i16>,
}

impl<'a> ArchiveEntry<'a> {
    pub fn new(essay: &'a Essay) -> Self {
        ArchiveEntry {
            title: &essay.title,
            url: &essay.shown.url,
            date: essay.shown.date.as_deref(),
            date_rfc3339: essay.shown.date_rfc3339.as_deref(),
            year: essay.date.map(|d| d.year()),
        }
    }
}

/// `theme`: the theme in use, in every template.
#[derive(Debug, Serialize)]
pub struct ThemeView<'a> {
    pub name: &'a str,
    pub description: &'a str,
    /// The `[extra]` defaults of the theme and its parents (nearest wins).
    pub extra: &'a toml::Table,
}

/// `pagination` on list pages.
#[derive(Debug, Serialize)]
pub struct Pagination {
    /// 1-based.
    pub current: usize,
    pub total: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
}

/// One `<url>` in the sitemap.
#[derive(Debug, Serialize)]
pub struct SitemapEntry<'a> {
    pub loc: std::borrow::Cow<'a, str>,
    pub lastmod: Option<&'a str>,
}
