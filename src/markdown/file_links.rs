//! Links to other essays' files, as the Markdown of an essay writes them: Zola's
//! `@/blog/x.md#part`, relative `x.md` links (GitHub, Obsidian), Hugo's `{{< ref "x" >}}` and
//! Jekyll's `{% post_url 2014-09-02-x %}` and `{% link about.md %}`. Parsing finds them
//! ([`scan`]) with their lines; `links` (at collect) decides where each leads, and rendering
//! puts the resolved URL in place of the written destination.
//!
//! Shortcodes are not CommonMark destinations (they hold spaces), so [`with_markers`] writes
//! each one that stands as a link destination as a marker destination first
//! (`vellum-ref:x`), on the same line; the renderer parses the same marked text, so the
//! `href` it writes is the one [`FileLink::href`] names. Code spans and blocks are left as
//! written.
//!
//! Most essays link to no file: a few substring searches settle that before any parsing.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use super::link_context::Contexts;

/// How a file link is written, which decides how it is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// `@/blog/x.md`: a path from `content/` (Zola).
    Content,
    /// `x.md`, `./x.md`, `../y/z.md`: from the linking file's folder.
    Relative,
    /// `{{< ref "x" >}}` or `relref` (Hugo).
    Ref,
    /// `{% post_url 2014-09-02-x %}` (Jekyll).
    PostUrl,
    /// `{% link _posts/2014-09-02-x.md %}` (Jekyll): a path from the site's source.
    Link,
    /// `/blog/x/`: a page of this site by its URL's path. Left as written; found only so that
    /// the essay it names lists this one among its backlinks.
    Site,
    /// `[[note]]`, `[[folder/note#Heading]]` (Obsidian): by path, file name, title or alias,
    /// in any case; the anchor is the heading's text (see [`super::wikilinks`]).
    Wiki,
    /// `![[note#Section]]` or `![[pic.png]]` (Obsidian): found as [`LinkKind::Wiki`] is,
    /// or an image by its file name; a note's section is shown in the link's place.
    Embed,
}

/// One link to a file, found in an essay.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileLink {
    pub kind: LinkKind,
    /// The file as named, percent-decoded, without the anchor: `blog/x.md`, `../y.md`,
    /// `2014-09-02-x`.
    pub path: String,
    /// After `#`, as written.
    pub anchor: Option<String>,
    /// The `href` the rendered HTML holds for it, as pulldown-cmark writes it.
    pub href: String,
    /// 1-based, in the essay's file.
    pub line: usize,
    /// The sentence holding the link, as plain text: what the linked essay's backlink shows.
    pub context: String,
}

impl FileLink {
    /// The link as its writer would recognise it, for messages.
    pub fn written(&self) -> String {
        let anchor = self
            .anchor
            .as_ref()
            .map(|a| format!("#{a}"))
            .unwrap_or_default();
        match self.kind {
            LinkKind::Content => format!("@/{}{anchor}", self.path),
            LinkKind::Relative => format!("{}{anchor}", self.path),
            LinkKind::Ref => format!("{{{{< ref \"{}{anchor}\" >}}}}", self.path),
            LinkKind::PostUrl => format!("{{% post_url {} %}}{anchor}", self.path),
            LinkKind::Link => format!("{{% link {} %}}{anchor}", self.path),
            LinkKind::Site => format!("{}{anchor}", self.path),
            LinkKind::Wiki => format!("[[{}{anchor}]]", self.path),
            LinkKind::Embed => format!("![[{}{anchor}]]", self.path),
        }
    }
}

