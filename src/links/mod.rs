//! Links between essays, resolved at collect: each essay's file links (found when it was
//! parsed, see [`crate::markdown::file_links`]) are looked up in an index of every page
//! ([`LinkIndex`]) and become the URLs they lead to, kept per essay in [`Resolved`], beside
//! the shared essays rather than in them. A link that leads nowhere, or to a draft that is not
//! built, is [`Broken`], at its file and line; `build` fails on them all at once, and `check`
//! reports them.
//!
//! Rendering puts the URLs in place of the written destinations in a late pass over the body's
//! HTML ([`Resolved::apply`]), so an essay's rendered body stays a function of its own text,
//! and stays cached when the essays it links to change.
//!
//! Most sites have no file links: then nothing here is built at all.

mod embeds;
mod index;
mod wiki;

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::error::{Error, Location};
use crate::essay::Essay;
use crate::markdown::IdStyle;
use crate::markdown::file_links::{FileLink, LinkKind, escape_href};
use crate::source::Asset;
pub use index::{Found, From, LinkIndex, Target};

/// The links of every essay and page of a site.
#[derive(Debug, Default)]
pub struct SiteLinks {
    /// Indexed like `Site::essays`.
    pub resolved: Vec<Resolved>,
    /// Indexed like `Site::pages`.
    pub pages: Vec<Resolved>,
    /// Every link that leads nowhere, in essay order (of every language, on the site's own).
    pub broken: Vec<Broken>,
    /// The essays and pages that link to each essay, indexed like `Site::essays`.
    pub backlinks: Vec<Vec<Backlink>>,
    /// The same for each page, indexed like `Site::pages`.
    pub page_backlinks: Vec<Vec<Backlink>>,
}

/// An essay or page that links to another, as the linked one's page shows it: one per
/// linking essay, in the site's reading order (newest first, then pages).
#[derive(Debug, Clone, Hash, PartialEq, Eq, serde::Serialize)]
pub struct Backlink {
    pub title: String,
    /// Its full URL.
    pub url: String,
    /// The sentence holding its first link here, as plain text.
    pub context: String,
}

/// A link that leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub at: Location,
    /// `link to @/blog/nope.md: no such essay`.
    pub message: String,
    /// The `href` left as written in the page.
    pub href: String,
}

impl SiteLinks {
    /// No links for `essays` essays.
    pub fn none(essays: usize) -> SiteLinks {
        SiteLinks {
            resolved: vec![Resolved::default(); essays],
            backlinks: vec![Vec::new(); essays],
            ..SiteLinks::default()
        }
    }

    /// Every broken link as one error; `None` when there is none.
    pub fn error(&self) -> Option<Error> {
        let errors = self
            .broken
            .iter()
            .map(|b| Error::content(b.at.clone(), &b.message));
        Error::collect(errors.collect())
    }
}

/// One essay's resolved links: each `href` as its HTML holds it, the URL to put there (as
/// an attribute holds it), and the line of the link; and each embed's `href` with the HTML
/// shown in its place. The embedded HTML is part of the fingerprint of the pages that show
/// it, so an essay that embeds another re-renders when that one changes.
#[derive(Debug, Clone, Default, Hash, PartialEq, Eq)]
pub struct Resolved {
    pairs: Vec<(String, String, usize)>,
    embeds: Vec<(String, String)>,
}

impl Resolved {
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty() && self.embeds.is_empty()
    }

    /// The same links with every written `href` changed by `rebase`: for a summary, whose
    /// links were made absolute against the essay's URL.
    pub fn rebased(&self, rebase: impl Fn(&str) -> String) -> Resolved {
        Resolved {
            pairs: self
                .pairs
                .iter()
                .map(|(href, url, line)| (rebase(href), url.clone(), *line))
                .collect(),
            embeds: self
                .embeds
                .iter()
                .map(|(href, html)| (rebase(href), html.clone()))
                .collect(),
        }
    }

    /// Each URL put in place, with the line of its link: `check` names that line for a
    /// problem with the URL.
    pub fn urls(&self) -> impl Iterator<Item = (&str, usize)> {
        self.pairs
            .iter()
            .map(|(_, url, line)| (url.as_str(), *line))
    }

    /// `html` with each resolved link's `href` made its URL. Only `<a href="…">` as
    /// pulldown-cmark writes it is looked at; text (escaped) never is.
    pub fn apply(&self, html: String) -> String {
        if self.pairs.is_empty() && self.embeds.is_empty() {
            return html;
        }
        let html = embeds::put_in_place(&self.embeds, html);
        let mut out = String::with_capacity(html.len() + 64);
        let mut rest = html.as_str();
        // An `href` of a link, or the `src` of an embedded image (`![[pic.png]]`).
        let mut attributes = UrlAttributes::default();
        while let Some(value_start) = attributes.next(rest) {
            out.push_str(&rest[..value_start]);
            rest = &rest[value_start..];
            let end = rest.find('"').unwrap_or(rest.len());
            let value = &rest[..end];
            match self.pairs.iter().find(|(href, ..)| href == value) {
                Some((_, url, _)) => out.push_str(url),
                None => out.push_str(value),
            }
            rest = &rest[end..];
            attributes.advance(value_start + end);
        }
        out.push_str(rest);
        out
    }
}

