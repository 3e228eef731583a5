//! Helpers the generator modules share: copying a folder across, counting what is left
//! behind, and reading nested TOML settings.

use std::collections::BTreeSet;
use std::path::Path;

use super::front::Front;
use super::plan::{Plan, slashed};
use super::{Generator, scan};
use crate::error::{Error, Result};

/// Says, for each shortcode whose template the site has, that it was copied; and drops what
/// vellum renders itself (a built-in shortcode, Liquid it knows) from what is not carried.
pub(crate) fn mark_own_shortcodes(plan: &mut Plan, kind: &str, own: &BTreeSet<String>) {
    let renamed: Vec<(String, Vec<String>)> = std::mem::take(&mut plan.not_carried)
        .into_iter()
        .filter(|(thing, _)| {
            let name = thing
                .strip_prefix(&format!("{kind} `"))
                .and_then(|rest| rest.strip_suffix('`'));
            name.is_some_and(|n| own.contains(n)) || !scan::rendered(thing)
        })
        .map(|(thing, files)| {
            let name = thing
                .strip_prefix(&format!("{kind} `"))
                .and_then(|rest| rest.strip_suffix('`'));
            match name {
                Some(name) if own.contains(name) => (
                    format!("{thing} (its template is copied to templates/shortcodes/)"),
                    files,
                ),
                _ => (thing, files),
            }
        })
        .collect();
    plan.not_carried = renamed.into_iter().collect();
}

/// Says which shortcode templates copied to `templates/shortcodes/` must be rewritten in Tera
/// before their calls render: a Hugo (Go) or Jekyll (Liquid) template always; a Zola one when
/// Tera 2 cannot compile it (Tera 1 syntax, Zola's own functions), with why.
pub(crate) fn note_rewrites(source: &Path, plan: &mut Plan, generator: Generator) {
    let copied: Vec<(String, std::path::PathBuf)> = plan
        .files
        .iter()
        .filter_map(|(to, op)| match op {
            super::plan::FileOp::Copy { from } if to.starts_with("templates/shortcodes/") => {
                Some((to.clone(), from.clone()))
            }
            _ => None,
        })
        .collect();
    let language = match generator {
        Generator::Hugo => Some("a Hugo (Go) template"),
        Generator::Jekyll => Some("a Jekyll (Liquid) include"),
        Generator::Zola => None,
    };
    if let Some(language) = language {
        for (to, from) in &copied {
            // Plain HTML, with no template markup, works as it is.
            let text = std::fs::read_to_string(source.join(from)).unwrap_or_default();
            if !text.contains("{{") && !text.contains("{%") {
                continue;
            }
            plan.notes.push(format!(
                "{to} is {language}: rewrite it in Tera for its calls to render (until then they are shown as text, with a warning)"
            ));
        }
        return;
    }
    let sources: std::collections::BTreeMap<String, (std::path::PathBuf, String)> = copied
        .iter()
        .filter_map(|(to, from)| {
            let text = std::fs::read_to_string(source.join(from)).ok()?;
            let name = to.strip_prefix("templates/")?.to_string();
            Some((name, (std::path::PathBuf::from(to), text)))
        })
        .collect();
    let library = crate::markdown::shortcodes::Library::new(
        &sources,
        &crate::markdown::shortcodes::Settings::default(),
        |tera| crate::theme::register_filters(tera, "/"),
    );
    for warning in library.warnings {
        let line = warning.at.line.map(|l| format!(":{l}")).unwrap_or_default();
        plan.notes.push(format!(
            "{}{line} needs rewriting for Tera 2, which vellum uses: {}",
            slashed(&warning.at.path),
            warning.message
        ));
    }
}

/// The names (less extension) of the files in a folder.
pub(crate) fn names_in(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            Some(name.split('.').next()?.to_string())
        })
        .collect()
}

