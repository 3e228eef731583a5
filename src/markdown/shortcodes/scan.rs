//! Finding calls in an essay's text: Zola's `{{ name(…) }}` and `{% name(…) %}…{% end %}`,
//! Hugo's `{{< name … >}}` and `{{% name … %}}` with their closing forms, Jekyll's
//! `{% include … %}`, `{% raw %}`, `{% highlight %}` and Liquid output `{{ … }}`; then pairing
//! openers with their closers into a tree of [`Node`]s.
//!
//! Cost stays linear in the text however hostile it is: each call ends at the first `}}` (or
//! `%}`) after it, found with a forward-only cursor, a call never spans a blank line, and the
//! end of a verbatim body (`{% endraw %}`) is looked for once.

use std::ops::Range;

/// A call as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind<'a> {
    /// `{{ name(args) }}`.
    ZolaInline { name: &'a str, args: &'a str },
    /// `{% name(args) %}`, opening a body that `{% end %}` closes.
    ZolaOpen { name: &'a str, args: &'a str },
    /// `{% end %}`.
    ZolaEnd,
    /// `{{< name args >}}` (`markdown` for `{{% … %}}`); `closing` for `{{< /name >}}`.
    Hugo {
        name: &'a str,
        args: &'a str,
        markdown: bool,
        closing: bool,
        self_closing: bool,
    },
    /// `{{</* name */>}}`: Hugo's way to show a call as text.
    HugoLiteral(&'a str),
    /// `{% include name.html args %}`.
    Include { name: &'a str, args: &'a str },
    /// `{{ expression }}`: Liquid output.
    Liquid(&'a str),
    /// A body taken as written: `{% raw %}`, `{% highlight lang %}` or Hugo's `highlight`,
    /// up to its closing tag. `info` is what follows the tag's name.
    Verbatim {
        tag: Verbatim,
        info: &'a str,
        body: Range<usize>,
    },
    /// `{% raw %}` or `{% endraw %}` inside code, where Jekyll drops them too.
    Strip,
    /// Any other `{% tag … %}`.
    Tag(&'a str),
}

/// Which verbatim body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbatim {
    Raw,
    JekyllHighlight,
    HugoHighlight,
    /// Hugo's `{{< raw >}}…{{< /raw >}}`: HTML, as written.
    HugoRaw,
}

/// One call and where it is in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token<'a> {
    pub range: Range<usize>,
    pub kind: Kind<'a>,
}

/// A call, with its body and the calls inside that when it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub open: Token<'a>,
    /// The body's text and the closing call's range.
    pub body: Option<(Range<usize>, Range<usize>)>,
    pub children: Vec<Node<'a>>,
    /// An opener whose closer never came.
    pub unclosed: bool,
}

impl Node<'_> {
    /// From the opener's start to the closer's end.
    pub fn range(&self) -> Range<usize> {
        match &self.body {
            Some((_, close)) => self.open.range.start..close.end,
            None => self.open.range.clone(),
        }
    }
}

/// Where the next `needle` at or after an offset is; offsets asked for never go back, so the
/// whole text is searched once.
struct Next<'n> {
    needle: &'n [u8],
    found: Option<usize>,
    exhausted: bool,
}

impl<'n> Next<'n> {
    fn new(needle: &'n [u8]) -> Self {
        Next {
            needle,
            found: None,
            exhausted: false,
        }
    }

    fn at_or_after(&mut self, bytes: &[u8], from: usize) -> Option<usize> {
        if let Some(found) = self.found
            && found >= from
        {
            return Some(found);
        }
        if self.exhausted || from > bytes.len() {
            return None;
        }
        self.found = memchr::memmem::find(&bytes[from..], self.needle).map(|i| from + i);
        self.exhausted = self.found.is_none();
        self.found
    }
}

/// Whether `text` may hold a call: a `{{` or a `{%`.
pub fn may_have_calls(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'{', bytes).any(|at| matches!(bytes.get(at + 1), Some(b'{' | b'%')))
}

