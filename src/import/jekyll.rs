//! Jekyll: `_config.yml`, `_posts/`, `_drafts/`, Markdown pages and static files, and the URLs
//! Jekyll served them at.
//!
//! What becomes of each file: `_posts/**` and `_drafts/**` go to `content/posts/` (drafts with
//! `draft: true` added), Markdown pages keep their path with `kind: page` added, anything else
//! Jekyll would copy goes to `static/`. The URLs are in [`url`].

use std::collections::BTreeMap;
use std::path::Path;

pub mod url;

use super::front::{Front, insert_line};
use super::plan::{OldUrl, Plan, listed, slashed, yaml_error, yaml_key, yaml_to_toml};
use super::{Generator, scan};
use crate::error::{Error, Result};
pub use url::{
    Post, Site, page_template, page_url, post_template, post_url, slugify, vellum_pattern,
};

/// Settings Jekyll itself reads (not for templates): never put under `[extra]`.
const BUILD_KEYS: &str = "source destination collections_dir cache_dir plugins_dir layouts_dir data_dir \
    includes_dir collections safe include exclude keep_files encoding markdown_ext \
    strict_front_matter show_drafts limit_posts future unpublished whitelist plugins gems \
    markdown highlighter lsi excerpt_separator incremental detach port host baseurl url \
    show_dir_listing permalink paginate paginate_path timezone quiet verbose defaults liquid \
    kramdown rdiscount redcarpet commonmark sass feed theme remote_theme jekyll-archives \
    title author description lang locale webrick profile disable_disk_cache livereload \
    repository";

/// Plugins whose work vellum does itself.
const COVERED_PLUGINS: &[(&str, &str)] = &[
    ("jekyll-feed", "vellum writes an Atom feed"),
    ("jekyll-sitemap", "vellum writes sitemap.xml"),
    ("jekyll-redirect-from", "vellum reads redirect_from"),
    (
        "jekyll-paginate",
        "vellum paginates the home page (paginate)",
    ),
    ("jekyll-seo-tag", "vellum's theme writes the meta tags"),
];

/// Reads the site and plans its import.
pub fn plan(source: &Path) -> Result<Plan> {
    let (name, config) = read_config(source)?;
    let mut plan = Plan::default();
    let site = site(&config);
    settings(&config, &site, &name, &mut plan);
    walk(source, &site, &mut plan)?;
    copy_includes(source, &mut plan);
    super::tree::note_rewrites(source, &mut plan, Generator::Jekyll);
    Ok(plan)
}

/// Copies each `_includes/` file a post includes to `templates/shortcodes/`, where
/// `{% include name.html %}` looks for it.
fn copy_includes(source: &Path, plan: &mut Plan) {
    let included: Vec<String> = plan
        .not_carried
        .keys()
        .filter_map(|thing| {
            thing
                .strip_prefix("Liquid include `")
                .and_then(|rest| rest.strip_suffix('`'))
                .map(str::to_string)
        })
        .collect();
    let mut own = std::collections::BTreeSet::new();
    for name in included {
        let rel = Path::new("_includes").join(&name);
        if !name.contains("..") && source.join(&rel).is_file() {
            plan.copy(&rel, format!("templates/shortcodes/{name}"));
            plan.counts.shortcodes += 1;
            own.insert(name);
        }
    }
    super::tree::mark_own_shortcodes(plan, "Liquid include", &own);
}

fn read_config(source: &Path) -> Result<(String, serde_norway::Mapping)> {
    let name = if source.join("_config.yml").is_file() {
        "_config.yml"
    } else {
        "_config.yaml"
    };
    let path = source.join(name);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    if text.trim().is_empty() {
        return Ok((name.to_string(), serde_norway::Mapping::new()));
    }
    let config = serde_norway::from_str(&text).map_err(|e| yaml_error(&path, &e))?;
    Ok((name.to_string(), config))
}

