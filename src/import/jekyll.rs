//! Jekyll: `_config.yml`, `_posts/`, `_drafts/`, Markdown pages and static files, and the URLs
//! Jekyll served them at.
//!
//! URLs follow `lib/jekyll/drops/url_drop.rb` and `lib/jekyll/url.rb`: a template (the site's
//! `permalink` style, or the file's own `permalink`) whose `:placeholders` are filled from the
//! file name, its date and its categories; `:title` keeps case and is slugified the `pretty`
//! way (`lib/jekyll/utils.rb`).

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::DateTime;

use super::front::{Front, insert_line};
use super::plan::{OldUrl, Plan, slashed, yaml_key, yaml_to_toml};
use super::{Generator, scan};
use crate::error::{Error, Location, Result};

/// Settings Jekyll itself reads (not for templates): never put under `[extra]`.
const BUILD_KEYS: &[&str] = &[
    "source",
    "destination",
    "collections_dir",
    "cache_dir",
    "plugins_dir",
    "layouts_dir",
    "data_dir",
    "includes_dir",
    "collections",
    "safe",
    "include",
    "exclude",
    "keep_files",
    "encoding",
    "markdown_ext",
    "strict_front_matter",
    "show_drafts",
    "limit_posts",
    "future",
    "unpublished",
    "whitelist",
    "plugins",
    "gems",
    "markdown",
    "highlighter",
    "lsi",
    "excerpt_separator",
    "incremental",
    "detach",
    "port",
    "host",
    "baseurl",
    "url",
    "show_dir_listing",
    "permalink",
    "paginate",
    "paginate_path",
    "timezone",
    "quiet",
    "verbose",
    "defaults",
    "liquid",
    "kramdown",
    "rdiscount",
    "redcarpet",
    "commonmark",
    "sass",
    "feed",
    "theme",
    "remote_theme",
    "jekyll-archives",
    "title",
    "author",
    "description",
    "lang",
    "locale",
    "webrick",
    "profile",
    "disable_disk_cache",
    "livereload",
    "repository",
];

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

/// The site settings that decide URLs and which files are read.
#[derive(Debug, Clone)]
pub struct Site {
    /// The `permalink` setting: a style name (`date`, `pretty`, …) or a template.
    pub permalink: String,
    /// `timezone`, where dates are shown (Jekyll moves every date there first).
    pub timezone: Option<jiff::tz::TimeZone>,
    exclude: Vec<String>,
    include: Vec<String>,
    markdown_ext: Vec<String>,
}

impl Default for Site {
    fn default() -> Self {
        Site {
            permalink: "date".to_string(),
            timezone: None,
            exclude: Vec::new(),
            include: vec![".htaccess".to_string()],
            markdown_ext: ["markdown", "mkdown", "mkdn", "mkd", "md"]
                .map(String::from)
                .to_vec(),
        }
    }
}

