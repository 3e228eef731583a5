//! `heading_ids` in `vellum.toml`: the heading ids of the generator a site came from, so that
//! links into an essay's sections keep landing.

use crate::support::*;

const ESSAY: &str = "+++\ntitle = \"Plans\"\ndate = 2024-01-01\ntoc = true\n+++\n\n## What's next?\n\nText.\n\n## Über uns\n\nText.\n\n## Über uns\n\nAgain.\n";

fn site(style: Option<&str>) -> Site {
    let config = match style {
        Some(style) => format!("title = \"H\"\nheading_ids = \"{style}\"\n"),
        None => "title = \"H\"\n".to_string(),
    };
    Site::new()
        .file("vellum.toml", &config)
        .file("content/plans.md", ESSAY)
}

/// The ids of the essay's headings (not the table of contents' own).
fn ids(site: &Site) -> Vec<String> {
    attrs(&site.html("plans/index.html"), "article h2[id]", "id")
        .into_iter()
        .filter(|id| id != "toc-heading")
        .collect()
}

#[test]
fn each_style_reaches_the_page_and_its_table_of_contents() {
    for (style, expected) in [
        (None, ["whats-next", "uber-uns", "uber-uns-1"]),
        (Some("vellum"), ["whats-next", "uber-uns", "uber-uns-1"]),
        (Some("zola"), ["what-s-next", "uber-uns", "uber-uns-1"]),
        (Some("github"), ["whats-next", "über-uns", "über-uns-1"]),
        (Some("hugo"), ["whats-next", "über-uns", "über-uns-1"]),
        (Some("kramdown"), ["whats-next", "ber-uns", "ber-uns-1"]),
    ] {
        let site = site(style);
        site.build(&[]).success();
        assert_eq!(ids(&site), expected, "{style:?}");
        // The table of contents links to the same ids.
        let page = site.html("plans/index.html");
        let links: Vec<String> = attrs(&page, "a[href^='#']", "href")
            .into_iter()
            .filter(|href| !href.starts_with("#fn"))
            .collect();
        for id in expected {
            assert!(links.contains(&format!("#{id}")), "{style:?}: {links:?}");
        }
    }
}

/// The setting is part of every page's fingerprint: changing it renders the essays again.
#[test]
fn changing_the_style_renders_the_pages_again() {
    let site = site(Some("zola"));
    site.build(&[]).success();
    assert_eq!(ids(&site)[0], "what-s-next");
    site.write("vellum.toml", "title = \"H\"\nheading_ids = \"github\"\n");
    site.build(&[]).success();
    assert_eq!(ids(&site)[0], "whats-next");
}

#[test]
fn an_unknown_style_is_named_on_its_line() {
    let site = Site::new()
        .file("vellum.toml", "title = \"H\"\n\nheading_ids = \"jekyll\"\n")
        .file("content/plans.md", ESSAY);
    let run = site.build(&[]).failure();
    run.stderr_has("vellum.toml:3:");
    run.stderr_has(
        "unknown variant `jekyll`, expected one of `vellum`, `github`, `zola`, `kramdown`, `hugo`",
    );
}
