//! An atomic write: the new site is made as a whole tree outside the output, then the two
//! folders trade places in one step, so that the output is at every instant either wholly the
//! old site or wholly the new one, whenever the build is killed, and a failed build changes
//! nothing there.
//!
//! - The new tree is the spare ([`spare`](super::spare)): the tree the last swap took out of
//!   place, brought up to date. Only when there is no output yet is it a new folder, renamed
//!   into place.
//! - Pages rendered this time are written into the new tree under their final names.
//! - Pages that did not change, and the user's own files (`CNAME`, `.well-known/`), are
//!   hard-linked from the old tree: no copying, and their modification times survive, which
//!   rsync-style deploys rely on. (Where a link cannot be made, the file is copied and its
//!   time set.)
//! - Files the last build wrote (listed in the manifest) that this site no longer has are
//!   simply not carried over; nothing is ever removed from the live tree, and nothing is
//!   removed anywhere through a symbolic link.
//! - The trade is `renameat2(RENAME_EXCHANGE)` on Linux (`renameatx_np` on macOS). Elsewhere,
//!   or on a file system without it, the old tree is renamed aside and the new one into place:
//!   for an instant there is no output folder, and a kill then leaves the old site beside it,
//!   put back by the next build.
//! - When there was no output folder (a first build, every CI build), the new tree is a new
//!   folder beside it (`.public.vellum-new-<pid>`), renamed into place: one rename. A folder
//!   like it left by a killed build is removed by the next one, once its process is gone.
//! - A build that changes nothing (same files, nothing written) makes no new tree at all.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::manifest::{self, MANIFEST, Owned};
use super::record::{Stamp, Stamps};
use super::spare;
use super::{OutputFile, TEMPORARY, WriteReport, make_dirs, ownership, write_new};
use crate::error::{Error, Result};

/// The marker in the names of the new and the set-aside trees beside the output.
const NEW: &str = "vellum-new-";
const OLD: &str = "vellum-old-";

/// See the module notes.
#[derive(Debug)]
pub struct Swap {
    /// The output folder (with symbolic links resolved: the trees trade places beside the
    /// real folder, and a link to it stays a link).
    dir: PathBuf,
    /// The new tree.
    staging: PathBuf,
    /// Whether there was an output folder to trade places with.
    old: bool,
    /// What the last build wrote there (its manifest).
    owned: Owned,
    /// Whether that manifest is in this version's format.
    current: bool,
    /// The paths written into the new tree this build.
    written: FxHashSet<String>,
    /// Folders made to hold the output (`--output new/place`), deepest first: removed again
    /// when the build fails.
    made: Vec<PathBuf>,
    /// The lock on the spare tree, held until the swap is done (`None` for a new folder, or
    /// where no lock file could be made).
    _lock: Option<std::fs::File>,
}

