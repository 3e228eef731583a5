//! Parsing: one [`Source`] becomes one [`Essay`] — front matter read, title, date and slug
//! settled. Essays are parsed in parallel and every failure is reported at once. The body is
//! rendered when a page first needs it ([`Body::get`]): a rebuild that finds a page unchanged
//! never pays for its Markdown or its code highlighting.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use rayon::prelude::*;

use crate::config::{Config, Markup};
use crate::date::EssayDate;
use crate::error::{Error, Location, Result, Warning};
use crate::frontmatter::{self, Extra, FrontMatter};
use crate::markdown::{self, Rendered, plain};
use crate::slugs;
use crate::source::{Source, SourceKind};

/// An essay, parsed and rendered, not yet placed in a site.
#[derive(Debug, Clone)]
pub struct Essay {
    /// Relative to the site root, for messages.
    pub source: PathBuf,
    /// The URL path under the site, without leading or trailing slashes.
    pub slug: String,
    pub title: String,
    pub date: Option<EssayDate>,
    pub updated: Option<EssayDate>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// The slug of each tag, in the same order (made once: slugs are asked for often).
    pub tag_slugs: Vec<String>,
    pub draft: bool,
    /// Old URL paths that redirect here, checked like slugs.
    pub aliases: Vec<String>,
    pub extra: Extra,
    /// The series this essay is a part of, as written.
    pub series: Option<String>,
    /// Whether its page shows a table of contents.
    pub toc: bool,
    pub body: Body,
    /// For a page bundle, its folder relative to `content/`.
    pub bundle: Option<PathBuf>,
    /// A hash of the source's path and text: equal fingerprints, equal essays (under the same
    /// configuration). Rebuilds use it to tell which pages changed.
    pub fingerprint: u64,
    /// Its URL and dates as pages show them.
    pub shown: Shown,
}

/// An essay's body: its text until first asked for, then the rendered HTML (the text is let
/// go then). Rendering cannot fail, so waiting costs no error reporting.
#[derive(Debug, Default)]
pub struct Body {
    text: Mutex<Option<Pending>>,
    rendered: OnceLock<Rendered>,
}

/// A body not rendered yet.
#[derive(Debug, Clone)]
struct Pending {
    text: Box<str>,
    /// Read as a plain essay.
    plain: bool,
    /// The URL of the essay's page. A summary is shown on list pages, away from the essay's
    /// folder: its relative links and images (a bundle's picture) are made absolute against
    /// this, so that they lead where they do on the essay's own page.
    page_url: Box<str>,
}

impl Body {
    fn new(text: &str, plain: bool, page_url: &str) -> Body {
        Body {
            text: Mutex::new(Some(Pending {
                text: text.into(),
                plain,
                page_url: page_url.into(),
            })),
            rendered: OnceLock::new(),
        }
    }

    /// The rendered body, rendering it on first use.
    pub fn get(&self) -> &Rendered {
        self.rendered.get_or_init(|| {
            let pending = self
                .text
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            let Some(pending) = pending else {
                return Rendered::default();
            };
            let mut rendered = if pending.plain {
                markdown::render_plain(&pending.text)
            } else {
                markdown::render_markdown(&pending.text)
            };
            rendered.summary =
                crate::render::urls::absolutize(&rendered.summary, &pending.page_url);
            rendered
        })
    }
}

impl Clone for Body {
    fn clone(&self) -> Body {
        let body = Body::default();
        match self.rendered.get() {
            Some(rendered) => {
                let _ = body.rendered.set(rendered.clone());
            }
            None => {
                let text = self.text.lock().unwrap_or_else(PoisonError::into_inner);
                *body.text.lock().unwrap_or_else(PoisonError::into_inner) = text.clone();
            }
        }
        body
    }
}

/// An essay's URL and dates as text, made once when it is read: every list, the archive and
/// the sitemap show them, and a rebuild of a large site lists every essay again.
#[derive(Debug, Clone, Default)]
pub struct Shown {
    /// The full URL of its page.
    pub url: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub date_rfc3339: Option<String>,
    pub updated: Option<String>,
    pub updated_rfc3339: Option<String>,
}

