//! Writing: the rendered files go to the output directory, and nothing else changes there.
//!
//! - Every file is written to a temporary name beside its target, and all are renamed into
//!   place only once the whole site has rendered: a reader (or `serve`) never sees half a
//!   file, and a failed build leaves the previous site as it was ([`Staged`]).
//! - A file whose bytes are unchanged is not rewritten, so modification times stay useful to
//!   rsync-style deploys.
//! - Files that the previous build wrote and this one does not (a deleted essay) are removed.
//!   The list of what vellum wrote lives in `.vellum-manifest`; files vellum did not write are
//!   never deleted.
//! - A record kept outside the output, in the site's `.vellum-cache/` (as Jekyll keeps
//!   `.jekyll-cache/`), holds each file's fingerprint (a hash of everything its page was made
//!   from), size and modification time. The next build renders again only the files whose
//!   fingerprint changed, or that are no longer on disk as written (deleted or edited by
//!   hand). It lives outside so that the output stays byte-identical from build to build.
//! - The output directory may not be the site root, an ancestor of it, or one of the site's
//!   source folders.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;

use crate::error::{Error, Result};

/// The file listing what the last build wrote.
pub const MANIFEST: &str = ".vellum-manifest";

/// The first line of a build record.
const RECORD_HEADER: &str = "# vellum build record 1: path, fingerprint, size, modified (ns)";

/// The folder beside the site's sources where vellum keeps what only saves time: build
/// records, remembered code blocks, answers from external links.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(".vellum-cache")
}

/// Where the record of builds into `output` is kept: one file per output folder.
pub fn record_path(root: &Path, output: &Path) -> PathBuf {
    let key = crate::fingerprint(output);
    cache_dir(root).join(format!("build-{key:016x}.tsv"))
}

/// A file as it was left on disk: its size and modification time.
pub type Stamp = (u64, u128);

/// The stamp of every file written (or found unchanged), by output path.
pub type Stamps = HashMap<String, Stamp, rustc_hash::FxBuildHasher>;

fn stamp(meta: &std::fs::Metadata) -> Stamp {
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    (meta.len(), modified)
}

/// What the last build left in `dir`, according to its `record`: the fingerprint and stamp
/// of each file that is still on disk exactly as it was written. A file that is missing,
/// or whose size or modification time changed, is left out, so it is made again.
pub fn previous_build(record: &Path, dir: &Path) -> (crate::render::Fingerprints, Stamps) {
    let text = std::fs::read_to_string(record).unwrap_or_default();
    let mut lines = text.lines();
    if lines.next() != Some(RECORD_HEADER) {
        return Default::default();
    }
    let entries: Vec<(&str, u64, Stamp)> = lines
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let path = fields.next()?;
            let fingerprint = u64::from_str_radix(fields.next()?, 16).ok()?;
            let size = fields.next()?.parse().ok()?;
            let modified = fields.next()?.parse().ok()?;
            Some((path, fingerprint, (size, modified)))
        })
        .collect();
    let kept: Vec<&(&str, u64, Stamp)> = entries
        .par_iter()
        .filter(|(path, _, recorded)| {
            std::fs::symlink_metadata(dir.join(path)).is_ok_and(|meta| stamp(&meta) == *recorded)
        })
        .collect();
    let fingerprints = kept.iter().map(|(p, f, _)| (p.to_string(), *f)).collect();
    let stamps = kept.iter().map(|(p, _, s)| (p.to_string(), *s)).collect();
    (fingerprints, stamps)
}

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

/// Files written where no reader sees them, put in place together by [`Staged::commit`] once
/// the whole site has rendered, or removed by [`Staged::rollback`] if it did not: a failed
/// build leaves the previous site as it was, however large.
///
/// Into an existing output folder, each file is written under a temporary name beside its
/// target and renamed over it at the end. When the output folder does not exist yet (a first
/// build, every CI build), the site is written under its final names into a new folder beside
/// it, and that folder is renamed into place: one rename instead of one per file, and no
/// looking for old files that cannot be there.
#[derive(Debug)]
pub struct Staged {
    /// The output folder.
    dir: PathBuf,
    /// The new folder the whole site is written into, when the output folder did not exist.
    fresh: Option<PathBuf>,
    /// (temporary file, target, output path, stamp) of each file written beside its target.
    pending: Vec<(PathBuf, PathBuf, String, Stamp)>,
    /// Folders created for new files (beside their targets), to remove again on rollback.
    created: Vec<PathBuf>,
}

