//! Themes: templates and static files, layered. The built-in default theme (embedded in the
//! binary) comes first, then the theme the site names (`themes/<name>/`), then the site's own
//! `templates/` and `static/`. A later layer replaces an earlier one file by file, so a site can
//! override one template — or, with `{% extends %}`, one block — without copying the theme.
//! Templates are parsed once per build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Kwargs, State, Tera};
use walkdir::WalkDir;

use crate::config::{CONFIG_FILE, Config};
use crate::error::{Error, Location, Result};
use crate::{date, source};

/// The default theme, as shipped inside the binary.
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../themes/default/templates/index.html"),
    ),
    (
        "essay.html",
        include_str!("../themes/default/templates/essay.html"),
    ),
    (
        "tag.html",
        include_str!("../themes/default/templates/tag.html"),
    ),
    (
        "tags.html",
        include_str!("../themes/default/templates/tags.html"),
    ),
    (
        "404.html",
        include_str!("../themes/default/templates/404.html"),
    ),
    (
        "alias.html",
        include_str!("../themes/default/templates/alias.html"),
    ),
    (
        "atom.xml",
        include_str!("../themes/default/templates/atom.xml"),
    ),
    (
        "sitemap.xml",
        include_str!("../themes/default/templates/sitemap.xml"),
    ),
    (
        "robots.txt",
        include_str!("../themes/default/templates/robots.txt"),
    ),
];

const DEFAULT_STATIC: &[(&str, &[u8])] = &[(
    "style.css",
    include_bytes!("../themes/default/static/style.css"),
)];

/// Where the default theme's files are said to live, in messages.
const DEFAULT_THEME_DIR: &str = "themes/default (built in)";

/// A file to copy into the site, from the binary or from disk.
#[derive(Debug, Clone)]
pub enum StaticFile {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// The templates, ready to render, and the static files, by output path.
#[derive(Debug)]
pub struct Theme {
    pub tera: Tera,
    /// The file each template was read from, for error messages.
    pub origins: BTreeMap<String, PathBuf>,
    pub static_files: BTreeMap<String, StaticFile>,
}

impl Theme {
    /// Loads the layers the configuration asks for.
    pub fn load(config: &Config) -> Result<Theme> {
        let mut sources: BTreeMap<String, (PathBuf, String)> = DEFAULT_TEMPLATES
            .iter()
            .map(|(name, text)| {
                let origin = Path::new(DEFAULT_THEME_DIR).join("templates").join(name);
                (name.to_string(), (origin, text.to_string()))
            })
            .collect();
        let mut static_files: BTreeMap<String, StaticFile> = DEFAULT_STATIC
            .iter()
            .map(|(name, bytes)| (name.to_string(), StaticFile::Embedded(bytes)))
            .collect();

        let mut layers = Vec::new();
        if let Some(name) = &config.theme {
            let dir = config.root.join("themes").join(name);
            if !dir.is_dir() {
                return Err(Error::Config {
                    at: Location::file(CONFIG_FILE),
                    message: format!("theme `{name}` not found: there is no folder themes/{name}/"),
                });
            }
            layers.push(dir);
        }
        layers.push(config.root.clone());
        for layer in &layers {
            for (name, path) in files_under(&layer.join("templates"))? {
                let text = read_text(&config.root, &path)?;
                sources.insert(name, (source::relative(&config.root, &path), text));
            }
            for (name, path) in files_under(&layer.join("static"))? {
                static_files.insert(name, StaticFile::Disk(path));
            }
        }

        let mut tera = Tera::new();
        register_filters(&mut tera);
        let origins: BTreeMap<String, PathBuf> = sources
            .iter()
            .map(|(name, (origin, _))| (name.clone(), origin.clone()))
            .collect();
        tera.add_raw_templates(sources.iter().map(|(name, (_, text))| (name, text)))
            .map_err(|e| template_error(&e, &origins, None))?;
        Ok(Theme {
            tera,
            origins,
            static_files,
        })
    }

    /// Renders one template, naming the essay in any error.
    pub fn render(
        &self,
        name: &str,
        context: &tera::Context,
        essay: Option<&Path>,
    ) -> Result<String> {
        self.tera.render(name, context).map_err(|e| {
            template_error(&e, &self.origins, essay).with_template(name, &self.origins)
        })
    }
}

fn read_text(root: &Path, path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(source::relative(root, path), e))?;
    source::decode(bytes).map_err(|(line, message)| {
        Error::content(
            Location {
                path: source::relative(root, path),
                line,
            },
            message,
        )
    })
}

/// Every file under `dir`, keyed by its `/`-separated path relative to `dir`.
fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !source::is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(
                path,
                e.into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("symlink loop")),
            )
        })?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push((name, entry.into_path()));
        }
    }
    Ok(files)
}

/// The filters vellum adds to Tera's own.
fn register_filters(tera: &mut Tera) {
    tera.register_filter("date", |value: &str, kwargs: Kwargs, _: &State| {
        let format = kwargs.get::<&str>("format")?.unwrap_or("%B %-d, %Y");
        date::format(value, format).map_err(tera::Error::message)
    });
}

/// A Tera error as a vellum error: the template's file, line and column.
fn template_error(
    e: &tera::Error,
    origins: &BTreeMap<String, PathBuf>,
    essay: Option<&Path>,
) -> Error {
    let origin = |name: &str| {
        origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name))
    };
    let (at, message) = match e.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => (
            Location::line(origin(report.filename()), report.span().start_line),
            format!(
                "{} (column {})",
                report.message(),
                report.span().start_col + 1
            ),
        ),
        ErrorKind::MissingParent { current, parent } => (
            Location::file(origin(current)),
            format!("extends `{parent}`, which no theme layer has"),
        ),
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            (Location::file(origin(tpl)), e.to_string())
        }
        _ => (Location::file(PathBuf::new()), e.to_string()),
    };
    Error::Template {
        at,
        essay: essay.map(Path::to_path_buf),
        message,
    }
}

impl Error {
    /// Fills in the template being rendered when the error did not say which.
    fn with_template(self, name: &str, origins: &BTreeMap<String, PathBuf>) -> Error {
        match self {
            Error::Template { at, essay, message } if at.path.as_os_str().is_empty() => {
                Error::Template {
                    at: Location::file(
                        origins
                            .get(name)
                            .cloned()
                            .unwrap_or_else(|| PathBuf::from(name)),
                    ),
                    essay,
                    message,
                }
            }
            other => other,
        }
    }
}
