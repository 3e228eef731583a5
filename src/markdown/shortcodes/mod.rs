//! Shortcodes and the Liquid of Jekyll posts, expanded before the Markdown is parsed.
//!
//! A call (see [`scan`] for the syntaxes of Zola, Hugo and Jekyll) names a template,
//! `templates/shortcodes/NAME.html` of the site or of its themes ([`Library`]). [`expand`]
//! renders each call outside code and puts a placeholder in its place: a call that has its
//! lines to itself becomes `<!--vellum-shortcode-N-->`, an HTML block, so its HTML is not
//! wrapped in `<p>`; a call within a sentence becomes `\u{E000}N\u{E001}` (private-use
//! characters, which Markdown leaves alone as text), so the sentence stays one paragraph.
//! [`fill`] puts the rendered HTML in place of the placeholders once the text is parsed. Smart punctuation never
//! sees a call's quotes, since the parser never sees the call.
//!
//! Some calls become text rather than HTML, because Markdown must read what they make:
//! Liquid output (`![x]({{ '/x.png' | relative_url }})` is an image only once its destination
//! has no spaces), `{% highlight %}` (a fenced code block, for the highlighter) and
//! `{% raw %}` (its body, as written). A call that names no template, or that fails to render,
//! is shown as its text (the braces as entities) and is a warning at its line: [`check`]
//! finds those when the essay is parsed, as `math::check` does. Lines outside calls stay where
//! they were.
//!
//! An essay without `{{` or `{%` costs one `memchr` pass.

pub mod args;
pub mod library;
pub mod liquid;
pub mod scan;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, Parser, Tag};
use serde::Serialize;
use tera::Context;

pub use library::{Library, Settings};
use scan::{Kind, Node, Verbatim};

/// What expanding an essay's calls needs: the site's templates and the page's own values.
/// Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// `None`: calls are left as written (the `markdown` filter, tests).
    pub library: Option<Arc<Library>>,
    /// `page.title` and `page.url` (below the base path), for Liquid and templates.
    pub page: Arc<(String, String)>,
}

/// A problem with a call, at an offset of the expanded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
}

/// A text with its calls expanded, and the HTML each placeholder stands for.
#[derive(Debug, Default)]
pub struct Expanded<'a> {
    pub text: Cow<'a, str>,
    pub outputs: Vec<String>,
    pub problems: Vec<Problem>,
}

const PLACEHOLDER: &str = "<!--vellum-shortcode-";
const PLACEHOLDER_END: &str = "-->";
/// An inline call's placeholder: these around its number.
const INLINE: char = '\u{E000}';
const INLINE_END: char = '\u{E001}';

/// Calls nested deeper than this are shown as text: a body is expanded once per level.
const MAX_DEPTH: usize = 16;

/// `text` with its calls expanded (see the module notes).
pub fn expand<'a>(text: &'a str, scope: &Scope) -> Expanded<'a> {
    let unchanged = || Expanded {
        text: Cow::Borrowed(text),
        ..Expanded::default()
    };
    let Some(library) = scope.library.as_deref() else {
        return unchanged();
    };
    if !scan::may_have_calls(text) {
        return unchanged();
    }
    let (code, comments) = code_and_comments(text);
    let nodes = scan::tree(scan::tokens(text, &code));
    if nodes.is_empty() {
        return unchanged();
    }
    let mut vars = library.vars.clone();
    vars.page_title.clone_from(&scope.page.0);
    vars.page_url.clone_from(&scope.page.1);
    let mut expander = Expander {
        text,
        library,
        vars,
        outputs: Vec::new(),
        problems: Vec::new(),
        comments,
    };
    let out = expander.splice(0..text.len(), &nodes, 0);
    let comments = expander.comments;
    let mut problems = expander.problems;
    problems.retain(|p| !within(&comments, p.offset));
    Expanded {
        text: Cow::Owned(out),
        outputs: expander.outputs,
        problems,
    }
}