/// Reads the site and plans its import.
pub fn plan(source: &Path) -> Result<Plan> {
    let (name, config) = read_config(source)?;
    let mut plan = Plan::default();
    let site = site(&config);
    settings(&config, &site, &name, &mut plan);
    walk(source, &site, &mut plan)?;
    Ok(plan)
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
    let config = serde_norway::from_str(&text).map_err(|e| Error::Config {
        at: Location {
            path: path.clone(),
            line: e.location().map(|l| l.line()),
        },
        message: e.to_string(),
    })?;
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
    if let Some(lang) = text(config, "lang").or_else(|| text(config, "locale")) {
        plan.setting("language", lang.replace('_', "-"));
    }
    if let Some(paginate) = config.get("paginate").and_then(|v| v.as_i64()) {
        plan.setting("paginate", paginate);
    }
    let markdown = text(config, "markdown").unwrap_or_else(|| "kramdown".to_string());
    let style = if markdown.to_ascii_lowercase().starts_with("commonmark") {
        "github"
    } else {
        "kramdown"
    };
    plan.setting("heading_ids", style);
    permalinks(site, plan);
    let mut extra = toml::Table::new();
    for (key, value) in config {
        let Some(key) = yaml_key(key) else { continue };
        if BUILD_KEYS.contains(&key.as_str()) {
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

/// A Jekyll template in vellum's terms, if every placeholder has an equivalent there.
pub fn vellum_pattern(template: &str) -> Option<String> {
    let pattern = template.replace(":output_ext", ".html");
    let known = [
        ":year",
        ":month",
        ":day",
        ":title",
        ":slug",
        ":categories",
        ":path",
    ];
    let mut rest = pattern.as_str();
    while let Some(at) = rest.find(':') {
        let name_end = rest[at + 1..]
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .map_or(rest.len(), |i| at + 1 + i);
        if !known.contains(&&rest[at..name_end]) {
            return None;
        }
        rest = &rest[name_end..];
    }
    Some(pattern)
}

/// The template of posts for a `permalink` setting (`STYLE_TO_PERMALINK`).
pub fn post_template(permalink: &str) -> String {
    match permalink {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        custom => custom,
    }
    .to_string()
}

/// The template of pages (`Page#template`, `Utils.add_permalink_suffix`).
pub fn page_template(permalink: &str, index: bool) -> String {
    if index {
        return "/:path/".to_string();
    }
    match permalink {
        "pretty" => "/:path/:basename/".to_string(),
        "date" | "ordinal" | "none" | "weekdate" => "/:path/:basename:output_ext".to_string(),
        custom => {
            let mut template = "/:path/:basename".to_string();
            if custom.ends_with('/') {
                template.push('/');
            }
            if custom.ends_with(":output_ext") {
                template.push_str(":output_ext");
            }
            template
        }
    }
}

/// Jekyll's `Utils.slugify` in `default` or `pretty` mode.
pub fn slugify(text: &str, pretty: bool, cased: bool) -> String {
    let keep = |c: char| c.is_alphanumeric() || (pretty && "._~!$&'()+,;=@".contains(c));
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if keep(c) {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.strip_prefix('-').unwrap_or(&slug);
    let slug = slug.strip_suffix('-').unwrap_or(slug);
    if cased {
        slug.to_string()
    } else {
        slug.to_lowercase()
    }
}

/// Fills a template (`generate_url_from_drop`) and cleans the result (`sanitize_url`).
pub fn expand(template: &str, values: &BTreeMap<&str, String>) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let name_end = rest[at + 1..]
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .map_or(rest.len(), |i| at + 1 + i);
        match values.get(&rest[at + 1..name_end]) {
            Some(value) => out.push_str(value),
            None => out.push_str(&rest[at..name_end]),
        }
        rest = &rest[name_end..];
    }
    out.push_str(rest);
    let mut url = format!("/{out}").replace("..", "/").replace("./", "");
    while url.contains("//") {
        url = url.replace("//", "/");
    }
    url
}

/// What a post's URL is made of.
#[derive(Debug, Clone, Default)]
pub struct Post<'a> {
    /// The file name, `2014-09-02-Old-Name.md`.
    pub file_name: &'a str,
    /// Folders above `_posts`, which are categories.
    pub dirs: &'a [&'a str],
    /// Front matter `slug`, `date`, `categories` (and `category`), `permalink`.
    pub slug: Option<String>,
    pub date: Option<String>,
    pub categories: Vec<String>,
    pub permalink: Option<String>,
}