fn text(config: &serde_norway::Mapping, key: &str) -> Option<String> {
    match config.get(key)? {
        serde_norway::Value::String(s) => Some(s.clone()),
        serde_norway::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn list(config: &serde_norway::Mapping, key: &str) -> Vec<String> {
    match config.get(key) {
        Some(serde_norway::Value::Sequence(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        Some(serde_norway::Value::String(s)) => s
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        _ => Vec::new(),
    }
}

fn site(config: &serde_norway::Mapping) -> Site {
    let mut site = Site::default();
    if let Some(permalink) = text(config, "permalink") {
        site.permalink = permalink;
    }
    site.timezone = text(config, "timezone").and_then(|tz| jiff::tz::TimeZone::get(&tz).ok());
    site.exclude = list(config, "exclude");
    site.include.extend(list(config, "include"));
    if let Some(ext) = text(config, "markdown_ext") {
        site.markdown_ext = ext.split(',').map(|e| e.trim().to_string()).collect();
    }
    site
}

fn settings(config: &serde_norway::Mapping, site: &Site, name: &str, plan: &mut Plan) {
    plan.comments
        .push("Imported from a Jekyll site by `vellum import`.".to_string());
    for key in ["title", "description"] {
        if let Some(value) = text(config, key) {
            plan.setting(key, value);
        }
    }
    let author = match config.get("author") {
        Some(serde_norway::Value::Mapping(map)) => {
            map.get("name").and_then(|n| n.as_str()).map(String::from)
        }
        _ => text(config, "author"),
    };
    if let Some(author) = author {
        plan.setting("author", author);
    }
    let url = text(config, "url").unwrap_or_default();
    let baseurl = text(config, "baseurl").unwrap_or_default();
    if !url.is_empty() || !baseurl.is_empty() {
        let base = format!(
            "{}/{}",
            url.trim_end_matches('/'),
            baseurl.trim_matches('/')
        );
        let base = format!("{}/", base.trim_end_matches('/'));
        plan.setting("base_url", base);
    }
    // GitHub Pages gives Jekyll its `url`; vellum needs it written down.
    plan.without_host = url
        .is_empty()
        .then(|| "_config.yml has no `url`".to_string());
    if let Some(lang) = text(config, "lang").or_else(|| text(config, "locale")) {
        plan.setting("language", lang.replace('_', "-"));
    }
    if let Some(paginate) = config.get("paginate").and_then(|v| v.as_i64()) {
        plan.setting("paginate", paginate);
    }
    let markdown = text(config, "markdown").unwrap_or_else(|| "kramdown".to_string());
    // kramdown reads GitHub-flavoured Markdown unless told otherwise (Jekyll's default
    // `kramdown: {input: GFM}`), and then makes GitHub's heading ids; CommonMark too.
    let input = match config.get("kramdown") {
        Some(serde_norway::Value::Mapping(kramdown)) => text(kramdown, "input"),
        _ => None,
    };
    let style = match (markdown.to_ascii_lowercase().as_str(), input.as_deref()) {
        ("kramdown", Some(input)) if !input.eq_ignore_ascii_case("gfm") => "kramdown",
        _ => "github",
    };
    plan.setting("heading_ids", style);
    permalinks(site, plan);
    let mut extra = toml::Table::new();
    for (key, value) in config {
        let Some(key) = yaml_key(key) else { continue };
        if listed(BUILD_KEYS, &key) {
            if ![
                "title",
                "description",
                "author",
                "url",
                "baseurl",
                "lang",
                "locale",
                "paginate",
                "permalink",
                "markdown",
                "timezone",
                "exclude",
                "include",
                "plugins",
                "gems",
                "theme",
                "remote_theme",
                "markdown_ext",
            ]
            .contains(&key.as_str())
            {
                plan.ignored.push(key);
            }
        } else if let Some(value) = yaml_to_toml(value).filter(|v| !v.is_table()) {
            extra.insert(key, value);
        }
    }
    if !extra.is_empty() {
        plan.tables
            .insert("extra".to_string(), toml::Value::Table(extra));
    }
    for plugin in list(config, "plugins")
        .into_iter()
        .chain(list(config, "gems"))
    {
        match COVERED_PLUGINS.iter().find(|(p, _)| *p == plugin) {
            Some((_, how)) => plan.notes.push(format!("plugin {plugin}: {how}")),
            None => plan.not_carried(format!("Jekyll plugin `{plugin}`"), name),
        }
    }
    for key in ["theme", "remote_theme"] {
        if let Some(theme) = text(config, key) {
            plan.not_carried(
                format!("Jekyll theme `{theme}` (vellum uses its own theme)"),
                name,
            );
        }
    }
}

/// `[permalinks]`: posts keep the site's style, pages Jekyll's `/:path/:basename.html`.
fn permalinks(site: &Site, plan: &mut Plan) {
    let mut table = toml::Table::new();
    match vellum_pattern(&post_template(&site.permalink)) {
        Some(pattern) => {
            table.insert("posts".to_string(), pattern.into());
        }
        None => plan.ignored.push(format!(
            "permalink `{}` (its placeholders have no vellum equivalent; redirects keep the URLs)",
            site.permalink
        )),
    }
    let pages = page_template(&site.permalink, false).replace(":basename", ":title");
    if let Some(pattern) = vellum_pattern(&pages) {
        table.insert("default".to_string(), pattern.into());
    }
    plan.tables
        .insert("permalinks".to_string(), toml::Value::Table(table));
}

/// Walks the site: posts, drafts, pages and static files.
fn walk(source: &Path, site: &Site, plan: &mut Plan) -> Result<()> {
    let mut layouts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let walker = walkdir::WalkDir::new(source)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let rel = e.path().strip_prefix(source).unwrap_or(e.path());
            !excluded(rel, site)
        });
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(source).to_path_buf();
            Error::io(path, std::io::Error::other(e.to_string()))
        })?;
        if !entry.file_type().is_file() {
            if entry.path_is_symlink() {
                plan.notes.push(format!(
                    "{} is a symbolic link and was not copied",
                    entry.path().display()
                ));
            }
            continue;
        }
        let rel = entry.path().strip_prefix(source).unwrap_or(entry.path());
        let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
        let rel_text = slashed(rel);
        if let Some(i) = parts.iter().position(|p| *p == "_posts" || *p == "_drafts") {
            let draft = parts[i] == "_drafts";
            post(
                source,
                rel,
                &parts[..i],
                &parts[i + 1..],
                draft,
                site,
                plan,
                &mut layouts,
            )?;
        } else if let Some(dir) = parts[..parts.len() - 1].iter().find(|p| p.starts_with('_')) {
            *skipped.entry(dir.to_string()).or_default() += 1;
        } else if parts.last().is_some_and(|name| name.starts_with('_')) {
            // `_config.yml` and other files Jekyll does not publish.
        } else if starts_with_front_matter(entry.path())? {
            page(source, rel, &parts, site, plan, &mut layouts)?;
        } else {
            plan.copy(rel, format!("static/{rel_text}"));
            plan.counts.static_files += 1;
        }
    }
    for (dir, count) in skipped {
        let what = match dir.as_str() {
            "_layouts" => "Jekyll layouts",
            "_includes" => "Jekyll includes",
            "_sass" => "Sass stylesheets",
            "_data" => "Jekyll data files",
            "_plugins" => "Jekyll plugins",
            _ => "files Jekyll reads itself",
        };
        plan.not_carried(format!("{what} in {dir}/ ({count} files)"), "");
    }
    for (layout, files) in layouts {
        let own = source
            .join("_layouts")
            .join(format!("{layout}.html"))
            .is_file();
        if own || !["post", "page", "default", "home"].contains(&layout.as_str()) {
            for file in files {
                plan.not_carried(format!("layout `{layout}`"), file);
            }
        }
    }
    Ok(())
}