/// Puts each call's HTML in place of its placeholder, in the parsed events: a block call's
/// comment in an HTML event, an inline call's characters in text, which is split there.
pub fn fill<'a>(events: &mut Vec<Event<'a>>, outputs: &[String]) {
    if outputs.is_empty() {
        return;
    }
    let mut out = Vec::with_capacity(events.len() + outputs.len() * 2);
    for event in events.drain(..) {
        match event {
            Event::Html(html) if has_placeholder(&html) => {
                out.push(Event::Html(fill_str(&html, outputs, 0).into()));
            }
            Event::InlineHtml(html) if has_placeholder(&html) => {
                out.push(Event::InlineHtml(fill_str(&html, outputs, 0).into()));
            }
            Event::Text(text) if text.contains(INLINE) => {
                let mut rest: &str = &text;
                while let Some((at, index, after)) = next_inline(rest) {
                    if at > 0 {
                        out.push(Event::Text(CowStr::from(rest[..at].to_string())));
                    }
                    let html = outputs
                        .get(index)
                        .map_or_else(String::new, |o| fill_str(o, outputs, 1));
                    out.push(Event::InlineHtml(html.into()));
                    rest = &rest[after..];
                }
                if !rest.is_empty() {
                    out.push(Event::Text(CowStr::from(rest.to_string())));
                }
            }
            other => out.push(other),
        }
    }
    *events = out;
}

fn has_placeholder(html: &str) -> bool {
    html.contains(PLACEHOLDER) || html.contains(INLINE)
}

/// The next inline placeholder in `text`: where it starts, its number, where it ends.
fn next_inline(text: &str) -> Option<(usize, usize, usize)> {
    let mut from = 0;
    while let Some(at) = text[from..].find(INLINE).map(|i| from + i) {
        let digits_at = at + INLINE.len_utf8();
        let digits = text[digits_at..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let end = digits_at + digits;
        if digits > 0 && text[end..].starts_with(INLINE_END) {
            let index = text[digits_at..end].parse().ok()?;
            return Some((at, index, end + INLINE_END.len_utf8()));
        }
        from = digits_at;
    }
    None
}

/// `html` with its placeholders filled, and theirs (a body's calls are inside its call's
/// HTML, as placeholders still).
fn fill_str(html: &str, outputs: &[String], depth: usize) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let block = rest.find(PLACEHOLDER);
        let inline = next_inline(rest);
        let (at, index, after) = match (block, inline) {
            (Some(b), Some((i, _, _))) if b < i => block_at(rest, b),
            (Some(b), None) => block_at(rest, b),
            (_, Some(found)) => found,
            (None, None) => break,
        };
        out.push_str(&rest[..at]);
        match outputs.get(index) {
            Some(output) if depth < MAX_DEPTH => {
                out.push_str(&fill_str(output, outputs, depth + 1))
            }
            _ => out.push_str(&rest[at..after]),
        }
        rest = &rest[after..];
    }
    out.push_str(rest);
    out
}

/// The block placeholder at `at` of `text`: where it starts, its number (`usize::MAX` if it
/// is not one), where it ends.
fn block_at(text: &str, at: usize) -> (usize, usize, usize) {
    let digits_at = at + PLACEHOLDER.len();
    let digits = text[digits_at..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    let end = digits_at + digits;
    match text[end..].starts_with(PLACEHOLDER_END) {
        true => (
            at,
            text[digits_at..end].parse().unwrap_or(usize::MAX),
            end + PLACEHOLDER_END.len(),
        ),
        false => (at, usize::MAX, digits_at),
    }
}

/// The calls' problems in the essay whose whole file is `text` and body `body`, with their
/// lines in the file. Found when the essay is parsed, since its body is rendered only when a
/// page needs it.
pub fn check(text: &str, body: Range<usize>, scope: &Scope) -> Vec<(usize, String)> {
    // As rendering sees it: links to files written as markers first, each on its line still.
    let body_text = super::file_links::with_markers(&text[body.clone()]);
    let expanded = expand(&body_text, scope);
    let first_line = crate::error::line_of(text, body.start);
    let mut problems = expanded.problems;
    problems.sort_by_key(|p| p.offset);
    let (mut line, mut counted) = (first_line, 0);
    problems
        .into_iter()
        .map(|p| {
            line += memchr::memchr_iter(b'\n', &body_text.as_bytes()[counted..p.offset]).count();
            counted = p.offset;
            (line, p.message)
        })
        .collect()
}

/// Code spans and blocks, where calls are shown as written (but for `{% raw %}`'s tags); and
/// HTML comments, where a writer has put calls away: they are expanded (they would be counted
/// as markup left in the page otherwise) but not warned about, and never as an HTML block,
/// whose placeholder would end the comment early.
fn code_and_comments(text: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let (mut code, mut comments) = (Vec::new(), Vec::new());
    for (event, range) in Parser::new_ext(text, super::options()).into_offset_iter() {
        match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => code.push(range),
            Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_)
                if text[range.clone()].trim_start().starts_with("<!--") =>
            {
                comments.push(range)
            }
            _ => {}
        }
    }
    code.sort_by_key(|r| r.start);
    comments.sort_by_key(|r| r.start);
    (code, comments)
}

