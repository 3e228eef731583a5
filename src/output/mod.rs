//! Writing: the rendered files go to the output directory, and nothing else changes there.
//!
//! - A build puts the whole new site in place at once ([`swap`]): the output folder is at every
//!   instant wholly the old site or wholly the new one, even under `kill -9`, and a failed
//!   build changes nothing. `watch` and `serve` rebuilds write file by file for speed
//!   ([`in_place`]), each file renamed into place whole.
//! - vellum overwrites or removes only files it wrote, as listed in the output's
//!   `.vellum-manifest` ([`manifest`]); a page that would land on a file of the user's stops the
//!   build with an error naming it, and the user's other files are kept.
//! - A file whose bytes are unchanged is not rewritten, so modification times stay useful to
//!   rsync-style deploys.
//! - The build record in `.vellum-cache/` ([`record`]) lets the next build render only what
//!   changed.
//! - The output directory may not be the site root, an ancestor of it, or one of the site's
//!   source folders.

pub mod in_place;
pub mod manifest;
pub mod record;
pub mod spare;
pub mod swap;

use std::path::{Path, PathBuf};

pub use manifest::{MANIFEST, Owned};
pub use record::{Stamp, Stamps, cache_dir, previous_build, record_path, write_record};

use crate::error::{Error, Result};
use record::stamp;

/// Output path → fingerprint of its inputs: what `render` plans, and what the build record
/// keeps of the last build. (Keyed with FxHash: a rebuild looks up every path of a large
/// site, and these keys are ours, not an attacker's.)
pub type Fingerprints = std::collections::HashMap<String, u64, rustc_hash::FxBuildHasher>;

/// The ending of the temporary names files are written under before being renamed over their
/// targets.
pub const TEMPORARY: &str = ".vellum-tmp";

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
    /// The template it was rendered with, if any (`vellum check` names it for problems the
    /// template makes).
    pub template: Option<&'static str>,
}