/// The file links of the Markdown body `text[body]`, with their lines in `text`. Links in
/// code, images and raw HTML are not links.
pub fn scan(text: &str, body: Range<usize>) -> Vec<FileLink> {
    let body_text = &text[body.clone()];
    if !may_link(body_text) {
        return Vec::new();
    }
    let first_line = crate::error::line_of(text, body.start);
    let wiki = super::obsidian::prepare(body_text);
    let marked = with_markers(&wiki);
    let mut links = Vec::new();
    let mut contexts = Contexts::default();
    let (mut line, mut counted) = (first_line, 0);
    for (event, range) in Parser::new_ext(&marked, super::options()).into_offset_iter() {
        contexts.see(&event);
        // A link's destination, or a marker in raw HTML's `href="…"` (Hugo sites write
        // `<a href="{{< ref "x" >}}">`) or an embedded image's `src="…"`, with where it starts.
        let mut found: Vec<(usize, String)> = match event {
            Event::Start(Tag::Link { dest_url, .. }) => vec![(range.start, dest_url.to_string())],
            Event::Html(html) | Event::InlineHtml(html) => html_markers(&html)
                .map(|(at, dest)| (range.start + at, dest.to_string()))
                .collect(),
            _ => continue,
        };
        // Lines are counted forwards: an HTML block's images and links in their order.
        found.sort_by_key(|(start, _)| *start);
        for (start, dest) in found {
            let Some((kind, path, anchor)) = classify(&dest) else {
                continue;
            };
            // Links come in order: count the lines since the last one only.
            line += memchr_count(&marked.as_bytes()[counted..start]);
            counted = start;
            contexts.link(links.len());
            links.push(FileLink {
                kind,
                path,
                anchor,
                href: escape_href(&dest),
                line,
                context: String::new(),
            });
        }
    }
    for (n, context) in contexts.finish() {
        links[n].context = context;
    }
    links
}

/// The marker destinations in raw HTML's `href="…"` and `src="…"` attributes, with their
/// offsets.
fn html_markers(html: &str) -> impl Iterator<Item = (usize, &str)> {
    let hrefs = html.match_indices("href=\"vellum-");
    let images = html.match_indices("src=\"vellum-embed:");
    hrefs.chain(images).map(move |(at, _)| {
        let start = at + html[at..].find('"').map_or(0, |i| i + 1);
        let end = html[start..].find('"').map_or(html.len(), |i| start + i);
        (start, &html[start..end])
    })
}

/// Whether `text` may hold a file link at all (`.md`, `@/`, `{{`, `{%`, `[[`, `](/`, `]: /`):
/// the cheap test that spares most essays a parse: a few vectorised passes; `@`, `{` and `]`
/// are rare outside code and links.
fn may_link(text: &str) -> bool {
    static MD: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(".md"));
    let bytes = text.as_bytes();
    MD.find(bytes).is_some()
        || memchr::memmem::find(bytes, b"[[").is_some()
        || memchr::memchr2_iter(b'@', b'{', bytes).any(|at| {
            matches!(
                (bytes[at], bytes.get(at + 1)),
                (b'@', Some(b'/')) | (b'{', Some(b'{' | b'%'))
            )
        })
        || memchr::memchr_iter(b']', bytes).any(|at| {
            let rest = &bytes[at + 1..];
            let rest = rest.strip_prefix(b"(<").or_else(|| rest.strip_prefix(b"("));
            let rest =
                rest.or_else(|| Some(bytes[at + 1..].strip_prefix(b":")?.trim_ascii_start()));
            rest.is_some_and(is_site_path)
        })
}

/// `/x…`, not `//host/x`: a path on this site.
fn is_site_path(dest: &[u8]) -> bool {
    matches!(dest, [b'/', next, ..] if *next != b'/')
}

fn memchr_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// `href` as pulldown-cmark's HTML writer puts it in an attribute.
pub fn escape_href(href: &str) -> String {
    let mut out = String::with_capacity(href.len());
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_href(&mut out, href);
    out
}

const MARKERS: [(&str, LinkKind); 5] = [
    ("vellum-ref:", LinkKind::Ref),
    ("vellum-post:", LinkKind::PostUrl),
    ("vellum-link:", LinkKind::Link),
    (super::wikilinks::WIKI, LinkKind::Wiki),
    (super::wikilinks::EMBED, LinkKind::Embed),
];

/// What a destination names, if a file: (kind, path, anchor).
fn classify(dest: &str) -> Option<(LinkKind, String, Option<String>)> {
    let (kind, rest) = if let Some(path) = dest.strip_prefix("@/") {
        (LinkKind::Content, path)
    } else if let Some((kind, rest)) = MARKERS
        .iter()
        .find_map(|(prefix, kind)| Some((*kind, dest.strip_prefix(prefix)?)))
    {
        (kind, rest)
    } else if is_relative_md(dest) {
        (LinkKind::Relative, dest)
    } else if is_site_path(dest.as_bytes()) {
        (LinkKind::Site, dest.split('?').next().unwrap_or(dest))
    } else {
        return None;
    };
    let decode = |part: &str| {
        percent_encoding::percent_decode_str(part)
            .decode_utf8_lossy()
            .into_owned()
    };
    let (path, anchor) = match rest.split_once('#') {
        // A wikilink's anchor is a heading's text, encoded only to stand as a destination.
        Some((path, anchor)) if matches!(kind, LinkKind::Wiki | LinkKind::Embed) => {
            (path, Some(decode(anchor)))
        }
        Some((path, anchor)) => (path, Some(anchor.to_string())),
        None => (rest, None),
    };
    Some((kind, decode(path), anchor))
}

