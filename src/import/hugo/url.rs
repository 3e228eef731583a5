//! The URLs Hugo serves pages at, as `resources/page/page_paths.go` and
//! `resources/page/permalinks.go` make them: front matter `url` as written; else the
//! section's `[permalinks]` pattern; else the folders and the slug or file name (a bundle's
//! folder name), passed through `Sanitize` (`common/paths/path.go`) and lowercased.

use std::collections::BTreeMap;

/// How Hugo makes the URLs of this site.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// `[permalinks]` by section path (`posts`), as Hugo wrote them.
    pub permalinks: BTreeMap<String, String>,
    /// `disablePathToLower` unset.
    pub lower: bool,
    /// The default language's code; other languages' pages go under `/<code>/`.
    pub default_language: String,
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
    pub title: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
}

/// Hugo's `Sanitize`: letters, digits, marks and `._~+-@#/\` stay (and `%XX`), each space
/// becomes `-`, anything else goes.
pub fn sanitize(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let escape = c == '%'
            && chars.get(i + 1).is_some_and(char::is_ascii_hexdigit)
            && chars.get(i + 2).is_some_and(char::is_ascii_hexdigit);
        if c.is_alphanumeric() || "._~+-@#/\\".contains(c) || escape {
            out.push(c);
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    out
}

/// The URL path Hugo serves a page at.
pub fn page_url(page: &Page, rules: &Rules) -> String {
    let prefix = match page.lang {
        Some(lang) if lang != rules.default_language => format!("/{lang}"),
        _ => String::new(),
    };
    if let Some(url) = &page.url {
        let url = if url.starts_with('/') {
            url.clone()
        } else {
            format!("{prefix}/{url}")
        };
        let last = url.rsplit('/').next().unwrap_or("");
        return if url.ends_with('/') || last.contains('.') {
            url
        } else {
            format!("{url}/")
        };
    }
    let lower = |s: String| if rules.lower { s.to_lowercase() } else { s };
    let urlize = |s: &str| lower(sanitize(s.trim()));
    let path = match pattern_for(page.dirs, rules) {
        Some(pattern) => {
            let date = page
                .date
                .as_deref()
                .and_then(|d| crate::date::EssayDate::parse(d).ok())
                .map(|d| d.civil);
            let title = urlize(page.title.as_deref().unwrap_or(""));
            let slug = page.slug.as_deref().map_or_else(|| title.clone(), urlize);
            let filename = urlize(page.name);
            let value = |name: &str| -> Option<String> {
                Some(match name {
                    "year" => format!("{:04}", date?.year()),
                    "month" => format!("{:02}", date?.month()),
                    "day" => format!("{:02}", date?.day()),
                    "title" => title.clone(),
                    "slug" => slug.clone(),
                    "filename" | "contentbasename" => filename.clone(),
                    "slugorfilename" => page
                        .slug
                        .as_deref()
                        .map_or_else(|| filename.clone(), urlize),
                    "section" => page.dirs.first()?.to_string(),
                    "sections" => page.dirs.join("/"),
                    _ => return None,
                })
            };
            lower(sanitize(&fill(&pattern, value)))
        }
        None => {
            let name = page.slug.as_deref().unwrap_or(page.name);
            let mut parts: Vec<&str> = page.dirs.to_vec();
            parts.push(name);
            lower(sanitize(&parts.join("/")))
        }
    };
    let path = path.trim_matches('/');
    let mut url = format!("{prefix}/{path}/");
    while url.contains("//") {
        url = url.replace("//", "/");
    }
    url
}

/// The pattern of the nearest section with one.
fn pattern_for(dirs: &[&str], rules: &Rules) -> Option<String> {
    (1..=dirs.len())
        .rev()
        .find_map(|n| rules.permalinks.get(&dirs[..n].join("/").to_lowercase()))
        .cloned()
}

/// Replaces each `:name` with `value(name)`, longest name first; unknown ones stay.
fn fill(pattern: &str, mut value: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let end = rest[at + 1..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(rest.len(), |i| at + 1 + i);
        match value(&rest[at + 1..end]) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[at..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A Hugo pattern in vellum's terms, if every placeholder has an equivalent there.
pub fn vellum_pattern(pattern: &str) -> Option<String> {
    let mut ok = true;
    let filled = fill(pattern, |name| {
        Some(match name {
            "year" | "month" | "day" | "slug" | "section" => format!(":{name}"),
            "title" | "filename" | "slugorfilename" | "contentbasename" => ":slug".to_string(),
            "sections" => ":path".to_string(),
            _ => {
                ok = false;
                return None;
            }
        })
    });
    if !ok || filled.contains("[") {
        return None;
    }
    let filled = format!("/{}/", filled.trim_matches('/'));
    Some(filled.replace("//", "/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            lower: true,
            default_language: "en".to_string(),
            ..Rules::default()
        }
    }

    #[test]
    fn folders_are_sanitized_and_lowercased() {
        assert_eq!(sanitize("Terraform on AWS & Co"), "Terraform-on-AWS--Co");
        let page = Page {
            dirs: &["posts", "training", "Terraform on AWS & Co"],
            name: "06-VPC",
            ..Page::default()
        };
        assert_eq!(
            page_url(&page, &rules()),
            "/posts/training/terraform-on-aws--co/06-vpc/"
        );
        let page = Page {
            dirs: &["posts"],
            name: "_index 1",
            ..Page::default()
        };
        assert_eq!(page_url(&page, &rules()), "/posts/_index-1/");
    }

    #[test]
    fn slug_url_language_and_permalinks() {
        let mut rules = rules();
        let page = Page {
            dirs: &["posts"],
            name: "x",
            slug: Some("My Slug".to_string()),
            lang: Some("es"),
            ..Page::default()
        };
        assert_eq!(page_url(&page, &rules), "/es/posts/my-slug/");
        let own = Page {
            url: Some("/old/place.html".to_string()),
            ..page.clone()
        };
        assert_eq!(page_url(&own, &rules), "/old/place.html");
        rules
            .permalinks
            .insert("posts".to_string(), "/:year/:month/:title/".to_string());
        let dated = Page {
            dirs: &["posts", "deep"],
            name: "x",
            title: Some("Hello, World".to_string()),
            date: Some("2024-03-05".to_string()),
            ..Page::default()
        };
        assert_eq!(page_url(&dated, &rules), "/2024/03/hello-world/");
        assert_eq!(
            vellum_pattern("/:year/:month/:title/").as_deref(),
            Some("/:year/:month/:slug/")
        );
        assert_eq!(
            vellum_pattern("/:sections/:filename"),
            Some("/:path/:slug/".to_string())
        );
        assert_eq!(vellum_pattern("/:monthname/:slug/"), None);
    }
}