/// Whether `at` is in one of `ranges` (sorted, disjoint).
fn within(ranges: &[Range<usize>], at: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= at);
    ranges.get(i).is_some_and(|r| r.start <= at)
}

/// What a call becomes.
enum Output {
    /// Text for Markdown to read.
    Text(String),
    /// HTML, behind a placeholder.
    Html(String),
}

struct Expander<'t> {
    text: &'t str,
    library: &'t Library,
    vars: liquid::Vars,
    outputs: Vec<String>,
    problems: Vec<Problem>,
    /// HTML comments (see [`code_and_comments`]).
    comments: Vec<Range<usize>>,
}

impl Expander<'_> {
    /// The text of `range` with `nodes` (the calls in it) expanded.
    fn splice(&mut self, range: Range<usize>, nodes: &[Node<'_>], depth: usize) -> String {
        let mut out = String::with_capacity(range.len() + 64);
        let mut done = range.start;
        for node in nodes {
            let whole = node.range();
            out.push_str(&self.text[done..whole.start]);
            match self.output(node, depth) {
                Output::Text(text) => out.push_str(&text),
                Output::Html(html) => {
                    let n = self.outputs.len();
                    self.outputs.push(html);
                    if is_block(self.text, &whole) && !within(&self.comments, whole.start) {
                        out.push_str(&format!("{PLACEHOLDER}{n}{PLACEHOLDER_END}"));
                        // Its lines stay lines, so what follows stays where it was.
                        let lines = memchr::memchr_iter(b'\n', self.text[whole.clone()].as_bytes());
                        out.extend(lines.map(|_| '\n'));
                    } else {
                        out.push_str(&format!("{INLINE}{n}{INLINE_END}"));
                    }
                }
            }
            done = whole.end;
        }
        out.push_str(&self.text[done..range.end]);
        out
    }

    fn output(&mut self, node: &Node<'_>, depth: usize) -> Output {
        let at = node.open.range.start;
        if depth >= MAX_DEPTH {
            self.problem(at, "calls are nested too deeply; this one is shown as text");
            return self.missing(node, depth);
        }
        if node.unclosed {
            let message = match node.open.kind {
                Kind::ZolaOpen { name, .. } => {
                    format!("`{{% {name}(…) %}}` has no `{{% end %}}`; it is shown as text")
                }
                _ => format!("`{}` is not closed; it is shown as text", self.source(node)),
            };
            self.problem(at, &message);
            return self.missing(node, depth);
        }
        match &node.open.kind {
            Kind::Liquid(expr) => match liquid::eval(expr, &self.vars) {
                Some(value) => Output::Text(value),
                None => {
                    self.problem(
                        at,
                        &format!("`{{{{ {expr} }}}}` is Liquid vellum does not know (it knows site.baseurl, site.url, site.title, page.title, page.url and the relative_url, absolute_url, prepend and append filters); it is shown as text"),
                    );
                    self.missing(node, depth)
                }
            },
            Kind::Verbatim {
                tag: Verbatim::HugoRaw,
                body,
                ..
            } => Output::Html(self.text[body.clone()].to_string()),
            Kind::Verbatim { tag, info, body } => {
                Output::Text(self.verbatim(*tag, info, body.clone()))
            }
            Kind::Strip => Output::Text(String::new()),
            Kind::HugoLiteral(shown) => {
                let open = if self.text[at..].starts_with("{{%") {
                    '%'
                } else {
                    '<'
                };
                let close = if open == '%' { '%' } else { '>' };
                Output::Html(html_text(&format!("{{{{{open} {shown} {close}}}}}")))
            }
            Kind::ZolaInline { name, args } | Kind::ZolaOpen { name, args } => {
                self.call(node, name, args, false, depth)
            }
            Kind::Include { name, args } => self.call(node, name, args, false, depth),
            Kind::Hugo {
                name,
                args,
                markdown,
                closing: false,
                ..
            } => self.call(node, name, args, *markdown, depth),
            Kind::Hugo { name, .. } => {
                self.problem(
                    at,
                    &format!(
                        "`{}` closes no `{name}`; it is shown as text",
                        self.source(node)
                    ),
                );
                self.missing(node, depth)
            }
            Kind::ZolaEnd => {
                self.problem(at, "`{% end %}` closes nothing; it is shown as text");
                self.missing(node, depth)
            }
            Kind::Tag(tag) => {
                let (word, _) = scan::split_word(tag);
                if matches!(word, "post_url" | "link") {
                    // `file_links` resolves these as link destinations; elsewhere Jekyll
                    // would print the URL, which vellum does not know before collect.
                    self.problem(
                        at,
                        &format!("`{{% {word} %}}` works only as a link's destination here; it is shown as text"),
                    );
                } else {
                    self.problem(
                        at,
                        &format!("`{{% {word} %}}` is a Liquid tag vellum does not know; it is shown as text"),
                    );
                }
                self.missing(node, depth)
            }
        }
    }

    /// A call of the template `name`.
    fn call(
        &mut self,
        node: &Node<'_>,
        name: &str,
        args: &str,
        markdown: bool,
        depth: usize,
    ) -> Output {
        let at = node.open.range.start;
        let Some(template) = self.library.template(name) else {
            if self.library.is_broken(name) {
                self.problem(
                    at,
                    &format!("shortcode `{name}`: its template could not be compiled (see the warning for it); it is shown as text"),
                );
                return self.missing(node, depth);
            }
            let hint = if matches!(name, "ref" | "relref") {
                " (a `ref` works only as a link's destination)"
            } else {
                ""
            };
            self.problem(
                at,
                &format!("unknown shortcode `{name}`: no templates/shortcodes/{}.html in the site or its theme{hint}; it is shown as text", name.strip_suffix(".html").unwrap_or(name)),
            );
            return self.missing(node, depth);
        };
        let vars = self.vars.clone();
        let args = match args::parse(args, &|word| liquid::eval(word, &vars)) {
            Ok(args) => args,
            Err(message) => {
                self.problem(
                    at,
                    &format!("shortcode `{name}`: {message}; it is shown as text"),
                );
                return self.missing(node, depth);
            }
        };
        let body = node
            .body
            .as_ref()
            .map(|(body, _)| self.splice(body.clone(), &node.children, depth + 1));
        let inline = !is_block(self.text, &node.range());
        let context = self.context(&args, body.as_deref(), inline);
        match self.library.render(&template, &context) {
            Ok(html) if markdown => {
                // Hugo's `{{% %}}`: what the template makes is Markdown.
                let html = super::render_inline(&html);
                Output::Html(if is_block(self.text, &node.range()) {
                    html
                } else {
                    strip_paragraph(&html).to_string()
                })
            }
            Ok(html) => Output::Html(html),
            Err(message) => {
                self.problem(
                    at,
                    &format!(
                        "shortcode `{name}` (templates/{template}): {message}; it is shown as text"
                    ),
                );
                self.missing(node, depth)
            }
        }
    }

    /// What a template sees: each named argument by its name (Zola), the positional ones as
    /// `args` (Hugo), all named ones as `include` (Jekyll), the `body`, `inline`, and `page`
    /// and `site`.
    /// `inline` says whether the call stands within a sentence, where a template should make
    /// phrasing content (a `<span>`, not a `<p>`).
    fn context(&self, args: &args::Args, body: Option<&str>, inline: bool) -> Context {
        #[derive(Serialize)]
        struct Site<'a> {
            baseurl: &'a str,
            url: &'a str,
            title: &'a str,
            embed_videos: bool,
        }
        #[derive(Serialize)]
        struct Page<'a> {
            title: &'a str,
            url: &'a str,
        }
        let mut context = Context::new();
        let mut include = std::collections::BTreeMap::new();
        for (key, value) in &args.named {
            context.insert(key.clone(), value);
            include.insert(key.as_str(), value);
        }
        context.insert("args", &args.positional);
        context.insert("inline", &inline);
        context.insert("include", &include);
        if let Some(body) = body {
            context.insert("body", body);
        }
        context.insert(
            "page",
            &Page {
                title: &self.vars.page_title,
                url: &self.vars.page_url,
            },
        );
        context.insert(
            "site",
            &Site {
                baseurl: &self.vars.baseurl,
                url: &self.vars.url,
                title: &self.vars.site_title,
                embed_videos: self.library.embed_videos,
            },
        );
        context
    }

    /// `{% raw %}`'s body, or a highlight as a fenced code block with its language and
    /// options in the info string: `{% highlight py linenos %}` gives `py linenos`, Hugo's
    /// `{{< highlight go "linenos=table,hl_lines=8" >}}` gives `go {linenos=table,hl_lines=[8]}`.
    fn verbatim(&self, tag: Verbatim, info: &str, body: Range<usize>) -> String {
        let body_text = &self.text[body];
        let info = match tag {
            Verbatim::Raw | Verbatim::HugoRaw => return body_text.to_string(),
            Verbatim::JekyllHighlight => info.trim().to_string(),
            Verbatim::HugoHighlight => hugo_info(info),
        };
        let longest = body_text
            .split(|c| c != '`')
            .map(str::len)
            .max()
            .unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        let code = body_text.strip_prefix('\n').unwrap_or(body_text);
        let code = code.strip_prefix("\r\n").unwrap_or(code);
        let mut out = format!("{fence}{info}\n{code}");
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&fence);
        out
    }

    /// The call as written, shown as text, with its body's Markdown rendered between its tags.
    fn missing(&mut self, node: &Node<'_>, depth: usize) -> Output {
        let block = is_block(self.text, &node.range());
        let tag = if block { "p" } else { "span" };
        let shown = |source: &str| {
            format!(
                "<{tag} class=\"shortcode-missing\">{}</{tag}>",
                html_text(source)
            )
        };
        let mut html = shown(&self.text[node.open.range.clone()]);
        if let Some((body, close)) = &node.body {
            let body = self.splice(body.clone(), &node.children, depth + 1);
            let inner = super::render_inline(&body);
            html.push_str(if block {
                &inner
            } else {
                strip_paragraph(&inner)
            });
            html.push_str(&shown(&self.text[close.clone()]));
        }
        Output::Html(html)
    }

    fn source(&self, node: &Node<'_>) -> String {
        self.text[node.open.range.clone()].to_string()
    }

    fn problem(&mut self, offset: usize, message: &str) {
        self.problems.push(Problem {
            offset,
            message: message.to_string(),
        });
    }
}

