//! The template context: plain structs that borrow from the [`Site`](crate::site::Site) and
//! serialize into what templates see. The field documentation here is the theme contract; see
//! `docs/themes.md` for the same with examples.

use serde::Serialize;

use crate::config::Config;
use crate::essay::Essay;
use crate::frontmatter::Extra;
use crate::markdown::TocEntry;
use crate::site::TagGroup;

/// `site`: in every template.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub author: Option<&'a str>,
    pub description: Option<&'a str>,
    /// Ends with `/`; a full URL, or `/` when the site has none configured.
    pub base_url: &'a str,
    pub language: &'a str,
    /// `[extra]` from `vellum.toml`, over the theme's `[extra]` defaults.
    pub extra: &'a toml::Table,
}

impl<'a> SiteView<'a> {
    /// `extra` is the site's `[extra]` over the theme's defaults.
    pub fn new(config: &'a Config, extra: &'a toml::Table) -> Self {
        SiteView {
            title: &config.title,
            author: config.author.as_deref(),
            description: config.description.as_deref(),
            base_url: &config.base_url,
            language: &config.language,
            extra,
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
}

impl<'a> TagView<'a> {
    pub fn new(group: &'a TagGroup) -> Self {
        TagView {
            name: &group.name,
            slug: &group.slug,
            url: &group.url,
            count: group.essays.len(),
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
    /// HTML: the text before `<!-- more -->`, or the first paragraph.
    pub summary: std::borrow::Cow<'a, str>,
    pub tags: Vec<TagView<'a>>,
    pub word_count: usize,
    /// Whole minutes, at least one.
    pub reading_time: usize,
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
            summary: digest.summary.as_str().into(),
            tags,
            word_count: digest.word_count,
            reading_time: digest.reading_time(),
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
    /// Front matter `toc = true`: the writer wants the table of contents shown.
    pub show_toc: bool,
    /// The series this essay belongs to, if any.
    pub series: Option<SeriesView<'a>>,
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
            show_toc: essay.toc,
            series: None,
        }
    }
}

/// `essay.series`: where this essay sits in its series.
#[derive(Debug, Serialize)]
pub struct SeriesView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    /// 1-based position of this essay.
    pub part: usize,
    pub total: usize,
    /// Every part, in reading order (oldest first).
    pub parts: Vec<SeriesPart<'a>>,
    /// The part before this one, and after.
    pub prev: Option<&'a EssayCard<'a>>,
    pub next: Option<&'a EssayCard<'a>>,
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
