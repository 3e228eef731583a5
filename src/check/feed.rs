//! The feed and the sitemap, checked against their formats: `atom.xml` must be well-formed
//! Atom 1.0 (RFC 4287) with the elements readers require and absolute URLs, `sitemap.xml` a
//! sitemaps.org `urlset` of absolute `loc`s; and every URL in either must lead to a file of
//! the site. Problems name the template that renders the file and the line in the output.

use std::collections::HashSet;
use std::path::PathBuf;

use roxmltree::{Document, Node};

use super::target::{SiteUrl, Target};
use super::{Problem, Severity};
use crate::config::{CONFIG_FILE, Config};
use crate::error::Location;

const ATOM: &str = "http://www.w3.org/2005/Atom";
const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// What the feed and sitemap checks need to know of the site.
#[derive(Debug)]
pub struct Context<'a> {
    pub config: &'a Config,
    pub files: &'a HashSet<String>,
    pub site_url: &'a SiteUrl,
    /// The template each file is rendered from, when known.
    pub feed_template: Option<PathBuf>,
    pub sitemap_template: Option<PathBuf>,
}

/// Problems with one XML file, all at its template.
struct Findings<'a> {
    file: &'a str,
    at: Location,
    doc: &'a Document<'a>,
    problems: Vec<Problem>,
}

impl Findings<'_> {
    fn add(&mut self, node: Option<Node>, kind: &'static str, message: String) {
        let line = match node {
            Some(node) => format!(
                " ({} line {})",
                self.file,
                self.doc.text_pos_at(node.range().start).row
            ),
            None => format!(" ({})", self.file),
        };
        self.problems.push(Problem {
            at: self.at.clone(),
            severity: Severity::Error,
            kind,
            message: format!("{message}{line}"),
        });
    }
}

fn at(template: &Option<PathBuf>, file: &str) -> Location {
    Location::file(template.clone().unwrap_or_else(|| PathBuf::from(file)))
}

/// Parses one XML file (`None` when the theme renders none, which is no problem) and runs
/// `rules` on its root element; a file that is not XML is one problem.
fn check_xml(
    text: Option<&str>,
    template: &Option<PathBuf>,
    file: &str,
    rules: impl FnOnce(&mut Findings, Node),
) -> Vec<Problem> {
    let Some(text) = text else {
        return Vec::new();
    };
    let location = at(template, file);
    let doc = match Document::parse(text) {
        Ok(doc) => doc,
        Err(e) => return vec![not_xml(location, file, &e)],
    };
    let mut out = Findings {
        file,
        at: location,
        doc: &doc,
        problems: Vec::new(),
    };
    rules(&mut out, doc.root_element());
    out.problems
}

/// Checks a feed: `atom.xml`, or a section's or tag's (`tags/x/atom.xml`) at `path`.
pub fn check_feed(text: Option<&str>, path: &str, cx: &Context) -> Vec<Problem> {
    check_xml(text, &cx.feed_template, path, |out, feed| {
        feed_rules(out, feed, cx)
    })
}

/// Checks `sitemap.xml`.
pub fn check_sitemap(text: Option<&str>, cx: &Context) -> Vec<Problem> {
    check_xml(text, &cx.sitemap_template, "sitemap.xml", |out, urlset| {
        sitemap_rules(out, urlset, cx)
    })
}

fn feed_rules(out: &mut Findings, feed: Node, cx: &Context) {
    if !feed.has_tag_name((ATOM, "feed")) {
        out.add(
            Some(feed),
            "feed",
            "the root element is not an Atom <feed>".to_string(),
        );
        return;
    }
    for name in ["id", "title", "updated"] {
        require(out, feed, name, "the feed");
    }
    let entries: Vec<Node> = children(feed, "entry").collect();
    let authored = |node: Node| children(node, "author").next().is_some();
    if !authored(feed) && !entries.iter().all(|e| authored(*e)) {
        out.add(
            Some(feed),
            "feed",
            "the feed has no <author>, and not every entry has one".into(),
        );
    }
    check_dates(out, feed);
    check_urls(out, feed, cx);
    for entry in &entries {
        for name in ["id", "title", "updated"] {
            require(out, *entry, name, "an entry");
        }
        let alternate =
            children(*entry, "link").any(|l| l.attribute("rel").is_none_or(|r| r == "alternate"));
        if children(*entry, "content").next().is_none() && !alternate {
            out.add(
                Some(*entry),
                "feed",
                "an entry has neither <content> nor an alternate <link>".into(),
            );
        }
        check_dates(out, *entry);
        check_urls(out, *entry, cx);
    }
}

fn sitemap_rules(out: &mut Findings, urlset: Node, cx: &Context) {
    if !urlset.has_tag_name((SITEMAP, "urlset")) {
        out.add(
            Some(urlset),
            "sitemap",
            format!("the root element is not a <urlset> in {SITEMAP}"),
        );
        return;
    }
    let urls: Vec<Node> = urlset
        .children()
        .filter(|n| n.has_tag_name((SITEMAP, "url")))
        .collect();
    if urls.len() > 50_000 {
        out.add(
            None,
            "sitemap",
            format!("{} URLs; a sitemap may hold 50,000", urls.len()),
        );
    }
    for url in urls {
        let loc = url.children().find(|n| n.has_tag_name((SITEMAP, "loc")));
        match loc.and_then(|l| l.text()) {
            Some(href) => check_url(out, loc, href.trim(), cx, "sitemap"),
            None => out.add(Some(url), "sitemap", "a <url> has no <loc>".into()),
        }
        if let Some(lastmod) = url
            .children()
            .find(|n| n.has_tag_name((SITEMAP, "lastmod")))
            && crate::date::EssayDate::parse(lastmod.text().unwrap_or("")).is_err()
        {
            out.add(
                Some(lastmod),
                "sitemap",
                format!(
                    "<lastmod> `{}` is not a W3C date",
                    lastmod.text().unwrap_or("")
                ),
            );
        }
    }
}

