//! Highlighted code blocks, remembered by language and exact text: in memory for the life of
//! the process, and between builds in the site's `.vellum-cache/`. Highlighting is most of
//! what rendering a body costs, and bodies are rendered again whenever their pages are (after
//! a template change every page is; a body's HTML is not kept, see `essay::Body`).
//!
//! Keys are the exact text, not a hash of it, so that two blocks can never be confused. The
//! file is trusted only by the vellum that wrote it ([`crate::program_identity`]): another
//! build may highlight differently. It is only ever a saving: a missing, damaged or foreign
//! file means highlighting again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};

/// Language → code → HTML.
type Blocks = HashMap<Box<str>, HashMap<Box<str>, String>>;

static BLOCKS: LazyLock<Mutex<Blocks>> = LazyLock::new(Mutex::default);

/// Whether a block was added since the file was last read or written.
static ADDED: AtomicBool = AtomicBool::new(false);

/// The file, in the site's cache folder.
const FILE: &str = "highlighted-code.bin";

fn blocks() -> MutexGuard<'static, Blocks> {
    BLOCKS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The HTML of a block highlighted before.
pub fn get(lang: &str, code: &str) -> Option<String> {
    blocks().get(lang)?.get(code).cloned()
}

/// Remembers a block's HTML.
pub fn put(lang: &str, code: &str, html: &str) {
    blocks()
        .entry(lang.into())
        .or_default()
        .insert(code.into(), html.into());
    ADDED.store(true, Ordering::Relaxed);
}

fn header() -> String {
    format!(
        "vellum highlighted code 1 {:016x}\n",
        crate::program_identity()
    )
}

fn path(cache_dir: &Path) -> PathBuf {
    cache_dir.join(FILE)
}

/// Adds the blocks remembered in `cache_dir` by an earlier run of this same vellum.
pub fn load(cache_dir: &Path) {
    let Ok(bytes) = std::fs::read(path(cache_dir)) else {
        return;
    };
    if let Some(found) = read(&bytes) {
        let mut blocks = blocks();
        for (lang, code, html) in found {
            blocks
                .entry(lang.into())
                .or_default()
                .entry(code.into())
                .or_insert_with(|| html.to_string());
        }
    }
}

/// Writes every block remembered to `cache_dir`, if any was added since the last load or save
/// (through a temporary file, so that another vellum never reads half of it). Failing to write
/// only costs a later build time.
pub fn save(cache_dir: &Path) {
    if !ADDED.swap(false, Ordering::Relaxed) {
        return;
    }
    let target = path(cache_dir);
    let tmp = cache_dir.join(format!("{FILE}.{}.tmp", std::process::id()));
    let written = std::fs::create_dir_all(cache_dir)
        .and_then(|()| write(&tmp))
        .and_then(|()| std::fs::rename(&tmp, &target));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Writes every block remembered to `file`, sorted, so that the same blocks make the same
/// file; straight to disk, so that a large site's blocks are not copied in memory again. The
/// last 8 bytes are a hash of all before them: a file cut short or half-written by a crash is
/// never taken for a good one.
fn write(file: &Path) -> std::io::Result<()> {
    use std::hash::Hasher as _;
    use std::io::Write as _;
    let blocks = blocks();
    let mut all: Vec<(&str, &str, &str)> = blocks
        .iter()
        .flat_map(|(lang, codes)| {
            codes
                .iter()
                .map(move |(code, html)| (&**lang, &**code, html.as_str()))
        })
        .collect();
    all.sort_unstable();
    let mut out = std::io::BufWriter::new(std::fs::File::create(file)?);
    let mut sum = std::hash::DefaultHasher::new();
    let mut put = |bytes: &[u8]| {
        sum.write(bytes);
        out.write_all(bytes)
    };
    put(header().as_bytes())?;
    for (lang, code, html) in all {
        for field in [lang, code, html] {
            let len = u32::try_from(field.len()).map_err(std::io::Error::other)?;
            put(&len.to_le_bytes())?;
            put(field.as_bytes())?;
        }
    }
    out.write_all(&sum.finish().to_le_bytes())?;
    out.flush()
}

/// The records of a file, (language, code, HTML) each: `None` if another vellum wrote it, or
/// if it is damaged.
fn read(bytes: &[u8]) -> Option<Vec<(&str, &str, &str)>> {
    use std::hash::Hasher as _;
    let (body, sum) = bytes.split_last_chunk::<8>()?;
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(body);
    if hasher.finish() != u64::from_le_bytes(*sum) {
        return None;
    }
    decode(body.strip_prefix(header().as_bytes())?)
}

fn decode(mut bytes: &[u8]) -> Option<Vec<(&str, &str, &str)>> {
    let mut records = Vec::new();
    while !bytes.is_empty() {
        let lang = field(&mut bytes)?;
        let code = field(&mut bytes)?;
        let html = field(&mut bytes)?;
        records.push((lang, code, html));
    }
    Some(records)
}

/// One length-prefixed text, taken off the front of `bytes`.
fn field<'a>(bytes: &mut &'a [u8]) -> Option<&'a str> {
    let (len, rest) = bytes.split_first_chunk::<4>()?;
    let len = usize::try_from(u32::from_le_bytes(*len)).ok()?;
    let (text, rest) = rest.split_at_checked(len)?;
    *bytes = rest;
    std::str::from_utf8(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_saved_are_read_back_and_a_damaged_or_foreign_file_is_not() {
        let dir = std::env::temp_dir().join(format!("vellum-code-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        put("rust", "fn saved() {}\n", "<span>saved</span>");
        put("python", "x = 1\n", "<span>x</span> = 1");
        save(&dir);
        let bytes = std::fs::read(path(&dir)).expect("written");
        let _ = std::fs::remove_dir_all(&dir);
        let records = read(&bytes).expect("whole records");
        assert!(records.contains(&("rust", "fn saved() {}\n", "<span>saved</span>")));
        assert!(records.contains(&("python", "x = 1\n", "<span>x</span> = 1")));
        assert!(records.is_sorted(), "the same blocks make the same file");

        assert!(read(&bytes[..bytes.len() - 1]).is_none(), "cut short");
        let mut zeroed = bytes.clone();
        let middle = bytes.len() / 2;
        zeroed[middle..middle + 4].fill(0);
        assert!(read(&zeroed).is_none(), "damaged inside");
        // Whole, but written by another vellum.
        let records = &bytes[header().len()..bytes.len() - 8];
        let mut foreign = format!(
            "vellum highlighted code 1 {:016x}\n",
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
}
