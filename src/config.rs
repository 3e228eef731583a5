//! Site configuration, in two layers: [`RawConfig`] is exactly what `vellum.toml` may say
//! (unknown keys are rejected with a "did you mean" hint), and [`Config`] is the resolved form the
//! rest of the pipeline uses, with absolute paths and every default filled in.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Location, Result, line_of};
pub use crate::frontmatter::Markup;
use crate::route::{self, Pattern, Route};

/// Every lint of `vellum check`, by the name `[check] deny` uses. Kept here, with the
/// setting that names them, so that reading the configuration needs nothing of `check`.
pub const LINTS: &[&str] = &[
    "alt-text",
    "description",
    "duplicate-title",
    "future-date",
    "empty-tag",
    "shortcode",
    "leftover-markup",
];

/// The configuration file's name, at the site root.
pub const CONFIG_FILE: &str = "vellum.toml";

/// How heading text becomes an id: `heading_ids` in `vellum.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdStyle {
    /// ASCII, apostrophes joining words: `What’s next?` → `whats-next`, `Über` → `uber`.
    #[default]
    Vellum,
    /// GitHub's, as github-slugger makes them: lowercase, punctuation and symbols removed,
    /// each space a `-`, letters of any script kept: `What’s next?` → `whats-next`,
    /// `Über uns` → `über-uns`. Jekyll's default (kramdown with GFM input) matches it.
    Github,
    /// Zola's (`slugify.anchors = "on"`, its default): ASCII, every run of other characters
    /// one `-`: `What’s next?` → `what-s-next`.
    Zola,
    /// kramdown's `auto_ids`: only ASCII letters, digits, spaces and `-` kept, everything
    /// before the first letter dropped, each space a `-`; `section` when nothing is left:
    /// `3. Über uns` → `ber-uns`.
    Kramdown,
    /// Hugo's (Goldmark, `autoHeadingIDType = "github"`, its default): lowercase, letters,
    /// digits and `_` kept, each space or `-` a `-`, the rest dropped; `heading` when
    /// nothing is left.
    Hugo,
}

/// `vellum.toml` as written. Every field is optional: a folder with only `content/` builds.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub title: Option<String>,
    pub author: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub language: Option<String>,
    pub theme: Option<String>,
    pub markup: Option<Markup>,
    pub heading_ids: Option<IdStyle>,
    pub paginate: Option<usize>,
    pub feed_limit: Option<usize>,
    pub extra: Option<toml::Table>,
    pub check: Option<RawCheck>,
    /// URL patterns by folder under `content/`, and `default` for the rest.
    pub permalinks: Option<std::collections::BTreeMap<String, String>>,
    /// Old URL paths, each with the URL it now redirects to.
    pub redirects: Option<std::collections::BTreeMap<String, String>>,
    /// Languages translations are built in, by code (`[languages.es]`).
    pub languages: Option<std::collections::BTreeMap<String, RawLanguage>>,
    pub images: Option<RawImages>,
    pub shortcodes: Option<RawShortcodes>,
    pub feeds: Option<RawFeeds>,
    pub search: Option<RawSearch>,
    /// Related essays at the end of each essay.
    pub related: Option<bool>,
    pub links: Option<RawLinks>,
}

/// `[feeds]`: the feeds besides the site's own.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFeeds {
    /// `true` for a feed per tag, or the tags (by name or slug) that have one.
    pub tags: Option<FeedTags>,
    /// A feed per section; on unless `false`.
    pub sections: Option<bool>,
}

/// `[feeds] tags`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum FeedTags {
    All(bool),
    Only(Vec<String>),
}

impl Default for FeedTags {
    fn default() -> Self {
        FeedTags::All(false)
    }
}

impl FeedTags {
    /// Whether the tag with this name and slug has a feed.
    pub fn has(&self, name: &str, slug: &str) -> bool {
        match self {
            FeedTags::All(all) => *all,
            FeedTags::Only(tags) => tags
                .iter()
                .any(|t| t == name || t == slug || crate::slugs::slugify(t) == slug),
        }
    }
}

/// `[search]`: a search page for an index made after the build.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSearch {
    /// A `/search/` page that loads Pagefind's UI (`npx pagefind --site public` makes the
    /// index it reads).
    pub pagefind: Option<bool>,
}

/// `[images]`: what essays' images get beyond their size.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawImages {
    /// Widths, in pixels, of the resized copies made for `srcset`.
    pub widths: Option<Vec<u32>>,
    /// The `sizes` attribute given with a `srcset`.
    pub sizes: Option<String>,
}

