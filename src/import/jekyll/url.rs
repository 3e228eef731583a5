//! The URLs Jekyll serves posts and pages at, as `lib/jekyll/drops/url_drop.rb` and
//! `lib/jekyll/url.rb` make them: a template (the site's `permalink` style, or the file's own
//! `permalink`) whose `:placeholders` are filled from the file name, its date and its
//! categories; `:title` keeps case and is slugified the `pretty` way (`lib/jekyll/utils.rb`).

use std::collections::BTreeMap;

use jiff::civil::DateTime;

/// The site settings that decide URLs and which files are read.
#[derive(Debug, Clone)]
pub struct Site {
    /// The `permalink` setting: a style name (`date`, `pretty`, …) or a template.
    pub permalink: String,
    /// `timezone`, where dates are shown (Jekyll moves every date there first).
    pub timezone: Option<jiff::tz::TimeZone>,
    pub(crate) exclude: Vec<String>,
    pub(crate) include: Vec<String>,
    pub(crate) markdown_ext: Vec<String>,
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
pub(crate) fn dated_name(file_name: &str) -> Option<(DateTime, &str)> {
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
