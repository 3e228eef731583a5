//! Hugo: `hugo.*`, `config.*` or `config/_default/`, `content/` as it is, `static/`, the site's
//! shortcode templates, and the URLs Hugo served.
//!
//! The configuration is read as Hugo merges it, keys lowercased. Section pages (`_index.md`),
//! bundles and their resources are told apart so that only pages get an old URL, which
//! [`url`] works out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub mod url;

use super::Generator;
use super::plan::{OldUrl, Plan, listed, yaml_error, yaml_to_toml};
use super::tree::{self, copy_tree, count_files, mark_own_shortcodes, names_in, str_at, table_at};
use crate::error::{Error, Location, Result, line_of};
pub use url::{Page, Rules, page_url, sanitize, vellum_pattern};

/// Root settings this import maps or uses.
const MAPPED: &str = "title baseurl languagecode defaultcontentlanguage author params paginate pagination \
    permalinks languages taxonomies theme disablepathtolower uglyurls contentdir description menus \
    menu";

/// Reads the site and plans its import.
pub fn plan(source: &Path) -> Result<Plan> {
    let config = read_config(source)?;
    let mut plan = Plan::default();
    let rules = settings(&config, &mut plan);
    let content = str_at(&config, &["contentdir"]).unwrap_or_else(|| "content".to_string());
    copy_tree(source, "static", "static", &mut plan, |plan| {
        plan.counts.static_files += 1
    })?;
    let mut own = BTreeSet::new();
    for dir in ["layouts/shortcodes", "layouts/_shortcodes"] {
        copy_tree(source, dir, "templates/shortcodes", &mut plan, |plan| {
            plan.counts.shortcodes += 1
        })?;
        own.extend(names_in(&source.join(dir)));
    }
    for dir in ["layouts", "themes", "assets", "data", "i18n", "archetypes"] {
        let count = count_files(&source.join(dir), &["shortcodes", "_shortcodes"]);
        if count > 0 {
            plan.not_carried(format!("Hugo {dir}/ ({count} files)"), "");
        }
    }
    let languages: BTreeSet<String> = table_at(&config, &["languages"])
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default();
    walk_content(source, &content, &rules, &languages, &mut plan)?;
    mark_own_shortcodes(&mut plan, "Hugo shortcode", &own);
    tree::note_rewrites(source, &mut plan, super::Generator::Hugo);
    Ok(plan)
}

fn walk_content(
    source: &Path,
    content: &str,
    rules: &Rules,
    languages: &BTreeSet<String>,
    plan: &mut Plan,
) -> Result<()> {
    let dir = source.join(content);
    let root_section = dir.join("_index.md").is_file();
    let markdown = [".md", ".markdown"];
    tree::walk_content(
        source,
        content,
        Generator::Hugo,
        &markdown,
        plan,
        |plan, file| {
            let fm = &file.front;
            let (base, lang) = match file.stem.rsplit_once('.') {
                Some((base, code)) if languages.contains(&code.to_lowercase()) => {
                    (base, Some(code))
                }
                _ => (file.stem.as_str(), None),
            };
            if let Some(layout) = fm.str("layout") {
                plan.not_carried(format!("Hugo layout `{layout}`"), file.rel.clone());
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
                    None => return Ok(()), // content/index.md: the home page
                }
            } else if in_leaf_bundle(&dir, &dirs) {
                return Ok(()); // a bundle's resource, not a page
            } else {
                (base, dirs.as_slice())
            };
            let hidden = fm.bool("draft") == Some(true)
                || fm.bool("headless") == Some(true)
                || ["_build", "build"]
                    .iter()
                    .any(|b| matches!(fm.nested(b, "render").as_deref(), Some("never" | "false")));
            let is_page = fm.str("type").as_deref() == Some("page")
                || ["_build", "build"]
                    .iter()
                    .any(|b| matches!(fm.nested(b, "list").as_deref(), Some("never" | "false")))
                || (dirs.is_empty() && root_section);
            if is_page {
                plan.counts.pages += 1;
            } else {
                plan.counts.posts += 1;
            }
            if hidden {
                return Ok(());
            }
            let page = Page {
                dirs,
                name,
                lang,
                slug: fm.str("slug"),
                title: fm.str("title"),
                url: fm.str("url"),
                date: fm
                    .str("date")
                    .or_else(|| fm.str("publishdate"))
                    .or_else(|| fm.str("publishDate")),
            };
            plan.urls.push(OldUrl {
                dest: file.dest,
                url: page_url(&page, rules),
            });
            Ok(())
        },
    )
}

