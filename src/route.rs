//! URLs: where an essay's page is served and which file holds it, made by one function
//! ([`route`]) from a pattern and what the essay says of itself.
//!
//! A pattern is what `[permalinks]` in `vellum.toml` gives, or a front-matter `path` (Zola),
//! `url` (Hugo) or `permalink` (Jekyll). Placeholders are the ones Jekyll and Hugo sites use
//! (see [`PLACEHOLDERS`]); an empty one collapses, so `/:categories/:slug/` without categories
//! is `/:slug/`. A pattern ending in `.html` names a file (`2014/09/02/x.html`), Jekyll's
//! default; any other names a folder (`blog/x/`, written as `blog/x/index.html`).

use crate::date::EssayDate;
use crate::slugs;

/// The built-in rule: URLs mirror the folders under `content/` (`content/blog/x.md` is
/// `/blog/x/`, and a top-level essay stays at `/<slug>/`).
pub const DEFAULT: &str = "/:path/:slug/";

/// [`DEFAULT`], parsed.
pub fn builtin() -> &'static Pattern {
    static BUILTIN: std::sync::LazyLock<Pattern> =
        std::sync::LazyLock::new(|| Pattern::parse(DEFAULT).expect("the default pattern parses"));
    &BUILTIN
}

/// The placeholders a pattern may hold, for messages.
pub const PLACEHOLDERS: &str = ":year, :month, :day, :slug, :title, :section, :path, :categories";

/// Jekyll's named permalink styles (`lib/jekyll/configuration.rb`), which a Jekyll site's
/// `permalink:` may give instead of a pattern.
const STYLES: &[(&str, &str)] = &[
    ("date", "/:categories/:year/:month/:day/:title.html"),
    ("pretty", "/:categories/:year/:month/:day/:title/"),
    ("none", "/:categories/:title.html"),
];

/// A checked pattern, ready to expand.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pattern {
    pieces: Vec<Piece>,
    /// Ends in `.html`/`.htm`: the URL names a file, not a folder.
    file: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Piece {
    Text(String),
    Year,
    Month,
    Day,
    Slug,
    Title,
    Section,
    Path,
    Categories,
}

impl Piece {
    fn needs_date(&self) -> bool {
        matches!(self, Piece::Year | Piece::Month | Piece::Day)
    }
}

impl Pattern {
    /// Reads a pattern or a Jekyll style name. What is wrong is said as a sentence about the
    /// pattern, for the caller to place.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let text = text.trim();
        let text = STYLES
            .iter()
            .find(|(name, _)| *name == text)
            .map_or(text, |(_, pattern)| pattern);
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(at) = rest.find(':') {
            push_text(&mut pieces, &rest[..at]);
            let after = &rest[at + 1..];
            let len = after
                .find(|c: char| !(c.is_ascii_alphabetic() || c == '_'))
                .unwrap_or(after.len());
            let piece = match &after[..len] {
                "year" => Piece::Year,
                "month" => Piece::Month,
                "day" => Piece::Day,
                "slug" => Piece::Slug,
                "title" => Piece::Title,
                "section" => Piece::Section,
                "path" => Piece::Path,
                "categories" => Piece::Categories,
                other => {
                    return Err(format!(
                        "`{text}` has the placeholder `:{other}`, which vellum does not know; the placeholders are {PLACEHOLDERS}"
                    ));
                }
            };
            pieces.push(piece);
            rest = &after[len..];
        }
        push_text(&mut pieces, rest);
        let file = text.ends_with(".html") || text.ends_with(".htm");
        Ok(Pattern { pieces, file })
    }

    /// A pattern that is taken as written, placeholders and all (Zola's `path`).
    pub fn literal(text: &str) -> Pattern {
        let text = text.trim();
        Pattern {
            pieces: vec![Piece::Text(text.to_string())],
            file: text.ends_with(".html") || text.ends_with(".htm"),
        }
    }

    pub fn needs_date(&self) -> bool {
        self.pieces.iter().any(Piece::needs_date)
    }
}

fn push_text(pieces: &mut Vec<Piece>, text: &str) {
    if !text.is_empty() {
        pieces.push(Piece::Text(text.to_string()));
    }
}

/// What an essay says of itself that its URL may be made of.
#[derive(Debug, Clone, Copy)]
pub struct RouteInput<'a> {
    /// The folders under `content/` that hold it, as written (a bundle's own folder left out).
    pub dirs: &'a [String],
    /// Its file's name (a bundle's folder name) less extension and date, as written.
    pub name: &'a str,
    /// Its slug (`:slug`).
    pub slug: &'a str,
    /// The slug its front matter gives, if any: Jekyll's `:title` prefers it.
    pub given_slug: Option<&'a str>,
    pub date: Option<EssayDate>,
    pub categories: &'a [String],
}

/// Where a page is served and the file that holds it, both relative to the site's root:
/// `blog/x/` in `blog/x/index.html`, or `2014/09/02/x.html` in itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Route {
    pub path: String,
    pub file: String,
}

impl Route {
    /// The route of a folder URL (`blog/x/`, or `` for the site's root).
    pub fn folder(path: &str) -> Route {
        let path = path.trim_matches('/');
        if path.is_empty() {
            return Route {
                path: String::new(),
                file: "index.html".to_string(),
            };
        }
        Route {
            path: format!("{path}/"),
            file: format!("{path}/index.html"),
        }
    }

