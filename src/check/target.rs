//! Where a URL on a page leads: to a file of the site, outside the site's base path on its
//! own host (the subpath mistake: `/style.css` on a site at `https://x.github.io/blog/`), to
//! another site, or nowhere that can be checked (`mailto:`, `data:`).
//!
//! URLs are resolved the way a browser would, against the address the page has once it is
//! published under `base_url`.

use percent_encoding::percent_decode_str;

/// Where a URL leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file of the site: its path relative to the output folder (empty or ending in `/` for
    /// a folder), and the fragment, both percent-decoded.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// The site's own host, outside its base path: the absolute path it leads to.
    Outside(String),
    /// Another site's `http` or `https` URL, as written.
    External(String),
    /// A URL no checker can follow: `mailto:`, `tel:`, `data:`, `javascript:`….
    Unchecked,
}

/// The address of the published site, split for resolving.
#[derive(Debug, Clone)]
pub struct SiteUrl {
    /// `https://example.com`, lowercase; empty when `base_url` is only a path.
    origin: String,
    /// `/blog/`: starts and ends with `/`.
    base_path: String,
}

impl SiteUrl {
    /// From a normalised `base_url` (a full URL or a path, ending in `/`).
    pub fn new(base_url: &str) -> SiteUrl {
        match split_origin(base_url) {
            Some((origin, path)) => SiteUrl {
                origin: origin.to_ascii_lowercase(),
                base_path: if path.is_empty() {
                    "/".to_string()
                } else {
                    path.to_string()
                },
            },
            None => SiteUrl {
                origin: String::new(),
                base_path: base_url.to_string(),
            },
        }
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// Where `url`, found on the page written at output path `page`, leads.
    pub fn resolve(&self, page: &str, url: &str) -> Target {
        let url = url.trim();
        let absolute_path = if let Some(rest) = url.strip_prefix("//") {
            match self.own_path(&format!("https://{rest}")) {
                Some(path) => path,
                None => return Target::External(format!("https:{url}")),
            }
        } else if has_scheme(url) {
            let lower = url.to_ascii_lowercase();
            if !lower.starts_with("http://") && !lower.starts_with("https://") {
                return Target::Unchecked;
            }
            match self.own_path(url) {
                Some(path) => path,
                None => return Target::External(url.to_string()),
            }
        } else if url.starts_with('/') {
            url.to_string()
        } else {
            let page_url = format!("{}{page}", self.base_path);
            let dir = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
            if url.is_empty() || url.starts_with(['#', '?']) {
                // The page itself (a folder's index.html is at the folder's address).
                let own = page_url.strip_suffix("index.html").unwrap_or(&page_url);
                format!("{own}{url}")
            } else {
                format!("{dir}{url}")
            }
        };
        let (rest, fragment) = match absolute_path.split_once('#') {
            Some((rest, fragment)) => (rest, Some(decode(fragment))),
            None => (absolute_path.as_str(), None),
        };
        let path = rest.split_once('?').map_or(rest, |(path, _)| path);
        let path = remove_dot_segments(path);
        match path.strip_prefix(&self.base_path) {
            Some(inside) => Target::Internal {
                path: decode(inside),
                fragment: fragment.filter(|f| !f.is_empty()),
            },
            None if format!("{path}/") == self.base_path => Target::Internal {
                path: String::new(),
                fragment: fragment.filter(|f| !f.is_empty()),
            },
            None => Target::Outside(path),
        }
    }

    /// The path of an `http(s)` URL on this site's host, or `None` for another host.
    fn own_path(&self, url: &str) -> Option<String> {
        let (origin, path) = split_origin(url)?;
        if self.origin.is_empty() || !origin.eq_ignore_ascii_case(&self.origin) {
            return None;
        }
        Some(if path.is_empty() {
            "/".to_string()
        } else {
            path.to_string()
        })
    }
}

/// (`https://host:port`, `/path?query#fragment`) of an `http(s)` URL.
fn split_origin(url: &str) -> Option<(&str, &str)> {
    let after_scheme = url.find("://")? + 3;
    let end = url[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after_scheme + i);
    Some((&url[..end], &url[end..]))
}

fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    })
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// `/a/./b/../c` → `/a/c`, as RFC 3986 has it (a `..` above the root stays at the root).
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." | ".." => {
                if *segment == ".." && out.len() > 1 {
                    out.pop();
                }
                if i == last {
                    out.push("");
                }
            }
            other => out.push(other),
        }
    }
    let joined = out.join("/");
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal {
            path: path.to_string(),
            fragment: fragment.map(str::to_string),
        }
    }

    #[test]
    fn resolves_like_a_browser_under_a_subpath() {
        let site = SiteUrl::new("https://user.github.io/blog/");
        let page = "walking/index.html";
        for (url, expected) in [
            ("pic.png", internal("walking/pic.png", None)),
            ("../reading/#notes", internal("reading/", Some("notes"))),
            ("#top", internal("walking/", Some("top"))),
            ("/blog/tags/", internal("tags/", None)),
            ("/blog", internal("", None)),
            (
                "https://USER.github.io/blog/a%20b/?q=1",
                internal("a b/", None),
            ),
            ("/style.css", Target::Outside("/style.css".into())),
            ("../../x/", Target::Outside("/x/".into())),
            (
                "https://other.org/",
                Target::External("https://other.org/".into()),
            ),
            (
                "//cdn.org/x.js",
                Target::External("https://cdn.org/x.js".into()),
            ),
            ("mailto:a@b.c", Target::Unchecked),
            ("data:image/png;base64,xx", Target::Unchecked),
        ] {
            assert_eq!(site.resolve(page, url), expected, "{url}");
        }
    }

    #[test]
    fn a_path_only_base_url_makes_every_http_url_external() {
        let site = SiteUrl::new("/");
        assert_eq!(site.resolve("404.html", "x/"), internal("x/", None));
        assert_eq!(
            site.resolve("a/index.html", "https://example.com/a/"),
            Target::External("https://example.com/a/".into())
        );
    }

    #[test]
    fn dot_segments() {
        assert_eq!(remove_dot_segments("/a/./b/../c"), "/a/c");
        assert_eq!(remove_dot_segments("/a/.."), "/");
        assert_eq!(remove_dot_segments("/../../x"), "/x");
    }
}
