//! Highlighted code blocks, remembered by language and exact text: in memory for the life of
//! the process, and between builds in the site's `.vellum-cache/`. Highlighting is most of
//! what rendering a body costs, and bodies are rendered again whenever their pages are (after
//! a template change every page is; a body's HTML is not kept, see `essay::Body`).
//!
//! Keys are the exact text, not a hash of it, so that two blocks can never be confused. The
//! file is trusted only by the vellum that wrote it ([`crate::program_identity`]): another
//! build may highlight differently. It is only ever a saving: a missing, damaged or foreign
//! file means highlighting again.
//!
//! Only blocks that some essay still shows are kept. Each essay (by its source file) owns the
//! blocks its body used the last time it was rendered ([`used_by`]), and the owners are saved
//! with the blocks. A build renders only the essays that changed, so an essay not rendered
//! keeps the blocks it owned; one read by this process ([`keep`]) is still there. So a block
//! edited twenty times is saved once, not twenty times, and a removed essay's blocks go with
//! the next build that no longer reads it. Saving also drops what is not kept from memory,
//! which bounds a long watch session by the blocks of the essays it has seen.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};

/// A highlighted block and its id, a hash of its language and text (for owners to list it by).
#[derive(Debug)]
struct Block {
    id: u64,
    html: String,
}

/// What is remembered.
#[derive(Debug, Default)]
struct Memory {
    /// Language → code → block.
    blocks: HashMap<Box<str>, HashMap<Box<str>, Block>>,
    /// Essay ([`owner`]) → the ids of the blocks its body used when it was last
    /// rendered, sorted. Essays without code are left out.
    owners: HashMap<u64, Vec<u64>>,
    /// Essays read by this process: the owners that are saved.
    kept: HashSet<u64>,
    /// Whether a block or an owner changed since the file was last read or written.
    changed: bool,
}

static MEMORY: LazyLock<Mutex<Memory>> = LazyLock::new(Mutex::default);

thread_local! {
    /// The ids of the blocks used by the body this thread is rendering, if any.
    static USING: RefCell<Option<Vec<u64>>> = const { RefCell::new(None) };
}

/// The file, in the site's cache folder.
const FILE: &str = "highlighted-code.bin";

fn memory() -> MutexGuard<'static, Memory> {
    MEMORY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An essay's name here: a hash of its source's path, relative to the site's root. Not its
/// URL, which `vellum serve` changes (to the local server's), and which would make its
/// builds and `vellum build`'s let go of each other's blocks.
pub fn owner(source: &Path) -> u64 {
    crate::fingerprint(source)
}

/// Notes a block as used by the body being rendered on this thread.
fn note_use(id: u64) {
    USING.with_borrow_mut(|using| {
        if let Some(ids) = using {
            ids.push(id);
        }
    });
}

/// The HTML of a block highlighted before.
pub fn get(lang: &str, code: &str) -> Option<String> {
    let memory = memory();
    let block = memory.blocks.get(lang)?.get(code)?;
    note_use(block.id);
    Some(block.html.clone())
}

/// Remembers a block's HTML.
pub fn put(lang: &str, code: &str, html: &str) {
    let id = crate::fingerprint(&(lang, code));
    note_use(id);
    memory().insert(lang, code, id, html);
}

/// Notes that the essay `owner` exists: the blocks it owns are kept, whether or not this
/// build renders it.
pub fn keep(owner: u64) {
    memory().kept.insert(owner);
}

/// Renders the body of the essay `owner` with `render`: the blocks it uses become the blocks
/// that essay owns, in place of those it owned before.
pub fn used_by<R>(owner: u64, render: impl FnOnce() -> R) -> R {
    // Put back what was there after, in case a render ever starts another on this thread.
    let outer = USING.replace(Some(Vec::new()));
    let rendered = render();
    let mut ids = USING.replace(outer).unwrap_or_default();
    ids.sort_unstable();
    ids.dedup();
    memory().own(owner, ids);
    rendered
}

impl Memory {
    fn insert(&mut self, lang: &str, code: &str, id: u64, html: &str) {
        let block = Block {
            id,
            html: html.into(),
        };
        let before = self
            .blocks
            .entry(lang.into())
            .or_default()
            .insert(code.into(), block);
        self.changed |= before.is_none();
    }