/// Every call in `text` outside `code` (sorted, disjoint ranges), in order.
pub fn tokens<'a>(text: &'a str, code: &[Range<usize>]) -> Vec<Token<'a>> {
    let bytes = text.as_bytes();
    let (mut close_out, mut close_tag) = (Next::new(b"}}"), Next::new(b"%}"));
    let mut blank = Next::new(b"\n\n");
    let mut ends = [
        Next::new(b"endraw"),
        Next::new(b"endhighlight"),
        Next::new(b"/highlight"),
        Next::new(b"/raw"),
    ];
    let mut code = code.iter().peekable();
    let mut tokens = Vec::new();
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'{', &bytes[from..]).map(|i| from + i) {
        from = at + 1;
        let second = bytes.get(at + 1).copied();
        if !matches!(second, Some(b'{' | b'%')) {
            continue;
        }
        while code.peek().is_some_and(|c| c.end <= at) {
            code.next();
        }
        let in_code = code.peek().is_some_and(|c| c.start <= at);
        let (closer, len) = if second == Some(b'{') {
            (close_out.at_or_after(bytes, at + 2), 2)
        } else {
            (close_tag.at_or_after(bytes, at + 2), 2)
        };
        let Some(end) = closer.map(|c| c + len) else {
            continue;
        };
        if blank.at_or_after(bytes, at).is_some_and(|b| b < end) {
            continue;
        }
        let inner = &text[at + 2..end - 2];
        let token = if second == Some(b'{') {
            output(inner)
        } else {
            tag(inner)
        };
        let Some(kind) = token else { continue };
        if in_code {
            if matches!(kind, Kind::Tag("raw" | "endraw")) {
                tokens.push(Token {
                    range: at..end,
                    kind: Kind::Strip,
                });
                from = end;
            }
            continue;
        }
        let token = match kind {
            Kind::Tag(name) if verbatim(name).is_some() => {
                let (tag, info) = verbatim(name).unwrap_or((Verbatim::Raw, ""));
                let [raw, jekyll, _, _] = &mut ends;
                let finder = match tag {
                    Verbatim::JekyllHighlight => jekyll,
                    _ => raw,
                };
                match verbatim_end(bytes, end, tag, finder) {
                    Some(close) => Token {
                        range: at..close.end,
                        kind: Kind::Verbatim {
                            tag,
                            info,
                            body: end..close.start,
                        },
                    },
                    None => Token {
                        range: at..end,
                        kind: Kind::Tag(name),
                    },
                }
            }
            Kind::Hugo {
                name: name @ ("highlight" | "raw"),
                args,
                closing: false,
                self_closing: false,
                ..
            } => {
                let (tag, finder) = match name {
                    "raw" => (Verbatim::HugoRaw, &mut ends[3]),
                    _ => (Verbatim::HugoHighlight, &mut ends[2]),
                };
                match verbatim_end(bytes, end, tag, finder) {
                    Some(close) => Token {
                        range: at..close.end,
                        kind: Kind::Verbatim {
                            tag,
                            info: args,
                            body: end..close.start,
                        },
                    },
                    None => Token {
                        range: at..end,
                        kind,
                    },
                }
            }
            kind => Token {
                range: at..end,
                kind,
            },
        };
        from = token.range.end;
        tokens.push(token);
    }
    tokens
}

/// `raw`, or `highlight` and what follows it, as a verbatim tag.
fn verbatim(tag: &str) -> Option<(Verbatim, &str)> {
    let (name, rest) = split_word(tag);
    match name {
        "raw" if rest.is_empty() => Some((Verbatim::Raw, "")),
        "highlight" => Some((Verbatim::JekyllHighlight, rest)),
        _ => None,
    }
}

/// The closing tag of a verbatim body that starts at `from`: `{% endraw %}`,
/// `{% endhighlight %}` or `{{< /highlight >}}`, with Liquid's `-` trims allowed.
fn verbatim_end(
    bytes: &[u8],
    from: usize,
    tag: Verbatim,
    finder: &mut Next<'_>,
) -> Option<Range<usize>> {
    let mut at = from;
    loop {
        let word = finder.at_or_after(bytes, at)?;
        at = word + 1;
        let (open, close): (&[&[u8]], &[&[u8]]) = match tag {
            Verbatim::Raw | Verbatim::JekyllHighlight => (&[b"{%"], &[b"%}"]),
            Verbatim::HugoHighlight | Verbatim::HugoRaw => (&[b"{{<", b"{{%"], &[b">}}", b"%}}"]),
        };
        let before = &bytes[from..word];
        let start = before
            .iter()
            .rposition(|&b| b != b' ' && b != b'-')
            .map_or(from, |i| from + i + 1);
        let Some(opener) = open.iter().find(|o| bytes[..start].ends_with(o)) else {
            continue;
        };
        let word_end = word + finder.needle.len();
        let after = bytes[word_end..]
            .iter()
            .position(|&b| b != b' ' && b != b'-')
            .map_or(bytes.len(), |i| word_end + i);
        if let Some(closer) = close.iter().find(|c| bytes[after..].starts_with(c)) {
            return Some(start - opener.len()..after + closer.len());
        }
    }
}