/// Whether a folder is, or is inside, a leaf bundle (a folder with `index.md`).
fn in_leaf_bundle(content: &Path, dirs: &[&str]) -> bool {
    (1..=dirs.len()).any(|n| {
        let folder = dirs[..n]
            .iter()
            .fold(content.to_path_buf(), |p, d| p.join(d));
        std::fs::read_dir(&folder).is_ok_and(|entries| {
            entries.filter_map(|e| e.ok()).any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name == "index.md" || (name.starts_with("index.") && name.ends_with(".md"))
            })
        })
    })
}

fn settings(config: &toml::Table, plan: &mut Plan) -> Rules {
    plan.comments
        .push("Imported from a Hugo site by `vellum import`.".to_string());
    let default_language =
        str_at(config, &["defaultcontentlanguage"]).unwrap_or_else(|| "en".to_string());
    let own = table_at(config, &["languages", &default_language])
        .cloned()
        .unwrap_or_default();
    if let Some(title) = str_at(config, &["title"]).or_else(|| str_at(&own, &["title"])) {
        plan.setting("title", title);
    }
    let author = str_at(config, &["params", "author", "name"])
        .or_else(|| str_at(config, &["params", "author"]))
        .or_else(|| str_at(config, &["author", "name"]))
        .or_else(|| str_at(config, &["author"]));
    if let Some(author) = author {
        plan.setting("author", author);
    }
    let description = str_at(config, &["params", "description"])
        .or_else(|| str_at(&own, &["params", "description"]))
        .or_else(|| str_at(config, &["description"]))
        .or_else(|| str_at(&own, &["description"]));
    if let Some(description) = description {
        plan.setting("description", description);
    }
    if let Some(base) =
        str_at(config, &["baseurl"]).filter(|b| b.contains("://") || b.starts_with('/'))
    {
        plan.setting("base_url", base);
    }
    let language = str_at(config, &["defaultcontentlanguage"])
        .or_else(|| str_at(config, &["languagecode"]))
        .or_else(|| str_at(&own, &["languagecode"]));
    if let Some(language) = language {
        plan.setting("language", language);
    }
    let paginate = config
        .get("paginate")
        .and_then(|v| v.as_integer())
        .or_else(|| {
            table_at(config, &["pagination"])?
                .get("pagersize")?
                .as_integer()
        });
    if let Some(paginate) = paginate {
        plan.setting("paginate", paginate);
    }
    plan.setting("heading_ids", "hugo");
    let rules = Rules {
        permalinks: permalinks(config),
        lower: config.get("disablepathtolower").and_then(|v| v.as_bool()) != Some(true),
        default_language: default_language.clone(),
    };
    let mut table = toml::Table::new();
    for (section, pattern) in &rules.permalinks {
        match vellum_pattern(pattern) {
            Some(vellum) => {
                let key = if section == "/" { "default" } else { section.as_str() };
                table.insert(key.to_string(), vellum.into());
            }
            None => plan.ignored.push(format!(
                "permalinks.{section} `{pattern}` (placeholders with no vellum equivalent; redirects keep the URLs)"
            )),
        }
    }
    if !table.is_empty() {
        plan.tables.insert("permalinks".to_string(), table.into());
    }
    languages(config, &default_language, plan);
    if let Some(taxonomies) = table_at(config, &["taxonomies"]) {
        let names: Vec<&str> = taxonomies.keys().map(String::as_str).collect();
        plan.comments.push(format!(
            "Taxonomies {}: vellum makes tag pages from `tags` and `categories`.",
            names.join(", ")
        ));
    }
    if let Some(params) = table_at(config, &["params"]) {
        let mut extra = params.clone();
        extra.remove("author");
        extra.remove("description");
        if !extra.is_empty() {
            plan.tables.insert("extra".to_string(), extra.into());
        }
    }
    if let Some(theme) = str_at(config, &["theme"]) {
        plan.not_carried(
            format!("Hugo theme `{theme}` (vellum uses its own theme)"),
            "",
        );
    }
    let menus = ["menus", "menu"].iter().any(|k| config.contains_key(*k))
        || table_at(config, &["languages"]).is_some_and(|languages| {
            languages
                .values()
                .any(|l| l.get("menus").or_else(|| l.get("menu")).is_some())
        });
    if menus {
        plan.not_carried(
            "Hugo menus in the configuration (give pages `menu = true` or an order instead)",
            "",
        );
    }
    for key in config.keys() {
        if !listed(MAPPED, key) {
            plan.ignored.push(key.clone());
        }
    }
    rules
}