impl Swap {
    /// Prepares the new tree for the output folder `dir` of the site at `root`, whose cache
    /// folder is `cache`; an error when it cannot be made (a read-only parent folder), so that
    /// the caller can write in place instead.
    pub fn new(dir: &Path, root: &Path, cache: &Path) -> std::io::Result<Swap> {
        let dir = match std::fs::symlink_metadata(dir) {
            Ok(meta) if meta.file_type().is_symlink() => dir.canonicalize()?,
            _ => dir.to_path_buf(),
        };
        let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
            return Err(std::io::ErrorKind::InvalidInput.into());
        };
        let made = make_parents(parent)?;
        let prefix = format!(".{}.", name.to_string_lossy());
        restore_set_aside(parent, &prefix, &dir);
        remove_abandoned(parent, &prefix);
        let old = dir.is_dir();
        let (staging, lock) = if old {
            let spare = spare::path(&dir, root, cache);
            if let Some(parent) = spare.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let _ = std::fs::create_dir_all(cache);
            let lock = spare::open(&spare, &spare::lock_path(&dir, cache))?;
            (spare, lock)
        } else {
            let staging = parent.join(format!("{prefix}{NEW}{}", std::process::id()));
            if std::fs::symlink_metadata(&staging).is_ok() {
                // Left by an earlier build in this same process (a library user): start afresh.
                std::fs::remove_dir_all(&staging)?;
            }
            if let Err(e) = std::fs::create_dir(&staging) {
                remove_made(&made);
                return Err(e);
            }
            (staging, None)
        };
        let (owned, current) = if old {
            manifest::read(&dir)
        } else {
            Default::default()
        };
        Ok(Swap {
            _lock: lock,
            owned,
            current,
            made,
            dir,
            staging,
            old,
            written: FxHashSet::default(),
        })
    }

    /// Writes `files` into the new tree, except those the output already holds byte for byte
    /// (linked over at the end, keeping their times). A page that would replace a file the
    /// user put in the output stops the build.
    pub fn stage(
        &mut self,
        files: &[OutputFile],
        report: &mut WriteReport,
        stamps: &mut Stamps,
    ) -> Result<()> {
        let results: Vec<Result<(Stamp, bool)>> = files
            .par_iter()
            .map(|file| {
                manifest::check_reserved(&file.path, &file.origin)?;
                let target = self.dir.join(&file.path);
                if self.old
                    && let Some(stamp) = ownership(&target, file, &self.owned)?
                {
                    return Ok((stamp, false));
                }
                if self.old {
                    // The spare may hold anything there, a link to a live file among them:
                    // never write into it, make a new file.
                    spare::clear_way(&self.staging, Path::new(&file.path))
                        .map_err(|e| Error::io(&target, e))?;
                }
                let (stamp, _) =
                    write_new(&self.staging.join(&file.path), &self.staging, &target, file)?;
                Ok((stamp, true))
            })
            .collect();
        let mut errors = Vec::new();
        for (file, result) in files.iter().zip(results) {
            match result {
                Ok((stamp, written)) => {
                    stamps.insert(file.path.clone(), stamp);
                    if written {
                        report.written += 1;
                        self.written.insert(file.path.clone());
                    } else {
                        report.unchanged += 1;
                    }
                }
                Err(error) => errors.push(error),
            }
        }
        Error::collect(errors).map_or(Ok(()), Err)
    }

    /// Leaves the output as it was: a new folder is removed; the spare stays a spare.
    pub fn rollback(self) {
        self.discard();
    }

    fn discard(&self) {
        if !self.old {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
        remove_made(&self.made);
    }

    /// Completes the new tree with everything of the old one that stays (`all` is every file
    /// of the new site), writes its manifest, and puts it in place. `dirty` says the output may
    /// hold leftovers of an interrupted in-place write, so it is rebuilt even when nothing
    /// else changed.
    pub fn commit(
        self,
        all: &crate::output::Fingerprints,
        dirty: bool,
        report: &mut WriteReport,
    ) -> Result<Owned> {
        let same_files =
            self.owned.len() == all.len() && all.keys().all(|p| self.owned.contains(p));
        if self.old && self.written.is_empty() && same_files && !dirty && self.current {
            return Ok(self.owned);
        }
        let result = self.complete(all, report).and_then(|()| self.trade());
        if result.is_err() {
            self.discard();
        }
        result?;
        Ok(all.keys().cloned().collect())
    }

    /// Links what stays from the old tree into the new one, and writes the manifest.
    fn complete(&self, all: &crate::output::Fingerprints, report: &mut WriteReport) -> Result<()> {
        let mut present = FxHashSet::default();
        if self.old {
            let links = self.carried_over(all, &mut present, report)?;
            let spare = spare::Inventory::take(&self.staging);
            let placed: Vec<Result<()>> = links
                .par_iter()
                .filter(|keep| !keep.dir && !spare.has(&keep.rel, keep.ino))
                .chain(links.par_iter().filter(|keep| keep.dir))
                .map(|keep| self.link(&keep.rel))
                .collect();
            Error::collect(placed.into_iter().filter_map(Result::err).collect())
                .map_or(Ok(()), Err)?;
            // Whatever else the spare holds goes: it is no part of the new site.
            let (dirs, files): (Vec<_>, Vec<_>) = links.into_iter().partition(|keep| keep.dir);
            let mut files: FxHashSet<PathBuf> = files.into_iter().map(|keep| keep.rel).collect();
            files.extend(self.written.iter().map(PathBuf::from));
            files.insert(PathBuf::from(MANIFEST));
            let dirs = dirs.into_iter().map(|keep| keep.rel).collect();
            spare.prune(&self.staging, &files, &dirs);
        }
        let missing: Vec<&String> = all
            .keys()
            .filter(|p| !self.written.contains(*p) && !present.contains(p.as_str()))
            .collect();
        if let Some(path) = missing.first() {
            // Its page was not rendered because the last build left it, and it is gone now.
            return Err(Error::io(
                self.dir.join(path),
                std::io::Error::other("vanished during the build; build again"),
            ));
        }
        let text = manifest::text(all.keys());
        let (from, to) = (self.dir.join(MANIFEST), self.staging.join(MANIFEST));
        let _ = spare::clear_way(&self.staging, Path::new(MANIFEST));
        // An unchanged manifest keeps its time, like every unchanged file.
        if std::fs::read(&from).is_ok_and(|old| old == text.as_bytes())
            && std::fs::hard_link(&from, &to).is_ok()
        {
            return Ok(());
        }
        std::fs::write(&to, text).map_err(|e| Error::io(from, e))
    }

    /// The paths (relative to the output) of the old tree's entries that the new tree keeps,
    /// each with whether it is an (empty) folder: pages that did not change, and everything
    /// that is the user's. Adds the new site's files found there to `present`, and counts the
    /// files of the last build that the new site no longer has in `report`. A file of the
    /// user's where the new site writes a page, or a folder, is an error.
    fn carried_over<'a>(
        &self,
        all: &'a crate::output::Fingerprints,
        present: &mut FxHashSet<&'a str>,
        report: &mut WriteReport,
    ) -> Result<Vec<Keep>> {
        // The folders the pages written this build need.
        let mut folders: FxHashSet<&Path> = FxHashSet::default();
        for path in &self.written {
            let mut at = Path::new(path).parent();
            while let Some(dir) = at.filter(|d| !d.as_os_str().is_empty()) {
                if !folders.insert(dir) {
                    break;
                }
                at = dir.parent();
            }
        }
        let mut keep = Vec::new();
        let mut errors = Vec::new();
        // A folder is empty when the walk's next entry is not inside it.
        let mut open_dir: Option<(PathBuf, usize)> = None;
        let walk = walkdir::WalkDir::new(&self.dir)
            .min_depth(1)
            .follow_links(false);
        for entry in walk {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(&self.dir).to_path_buf();
                Error::io(path, e.into())
            })?;
            if let Some((dir, depth)) = open_dir.take() {
                if entry.depth() <= depth {
                    keep.push(Keep::folder(dir));
                } else {
                    open_dir = None;
                }
            }
            let rel = entry
                .path()
                .strip_prefix(&self.dir)
                .unwrap_or(entry.path())
                .to_path_buf();
            if entry.file_type().is_dir() {
                // A folder comes along with what is in it; an empty one is the user's.
                open_dir = Some((rel, entry.depth()));
                continue;
            }
            let name = rel
                .to_str()
                .map(|s| s.replace(std::path::MAIN_SEPARATOR, "/"));
            match name.as_deref() {
                Some(MANIFEST) => continue,
                Some(path) if all.contains_key(path) => {
                    if let Some((known, _)) = all.get_key_value(path) {
                        present.insert(known.as_str());
                    }
                    if self.written.contains(path) {
                        continue;
                    }
                }
                Some(path) if self.owned.contains(path) => {
                    report.removed += 1;
                    continue;
                }
                // What an older vellum left when it was killed while writing in place.
                Some(path) if path.ends_with(TEMPORARY) => continue,
                _ => {}
            }
            let in_the_way = folders.contains(rel.as_path())
                || rel.ancestors().skip(1).any(|up| {
                    up.to_str()
                        .is_some_and(|up| !up.is_empty() && self.written.contains(up))
                });
            if in_the_way {
                errors.push(Error::NotOurs {
                    path: entry.path().to_path_buf(),
                    needed: "the new site needs that place for a folder of pages".into(),
                });
            }
            keep.push(Keep {
                rel,
                dir: false,
                ino: cfg!(unix).then(|| spare::inode(&entry)),
            });
        }
        if let Some((dir, _)) = open_dir {
            keep.push(Keep::folder(dir));
        }
        Error::collect(errors).map_or(Ok(keep), Err)
    }

    /// Puts the old tree's `rel` into the new tree, unless the spare has it already: a hard
    /// link to a file (a copy with the same time where linking fails), the same target for a
    /// symbolic link, an empty folder made.
    fn link(&self, rel: &Path) -> Result<()> {
        let from = self.dir.join(rel);
        let to = self.staging.join(rel);
        let failed = |e| Error::io(&from, e);
        let meta = std::fs::symlink_metadata(&from).map_err(failed)?;
        let kind = meta.file_type();
        if let Ok(have) = std::fs::symlink_metadata(&to) {
            let same = if kind.is_file() {
                have.is_file() && spare::same_file(&meta, &have)
            } else if kind.is_symlink() {
                have.is_symlink() && std::fs::read_link(&from).ok() == std::fs::read_link(&to).ok()
            } else {
                kind.is_dir() && have.is_dir()
            };
            if same {
                return Ok(());
            }
        }
        // Nothing of this build's is in the way (see `carried_over`): only stale spare entries.
        spare::clear_way(&self.staging, rel).map_err(failed)?;
        if let Some(parent) = to.parent() {
            make_dirs(parent, &self.staging, &mut Vec::new()).map_err(|e| conflict(&from, e))?;
        }
        let made = if kind.is_dir() {
            // An empty folder; the new site may have put something in it already.
            std::fs::create_dir(&to).or_else(|e| if to.is_dir() { Ok(()) } else { Err(e) })
        } else if kind.is_symlink() {
            std::fs::read_link(&from).and_then(|target| symlink(&target, &to))
        } else if kind.is_file() {
            std::fs::hard_link(&from, &to).or_else(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    return Err(e);
                }
                copy_with_time(&from, &to, &meta)
            })
        } else {
            Err(std::io::Error::other(
                "a special file (socket, pipe or device) vellum cannot carry over; move it away",
            ))
        };
        made.map_err(|e| conflict(&from, e))
    }

    /// Puts the new tree in place of the old; the old becomes the spare.
    fn trade(&self) -> Result<()> {
        if !self.old {
            return std::fs::rename(&self.staging, &self.dir).map_err(|e| Error::io(&self.dir, e));
        }
        // The output folder keeps its permissions (a private folder stays private).
        let permissions = std::fs::metadata(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        std::fs::set_permissions(&self.staging, permissions.permissions())
            .map_err(|e| Error::io(&self.dir, e))?;
        if exchange(&self.staging, &self.dir).is_ok() {
            return Ok(());
        }
        // No exchange here: the old tree goes aside for an instant (see the module notes).
        let name = self.dir.file_name().unwrap_or_default().to_string_lossy();
        let aside = self
            .dir
            .with_file_name(format!(".{name}.{OLD}{}", std::process::id()));
        std::fs::rename(&self.dir, &aside).map_err(|e| Error::io(&self.dir, e))?;
        if let Err(e) = std::fs::rename(&self.staging, &self.dir) {
            let _ = std::fs::rename(&aside, &self.dir);
            return Err(Error::io(&self.dir, e));
        }
        let _ = std::fs::rename(&aside, &self.staging);
        Ok(())
    }
}

