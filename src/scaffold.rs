//! `init` and `new`: the files a writer starts from. Neither ever overwrites a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::error::{Error, Result};
use crate::{date, slugs};

/// Creates a working site in `dir`, using `theme` if given. A directory with files in it is
/// refused unless `force`; even then existing files are kept. Returns the files written.
pub fn init(dir: &Path, force: bool, theme: Option<&str>) -> Result<Vec<PathBuf>> {
    if let Some(name) = theme {
        let known = crate::theme::available(dir)?;
        if !known.iter().any(|t| t.name == name) {
            let names: Vec<&str> = known.iter().map(|t| t.name.as_str()).collect();
            return Err(Error::Content {
                at: crate::Location::file(dir),
                message: format!("no theme `{name}`; the themes are {}", names.join(", ")),
            });
        }
    }
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied && !force {
        return Err(Error::Content {
            at: crate::Location::file(dir),
            message:
                "folder is not empty; use --force to add a site to it (existing files are kept)"
                    .into(),
        });
    }
    let title = std::path::absolute(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "My essays".into());
    let today = today()?;
    let files = [
        (
            PathBuf::from(CONFIG_FILE),
            format!(
                "title = {}\nauthor = \"\"\ndescription = \"Essays.\"\n# The address the site is published at; feeds and canonical links need it.\nbase_url = \"https://example.com/\"\nlanguage = \"en\"\n{}",
                toml_string(&title),
                theme.map_or(String::new(), |name| format!(
                    "# Themes: `vellum theme list`.\ntheme = {}\n",
                    toml_string(name)
                ))
            ),
        ),
        (
            PathBuf::from("content").join("first-essay.md"),
            format!(
                "+++\ntitle = \"A first essay\"\ndate = {today}\ntags = [\"writing\"]\n+++\n\nThis is where an essay begins. Write in Markdown, or paste plain text: one paragraph per line works too.\n\n## A section\n\nSave the file, run `vellum build`, and open `public/index.html`.\n"
            ),
        ),
        (
            PathBuf::from(".gitignore"),
            "# The built site, and vellum's record of what it built (it makes rebuilds fast).\n/public/\n/.vellum-cache/\n".to_string(),
        ),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(&rel);
        if create_new(&path, &text)? {
            written.push(path);
        }
    }
    Ok(written)
}

/// Creates `content/<slug>.md` for a new draft and returns its path. Never overwrites.
pub fn new_essay(root: &Path, title: &str) -> Result<PathBuf> {
    let path = root
        .join("content")
        .join(format!("{}.md", slugs::slugify(title)));
    let text = format!(
        "+++\ntitle = {}\ndate = {}\ndraft = true\n+++\n\n",
        toml_string(title.trim()),
        today()?
    );
    if !create_new(&path, &text)? {
        return Err(Error::Content {
            at: crate::Location::file(&path),
            message: "already exists; choose another title or edit that file".into(),
        });
    }
    Ok(path)
}

/// `text` as a TOML string, quoted and escaped. (Rust's `{:?}` is not TOML: it writes
/// combining accents as `\u{301}`.)
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Writes a file that must not exist yet; false when it does.
fn create_new(path: &Path, text: &str) -> Result<bool> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut file) => {
            file.write_all(text.as_bytes())
                .map_err(|e| Error::io(path, e))?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Today's date for a new file; a bad `SOURCE_DATE_EPOCH` is an error naming it.
fn today() -> Result<jiff::civil::Date> {
    date::today().map_err(|message| Error::Config {
        at: crate::Location::file(date::SOURCE_DATE_EPOCH),
        message,
    })
}