/// Hugo's highlight options (`"linenos=table,hl_lines=8 15-17"`) as a fence's `{…}`.
fn hugo_info(args: &str) -> String {
    let (lang, options) = scan::split_word(args);
    let options = options.trim_matches(|c| c == '"' || c == '\'');
    if options.is_empty() {
        return lang.to_string();
    }
    let options: Vec<String> = options
        .split(',')
        .map(|option| match option.trim().split_once('=') {
            Some(("hl_lines", lines)) => {
                let lines: Vec<String> = lines
                    .split_whitespace()
                    .map(|l| match l.parse::<u32>() {
                        Ok(n) => n.to_string(),
                        Err(_) => format!("\"{l}\""),
                    })
                    .collect();
                format!("hl_lines=[{}]", lines.join(","))
            }
            _ => option.trim().to_string(),
        })
        .collect();
    format!("{lang} {{{}}}", options.join(","))
}

/// Whether `range` has its lines to itself: nothing but spaces (or a quote's `>`) before it
/// on its first line, nothing but spaces after it on its last. Looks no further than those
/// spaces, so a line of a thousand calls costs no more than reading it.
fn is_block(text: &str, range: &Range<usize>) -> bool {
    let bytes = text.as_bytes();
    let before = bytes[..range.start]
        .iter()
        .rev()
        .find(|&&b| !matches!(b, b' ' | b'\t' | b'>'));
    let after = bytes[range.end..]
        .iter()
        .find(|&&b| !matches!(b, b' ' | b'\t' | b'\r'));
    matches!(before, None | Some(b'\n')) && matches!(after, None | Some(b'\n'))
}

fn strip_paragraph(html: &str) -> &str {
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner,
        _ => html,
    }
}

/// `text` escaped for HTML, with braces as entities: shown, never read as a call again.
fn html_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            '%' => out.push_str("&#37;"),
            c => out.push(c),
        }
    }
    out
}
