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

/// What a text file under `content/` is read as (see the `content` module).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An essay or a page.
    Essay,
    /// `_index.md`: its folder's description as a section.
    Section,
}

/// One essay file, read.
#[derive(Debug, Clone)]
pub struct Source {
    /// Relative to the site root (`content/essay.md`), for messages.
    pub path: PathBuf,
    /// Relative to `content/` (`essay.md`): where it sits in the site.
    pub rel: PathBuf,
    pub role: Role,
    /// Where it was read from.
    pub abs: PathBuf,
    pub kind: SourceKind,
    /// The whole file: BOM removed, line endings `\n`.
    pub text: String,
    /// For `content/dir/index.md`: `dir`, relative to `content/`. Its other files belong to it.
    pub bundle: Option<PathBuf>,
    /// For a translation (`x.es.md`) into a language the site lists: its code.
    pub lang: Option<String>,
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

/// The two-letter language codes of ISO 639-1, which Zola and Hugo put in the names of
/// translated files (`index.es.md`, `post.pt-br.md`).
const LANGUAGES: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca \
    ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu \
    gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko \
    kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl \
    nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn \
    so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo \
    xh yi yo za zh zu";

/// The language of a translated file's stem (`index.es`, `post.pt-br`), if it names one.
pub fn translation(stem: &str) -> Option<&str> {
    let (_, suffix) = stem.rsplit_once('.')?;
    let (code, region) = match suffix.split_once(['-', '_']) {
        Some((code, region)) => (code, Some(region)),
        None => (suffix, None),
    };
    let region_ok = region
        .is_none_or(|r| (2..=4).contains(&r.len()) && r.chars().all(|c| c.is_ascii_alphanumeric()));
    (region_ok && LANGUAGES.split_ascii_whitespace().any(|l| l == code)).then_some(code)
}

/// The one warning for translations into languages the site does not list, which are not
/// built: how many, and which languages.
fn skipped_translations(found: &[PathBuf]) -> String {
    let mut languages: Vec<&str> = found
        .iter()
        .filter_map(|p| p.file_stem()?.to_str())
        .filter_map(translation)
        .collect();
    languages.sort_unstable();
    languages.dedup();
    let more = match found.len() {
        1 => String::new(),
        n => format!(", and {} more", n - 1),
    };
    format!(
        "a translated file{more} ({}), skipped: list its language in vellum.toml ([languages.{}]) to build it",
        languages.join(", "),
        languages.first().copied().unwrap_or("es")
    )
}

/// Walks `start` (`content_dir` itself, or a file or folder in it, for rebuilds); relative
/// paths in messages are made against `root`. Translations into `languages` are read; others
/// are skipped, with one warning.
pub fn load(root: &Path, content_dir: &Path, start: &Path, languages: &[&str]) -> Result<Content> {
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
    let mut translations = Vec::new();
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
        let stem = rel.file_stem().map(|s| s.to_string_lossy());
        let lang = stem.as_deref().and_then(translation);
        match essay_kind(&rel) {
            Some(kind) => match lang {
                Some(code) if languages.contains(&code) => {
                    let code = code.to_string();
                    essays.push((entry.into_path(), rel, kind, Some(code)));
                }
                Some(_) => translations.push(relative(root, entry.path())),
                None => essays.push((entry.into_path(), rel, kind, None)),
            },
            None => content.assets.push(Asset {
                from: entry.into_path(),
                rel,
            }),
        }
    }
    if let Some(first) = translations.first() {
        content.warnings.push(Warning {
            at: Location::file(first),
            message: skipped_translations(&translations),
        });
    }
    let results: Vec<(PathBuf, Result<Source>)> = essays
        .into_par_iter()
        .map(|(abs, rel, kind, lang)| {
            let source = read_source(root, &abs, &rel, kind, lang);
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

fn read_source(
    root: &Path,
    abs: &Path,
    rel: &Path,
    kind: SourceKind,
    lang: Option<String>,
) -> Result<Source> {
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
    // A translation is known by its name less the language: `index.es` is `index`.
    let stem = rel
        .file_stem()
        .and_then(|s| s.to_str())
        .map(|s| match lang {
            Some(_) => s.rsplit_once('.').map_or(s, |(name, _)| name),
            None => s,
        });
    // Zola's and Hugo's `_index.md` describes its folder as a section, not an essay.
    let role = match stem {
        Some("_index") => Role::Section,
        _ => Role::Essay,
    };
    let bundle = match stem {
        Some("index") => rel
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf),
        _ => None,
    };
    Ok(Source {
        path,
        rel: rel.to_path_buf(),
        role,
        abs: abs.to_path_buf(),
        kind,
        text,
        bundle,
        lang,
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
    fn translations_are_told_by_a_language_code_before_the_extension() {
        for (stem, language) in [
            ("index.es", Some("es")),
            ("_index.ca", Some("ca")),
            ("post.pt-br", Some("pt")),
            ("post.zh_Hans", Some("zh")),
            ("notes.v2", None),
            ("rust-1.12", None),
            ("on.the", None),
            ("plain", None),
            ("post.en-toolongregion", None),
        ] {
            assert_eq!(translation(stem), language, "{stem}");
        }
    }

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