fn permalinks(config: &toml::Table) -> BTreeMap<String, String> {
    let Some(table) = table_at(config, &["permalinks"]) else {
        return BTreeMap::new();
    };
    let pages = table_at(table, &["page"]).unwrap_or(table);
    pages
        .iter()
        .filter_map(|(k, v)| Some((k.trim_matches('/').to_string(), v.as_str()?.to_string())))
        .map(|(k, v)| (if k.is_empty() { "/".to_string() } else { k }, v))
        .collect()
}

fn languages(config: &toml::Table, default_language: &str, plan: &mut Plan) {
    let Some(languages) = table_at(config, &["languages"]) else {
        return;
    };
    let mut out = toml::Table::new();
    for (code, settings) in languages {
        if code == default_language {
            continue;
        }
        let Some(settings) = settings.as_table() else {
            continue;
        };
        let mut table = toml::Table::new();
        if let Some(title) = str_at(settings, &["title"]) {
            table.insert("title".to_string(), title.into());
        }
        let description = str_at(settings, &["params", "description"])
            .or_else(|| str_at(settings, &["description"]));
        if let Some(description) = description {
            table.insert("description".to_string(), description.into());
        }
        out.insert(code.clone(), table.into());
    }
    if !out.is_empty() {
        plan.tables.insert("languages".to_string(), out.into());
    }
}

/// The whole configuration, keys lowercased as Hugo reads them: the root file, then each file
/// of `config/_default/` under the key its name gives (`params.toml` → `[params]`,
/// `languages.en.toml` → `[languages.en]`, `menus.en.toml` → the language's menus).
pub fn read_config(source: &Path) -> Result<toml::Table> {
    let mut config = toml::Table::new();
    let roots = [
        "hugo.toml",
        "hugo.yaml",
        "hugo.yml",
        "hugo.json",
        "config.toml",
        "config.yaml",
        "config.yml",
        "config.json",
    ];
    if let Some(root) = roots.iter().map(|n| source.join(n)).find(|p| p.is_file()) {
        merge(&mut config, read_file(&root)?);
    }
    let dir = source.join("config/_default");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for path in files {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some((stem, ext)) = name.rsplit_once('.') else {
            continue;
        };
        if !["toml", "yaml", "yml", "json"].contains(&ext) {
            continue;
        }
        let table = read_file(&path)?;
        let stem = stem.to_lowercase();
        let keys: Vec<&str> = match stem.split_once('.') {
            _ if stem == "hugo" || stem == "config" => vec![],
            Some(("languages", code)) => vec!["languages", code],
            Some((kind, code)) => vec!["languages", code, kind],
            None => vec![stem.as_str()],
        };
        let wrapped = keys.iter().rev().fold(table, |inner, key| {
            [(key.to_string(), toml::Value::Table(inner))]
                .into_iter()
                .collect()
        });
        merge(&mut config, wrapped);
    }
    Ok(config)
}

/// Adds what `from` has and `into` lacks, table by table.
fn merge(into: &mut toml::Table, from: toml::Table) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(toml::Value::Table(a)), toml::Value::Table(b)) => merge(a, b),
            (Some(_), _) => {}
            (None, value) => {
                into.insert(key, value);
            }
        }
    }
}

fn lowercase_keys(value: toml::Value) -> toml::Value {
    match value {
        toml::Value::Table(table) => toml::Value::Table(
            table
                .into_iter()
                .map(|(k, v)| (k.to_lowercase(), lowercase_keys(v)))
                .collect(),
        ),
        toml::Value::Array(items) => {
            toml::Value::Array(items.into_iter().map(lowercase_keys).collect())
        }
        other => other,
    }
}

fn read_file(path: &Path) -> Result<toml::Table> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let table = if path.extension().is_some_and(|e| e == "toml") {
        toml::from_str::<toml::Table>(&text).map_err(|e| Error::Config {
            at: Location {
                path: path.to_path_buf(),
                line: e.span().map(|s| line_of(&text, s.start)),
            },
            message: e.message().trim().to_string(),
        })?
    } else if text.trim().is_empty() {
        toml::Table::new()
    } else {
        let value: serde_norway::Value =
            serde_norway::from_str(&text).map_err(|e| yaml_error(path, &e))?;
        match yaml_to_toml(&value) {
            Some(toml::Value::Table(table)) => table,
            _ => toml::Table::new(),
        }
    };
    match lowercase_keys(toml::Value::Table(table)) {
        toml::Value::Table(table) => Ok(table),
        _ => Ok(toml::Table::new()),
    }
}
