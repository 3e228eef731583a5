//! Zola: `config.toml`, `content/` as it is, `static/`, the site's shortcode templates, and the
//! URLs Zola served.
//!
//! URLs follow `components/content/src/page.rs`: front matter `path`, literal, from the site
//! root; else `/`, the language for a translation, the folders as written, and the slug (front
//! matter `slug`, else the file or bundle folder name less a leading date), made by
//! `slugify.paths` (`components/utils/src/slugs.rs`).

use std::collections::BTreeSet;
use std::path::Path;

use super::Generator;
use super::front::Front;
use super::plan::{OldUrl, Plan, listed};
use super::tree::{self, copy_tree, count_files, mark_own_shortcodes, names_in, str_at, table_at};
use crate::error::{Error, Location, Result, line_of};

const MAPPED: &str = "base_url title description author default_language languages taxonomies extra theme \
    slugify";

/// `slugify.paths`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Slugify {
    /// ASCII, lowercase (the `slug` crate).
    #[default]
    On,
    /// Only characters file systems refuse are dropped.
    Safe,
    Off,
}

/// How Zola makes the URLs of this site.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub default_language: String,
    pub slugify: Slugify,
}

/// What a page's URL is made of.
#[derive(Debug, Clone, Default)]
pub struct Page<'a> {
    /// Its folders under `content/`, as written (a bundle's own folder left out).
    pub dirs: &'a [&'a str],
    /// The file name less extension and language, or a bundle's folder name.
    pub name: &'a str,
    pub lang: Option<&'a str>,
    pub slug: Option<String>,
    pub path: Option<String>,
}

/// The URL path Zola serves a page at.
pub fn page_url(page: &Page, rules: &Rules) -> String {
    if let Some(path) = &page.path {
        return format!("/{}/", path.trim().trim_matches('/')).replace("//", "/");
    }
    let slug = match &page.slug {
        Some(slug) => slugify(slug, rules.slugify),
        None => slugify(strip_date(page.name), rules.slugify),
    };
    let mut parts: Vec<&str> = Vec::new();
    if let Some(lang) = page.lang.filter(|l| *l != rules.default_language) {
        parts.push(lang);
    }
    parts.extend(page.dirs);
    parts.push(&slug);
    let mut url = format!("/{}/", parts.join("/"));
    while url.contains("//") {
        url = url.replace("//", "/");
    }
    url
}

/// A name less a leading `YYYY-MM-DD` and `_` or `-` (with an optional space before it).
pub fn strip_date(name: &str) -> &str {
    let bytes = name.as_bytes();
    let dated = bytes.len() > 11
        && bytes[..10].iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !dated {
        return name;
    }
    let rest = &name[10..];
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    match rest.strip_prefix(['_', '-']) {
        Some(slug) if !slug.is_empty() => slug,
        _ => name,
    }
}

/// `slugify_paths`.
pub fn slugify(text: &str, mode: Slugify) -> String {
    match mode {
        Slugify::On => slug::slugify(text),
        Slugify::Safe => text
            .chars()
            .filter(|c| !"<>:\"/\\|?*#".contains(*c))
            .collect::<String>()
            .trim_end_matches(['.', ' '])
            .to_string(),
        Slugify::Off => text.to_string(),
    }
}

/// Reads the site and plans its import.
pub fn plan(source: &Path) -> Result<Plan> {
    let path = source.join("config.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let config: toml::Table = toml::from_str(&text).map_err(|e| Error::Config {
        at: Location {
            path: path.clone(),
            line: e.span().map(|s| line_of(&text, s.start)),
        },
        message: e.message().trim().to_string(),
    })?;
    let mut plan = Plan::default();
    let rules = settings(&config, source, &mut plan);
    copy_tree(source, "static", "static", &mut plan, |plan| {
        plan.counts.static_files += 1
    })?;
    copy_tree(
        source,
        "templates/shortcodes",
        "templates/shortcodes",
        &mut plan,
        |plan| plan.counts.shortcodes += 1,
    )?;
    let own: BTreeSet<String> = names_in(&source.join("templates/shortcodes"))
        .into_iter()
        .collect();
    for dir in ["templates", "themes", "sass"] {
        let count = count_files(&source.join(dir), &["shortcodes"]);
        if count > 0 {
            plan.not_carried(format!("Zola {dir}/ ({count} files)"), "");
        }
    }
    let languages: BTreeSet<String> = table_at(&config, &["languages"])
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default();
    walk_content(source, &rules, &languages, &mut plan)?;
    mark_own_shortcodes(&mut plan, "Zola shortcode", &own);
    tree::note_rewrites(source, &mut plan, super::Generator::Zola);
    Ok(plan)
}

