//! The link index: every page a file link may name, by the names the generators give it, and
//! the rules that look a [`FileLink`] up in it. It knows nothing of essays: a target is a
//! content-relative path and a URL, so sections and taxonomy pages go in as essays do.

use rustc_hash::{FxHashMap, FxHashSet};

use super::wiki::{WikiFound, WikiNames};
use crate::markdown::file_links::{FileLink, LinkKind};

/// A page a link can lead to.
#[derive(Debug, Clone)]
pub struct Target {
    /// Relative to `content/`, `/`-separated: `blog/x.md`, `blog/b/index.md`.
    pub path: String,
    /// Its full URL.
    pub url: String,
    /// Why it is not built (`a draft, …`), when it is not: a link to it is broken.
    pub hidden: Option<String>,
    /// The essay or page it is, as numbered by [`mark_doc`](LinkIndex::mark_doc): a link to
    /// it is a backlink on its page.
    pub doc: Option<usize>,
}

/// See the module notes.
#[derive(Debug, Default)]
pub struct LinkIndex {
    targets: Vec<Target>,
    /// The file's path, the path less its extension, and a bundle's or section's folder.
    by_path: FxHashMap<String, usize>,
    /// The same, lowercased: Hugo looks pages up whatever their case.
    by_lower: FxHashMap<String, usize>,
    /// A file's stem or a bundle's folder name (Hugo); `None` when more than one has it.
    by_stem: FxHashMap<String, Option<usize>>,
    /// A file's whole name (Obsidian, Jekyll's `link` to a moved post).
    by_name: FxHashMap<String, Option<usize>>,
    /// (`YYYY-MM-DD`, name less the date) for Jekyll's `post_url`.
    by_post: FxHashMap<(String, String), Option<usize>>,
    /// Taxonomy terms by slug: `tags/x` and `categories/x` (Hugo's `ref`).
    terms: FxHashMap<String, usize>,
    /// Other files under `content/` (a bundle's attachments): a link to one is left as written.
    files: FxHashSet<String>,
    /// The site's URL, for a Jekyll `link` to a file that is not a page.
    site_url: String,
    /// Shown essays and pages by their URL's path, percent-decoded, without the last `/`.
    by_url: FxHashMap<String, usize>,
    /// What Obsidian's wikilinks name.
    wiki: WikiNames,
}

/// What a link leads to.
#[derive(Debug)]
pub enum Found<'a> {
    Page(&'a Target),
    /// Not a page: the URL of a file (`{% link assets/x.pdf %}`), or `None` to leave the link
    /// as written (a relative link to a file that is not an essay).
    File(Option<String>),
}

/// Where the linking file is, as the rules need it.
#[derive(Debug, Clone, Copy)]
pub struct From<'a> {
    /// Its folder relative to `content/` (a bundle's own folder for its `index.md`).
    pub dir: &'a str,
    /// For a bundle, the folder holding it: Hugo resolves a bundle's `ref` from there too.
    pub container: Option<&'a str>,
}

impl LinkIndex {
    pub fn new(site_url: String) -> LinkIndex {
        LinkIndex {
            site_url,
            ..LinkIndex::default()
        }
    }

    /// Adds a page at `path` (relative to `content/`); returns its number, for
    /// [`add_post`](Self::add_post) and [`add_term`](Self::add_term).
    pub fn add(&mut self, path: &str, url: String, hidden: Option<String>) -> usize {
        let n = self.targets.len();
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        let folder_page = stem == "index" || stem == "_index";
        // The file's own path always names it; the shorter names only when no other has them.
        self.by_path.insert(path.to_string(), n);
        let mut keys = vec![path.to_string(), join_name(dir, stem)];
        if folder_page {
            keys.push(dir.to_string());
        }
        for key in keys {
            self.by_lower.entry(key.to_lowercase()).or_insert(n);
            self.by_path.entry(key).or_insert(n);
        }
        if stem != "_index" {
            let stem = if folder_page { last(dir) } else { stem };
            if !stem.is_empty() {
                note(&mut self.by_stem, stem.to_lowercase(), n);
            }
            if !folder_page {
                note(&mut self.by_name, name.to_string(), n);
            }
        }
        self.push(path, url, hidden)
    }

    /// Adds a page that is no file (a tag's page), named only by
    /// [`add_term`](Self::add_term) and [`add_name`](Self::add_name).
    pub fn add_page(&mut self, label: &str, url: String) -> usize {
        self.push(label, url, None)
    }