impl Staged {
    /// Staging for a write into the output folder `dir`.
    pub fn new(dir: &Path) -> Staged {
        // Only when nothing at all is at `dir` (not even a dangling link), and its parent is
        // there, so that a rollback leaves nothing behind.
        let fresh = match (
            std::fs::symlink_metadata(dir),
            dir.parent(),
            dir.file_name(),
        ) {
            (Err(e), Some(parent), Some(name))
                if e.kind() == std::io::ErrorKind::NotFound && parent.is_dir() =>
            {
                let prefix = format!(".{}.vellum-new-", name.to_string_lossy());
                remove_abandoned(parent, &prefix);
                let staging = parent.join(format!("{prefix}{}", std::process::id()));
                std::fs::create_dir(&staging).is_ok().then_some(staging)
            }
            _ => None,
        };
        Staged {
            dir: dir.to_path_buf(),
            fresh,
            pending: Vec::new(),
            created: Vec::new(),
        }
    }

    /// Stages `files` (see [`Staged`]), counting them in `report`: a file that already holds
    /// its bytes is left alone (and its stamp taken now); any other is written. Called once
    /// per batch of rendered files.
    pub fn stage(
        &mut self,
        files: &[OutputFile],
        report: &mut WriteReport,
        stamps: &mut Stamps,
    ) -> Result<()> {
        if let Some(staging) = &self.fresh {
            let written: Vec<Result<Stamp>> = files
                .par_iter()
                .map(|f| {
                    let target = self.dir.join(&f.path);
                    let (stamp, _) = write_new(&staging.join(&f.path), staging, &target, f)?;
                    Ok(stamp)
                })
                .collect();
            for (file, result) in files.iter().zip(written) {
                stamps.insert(file.path.clone(), result?);
                report.written += 1;
            }
            return Ok(());
        }
        if !self.dir.is_dir() {
            std::fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
            self.created.push(self.dir.clone());
        }
        let staged: Vec<Result<Staging>> =
            files.par_iter().map(|f| stage_file(&self.dir, f)).collect();
        for (file, result) in files.iter().zip(staged) {
            match result? {
                Staging::Written {
                    tmp,
                    target,
                    stamp,
                    created,
                } => {
                    report.written += 1;
                    self.created.extend(created);
                    self.pending.push((tmp, target, file.path.clone(), stamp));
                }
                Staging::Unchanged(stamp) => {
                    report.unchanged += 1;
                    stamps.insert(file.path.clone(), stamp);
                }
            }
        }
        Ok(())
    }

    /// Puts every staged file in place (a rename each, or one for a new output folder: a
    /// reader never sees half a file) and records its stamp.
    pub fn commit(self, stamps: &mut Stamps) -> Result<()> {
        if let Some(staging) = &self.fresh {
            return std::fs::rename(staging, &self.dir).map_err(|e| {
                let _ = std::fs::remove_dir_all(staging);
                Error::io(&self.dir, e)
            });
        }
        let done: Vec<Result<()>> = self
            .pending
            .par_iter()
            .map(|(tmp, target, _, _)| {
                std::fs::rename(tmp, target).map_err(|e| {
                    let _ = std::fs::remove_file(tmp);
                    Error::io(target, e)
                })
            })
            .collect();
        // A rename keeps the file's modification time: the stamp taken when it was written
        // holds.
        for ((_, _, path, stamp), result) in self.pending.into_iter().zip(done) {
            result?;
            stamps.insert(path, stamp);
        }
        Ok(())
    }

