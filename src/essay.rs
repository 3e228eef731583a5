//! Parsing: one [`Source`] becomes one [`Essay`] — front matter read, title, date and slug
//! settled. The body is rendered when a page needs it ([`Body::html`], [`Body::digest`]): a
//! rebuild that finds a page unchanged never pays for its Markdown or its code highlighting.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::config::{Config, Markup};
use crate::date::EssayDate;
use crate::error::{Error, Location, Result, Warning};
use crate::frontmatter::{self, Extra, FrontMatter};
use crate::markdown::{self, Heading, plain};
use crate::markers::{self, Kind};
use crate::route::{self, Route};
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
    /// HTML of front matter `summary` (Hugo) or `excerpt` (Jekyll): what lists show of it in
    /// place of the text before `<!-- more -->`.
    pub summary: Option<String>,
    pub tags: Vec<String>,
    /// The slug of each tag, in the same order (made once: slugs are asked for often).
    pub tag_slugs: Vec<String>,
    pub draft: bool,
    /// Old URL paths that redirect here, checked like slugs.
    pub aliases: Vec<String>,
    /// Other names wikilinks may call it by (Obsidian's `aliases` that are not URL paths,
    /// see [`is_url_path`]).
    pub names: Vec<String>,
    pub extra: Extra,
    /// The series this essay is a part of, as written.
    pub series: Option<String>,
    /// Whether its page shows a table of contents.
    pub toc: bool,
    pub body: Body,
    /// For a page bundle, its folder relative to `content/`.
    pub bundle: Option<PathBuf>,
    /// The folder under `content/` that holds it (a bundle's parent), `/`-separated; empty
    /// at the top. Its sections are the folders on the way there.
    pub dir: String,
    /// What its front matter says it is; `None` lets its place decide (see [`content`]).
    pub kind: Option<Kind>,
    /// Its place in the site's menu, if it is in it (see [`markers::menu_of`]).
    pub menu: Option<i64>,
    /// Zola's and Hugo's `weight`, for sections ordered by it.
    pub weight: Option<i64>,
    /// Where its page is served.
    pub route: Route,
    /// For a translation, its language (one `[languages]` lists).
    pub lang: Option<String>,
    /// Its file relative to `content/`, less any language: a text and its translations
    /// share it (`blog/x.md` for `blog/x.es.md`).
    pub key: String,
    /// A hash of the source's path and text: equal fingerprints, equal essays (under the same
    /// configuration). Rebuilds use it to tell which pages changed.
    pub fingerprint: u64,
    /// Its URL and dates as pages show them.
    pub shown: Shown,
    /// Its links to other essays' files (`@/x.md`, `{{< ref >}}`, …), resolved at collect.
    pub links: Vec<markdown::file_links::FileLink>,
    /// Its formulas that TeX cannot read, as warnings at their lines: found when it is read,
    /// since its body is rendered only when a page needs it (see [`markdown::math`]).
    pub math_errors: Vec<Warning>,
    /// The absolute URL of the image its front matter names for shared links (`image`,
    /// `cover`, `images`), if any; otherwise its first image is used (see [`Digest::image`]).
    pub image: Option<String>,
    /// Its shortcode calls and Liquid that cannot be rendered (unknown, failing), as warnings
    /// at their lines: found when it is read, as `math_errors` are.
    pub shortcode_warnings: Vec<Warning>,
}

impl Essay {
    /// The file line of a front-matter key, for a problem found after parsing. Worked out
    /// again from the text: such problems are rare, and keeping lines would cost every essay.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        frontmatter::split(&self.body.text).ok()?.key_line(key)
    }
}

/// An essay's body: its text, rendered when a page asks. What list pages show of it (the
/// summary, the headings, the word count) is kept once worked out; the rendered HTML is not:
/// only the essay's own page and the feed need it, and keeping every page's HTML would more
/// than double a large site's memory. Rendering cannot fail, so waiting costs no error
/// reporting.
#[derive(Debug, Default)]
pub struct Body {
    /// The essay's whole file; the body is `range` of it.
    text: String,
    range: std::ops::Range<usize>,
    /// Read as a plain essay.
    plain: bool,
    /// What rendering needs beyond the text: how heading ids are made, and so on.
    env: markdown::Env,
    /// The URL of the essay's page. A summary is shown on list pages, away from the essay's
    /// folder: its relative links and images (a bundle's picture) are made absolute against
    /// this, so that they lead where they do on the essay's own page.
    page_url: Box<str>,
    /// The essay, as the remembered code blocks know it (`code_cache::owner`).
    code_owner: u64,
    digest: OnceLock<Digest>,
    /// HTML rendered to work out the digest, until the essay's page takes it: a page shows
    /// its neighbours' cards, so a neighbour's digest is often needed first, by another
    /// thread, and its page would otherwise render the same body twice.
    html: Mutex<Option<String>>,
}

