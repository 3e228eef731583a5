//! What an import will do, as plain data: made by the generator modules, written by `write`,
//! and shown by `report`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One file of the new site.
#[derive(Debug, Clone)]
pub enum FileOp {
    /// Copied byte for byte from the old site (path relative to it).
    Copy { from: PathBuf },
    /// Written with these bytes (an essay with one front-matter line added).
    Write { bytes: Vec<u8> },
}

/// What was carried over, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub posts: usize,
    pub drafts: usize,
    pub pages: usize,
    pub sections: usize,
    pub bundles: usize,
    pub static_files: usize,
    pub shortcodes: usize,
}

/// An essay or page and the URL the old site served it at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldUrl {
    /// Its path in the new site, `content/…`, with `/` separators.
    pub dest: String,
    /// The path it was served at, from the site root, starting with `/`.
    pub url: String,
}

/// Everything an import writes and reports.
#[derive(Debug, Default)]
pub struct Plan {
    /// The new site's files by path (relative, `/`-separated), each once.
    pub files: BTreeMap<String, FileOp>,
    /// `vellum.toml`'s top-level keys, in the order written.
    pub settings: Vec<(String, toml::Value)>,
    /// `vellum.toml`'s tables: `permalinks`, `languages`, `extra`.
    pub tables: toml::Table,
    /// Comment lines for `vellum.toml` (without `# `).
    pub comments: Vec<String>,
    pub urls: Vec<OldUrl>,
    pub counts: Counts,
    /// What could not be carried, each with the files that use it (relative to the old site).
    pub not_carried: BTreeMap<String, Vec<String>>,
    /// Settings of the old site that have no vellum equivalent.
    pub ignored: Vec<String>,
    /// Anything else worth saying.
    pub notes: Vec<String>,
    /// Why the old site's configuration gives no full address (host and all), if it gives
    /// none: feeds and canonical links need one.
    pub without_host: Option<String>,
}

impl Plan {
    /// Copies `from` (relative to the old site) to `to`. A second file for the same path is a
    /// note, not a loss: the first is kept and the old one is still in the old site.
    pub fn copy(&mut self, from: &Path, to: String) {
        self.add(
            to,
            FileOp::Copy {
                from: from.to_path_buf(),
            },
            from,
        );
    }

    pub fn write(&mut self, from: &Path, to: String, bytes: Vec<u8>) {
        self.add(to, FileOp::Write { bytes }, from);
    }

    fn add(&mut self, to: String, op: FileOp, from: &Path) {
        use std::collections::btree_map::Entry;
        match self.files.entry(to) {
            Entry::Occupied(taken) => self.notes.push(format!(
                "{} was not copied: {} already comes from another file",
                slashed(from),
                taken.key()
            )),
            Entry::Vacant(free) => {
                free.insert(op);
            }
        }
    }

    pub fn setting(&mut self, key: &str, value: impl Into<toml::Value>) {
        let value = value.into();
        match self.settings.iter_mut().find(|(k, _)| k == key) {
            Some((_, old)) => *old = value,
            None => self.settings.push((key.to_string(), value)),
        }
    }

    /// Records that `file` uses `thing`, which vellum does not carry.
    pub fn not_carried(&mut self, thing: impl Into<String>, file: impl Into<String>) {
        let files = self.not_carried.entry(thing.into()).or_default();
        let file = file.into();
        if !file.is_empty() && !files.contains(&file) {
            files.push(file);
        }
    }

    /// The text of `vellum.toml`, with `redirects` as its `[redirects]` table.
    pub fn vellum_toml(&self, redirects: &BTreeMap<String, String>) -> String {
        let mut text = String::new();
        for line in &self.comments {
            text.push_str(&format!("# {line}\n"));
        }
        for (key, value) in &self.settings {
            text.push_str(&format!("{key} = {value}\n"));
        }
        let mut tables = self.tables.clone();
        if !redirects.is_empty() {
            let table: toml::Table = redirects
                .iter()
                .map(|(old, new)| (old.clone(), toml::Value::String(new.clone())))
                .collect();
            tables.insert("redirects".to_string(), toml::Value::Table(table));
        }
        if !tables.is_empty() {
            text.push('\n');
            text.push_str(&toml::to_string(&tables).unwrap_or_default());
        }
        text
    }
}

/// A relative path with `/` separators.
pub fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A YAML value as TOML, where TOML can hold it (nulls are left out).
pub fn yaml_to_toml(value: &serde_norway::Value) -> Option<toml::Value> {
    use serde_norway::Value;
    Some(match value {
        Value::Null => return None,
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64()?),
        },
        Value::String(s) => toml::Value::String(s.clone()),
        Value::Sequence(items) => {
            toml::Value::Array(items.iter().filter_map(yaml_to_toml).collect())
        }
        Value::Mapping(map) => toml::Value::Table(
            map.iter()
                .filter_map(|(k, v)| Some((yaml_key(k)?, yaml_to_toml(v)?)))
                .collect(),
        ),
        Value::Tagged(tagged) => return yaml_to_toml(&tagged.value),
    })
}

pub fn yaml_key(key: &serde_norway::Value) -> Option<String> {
    match key {
        serde_norway::Value::String(s) => Some(s.clone()),
        serde_norway::Value::Number(n) => Some(n.to_string()),
        serde_norway::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A YAML configuration error at its file and line (the line is in the message when the
/// parser gives no location).
pub fn yaml_error(path: &Path, e: &serde_norway::Error) -> crate::Error {
    let message = e.to_string();
    let line = e.location().map(|l| l.line()).or_else(|| {
        let rest = &message[message.find(" at line ")? + 9..];
        rest.split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    });
    crate::Error::Config {
        at: crate::Location {
            path: path.to_path_buf(),
            line,
        },
        message,
    }
}

/// Whether `key` is one of the whitespace-separated words of `list`.
pub fn listed(list: &str, key: &str) -> bool {
    list.split_whitespace().any(|word| word == key)
}