/// `[images]`, resolved.
#[derive(Debug, Clone, Default, Hash)]
pub struct ImagesConfig {
    /// Ascending, without repeats or zero; empty: no resized copies.
    pub widths: Vec<u32>,
    pub sizes: String,
}

/// `[shortcodes]`: how the built-in shortcodes behave.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShortcodes {
    /// `youtube` and `vimeo` embed a player (from youtube-nocookie.com, player.vimeo.com)
    /// rather than link to the video: off by default, so a page asks no other site for
    /// anything.
    pub embed_videos: Option<bool>,
}

/// `[links]`: how links between essays are treated.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLinks {
    /// `"error"` (the default): a link to no essay fails the build; `"warn"`: it is a warning
    /// and the page keeps the link as written (a vault with notes not yet written).
    pub broken: Option<BrokenLinks>,
}

/// What a link to no essay does to a build.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BrokenLinks {
    #[default]
    Error,
    Warn,
}

/// `[languages.<code>]`: a language the site's translations are built in.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLanguage {
    pub title: Option<String>,
    pub description: Option<String>,
}

/// `[check]`: how `vellum check` treats its lints.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCheck {
    /// Lints that fail the check rather than warn; `"all"` for every one.
    pub deny: Option<Vec<String>>,
    /// Lints that warn rather than fail the check, for those that fail it unless told.
    pub warn: Option<Vec<String>>,
}

/// The keys `RawConfig` accepts, for the unknown-key check and its suggestions.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "author",
    "description",
    "base_url",
    "language",
    "theme",
    "markup",
    "heading_ids",
    "paginate",
    "feed_limit",
    "extra",
    "check",
    "permalinks",
    "redirects",
    "languages",
    "images",
    "shortcodes",
    "feeds",
    "search",
    "related",
    "links",
];

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site root, absolute.
    pub root: PathBuf,
    /// `title`, else `author`, else the site folder's name.
    pub title: String,
    /// Whether `title` is only the folder's name, neither configured nor the author's: a site of
    /// one essay is then named after the essay (see `Site::collect`).
    pub title_from_folder: bool,
    pub author: Option<String>,
    pub description: Option<String>,
    /// Always ends with `/`. Either an absolute URL or a root-relative path such as `/`.
    pub base_url: String,
    pub language: String,
    /// `None` means the built-in default theme.
    pub theme: Option<String>,
    pub markup: Markup,
    /// How heading text becomes an id: to keep the ids of the generator a site came from.
    pub heading_ids: IdStyle,
    /// Essays per list page; 0 means one page holding every essay.
    pub paginate: usize,
    pub feed_limit: usize,
    pub extra: toml::Table,
    /// `[check] deny`: lint names (or `all`) that fail `vellum check`.
    pub check_deny: Vec<String>,
    /// `[check] warn`: lint names (or `all`) that only warn, even those that fail by default.
    pub check_warn: Vec<String>,
    /// `[permalinks]` by folder (`/`-separated, as written under `content/`), deepest first.
    pub permalinks: Vec<(String, Pattern)>,
    /// `[permalinks] default`; without it, [`route::DEFAULT`].
    pub default_permalink: Option<Pattern>,
    /// `[redirects]`: each old path (relative to the site root, as a route) and the URL it
    /// redirects to.
    pub redirects: Vec<(Route, String)>,
    /// `[languages]`, by code.
    pub languages: std::collections::BTreeMap<String, RawLanguage>,
    /// `[images]`.
    pub images: ImagesConfig,
    /// `[shortcodes] embed_videos`.
    pub embed_videos: bool,
    /// `[feeds] tags`: which tags have a feed of their own.
    pub tag_feeds: FeedTags,
    /// `[feeds] sections`: whether each section has a feed of its own.
    pub section_feeds: bool,
    /// `[search] pagefind`: a `/search/` page for Pagefind.
    pub pagefind: bool,
    /// `related = true`: each essay shows the essays most like it (see [`crate::related`]).
    pub related: bool,
    /// `[links] broken`.
    pub broken_links: BrokenLinks,
}

