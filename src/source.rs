//! Loading: walks `content/` and reads every essay into memory as text, and lists the other
//! files (images and the like) that are copied into the site.
//!
//! Reading normalises what editors disagree on (a UTF-8 byte-order mark, CRLF line endings) so
//! that later stages see one form. Hidden files and editor temp, swap and backup files are
//! skipped; so are symlink loops, with a warning.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Error, Location, Result, Warning};

/// What kind of file an essay comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Markdown,
    Text,
}

/// One essay file, read.
#[derive(Debug, Clone)]
pub struct Source {
    /// Relative to the site root (`content/essay.md`), for messages.
    pub path: PathBuf,
    /// Where it was read from.
    pub abs: PathBuf,
    pub kind: SourceKind,
    /// The whole file: BOM removed, line endings `\n`.
    pub text: String,
    /// For `content/dir/index.md`: `dir`, relative to `content/`. Its other files belong to it.
    pub bundle: Option<PathBuf>,
}

/// A file under `content/` that is not an essay; copied into the site.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Absolute path of the file to copy.
    pub from: PathBuf,
    /// Relative to `content/`.
    pub rel: PathBuf,
}

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub struct Content {
    pub sources: Vec<Source>,
    pub assets: Vec<Asset>,
    pub warnings: Vec<Warning>,
    /// Essays that could not be read (not UTF-8, unreadable), by absolute path. Kept rather
    /// than returned at once so that the build reports them together with every other broken
    /// essay.
    pub errors: Vec<(PathBuf, Error)>,
}

/// The essay kind a file name stands for, if any.
pub fn essay_kind(path: &Path) -> Option<SourceKind> {
    match path.extension()?.to_str()? {
        "md" | "markdown" => Some(SourceKind::Markdown),
        "txt" => Some(SourceKind::Text),
        _ => None,
    }
}

/// Hidden files, and the temp, swap and backup files editors leave beside the ones they save.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913" // vim's probe for a writable directory
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".orig", "___jb_tmp___", "___jb_old___"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
}

/// Walks `start` (`content_dir` itself, or a file or folder in it, for rebuilds); relative
/// paths in messages are made against `root`.
pub fn load(root: &Path, content_dir: &Path, start: &Path) -> Result<Content> {
    let mut content = Content::default();
    let inside = start.strip_prefix(content_dir).unwrap_or(Path::new(""));
    if !start.exists()
        || inside
            .components()
            .any(|c| is_ignored(&c.as_os_str().to_string_lossy()))
    {
        return Ok(content);
    }
    let mut essays = Vec::new();
    let walker = WalkDir::new(start)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map(|p| relative(root, p)).unwrap_or_default();
                if e.loop_ancestor().is_some() {
                    content.warnings.push(Warning {
                        at: Location::file(path),
                        message: "symlink loop; skipped".to_string(),
                    });
                    continue;
                }
                let io = e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("walk failed"));
                return Err(Error::io(path, io));
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(content_dir)
            .unwrap_or(entry.path())
            .to_path_buf();
        // Zola's and Hugo's section pages describe a folder, not an essay.
        if rel.file_stem().is_some_and(|s| s == "_index") {
            continue;
        }
        match essay_kind(&rel) {
            Some(kind) => essays.push((entry.into_path(), rel, kind)),
            None => content.assets.push(Asset {
                from: entry.into_path(),
                rel,
            }),
        }
    }
    let results: Vec<(PathBuf, Result<Source>)> = essays
        .into_par_iter()
        .map(|(abs, rel, kind)| {
            let source = read_source(root, &abs, &rel, kind);
            (abs, source)
        })
        .collect();
    for (abs, result) in results {
        match result {
            Ok(source) => content.sources.push(source),
            Err(e) => content.errors.push((abs, e)),
        }
    }
    Ok(content)
}

fn read_source(root: &Path, abs: &Path, rel: &Path, kind: SourceKind) -> Result<Source> {
    let path = relative(root, abs);
    let bytes = std::fs::read(abs).map_err(|e| Error::io(&path, e))?;
    let text = decode(bytes).map_err(|(line, message)| {
        Error::content(
            Location {
                path: path.clone(),
                line,
            },
            message,
        )
    })?;
    let bundle = match rel.file_stem().and_then(|s| s.to_str()) {
        Some("index") => rel
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf),
        _ => None,
    };
    Ok(Source {
        path,
        abs: abs.to_path_buf(),
        kind,
        text,
        bundle,
    })
}

/// UTF-8 text with the BOM removed and `\r\n` (or a lone `\r`) turned into `\n`.
pub fn decode(bytes: Vec<u8>) -> std::result::Result<String, (Option<usize>, String)> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        (
            Some(line),
            format!("not UTF-8 text (bad byte at offset {offset}); save the file as UTF-8"),
        )
    })?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

/// `path` relative to `root` when it is inside it, for messages.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_droppings_are_ignored() {
        for name in [
            ".hidden.md",
            "essay.md~",
            ".essay.md.swp",
            "essay.md.swp",
            "#essay.md#",
            "4913",
            "a.md___jb_tmp___",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        for name in ["essay.md", "notes.txt", "photo.jpg"] {
            assert!(!is_ignored(name), "{name}");
        }
    }

    #[test]
    fn decode_normalises_bom_and_crlf() {
        assert_eq!(
            decode(b"\xef\xbb\xbfa\r\nb\rc".to_vec()).unwrap(),
            "a\nb\nc"
        );
        let (line, _) = decode(b"ok\nok\n\xff".to_vec()).unwrap_err();
        assert_eq!(line, Some(3));
    }
}
