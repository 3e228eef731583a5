//! Writing: the rendered files go to the output directory, and nothing else changes there.
//!
//! - Every file is written to a temporary name and renamed into place, so a reader (or `serve`)
//!   never sees half a file.
//! - A file whose bytes are unchanged is not rewritten, so modification times stay useful to
//!   rsync-style deploys.
//! - Files that the previous build wrote and this one does not (a deleted essay) are removed.
//!   The list of what vellum wrote lives in `.vellum-manifest`; files vellum did not write are
//!   never deleted.
//! - The output directory may not be the site root, an ancestor of it, or one of the site's
//!   source folders.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};

/// The file listing what the last build wrote.
pub const MANIFEST: &str = ".vellum-manifest";

/// What a file holds: bytes rendered in memory, or a file to copy.
#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    Copy(PathBuf),
}

/// One file of the site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output directory, `/`-separated.
    pub path: String,
    pub contents: Contents,
    /// What produced it, for collision messages: an essay's path, `static file x`, ….
    pub origin: String,
}

impl OutputFile {
    pub fn bytes(path: impl Into<String>, bytes: Vec<u8>, origin: impl Into<String>) -> Self {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(bytes),
            origin: origin.into(),
        }
    }
}

/// What a write did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteReport {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// The output directory, absolute, after checking it is safe to write into.
pub fn resolve_output_dir(root: &Path, output: Option<&Path>) -> Result<PathBuf> {
    let output = match output {
        Some(dir) => std::path::absolute(dir).map_err(|e| Error::io(dir, e))?,
        None => root.join("public"),
    };
    let real = real_path(&output);
    let root = real_path(root);
    let refuse = |reason: String| {
        Err(Error::UnsafeOutput {
            output: output.clone(),
            reason,
        })
    };
    if root.starts_with(&real) {
        return refuse("it is the site's root or a folder that contains it".into());
    }
    for source in ["content", "static", "templates", "themes"] {
        let dir = root.join(source);
        if real.starts_with(&dir) {
            return refuse(format!("it is inside the site's {source}/ folder"));
        }
    }
    if real.is_file() {
        return refuse("it is a file".into());
    }
    Ok(output)
}

/// The canonical form of a path that may not exist yet: its nearest existing ancestor
/// canonicalised, with the rest appended.
fn real_path(path: &Path) -> PathBuf {
    let mut existing = path;
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest
                .iter()
                .rev()
                .fold(real, |acc: PathBuf, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Writes `files` into `dir` (see the module notes), counting them in `report`. Called once
/// per batch of rendered files; [`finish`] ends the write.
pub fn write_files(dir: &Path, files: &[OutputFile], report: &mut WriteReport) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let parents: BTreeSet<&Path> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent())
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    for parent in parents {
        let full = dir.join(parent);
        std::fs::create_dir_all(&full).map_err(|e| Error::io(&full, e))?;
    }
    let changed: Vec<Result<bool>> = files.par_iter().map(|f| write_file(dir, f)).collect();
    for result in changed {
        if result? {
            report.written += 1;
        } else {
            report.unchanged += 1;
        }
    }
    Ok(())
}

/// Ends a write: `all` names every file the site now has (some were not written because they
/// did not change); anything an earlier build wrote that is not among them is removed, and
/// the manifest is brought up to date. `same_files` says the caller knows `all` is what the
/// last write had, so the manifest need not be read (a rebuild of one essay in a large site).
pub fn finish<V, S: std::hash::BuildHasher>(
    dir: &Path,
    all: &HashMap<String, V, S>,
    same_files: bool,
    report: &mut WriteReport,
) -> Result<()> {
    if same_files {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let old = std::fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
    for stale in old
        .lines()
        .filter(|p| !p.is_empty() && !all.contains_key(*p))
    {
        if remove_stale(dir, stale)? {
            report.removed += 1;
        }
    }
    let new: BTreeSet<&str> = all.keys().map(String::as_str).collect();
    let manifest: String = new.iter().map(|p| format!("{p}\n")).collect();
    write_if_changed(&dir.join(MANIFEST), manifest.as_bytes())?;
    Ok(())
}

/// Writes one file unless it already holds these bytes; true when it wrote.
fn write_file(dir: &Path, file: &OutputFile) -> Result<bool> {
    let target = dir.join(&file.path);
    match &file.contents {
        Contents::Bytes(bytes) => write_if_changed(&target, bytes),
        Contents::Copy(from) => {
            let bytes = std::fs::read(from).map_err(|e| Error::io(from, e))?;
            write_if_changed(&target, &bytes)
        }
    }
}

fn write_if_changed(target: &Path, bytes: &[u8]) -> Result<bool> {
    match std::fs::metadata(target) {
        Ok(meta)
            if meta.len() == bytes.len() as u64
                && std::fs::read(target).is_ok_and(|old| old == bytes) =>
        {
            return Ok(false);
        }
        // Nothing there to protect: write in place and save the rename. (Should the build
        // die mid-write, the next one sees different bytes and rewrites the file.)
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::write(target, bytes).map_err(|e| Error::io(target, e))?;
            return Ok(true);
        }
        _ => {}
    }
    // Replace an existing file atomically: a reader (or a deploy) never sees half of it.
    let mut tmp = target.as_os_str().to_os_string();
    tmp.push(".vellum-tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, target))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::io(target, e)
        })?;
    Ok(true)
}

/// Removes a file an earlier build wrote, and any folders that leaves empty.
fn remove_stale(dir: &Path, rel: &str) -> Result<bool> {
    // The manifest is ours, but a hand-edited one must not reach outside the output.
    if rel.split('/').any(|part| part == ".." || part.is_empty()) || Path::new(rel).is_absolute() {
        return Ok(false);
    }
    let path = dir.join(rel);
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io(&path, e)),
    }
    let mut parent = path.parent();
    while let Some(p) = parent {
        if p == dir || std::fs::remove_dir(p).is_err() {
            break;
        }
        parent = p.parent();
    }
    Ok(true)
}