/// `x.md`, `../y.markdown#a`: a relative link to a Markdown file (not `/x.md`, not
/// `https://…/x.md`).
fn is_relative_md(dest: &str) -> bool {
    if dest.starts_with(['/', '#', '?']) || dest.is_empty() {
        return false;
    }
    let has_scheme = dest
        .split_once(':')
        .is_some_and(|(scheme, _)| !scheme.contains('/'));
    let path = dest.split(['#', '?']).next().unwrap_or_default();
    let lower = path.to_ascii_lowercase();
    !has_scheme && (lower.ends_with(".md") || lower.ends_with(".markdown"))
}

/// `text` with every Hugo `ref`/`relref` and Jekyll `post_url`/`link` that stands as a link
/// destination (`[x]({{< ref "y" >}})`, `[x]: {% post_url y %}`) written as a marker
/// destination, each on its own line still. Borrowed when there is none.
pub fn with_markers(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    if !memchr::memchr_iter(b'{', bytes).any(|at| matches!(bytes.get(at + 1), Some(b'{' | b'%'))) {
        return Cow::Borrowed(text);
    }
    let found = shortcodes(text);
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    let (code, html) = code_ranges(text);
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    let within = |ranges: &[Range<usize>], range: &Range<usize>| {
        ranges
            .iter()
            .any(|c| c.start < range.end && range.start < c.end)
    };
    for (range, marker) in found {
        // In raw HTML only an `href="…"` is a destination.
        let in_html = within(&html, &range);
        if within(&code, &range) || (in_html && !text[..range.start].ends_with("href=\"")) {
            continue;
        }
        out.push_str(&text[done..range.start]);
        out.push_str(&marker);
        done = range.end;
    }
    if done == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

/// Where code is in a text, worked out only when first asked: most texts with a `[[`, `%%` or
/// `==` hold no wikilink, comment or highlight to look at.
pub(super) struct LazyCode<'a> {
    text: &'a str,
    ranges: Option<Vec<Range<usize>>>,
}

impl<'a> LazyCode<'a> {
    pub(super) fn new(text: &'a str) -> LazyCode<'a> {
        LazyCode { text, ranges: None }
    }

    /// Whether the byte at `at` is in code.
    pub(super) fn holds(&mut self, at: usize) -> bool {
        let text = self.text;
        self.ranges
            .get_or_insert_with(|| code_ranges(text).0)
            .iter()
            .any(|c| c.contains(&at))
    }
}

/// Where code spans and code blocks are (shortcodes there are shown, not resolved), and where
/// raw HTML is (where only an `href` attribute is a destination).
pub(super) fn code_ranges(text: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let (mut code, mut html) = (Vec::new(), Vec::new());
    for (event, range) in Parser::new_ext(text, super::options()).into_offset_iter() {
        match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => code.push(range),
            Event::Html(_) | Event::InlineHtml(_) => html.push(range),
            _ => {}
        }
    }
    (code, html)
}

/// Every shortcode in a destination's place, with its replacement.
fn shortcodes(text: &str) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find('{').map(|i| from + i) {
        from = at + 1;
        let Some((end, marker)) = shortcode(&text[at..]) else {
            continue;
        };
        let Some(start) = destination_start(text, at) else {
            continue;
        };
        found.push((start..at + end, marker));
        from = at + end;
    }
    found
}

/// Jekyll sites write `{{ site.baseurl }}{% post_url x %}`: the prefix goes with the tag.
const BASE_URL_VARIABLES: [&str; 2] = ["site.baseurl", "site.url"];