/// Parses every source; all failures come back together.
pub fn parse_all(sources: &[Source], config: &Config) -> Result<(Vec<Essay>, Vec<Warning>)> {
    let results: Vec<Result<(Essay, Option<Warning>)>> =
        sources.par_iter().map(|s| parse(s, config)).collect();
    let mut essays = Vec::with_capacity(results.len());
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok((essay, warning)) => {
                essays.push(essay);
                warnings.extend(warning);
            }
            Err(e) => errors.push(e),
        }
    }
    match Error::collect(errors) {
        Some(error) => Err(error),
        None => Ok((essays, warnings)),
    }
}

/// Parses one source. The warning, if any, is about a missing date.
pub fn parse(source: &Source, config: &Config) -> Result<(Essay, Option<Warning>)> {
    let at = |line: Option<usize>| Location {
        path: source.path.clone(),
        line,
    };
    let split =
        frontmatter::split(&source.text).map_err(|(line, m)| Error::content(at(line), m))?;
    let (fm, extra) =
        frontmatter::parse(&split).map_err(|(line, m)| Error::content(at(line), m))?;

    let file_name = file_name(source);
    let name_date = EssayDate::from_file_name(&file_name);
    let name = name_date.map_or(file_name.as_str(), |(_, rest)| rest);

    let plain_reading = match fm.markup.unwrap_or(config.markup) {
        Markup::Plain => true,
        Markup::Markdown => false,
        Markup::Auto => source.kind == SourceKind::Text || plain::looks_plain(split.body),
    };
    let (title, body_text) = settle_title(fm.title.as_deref(), split.body, plain_reading);
    let title = title.unwrap_or_else(|| title_from_name(name));

    let slug = match &fm.slug {
        Some(slug) => slugs::check_path(slug)
            .map_err(|m| Error::content(at(split.key_line("slug")), format!("bad slug: {m}")))?,
        None => slugs::slugify(name),
    };
    let aliases = fm
        .aliases
        .clone()
        .map(|a| a.into_vec())
        .unwrap_or_default()
        .iter()
        .map(|alias| slugs::check_path(alias))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|m| Error::content(at(split.key_line("aliases")), format!("bad alias: {m}")))?;

    let url = config.url(&format!("{slug}/"));
    let body = Body::new(body_text, plain_reading, &url);
    let date = fm.date.map(|d| d.0).or(name_date.map(|(d, _)| d));
    let warning = date.is_none().then(|| Warning {
        at: at(None),
        message: "no date; add `date = 2026-11-28` to the front matter or a 2026-11-28- prefix to the file name (listed after dated essays)".to_string(),
    });
    let tags = tags(&fm);
    let updated = fm.updated.map(|d| d.0);
    let shown = Shown {
        url,
        date: date.map(|d| d.ymd()),
        date_rfc3339: date.map(|d| d.rfc3339()),
        updated: updated.map(|d| d.ymd()),
        updated_rfc3339: updated.map(|d| d.rfc3339()),
    };
    let essay = Essay {
        source: source.path.clone(),
        slug,
        title,
        date,
        updated,
        description: fm.description.clone().filter(|d| !d.trim().is_empty()),
        tag_slugs: tags.iter().map(|t| slugs::slugify(t)).collect(),
        tags,
        draft: fm.draft.unwrap_or(false) || fm.published == Some(false),
        aliases,
        series: fm
            .series
            .clone()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        // `toc = true`, or in `[extra]` as Zola themes have it.
        toc: fm.toc.unwrap_or_else(|| extra_flag(&extra, "toc")),
        extra,
        body,
        bundle: source.bundle.clone(),
        fingerprint: {
            let mut hasher = DefaultHasher::new();
            (&source.path, &source.text).hash(&mut hasher);
            hasher.finish()
        },
        shown,
    };
    Ok((essay, warning))
}

/// An `extra` key holding `true`.
fn extra_flag(extra: &crate::frontmatter::Extra, key: &str) -> bool {
    use crate::frontmatter::ExtraValue;
    matches!(
        extra.get(key),
        Some(ExtraValue::Toml(toml::Value::Boolean(true)))
            | Some(ExtraValue::Yaml(serde_norway::Value::Bool(true)))
    )
}

/// The name an essay is known by: its file's stem, or its folder's for `dir/index.md`.
fn file_name(source: &Source) -> String {
    let path: &Path = match &source.bundle {
        Some(dir) => dir,
        None => &source.path,
    };
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `on-keeping-a-notebook` → `On keeping a notebook`.
fn title_from_name(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".to_string(),
    }
}

