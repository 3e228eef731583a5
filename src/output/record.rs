//! The build record, kept outside the output in the site's `.vellum-cache/` (as Jekyll keeps
//! `.jekyll-cache/`): each file's fingerprint (a hash of everything its page was made from),
//! size and modification time. The next build renders again only the files whose fingerprint
//! changed, or that are no longer on disk as written (deleted or edited by hand). It lives
//! outside so that the output stays byte-identical from build to build, and it only saves
//! work: a missing or damaged record means render everything.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;

use super::manifest::{escape, is_inside, unescape};

/// The first line of a build record. Version 2 escapes paths (see `manifest`).
const RECORD_HEADER: &str = "# vellum build record 2: path, fingerprint, size, modified (ns)";

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
pub type Stamps = std::collections::HashMap<String, Stamp, rustc_hash::FxBuildHasher>;

pub(super) fn stamp(meta: &std::fs::Metadata) -> Stamp {
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    (meta.len(), modified)
}

/// Whether the file at `path` is still exactly as stamped: there, not a link, same size and
/// modification time.
pub(super) fn still(path: &Path, recorded: Stamp) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|meta| meta.is_file() && stamp(&meta) == recorded)
}

/// What the last build left in `dir`, according to its `record`: the fingerprint and stamp
/// of each file that is still on disk exactly as it was written. A file that is missing,
/// or whose size or modification time changed, is left out, so it is made again.
pub fn previous_build(record: &Path, dir: &Path) -> (crate::output::Fingerprints, Stamps) {
    let text = std::fs::read_to_string(record).unwrap_or_default();
    let mut lines = text.lines();
    if lines.next() != Some(RECORD_HEADER) {
        return Default::default();
    }
    let entries: Vec<(String, u64, Stamp)> = lines
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let path = unescape(fields.next()?)?;
            let fingerprint = u64::from_str_radix(fields.next()?, 16).ok()?;
            let size = fields.next()?.parse().ok()?;
            let modified = fields.next()?.parse().ok()?;
            is_inside(&path).then(|| (path.into_owned(), fingerprint, (size, modified)))
        })
        .collect();
    let kept: Vec<(String, u64, Stamp)> = entries
        .into_par_iter()
        .filter(|(path, _, recorded)| still(&dir.join(path), *recorded))
        .collect();
    let fingerprints = kept.iter().map(|(p, f, _)| (p.clone(), *f)).collect();
    let stamps = kept.into_iter().map(|(p, _, s)| (p, s)).collect();
    (fingerprints, stamps)
}

/// The `fingerprints` a session remembers, with those of files no longer in `dir` exactly as
/// `stamps` says they were written made not to match anything, and whether there were any: a
/// file deleted or edited by hand while `watch` runs is made again by the next rebuild. The
/// paths all stay, so that the rebuild still knows which files the site had (and removes those
/// it no longer has).
pub fn still_as_written(
    dir: &Path,
    mut fingerprints: crate::output::Fingerprints,
    stamps: &Stamps,
) -> (crate::output::Fingerprints, bool) {
    let changed = std::sync::atomic::AtomicBool::new(false);
    fingerprints.par_iter_mut().for_each(|(path, fingerprint)| {
        if !stamps.get(path).is_some_and(|s| still(&dir.join(path), *s)) {
            forget(fingerprint);
            changed.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    });
    (fingerprints, changed.into_inner())
}

/// Makes every fingerprint not match, so that every file is made again (the output folder is
/// gone), keeping the paths.
pub fn forget_all(fingerprints: &mut crate::output::Fingerprints) {
    fingerprints.values_mut().for_each(forget);
}

/// A fingerprint no page has: a page's is a 64-bit hash, which this one value is as good as
/// never. Forgetting twice is forgetting once.
const FORGOTTEN: u64 = 0;

fn forget(fingerprint: &mut u64) {
    *fingerprint = FORGOTTEN;
}

/// Writes the build record (see [`previous_build`]): `all` files with their fingerprints,
/// and their `stamps` as written. It only saves work, so failing to write it (a read-only site
/// folder) costs the next build time, not correctness: a missing record means render all.
pub fn write_record<S: std::hash::BuildHasher>(
    record: &Path,
    all: &std::collections::HashMap<String, u64, S>,
    stamps: &Stamps,
) {
    // In no particular order: only vellum reads it, and a watch rebuild writes it each time.
    let mut text = String::with_capacity(all.len() * 64 + 64);
    text.push_str(RECORD_HEADER);
    text.push('\n');
    for path in all.keys() {
        // A file this session has no stamp for is not recorded, so the next build makes it.
        if let (Some((size, modified)), Some(fingerprint)) = (stamps.get(path), all.get(path)) {
            let path = escape(path);
            let _ = writeln!(text, "{path}\t{fingerprint:016x}\t{size}\t{modified}");
        }
    }
    // Through a temporary file: a record cut short by a kill would still parse, line by line.
    let tmp = super::temporary(record);
    let written = record
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&tmp, text))
        .and_then(|()| std::fs::rename(&tmp, record));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
        let _ = std::fs::remove_file(record);
    }
}
