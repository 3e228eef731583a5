//! Finding a theme and its parents. A theme named in `vellum.toml` is looked for in the site's
//! `themes/<name>/` first, then among the themes built into the binary; so is each `parent`
//! its `theme.toml` names. The chain always ends at `default`, the base every theme builds on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::CONFIG_FILE;
use crate::error::{Error, Location, Result};
use crate::source;

include!(concat!(env!("OUT_DIR"), "/builtin_themes.rs"));

/// The theme every chain ends at.
pub const BASE_THEME: &str = "default";

/// A theme's `theme.toml`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub name: Option<String>,
    #[serde(default)]
    pub description: String,
    /// The theme this one builds on; `default` when absent.
    pub parent: Option<String>,
    pub author: Option<String>,
    pub license: Option<String>,
    pub homepage: Option<String>,
    /// Default settings, seen by templates as `theme.extra` and under `site.extra` (where the
    /// site's own `[extra]` wins).
    #[serde(default)]
    pub extra: toml::Table,
}

/// Where a theme's files are.
#[derive(Debug, Clone)]
pub enum Files {
    BuiltIn(&'static [(&'static str, &'static [u8])]),
    Disk(PathBuf),
}

/// One theme of a chain.
#[derive(Debug, Clone)]
pub struct Layer {
    pub name: String,
    pub manifest: Manifest,
    pub files: Files,
    /// How messages name its folder: `themes/x` or `themes/x (built in)`.
    pub label: PathBuf,
}

impl Layer {
    /// The layer's files under `prefix` (`templates` or `static`), by `/`-separated name.
    pub fn files_under(&self, root: &Path, prefix: &str) -> Result<Vec<(String, LayerFile)>> {
        match &self.files {
            Files::BuiltIn(files) => Ok(files
                .iter()
                .filter_map(|(path, bytes)| {
                    let name = path.strip_prefix(prefix)?.strip_prefix('/')?;
                    Some((name.to_string(), LayerFile::BuiltIn(bytes)))
                })
                .collect()),
            Files::Disk(dir) => Ok(files_under(root, &dir.join(prefix))?
                .into_iter()
                .map(|(name, path)| (name, LayerFile::Disk(path)))
                .collect()),
        }
    }
}

/// A file of a layer.
#[derive(Debug, Clone)]
pub enum LayerFile {
    BuiltIn(&'static [u8]),
    Disk(PathBuf),
}

/// The chain for the theme a site names (or `default`), base first.
pub fn chain(root: &Path, theme: Option<&str>) -> Result<Vec<Layer>> {
    let mut chain: Vec<Layer> = Vec::new();
    let mut next = Some(theme.unwrap_or(BASE_THEME).to_string());
    let mut asked_by = Location::file(CONFIG_FILE);
    while let Some(name) = next.take() {
        if chain.iter().any(|layer| layer.name == name) {
            let names: Vec<&str> = chain.iter().map(|l| l.name.as_str()).collect();
            return Err(Error::Config {
                at: asked_by,
                message: format!("themes form a loop: {} → {name}", names.join(" → ")),
            });
        }
        let layer = find(root, &name).ok_or_else(|| Error::Config {
            at: asked_by.clone(),
            message: format!(
                "theme `{name}` not found: there is no folder themes/{name}/, and the built-in themes are {}",
                builtin_names().join(", ")
            ),
        })??;
        asked_by = Location::file(layer.label.join("theme.toml"));
        next = match &layer.manifest.parent {
            Some(parent) => Some(parent.clone()),
            None if name != BASE_THEME => Some(BASE_THEME.to_string()),
            None => None,
        };
        chain.push(layer);
    }
    chain.reverse();
    Ok(chain)
}

/// A theme by name: the site's folder, or a built-in one. A broken `theme.toml` is an error.
fn find(root: &Path, name: &str) -> Option<Result<Layer>> {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return None;
    }
    let dir = root.join("themes").join(name);
    if dir.is_dir() {
        let label = PathBuf::from("themes").join(name);
        let path = dir.join("theme.toml");
        let manifest = match std::fs::read(&path) {
            Ok(bytes) => parse_manifest(&label.join("theme.toml"), bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
            Err(e) => Err(Error::io(label.join("theme.toml"), e)),
        };
        return Some(manifest.map(|manifest| Layer {
            name: name.to_string(),
            manifest,
            files: Files::Disk(dir),
            label,
        }));
    }
    let (_, files) = BUILTIN_THEMES.iter().find(|(n, _)| *n == name)?;
    let label = PathBuf::from(format!("themes/{name} (built in)"));
    let manifest = files
        .iter()
        .find(|(path, _)| *path == "theme.toml")
        .map_or(Ok(Manifest::default()), |(_, bytes)| {
            parse_manifest(&label.join("theme.toml"), bytes.to_vec())
        });
    Some(manifest.map(|manifest| Layer {
        name: name.to_string(),
        manifest,
        files: Files::BuiltIn(files),
        label,
    }))
}

fn parse_manifest(label: &Path, bytes: Vec<u8>) -> Result<Manifest> {
    let text = source::decode(bytes).map_err(|(line, message)| {
        Error::content(
            Location {
                path: label.to_path_buf(),
                line,
            },
            message,
        )
    })?;
    toml::from_str(&text).map_err(|e| Error::Config {
        at: Location {
            path: label.to_path_buf(),
            line: e
                .span()
                .map(|span| crate::error::line_of(&text, span.start)),
        },
        message: e.message().trim().to_string(),
    })
}

/// The themes built into the binary.
/// The shortcodes the built-in default theme has (`figure`, `youtube`, …), which every theme
/// inherits.
pub fn builtin_shortcodes() -> Vec<&'static str> {
    BUILTIN_THEMES
        .iter()
        .filter(|(name, _)| *name == "default")
        .flat_map(|(_, files)| files.iter())
        .filter_map(|(path, _)| {
            path.strip_prefix("templates/shortcodes/")?
                .strip_suffix(".html")
        })
        .filter(|name| !name.starts_with('_'))
        .collect()
}

pub fn builtin_names() -> Vec<&'static str> {
    BUILTIN_THEMES.iter().map(|(name, _)| *name).collect()
}