/// Takes the title from the body's first line when front matter gives none (a plain essay's
/// first short line, or a Markdown `# Heading`), and drops a first line that repeats the title.
fn settle_title<'a>(
    given: Option<&str>,
    body: &'a str,
    plain_reading: bool,
) -> (Option<String>, &'a str) {
    let first_line = if plain_reading {
        plain::split_title(body)
    } else {
        markdown_title(body)
    };
    match (given, first_line) {
        (Some(title), Some((line, rest))) if line == title.trim() => {
            (Some(title.to_string()), rest)
        }
        (Some(title), _) => (Some(title.to_string()), body),
        (None, Some((line, rest))) => (Some(line.to_string()), rest),
        (None, None) => (None, body),
    }
}

fn markdown_title(body: &str) -> Option<(&str, &str)> {
    let body = body.trim_start_matches(['\n', ' ']);
    let (first, rest) = body.split_once('\n').unwrap_or((body, ""));
    let title = first
        .strip_prefix("# ")?
        .trim()
        .trim_end_matches('#')
        .trim();
    (!title.is_empty()).then_some((title, rest))
}

/// Tags from every field the other generators use, trimmed, without duplicates.
fn tags(fm: &FrontMatter) -> Vec<String> {
    let taxonomies = fm.taxonomies.as_ref();
    let lists = [
        fm.tags.clone(),
        fm.categories.clone(),
        taxonomies.and_then(|t| t.tags.clone()),
        taxonomies.and_then(|t| t.categories.clone()),
    ];
    let mut out: Vec<String> = Vec::new();
    for tag in lists.into_iter().flatten().flat_map(|l| l.into_vec()) {
        let tag = tag.trim().to_string();
        if !tag.is_empty()
            && !out
                .iter()
                .any(|t| slugs::slugify(t) == slugs::slugify(&tag))
        {
            out.push(tag);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(path: &str, text: &str) -> Source {
        Source {
            path: PathBuf::from("content").join(path),
            abs: PathBuf::from("/site/content").join(path),
            kind: crate::source::essay_kind(Path::new(path)).unwrap(),
            text: text.to_string(),
            bundle: None,
        }
    }

    fn config() -> Config {
        crate::config::resolve_for_tests()
    }

    #[test]
    fn plain_essay_takes_title_from_first_line() {
        let (essay, warning) = parse(
            &source(
                "2026-01-02-notes.txt",
                "On Notes\nA line.\nA heading\nAnother line.\n",
            ),
            &config(),
        )
        .unwrap();
        assert_eq!(essay.title, "On Notes");
        assert_eq!(essay.slug, "notes");
        assert_eq!(essay.date.unwrap().ymd(), "2026-01-02");
        assert!(warning.is_none());
        assert!(!essay.body.get().html.contains("On Notes"));
    }

    #[test]
    fn markdown_h1_becomes_title_and_name_gives_slug() {
        let (essay, warning) = parse(
            &source("my-essay.md", "# The Title\n\nBody text.\n"),
            &config(),
        )
        .unwrap();
        assert_eq!(essay.title, "The Title");
        assert_eq!(essay.slug, "my-essay");
        assert_eq!(essay.body.get().html, "<p>Body text.</p>\n");
        assert!(warning.unwrap().message.contains("no date"));
    }

    #[test]
    fn title_falls_back_to_file_name() {
        let (essay, _) = parse(&source("on-walking.md", ""), &config()).unwrap();
        assert_eq!(essay.title, "On walking");
    }

    #[test]
    fn slug_that_leaves_the_site_is_an_error_on_its_line() {
        let err = parse(
            &source("x.md", "+++\ntitle = \"x\"\nslug = \"../../etc\"\n+++\n"),
            &config(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("content/x.md:3: bad slug"), "{err}");
    }

    #[test]
    fn tags_merge_without_duplicates() {
        let (essay, _) = parse(
            &source(
                "t.md",
                "---\ntags: [Rust, writing]\ncategories: rust essays\n---\n",
            ),
            &config(),
        )
        .unwrap();
        assert_eq!(essay.tags, ["Rust", "writing", "essays"]);
    }

    #[test]
    fn markup_setting_forces_a_reading() {
        let text = "+++\nmarkup = \"markdown\"\n+++\nFirst line\nsecond *line*\nthird\n";
        let (essay, _) = parse(&source("m.txt", text), &config()).unwrap();
        assert!(
            essay.body.get().html.contains("<em>line</em>"),
            "{}",
            essay.body.get().html
        );
    }
}