impl OutputFile {
    pub fn bytes(path: impl Into<String>, bytes: Vec<u8>, origin: impl Into<String>) -> Self {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(bytes),
            origin: origin.into(),
            template: None,
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

/// How the files of one build get into the output folder: see [`swap`] and [`in_place`].
#[derive(Debug)]
pub enum Writer {
    /// With the marker of an interrupted in-place write, which the swap makes whole.
    Swap(swap::Swap, PathBuf),
    InPlace(in_place::InPlace),
}

impl Writer {
    /// A writer into `dir`. `atomic` asks for the whole site to be put in place at once (every
    /// `vellum build`, and the first build of a watch session); a folder that does not exist
    /// yet is always made that way. `owned` is what the last write here left, when the caller
    /// remembers it; `root` is the site's folder (its cache may hold the spare tree, see
    /// [`spare`]); `marker` is the file that says an in-place write was under way. Also
    /// returns why the write cannot be atomic, when it cannot.
    pub fn new(
        dir: &Path,
        atomic: bool,
        owned: Option<Owned>,
        root: &Path,
        marker: PathBuf,
    ) -> (Writer, Option<String>) {
        let exists = std::fs::symlink_metadata(dir).is_ok();
        let mut refused = None;
        if atomic || !exists {
            match swap::Swap::new(dir, root, &cache_dir(root)) {
                Ok(swap) => return (Writer::Swap(swap, marker), None),
                Err(e) => {
                    refused = Some(format!(
                        "cannot make the new site outside {} ({e}), so it is written into it file by file, not all at once",
                        dir.display()
                    ))
                }
            }
        }
        let owned = owned.unwrap_or_else(|| manifest::read(dir).0);
        let writer = Writer::InPlace(in_place::InPlace::new(dir, owned, marker));
        (writer, refused)
    }

    /// Takes one batch of rendered files (see [`swap::Swap::stage`]).
    pub fn stage(
        &mut self,
        files: &[OutputFile],
        report: &mut WriteReport,
        stamps: &mut Stamps,
    ) -> Result<()> {
        match self {
            Writer::Swap(swap, _) => swap.stage(files, report, stamps),
            Writer::InPlace(place) => place.stage(files, report, stamps),
        }
    }

    /// Leaves the output as it was.
    pub fn rollback(self) {
        match self {
            Writer::Swap(swap, _) => swap.rollback(),
            Writer::InPlace(place) => place.rollback(),
        }
    }

    /// Puts the site in place: `all` is every file it has, with its fingerprint (some were not
    /// rendered because they did not change); `same_files` says the caller knows it is what
    /// the last write had. Returns what vellum now owns in the output.
    pub fn commit(
        self,
        all: &crate::output::Fingerprints,
        same_files: bool,
        report: &mut WriteReport,
        stamps: &mut Stamps,
    ) -> Result<Owned> {
        match self {
            Writer::Swap(swap, marker) => {
                let owned = swap.commit(all, marker.exists(), report)?;
                let _ = std::fs::remove_file(marker);
                Ok(owned)
            }
            Writer::InPlace(place) => place.commit(all, same_files, report, stamps),
        }
    }
}

/// Whether `file` may be written to `target` in an output where the last build wrote `owned`:
/// the stamp of what is there when it already holds exactly these bytes (nothing to write,
/// whoever made it); `None` when it is to be written; an error when something that is not
/// vellum's is in the way (a file of the user's, a folder, a link).
fn ownership(target: &Path, file: &OutputFile, owned: &Owned) -> Result<Option<Stamp>> {
    let meta = match std::fs::symlink_metadata(target) {
        Ok(meta) => meta,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(Error::io(target, e)),
    };
    if meta.is_file() {
        if same_contents(target, &meta, file)? {
            return Ok(Some(stamp(&meta)));
        }
        if owned.contains(&file.path) {
            return Ok(None);
        }
    }
    Err(Error::NotOurs {
        path: target.to_path_buf(),
        needed: format!("{} writes its page there", file.origin),
    })
}

/// Whether the file at `target`, whose metadata is `meta`, holds exactly `file`'s contents
/// (read only when the sizes agree).
fn same_contents(target: &Path, meta: &std::fs::Metadata, file: &OutputFile) -> Result<bool> {
    let same = |bytes: &[u8]| {
        meta.len() == bytes.len() as u64 && std::fs::read(target).is_ok_and(|old| old == bytes)
    };
    Ok(match &file.contents {
        Contents::Bytes(bytes) => same(bytes),
        Contents::Copy(from) => {
            let size = std::fs::metadata(from)
                .map_err(|e| Error::io(from, e))?
                .len();
            size == meta.len() && same(&std::fs::read(from).map_err(|e| Error::io(from, e))?)
        }
    })
}

fn temporary(target: &Path) -> PathBuf {
    let mut tmp = target.as_os_str().to_os_string();
    tmp.push(TEMPORARY);
    PathBuf::from(tmp)
}

/// Writes `file`'s contents to `path`, making its missing folders up to `top`: the stamp of
/// what was written (taken from the open file, not looked up again by name), and the folders
/// made, parents first. Errors name `target`, the file's place in the output.
fn write_new(
    path: &Path,
    top: &Path,
    target: &Path,
    file: &OutputFile,
) -> Result<(Stamp, Vec<PathBuf>)> {
    use std::io::Write as _;
    let failed = |e| Error::io(target, e);
    let mut created = Vec::new();
    let mut out = match std::fs::File::create(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                make_dirs(parent, top, &mut created).map_err(failed)?;
            }
            std::fs::File::create(path)
        }
        opened => opened,
    }
    .map_err(failed)?;
    match &file.contents {
        Contents::Bytes(bytes) => out.write_all(bytes),
        Contents::Copy(from) => {
            let mut source = std::fs::File::open(from).map_err(|e| Error::io(from, e))?;
            std::io::copy(&mut source, &mut out).map(|_| ())
        }
    }
    .map_err(failed)?;
    let meta = out.metadata().map_err(failed)?;
    Ok((stamp(&meta), created))
}

/// Makes `dir` and whichever of its parents below `top` are missing, adding each folder made
/// to `created`, parents first. Another thread making the same folder at the same time is
/// fine.
fn make_dirs(dir: &Path, top: &Path, created: &mut Vec<PathBuf>) -> std::io::Result<()> {
    match std::fs::create_dir(dir) {
        Ok(()) => {
            created.push(dir.to_path_buf());
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && dir != top => {
            if let Some(parent) = dir.parent() {
                make_dirs(parent, top, created)?;
            }
            make_dirs(dir, top, created)
        }
        Err(e) => Err(e),
    }
}
