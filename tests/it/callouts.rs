//! Callouts: GitHub's `> [!NOTE]` and Obsidian's `> [!kind] Title`, folding with `+` or `-`,
//! become titled boxes that hold any Markdown, other callouts included; both themes style
//! them.

use crate::support::*;

fn site(body: &str) -> Site {
    Site::new()
        .file(
            "vellum.toml",
            "title = \"C\"\nbase_url = \"https://example.com/\"\n",
        )
        .file("content/boxes.md", &essay("Boxes", "2024-01-01", body))
}

#[test]
fn each_github_kind_is_a_titled_note() {
    let mut body = String::new();
    for kind in ["NOTE", "Tip", "important", "WARNING", "CAUTION"] {
        body.push_str(&format!("> [!{kind}]\n> Body of {kind}.\n\n"));
    }
    let site = site(&body);
    site.build(&[]).success();
    let page = site.html("boxes/index.html");
    assert_eq!(
        attrs(&page, "article div.callout[role=note]", "class"),
        [
            "callout callout-note",
            "callout callout-tip",
            "callout callout-important",
            "callout callout-warning",
            "callout callout-caution"
        ]
    );
    assert_eq!(
        texts(&page, "article .callout > p.callout-title"),
        ["Note", "Tip", "Important", "Warning", "Caution"]
    );
    assert_eq!(
        texts(&page, "article .callout-tip > p:not(.callout-title)"),
        ["Body of Tip."]
    );
    assert_eq!(count(&page, "article blockquote"), 0);
    assert!(!only_text(&page, "article .essay-body").contains("[!"));
}

#[test]
fn obsidian_titles_and_folds() {
    let site = site(
        "> [!faq]- Why *fold* it?\n> Because it is long.\n\n\
         > [!example]+ Open by default\n> Shown.\n\n\
         > [!quote] Said once\n> Words.\n",
    );
    site.build(&[]).success();
    let page = site.html("boxes/index.html");
    assert_eq!(
        count(&page, "article details.callout.callout-faq:not([open])"),
        1
    );
    assert_eq!(
        count(&page, "article details.callout.callout-example[open]"),
        1
    );
    assert_eq!(
        texts(&page, "article details > summary.callout-title"),
        ["Why fold it?", "Open by default"]
    );
    assert_eq!(count(&page, "article summary.callout-title > em"), 1);
    assert_eq!(
        texts(&page, "article div.callout-quote > p.callout-title"),
        ["Said once"]
    );
}

#[test]
fn callouts_nest_and_hold_lists_code_and_footnotes() {
    let site = site(
        "> [!warning]\n> - one\n> - two\n>\n> ```\n> code\n> ```\n>\n\
         > > [!tip] Inner\n> > Inside.[^n]\n\n[^n]: A note.\n",
    );
    site.build(&[]).success();
    let page = site.html("boxes/index.html");
    assert_eq!(count(&page, "article .callout-warning > ul > li"), 2);
    assert_eq!(count(&page, "article .callout-warning pre"), 1);
    assert_eq!(
        texts(
            &page,
            "article .callout-warning > .callout-tip > .callout-title"
        ),
        ["Inner"]
    );
    // The reference inside became vellum's footnote markup, as anywhere else.
    assert_eq!(count(&page, "article .callout-tip sup#fnref-fn-n"), 1);
    assert_eq!(count(&page, "article .callout-tip .sidenote"), 1);
}

#[test]
fn both_themes_style_callouts_figures_and_cards_on_the_pages_that_have_them() {
    for theme in ["", "theme = \"broadsheet\"\n"] {
        let site = Site::new()
            .file(
                "vellum.toml",
                &format!("title = \"C\"\nbase_url = \"https://example.com/\"\n{theme}"),
            )
            .file(
                "content/a.md",
                &essay("A", "2024-01-01", "> [!note]\n> x\n"),
            )
            .file("content/b.md", &essay("B", "2024-01-02", "> a quote\n"))
            .file(
                "content/c.md",
                &essay(
                    "C",
                    "2024-01-03",
                    "![A map](/map.png \"The map\")\n\n{{ youtube(id=\"abc\") }}\n\n\
                     {% details(summary=\"More\") %}\nx\n{% end %}\n",
                ),
            );
        site.build(&[]).success();
        let sheets = |page: &str| -> String {
            attrs(&site.html(page), "link[rel=stylesheet]", "href")
                .iter()
                .map(|href| {
                    let path = href.trim_start_matches("https://example.com/");
                    site.read(path.split('?').next().unwrap_or_default())
                })
                .collect()
        };
        let css = sheets("a/index.html");
        for selector in [
            ".callout",
            ".callout-title",
            ".callout-tip",
            ".callout-caution",
        ] {
            assert!(css.contains(selector), "{theme}: no {selector}");
        }
        assert!(
            css.contains("@media print") && css.contains("prefers-color-scheme: dark"),
            "{theme}"
        );
        // Figures, folds and link cards are styled where they are, by the same sheet.
        let css = sheets("c/index.html");
        for selector in ["figcaption", "details:not(.callout)", ".video-card"] {
            assert!(css.contains(selector), "{theme}: no {selector}");
        }
        // A page without any of them does not load their styles.
        let css = sheets("b/index.html");
        assert!(
            !css.contains(".callout-title") && !css.contains(".video-card"),
            "{theme}"
        );
    }
}

#[test]
fn a_hundred_thousand_callout_lines_stay_linear_and_do_not_panic() {
    let body = "> [!note] a\n> > [!\n> [!tip]-\n\n".repeat(25_000);
    let site = site(&body);
    site.build(&[]).success();
    let page = site.html("boxes/index.html");
    assert_eq!(count(&page, "article div.callout-note"), 25_000);
}