/// The URL Jekyll serves a post at, or `None` when its file name has no date (Jekyll skips
/// it).
pub fn post_url(post: &Post, site: &Site) -> Option<String> {
    let (file_date, name) = dated_name(post.file_name)?;
    let date = post
        .date
        .as_deref()
        .and_then(|text| local_date(text, site))
        .unwrap_or(file_date);
    let slug = post
        .slug
        .clone()
        .unwrap_or_else(|| name.trim_end_matches('.').to_string());
    let mut categories: Vec<String> = Vec::new();
    for category in post.dirs.iter().map(|d| d.to_string()).chain(
        post.categories
            .iter()
            .flat_map(|c| c.split_whitespace().map(String::from)),
    ) {
        let category = category.to_lowercase();
        if !categories.contains(&category) {
            categories.push(category);
        }
    }
    let mut values: BTreeMap<&str, String> = BTreeMap::new();
    values.insert("year", format!("{:04}", date.year()));
    values.insert("month", format!("{:02}", date.month()));
    values.insert("day", format!("{:02}", date.day()));
    values.insert("i_month", date.month().to_string());
    values.insert("i_day", date.day().to_string());
    values.insert("short_year", format!("{:02}", date.year() % 100));
    values.insert("y_day", format!("{:03}", date.day_of_year()));
    values.insert("hour", format!("{:02}", date.hour()));
    values.insert("minute", format!("{:02}", date.minute()));
    values.insert("second", format!("{:02}", date.second()));
    values.insert("title", slugify(&slug, true, true));
    values.insert("slug", slugify(&slug, false, false));
    values.insert(
        "name",
        slugify(
            post.file_name
                .rsplit_once('.')
                .map_or(post.file_name, |p| p.0),
            false,
            false,
        ),
    );
    values.insert("categories", categories.join("/"));
    values.insert("output_ext", ".html".to_string());
    values.insert("collection", "posts".to_string());
    let template = post
        .permalink
        .clone()
        .unwrap_or_else(|| post_template(&site.permalink));
    Some(expand(&template, &values))
}

/// The URL Jekyll serves a page at: `dir` is its folder from the site root (`""` at the root).
pub fn page_url(dir: &str, basename: &str, permalink: Option<&str>, site: &Site) -> String {
    let template = match permalink {
        Some(own) => own.to_string(),
        None => page_template(&site.permalink, basename == "index"),
    };
    let values: BTreeMap<&str, String> = [
        ("path", dir.to_string()),
        ("basename", basename.to_string()),
        ("output_ext", ".html".to_string()),
    ]
    .into_iter()
    .collect();
    expand(&template, &values)
}

/// `2014-09-02-name.md` → its date and `name` (`DATE_FILENAME_MATCHER`).
fn dated_name(file_name: &str) -> Option<(DateTime, &str)> {
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    let mut parts = stem.splitn(4, '-');
    let (y, m, d, name) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
    };
    if !(digits(y, 2..=4) && digits(m, 1..=2) && digits(d, 1..=2)) {
        return None;
    }
    let date = jiff::civil::date(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    Some((date.to_datetime(jiff::civil::Time::midnight()), name))
}