/// Where the destination holding the shortcode at `at` starts (before any `{{ site.baseurl }}`),
/// or `None` when the shortcode is not where a destination is.
fn destination_start(text: &str, at: usize) -> Option<usize> {
    let mut start = at;
    // `{{ site.url }}{{ site.baseurl }}` before it.
    while let Some(before) = text[..start].strip_suffix("}}") {
        let open = before.rfind("{{")?;
        let inner = before[open + 2..].trim().trim_matches('-').trim();
        if !BASE_URL_VARIABLES.contains(&inner) {
            break;
        }
        start = open;
    }
    let before = &text[..start];
    let before = before.strip_suffix('<').unwrap_or(before);
    if before.ends_with("](") || before.ends_with("href=\"") {
        return Some(start);
    }
    // A link reference definition: `[label]: {% post_url x %}`.
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let line = line.trim_end();
    (line.trim_start().starts_with('[')
        && line.ends_with("]:")
        && line.len() - line.trim_start().len() < 4)
        .then_some(start)
}

/// A shortcode at the start of `text`: its length and its marker destination.
fn shortcode(text: &str) -> Option<(usize, String)> {
    let (kind, inner_start, close) = if let Some(rest) = text.strip_prefix("{{<") {
        (None, text.len() - rest.len(), ">}}")
    } else if let Some(rest) = text.strip_prefix("{{%") {
        (None, text.len() - rest.len(), "%}}")
    } else if let Some(rest) = text.strip_prefix("{%") {
        (Some(()), text.len() - rest.len(), "%}")
    } else {
        return None;
    };
    let line = &text[..text.find('\n').unwrap_or(text.len())];
    let close_at = line[inner_start..].find(close)? + inner_start;
    let inner = line[inner_start..close_at].trim().trim_matches('-').trim();
    let end = close_at + close.len();
    let (name, args) = inner.split_once(char::is_whitespace)?;
    let args = args.trim();
    let (prefix, arg) = match (kind, name) {
        (None, "ref" | "relref") => ("vellum-ref:", hugo_path(args)?),
        (Some(()), "post_url") => ("vellum-post:", jekyll_arg(args)?),
        (Some(()), "link") => ("vellum-link:", jekyll_arg(args)?),
        _ => return None,
    };
    Some((end, format!("{prefix}{}", encode(arg))))
}

/// The page a Hugo `ref` names: its first argument, or its `path=` argument.
fn hugo_path(args: &str) -> Option<&str> {
    let args = args.strip_prefix("path=").unwrap_or(args);
    let value = match args.chars().next()? {
        quote @ ('"' | '`') => {
            let rest = &args[1..];
            &rest[..rest.find(quote)?]
        }
        _ => args.split_whitespace().next()?,
    };
    (!value.is_empty()).then_some(value)
}

/// A Jekyll tag's one argument, when it is a literal (not a Liquid variable).
fn jekyll_arg(args: &str) -> Option<&str> {
    let arg = args.trim_matches(['"', '\'']);
    (!arg.is_empty() && !arg.contains(char::is_whitespace) && !arg.contains("{{")).then_some(arg)
}