/// What is between `{{` and `}}`.
fn output(inner: &str) -> Option<Kind<'_>> {
    if let Some(hugo) = inner.strip_prefix('<') {
        return hugo_call(hugo.strip_suffix('>')?, false);
    }
    if let Some(hugo) = inner.strip_prefix('%') {
        return hugo_call(hugo.strip_suffix('%')?, true);
    }
    let inner = trim_liquid(inner);
    if inner.is_empty() {
        return None;
    }
    match zola_call(inner) {
        Some((name, args)) => Some(Kind::ZolaInline { name, args }),
        None => Some(Kind::Liquid(inner)),
    }
}

/// What is between `{%` and `%}`.
fn tag(inner: &str) -> Option<Kind<'_>> {
    let inner = trim_liquid(inner);
    if inner.is_empty() {
        return None;
    }
    if inner == "end" {
        return Some(Kind::ZolaEnd);
    }
    if let Some((name, args)) = zola_call(inner) {
        return Some(Kind::ZolaOpen { name, args });
    }
    let (word, rest) = split_word(inner);
    if word == "include" {
        let (name, args) = split_word(rest);
        if !name.is_empty() {
            return Some(Kind::Include { name, args });
        }
    }
    Some(Kind::Tag(inner))
}

/// `name(args)`, the whole of `inner`.
fn zola_call(inner: &str) -> Option<(&str, &str)> {
    let open = inner.find('(')?;
    let name = inner[..open].trim_end();
    let args = inner[open + 1..].strip_suffix(')')?;
    is_name(name).then_some((name, args))
}

/// A Hugo call between its `<`/`>` (or `%`/`%`).
fn hugo_call(inner: &str, markdown: bool) -> Option<Kind<'_>> {
    let inner = inner.trim();
    if let Some(shown) = inner.strip_prefix("/*").and_then(|s| s.strip_suffix("*/")) {
        return Some(Kind::HugoLiteral(shown.trim()));
    }
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, inner),
    };
    let (self_closing, inner) = match inner.strip_suffix('/') {
        Some(rest) if !closing => (true, rest.trim_end()),
        _ => (false, inner),
    };
    let (name, args) = split_word(inner);
    is_name(name).then_some(Kind::Hugo {
        name,
        args,
        markdown,
        closing,
        self_closing,
    })
}

fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'))
}

/// Liquid's `{{-` and `-}}` only trim whitespace around the call.
fn trim_liquid(inner: &str) -> &str {
    let inner = inner.trim();
    let inner = inner.strip_prefix('-').unwrap_or(inner);
    let inner = inner.strip_suffix('-').unwrap_or(inner);
    inner.trim()
}

/// The first word and the rest, trimmed.
pub fn split_word(text: &str) -> (&str, &str) {
    let text = text.trim();
    match text.find(char::is_whitespace) {
        Some(at) => (&text[..at], text[at..].trim()),
        None => (text, ""),
    }
}

/// Frames open at once, at most: deeper openers stand alone (and are warned about), so that
/// taking apart frames whose closers cross costs each call a bounded number of moves.
const MAX_OPEN: usize = 16;

/// Pairs openers with closers: a Zola `{% name() %}` with the next unpaired `{% end %}`, a
/// Hugo opener with the next `{{< /name >}}` of its name. What is left unpaired stands alone.
pub fn tree(tokens: Vec<Token<'_>>) -> Vec<Node<'_>> {
    let closer_of = pair(&tokens);
    let mut is_closer = vec![false; tokens.len()];
    for &c in closer_of.iter().flatten() {
        is_closer[c] = true;
    }
    // Whether the frame a closer ends is on the stack.
    let mut framed = vec![false; tokens.len()];
    // Frames: an opener, the index of its closer, its children so far.
    let mut stack: Vec<(Node<'_>, usize)> = Vec::new();
    let mut top: Vec<Node<'_>> = Vec::new();
    for (i, token) in tokens.into_iter().enumerate() {
        let leaf = Node {
            open: token,
            body: None,
            children: Vec::new(),
            unclosed: false,
        };
        if is_closer[i] && framed[i] {
            // Frames opened inside and not closed there cross this one: they stand alone.
            while let Some((mut node, closer)) = stack.pop() {
                framed[closer] = false;
                if closer == i {
                    node.body = Some((node.open.range.end..leaf.open.range.start, leaf.open.range));
                    push(&mut stack, &mut top, node);
                    break;
                }
                let children = std::mem::take(&mut node.children);
                node.unclosed = true;
                push(&mut stack, &mut top, node);
                for child in children {
                    push(&mut stack, &mut top, child);
                }
            }
            continue;
        }
        match closer_of[i] {
            Some(closer) if stack.len() < MAX_OPEN => {
                framed[closer] = true;
                stack.push((leaf, closer));
            }
            Some(_) => {
                let mut leaf = leaf;
                leaf.unclosed = true;
                push(&mut stack, &mut top, leaf);
            }
            None => {
                let mut leaf = leaf;
                // A Zola opener without its `{% end %}`.
                leaf.unclosed = matches!(leaf.open.kind, Kind::ZolaOpen { .. });
                push(&mut stack, &mut top, leaf);
            }
        }
    }
    // Every frame's closer comes after it, so none is left open; but to be sure:
    while let Some((mut node, _)) = stack.pop() {
        let children = std::mem::take(&mut node.children);
        node.unclosed = true;
        push(&mut stack, &mut top, node);
        for child in children {
            push(&mut stack, &mut top, child);
        }
    }
    top
}

/// Adds `node` to the innermost open frame, or to the top level.
fn push<'a>(stack: &mut [(Node<'a>, usize)], top: &mut Vec<Node<'a>>, node: Node<'a>) {
    match stack.last_mut() {
        Some((frame, _)) => frame.children.push(node),
        None => top.push(node),
    }
}