/// The values of `<a href="…">` and of an embedded image's ` src="vellum-embed:…"` in
/// HTML read forwards: each kind is searched for once per occurrence, so a page with many
/// links is read in linear time.
#[derive(Default)]
struct UrlAttributes {
    /// The next of each (relative to what is left), once searched for; `Some(None)`: none.
    href: Option<Option<usize>>,
    src: Option<Option<usize>>,
}

impl UrlAttributes {
    const HREF: &str = "<a href=\"";
    const SRC: &str = " src=\"vellum-embed:";

    /// Where the next value in `rest` starts.
    fn next(&mut self, rest: &str) -> Option<usize> {
        let href = *self
            .href
            .get_or_insert_with(|| rest.find(Self::HREF).map(|at| at + Self::HREF.len()));
        let src = *self
            .src
            .get_or_insert_with(|| rest.find(Self::SRC).map(|at| at + " src=\"".len()));
        match (href, src) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// `consumed` bytes of what was left are read: positions move back, those passed are
    /// searched for again.
    fn advance(&mut self, consumed: usize) {
        for found in [&mut self.href, &mut self.src] {
            *found = match *found {
                Some(Some(at)) if at >= consumed => Some(Some(at - consumed)),
                Some(None) => Some(None),
                _ => None,
            };
        }
    }
}

/// What [`resolve`] needs of a site.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub config: &'a Config,
    /// The essays and pages the site shows, in every language.
    pub essays: &'a [Arc<Essay>],
    /// Those it does not (drafts, future): a link to one is broken, and says why.
    pub hidden: &'a [Arc<Essay>],
    /// Whether drafts are built: a link to a hidden essay says why it is hidden.
    pub drafts: bool,
    /// Each tag's page, as (slug, URL).
    pub tags: &'a [(&'a str, &'a str)],
    pub assets: &'a [Asset],
    /// Other pages a link can name, as (path relative to `content/`, URL): a section by its
    /// `_index.md` (which names its folder too). The home page is always there.
    pub pages: &'a [(String, String)],
}

/// Resolves every shown essay's file links.
pub fn resolve(input: &Input) -> SiteLinks {
    let essays = input.essays;
    if essays.iter().all(|e| e.links.is_empty()) {
        return SiteLinks::none(essays.len());
    }
    let content = content_prefix(input.config);
    // The names wikilinks and embeds look notes up by, and the notes embeds show, are made
    // only for a site that has one: watch mode resolves every link again on each save, and
    // on 10,000 essays they cost tens of milliseconds a time.
    let uses = |kinds: &[LinkKind]| {
        essays
            .iter()
            .any(|e| e.links.iter().any(|l| kinds.contains(&l.kind)))
    };
    let by_path = match uses(&[LinkKind::Embed]) {
        true => essays
            .iter()
            .map(|e| (content_path(&e.source, &content), e.as_ref()))
            .collect(),
        false => FxHashMap::default(),
    };
    let ctx = Context {
        index: index(input, &content, uses(&[LinkKind::Wiki, LinkKind::Embed])),
        by_path,
        content,
        heading_ids: input.config.heading_ids,
    };
    let results: Vec<Links> = essays
        .par_iter()
        .map(|essay| resolve_essay(&ctx, essay))
        .collect();
    let mut links = SiteLinks {
        backlinks: vec![Vec::new(); essays.len()],
        ..SiteLinks::default()
    };
    for (from, found) in results.into_iter().enumerate() {
        links.resolved.push(found.resolved);
        links.broken.extend(found.broken);
        for (to, context) in found.to {
            let backlinks = &mut links.backlinks[to];
            let source = &essays[from];
            // One backlink per linking essay; none to itself.
            if to == from || backlinks.last().is_some_and(|b| b.url == source.shown.url) {
                continue;
            }
            backlinks.push(Backlink {
                title: source.title.clone(),
                url: source.shown.url.clone(),
                context,
            });
        }
    }
    links
}

