//! The default theme's typography, where the HTML carries it (issue 13): the `lede` and
//! `plain_prose` options of its `theme.toml`, the current section marked in the navigation,
//! and printed URLs kept to links that leave the site. The browser suite
//! (`tests/browser/typography.mjs`) checks how these look.

use crate::support::{Site, only_text, select, texts};

const CONFIG: &str = "title = \"Options\"\nbase_url = \"https://example.test/\"\n";

fn site(extra: &str) -> Site {
    Site::new()
        .file("vellum.toml", &format!("{CONFIG}{extra}"))
        .file(
            "content/walk.md",
            "+++\ntitle = \"A Walk\"\ndate = 2026-01-02\ntags = [\"walks\"]\n+++\n\nOut [to the hill](https://example.test/hill/) and [further](https://elsewhere.test/).\n",
        )
        .file(
            "content/notes.txt",
            "Notes\n\nA first line of plain prose, long enough to be a paragraph.\nA second line.\n",
        )
        .file(
            "content/about.md",
            "+++\ntitle = \"About\"\nlayout = \"page\"\nmenu = \"main\"\n+++\n\nWho writes.\n",
        )
}

/// The classes of the essay's body on `page`.
fn body_classes(site: &Site, page: &str) -> Vec<String> {
    let doc = site.html(page);
    let body = select(&doc, ".essay-body");
    assert_eq!(body.len(), 1, "one .essay-body on {page}");
    body[0].value().classes().map(str::to_owned).collect()
}

#[test]
fn an_essay_opens_in_small_caps_unless_the_site_says_otherwise() {
    let default = site("");
    default.build(&[]).success();
    assert!(body_classes(&default, "walk/index.html").contains(&"lede-small-caps".to_owned()));

    for (setting, class) in [
        ("\"drop-cap\"", Some("lede-drop-cap")),
        ("\"none\"", None),
        ("false", None),
    ] {
        let s = site(&format!("\n[extra]\nlede = {setting}\n"));
        s.build(&[]).success();
        let classes = body_classes(&s, "walk/index.html");
        let ledes: Vec<&String> = classes.iter().filter(|c| c.starts_with("lede-")).collect();
        assert_eq!(
            ledes.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            class.into_iter().collect::<Vec<_>>(),
            "lede = {setting}"
        );
    }
}

#[test]
fn a_plain_essay_is_set_as_book_prose_by_default_and_a_markdown_one_is_not() {
    let default = site("");
    default.build(&[]).success();
    assert!(body_classes(&default, "notes/index.html").contains(&"plain-indented".to_owned()));
    assert!(
        !body_classes(&default, "walk/index.html")
            .iter()
            .any(|c| c.starts_with("plain-")),
        "a Markdown essay keeps its paragraph gaps"
    );

    let spaced = site("\n[extra]\nplain_prose = \"spaced\"\n");
    spaced.build(&[]).success();
    assert!(body_classes(&spaced, "notes/index.html").contains(&"plain-spaced".to_owned()));
}

#[test]
fn the_navigation_marks_the_section_of_every_page() {
    let site = site("");
    site.build(&[]).success();
    for (page, current) in [
        ("index.html", "Essays"),
        ("walk/index.html", "Essays"),
        ("notes/index.html", "Essays"),
        ("archive/index.html", "Archive"),
        ("tags/index.html", "Tags"),
        ("tags/walks/index.html", "Tags"),
        ("about/index.html", "About"),
    ] {
        let doc = site.html(page);
        assert_eq!(
            texts(&doc, "header nav [aria-current=\"page\"]"),
            [current],
            "{page}"
        );
    }
}

#[test]
fn printed_urls_are_kept_to_links_that_leave_the_site() {
    let site = site("");
    site.build(&[]).success();
    let doc = site.html("walk/index.html");
    // style.css prints the URL after every http link in an essay; the page takes back its own.
    let print = only_text(&doc, "head style[media=\"print\"]");
    assert!(
        print.contains(".essay-body a[href^=\"https://example.test/\"]::after { content: none }"),
        "{print}"
    );
}

#[test]
fn a_base_url_that_would_break_out_of_css_gets_no_print_rule() {
    let site = site("").file(
        "vellum.toml",
        "title = \"Options\"\nbase_url = \"https://example.test/a\\\"</style>/\"\n",
    );
    site.build(&[]).success();
    let doc = site.html("walk/index.html");
    assert!(select(&doc, "head style[media=\"print\"]").is_empty());
    assert!(!site.read("walk/index.html").contains("</style>/"));
}

/// The stylesheets `page` links, by file name.
fn sheets(site: &Site, page: &str) -> Vec<String> {
    crate::support::attrs(&site.html(page), "link[rel=stylesheet]", "href")
        .iter()
        .filter_map(|href| {
            href.split('?')
                .next()?
                .rsplit('/')
                .next()
                .map(str::to_owned)
        })
        .collect()
}

#[test]
fn rare_styles_are_linked_only_by_the_essays_that_use_them() {
    let site = site("").file(
        "content/contents.md",
        "+++\ntitle = \"Contents\"\ndate = 2026-01-03\ntoc = true\n+++\n\n## One\n\nA.\n\n## Two\n\nB.\n",
    );
    site.build(&[]).success();
    // A Markdown essay with no table of contents pays for neither sheet.
    assert_eq!(sheets(&site, "walk/index.html"), ["style.css"]);
    // The table of contents is in parts.css; a plain essay's indents are in extras.css.
    assert_eq!(
        sheets(&site, "contents/index.html"),
        ["style.css", "parts.css"]
    );
    assert_eq!(
        sheets(&site, "notes/index.html"),
        ["style.css", "extras.css"]
    );

    let drop_cap = self::site("\n[extra]\nlede = \"drop-cap\"\n");
    drop_cap.build(&[]).success();
    assert_eq!(
        sheets(&drop_cap, "walk/index.html"),
        ["style.css", "extras.css"]
    );
}