fn settings(config: &toml::Table, source: &Path, plan: &mut Plan) -> Rules {
    plan.comments
        .push("Imported from a Zola site by `vellum import`.".to_string());
    for key in ["title", "author", "description", "base_url"] {
        if let Some(value) = str_at(config, &[key]) {
            plan.setting(key, value);
        }
    }
    let default_language =
        str_at(config, &["default_language"]).unwrap_or_else(|| "en".to_string());
    if config.contains_key("default_language") {
        plan.setting("language", default_language.clone());
    }
    let root = std::fs::read_to_string(source.join("content/_index.md")).unwrap_or_default();
    if let Some(paginate) = Front::read(&root)
        .ok()
        .and_then(|fm| fm.str("paginate_by")?.parse::<i64>().ok())
    {
        plan.setting("paginate", paginate);
    }
    plan.setting("heading_ids", "zola");
    if let Some(languages) = table_at(config, &["languages"]) {
        let mut out = toml::Table::new();
        for (code, settings) in languages {
            let Some(settings) = settings.as_table() else {
                continue;
            };
            let mut table = toml::Table::new();
            for key in ["title", "description"] {
                if let Some(value) = str_at(settings, &[key]) {
                    table.insert(key.to_string(), value.into());
                }
            }
            out.insert(code.clone(), table.into());
        }
        if !out.is_empty() {
            plan.tables.insert("languages".to_string(), out.into());
        }
    }
    if let Some(toml::Value::Array(taxonomies)) = config.get("taxonomies") {
        let names: Vec<&str> = taxonomies
            .iter()
            .filter_map(|t| t.get("name")?.as_str())
            .collect();
        plan.comments.push(format!(
            "Taxonomies {}: vellum makes tag pages from `tags` and `categories`.",
            names.join(", ")
        ));
    }
    if let Some(extra) = table_at(config, &["extra"]).filter(|t| !t.is_empty()) {
        plan.tables
            .insert("extra".to_string(), extra.clone().into());
    }
    if let Some(theme) = str_at(config, &["theme"]) {
        plan.not_carried(
            format!("Zola theme `{theme}` (vellum uses its own theme)"),
            "",
        );
    }
    for key in config.keys() {
        if !listed(MAPPED, key) {
            plan.ignored.push(key.clone());
        }
    }
    let slugify = match str_at(config, &["slugify", "paths"]).as_deref() {
        Some("safe") => Slugify::Safe,
        Some("off") => Slugify::Off,
        _ => Slugify::On,
    };
    Rules {
        default_language,
        slugify,
    }
}

fn walk_content(
    source: &Path,
    rules: &Rules,
    languages: &BTreeSet<String>,
    plan: &mut Plan,
) -> Result<()> {
    let root_section = source.join("content/_index.md").is_file();
    tree::walk_content(
        source,
        "content",
        Generator::Zola,
        &[".md"],
        plan,
        |plan, file| {
            let fm = &file.front;
            // Zola splits a file's name at its first dot.
            let (base, lang) = match file.stem.split_once('.') {
                Some((base, code)) if languages.contains(code) => (base, Some(code)),
                _ => (file.stem.as_str(), None),
            };
            for key in ["template", "page_template"] {
                if let Some(template) = fm.str(key) {
                    plan.not_carried(format!("Zola template `{template}`"), file.rel.clone());
                }
            }
            if base == "_index" {
                plan.counts.sections += 1;
                return Ok(());
            }
            let dirs: Vec<&str> = file.dirs.iter().map(String::as_str).collect();
            let (name, dirs) = if base == "index" {
                plan.counts.bundles += 1;
                match dirs.split_last() {
                    Some((folder, above)) => (*folder, above),
                    None => return Ok(()),
                }
            } else {
                (base, dirs.as_slice())
            };
            if dirs.is_empty() && root_section {
                plan.counts.pages += 1;
            } else {
                plan.counts.posts += 1;
            }
            if fm.bool("draft") == Some(true) || fm.bool("render") == Some(false) {
                return Ok(());
            }
            let page = Page {
                dirs,
                name,
                lang,
                slug: fm.str("slug"),
                path: fm.str("path"),
            };
            plan.urls.push(OldUrl {
                dest: file.dest,
                url: page_url(&page, rules),
            });
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            default_language: "en".to_string(),
            slugify: Slugify::On,
        }
    }

    #[test]
    fn path_is_literal_from_the_root() {
        let page = Page {
            dirs: &["pages"],
            name: "about",
            lang: Some("es"),
            path: Some("/es/acerca".to_string()),
            ..Page::default()
        };
        assert_eq!(page_url(&page, &rules()), "/es/acerca/");
        let page = Page {
            path: Some("about".to_string()),
            ..page
        };
        assert_eq!(page_url(&page, &rules()), "/about/");
    }

    #[test]
    fn folders_slug_date_and_language() {
        let page = Page {
            dirs: &["blog"],
            name: "2024-01-02_Hello World",
            ..Page::default()
        };
        assert_eq!(page_url(&page, &rules()), "/blog/hello-world/");
        let page = Page {
            dirs: &["Blog"],
            name: "x",
            lang: Some("es"),
            ..Page::default()
        };
        assert_eq!(page_url(&page, &rules()), "/es/Blog/x/");
        let page = Page {
            dirs: &[],
            name: "x",
            slug: Some("Own Slug".to_string()),
            ..Page::default()
        };
        assert_eq!(page_url(&page, &rules()), "/own-slug/");
        assert_eq!(slugify("a:b?.", Slugify::Safe), "ab");
    }
}