/// What one essay's links lead to.
#[derive(Debug, Default)]
struct Links {
    resolved: Resolved,
    broken: Vec<Broken>,
    /// Each essay or page it links to (as numbered in [`Input::essays`]), with the sentence
    /// of the link, in the order of the text.
    to: Vec<(usize, String)>,
}

/// What resolving needs, shared by every essay.
struct Context<'a> {
    index: LinkIndex,
    /// The shown essays by their paths from `content/`: what an embed shows.
    by_path: FxHashMap<String, &'a Essay>,
    content: std::path::PathBuf,
    /// How a wikilink's heading becomes the anchor the heading has.
    heading_ids: IdStyle,
}

fn resolve_essay(ctx: &Context, essay: &Essay) -> Links {
    if essay.links.is_empty() {
        return Links::default();
    }
    let mut chain = vec![content_path(&essay.source, &ctx.content)];
    let (resolved, misses, to) = resolve_links(ctx, essay, &essay.links, &mut chain);
    let broken = misses
        .into_iter()
        .map(|miss| Broken {
            at: Location::line(&essay.source, miss.line),
            message: miss.message,
            href: miss.href,
        })
        .collect();
    Links {
        resolved,
        broken,
        to,
    }
}

/// A link of `essay` that leads nowhere.
struct Miss {
    line: usize,
    /// `link to [[x]]: no essay…`.
    message: String,
    /// `no essay…`.
    why: String,
    href: String,
    /// An embed that would show itself: fails the essay embedding it too, not only its own.
    cycle: bool,
}

/// `links`, written in `essay` (in its body, or a section of it another essay embeds);
/// `chain` holds the essays (and sections) being embedded, outermost first. Also returns each
/// essay or page the links lead to, with the sentence of the link, for backlinks.
fn resolve_links(
    ctx: &Context,
    essay: &Essay,
    links: &[FileLink],
    chain: &mut Vec<String>,
) -> (Resolved, Vec<Miss>, Vec<(usize, String)>) {
    let mut resolved = Resolved::default();
    let mut misses = Vec::new();
    let mut to = Vec::new();
    let path = content_path(&essay.source, &ctx.content);
    let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let container = essay
        .bundle
        .is_some()
        .then(|| dir.rsplit_once('/').map_or("", |(parent, _)| parent));
    let from = From { dir, container };
    for link in links {
        let miss = |why: String, cycle: bool| Miss {
            line: link.line,
            message: format!("link to {}: {why}", link.written()),
            why,
            href: link.href.clone(),
            cycle,
        };
        let wiki = matches!(link.kind, LinkKind::Wiki | LinkKind::Embed);
        // `[[#Heading]]`: a heading of the same essay.
        if wiki && link.path.is_empty() {
            let url = href(&essay.shown.url, link, ctx.heading_ids);
            resolved.pairs.push((link.href.clone(), url, link.line));
            continue;
        }
        match ctx.index.find(link, from) {
            Ok(Found::Page(target)) => {
                if let Some(doc) = target.doc {
                    to.push((doc, link.context.clone()));
                }
                let url = href(&target.url, link, ctx.heading_ids);
                if link.kind == LinkKind::Embed {
                    match embeds::embed(ctx, target, link, &url, chain) {
                        Ok(html) => resolved.embeds.push((link.href.clone(), html)),
                        Err(embeds::Failure { message, cycle }) => {
                            misses.push(miss(message, cycle));
                        }
                    }
                }
                // A link by the site's own path already leads there, as written.
                if link.kind != LinkKind::Site {
                    resolved.pairs.push((link.href.clone(), url, link.line));
                }
            }
            Ok(Found::File(Some(url))) => {
                let url = href(&url, link, ctx.heading_ids);
                resolved.pairs.push((link.href.clone(), url, link.line));
            }
            Ok(Found::File(None)) => {}
            Err(why) => misses.push(miss(why, false)),
        }
    }
    resolved.pairs.sort();
    resolved.pairs.dedup();
    resolved.embeds.sort();
    resolved.embeds.dedup();
    (resolved, misses, to)
}

/// The URL with the link's anchor, as an `href` attribute holds it. A wikilink names a
/// heading by its text: the anchor is the id the heading gets.
fn href(url: &str, link: &FileLink, heading_ids: IdStyle) -> String {
    match &link.anchor {
        Some(heading) if matches!(link.kind, LinkKind::Wiki | LinkKind::Embed) => {
            escape_href(&format!("{url}#{}", heading_ids.slug(heading)))
        }
        Some(anchor) => escape_href(&format!("{url}#{anchor}")),
        None => escape_href(url),
    }
}