/// An entry of the live tree that the new tree keeps.
#[derive(Debug)]
struct Keep {
    /// Relative to the output.
    rel: PathBuf,
    /// An empty folder (of the user's).
    dir: bool,
    /// Its inode number as its folder lists it, where there are such.
    ino: Option<u64>,
}

impl Keep {
    fn folder(rel: PathBuf) -> Keep {
        Keep {
            rel,
            dir: true,
            ino: None,
        }
    }
}

/// Makes `dir` and its missing parents: those made, deepest first.
fn make_parents(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(path) = at.filter(|p| std::fs::symlink_metadata(p).is_err()) {
        missing.push(path.to_path_buf());
        at = path.parent();
    }
    std::fs::create_dir_all(dir)?;
    Ok(missing)
}

/// Removes the folders [`make_parents`] made, where they are still empty.
fn remove_made(made: &[PathBuf]) {
    for dir in made {
        let _ = std::fs::remove_dir(dir);
    }
}

/// A user's file in the way of the new site: `from` could not be carried over because the new
/// tree has something else there.
fn conflict(from: &Path, e: std::io::Error) -> Error {
    if matches!(
        e.kind(),
        std::io::ErrorKind::AlreadyExists | std::io::ErrorKind::NotADirectory
    ) {
        return Error::NotOurs {
            path: from.to_path_buf(),
            needed: "the new site needs that place (for a folder or a page)".into(),
        };
    }
    Error::io(from, e)
}