/// A front-matter date as Jekyll shows it: one with an offset is moved into the site's
/// `timezone` (or UTC, where GitHub Pages builds); one without is local time already.
fn local_date(text: &str, site: &Site) -> Option<DateTime> {
    let date = crate::date::EssayDate::parse(text).ok()?;
    let after_date = text.trim().get(10..).unwrap_or("");
    let has_offset = after_date.contains(['+', '-', 'Z', 'z']);
    if !has_offset {
        return Some(date.civil);
    }
    let moment = date.offset.to_timestamp(date.civil).ok()?;
    let zone = site.timezone.clone().unwrap_or(jiff::tz::TimeZone::UTC);
    Some(zone.to_datetime(moment))
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

fn read(source: &Path, rel: &Path) -> Result<String> {
    let path = source.join(rel);
    std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))
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
    let text = read(source, rel)?;
    let fm = front(&text, &rel_text, plan);
    if let Some(layout) = fm.str("layout") {
        layouts.entry(layout).or_default().push(rel_text.clone());
    }
    for thing in scan::uses(&text, Generator::Jekyll) {
        plan.not_carried(thing, rel_text.clone());
    }
    if draft {
        plan.counts.drafts += 1;
        if fm.str("draft").is_some() || fm.bool("published") == Some(false) {
            plan.copy(rel, dest);
        } else {
            plan.write(
                rel,
                dest,
                insert_line(&text, "draft: true", "draft = true").into_bytes(),
            );
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
    let text = read(source, rel)?;
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
    let folder = dirs.iter().map(|d| format!("{d}/")).collect::<String>();
    let dest = format!("content/{folder}{}", vellum_name(file_name));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn site(permalink: &str) -> Site {
        Site {
            permalink: permalink.to_string(),
            ..Site::default()
        }
    }

    #[test]
    fn title_keeps_case_in_every_date_style() {
        let post = Post {
            file_name: "2017-07-08-predict-stock-prices-using-RNN-part-1.md",
            ..Post::default()
        };
        assert_eq!(
            post_url(&post, &site("date")).as_deref(),
            Some("/2017/07/08/predict-stock-prices-using-RNN-part-1.html")
        );
        assert_eq!(
            post_url(&post, &site("pretty")).as_deref(),
            Some("/2017/07/08/predict-stock-prices-using-RNN-part-1/")
        );
        assert_eq!(
            post_url(&post, &site("none")).as_deref(),
            Some("/predict-stock-prices-using-RNN-part-1.html")
        );
        assert_eq!(
            post_url(&post, &site("ordinal")).as_deref(),
            Some("/2017/189/predict-stock-prices-using-RNN-part-1.html")
        );
        assert_eq!(
            post_url(&post, &site("/:year/:slug/")).as_deref(),
            Some("/2017/predict-stock-prices-using-rnn-part-1/")
        );
    }

    #[test]
    fn front_matter_date_slug_and_categories() {
        let post = Post {
            file_name: "2021-09-25-Train Large (Nets)!.md",
            dirs: &["Blog"],
            date: Some("2021-09-24 12:00:00".to_string()),
            categories: vec!["Deep Learning".to_string(), "blog".to_string()],
            ..Post::default()
        };
        assert_eq!(
            post_url(&post, &site("date")).as_deref(),
            Some("/blog/deep/learning/2021/09/24/Train-Large-(Nets)!.html")
        );
        let moved = Post {
            date: Some("2021-09-24 23:30:00 -0500".to_string()),
            slug: Some("Own Slug".to_string()),
            ..Post {
                file_name: "2021-09-24-x.md",
                ..Post::default()
            }
        };
        assert_eq!(
            post_url(&moved, &site("date")).as_deref(),
            Some("/2021/09/25/Own-Slug.html")
        );
        let own = Post {
            permalink: Some("/notes/:title/".to_string()),
            ..Post {
                file_name: "2021-09-24-x.md",
                ..Post::default()
            }
        };
        assert_eq!(post_url(&own, &site("date")).as_deref(), Some("/notes/x/"));
        assert_eq!(
            post_url(
                &Post {
                    file_name: "undated.md",
                    ..Post::default()
                },
                &site("date")
            ),
            None
        );
    }

    #[test]
    fn pages_keep_their_basename_and_ending() {
        assert_eq!(page_url("", "About", None, &site("date")), "/About.html");
        assert_eq!(page_url("docs", "cv", None, &site("pretty")), "/docs/cv/");
        assert_eq!(page_url("docs", "index", None, &site("date")), "/docs/");
        assert_eq!(page_url("", "x", Some("/me/"), &site("date")), "/me/");
    }

    #[test]
    fn patterns_for_vellum() {
        assert_eq!(
            vellum_pattern(&post_template("date")).as_deref(),
            Some("/:categories/:year/:month/:day/:title.html")
        );
        assert_eq!(vellum_pattern(&post_template("ordinal")), None);
        assert_eq!(slugify("Ünïcode & Co.", false, false), "ünïcode-co");
    }
}