/// Files Jekyll never reads: its output and caches, hidden files, and `exclude`.
fn excluded(rel: &Path, site: &Site) -> bool {
    let text = slashed(rel);
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if site.include.iter().any(|i| i == &text || i == name) {
        return false;
    }
    let defaults = [
        "_site",
        ".jekyll-cache",
        ".sass-cache",
        "gemfiles",
        "Gemfile",
        "Gemfile.lock",
        "node_modules",
        "vendor/bundle",
        "vendor/cache",
        "vendor/gems",
        "vendor/ruby",
    ];
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || defaults
            .iter()
            .map(|d| d.to_string())
            .chain(site.exclude.iter().cloned())
            .any(|pattern| {
                let pattern = pattern.trim_matches('/');
                text == pattern
                    || text.starts_with(&format!("{pattern}/"))
                    || pattern
                        .strip_prefix('*')
                        .is_some_and(|suffix| name.ends_with(suffix))
            })
}

fn starts_with_front_matter(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut head = [0u8; 5];
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let n = file.read(&mut head).map_err(|e| Error::io(path, e))?;
    Ok(head[..n].starts_with(b"---\n") || head[..n].starts_with(b"---\r\n"))
}

fn is_markdown(name: &str, site: &Site) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        site.markdown_ext
            .iter()
            .any(|e| e.eq_ignore_ascii_case(ext))
    })
}

/// `name` with a Markdown extension vellum reads (`.mkd` → `.md`).
fn vellum_name(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if ext != "md" && ext != "markdown" => format!("{stem}.md"),
        _ => name.to_string(),
    }
}

/// A Markdown file's text; `None` (with a note) when it is not UTF-8, for the caller to copy
/// it unchanged, since a line cannot be added to it byte for byte.
fn read(source: &Path, rel: &Path, plan: &mut Plan) -> Result<Option<String>> {
    let path = source.join(rel);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(_) => {
            plan.notes.push(format!(
                "{} is not UTF-8 text; copied as it is",
                slashed(rel)
            ));
            Ok(None)
        }
    }
}

fn front(text: &str, rel: &str, plan: &mut Plan) -> Front {
    Front::read(text).unwrap_or_else(|message| {
        plan.notes.push(format!(
            "{rel}: front matter could not be read ({message}); copied as it is"
        ));
        Front::None
    })
}

