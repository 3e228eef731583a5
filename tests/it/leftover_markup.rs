//! `vellum check`'s `leftover-markup` lint: shortcodes, Liquid, kramdown attribute lists and
//! `$$` that reached the page as text fail the check, each at its line in the essay; the same
//! markup in code is what the writer meant to show and is left alone. (The attribute list
//! here has a blank line on each side: nothing for it to go to, so readers see it.)

use crate::support::*;
use serde_json::Value;

const ESSAY: &str = "+++
title = \"Leftovers\"
date = 2026-01-01
description = \"What was left.\"
+++

See {{< unknown \"x\" >}} here.


{: .wide}

An unclosed $$\\frac{a}{b} formula.

This site is {{ site.foo }}, and {{ site.bar }} again.

Shown on purpose: `{{ site.url }}`, `{% raw %}`, `{: .x}` and `$$`.

```liquid
{% raw %}{{ page.title }}{% endraw %}
{: .class}
```

Closed math is fine: $$x^2$$ and $y$.
";

fn site(config: &str) -> Site {
    Site::new()
        .file(
            "vellum.toml",
            &format!("title = \"L\"\nbase_url = \"https://example.com/\"\n{config}"),
        )
        .file("content/left.md", ESSAY)
}

/// (line, severity, message) of each leftover-markup problem in a JSON report.
fn leftovers(run: &Run) -> Vec<(Option<u64>, String, String)> {
    let report: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON: {e}\n{run}"));
    report["problems"]
        .as_array()
        .expect("a problems array")
        .iter()
        .filter(|p| p["kind"] == "leftover-markup")
        .map(|p| {
            assert_eq!(p["file"], "content/left.md");
            (
                p["line"].as_u64(),
                p["severity"].as_str().unwrap_or_default().to_string(),
                p["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn each_kind_of_leftover_fails_the_check_at_its_line_and_code_is_left_alone() {
    let site = site("");
    let run = site.vellum(&["check", "--format", "json"]).failure();
    let found = leftovers(&run);
    let lines: Vec<Option<u64>> = found.iter().map(|(line, _, _)| *line).collect();
    assert_eq!(
        lines,
        [Some(7), Some(10), Some(12), Some(14), Some(14)],
        "{run}"
    );
    assert!(
        found.iter().all(|(_, severity, _)| severity == "error"),
        "{run}"
    );
    for (fragment, (_, _, message)) in [
        // Quotes in a call are never curled (see shortcodes.rs).
        "`{{< unknown \"x\" >}}`",
        "`{: .wide}`",
        "`$$\\frac{a}{b} formula.`",
        "`{{ site.bar }}`",
        "`{{ site.foo }}`",
    ]
    .iter()
    .zip(&found)
    {
        assert!(message.starts_with(fragment), "{fragment} in {message}");
    }
    let human = site.vellum(&["check"]).failure();
    assert!(
        human
            .stdout
            .contains("content/left.md:7: error[leftover-markup]: `{{< unknown \"x\" >}}`"),
        "{human}"
    );
}

#[test]
fn leftover_markup_warns_when_the_site_says_so() {
    let run = site("[check]\nwarn = [\"leftover-markup\"]\n")
        .vellum(&["check", "--format", "json"])
        .success();
    let found = leftovers(&run);
    assert_eq!(found.len(), 5, "{run}");
    assert!(
        found.iter().all(|(_, severity, _)| severity == "warning"),
        "{run}"
    );

    // A lint named wins over "all" (the unknown calls are also the shortcode lint's).
    site("[check]\ndeny = [\"all\"]\nwarn = [\"leftover-markup\", \"shortcode\"]\n")
        .vellum(&["check"])
        .success();
    site("[check]\nwarn = [\"all\"]\n")
        .vellum(&["check"])
        .success();
    let run = site("[check]\nwarn = [\"leftover-markpu\"]\n")
        .vellum(&["check"])
        .no_panic();
    assert!(
        run.stderr.contains("did you mean `leftover-markup`?"),
        "{run}"
    );
}

/// A passage the writer commented out is not published: not in the page, not in its summary
/// on the home page, not in the feed. So markup inside it (a kramdown list under an old
/// figure, here) is no leftover either, and `<!-- more -->` still ends the summary.
#[test]
fn commented_out_passages_are_not_published_and_are_not_leftovers() {
    let body = "Opening paragraph. <!-- an aside to myself -->\n\n\
                <!-- ![old figure](old.png)\n{: style=\"width: 100%;\" class=\"center\"}\n\
                A private first draft. -->\n\n\
                Second paragraph.\n\n<!-- more -->\n\nAfter the fold.\n";
    let site = Site::new()
        .file(
            "vellum.toml",
            "title = \"C\"\nbase_url = \"https://example.com/\"\n",
        )
        .file("content/hidden.md", &essay("Hidden", "2026-01-02", body));
    site.build(&[]).success();
    site.vellum(&["check"]).success();
    let page = site.read("hidden/index.html");
    let home = site.read("index.html");
    let feed = site.read("atom.xml");
    for (name, text) in [("page", &page), ("home", &home), ("feed", &feed)] {
        for secret in [
            "private first draft",
            "an aside to myself",
            "old figure",
            "{:",
        ] {
            assert!(!text.contains(secret), "{name} shows {secret:?}");
        }
    }
    assert!(page.contains("After the fold."));
    assert!(home.contains("Second paragraph."));
    assert!(
        !home.contains("After the fold."),
        "the summary ends at <!-- more -->"
    );
}