impl Config {
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    pub fn static_dir(&self) -> PathBuf {
        self.root.join("static")
    }

    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }

    /// The URL of a site-relative path such as `tags/` or `atom.xml`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// The URL pattern for an essay in the folders `dirs`, with where it comes from in words:
    /// the deepest `[permalinks]` folder holding it, else `default`.
    pub fn permalink(&self, dirs: &[String]) -> (String, &Pattern) {
        let found = self.permalinks.iter().find(|(key, _)| {
            let key: Vec<&str> = key.split('/').collect();
            key.len() <= dirs.len() && key.iter().zip(dirs).all(|(k, d)| k == d)
        });
        match found {
            Some((key, pattern)) => (format!("[permalinks] {key} in {CONFIG_FILE}"), pattern),
            None => match &self.default_permalink {
                Some(pattern) => (format!("[permalinks] default in {CONFIG_FILE}"), pattern),
                None => (format!("the default, {}", route::DEFAULT), route::builtin()),
            },
        }
    }

    /// The codes of `[languages]`: the languages translations are built in.
    pub fn language_codes(&self) -> Vec<&str> {
        self.languages.keys().map(String::as_str).collect()
    }

    /// Whether `base_url` is a full URL (feeds and canonical links need one).
    pub fn has_absolute_base_url(&self) -> bool {
        self.base_url.starts_with("http://") || self.base_url.starts_with("https://")
    }
}

/// Reads `vellum.toml` under `root` (absent is fine) and resolves it.
pub fn load(root: &Path) -> Result<Config> {
    let root = std::path::absolute(root).map_err(|e| Error::io(root, e))?;
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(CONFIG_FILE, e)),
    };
    resolve(parse(&text)?, root, &text)
}

/// Parses the text of a `vellum.toml`.
pub fn parse(text: &str) -> Result<RawConfig> {
    let table: toml::Table = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let unknown: Vec<Error> = table
        .keys()
        .filter(|key| !KNOWN_KEYS.contains(&key.as_str()))
        .map(|key| unknown_key(text, key))
        .collect();
    if let Some(error) = Error::collect(unknown) {
        return Err(error);
    }
    toml::from_str(text).map_err(|e| toml_error(text, &e))
}

fn unknown_key(text: &str, key: &str) -> Error {
    let line = text
        .lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1);
    let hint = suggest(key, KNOWN_KEYS)
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_else(|| format!("; known keys are {}", KNOWN_KEYS.join(", ")));
    Error::Config {
        at: Location {
            path: CONFIG_FILE.into(),
            line,
        },
        message: format!("unknown key `{key}`{hint} (put your own settings under [extra])"),
    }
}

/// The closest known name, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(word, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

fn toml_error(text: &str, e: &toml::de::Error) -> Error {
    Error::Config {
        at: Location {
            path: CONFIG_FILE.into(),
            line: e.span().map(|s| line_of(text, s.start)),
        },
        message: e.message().trim().to_string(),
    }
}

/// Checks that each name in `[check] key` is a lint (or `all`), suggesting the nearest.
fn lint_names(key: &str, names: &[String], text: &str) -> Result<()> {
    let Some(unknown) = names
        .iter()
        .find(|name| *name != "all" && !LINTS.contains(&name.as_str()))
    else {
        return Ok(());
    };
    let hint = suggest(unknown, LINTS)
        .map(|s| format!("did you mean `{s}`?"))
        .unwrap_or_else(|| format!("the lints are {} (or \"all\")", LINTS.join(", ")));
    Err(Error::Config {
        at: Location {
            path: CONFIG_FILE.into(),
            line: text
                .lines()
                .position(|l| l.trim_start().starts_with(key))
                .map(|i| i + 1),
        },
        message: format!("[check] {key}: no lint is called `{unknown}`; {hint}"),
    })
}