/// Every page a link can name: each essay (shown or not), by its path and, for Jekyll, by its
/// date and name; each tag's page as `tags/x` and `categories/x`; and the other files under
/// `content/`; the home page and other pages (sections) by their `_index.md`.
fn index(input: &Input, content: &Path, wiki: bool) -> LinkIndex {
    let config = input.config;
    let mut index = LinkIndex::new(config.url(""));
    for (path, url) in input.pages {
        index.add(path, url.clone(), None);
    }
    if !input.pages.iter().any(|(path, _)| path == "_index.md") {
        index.add("_index.md", config.url(""), None);
    }
    for (doc, essay) in input.essays.iter().enumerate() {
        let n = add_essay(&mut index, essay, content, None, wiki);
        index.mark_doc(n, doc);
    }
    for essay in input.hidden {
        add_essay(
            &mut index,
            essay,
            content,
            Some(why_hidden(essay, input.drafts)),
            wiki,
        );
    }
    if !input.tags.is_empty() {
        let tags = index.add_page("tags", config.url("tags/"));
        index.add_name("tags".into(), tags);
        index.add_name("categories".into(), tags);
    }
    for &(slug, url) in input.tags {
        let n = index.add_page(&format!("tags/{slug}"), url.to_string());
        index.add_term(slug.to_string(), n);
    }
    for asset in input.assets {
        index.add_file(slash_path(&asset.rel));
    }
    index
}

/// Adds an essay or page, and with `wiki` the names wikilinks find it by; returns its number
/// in the index.
fn add_essay(
    index: &mut LinkIndex,
    essay: &Essay,
    content: &Path,
    hidden: Option<String>,
    wiki: bool,
) -> usize {
    let path = content_path(&essay.source, content);
    let n = index.add(&path, essay.shown.url.clone(), hidden);
    if wiki {
        index.add_wiki(n, &path, &essay.title, &essay.names);
    }
    // Jekyll's `post_url` names a post by the date and name of its file; a post moved and
    // renamed without its date keeps its date in the front matter.
    let name = match &essay.bundle {
        Some(dir) => dir.file_name(),
        None => essay.source.file_stem(),
    };
    let name = name.map(|n| n.to_string_lossy()).unwrap_or_default();
    match index::split_date(&name) {
        Some((date, rest)) => index.add_post(date.into(), rest.into(), n),
        None => {
            if let Some(date) = essay.date {
                index.add_post(date.ymd(), name.into_owned(), n);
            }
        }
    }
    n
}

fn why_hidden(essay: &Essay, drafts: bool) -> String {
    if essay.draft && !drafts {
        "a draft, not built (`--drafts` builds it)".to_string()
    } else {
        "dated in the future, not built yet (`--future` builds it)".to_string()
    }
}

/// `content/` relative to the site root, as essays' sources start.
fn content_prefix(config: &Config) -> std::path::PathBuf {
    config
        .content_dir()
        .strip_prefix(&config.root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| "content".into())
}

/// `blog/x.md` for `content/blog/x.md`.
fn content_path(source: &Path, content: &Path) -> String {
    slash_path(source.strip_prefix(content).unwrap_or(source))
}

fn slash_path(path: &Path) -> String {
    let parts: Vec<_> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(pairs: &[(&str, &str)]) -> Resolved {
        Resolved {
            pairs: pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string(), 1))
                .collect(),
            embeds: Vec::new(),
        }
    }

    #[test]
    fn apply_rewrites_only_link_hrefs() {
        let links = resolved(&[
            ("@/x.md#a", "https://ex.com/x/#a"),
            ("y.md", "https://ex.com/y/"),
        ]);
        let html = "<p><a href=\"@/x.md#a\">x</a> <code>&lt;a href=\"y.md\"&gt;</code> \
                    <a href=\"y.md\" title=\"t\">y</a> <a href=\"z.md\">z</a></p>";
        assert_eq!(
            links.apply(html.to_string()),
            "<p><a href=\"https://ex.com/x/#a\">x</a> <code>&lt;a href=\"y.md\"&gt;</code> \
             <a href=\"https://ex.com/y/\" title=\"t\">y</a> <a href=\"z.md\">z</a></p>"
        );
        assert_eq!(Resolved::default().apply(html.to_string()), html);
    }

    #[test]
    fn rebased_links_match_a_summary_made_absolute() {
        let links = resolved(&[("y.md", "https://ex.com/y/")]);
        let rebased = links.rebased(|href| format!("https://ex.com/x/{href}"));
        assert_eq!(
            rebased.apply("<a href=\"https://ex.com/x/y.md\">y</a>".into()),
            "<a href=\"https://ex.com/y/\">y</a>"
        );
    }
}
