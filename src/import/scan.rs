//! Finds what an essay's body asks of its old generator that vellum does not do: Hugo
//! shortcodes, Liquid tags and output, Zola shortcodes. Text inside fenced code blocks is an
//! example, not a use, and is skipped. Links that vellum resolves itself (`ref`, `relref`,
//! `post_url`, `link`) are not reported.

use super::Generator;

/// Each thing the body uses, described for the report (`Hugo shortcode \`youtube\``), in
/// order of first use, each once.
pub(crate) fn uses(body: &str, generator: Generator) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") {
            fence = Some("```");
            continue;
        }
        if trimmed.starts_with("~~~") {
            fence = Some("~~~");
            continue;
        }
        let mut add = |thing: String| {
            if !found.contains(&thing) {
                found.push(thing);
            }
        };
        match generator {
            Generator::Hugo => hugo(line, &mut add),
            Generator::Jekyll => liquid(line, &mut add),
            Generator::Zola => zola(line, &mut add),
        }
    }
    found
}

/// Whether vellum renders `thing` itself: a built-in shortcode, `highlight` and `raw`, and the
/// Liquid variables of `markdown::shortcodes::liquid`.
pub(crate) fn rendered(thing: &str) -> bool {
    let name = |prefix: &str| {
        thing
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix('`'))
    };
    if let Some(name) = name("Hugo shortcode `").or_else(|| name("Zola shortcode `")) {
        return name == "highlight"
            || name == "raw"
            || crate::theme::layers::builtin_shortcodes().contains(&name);
    }
    if let Some(tag) = name("Liquid tag `") {
        return tag == "highlight";
    }
    if let Some(output) = name("Liquid output `{{ ") {
        let output = output.trim_end_matches(" }}");
        return [
            "site.baseurl",
            "site.url",
            "site.title",
            "page.title",
            "page.url",
        ]
        .contains(&output);
    }
    false
}

/// The name that starts `text` after spaces (letters, digits, `_ - . /`).
fn name_at(text: &str) -> &str {
    let text = text.trim_start_matches([' ', '\t', '-']);
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/')))
        .unwrap_or(text.len());
    &text[..end]
}

fn hugo(line: &str, add: &mut impl FnMut(String)) {
    for open in ["{{<", "{{%"] {
        for (at, _) in line.match_indices(open) {
            let rest = line[at + 3..].trim_start();
            if rest.starts_with('/') {
                continue; // a closing tag, or a commented-out example `{{</* x */>}}`
            }
            let name = name_at(rest);
            if !name.is_empty() && !matches!(name, "ref" | "relref") {
                add(format!("Hugo shortcode `{name}`"));
            }
        }
    }
}

fn liquid(line: &str, add: &mut impl FnMut(String)) {
    for (at, _) in line.match_indices("{%") {
        let rest = &line[at + 2..];
        let name = name_at(rest);
        match name {
            "" | "post_url" | "link" | "raw" | "endraw" => {}
            "include" | "include_relative" => {
                let file = name_at(rest.trim_start_matches([' ', '-'])[name.len()..].trim_start());
                add(format!("Liquid {name} `{file}`"));
            }
            _ if name.starts_with("end") => {}
            _ => add(format!("Liquid tag `{name}`")),
        }
    }
    for (at, _) in line.match_indices("{{") {
        let name = name_at(&line[at + 2..]);
        if !name.is_empty() {
            add(format!("Liquid output `{{{{ {name} }}}}`"));
        }
    }
}

fn zola(line: &str, add: &mut impl FnMut(String)) {
    for open in ["{{", "{%"] {
        for (at, _) in line.match_indices(open) {
            let rest = line[at + 2..].trim_start();
            let name = name_at(rest);
            if !name.is_empty() && rest[name.len()..].trim_start().starts_with('(') {
                add(format!("Zola shortcode `{name}`"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_outside_code_blocks() {
        let body = "{{< youtube abc >}}\n```\n{{< figure >}}\n```\n{{% note %}}x{{% /note %}}\n\
                    {{< ref \"x\" >}} {{</* alert */>}}\n";
        assert_eq!(
            uses(body, Generator::Hugo),
            ["Hugo shortcode `youtube`", "Hugo shortcode `note`"]
        );
    }

    #[test]
    fn liquid_tags_includes_and_output() {
        let body = "{% include figure.html src=x %}\n{% highlight rust %}\nx\n{% endhighlight %}\n\
                    [a]({{ site.baseurl }}{% post_url 2014-01-01-a %})\n";
        assert_eq!(
            uses(body, Generator::Jekyll),
            [
                "Liquid include `figure.html`",
                "Liquid tag `highlight`",
                "Liquid output `{{ site.baseurl }}`"
            ]
        );
    }

    #[test]
    fn zola_shortcodes_inline_and_block() {
        let body =
            "{{ image(src=\"a\") }}\n{% note(kind=\"x\") %}\nbody\n{% end %}\n{{ not_a_call }}\n";
        assert_eq!(
            uses(body, Generator::Zola),
            ["Zola shortcode `image`", "Zola shortcode `note`"]
        );
    }
}