fn resolve(raw: RawConfig, root: PathBuf, text: &str) -> Result<Config> {
    let (check_deny, check_warn) = raw
        .check
        .map(|c| (c.deny.unwrap_or_default(), c.warn.unwrap_or_default()))
        .unwrap_or_default();
    lint_names("deny", &check_deny, text)?;
    lint_names("warn", &check_warn, text)?;
    let feeds = raw.feeds.unwrap_or_default();
    let base_url =
        normalize_base_url(raw.base_url.as_deref().unwrap_or("/")).map_err(|message| {
            Error::Config {
                at: Location::file(CONFIG_FILE),
                message,
            }
        })?;
    // Without a title, the site is named after its author; without either, after its folder,
    // until the essays are known (see `Config::title_from_folder`).
    let title_from_folder = raw.title.is_none() && raw.author.is_none();
    let title = raw.title.or_else(|| raw.author.clone()).unwrap_or_else(|| {
        root.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Essays".to_string())
    });
    let at_key = |key: &str| Location {
        path: CONFIG_FILE.into(),
        line: key_line(text, key),
    };
    let mut permalinks = Vec::new();
    let mut default_permalink = None;
    for (key, text_pattern) in raw.permalinks.unwrap_or_default() {
        let pattern = Pattern::parse(&text_pattern).map_err(|m| Error::Config {
            at: at_key(&key),
            message: format!("[permalinks] {key}: {m}"),
        })?;
        let key = key.trim_matches('/').to_string();
        if key == "default" || key.is_empty() {
            default_permalink = Some(pattern);
        } else {
            permalinks.push((key, pattern));
        }
    }
    // Deepest first, so the first folder that holds an essay is the nearest.
    permalinks.sort_by(|(a, _), (b, _)| {
        b.matches('/')
            .count()
            .cmp(&a.matches('/').count())
            .then_with(|| a.cmp(b))
    });
    let mut redirects = Vec::new();
    for (from, to) in raw.redirects.unwrap_or_default() {
        let bad = |m: String| Error::Config {
            at: at_key(&format!("\"{from}\"")),
            message: format!("[redirects] `{from}`: {m}"),
        };
        let path = crate::slugs::check_path(&from).map_err(bad)?;
        let route = if path.ends_with(".html") || path.ends_with(".htm") {
            Route {
                path: path.clone(),
                file: path,
            }
        } else {
            Route::folder(&path)
        };
        if to.trim().is_empty() || to.contains(char::is_whitespace) {
            return Err(bad(format!(
                "the URL `{to}` it redirects to must be a URL or a path such as /blog/new/"
            )));
        }
        redirects.push((route, to));
    }
    Ok(Config {
        root,
        title,
        title_from_folder,
        author: raw.author,
        description: raw.description,
        base_url,
        language: raw.language.unwrap_or_else(|| "en".to_string()),
        theme: raw.theme.filter(|t| t != "default"),
        markup: raw.markup.unwrap_or_default(),
        heading_ids: raw.heading_ids.unwrap_or_default(),
        paginate: raw.paginate.unwrap_or(20),
        feed_limit: raw.feed_limit.unwrap_or(20),
        extra: raw.extra.unwrap_or_default(),
        check_deny,
        check_warn,
        permalinks,
        default_permalink,
        redirects,
        languages: raw.languages.unwrap_or_default(),
        images: images_config(raw.images.unwrap_or_default()),
        embed_videos: raw.shortcodes.and_then(|s| s.embed_videos).unwrap_or(false),
        tag_feeds: feeds.tags.unwrap_or_default(),
        section_feeds: feeds.sections.unwrap_or(true),
        pagefind: raw.search.and_then(|s| s.pagefind).unwrap_or(false),
        related: raw.related.unwrap_or(false),
        broken_links: raw.links.and_then(|l| l.broken).unwrap_or_default(),
    })
}

fn images_config(raw: RawImages) -> ImagesConfig {
    let mut widths = raw.widths.unwrap_or_default();
    widths.retain(|&w| w > 0);
    widths.sort_unstable();
    widths.dedup();
    ImagesConfig {
        widths,
        sizes: raw
            .sizes
            .unwrap_or_else(|| crate::images::DEFAULT_SIZES.to_string()),
    }
}

/// The line of `key = …` in `text`, at any depth (a key of a table is on its own line).
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

/// Checks a base URL and gives it a trailing slash.
pub fn normalize_base_url(url: &str) -> std::result::Result<String, String> {
    let url = url.trim();
    let ok = url.starts_with("http://") || url.starts_with("https://") || url.starts_with('/');
    if !ok || url.contains(char::is_whitespace) {
        return Err(format!(
            "base_url `{url}` must be a full URL such as https://example.com/blog/ or a path starting with /"
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// A configuration with every default, rooted at `/site`, for unit tests elsewhere.
#[cfg(test)]
pub fn resolve_for_tests() -> Config {
    resolve(RawConfig::default(), PathBuf::from("/site"), "").expect("defaults resolve")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let err = parse("title = \"x\"\ntitel = \"y\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("vellum.toml:2"), "{err}");
        assert!(err.contains("did you mean `title`"), "{err}");
    }

    #[test]
    fn wrong_type_names_line() {
        let err = parse("title = \"x\"\npaginate = \"ten\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("vellum.toml:2:"), "{err}");
    }

    #[test]
    fn check_deny_names_real_lints() {
        let text = "[check]\ndeny = [\"alt-txt\"]\n";
        let err = resolve(parse(text).unwrap(), PathBuf::from("/site"), text)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("vellum.toml:2: [check] deny"), "{err}");
        assert!(err.contains("did you mean `alt-text`?"), "{err}");
        let err = parse("[check]\nwarnings = 1\n").unwrap_err().to_string();
        assert!(err.contains("unknown field `warnings`"), "{err}");
    }

    #[test]
    fn base_url_gets_trailing_slash() {
        assert_eq!(
            normalize_base_url("https://a.b/blog").as_deref(),
            Ok("https://a.b/blog/")
        );
        assert!(normalize_base_url("example.com").is_err());
    }
}