    fn own(&mut self, owner: u64, ids: Vec<u64>) {
        self.kept.insert(owner);
        let before = self.owners.get(&owner).map_or(&[][..], Vec::as_slice);
        if before == ids.as_slice() {
            return;
        }
        self.changed = true;
        if ids.is_empty() {
            self.owners.remove(&owner);
        } else {
            self.owners.insert(owner, ids);
        }
    }

    /// Lets go of the owners not kept and of the blocks no owner uses; whether anything
    /// changed since the file was read or written.
    fn prune(&mut self) -> bool {
        let owners = self.owners.len();
        let kept = &self.kept;
        self.owners.retain(|owner, _| kept.contains(owner));
        if self.owners.len() == owners && !self.changed {
            return false;
        }
        let used: HashSet<u64> = self.owners.values().flatten().copied().collect();
        for codes in self.blocks.values_mut() {
            codes.retain(|_, block| used.contains(&block.id));
        }
        self.blocks.retain(|_, codes| !codes.is_empty());
        true
    }
}

fn header() -> String {
    format!(
        "vellum highlighted code 2 {:016x}\n",
        crate::program_identity()
    )
}

fn path(cache_dir: &Path) -> PathBuf {
    cache_dir.join(FILE)
}

/// Adds the blocks, and whose they are, remembered in `cache_dir` by an earlier run of this
/// same vellum. What this process already knows is newer, and stays.
pub fn load(cache_dir: &Path) {
    let Ok(bytes) = std::fs::read(path(cache_dir)) else {
        return;
    };
    if let Some(found) = read(&bytes) {
        memory().add(found);
    }
}

impl Memory {
    fn add(&mut self, found: Found) {
        for &(lang, code, id, html) in &found.blocks {
            self.blocks
                .entry(lang.into())
                .or_default()
                .entry(code.into())
                .or_insert_with(|| Block {
                    id,
                    html: html.to_string(),
                });
        }
        for (owner, indices) in found.owners {
            let ids = indices
                .iter()
                .filter_map(|&i| found.blocks.get(i).map(|block| block.2))
                .collect();
            self.owners.entry(owner).or_insert(ids);
        }
    }
}

/// Writes the blocks that essays still own to `cache_dir`, if anything changed since the last
/// load or save (through a temporary file, so that another vellum never reads half of it), and
/// lets go of the rest. Failing to write only costs a later build time.
pub fn save(cache_dir: &Path) {
    let mut memory = memory();
    if !memory.prune() {
        return;
    }
    memory.changed = false;
    let target = path(cache_dir);
    let tmp = cache_dir.join(format!("{FILE}.{}.tmp", std::process::id()));
    let written = std::fs::create_dir_all(cache_dir)
        .and_then(|()| write(&memory, &tmp))
        .and_then(|()| std::fs::rename(&tmp, &target));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Writes the blocks, then the owners, to `file`, sorted, so that the same blocks make the
/// same file; straight to disk, so that a large site's blocks are not copied in memory again.
/// The last 8 bytes are a hash of all before them: a file cut short or half-written by a crash
/// is never taken for a good one.
fn write(memory: &Memory, file: &Path) -> std::io::Result<()> {
    use std::hash::Hasher as _;
    use std::io::Write as _;
    let mut all: Vec<(&str, &str, &Block)> = memory
        .blocks
        .iter()
        .flat_map(|(lang, codes)| {
            codes
                .iter()
                .map(move |(code, block)| (&**lang, &**code, block))
        })
        .collect();
    all.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let index: HashMap<u64, u32> = all
        .iter()
        .enumerate()
        .filter_map(|(i, (_, _, block))| Some((block.id, u32::try_from(i).ok()?)))
        .collect();
    let mut owners: Vec<(&u64, &Vec<u64>)> = memory.owners.iter().collect();
    owners.sort_unstable();

    let mut out = std::io::BufWriter::new(std::fs::File::create(file)?);
    let mut sum = std::hash::DefaultHasher::new();
    let mut put = |bytes: &[u8]| {
        sum.write(bytes);
        out.write_all(bytes)
    };
    let count = |n: usize| {
        u32::try_from(n)
            .map(u32::to_le_bytes)
            .map_err(std::io::Error::other)
    };
    put(header().as_bytes())?;
    put(&count(all.len())?)?;
    for (lang, code, block) in all {
        for field in [lang, code, block.html.as_str()] {
            put(&count(field.len())?)?;
            put(field.as_bytes())?;
        }
        put(&block.id.to_le_bytes())?;
    }
    put(&count(owners.len())?)?;
    for (owner, ids) in owners {
        let indices: Vec<u32> = ids.iter().filter_map(|id| index.get(id).copied()).collect();
        put(&owner.to_le_bytes())?;
        put(&count(indices.len())?)?;
        for i in indices {
            put(&i.to_le_bytes())?;
        }
    }
    out.write_all(&sum.finish().to_le_bytes())?;
    out.flush()
}

/// What a file holds: blocks as (language, code, id, HTML), and owners with the indices of
/// their blocks in that list.
#[derive(Debug, PartialEq)]
struct Found<'a> {
    blocks: Vec<(&'a str, &'a str, u64, &'a str)>,
    owners: Vec<(u64, Vec<usize>)>,
}

/// What a file holds: `None` if another vellum wrote it, or if it is damaged.
fn read(bytes: &[u8]) -> Option<Found<'_>> {
    use std::hash::Hasher as _;
    let (body, sum) = bytes.split_last_chunk::<8>()?;
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(body);
    if hasher.finish() != u64::from_le_bytes(*sum) {
        return None;
    }
    decode(body.strip_prefix(header().as_bytes())?)
}