/// A copy of `from` at `to` with `from`'s modification time, for file systems without hard
/// links.
fn copy_with_time(from: &Path, to: &Path, meta: &std::fs::Metadata) -> std::io::Result<()> {
    std::fs::copy(from, to)?;
    let modified = meta.modified()?;
    std::fs::File::options()
        .write(true)
        .open(to)?
        .set_modified(modified)
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(_target: &Path, _link: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other(
        "a symbolic link vellum cannot carry over on this system; move it away",
    ))
}

/// Trades the names of two folders in one step.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Puts back an old site that a build set aside and was killed before putting the new one in
/// place (only where there is no atomic exchange): the output is missing, the old tree is
/// beside it.
fn restore_set_aside(parent: &Path, prefix: &str, dir: &Path) {
    if std::fs::symlink_metadata(dir).is_ok() {
        return;
    }
    let aside = abandoned(parent, prefix)
        .into_iter()
        .find(|(kind, _)| *kind == OLD);
    if let Some((_, path)) = aside {
        let _ = std::fs::rename(path, dir);
    }
}

/// Removes new and set-aside trees beside the output (`<prefix>vellum-new-<pid>`) left by a
/// build that was killed before it finished, whose process is gone. Only where `/proc` tells
/// which processes are alive; a tree whose process might still be building is left alone.
fn remove_abandoned(parent: &Path, prefix: &str) {
    for (_, path) in abandoned(parent, prefix) {
        let _ = std::fs::remove_dir_all(path);
    }
}

/// The trees beside the output whose builds are gone: (`NEW` or `OLD`, path).
fn abandoned(parent: &Path, prefix: &str) -> Vec<(&'static str, PathBuf)> {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        for kind in [NEW, OLD] {
            let pid = rest
                .strip_prefix(kind)
                .filter(|pid| pid.parse::<u32>().is_ok());
            if let Some(pid) = pid
                && !proc.join(pid).exists()
            {
                found.push((kind, entry.path()));
            }
        }
    }
    found
}