/// One theme a site can choose, for `vellum theme list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Available {
    pub name: String,
    pub description: String,
    /// `built in`, `themes/x`, or `themes/x (overrides the built-in one)`.
    pub source: String,
}

/// Every theme a site at `root` can name: its own `themes/` folders and the built-in ones.
pub fn available(root: &Path) -> Result<Vec<Available>> {
    let mut themes: BTreeMap<String, Available> = BTreeMap::new();
    for name in builtin_names() {
        if let Some(layer) = find(Path::new("/nonexistent-root"), name) {
            let layer = layer?;
            themes.insert(
                name.to_string(),
                Available {
                    name: name.to_string(),
                    description: layer.manifest.description,
                    source: "built in".to_string(),
                },
            );
        }
    }
    let dirs = std::fs::read_dir(root.join("themes"))
        .map(|entries| entries.filter_map(|e| e.ok()).collect::<Vec<_>>())
        .unwrap_or_default();
    for entry in dirs {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.path().is_dir() || source::is_ignored(&name) {
            continue;
        }
        if let Some(layer) = find(root, &name) {
            let layer = layer?;
            let source = if themes.contains_key(&name) {
                format!("themes/{name} (in place of the built-in one)")
            } else {
                format!("themes/{name}")
            };
            themes.insert(
                name.clone(),
                Available {
                    name,
                    description: layer.manifest.description,
                    source,
                },
            );
        }
    }
    Ok(themes.into_values().collect())
}

/// Every file under `dir`, keyed by its `/`-separated path relative to `dir`, sorted.
pub fn files_under(root: &Path, dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !source::is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = source::relative(root, e.path().unwrap_or(dir));
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
