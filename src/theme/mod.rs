//! Themes: templates and static files, in layers. The base is the `default` theme (built
//! into the binary), then each parent of the theme the site names, then that theme, then the
//! site's own `templates/` and `static/`. A later layer replaces an earlier one file by file,
//! so a site overrides one template, or with `{% extends "default/essay.html" %}` one block,
//! without copying the theme: every theme's templates are also reachable as `<theme>/<name>`.
//! Templates are parsed once per build.

mod filters;
pub mod layers;

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};

use crate::config::Config;
use crate::error::{Error, Location, Result};
use crate::markdown::highlight;
use crate::markdown::shortcodes::{self, Library};
use crate::source;
use layers::LayerFile;

pub use layers::{Available, available, builtin_names};

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
    /// The theme the site chose (or `default`).
    pub name: String,
    pub description: String,
    /// `[extra]` of the theme chain, nearest theme winning.
    pub extra: toml::Table,
    /// That, with the site's own `[extra]` over it: `site.extra` in templates.
    pub site_extra: toml::Table,
    /// A content hash of every static file, for `asset()` and for rebuilds.
    pub asset_hashes: BTreeMap<String, String>,
    /// Changes whenever any template, static file or `[extra]` default does.
    pub fingerprint: u64,
    /// The shortcode templates, `templates/shortcodes/` of the themes and the site.
    pub shortcodes: std::sync::Arc<Library>,
}

impl Theme {
    /// Loads the theme chain the configuration names, and the site's own layer.
    pub fn load(config: &Config) -> Result<Theme> {
        let chain = layers::chain(&config.root, config.theme.as_deref())?;
        let mut sources: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        let mut static_files: BTreeMap<String, StaticFile> = BTreeMap::new();
        let mut extra = toml::Table::new();
        // `shortcodes/NAME.html` of each layer, nearest winning: not page templates.
        let mut shortcode_sources: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        for layer in &chain {
            for (name, file) in layer.files_under(&config.root, "templates")? {
                let origin = layer.label.join("templates").join(&name);
                let text = match file {
                    LayerFile::BuiltIn(bytes) => decode(&origin, bytes.to_vec())?,
                    LayerFile::Disk(path) => read_text(&config.root, &path)?,
                };
                if name.starts_with("shortcodes/") {
                    shortcode_sources.insert(name, (origin, text));
                    continue;
                }
                sources.insert(
                    format!("{}/{name}", layer.name),
                    (origin.clone(), text.clone()),
                );
                sources.insert(name, (origin, text));
            }
            for (name, file) in layer.files_under(&config.root, "static")? {
                let file = match file {
                    LayerFile::BuiltIn(bytes) => StaticFile::Embedded(bytes),
                    LayerFile::Disk(path) => StaticFile::Disk(path),
                };
                static_files.insert(name, file);
            }
            extra.extend(layer.manifest.extra.clone());
        }
        for (name, path) in layers::files_under(&config.root, &config.root.join("templates"))? {
            let text = read_text(&config.root, &path)?;
            let origin = source::relative(&config.root, &path);
            if name.starts_with("shortcodes/") {
                shortcode_sources.insert(name, (origin, text));
                continue;
            }
            sources.insert(name, (origin, text));
        }
        for (name, path) in layers::files_under(&config.root, &config.root.join("static"))? {
            static_files.insert(name, StaticFile::Disk(path));
        }
        let mut site_extra = extra.clone();
        site_extra.extend(config.extra.clone());

        let hashes = asset_hashes(&config.root, &static_files)?;
        let fingerprint = {
            let mut hasher = DefaultHasher::new();
            for (name, (_, text)) in sources.iter().chain(&shortcode_sources) {
                (name, text).hash(&mut hasher);
            }
            config.embed_videos.hash(&mut hasher);
            hashes.hash(&mut hasher);
            format!("{extra:?}").hash(&mut hasher);
            hasher.finish()
        };
        let mut tera = Tera::new();
        filters::register(&mut tera, &config.base_url, hashes.clone());
        let origins: BTreeMap<String, PathBuf> = sources
            .iter()
            .map(|(name, (origin, _))| (name.clone(), origin.clone()))
            .collect();
        tera.add_raw_templates(sources.iter().map(|(name, (_, text))| (name, text)))
            .map_err(|e| template_error(&e, &origins, None))?;
        let shortcodes = Library::new(
            &shortcode_sources,
            &shortcodes::Settings {
                base_url: config.base_url.clone(),
                site_title: config.title.clone(),
                embed_videos: config.embed_videos,
            },
            |tera| filters::register(tera, &config.base_url, hashes.clone()),
        );
        let theme = chain.last();
        Ok(Theme {
            tera,
            origins,
            static_files,
            name: theme.map(|l| l.name.clone()).unwrap_or_default(),
            description: theme
                .map(|l| l.manifest.description.clone())
                .unwrap_or_default(),
            extra,
            site_extra,
            asset_hashes: hashes,
            fingerprint,
            shortcodes: std::sync::Arc::new(shortcodes),
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

/// Registers the filters and functions vellum's templates have on `tera`, for a template
/// compiled outside a build (`vellum import` tries a Zola site's shortcodes).
pub fn register_filters(tera: &mut Tera, base_url: &str) {
    filters::register(tera, base_url, BTreeMap::new());
}

/// A short content hash of every static file (and the generated `syntax.css`), for `asset()`.
fn asset_hashes(
    root: &Path,
    files: &BTreeMap<String, StaticFile>,
) -> Result<BTreeMap<String, String>> {
    let mut hashes = BTreeMap::new();
    for (name, file) in files {
        let hash = match file {
            StaticFile::Embedded(bytes) => filters::content_hash(bytes),
            StaticFile::Disk(path) => filters::content_hash(
                &std::fs::read(path).map_err(|e| Error::io(source::relative(root, path), e))?,
            ),
        };
        hashes.insert(name.clone(), hash);
    }
    hashes.insert(
        highlight::STYLESHEET.to_string(),
        filters::content_hash(highlight::stylesheet().as_bytes()),
    );
    Ok(hashes)
}

fn decode(origin: &Path, bytes: Vec<u8>) -> Result<String> {
    source::decode(bytes).map_err(|(line, message)| {
        Error::content(
            Location {
                path: origin.to_path_buf(),
                line,
            },
            message,
        )
    })
}

fn read_text(root: &Path, path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(source::relative(root, path), e))?;
    decode(&source::relative(root, path), bytes)
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
