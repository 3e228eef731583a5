//! A write file by file into the existing output, for `watch` and `serve` rebuilds, where one
//! saved essay must reach the page in milliseconds and a new tree of 10,000 files each time
//! would cost a second. Each file is written under a temporary name beside its target and
//! renamed over it once every page rendered: a reader never sees half a file, and a failed
//! render changes nothing. Unlike [`Swap`](super::swap::Swap), a kill during the renames can
//! leave a mix, so a marker beside the build record says the output may be unfinished, and the
//! next atomic build makes it whole again.
//!
//! The same rules of ownership hold: only files in the manifest are overwritten or removed,
//! and removal never goes through a symbolic link.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::manifest::{self, MANIFEST, Owned};
use super::record::{Stamp, Stamps};
use super::{OutputFile, WriteReport, ownership, temporary, write_new};
use crate::error::{Error, Result};

/// See the module notes.
#[derive(Debug)]
pub struct InPlace {
    dir: PathBuf,
    owned: Owned,
    /// The marker that says a write here is under way (see the module notes).
    marker: PathBuf,
    /// (temporary file, target, output path, stamp) of each file written beside its target.
    pending: Vec<(PathBuf, PathBuf, String, Stamp)>,
    /// Folders created for new files (beside their targets), to remove again on rollback.
    created: Vec<PathBuf>,
}

impl InPlace {
    /// A write into `dir`, whose last build wrote `owned`; `marker` is made while files are
    /// being renamed into place.
    pub fn new(dir: &Path, owned: Owned, marker: PathBuf) -> InPlace {
        InPlace {
            dir: dir.to_path_buf(),
            owned,
            marker,
            pending: Vec::new(),
            created: Vec::new(),
        }
    }

    /// Writes `files` beside their targets, except those whose target already holds their
    /// bytes. Every file written is kept track of, even when another fails, so that
    /// [`rollback`](InPlace::rollback) leaves nothing behind.
    pub fn stage(
        &mut self,
        files: &[OutputFile],
        report: &mut WriteReport,
        stamps: &mut Stamps,
    ) -> Result<()> {
        let staged: Vec<Result<Staging>> = files
            .par_iter()
            .map(|file| stage_file(&self.dir, file, &self.owned))
            .collect();
        let mut errors = Vec::new();
        for (file, result) in files.iter().zip(staged) {
            match result {
                Ok(Staging::Written {
                    tmp,
                    target,
                    stamp,
                    created,
                }) => {
                    report.written += 1;
                    self.created.extend(created);
                    self.pending.push((tmp, target, file.path.clone(), stamp));
                }
                Ok(Staging::Unchanged(stamp)) => {
                    report.unchanged += 1;
                    stamps.insert(file.path.clone(), stamp);
                }
                Err(error) => errors.push(error),
            }
        }
        Error::collect(errors).map_or(Ok(()), Err)
    }

    /// Removes every staged file, and the folders made for them.
    pub fn rollback(mut self) {
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

    /// Renames every staged file into place, removes what the last build wrote that the site
    /// no longer has (`all` is every file it has now; `same_files` says the caller knows it is
    /// what the last write had), and brings the manifest up to date.
    pub fn commit(
        self,
        all: &crate::output::Fingerprints,
        same_files: bool,
        report: &mut WriteReport,
        stamps: &mut Stamps,
    ) -> Result<Owned> {
        if self.pending.is_empty() && same_files {
            return Ok(self.owned);
        }
        // One file renamed is whole or not there; only a batch can be left half done.
        let batch = self.pending.len() > 1 || !same_files;
        if batch {
            if let Some(parent) = self.marker.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let _ = std::fs::write(&self.marker, b"");
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
        let mut errors = Vec::new();
        // A rename keeps the file's modification time: the stamp taken when it was written
        // holds.
        for ((_, _, path, stamp), result) in self.pending.into_iter().zip(done) {
            match result {
                Ok(()) => {
                    stamps.insert(path, stamp);
                }
                Err(error) => errors.push(error),
            }
        }
        if let Some(error) = Error::collect(errors) {
            // The marker stays: the next atomic build makes the output whole.
            return Err(error);
        }
        if !same_files {
            for stale in self.owned.iter().filter(|p| !all.contains_key(*p)) {
                if remove_stale(&self.dir, stale)? {
                    report.removed += 1;
                }
            }
            let text = manifest::text(all.keys());
            write_if_changed(&self.dir.join(MANIFEST), text.as_bytes())?;
        }
        if batch {
            let _ = std::fs::remove_file(&self.marker);
        }
        Ok(all.keys().cloned().collect())
    }
}

/// What staging one file did.
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

/// Writes one file beside its target, unless the target already holds these bytes.
fn stage_file(dir: &Path, file: &OutputFile, owned: &Owned) -> Result<Staging> {
    manifest::check_reserved(&file.path, &file.origin)?;
    let target = dir.join(&file.path);
    if let Some(stamp) = ownership(&target, file, owned)? {
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

/// Writes `bytes` to `target` unless it already holds them, through a temporary file so a
/// reader never sees half of it.
fn write_if_changed(target: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(target).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    let tmp = temporary(target);
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, target))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::io(target, e)
        })
}

/// Removes a file an earlier build wrote, and any folders that leaves empty; true when it
/// removed one. Never through a symbolic link: if any folder on the way, or the file itself,
/// is one (or anything but a plain file), it is left alone.
fn remove_stale(dir: &Path, rel: &str) -> Result<bool> {
    if !manifest::is_inside(rel) || !real_folders(dir, rel) {
        return Ok(false);
    }
    let path = dir.join(rel);
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_file() => {}
        _ => return Ok(false),
    }
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

/// Whether every folder between `dir` and `rel`'s file is a real folder, not a link.
fn real_folders(dir: &Path, rel: &str) -> bool {
    let mut at = dir.to_path_buf();
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    parts.into_iter().all(|part| {
        at.push(part);
        std::fs::symlink_metadata(&at).is_ok_and(|meta| meta.is_dir())
    })
}