/// What a path keeps as it is when it becomes a destination: letters, digits, `-._~` and `/`.
pub const PATH_SAFE: percent_encoding::AsciiSet = percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// `arg` as a destination: every byte that is not plainly safe in one percent-encoded, `#`
/// kept (it starts the anchor).
fn encode(arg: &str) -> String {
    const SAFE: &percent_encoding::AsciiSet = &PATH_SAFE
        .remove(b'#')
        .remove(b':')
        .remove(b'@')
        .remove(b'+')
        .remove(b',')
        .remove(b'=');
    percent_encoding::utf8_percent_encode(arg, SAFE).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(body: &str) -> Vec<(LinkKind, String, Option<String>, usize)> {
        scan(body, 0..body.len())
            .into_iter()
            .map(|l| (l.kind, l.path, l.anchor, l.line))
            .collect()
    }

    fn one(
        kind: LinkKind,
        path: &str,
        anchor: Option<&str>,
        line: usize,
    ) -> (LinkKind, String, Option<String>, usize) {
        (kind, path.to_string(), anchor.map(str::to_string), line)
    }

    #[test]
    fn every_form_is_found_on_its_line() {
        let body = "[a](@/blog/x%20y.md#part)\n\n[b](../other/y.md#a) [c](./z.MD)\n\n\
                    [d]({{< ref \"posts/w\" >}}) [e]({{% relref \"v.md#h\" %}})\n\
                    [f]({{ site.baseurl }}{% post_url 2014-09-02-x %}#s)\n\
                    [g]({%- link _posts/2014-09-02-x.md -%})\n\n[h]: {% post_url dir/2015-01-01-y %}\n\nSee [h].\n";
        assert_eq!(
            links(body),
            [
                one(LinkKind::Content, "blog/x y.md", Some("part"), 1),
                one(LinkKind::Relative, "../other/y.md", Some("a"), 3),
                one(LinkKind::Relative, "./z.MD", None, 3),
                one(LinkKind::Ref, "posts/w", None, 5),
                one(LinkKind::Ref, "v.md", Some("h"), 5),
                one(LinkKind::PostUrl, "2014-09-02-x", Some("s"), 6),
                one(LinkKind::Link, "_posts/2014-09-02-x.md", None, 7),
                one(LinkKind::PostUrl, "dir/2015-01-01-y", None, 11),
            ]
        );
    }

    /// Hugo runs shortcodes before Markdown, so a `ref` in raw HTML's `href` works there.
    #[test]
    fn a_ref_in_a_raw_html_href_is_a_link() {
        let body = "Intro.\n\n<center><a href=\"{{< ref \"tags/database\" >}}\" target=\"_self\">DB</a></center>\n\n\
                    Inline <a href=\"{{< relref \"x.md#h\" >}}\">x</a> and <b title=\"{{< ref \"y\" >}}\">y</b>.\n";
        assert_eq!(
            links(body),
            [
                one(LinkKind::Ref, "tags/database", None, 3),
                one(LinkKind::Ref, "x.md", Some("h"), 5),
            ]
        );
        let marked = with_markers(body);
        assert!(
            marked.contains("<a href=\"vellum-ref:tags/database\" target"),
            "{marked}"
        );
        assert!(marked.contains("title=\"{{< ref \"y\" >}}\""), "{marked}");
    }

    #[test]
    fn code_images_html_and_other_links_are_not_file_links() {
        let body = "`[a](@/x.md)` and `[d]({{< ref \"y\" >}})`\n\n```\n[b](x.md)\n[c]({% post_url 2014-01-01-x %})\n```\n\n\
                    ![pic](x.md) <a href=\"x.md\">x</a> [ext](https://github.com/a/README.md) [host](//x.org/a/) \
                    [pic](pic.png) [frag](#x) {{< ref \"bare\" >}}\n";
        assert_eq!(links(body), []);
        assert_eq!(
            with_markers(body),
            body,
            "code and bare shortcodes are left as written"
        );
    }

    /// Many sites link to their own pages by URL: those links are found too, for backlinks.
    #[test]
    fn links_by_this_sites_paths_are_found_with_their_sentences() {
        let body = "Intro. See [the other](/blog/other/#part) for more. Then.\n\n\
                    - an item with [a ref][r]\n\n[r]: /x.md?q=1\n";
        let found = scan(body, 0..body.len());
        let seen: Vec<_> = found
            .iter()
            .map(|l| {
                (
                    l.kind,
                    l.path.as_str(),
                    l.anchor.as_deref(),
                    l.context.as_str(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    LinkKind::Site,
                    "/blog/other/",
                    Some("part"),
                    "See the other for more."
                ),
                (LinkKind::Site, "/x.md", None, "an item with a ref"),
            ]
        );
    }

    #[test]
    fn markers_keep_lines_and_the_rest_of_the_text() {
        let text = "[a]({{< ref \"my post\" >}})\nx\n[b](<{% link about.md %}>)\n";
        assert_eq!(
            with_markers(text),
            "[a](vellum-ref:my%20post)\nx\n[b](<vellum-link:about.md>)\n"
        );
    }

    #[test]
    fn the_line_counts_from_the_start_of_the_file() {
        let text = "+++\ntitle = \"T\"\n+++\n\n[a](@/x.md)\n";
        let start = text.find("\n\n").unwrap() + 1;
        let found = scan(text, start..text.len());
        assert_eq!(found[0].line, 5);
        assert_eq!(found[0].href, "@/x.md");
        assert_eq!(found[0].written(), "@/x.md");
    }

    #[test]
    fn an_ordinary_essay_is_not_parsed() {
        assert!(!may_link(
            "Text with [a link](https://x.org/), a@b.c and `fn f() { {} }`.\n"
        ));
        for linking in [
            "[a](x.md)",
            "[a](@/x)",
            "{{< ref",
            "{% post_url",
            "x{{",
            "[a](/x/)",
            "[a]: /x/",
        ] {
            assert!(may_link(linking), "{linking}");
        }
    }
}
