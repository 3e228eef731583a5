//! A section's own file: `_index.md` in a folder (Zola's and Hugo's convention) describes the
//! folder as a section: its title, description, the order and pagination of its list, and
//! whether its essays appear on the home page. It is never an essay.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::error::{Error, Location, Result};
use crate::frontmatter::{self, Extra};
use crate::markdown;
use crate::markers::{as_bool, as_int, as_str};
use crate::source::Source;

/// How a section orders its essays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SortBy {
    /// Newest first, as everywhere else.
    #[default]
    Date,
    Title,
    /// Zola's and Hugo's `weight`, lightest first.
    Weight,
}

/// What `_index.md` says of its folder.
#[derive(Debug)]
pub struct SectionMeta {
    /// Relative to the site root, for messages.
    pub source: PathBuf,
    /// The folder it describes, relative to `content/`, `/`-separated; empty for the root.
    pub dir: String,
    /// For a translation (`_index.es.md`), its language.
    pub lang: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub sort_by: SortBy,
    /// Essays per page of its list; `None` for the site's `paginate`.
    pub paginate: Option<usize>,
    /// Whether its essays are listed on the home page too (`in_home = false` keeps them to
    /// the section's own list).
    pub in_home: bool,
    /// A draft section hides every essay in it unless drafts are built.
    pub draft: bool,
    /// Zola's `render = false`: the section has no list of its own, and its files are pages
    /// (an `about/` and a `privacy/` kept together in a folder).
    pub render: bool,
    pub extra: Extra,
    /// The text after the front matter, shown at the top of the section's list.
    text: String,
    html: OnceLock<String>,
    /// What rendering the body needs: its shortcodes, for one.
    env: markdown::Env,
    /// Its shortcode calls that cannot be rendered, as warnings at their lines.
    pub shortcode_warnings: Vec<crate::error::Warning>,
    /// Of the file's path and text, for the pages that show the section.
    pub fingerprint: u64,
}

impl SectionMeta {
    /// The body as HTML, rendered once.
    pub fn content(&self) -> &str {
        self.html.get_or_init(|| {
            let body = frontmatter::split(&self.text).map_or("", |s| s.body);
            if body.trim().is_empty() {
                String::new()
            } else {
                markdown::render_markdown_with(body, &self.env).html
            }
        })
    }
}

/// Reads a section's `_index.md`. Front matter is read as an essay's is, so its mistakes get
/// the same messages; the keys Zola and Hugo give sections are read beside.
/// `shortcodes` render its body's calls, as an essay's.
pub fn parse(
    source: Source,
    config: &crate::config::Config,
    shortcodes: &std::sync::Arc<markdown::shortcodes::Library>,
) -> Result<SectionMeta> {
    let at = |line| Location {
        path: source.path.clone(),
        line,
    };
    let split =
        frontmatter::split(&source.text).map_err(|(line, m)| Error::content(at(line), m))?;
    let (fm, extra) =
        frontmatter::parse(&split).map_err(|(line, m)| Error::content(at(line), m))?;
    let sort_by = match extra.get("sort_by").and_then(as_str) {
        None | Some("date" | "none") => SortBy::Date,
        Some("title" | "title_bytes") => SortBy::Title,
        Some("weight") => SortBy::Weight,
        Some(other) => {
            return Err(Error::content(
                at(split.key_line("sort_by")),
                format!(
                    "sort_by: `{other}` is not an order; use \"date\", \"title\" or \"weight\""
                ),
            ));
        }
    };
    let paginate = ["paginate", "paginate_by"]
        .iter()
        .find_map(|key| extra.get(*key).and_then(as_int))
        .map(|n| usize::try_from(n).unwrap_or(0));
    let in_home = extra.get("in_home").and_then(as_bool).unwrap_or(true);
    let render = extra.get("render").and_then(as_bool).unwrap_or(true);
    let dir = source
        .rel
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_default();
    let fingerprint = crate::fingerprint(&(&source.path, &source.text));
    let mut env = markdown::Env::for_site(config);
    env.shortcodes = markdown::shortcodes::Scope {
        library: Some(std::sync::Arc::clone(shortcodes)),
        page: std::sync::Arc::new((fm.title.clone().unwrap_or_default(), format!("/{dir}/"))),
    };
    let body_start = split.body.as_ptr() as usize - source.text.as_ptr() as usize;
    let body = body_start..body_start + split.body.len();
    let shortcode_warnings = markdown::shortcodes::check(&source.text, body, &env.shortcodes)
        .into_iter()
        .map(|(line, message)| crate::error::Warning {
            at: at(Some(line)),
            message,
        })
        .collect();
    Ok(SectionMeta {
        source: source.path,
        dir,
        lang: source.lang,
        title: fm.title.filter(|t| !t.trim().is_empty()),
        description: [fm.description, fm.summary]
            .into_iter()
            .flatten()
            .find(|d| !d.trim().is_empty()),
        sort_by,
        paginate,
        in_home,
        draft: fm.draft.unwrap_or(false),
        render,
        extra,
        text: source.text,
        html: OnceLock::new(),
        env,
        shortcode_warnings,
        fingerprint,
    })
}