impl Clone for Body {
    fn clone(&self) -> Body {
        Body {
            text: self.text.clone(),
            range: self.range.clone(),
            plain: self.plain,
            env: self.env.clone(),
            page_url: self.page_url.clone(),
            code_owner: self.code_owner,
            digest: self.digest.clone(),
            html: Mutex::default(),
        }
    }
}

/// What pages other than the essay's own show of its body.
#[derive(Debug, Clone, Default)]
pub struct Digest {
    /// HTML: the text before `<!-- more -->`, otherwise the first paragraph.
    pub summary: String,
    pub toc: Vec<Heading>,
    pub word_count: usize,
    /// The absolute URL of its first image.
    pub image: Option<String>,
}

impl Digest {
    /// Whole minutes, at least one.
    pub fn reading_time(&self) -> usize {
        markdown::reading_time(self.word_count)
    }
}

impl Body {
    fn new(
        text: String,
        range: std::ops::Range<usize>,
        plain: bool,
        env: markdown::Env,
        page_url: &str,
        source: &Path,
    ) -> Body {
        // This essay still exists: the code blocks it was last rendered with stay remembered,
        // even if this build does not render it.
        let code_owner = markdown::code_cache::owner(source);
        markdown::code_cache::keep(code_owner);
        Body {
            text,
            range,
            plain,
            env,
            page_url: page_url.into(),
            code_owner,
            digest: OnceLock::new(),
            html: Mutex::default(),
        }
    }

    /// Whether the body is a plain essay (one paragraph a line), not Markdown.
    pub fn is_plain(&self) -> bool {
        self.plain
    }

    /// The summary, headings and word count, rendering the body the first time.
    pub fn digest(&self) -> &Digest {
        self.digest.get_or_init(|| {
            let (html, digest) = self.render();
            *self.lock_html() = Some(html);
            digest
        })
    }

    /// The rendered HTML: the copy rendered for the digest if no one has taken it yet,
    /// otherwise made anew.
    pub fn html(&self) -> String {
        if let Some(html) = self.lock_html().take() {
            return html;
        }
        let (html, digest) = self.render();
        let _ = self.digest.set(digest);
        html
    }

    /// Lets go of HTML rendered for the digest that no page took (a render that showed this
    /// essay's card but not its page).
    pub fn release(&self) {
        self.lock_html().take();
    }

