//! `vellum import`: turns a Jekyll, Hugo or Zola site into a vellum site beside it.
//!
//! In: the old site's folder. Each generator's module reads its configuration and content and
//! returns a [`Plan`]: the files to write (copied, or rewritten where front matter needs one
//! more line), the settings for `vellum.toml`, the URL each essay and page had, and what could
//! not be carried. Out: the new site, written into an empty or new folder (never inside the
//! old one, and nothing is ever overwritten or removed), and an [`ImportReport`]. The new site
//! is then loaded with vellum's own pipeline, and every old URL that vellum would serve
//! elsewhere gets an entry in `[redirects]`, so no link into the old site breaks.

mod front;
pub mod hugo;
pub mod jekyll;
mod plan;
mod redirects;
mod report;
mod scan;
mod tree;
mod write;
pub mod zola;

use std::path::{Path, PathBuf};

pub use plan::{Counts, OldUrl, Plan};
pub use report::ImportReport;

use crate::error::{Error, Location, Result};

/// Which generator made a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    Jekyll,
    Hugo,
    Zola,
}

impl Generator {
    pub fn name(self) -> &'static str {
        match self {
            Generator::Jekyll => "Jekyll",
            Generator::Hugo => "Hugo",
            Generator::Zola => "Zola",
        }
    }
}

/// What `vellum import` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The old site's folder.
    pub source: PathBuf,
    /// Where the vellum site goes; [`default_destination`] when `None`.
    pub to: Option<PathBuf>,
    /// The site's full address, in place of what the old configuration says.
    pub base_url: Option<String>,
}

/// `SOURCE-vellum`, beside the source folder.
pub fn default_destination(source: &Path) -> PathBuf {
    let absolute = std::path::absolute(source).unwrap_or_else(|_| source.to_path_buf());
    let name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".to_string());
    absolute.with_file_name(format!("{name}-vellum"))
}

/// Tells which generator made the site in `source`, from its configuration files.
pub fn detect(source: &Path) -> Result<Generator> {
    let has = |name: &str| source.join(name).is_file();
    if has("_config.yml") || has("_config.yaml") {
        return Ok(Generator::Jekyll);
    }
    let hugo_files = ["hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json"];
    let config_other = ["config.yaml", "config.yml", "config.json"];
    if hugo_files.iter().chain(&config_other).any(|n| has(n))
        || source.join("config/_default").is_dir()
    {
        return Ok(Generator::Hugo);
    }
    if has("config.toml") {
        let path = source.join("config.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let hugo_key = text.lines().any(|line| {
            let key = line.trim_start().split('=').next().unwrap_or("").trim();
            key.eq_ignore_ascii_case("baseurl")
        });
        return Ok(if hugo_key {
            Generator::Hugo
        } else {
            Generator::Zola
        });
    }
    Err(Error::Config {
        at: Location::file(source),
        message: "no Jekyll, Hugo or Zola configuration here (looked for _config.yml, \
                  hugo.toml, config.toml and config/_default/)"
            .to_string(),
    })
}

/// Imports the site: plans everything first (so an unreadable configuration stops it before
/// anything is written), writes the new site, then works out the redirects.
pub fn run(options: &ImportOptions) -> Result<ImportReport> {
    let source =
        std::fs::canonicalize(&options.source).map_err(|e| Error::io(&options.source, e))?;
    let dest = match &options.to {
        Some(to) => std::path::absolute(to).map_err(|e| Error::io(to, e))?,
        None => default_destination(&source),
    };
    write::check_destination(&source, &dest)?;
    let generator = detect(&source)?;
    let mut plan = match generator {
        Generator::Jekyll => jekyll::plan(&source)?,
        Generator::Hugo => hugo::plan(&source)?,
        Generator::Zola => zola::plan(&source)?,
    };
    match &options.base_url {
        Some(url) => {
            let url = crate::config::normalize_base_url(url).map_err(|message| Error::Config {
                at: Location::file("--base-url"),
                message,
            })?;
            plan.setting("base_url", url);
        }
        None => {
            if let Some(why) = plan.without_host.take() {
                plan.notes.push(format!(
                    "{why}: set base_url in vellum.toml to the site's full address (https://…), which feeds and canonical links need, or import again with --base-url"
                ));
            }
        }
    }
    write::files(&source, &dest, &plan)?;
    let outcome = redirects::settle(&dest, &plan)?;
    Ok(ImportReport {
        generator,
        source,
        dest,
        plan,
        redirects: outcome.redirects,
        notes: outcome.notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        dir
    }

    #[test]
    fn the_generator_is_told_by_its_configuration() {
        let cases: [(&[(&str, &str)], Generator); 5] = [
            (&[("_config.yml", "title: A\n")], Generator::Jekyll),
            (&[("hugo.yaml", "title: A\n")], Generator::Hugo),
            (
                &[("config.toml", "baseURL = 'https://a.b/'\n")],
                Generator::Hugo,
            ),
            (
                &[("config/_default/params.toml", "x = 1\n")],
                Generator::Hugo,
            ),
            (
                &[("config.toml", "base_url = 'https://a.b'\n")],
                Generator::Zola,
            ),
        ];
        for (files, generator) in cases {
            let dir = site(files);
            assert_eq!(detect(dir.path()).ok(), Some(generator), "{files:?}");
        }
        let empty = site(&[("content/x.md", "x\n")]);
        let error = detect(empty.path())
            .expect_err("no configuration")
            .to_string();
        assert!(
            error.contains("no Jekyll, Hugo or Zola configuration"),
            "{error}"
        );
    }

    #[test]
    fn hugo_configuration_is_merged_from_config_default() {
        let dir = site(&[
            ("config/_default/hugo.toml", "baseURL = 'https://a.b/'\n"),
            ("config/_default/params.toml", "Author = 'Ada'\n"),
            ("config/_default/languages.es.toml", "title = 'Hola'\n"),
            ("config/_default/menus.en.yaml", "main:\n  - name: About\n"),
        ]);
        let config = hugo::read_config(dir.path()).expect("reads");
        let at = |path: &[&str]| tree::str_at(&config, path);
        assert_eq!(at(&["baseurl"]).as_deref(), Some("https://a.b/"));
        assert_eq!(at(&["params", "author"]).as_deref(), Some("Ada"));
        assert_eq!(at(&["languages", "es", "title"]).as_deref(), Some("Hola"));
        assert!(tree::table_at(&config, &["languages", "en", "menus"]).is_some());
    }
}