fn decode(mut bytes: &[u8]) -> Option<Found<'_>> {
    let bytes = &mut bytes;
    let mut blocks = Vec::new();
    for _ in 0..number(bytes)? {
        let lang = field(bytes)?;
        let code = field(bytes)?;
        let html = field(bytes)?;
        let (id, rest) = bytes.split_first_chunk::<8>()?;
        *bytes = rest;
        blocks.push((lang, code, u64::from_le_bytes(*id), html));
    }
    let mut owners = Vec::new();
    for _ in 0..number(bytes)? {
        let (owner, rest) = bytes.split_first_chunk::<8>()?;
        *bytes = rest;
        let indices = (0..number(bytes)?)
            .map(|_| number(bytes))
            .collect::<Option<Vec<usize>>>()?;
        owners.push((u64::from_le_bytes(*owner), indices));
    }
    bytes.is_empty().then_some(Found { blocks, owners })
}

/// A 4-byte count or length, taken off the front of `bytes`.
fn number(bytes: &mut &[u8]) -> Option<usize> {
    let (n, rest) = bytes.split_first_chunk::<4>()?;
    *bytes = rest;
    usize::try_from(u32::from_le_bytes(*n)).ok()
}

/// One length-prefixed text, taken off the front of `bytes`.
fn field<'a>(bytes: &mut &'a [u8]) -> Option<&'a str> {
    let len = number(bytes)?;
    let (text, rest) = bytes.split_at_checked(len)?;
    *bytes = rest;
    std::str::from_utf8(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block of `lang` and `code`, highlighted as `html`, used by `owner`.
    fn used(memory: &mut Memory, owner: u64, blocks: &[(&str, &str, &str)]) {
        let mut ids = Vec::new();
        for &(lang, code, html) in blocks {
            let id = crate::fingerprint(&(lang, code));
            memory.insert(lang, code, id, html);
            ids.push(id);
        }
        ids.sort_unstable();
        memory.own(owner, ids);
    }

    fn codes(memory: &Memory) -> Vec<&str> {
        let mut codes: Vec<&str> = memory
            .blocks
            .values()
            .flat_map(|c| c.keys())
            .map(|c| &**c)
            .collect();
        codes.sort_unstable();
        codes
    }

    /// Written, read back into a new process's memory, and written again the same.
    fn round_trip(memory: &Memory) -> (Vec<u8>, Memory) {
        let dir = std::env::temp_dir().join(format!(
            "vellum-code-cache-{}-{}",
            std::process::id(),
            crate::fingerprint(&codes(memory))
        ));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        write(memory, &path(&dir)).expect("written");
        let bytes = std::fs::read(path(&dir)).expect("read");
        let _ = std::fs::remove_dir_all(&dir);
        let mut next = Memory::default();
        next.add(read(&bytes).expect("whole records"));
        (bytes, next)
    }

    #[test]
    fn blocks_saved_are_read_back_and_a_damaged_or_foreign_file_is_not() {
        let mut memory = Memory::default();
        used(
            &mut memory,
            1,
            &[
                ("rust", "fn saved() {}\n", "<span>saved</span>"),
                ("python", "x = 1\n", "<span>x</span> = 1"),
            ],
        );
        assert!(memory.prune());
        let (bytes, next) = round_trip(&memory);
        let found = read(&bytes).expect("whole records");
        let blocks: Vec<(&str, &str, &str)> =
            found.blocks.iter().map(|&(l, c, _, h)| (l, c, h)).collect();
        assert_eq!(
            blocks,
            [
                ("python", "x = 1\n", "<span>x</span> = 1"),
                ("rust", "fn saved() {}\n", "<span>saved</span>")
            ],
            "sorted: the same blocks make the same file"
        );
        assert_eq!(
            next.owners, memory.owners,
            "whose they are is read back too"
        );

        assert!(read(&bytes[..bytes.len() - 1]).is_none(), "cut short");
        let mut zeroed = bytes.clone();
        let middle = bytes.len() / 2;
        zeroed[middle..middle + 4].fill(0);
        assert!(read(&zeroed).is_none(), "damaged inside");
        // Whole, but written by another vellum.
        let records = &bytes[header().len()..bytes.len() - 8];
        let mut foreign = format!(
            "vellum highlighted code 2 {:016x}\n",
            !crate::program_identity()
        )
        .into_bytes();
        foreign.extend_from_slice(records);
        let mut sum = std::hash::DefaultHasher::new();
        std::hash::Hasher::write(&mut sum, &foreign);
        foreign.extend_from_slice(&std::hash::Hasher::finish(&sum).to_le_bytes());
        assert!(read(&foreign).is_none(), "written by another vellum");
        assert!(decode(records).is_some());
    }

    /// The file grew by every edit of a block: each version was saved and none ever let go.
    #[test]
    fn only_blocks_that_essays_still_own_are_kept() {
        let mut memory = Memory::default();
        used(&mut memory, 1, &[("rust", "edit 1", "1")]);
        used(&mut memory, 2, &[("rust", "still", "s")]);
        used(&mut memory, 3, &[("rust", "removed", "r")]);
        assert!(memory.prune());
        let (_, mut next) = round_trip(&memory);

        // The next build: essay 1 edited and rendered, essay 2 read but not rendered (its page
        // did not change), essay 3 gone.
        next.kept.insert(2);
        used(&mut next, 1, &[("rust", "edit 2", "2")]);
        assert!(next.prune());
        assert_eq!(codes(&next), ["edit 2", "still"]);

        // Edited again and again: one version is kept.
        for n in 3..=20 {
            used(&mut next, 1, &[("rust", &format!("edit {n}"), "n")]);
            assert!(next.prune());
        }
        assert_eq!(codes(&next), ["edit 20", "still"]);

        // Nothing rendered, nothing gone: nothing to write.
        let (_, mut last) = round_trip(&next);
        last.kept.extend([1, 2]);
        assert!(!last.prune());
        // Rendered again, the same: still nothing to write.
        used(&mut last, 2, &[("rust", "still", "s")]);
        assert!(!last.prune());
        // Rendered without its code: its block goes.
        used(&mut last, 2, &[]);
        assert!(last.prune(), "essay 2 lost its code");
        assert_eq!(codes(&last), ["edit 20"]);
    }

    #[test]
    fn a_render_owns_the_blocks_it_used() {
        let essay = owner(Path::new("content/code-cache-owner-test.md"));
        let html = used_by(essay, || {
            put("rust", "fn owned_by_test() {}\n", "<b>owned</b>");
            get("rust", "fn owned_by_test() {}\n")
        });
        assert_eq!(html.as_deref(), Some("<b>owned</b>"));
        let id = crate::fingerprint(&("rust", "fn owned_by_test() {}\n"));
        let memory = memory();
        assert_eq!(memory.owners.get(&essay), Some(&vec![id]));
        assert!(memory.kept.contains(&essay));
        drop(memory);
        USING.with_borrow(|using| assert!(using.is_none(), "the render's list is put away"));
    }
}
