//! The spare tree: the site as it was one build ago, kept after an atomic swap (see
//! [`swap`](super::swap)) to be made into the next site. Making a new tree of 10,000 folders
//! for every build costs seconds on ext4 (creating folders is slow after many were deleted);
//! bringing the spare up to date costs a look at each file and a change for each file that
//! changed, because its unchanged files are already hard links to the live ones.
//!
//! Nothing about the spare is trusted: a killed build may have left it in any state. Every
//! file that should be there is checked to be the very same file as in the output (device and
//! inode), and anything else is removed. It is never visible as the site: only the one atomic
//! exchange shows it.
//!
//! It lives in the site's `.vellum-cache/` when that is on the output's file system and the
//! output is inside the site, and beside the output otherwise (`.public.vellum-spare`). A lock
//! file in the cache keeps two builds into the same output from making it at once.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashSet;

/// Where the spare tree of the output folder `dir` lives (see the module notes).
pub fn path(dir: &Path, root: &Path, cache: &Path) -> PathBuf {
    let beside = || {
        let name = dir
            .file_name()
            .map_or_else(Default::default, |n| n.to_string_lossy().into_owned());
        dir.with_file_name(format!(".{name}.vellum-spare"))
    };
    let inside_site = dir.starts_with(root);
    if inside_site && same_device(dir, root) {
        let key = crate::fingerprint(dir);
        return cache.join(format!("spare-{key:016x}"));
    }
    beside()
}

#[cfg(unix)]
fn same_device(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_device(_a: &Path, _b: &Path) -> bool {
    false
}

/// Takes the lock at `lock` (waiting for another build to finish with the spare tree), then
/// makes the spare tree at `spare` if there is none. The lock is a file that never moves: the
/// spare folder itself trades places with the output, so a lock on it would end up on the
/// live site while a third build waited on the new spare. Where no lock file can be made (a
/// read-only cache), the build goes on without one.
pub fn open(spare: &Path, lock: &Path) -> std::io::Result<Option<std::fs::File>> {
    let held = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock)
        .ok();
    if let Some(file) = &held {
        file.lock()?;
    }
    match std::fs::symlink_metadata(spare) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            std::fs::remove_file(spare)?;
            std::fs::create_dir(spare)?;
        }
        Err(_) => match std::fs::create_dir(spare) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        },
    }
    Ok(held)
}

/// Where the lock of the spare tree of the output folder `dir` is: in the site's cache.
pub fn lock_path(dir: &Path, cache: &Path) -> PathBuf {
    let key = crate::fingerprint(dir);
    cache.join(format!("spare-{key:016x}.lock"))
}

/// Whether two entries are the same file (a hard link of each other).
#[cfg(unix)]
pub fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
pub fn same_file(_a: &std::fs::Metadata, _b: &std::fs::Metadata) -> bool {
    false
}

/// Makes room at `top`/`rel` for a new entry: whatever is there is removed, and anything but
/// a real folder on the way to it (a file, a link) too. Never follows a link.
pub fn clear_way(top: &Path, rel: &Path) -> std::io::Result<()> {
    let mut at = top.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        let meta = match std::fs::symlink_metadata(&at) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let last = i + 1 == parts.len();
        if meta.is_dir() && !last {
            continue;
        }
        if meta.is_dir() {
            std::fs::remove_dir_all(&at)?;
        } else {
            std::fs::remove_file(&at)?;
        }
        return Ok(());
    }
    Ok(())
}

/// What the spare tree holds, from one walk that reads folders but looks at no file: each
/// entry's inode number (as the folder lists it) and whether it is a folder.
#[derive(Debug, Default)]
pub struct Inventory {
    entries: Vec<(PathBuf, u64, bool)>,
    files: rustc_hash::FxHashMap<PathBuf, u64>,
}

impl Inventory {
    /// Lists the spare tree at `top`.
    pub fn take(top: &Path) -> Inventory {
        let mut inventory = Inventory::default();
        let walk = walkdir::WalkDir::new(top)
            .min_depth(1)
            .follow_links(false)
            .contents_first(true);
        for entry in walk.into_iter().flatten() {
            let rel = entry
                .path()
                .strip_prefix(top)
                .unwrap_or(entry.path())
                .to_path_buf();
            let (ino, dir) = (inode(&entry), entry.file_type().is_dir());
            if entry.file_type().is_file() {
                inventory.files.insert(rel.clone(), ino);
            }
            inventory.entries.push((rel, ino, dir));
        }
        inventory
    }

    /// Whether the spare holds, at `rel`, the file whose inode number is `ino`: a hard link of
    /// the live file, nothing to do.
    pub fn has(&self, rel: &Path, ino: Option<u64>) -> bool {
        ino.is_some_and(|ino| self.files.get(rel) == Some(&ino))
    }

    /// Removes from the spare tree at `top` every entry listed that is not one of `files`
    /// (relative paths) or a folder on the way to one, or one of the empty folders `dirs`.
    /// Entries made since the listing are the new site's. Never follows a link.
    pub fn prune(&self, top: &Path, files: &FxHashSet<PathBuf>, dirs: &FxHashSet<PathBuf>) {
        let mut wanted_dirs: FxHashSet<&Path> = FxHashSet::default();
        let starts = dirs
            .iter()
            .map(|d| Some(d.as_path()))
            .chain(files.iter().map(|f| f.parent()));
        for start in starts {
            let mut at = start;
            while let Some(dir) = at.filter(|d| !d.as_os_str().is_empty()) {
                if !wanted_dirs.insert(dir) {
                    break;
                }
                at = dir.parent();
            }
        }
        // Listed children before their folders, so that a folder is empty when its turn comes.
        for (rel, _, dir) in &self.entries {
            let path = top.join(rel);
            if *dir {
                if !wanted_dirs.contains(rel.as_path()) {
                    let _ = std::fs::remove_dir(path);
                }
            } else if !files.contains(rel) {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

/// The inode number of a walked entry, as its folder lists it (no look at the file).
#[cfg(unix)]
pub fn inode(entry: &walkdir::DirEntry) -> u64 {
    walkdir::DirEntryExt::ino(entry)
}

#[cfg(not(unix))]
pub fn inode(_entry: &walkdir::DirEntry) -> u64 {
    0
}
