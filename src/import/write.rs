//! Writes the new site. It goes into a new or empty folder outside the old site, and every
//! file is created new (`create_new`), so nothing of anyone's is ever overwritten; nothing is
//! removed, even when writing fails half way.

use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;

use super::plan::{FileOp, Plan};
use crate::error::{Error, Location, Result};

/// Refuses a destination inside the source (or the source itself), or one that is a file or
/// a folder with something in it.
pub fn check_destination(source: &Path, dest: &Path) -> Result<()> {
    let refuse = |reason: String| {
        Err(Error::Config {
            at: Location::file(dest),
            message: reason,
        })
    };
    // The destination may not exist yet: compare its nearest existing folder, made real.
    let mut existing = dest;
    while !existing.exists() {
        match existing.parent() {
            Some(parent) => existing = parent,
            None => break,
        }
    }
    let real = fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    let rest = dest.strip_prefix(existing).unwrap_or(Path::new(""));
    if real.join(rest).starts_with(source) {
        return refuse(format!(
            "is inside the site being imported ({}); vellum import never writes there, choose \
             another folder with --to",
            source.display()
        ));
    }
    if dest.is_file() {
        return refuse("is a file; give --to a new or empty folder".to_string());
    }
    if dest.is_dir() {
        let mut entries = fs::read_dir(dest).map_err(|e| Error::io(dest, e))?;
        if entries.next().is_some() {
            return refuse(
                "already exists and is not empty; vellum import never overwrites, so give \
                 --to a new or empty folder"
                    .to_string(),
            );
        }
    }
    Ok(())
}

/// Writes every planned file, then a first `vellum.toml` without redirects.
pub fn files(source: &Path, dest: &Path, plan: &Plan) -> Result<()> {
    fs::create_dir_all(dest).map_err(|e| Error::io(dest, e))?;
    for (to, op) in &plan.files {
        let path = dest.join(to);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        match op {
            FileOp::Copy { from } => {
                let from = source.join(from);
                let mut reader = fs::File::open(&from).map_err(|e| Error::io(&from, e))?;
                let mut writer = create_new(&path)?;
                std::io::copy(&mut reader, &mut writer).map_err(|e| Error::io(&path, e))?;
            }
            FileOp::Write { bytes } => {
                create_new(&path)?
                    .write_all(bytes)
                    .map_err(|e| Error::io(&path, e))?;
            }
        }
    }
    config(dest, &plan.vellum_toml(&BTreeMap::new()), true)
}

fn create_new(path: &Path) -> Result<fs::File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))
}

/// Writes `vellum.toml`: new the first time, and after that in place of the one this import
/// wrote.
pub fn config(dest: &Path, text: &str, first: bool) -> Result<()> {
    let path = dest.join(crate::config::CONFIG_FILE);
    if first {
        create_new(&path)?
            .write_all(text.as_bytes())
            .map_err(|e| Error::io(&path, e))
    } else {
        fs::write(&path, text).map_err(|e| Error::io(&path, e))
    }
}