/// A post or draft: into `content/posts/`, folders above `_posts` and below it kept.
#[allow(clippy::too_many_arguments)]
fn post(
    source: &Path,
    rel: &Path,
    above: &[&str],
    below: &[&str],
    draft: bool,
    site: &Site,
    plan: &mut Plan,
    layouts: &mut BTreeMap<String, Vec<String>>,
) -> Result<()> {
    let rel_text = slashed(rel);
    let Some((file_name, sub)) = below.split_last() else {
        return Ok(());
    };
    let folders: Vec<&str> = above.iter().chain(sub).copied().collect();
    let folder = folders.iter().map(|f| format!("{f}/")).collect::<String>();
    if !is_markdown(file_name, site) {
        plan.copy(rel, format!("content/posts/{folder}{file_name}"));
        return Ok(());
    }
    let dest = format!("content/posts/{folder}{}", vellum_name(file_name));
    let Some(text) = read(source, rel, plan)? else {
        plan.copy(rel, dest);
        return Ok(());
    };
    let fm = front(&text, &rel_text, plan);
    if let Some(layout) = fm.str("layout") {
        layouts.entry(layout).or_default().push(rel_text.clone());
    }
    for thing in scan::uses(&text, Generator::Jekyll) {
        plan.not_carried(thing, rel_text.clone());
    }
    if draft {
        plan.counts.drafts += 1;
        // Jekyll dates an undated draft by its file's modification time; vellum's dated
        // permalinks need the date written down.
        let mut text = text.clone();
        if fm.str("date").is_none() && url::dated_name(file_name).is_none() {
            let day = modified_day(&source.join(rel));
            text = insert_line(&text, &format!("date: {day}"), &format!("date = {day}"));
        }
        if fm.str("draft").is_some() || fm.bool("published") == Some(false) {
            plan.write(rel, dest, text.into_bytes());
        } else {
            let text = insert_line(&text, "draft: true", "draft = true");
            plan.write(rel, dest, text.into_bytes());
        }
        return Ok(());
    }
    plan.counts.posts += 1;
    let post = Post {
        file_name,
        dirs: above,
        slug: fm.str("slug"),
        date: fm.str("date"),
        categories: fm
            .list("categories")
            .into_iter()
            .chain(fm.list("category"))
            .collect(),
        permalink: fm.str("permalink"),
    };
    if fm.bool("published") != Some(false)
        && let Some(url) = post_url(&post, site)
    {
        plan.urls.push(OldUrl {
            dest: dest.clone(),
            url,
        });
    }
    plan.copy(rel, dest);
    Ok(())
}

/// A file outside `_` folders with front matter: a Markdown page, or a Liquid template.
fn page(
    source: &Path,
    rel: &Path,
    parts: &[&str],
    site: &Site,
    plan: &mut Plan,
    layouts: &mut BTreeMap<String, Vec<String>>,
) -> Result<()> {
    let rel_text = slashed(rel);
    let Some((file_name, dirs)) = parts.split_last() else {
        return Ok(());
    };
    if !is_markdown(file_name, site) {
        plan.not_carried(
            "Liquid templates (files with front matter that are not Markdown)",
            rel_text,
        );
        return Ok(());
    }
    let basename = file_name.rsplit_once('.').map_or(*file_name, |p| p.0);
    if dirs.is_empty() && (basename == "index" || basename == "404") {
        plan.not_carried("home and 404 pages (vellum makes its own)", rel_text);
        return Ok(());
    }
    let folder = dirs.iter().map(|d| format!("{d}/")).collect::<String>();
    let dest = format!("content/{folder}{}", vellum_name(file_name));
    let Some(text) = read(source, rel, plan)? else {
        plan.copy(rel, dest);
        return Ok(());
    };
    let fm = front(&text, &rel_text, plan);
    let layout = fm.str("layout");
    if let Some(layout) = &layout {
        layouts
            .entry(layout.clone())
            .or_default()
            .push(rel_text.clone());
    }
    for thing in scan::uses(&text, Generator::Jekyll) {
        plan.not_carried(thing, rel_text.clone());
    }
    plan.counts.pages += 1;
    if fm.bool("published") != Some(false) {
        let url = page_url(
            &dirs.join("/"),
            basename,
            fm.str("permalink").as_deref(),
            site,
        );
        plan.urls.push(OldUrl {
            dest: dest.clone(),
            url,
        });
    }
    if layout.as_deref() == Some("page") || fm.str("kind").is_some() {
        plan.copy(rel, dest);
    } else {
        plan.write(
            rel,
            dest,
            insert_line(&text, "kind: page", "kind = \"page\"").into_bytes(),
        );
    }
    Ok(())
}

/// The day a file was last changed, in UTC (today when that cannot be read).
fn modified_day(path: &Path) -> jiff::civil::Date {
    let when = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| jiff::Timestamp::try_from(t).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    jiff::tz::TimeZone::UTC.to_datetime(when).date()
}
