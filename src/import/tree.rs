//! Helpers the generator modules share: copying a folder across, counting what is left
//! behind, and reading nested TOML settings.

use std::collections::BTreeSet;
use std::path::Path;

use super::plan::{Plan, slashed};
use crate::error::{Error, Result};

/// Says, for each shortcode whose template the site has, that it was copied.
pub(crate) fn mark_own_shortcodes(plan: &mut Plan, kind: &str, own: &BTreeSet<String>) {
    let renamed: Vec<(String, Vec<String>)> = std::mem::take(&mut plan.not_carried)
        .into_iter()
        .map(|(thing, files)| {
            let name = thing
                .strip_prefix(&format!("{kind} `"))
                .and_then(|rest| rest.strip_suffix('`'));
            match name {
                Some(name) if own.contains(name) => (
                    format!("{thing} (its template is copied to templates/shortcodes/)"),
                    files,
                ),
                _ => (thing, files),
            }
        })
        .collect();
    plan.not_carried = renamed.into_iter().collect();
}

/// The names (less extension) of the files in a folder.
pub(crate) fn names_in(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            Some(name.split('.').next()?.to_string())
        })
        .collect()
}

/// How many files a folder holds, leaving out the named subfolders.
pub(crate) fn count_files(dir: &Path, except: &[&str]) -> usize {
    if !dir.is_dir() {
        return 0;
    }
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !except.iter().any(|x| e.file_name() == *x))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .count()
}

/// Copies every file under `source/from` to `to/`, keeping their paths.
pub(crate) fn copy_tree(
    source: &Path,
    from: &str,
    to: &str,
    plan: &mut Plan,
    mut each: impl FnMut(&mut Plan),
) -> Result<()> {
    let dir = source.join(from);
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(&dir).min_depth(1).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            Error::io(
                e.path().unwrap_or(&dir),
                std::io::Error::other(e.to_string()),
            )
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(source).unwrap_or(entry.path());
        let inner = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        plan.copy(rel, format!("{to}/{}", slashed(inner)));
        each(plan);
    }
    Ok(())
}

pub(crate) fn table_at<'a>(table: &'a toml::Table, path: &[&str]) -> Option<&'a toml::Table> {
    path.iter()
        .try_fold(table, |t, key| t.get(*key)?.as_table())
}

pub(crate) fn str_at(table: &toml::Table, path: &[&str]) -> Option<String> {
    let (last, above) = path.split_last()?;
    table_at(table, above)?
        .get(*last)?
        .as_str()
        .map(String::from)
}