    fn lock_html(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        self.html.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The essay's whole file and where its body is in it: what an embed of it cuts from.
    pub fn source_text(&self) -> (&str, std::ops::Range<usize>) {
        (&self.text, self.range.clone())
    }

    /// The HTML of `part` of the file (a section of the body), rendered as the body is, for
    /// another essay that embeds it. Its links are as written, to be resolved by the caller.
    pub fn render_part(&self, part: std::ops::Range<usize>) -> String {
        let text = &self.text[part];
        let rendered = match self.plain {
            true => markdown::render_plain_with(text, &self.env),
            false => markdown::render_markdown_with(text, &self.env),
        };
        rendered.html
    }

    fn render(&self) -> (String, Digest) {
        let text = &self.text[self.range.clone()];
        let rendered = markdown::code_cache::used_by(self.code_owner, || {
            if self.plain {
                markdown::render_plain_with(text, &self.env)
            } else {
                markdown::render_markdown_with(text, &self.env)
            }
        });
        let digest = Digest {
            summary: crate::urls::absolutize(&rendered.summary, &self.page_url),
            toc: rendered.toc,
            word_count: rendered.word_count,
            image: rendered
                .image
                .map(|src| crate::urls::absolute(&src, &self.page_url)),
        };
        (rendered.html, digest)
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

/// `page.url` as Jekyll has it: the essay's path from the site's root, with a leading `/`.
fn page_path(route: &str) -> String {
    format!("/{}", route.trim_start_matches('/'))
}

/// Parses one source. The warning, if any, is about its date: missing, or given on two days.
/// `shortcodes` are the site's shortcode templates, which its calls render.
pub fn parse(
    source: Source,
    config: &Config,
    shortcodes: &Arc<markdown::shortcodes::Library>,
) -> Result<(Essay, Option<Warning>)> {
    let at = |line: Option<usize>| Location {
        path: source.path.clone(),
        line,
    };
    let split =
        frontmatter::split(&source.text).map_err(|(line, m)| Error::content(at(line), m))?;
    let (fm, extra) =
        frontmatter::parse(&split).map_err(|(line, m)| Error::content(at(line), m))?;

    let file_name = file_name(&source);
    let name_date = EssayDate::from_file_name(&file_name)
        .map(|(date, rest)| date.map(|d| (d, rest)))
        .transpose()
        .map_err(|m| Error::content(at(None), format!("file name: {m}")))?;
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
        None => {
            let slug = slugs::slugify_name(name);
            slugs::check_part(&slug).map_err(|m| {
                Error::content(
                    at(None),
                    format!(
                        "file name: the slug `{}` made from it {m}; set another `slug` in the front matter",
                        slugs::shorten(&slug)
                    ),
                )
            })?;
            slug
        }
    };
    let written: Vec<String> = fm.aliases.clone().map(|a| a.into_vec()).unwrap_or_default();
    let names: Vec<String> = written
        .iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    let aliases: Vec<&String> = written.iter().filter(|a| is_url_path(a)).collect();
    let aliases = aliases
        .iter()
        .map(|alias| slugs::check_path(alias))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|m| Error::content(at(split.key_line("aliases")), format!("bad alias: {m}")))?;

    let (date, other_day) = settle_date(fm.date.map(|d| d.0), name_date.map(|(d, _)| d));
    let dirs = folders(&source);
    let categories = fm
        .categories
        .as_ref()
        .map(|c| {
            c.items()
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let input = route::RouteInput {
        dirs: &dirs,
        name,
        slug: &slug,
        given_slug: fm.slug.as_deref(),
        date,
        categories: &categories,
    };
    // Front matter that gives the whole URL is taken as it is; otherwise the nearest pattern
    // places the essay, and a translation goes under its language (Zola's
    // `path = "/es/about"` names the language itself).
    let route = match markers::url_override(&extra) {
        Some((key, pattern)) => pattern
            .and_then(|pattern| route::route(&input, &pattern))
            .map_err(|m| Error::content(at(split.key_line(key)), format!("{key}: {m}")))?,
        None => {
            let (rule, pattern) = config.permalink(&dirs);
            let route = route::route(&input, pattern).map_err(|m| {
                Error::content(at(None), format!("{m} (the URL pattern is {rule})"))
            })?;
            match &source.lang {
                Some(code) => Route {
                    path: format!("{code}/{}", route.path),
                    file: format!("{code}/{}", route.file),
                },
                None => route,
            }
        }
    };
    let url = config.url(&route.path);
    // Where the body starts in the file: the body keeps the file's text rather than a copy.
    let body_start = body_text.as_ptr() as usize - source.text.as_ptr() as usize;
    let body_range = body_start..body_start + body_text.len();
    // Git history dates only an essay that dates itself nowhere (see `crate::history`), and
    // not its URL: that must not change with the depth of a clone.
    let history = source.history;
    let date = date.or(history.map(|h| h.first));
    let warning = match other_day {
        Some(message) => Some(Warning {
            at: at(split.key_line("date")),
            message,
        }),
        None => date.is_none().then(|| Warning {
            at: at(None),
            message: "no date; add `date = 2026-11-28` to the front matter or a 2026-11-28- prefix to the file name (listed after dated essays)".to_string(),
        }),
    };
    let inline_tags = match plain_reading {
        true => Vec::new(),
        false => markdown::obsidian::inline_tags(&markdown::obsidian::prepare(body_text)),
    };
    let (tags, tag_slugs) = tags(&fm, inline_tags);
    check_tag_slugs(&tags, &tag_slugs, &fm, &split)
        .map_err(|(line, m)| Error::content(at(line), m))?;
    let updated = fm.updated.map(|d| d.0).or_else(|| {
        let later = history?.updated()?;
        date.is_none_or(|d| later > d).then_some(later)
    });
    // History dates are inputs too: a first commit of an unchanged file dates its page.
    let fingerprint = crate::fingerprint(&(&source.path, &source.text, history));
    let shown = Shown {
        url,
        date: date.map(|d| d.ymd()),
        date_rfc3339: date.map(|d| d.rfc3339()),
        updated: updated.map(|d| d.ymd()),
        updated_rfc3339: updated.map(|d| d.rfc3339()),
    };
    let mut env = markdown::Env::for_site(config);
    env.shortcodes = markdown::shortcodes::Scope {
        library: Some(Arc::clone(shortcodes)),
        page: Arc::new((title.clone(), page_path(&route.path))),
    };
    let shortcode_warnings: Vec<Warning> = match plain_reading {
        true => Vec::new(),
        false => markdown::shortcodes::check(&source.text, body_range.clone(), &env.shortcodes)
            .into_iter()
            .map(|(line, message)| Warning {
                at: at(Some(line)),
                message,
            })
            .collect(),
    };
    let (links, math_errors) = match plain_reading {
        true => (Vec::new(), Vec::new()),
        false => (
            markdown::file_links::scan(&source.text, body_range.clone()),
            markdown::math::check(&source.text, body_range.clone())
                .into_iter()
                .map(|e| Warning {
                    at: at(Some(e.line)),
                    message: e.message,
                })
                .collect(),
        ),
    };
    let body = Body::new(
        source.text,
        body_range,
        plain_reading,
        env.for_page(&shown.url, source.bundle.as_deref()),
        &shown.url,
        &source.path,
    );
    let image = crate::images::social::from_front_matter(&extra)
        .map(|image| crate::images::social::absolute(&image, &shown.url, &config.base_url));
    let essay = Essay {
        image,
        source: source.path,
        slug,
        title,
        date,
        updated,
        summary: fm
            .summary
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| crate::urls::absolutize(&markdown::render_markdown(s).summary, &shown.url)),
        description: [&fm.description, &fm.summary]
            .into_iter()
            .flatten()
            .find(|d| !d.trim().is_empty())
            .cloned(),
        tags,
        tag_slugs,
        draft: fm.draft.unwrap_or(false) || fm.published == Some(false),
        aliases,
        names,
        series: fm
            .series
            .clone()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        // `toc = true`, or in `[extra]` as Zola themes have it.
        toc: fm.toc.unwrap_or_else(|| extra_flag(&extra, "toc")),
        body,
        bundle: source.bundle,
        dir: dirs.join("/"),
        kind: markers::kind_of(&extra),
        menu: markers::menu_of(&extra),
        weight: markers::weight_of(&extra),
        extra,
        route,
        key: translation_key(&source.rel, source.lang.as_deref()),
        lang: source.lang,
        fingerprint,
        shown,
        links,
        math_errors,
        shortcode_warnings,
    };
    Ok((essay, warning))
}

/// Whether an `aliases` value is also an old URL path to redirect from (Hugo, Jekyll's
/// `redirect_from`); every value is a name for wikilinks (Obsidian) as well. A value with a
/// `/` or ending in `.html` is a path (and an error if it cannot be one); a single word is one
/// when it can be (`old-name`); a value with a space (`Plain Files`), or that no URL path can
/// hold (`What?`), is only a name.
pub fn is_url_path(alias: &str) -> bool {
    let alias = alias.trim();
    alias.contains('/') || alias.ends_with(".html") || slugs::check_path(alias).is_ok()
}

/// The date from the front matter and the one from the file name, as Jekyll reads a post:
/// the file name gives the day, the front matter the time of day and offset (a front-matter
/// date without a time is midnight UTC, as the file name's is, so it changes nothing). A
/// front-matter date on another day is a likely slip: said in the warning.
fn settle_date(
    given: Option<EssayDate>,
    named: Option<EssayDate>,
) -> (Option<EssayDate>, Option<String>) {
    match (given, named) {
        (Some(given), Some(named)) => {
            let warning = (given.ymd() != named.ymd()).then(|| {
                format!(
                    "date: {} is another day than the file name's {}; the file name's day is used",
                    given.ymd(),
                    named.ymd()
                )
            });
            (Some(given.at_time_on(named)), warning)
        }
        (given, named) => (given.or(named), None),
    }
}

/// The most tags one essay may have. Each tag's page lists the essay with all its tags, so
/// an essay's tags cost the square of their number: 20,000 took minutes and would write
/// gigabytes. Real essays have a handful.
pub const MAX_TAGS: usize = 200;

/// Too many tags, or a tag whose page could not be written on every system (see
/// [`slugs::check_part`]), as a problem on the line of the field it came from. Only a failing
/// tag is looked for in the fields, so that the usual case costs one check per tag.
fn check_tag_slugs(
    tags: &[String],
    tag_slugs: &[String],
    fm: &FrontMatter,
    split: &frontmatter::Split,
) -> std::result::Result<(), frontmatter::Problem> {
    if tags.len() > MAX_TAGS {
        let line = split
            .key_line("tags")
            .or_else(|| split.key_line("categories"))
            .or_else(|| split.key_line("taxonomies"));
        return Err((
            line,
            format!(
                "tags: {} different tags, and an essay may have at most {MAX_TAGS} (every tag's page lists the essay with all of its tags)",
                tags.len()
            ),
        ));
    }
    for (tag, slug) in tags.iter().zip(tag_slugs) {
        let Err(reason) = slugs::check_part(slug) else {
            continue;
        };
        let (field, key) = fm
            .tag_fields()
            .into_iter()
            .find(|(_, _, list)| list.is_some_and(|l| l.items().iter().any(|t| t.trim() == tag)))
            .map_or(("tags", "tags"), |(field, key, _)| (field, key));
        let line = split.key_line(key).or_else(|| split.key_line("taxonomies"));
        // Its page is at `tags/<slug>/`; the slug is named only when it differs from the tag.
        let becomes = if slug == tag {
            String::new()
        } else {
            format!(" makes the folder `{}`, which", slugs::shorten(slug))
        };
        return Err((
            line,
            format!(
                "{field}: the tag `{}`{becomes} {reason}; rename the tag",
                slugs::shorten(tag)
            ),
        ));
    }
    Ok(())
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

/// The folders under `content/` that hold an essay, as written; a bundle's own folder is
/// left out (it is the essay).
fn folders(source: &Source) -> Vec<String> {
    let file = source.bundle.as_deref().unwrap_or(&source.rel);
    file.parent()
        .map(|dir| {
            dir.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The name an essay is known by: its file's name less the extension (and a translation's
/// language), or its folder's whole name for `dir/index.md` (a folder has no extension:
/// `Rust-1.12/` is `Rust-1.12`).
fn file_name(source: &Source) -> String {
    let name = match &source.bundle {
        Some(dir) => dir.file_name(),
        None => source.path.file_stem(),
    };
    let name = name.map(|s| s.to_string_lossy()).unwrap_or_default();
    match (&source.lang, &source.bundle) {
        (Some(_), None) => name.rsplit_once('.').map_or(&*name, |(n, _)| n).to_string(),
        _ => name.into_owned(),
    }
}

/// `blog/x.md` for `blog/x.es.md`: what a text and its translations share.
fn translation_key(rel: &Path, lang: Option<&str>) -> String {
    let untranslated = match (lang, rel.file_stem().and_then(|s| s.to_str())) {
        (Some(_), Some(stem)) => {
            let name = stem.rsplit_once('.').map_or(stem, |(name, _)| name);
            let ext = rel
                .extension()
                .map(|e| e.to_string_lossy())
                .unwrap_or_default();
            rel.with_file_name(format!("{name}.{ext}"))
        }
        _ => rel.to_path_buf(),
    };
    untranslated
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
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

/// Tags from every field the other generators use, trimmed, without duplicates (tags with one
/// slug are one tag, spelled as first written), each with its slug. Duplicates are found by
/// slug in a set: comparing every tag with every other made 20,000 tags cost seconds.
/// Obsidian's `#tags` in the text (`inline`) come after the front matter's.
fn tags(fm: &FrontMatter, inline: Vec<String>) -> (Vec<String>, Vec<String>) {
    let taxonomies = fm.taxonomies.as_ref();
    let lists = [
        fm.tags.clone(),
        fm.categories.clone(),
        taxonomies.and_then(|t| t.tags.clone()),
        taxonomies.and_then(|t| t.categories.clone()),
    ];
    let mut seen = HashSet::new();
    let (mut tags, mut tag_slugs) = (Vec::new(), Vec::new());
    let listed = lists.into_iter().flatten().flat_map(|l| l.into_vec());
    for tag in listed.chain(inline) {
        let tag = tag.trim();
        if tag.is_empty() {
            continue;
        }
        let slug = slugs::slugify(tag);
        if seen.insert(slug.clone()) {
            tags.push(tag.to_string());
            tag_slugs.push(slug);
        }
    }
    (tags, tag_slugs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(path: &str, text: &str) -> Source {
        Source {
            path: PathBuf::from("content").join(path),
            rel: PathBuf::from(path),
            role: crate::source::Role::Essay,
            abs: PathBuf::from("/site/content").join(path),
            kind: crate::source::essay_kind(Path::new(path)).unwrap(),
            text: text.to_string(),
            bundle: None,
            lang: None,
            history: None,
        }
    }

    fn config() -> Config {
        crate::config::resolve_for_tests()
    }

    #[test]
    fn plain_essay_takes_title_from_first_line() {
        let (essay, warning) = parse(
            source(
                "2026-01-02-notes.txt",
                "On Notes\nA line.\nA heading\nAnother line.\n",
            ),
            &config(),
            &Default::default(),
        )
        .unwrap();
        assert_eq!(essay.title, "On Notes");
        assert_eq!(essay.slug, "notes");
        assert_eq!(essay.date.unwrap().ymd(), "2026-01-02");
        assert!(warning.is_none());
        assert!(!essay.body.html().contains("On Notes"));
    }

    #[test]
    fn markdown_h1_becomes_title_and_name_gives_slug() {
        let (essay, warning) = parse(
            source("my-essay.md", "# The Title\n\nBody text.\n"),
            &config(),
            &Default::default(),
        )
        .unwrap();
        assert_eq!(essay.title, "The Title");
        assert_eq!(essay.slug, "my-essay");
        assert_eq!(essay.body.html(), "<p>Body text.</p>\n");
        assert!(warning.unwrap().message.contains("no date"));
    }

    #[test]
    fn title_falls_back_to_file_name() {
        let (essay, _) =
            parse(source("on-walking.md", ""), &config(), &Default::default()).unwrap();
        assert_eq!(essay.title, "On walking");
    }

    #[test]
    fn slug_that_leaves_the_site_is_an_error_on_its_line() {
        let err = parse(
            source("x.md", "+++\ntitle = \"x\"\nslug = \"../../etc\"\n+++\n"),
            &config(),
            &Default::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("content/x.md:3: bad slug"), "{err}");
    }

    #[test]
    fn tags_merge_without_duplicates() {
        let (essay, _) = parse(
            source(
                "t.md",
                "---\ntags: [Rust, writing]\ncategories: rust essays\n---\n",
            ),
            &config(),
            &Default::default(),
        )
        .unwrap();
        assert_eq!(essay.tags, ["Rust", "writing", "essays"]);
    }

    #[test]
    fn markup_setting_forces_a_reading() {
        let text = "+++\nmarkup = \"markdown\"\n+++\nFirst line\nsecond *line*\nthird\n";
        let (essay, _) = parse(source("m.txt", text), &config(), &Default::default()).unwrap();
        assert!(
            essay.body.html().contains("<em>line</em>"),
            "{}",
            essay.body.html()
        );
    }

    #[test]
    fn the_html_is_the_same_however_the_body_is_asked_for() {
        let text =
            "+++\ntitle = \"T\"\n+++\n## Part\n\nFirst [link](x/).\n\nSecond.[^1]\n\n[^1]: Note.\n";
        let fresh = || {
            parse(source("b.md", text), &config(), &Default::default())
                .unwrap()
                .0
        };
        let expected = fresh().body.html();
        assert!(expected.contains("<h2"), "{expected}");

        // The digest first (a neighbour's card), then the page: the page takes the HTML the
        // digest rendered.
        let essay = fresh();
        let summary = essay.body.digest().summary.clone();
        assert_eq!(essay.body.html(), expected);
        // Asked again (the feed after the page), or after the render let go of it.
        assert_eq!(essay.body.html(), expected);
        essay.body.release();
        assert_eq!(essay.body.html(), expected);
        assert_eq!(essay.body.digest().summary, summary);
        assert!(summary.contains("b/x/"), "made absolute: {summary}");

        // A copy (watch keeps essays between builds) renders the same.
        assert_eq!(essay.clone().body.html(), expected);
    }
}