fn not_xml(at: Location, file: &str, e: &roxmltree::Error) -> Problem {
    Problem {
        at,
        severity: Severity::Error,
        kind: if file == "atom.xml" {
            "feed"
        } else {
            "sitemap"
        },
        message: format!("{file} is not well-formed XML: {e}"),
    }
}

fn children<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |n| n.has_tag_name((ATOM, name)))
}

fn require(out: &mut Findings, node: Node, name: &str, what: &str) {
    let found = node.children().find(|n| n.has_tag_name((ATOM, name)));
    if found.is_none_or(|n| n.text().is_none_or(|t| t.trim().is_empty())) {
        out.add(Some(node), "feed", format!("{what} has no <{name}>"));
    }
}

/// `<updated>` and `<published>` must be RFC 3339 date-times.
fn check_dates(out: &mut Findings, node: Node) {
    for name in ["updated", "published"] {
        for date in children(node, name) {
            let text = date.text().unwrap_or("").trim();
            if text.parse::<jiff::Timestamp>().is_err() {
                out.add(
                    Some(date),
                    "feed",
                    format!("<{name}> `{text}` is not an RFC 3339 date-time"),
                );
            }
        }
    }
}

/// The `<id>` and `<link href>`s directly under `node` must be absolute, and lead somewhere.
fn check_urls(out: &mut Findings, node: Node, cx: &Context) {
    for id in children(node, "id") {
        let text = id.text().unwrap_or("").trim();
        if !text.contains(':') {
            out.add(
                Some(id),
                "feed",
                format!("<id> `{text}` is not an absolute IRI"),
            );
        }
    }
    for link in children(node, "link") {
        if let Some(href) = link.attribute("href") {
            check_url(out, Some(link), href, cx, "feed");
        }
    }
}

fn check_url(out: &mut Findings, node: Option<Node>, url: &str, cx: &Context, kind: &'static str) {
    let absolute = url.starts_with("http://") || url.starts_with("https://");
    if !absolute {
        // Without a full base_url every URL is relative: say so once, where it can be fixed.
        if !cx.config.has_absolute_base_url() {
            if !out
                .problems
                .iter()
                .any(|p| p.at.path.as_os_str() == CONFIG_FILE)
            {
                out.problems.push(Problem {
                    at: Location::file(CONFIG_FILE),
                    severity: Severity::Error,
                    kind,
                    message: format!("{} needs absolute URLs: set base_url to the site's full address, such as https://example.com/", out.file),
                });
            }
            return;
        }
        out.add(node, kind, format!("`{url}` is not an absolute URL"));
        return;
    }
    match cx.site_url.resolve(out.file, url) {
        Target::Internal { path, .. } => {
            let found = if path.is_empty() || path.ends_with('/') {
                cx.files.contains(&format!("{path}index.html"))
            } else {
                cx.files.contains(&path) || cx.files.contains(&format!("{path}/index.html"))
            };
            if !found {
                out.add(node, kind, format!("`{url}` leads to no file of the site"));
            }
        }
        Target::Outside(path) => out.add(
            node,
            kind,
            format!(
                "`{url}` leads to {path}, outside the site's base path {}",
                cx.site_url.base_path()
            ),
        ),
        Target::External(_) | Target::Unchecked => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx_check(feed: &str) -> Vec<String> {
        let mut config = crate::config::resolve_for_tests();
        config.base_url = "https://ex.com/".into();
        let files: HashSet<String> = ["index.html", "a/index.html"].map(String::from).into();
        let site_url = SiteUrl::new(&config.base_url);
        let cx = Context {
            config: &config,
            files: &files,
            site_url: &site_url,
            feed_template: None,
            sitemap_template: None,
        };
        check_feed(Some(feed), "atom.xml", &cx)
            .into_iter()
            .map(|p| p.message)
            .collect()
    }

    #[test]
    fn a_good_feed_passes() {
        let feed = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>https://ex.com/</id><title>T</title><updated>2026-01-01T00:00:00Z</updated><author><name>A</name></author><link href="https://ex.com/"/><entry><id>https://ex.com/a/</id><title>A</title><updated>2026-01-01T00:00:00Z</updated><link href="https://ex.com/a/"/><content type="html">x</content></entry></feed>"#;
        assert_eq!(cx_check(feed), Vec::<String>::new());
    }

    #[test]
    fn missing_elements_relative_urls_and_dead_links() {
        let feed = "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>T</title>\n<updated>yesterday</updated>\n<entry><id>https://ex.com/gone/</id><title>A</title><updated>2026-01-01T00:00:00Z</updated><link href=\"/a/\"/><link rel=\"related\" href=\"https://ex.com/gone/\"/></entry></feed>";
        let found = cx_check(feed);
        for expected in [
            "the feed has no <id> (atom.xml line 1)",
            "<updated> `yesterday` is not an RFC 3339 date-time (atom.xml line 3)",
            "the feed has no <author>, and not every entry has one (atom.xml line 1)",
            "`/a/` is not an absolute URL (atom.xml line 4)",
            "`https://ex.com/gone/` leads to no file of the site (atom.xml line 4)",
        ] {
            assert!(
                found.iter().any(|f| f == expected),
                "{expected}\n{found:#?}"
            );
        }
    }

    #[test]
    fn not_xml_is_one_problem() {
        let found = cx_check("<feed><entry></feed>");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("atom.xml is not well-formed XML"),
            "{found:?}"
        );
    }
}