    fn push(&mut self, path: &str, url: String, hidden: Option<String>) -> usize {
        self.targets.push(Target {
            path: path.to_string(),
            url,
            hidden,
            doc: None,
        });
        self.targets.len() - 1
    }

    /// Target `n` is essay or page `doc`, found by its URL too.
    pub fn mark_doc(&mut self, n: usize, doc: usize) {
        let target = &mut self.targets[n];
        target.doc = Some(doc);
        let key = url_key(url_path(&target.url));
        self.by_url.entry(key).or_insert(n);
    }

    /// A link by this site's URL path: a shown essay or page it names, else left as written
    /// (a list, a file in `static/`, or nothing: `check` looks at those in the built site).
    fn site(&self, path: &str) -> Found<'_> {
        let path = path.strip_suffix("index.html").unwrap_or(path);
        match self.by_url.get(&url_key(path)).map(|&n| &self.targets[n]) {
            Some(target) if target.hidden.is_none() => Found::Page(target),
            _ => Found::File(None),
        }
    }

    /// Names target `n` for `{% post_url date-name %}`.
    pub fn add_post(&mut self, date: String, name: String, n: usize) {
        if self.by_post.get(&(date.clone(), name.clone())) != Some(&Some(n)) {
            note(&mut self.by_post, (date, name), n);
        }
    }

    /// Names target `n` as the taxonomy term with this slug (`tags/x`, `categories/x`).
    pub fn add_term(&mut self, slug: String, n: usize) {
        self.terms.insert(slug, n);
    }

    /// A page under another name (`tags`: the tag index).
    pub fn add_name(&mut self, key: String, n: usize) {
        self.by_path.entry(key).or_insert(n);
    }

    /// A file under `content/` that is not a page.
    pub fn add_file(&mut self, path: String) {
        self.wiki.add_file(&path);
        self.files.insert(path);
    }

    /// Names page `n` (at `path`) for wikilinks by its title and aliases too.
    pub fn add_wiki(&mut self, n: usize, path: &str, title: &str, aliases: &[String]) {
        self.wiki.add_page(n, path, title, aliases);
    }

    /// Looks `link`, written in a file at `from`, up. The error says why it leads nowhere.
    pub fn find(&self, link: &FileLink, from: From) -> Result<Found<'_>, String> {
        let found = match link.kind {
            LinkKind::Content => self.path(link.path.trim_start_matches('/')),
            LinkKind::Relative => return self.relative(&link.path, from),
            LinkKind::Ref => self.hugo_ref(&link.path, from)?,
            LinkKind::PostUrl => self.post(last(&link.path)),
            LinkKind::Link => return self.jekyll_link(&link.path),
            LinkKind::Site => return Ok(self.site(&link.path)),
            LinkKind::Wiki | LinkKind::Embed => return self.wikilink(&link.path),
        };
        self.page(found)
    }

    /// Obsidian's `[[name]]`: see [`WikiNames`]. A file's URL is its path under the site.
    fn wikilink(&self, name: &str) -> Result<Found<'_>, String> {
        match self.wiki.find(name, |n| &self.targets[n].path)? {
            WikiFound::Page(n) => self.page(Some(n)),
            WikiFound::File(path) => Ok(Found::File(Some(format!("{}{path}", self.site_url)))),
        }
    }

    fn page(&self, found: Option<usize>) -> Result<Found<'_>, String> {
        let target = &self.targets[found.ok_or("no such essay")?];
        match &target.hidden {
            Some(why) => Err(format!("{} is {why}", target.path)),
            None => Ok(Found::Page(target)),
        }
    }

    fn path(&self, path: &str) -> Option<usize> {
        self.by_path.get(path.trim_end_matches('/')).copied()
    }

    /// As [`path`](Self::path), whatever the case (Hugo's lookups).
    fn path_any_case(&self, path: &str) -> Option<usize> {
        self.path(path)
            .or_else(|| self.by_lower.get(&path.to_lowercase()).copied())
    }

    /// GitHub's and Obsidian's `x.md`: from the file's folder; then, as Obsidian also writes
    /// them, from `content/` and by a unique file name.
    fn relative(&self, path: &str, from: From) -> Result<Found<'_>, String> {
        let joined = join(from.dir, path);
        if let Some(n) = joined.as_deref().and_then(|p| self.path(p)) {
            return self.page(Some(n));
        }
        if joined.as_ref().is_some_and(|p| self.files.contains(p)) {
            return Ok(Found::File(None));
        }
        if path.starts_with("./") || path.starts_with("../") {
            return Err("no such essay".into());
        }
        let found = match self.path(path) {
            Some(n) => Some(n),
            None => unique(&self.by_name, path, "file").transpose()?,
        };
        self.page(found)
    }

    /// Hugo's order (`hugolib/pagecollections.go`): relative to the file, then from
    /// `content/`, then a taxonomy term, then a unique file stem; in any case, as Hugo's
    /// paths are lowercased.
    fn hugo_ref(&self, path: &str, from: From) -> Result<Option<usize>, String> {
        let path = path.trim_end_matches('/');
        if let Some(rooted) = path.strip_prefix('/') {
            return Ok(self.path_any_case(rooted).or_else(|| self.term(rooted)));
        }
        let relative = [Some(from.dir), from.container]
            .into_iter()
            .flatten()
            .find_map(|dir| self.path_any_case(&join(dir, path)?));
        if let Some(n) = relative
            .or_else(|| self.path_any_case(path))
            .or_else(|| self.term(path))
        {
            return Ok(Some(n));
        }
        if path.contains('/') {
            return Ok(None);
        }
        let stem = path.strip_suffix(".md").unwrap_or(path).to_lowercase();
        unique(&self.by_stem, &stem, "essay").transpose()
    }

    fn term(&self, path: &str) -> Option<usize> {
        let (taxonomy, term) = path.split_once('/')?;
        if !matches!(taxonomy, "tags" | "categories") {
            return None;
        }
        self.terms.get(&crate::slugs::slugify(term)).copied()
    }

    /// `2014-09-02-x`, wherever the post is now.
    fn post(&self, name: &str) -> Option<usize> {
        let (date, rest) = split_date(name)?;
        *self.by_post.get(&(date.to_string(), rest.to_string()))?
    }

    /// Jekyll's `{% link path %}`, from the site's source: as written, else (a post moved out
    /// of `_posts/`) by file name, then by date and name. Not a Markdown file: its URL.
    fn jekyll_link(&self, path: &str) -> Result<Found<'_>, String> {
        let path = path.trim_start_matches('/');
        let name = last(path);
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        let markdown = [".md", ".markdown"]
            .iter()
            .any(|ext| name.to_ascii_lowercase().ends_with(ext));
        if !markdown {
            return Ok(Found::File(Some(format!("{}{path}", self.site_url))));
        }
        let found = self
            .by_path
            .get(path)
            .copied()
            .or_else(|| unique(&self.by_name, name, "file")?.ok())
            .or_else(|| self.post(stem));
        self.page(found)
    }
}

