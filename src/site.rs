//! Collecting: parsed essays become a [`Site`] — drafts and essays dated in the future left
//! out unless asked for, essays in their reading order (newest first), and tags grouped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;

use crate::config::Config;
use crate::essay::Essay;
use crate::slugs::slugify;
use crate::source::Asset;

/// Everything the renderer needs, in order.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Newest first; undated essays last, by title. Shared with a watch session, which keeps
    /// them between builds.
    pub essays: Vec<Arc<Essay>>,
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
        assets: Vec<Asset>,
        visibility: &Visibility,
    ) -> Site {
        // A hidden bundle's files are left out with it rather than copied loose.
        let bundle_dirs = essays.iter().filter_map(|e| e.bundle.clone()).collect();
        let (essays, hidden): (Vec<Arc<Essay>>, Vec<Arc<Essay>>) =
            essays.into_iter().partition(|e| visibility.shows(e));
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
        let links = crate::links::resolve(&crate::links::Input {
            config: &config,
            essays: &essays,
            hidden: &hidden,
            visibility,
            tags: &tags,
            assets: &assets,
            pages: &[],
        });
        Site {
            config,
            essays,
            tags,
            series,
            assets,
            bundle_dirs,
            links,
        }
    }
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