    /// The folder the page's file is in, with a trailing slash (or empty for the root): where
    /// a bundle's pictures go, so that its relative links lead to them.
    pub fn folder_of_file(&self) -> &str {
        self.file.rfind('/').map_or("", |i| &self.file[..=i])
    }
}

/// The route `pattern` gives an essay. What is wrong is said as a sentence about it.
pub fn route(input: &RouteInput, pattern: &Pattern) -> Result<Route, String> {
    if pattern.needs_date() && input.date.is_none() {
        return Err(
            "its URL pattern has a date in it (:year, :month or :day), and it has no date; give it a `date`"
                .to_string(),
        );
    }
    let mut url = String::new();
    for piece in &pattern.pieces {
        match piece {
            Piece::Text(text) => url.push_str(text),
            Piece::Year => url.push_str(&format!("{:04}", date(input).year())),
            Piece::Month => url.push_str(&format!("{:02}", date(input).month())),
            Piece::Day => url.push_str(&format!("{:02}", date(input).day())),
            Piece::Slug => url.push_str(input.slug),
            Piece::Title => url.push_str(&match input.given_slug {
                Some(slug) => slugs::pretty(slug),
                None => slugs::pretty(input.name),
            }),
            Piece::Section => {
                if let Some(first) = input.dirs.first() {
                    url.push_str(&slugs::slugify_name(first));
                }
            }
            Piece::Path => {
                let folders: Vec<String> =
                    input.dirs.iter().map(|d| slugs::slugify_name(d)).collect();
                url.push_str(&folders.join("/"));
            }
            Piece::Categories => {
                let categories: Vec<String> = input
                    .categories
                    .iter()
                    .map(|c| c.trim().to_lowercase())
                    .filter(|c| !c.is_empty())
                    .collect();
                url.push_str(&categories.join("/"));
            }
        }
    }
    // Empty placeholders collapse: no `//`, no leading or trailing slash left to check.
    let parts: Vec<&str> = url.split('/').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return Err("its URL is the site's root, where the home page is".to_string());
    }
    let path = slugs::check_path(&parts.join("/"))?;
    Ok(if pattern.file {
        Route {
            path: path.clone(),
            file: path,
        }
    } else {
        Route::folder(&path)
    })
}

fn date(input: &RouteInput) -> jiff::civil::Date {
    input.date.map(|d| d.civil.date()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(dirs: &'a [String], name: &'a str, slug: &'a str) -> RouteInput<'a> {
        RouteInput {
            dirs,
            name,
            slug,
            given_slug: None,
            date: Some(EssayDate::parse("2014-09-02 21:30:00 +0100").unwrap()),
            categories: &[],
        }
    }

    fn url(pattern: &str, input: &RouteInput) -> Result<Route, String> {
        route(input, &Pattern::parse(pattern)?)
    }

    #[test]
    fn the_default_mirrors_folders_and_keeps_top_level_essays_where_they_were() {
        let dirs = ["blog".to_string(), "Rust 1.12".to_string()];
        let r = url(DEFAULT, &input(&dirs, "Hello", "hello")).unwrap();
        assert_eq!(r.path, "blog/rust-1.12/hello/");
        assert_eq!(r.file, "blog/rust-1.12/hello/index.html");
        let r = url(DEFAULT, &input(&[], "Hello", "hello")).unwrap();
        assert_eq!(r.path, "hello/");
        assert_eq!(r.folder_of_file(), "hello/");
    }

    #[test]
    fn jekyll_dates_and_titles_with_case_kept() {
        let r = url("date", &input(&[], "from-GAN-to-WGAN", "from-gan-to-wgan")).unwrap();
        assert_eq!(r.path, "2014/09/02/from-GAN-to-WGAN.html");
        assert_eq!(r.file, r.path);
        assert_eq!(r.folder_of_file(), "2014/09/02/");
        let cats = ["Machine".to_string(), "Learning".to_string()];
        let with_categories = RouteInput {
            categories: &cats,
            ..input(&[], "x", "x")
        };
        let r = url("pretty", &with_categories).unwrap();
        assert_eq!(r.path, "machine/learning/2014/09/02/x/");
    }

    #[test]
    fn placeholders_mix_with_text_and_empty_ones_collapse() {
        let dirs = ["posts".to_string(), "deep".to_string()];
        let r = url("/:section/:year-:month/:slug", &input(&dirs, "N", "n")).unwrap();
        assert_eq!(r.path, "posts/2014-09/n/");
        let r = url("/:categories/:slug/", &input(&[], "N", "n")).unwrap();
        assert_eq!(r.path, "n/");
    }

    #[test]
    fn problems_are_sentences() {
        let err = Pattern::parse("/:year/:week/:slug/").unwrap_err();
        assert!(err.contains("`:week`"), "{err}");
        let undated = RouteInput {
            date: None,
            ..input(&[], "x", "x")
        };
        assert!(
            url("/:year/:slug/", &undated)
                .unwrap_err()
                .contains("no date")
        );
        assert!(url("/../:slug/", &input(&[], "x", "x")).is_err());
        assert!(url("/:categories/", &input(&[], "x", "x")).is_err());
    }

    #[test]
    fn a_literal_path_keeps_its_colons_out_of_placeholders() {
        let r = route(&input(&[], "x", "x"), &Pattern::literal("/about/me")).unwrap();
        assert_eq!(r.file, "about/me/index.html");
    }
}