/// How many files a folder holds, leaving out the named subfolders.
pub(crate) fn count_files(dir: &Path, except: &[&str]) -> usize {
    if !dir.is_dir() {
        return 0;
    }
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !except.iter().any(|x| e.file_name() == *x))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .count()
}

/// Copies every file under `source/from` to `to/`, keeping their paths.
pub(crate) fn copy_tree(
    source: &Path,
    from: &str,
    to: &str,
    plan: &mut Plan,
    mut each: impl FnMut(&mut Plan),
) -> Result<()> {
    walk_copying(source, from, to, plan, |plan, _, _| {
        each(plan);
        Ok(())
    })
}

/// Copies every file under `source/from` to `to/`, keeping their paths, and hands each to
/// `each` with its path inside `from` and where it went.
fn walk_copying(
    source: &Path,
    from: &str,
    to: &str,
    plan: &mut Plan,
    mut each: impl FnMut(&mut Plan, &walkdir::DirEntry, &str) -> Result<()>,
) -> Result<()> {
    let dir = source.join(from);
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(&dir).min_depth(1).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            Error::io(
                e.path().unwrap_or(&dir),
                std::io::Error::other(e.to_string()),
            )
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(source).unwrap_or(entry.path());
        let inner = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let dest = format!("{to}/{}", slashed(inner));
        plan.copy(rel, dest.clone());
        each(plan, &entry, &dest)?;
    }
    Ok(())
}

/// A Markdown file of a Hugo or Zola site's content, as the import reads it.
pub(crate) struct ContentFile {
    /// Relative to the old site, `/`-separated, for the report.
    pub rel: String,
    /// Where it was copied in the new site (`content/…`).
    pub dest: String,
    /// The folders under the content folder that hold it, as written.
    pub dirs: Vec<String>,
    /// Its name less the Markdown extension (`index.es`, `post`).
    pub stem: String,
    pub front: Front,
}

/// Copies the content folder `from` of a Hugo or Zola site into `content/`, and hands each
/// Markdown file (one of `extensions`) to `each`, read: what it uses that vellum does not
/// carry is noted first, and front matter that cannot be read is said and taken as none.
pub(crate) fn walk_content(
    source: &Path,
    from: &str,
    generator: Generator,
    extensions: &[&str],
    plan: &mut Plan,
    mut each: impl FnMut(&mut Plan, ContentFile) -> Result<()>,
) -> Result<()> {
    walk_copying(source, from, "content", plan, |plan, entry, dest| {
        let inner = entry
            .path()
            .strip_prefix(source.join(from))
            .unwrap_or(entry.path());
        let mut parts: Vec<String> = inner
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let Some(file_name) = parts.pop() else {
            return Ok(());
        };
        let Some(stem) = extensions
            .iter()
            .find_map(|ext| file_name.strip_suffix(ext))
        else {
            return Ok(());
        };
        let rel = slashed(entry.path().strip_prefix(source).unwrap_or(entry.path()));
        let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        let text = String::from_utf8_lossy(&bytes);
        for thing in scan::uses(&text, generator) {
            plan.not_carried(thing, rel.clone());
        }
        let front = Front::read(&text).unwrap_or_else(|message| {
            plan.notes
                .push(format!("{rel}: front matter could not be read ({message})"));
            Front::None
        });
        each(
            plan,
            ContentFile {
                rel,
                dest: dest.to_string(),
                dirs: parts,
                stem: stem.to_string(),
                front,
            },
        )
    })
}

pub(crate) fn table_at<'a>(table: &'a toml::Table, path: &[&str]) -> Option<&'a toml::Table> {
    path.iter()
        .try_fold(table, |t, key| t.get(*key)?.as_table())
}

pub(crate) fn str_at(table: &toml::Table, path: &[&str]) -> Option<String> {
    let (last, above) = path.split_last()?;
    table_at(table, above)?
        .get(*last)?
        .as_str()
        .map(String::from)
}