/// The index of each opener's closer: Zola's `{% end %}` closes the nearest open Zola call,
/// Hugo's `{{< /name >}}` the nearest open call of its name.
fn pair(tokens: &[Token<'_>]) -> Vec<Option<usize>> {
    let mut closer_of = vec![None; tokens.len()];
    let mut zola: Vec<usize> = Vec::new();
    let mut hugo: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (i, token) in tokens.iter().enumerate() {
        match token.kind {
            Kind::ZolaOpen { .. } => zola.push(i),
            Kind::ZolaEnd => {
                if let Some(opener) = zola.pop() {
                    closer_of[opener] = Some(i);
                }
            }
            Kind::Hugo {
                name,
                closing,
                self_closing: false,
                ..
            } => {
                if !closing {
                    hugo.entry(name).or_default().push(i);
                } else if let Some(opener) = hugo.get_mut(name).and_then(Vec::pop) {
                    closer_of[opener] = Some(i);
                }
            }
            _ => {}
        }
    }
    closer_of
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind<'_>> {
        tokens(text, &[]).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn each_syntax_is_read() {
        assert_eq!(
            kinds("{{ yt(id=\"x\") }} {{< a \"b\" >}}{{% /a %}} {% include f.html k=1 %}"),
            vec![
                Kind::ZolaInline {
                    name: "yt",
                    args: "id=\"x\""
                },
                Kind::Hugo {
                    name: "a",
                    args: "\"b\"",
                    markdown: false,
                    closing: false,
                    self_closing: false
                },
                Kind::Hugo {
                    name: "a",
                    args: "",
                    markdown: true,
                    closing: true,
                    self_closing: false
                },
                Kind::Include {
                    name: "f.html",
                    args: "k=1"
                },
            ]
        );
        assert_eq!(
            kinds("{{ site.baseurl }}{%- end -%}{{< x />}}"),
            vec![
                Kind::Liquid("site.baseurl"),
                Kind::ZolaEnd,
                Kind::Hugo {
                    name: "x",
                    args: "",
                    markdown: false,
                    closing: false,
                    self_closing: true
                }
            ]
        );
    }

    #[test]
    fn a_verbatim_body_is_not_read_for_calls() {
        let text = "{% raw %}{{ x }}{% end %}{%- endraw -%} after";
        let t = tokens(text, &[]);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].range, 0..text.len() - " after".len());
        assert!(
            matches!(t[0].kind, Kind::Verbatim { tag: Verbatim::Raw, ref body, .. } if &text[body.clone()] == "{{ x }}{% end %}")
        );
    }

    #[test]
    fn pairs_nest_and_strays_stand_alone() {
        let text = "{% a() %}x{{< b >}}y{{< /b >}}{% end %}{{< c >}}{% end %}";
        let nodes = tree(tokens(text, &[]));
        assert_eq!(nodes.len(), 3);
        assert_eq!(nodes[0].children.len(), 1);
        assert!(nodes[0].children[0].body.is_some());
        assert!(nodes[1].body.is_none() && nodes[2].body.is_none());
    }

    #[test]
    fn an_unclosed_opener_gives_its_calls_back() {
        let nodes = tree(tokens("{% a() %} {{ b() }} {{ c() }}", &[]));
        assert_eq!(nodes.len(), 3);
        assert!(nodes[0].unclosed);
    }

    #[test]
    fn a_call_never_spans_a_blank_line() {
        assert!(kinds("{{ a\n\nb }}").is_empty());
    }
}