/// Records that `key` names `n`; a second page with the key makes it ambiguous.
fn note<K: std::hash::Hash + Eq>(map: &mut FxHashMap<K, Option<usize>>, key: K, n: usize) {
    map.entry(key)
        .and_modify(|known| *known = None)
        .or_insert(Some(n));
}

/// The one page `key` names: `None` when none does, an error when several do.
fn unique(
    map: &FxHashMap<String, Option<usize>>,
    key: &str,
    what: &str,
) -> Option<Result<usize, String>> {
    Some(map.get(key)?.ok_or_else(|| {
        format!("more than one {what} is called `{key}`; write its path from content/")
    }))
}

/// `2014-09-02` and `x` from `2014-09-02-x`.
pub fn split_date(name: &str) -> Option<(&str, &str)> {
    let (date, rest) = (name.get(..10)?, name.get(10..)?);
    let rest = rest.strip_prefix('-')?;
    let digits = |r: std::ops::Range<usize>| date[r].bytes().all(|b| b.is_ascii_digit());
    let shaped =
        digits(0..4) && digits(5..7) && digits(8..10) && &date[4..5] == "-" && &date[7..8] == "-";
    (shaped && !rest.is_empty()).then_some((date, rest))
}

/// The last part of a `/`-separated path.
fn last(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn join_name(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// `rel` from `dir`, with `.` and `..` worked out; `None` when it leaves `content/`.
pub fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// `/blog/x/` of `https://ex.com/blog/x/`; a URL without a host is all path.
fn url_path(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => url,
    }
}

/// A path as `by_url` keys it: decoded, without the last `/`.
fn url_key(path: &str) -> String {
    percent_encoding::percent_decode_str(path.trim_end_matches('/'))
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(kind: LinkKind, path: &str) -> FileLink {
        FileLink {
            kind,
            path: path.to_string(),
            anchor: None,
            href: String::new(),
            line: 1,
            context: String::new(),
        }
    }

    /// A small site: two posts in `blog/`, a bundle, a Jekyll post moved out of `_posts/`,
    /// a section, a draft, two `notes.md` in different folders, a tag and an attachment.
    fn index() -> LinkIndex {
        let mut index = LinkIndex::new("https://ex.com/".into());
        index.add("blog/x.md", "https://ex.com/blog/x/".into(), None);
        index.add("blog/y.md", "https://ex.com/blog/y/".into(), None);
        index.add("blog/b/index.md", "https://ex.com/blog/b/".into(), None);
        let post = index.add(
            "posts/2014-09-02-moved.md",
            "https://ex.com/2014/moved/".into(),
            None,
        );
        index.add_post("2014-09-02".into(), "moved".into(), post);
        index.add("blog/_index.md", "https://ex.com/blog/".into(), None);
        index.add(
            "wip.md",
            "https://ex.com/wip/".into(),
            Some("a draft".into()),
        );
        index.add("a/notes.md", "https://ex.com/a/notes/".into(), None);
        index.add("c/notes.md", "https://ex.com/c/notes/".into(), None);
        let tags = index.add_page("tags", "https://ex.com/tags/".into());
        index.add_name("tags".into(), tags);
        let rust = index.add_page("tags/rust", "https://ex.com/tags/rust/".into());
        index.add_term("rust".into(), rust);
        index.add_file("blog/b/data.md".into());
        index
    }

    fn url(index: &LinkIndex, kind: LinkKind, path: &str, from: From) -> Result<String, String> {
        match index.find(&link(kind, path), from)? {
            Found::Page(target) => Ok(target.url.clone()),
            Found::File(url) => Ok(url.unwrap_or_else(|| "(as written)".into())),
        }
    }

    const BLOG: From = From {
        dir: "blog",
        container: None,
    };
    const BUNDLE: From = From {
        dir: "blog/b",
        container: Some("blog"),
    };

    #[test]
    fn zola_paths_are_from_content() {
        let i = index();
        assert_eq!(
            url(&i, LinkKind::Content, "blog/x.md", BUNDLE).unwrap(),
            "https://ex.com/blog/x/"
        );
        assert_eq!(
            url(&i, LinkKind::Content, "blog/b/index.md", BLOG).unwrap(),
            "https://ex.com/blog/b/"
        );
        assert_eq!(
            url(&i, LinkKind::Content, "blog/_index.md", BLOG).unwrap(),
            "https://ex.com/blog/"
        );
        assert_eq!(
            url(&i, LinkKind::Content, "x.md", BLOG).unwrap_err(),
            "no such essay"
        );
        assert_eq!(
            url(&i, LinkKind::Content, "wip.md", BLOG).unwrap_err(),
            "wip.md is a draft"
        );
    }

    #[test]
    fn relative_paths_are_from_the_linking_files_folder() {
        let i = index();
        assert_eq!(
            url(&i, LinkKind::Relative, "y.md", BLOG).unwrap(),
            "https://ex.com/blog/y/"
        );
        assert_eq!(
            url(&i, LinkKind::Relative, "./y.md", BLOG).unwrap(),
            "https://ex.com/blog/y/"
        );
        assert_eq!(
            url(&i, LinkKind::Relative, "../x.md", BUNDLE).unwrap(),
            "https://ex.com/blog/x/"
        );
        assert_eq!(
            url(&i, LinkKind::Relative, "b/index.md", BLOG).unwrap(),
            "https://ex.com/blog/b/"
        );
        assert_eq!(
            url(&i, LinkKind::Relative, "../a/notes.md", BLOG).unwrap(),
            "https://ex.com/a/notes/"
        );
        // A bundle's attachment is a file, not an essay: left as written.
        assert_eq!(
            url(&i, LinkKind::Relative, "data.md", BUNDLE).unwrap(),
            "(as written)"
        );
        // Leaving content/, or a path that names nothing.
        assert_eq!(
            url(&i, LinkKind::Relative, "../../../x.md", BLOG).unwrap_err(),
            "no such essay"
        );
        assert_eq!(
            url(&i, LinkKind::Relative, "./z.md", BLOG).unwrap_err(),
            "no such essay"
        );
    }

    #[test]
    fn obsidian_paths_from_the_vault_and_unique_names() {
        let i = index();
        let top = From {
            dir: "",
            container: None,
        };
        assert_eq!(
            url(&i, LinkKind::Relative, "blog/x.md", BUNDLE).unwrap(),
            "https://ex.com/blog/x/"
        );
        assert_eq!(
            url(&i, LinkKind::Relative, "2014-09-02-moved.md", top).unwrap(),
            "https://ex.com/2014/moved/"
        );
        assert!(
            url(&i, LinkKind::Relative, "notes.md", top)
                .unwrap_err()
                .contains("more than one file")
        );
    }

    #[test]
    fn hugo_refs_go_relative_then_root_then_terms_then_stem() {
        let i = index();
        assert_eq!(
            url(&i, LinkKind::Ref, "y", BLOG).unwrap(),
            "https://ex.com/blog/y/"
        );
        assert_eq!(
            url(&i, LinkKind::Ref, "y.md", BLOG).unwrap(),
            "https://ex.com/blog/y/"
        );
        // Any case, as Hugo lowercases paths.
        assert_eq!(
            url(&i, LinkKind::Ref, "Blog/Y", BUNDLE).unwrap(),
            "https://ex.com/blog/y/"
        );
        assert_eq!(
            url(&i, LinkKind::Ref, "B", BLOG).unwrap(),
            "https://ex.com/blog/b/"
        );
        // From a bundle: its folder, then the folder holding it.
        assert_eq!(
            url(&i, LinkKind::Ref, "x", BUNDLE).unwrap(),
            "https://ex.com/blog/x/"
        );
        assert_eq!(
            url(&i, LinkKind::Ref, "blog/x.md", BUNDLE).unwrap(),
            "https://ex.com/blog/x/"
        );
        assert_eq!(
            url(&i, LinkKind::Ref, "/blog/b/", BLOG).unwrap(),
            "https://ex.com/blog/b/"
        );
        assert_eq!(
            url(&i, LinkKind::Ref, "blog", BUNDLE).unwrap(),
            "https://ex.com/blog/"
        );
        assert_eq!(
            url(&i, LinkKind::Ref, "tags/Rust", BLOG).unwrap(),
            "https://ex.com/tags/rust/"
        );
        assert_eq!(
            url(&i, LinkKind::Ref, "categories/rust", BLOG).unwrap(),
            "https://ex.com/tags/rust/"
        );
        assert_eq!(
            url(&i, LinkKind::Ref, "tags", BLOG).unwrap(),
            "https://ex.com/tags/"
        );
        // A unique stem anywhere; a stem two files share is ambiguous.
        assert_eq!(
            url(&i, LinkKind::Ref, "2014-09-02-moved", BLOG).unwrap(),
            "https://ex.com/2014/moved/"
        );
        assert_eq!(
            url(
                &i,
                LinkKind::Ref,
                "b",
                From {
                    dir: "",
                    container: None
                }
            )
            .unwrap(),
            "https://ex.com/blog/b/"
        );
        assert!(
            url(&i, LinkKind::Ref, "notes", BLOG)
                .unwrap_err()
                .contains("more than one essay")
        );
        assert_eq!(
            url(&i, LinkKind::Ref, "series/x", BLOG).unwrap_err(),
            "no such essay"
        );
    }

    #[test]
    fn jekyll_post_url_by_date_and_name_and_link_by_path_or_name() {
        let i = index();
        assert_eq!(
            url(&i, LinkKind::PostUrl, "2014-09-02-moved", BLOG).unwrap(),
            "https://ex.com/2014/moved/"
        );
        assert_eq!(
            url(&i, LinkKind::PostUrl, "old/2014-09-02-moved", BLOG).unwrap(),
            "https://ex.com/2014/moved/"
        );
        assert_eq!(
            url(&i, LinkKind::PostUrl, "2014-09-03-moved", BLOG).unwrap_err(),
            "no such essay"
        );
        assert_eq!(
            url(&i, LinkKind::Link, "_posts/2014-09-02-moved.md", BLOG).unwrap(),
            "https://ex.com/2014/moved/"
        );
        assert_eq!(
            url(&i, LinkKind::Link, "blog/x.md", BUNDLE).unwrap(),
            "https://ex.com/blog/x/"
        );
        assert_eq!(
            url(&i, LinkKind::Link, "assets/cv.pdf", BLOG).unwrap(),
            "https://ex.com/assets/cv.pdf"
        );
        assert_eq!(
            url(&i, LinkKind::Link, "_posts/2015-01-01-gone.md", BLOG).unwrap_err(),
            "no such essay"
        );
    }

    #[test]
    fn joining_paths() {
        assert_eq!(join("a/b", "../c/./d.md").as_deref(), Some("a/c/d.md"));
        assert_eq!(join("", "x.md").as_deref(), Some("x.md"));
        assert_eq!(join("a", "../../x.md"), None);
        assert_eq!(split_date("2014-09-02-x-y"), Some(("2014-09-02", "x-y")));
        assert_eq!(split_date("2014-09-02"), None);
        assert_eq!(split_date("on-2014-09-02"), None);
    }
}