    /// Removes every staged file, and the folders made for them.
    pub fn rollback(mut self) {
        if let Some(staging) = &self.fresh {
            let _ = std::fs::remove_dir_all(staging);
            return;
        }
        self.pending.par_iter().for_each(|(tmp, _, _, _)| {
            let _ = std::fs::remove_file(tmp);
        });
        // Deepest first, so that each folder is empty when its turn comes.
        self.created
            .sort_by_key(|dir| std::cmp::Reverse(dir.components().count()));
        for dir in &self.created {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Removes new-site folders beside the output (`<prefix><pid>`) left by a build that was
/// killed before it finished, whose process is gone. Only where `/proc` tells which processes
/// are alive; a folder whose process might still be building is left alone.
fn remove_abandoned(parent: &Path, prefix: &str) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(prefix))
            .filter(|pid| pid.parse::<u32>().is_ok())
        else {
            continue;
        };
        if !proc.join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// What staging one file into an existing output folder did.
enum Staging {
    /// Written to `tmp`, to be renamed to `target`; `created` lists the folders made for it.
    Written {
        tmp: PathBuf,
        target: PathBuf,
        stamp: Stamp,
        created: Vec<PathBuf>,
    },
    /// The target already held these bytes.
    Unchanged(Stamp),
}

/// Ends a write: `all` gives every file the site now has, with its fingerprint (some were
/// not written because they did not change); anything an earlier build wrote that is not
/// among them is removed, and the manifest is brought up to date. `same_files` says the
/// caller knows `all` is what the last write had (a rebuild of one essay in a large site), so
/// the manifest need not be read.
pub fn finish<V, S: std::hash::BuildHasher>(
    dir: &Path,
    all: &HashMap<String, V, S>,
    same_files: bool,
    report: &mut WriteReport,
) -> Result<()> {
    if !same_files {
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
    }
    Ok(())
}

/// Writes the build record (see [`previous_build`]): `all` files with their fingerprints,
/// and their `stamps` as written. It only saves work, so failing to write it (a read-only site
/// folder) costs the next build time, not correctness: a missing record means render all.
pub fn write_record<S: std::hash::BuildHasher>(
    record: &Path,
    all: &HashMap<String, u64, S>,
    stamps: &Stamps,
) {
    // In no particular order: only vellum reads it, and a watch rebuild writes it each time.
    let mut text = String::with_capacity(all.len() * 64 + 64);
    text.push_str(RECORD_HEADER);
    text.push('\n');
    for path in all.keys() {
        // A file this session has no stamp for is not recorded, so the next build makes it.
        if let (Some((size, modified)), Some(fingerprint)) = (stamps.get(path), all.get(path)) {
            let _ = writeln!(text, "{path}\t{fingerprint:016x}\t{size}\t{modified}");
        }
    }
    let written = record
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(record, text));
    if written.is_err() {
        let _ = std::fs::remove_file(record);
    }
}

/// Writes one file beside its target, unless the target already holds these bytes.
fn stage_file(dir: &Path, file: &OutputFile) -> Result<Staging> {
    let target = dir.join(&file.path);
    if let Some(stamp) = unchanged(&target, file)? {
        return Ok(Staging::Unchanged(stamp));
    }
    let tmp = temporary(&target);
    let (stamp, created) = write_new(&tmp, dir, &target, file).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    Ok(Staging::Written {
        tmp,
        target,
        stamp,
        created,
    })
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

/// The stamp of the file at `target` if it already holds `file`'s contents.
fn unchanged(target: &Path, file: &OutputFile) -> Result<Option<Stamp>> {
    let Ok(meta) = std::fs::metadata(target) else {
        return Ok(None);
    };
    let same = match &file.contents {
        Contents::Bytes(bytes) => holds_given(target, &meta, bytes),
        Contents::Copy(from) => {
            let size = std::fs::metadata(from)
                .map_err(|e| Error::io(from, e))?
                .len();
            size == meta.len()
                && holds_given(
                    target,
                    &meta,
                    &std::fs::read(from).map_err(|e| Error::io(from, e))?,
                )
        }
    };
    Ok(same.then(|| stamp(&meta)))
}

/// Whether the file at `target`, whose metadata is `meta`, holds exactly `bytes` (read only
/// when the sizes agree).
fn holds_given(target: &Path, meta: &std::fs::Metadata, bytes: &[u8]) -> bool {
    meta.len() == bytes.len() as u64 && std::fs::read(target).is_ok_and(|old| old == bytes)
}

/// Whether the file at `target` holds exactly `bytes`.
fn holds(target: &Path, bytes: &[u8]) -> bool {
    std::fs::metadata(target).is_ok_and(|meta| holds_given(target, &meta, bytes))
}

fn temporary(target: &Path) -> PathBuf {
    let mut tmp = target.as_os_str().to_os_string();
    tmp.push(".vellum-tmp");
    PathBuf::from(tmp)
}

/// Writes `bytes` to `target` unless it already holds them, through a temporary file so a
/// reader never sees half of it; true when it wrote.
fn write_if_changed(target: &Path, bytes: &[u8]) -> Result<bool> {
    if holds(target, bytes) {
        return Ok(false);
    }
    let tmp = temporary(target);
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
