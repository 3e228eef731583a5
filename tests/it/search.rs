//! Search through Pagefind, which indexes the built site: `[search] pagefind = true` makes a
//! `/search/` page that loads Pagefind's UI, in both themes; no other page has a script.

use crate::support::{Site, essay};

fn site(config: &str) -> Site {
    Site::new()
        .file(
            "vellum.toml",
            &format!("title = \"Searched\"\nbase_url = \"https://ex.com/\"\n{config}"),
        )
        .file(
            "content/walking.md",
            "+++\ntitle = \"Walking\"\ndate = 2024-01-01\ntags = [\"feet\"]\n+++\n\nOn foot.\n",
        )
        .file(
            "content/about.md",
            "+++\ntitle = \"About\"\nkind = \"page\"\n+++\n\nMe.\n",
        )
        .file(
            "content/notes/maps.md",
            &essay("Maps", "2024-02-01", "Maps."),
        )
}

/// Every HTML file of the built site but the search page, with its text.
fn other_pages(site: &Site) -> Vec<(String, String)> {
    crate::support::tree(&site.path("public"))
        .into_iter()
        .filter(|(name, _)| name.ends_with(".html") && name != "search/index.html")
        .map(|(name, bytes)| (name, String::from_utf8_lossy(&bytes).into_owned()))
        .collect()
}

#[test]
fn the_search_page_loads_pagefind_and_no_other_page_has_a_script() {
    for theme in ["default", "broadsheet"] {
        let site = site(&format!("theme = \"{theme}\"\n[search]\npagefind = true\n"));
        site.build(&[]).success();
        let page = site.read("search/index.html");
        assert!(
            page.contains("<script src=\"https://ex.com/pagefind/pagefind-ui.js\"></script>"),
            "{theme}: {page}"
        );
        assert!(
            page.contains("href=\"https://ex.com/pagefind/pagefind-ui.css\""),
            "{theme}: {page}"
        );
        assert!(page.contains("new PagefindUI"), "{theme}: {page}");
        let others = other_pages(&site);
        assert!(others.len() > 5, "{others:?}");
        for (name, html) in &others {
            assert!(!html.contains("<script"), "{theme}: {name} has a script");
            assert!(!html.contains("pagefind"), "{theme}: {name} loads Pagefind");
        }
        // The navigation leads to it.
        let home = site.read("index.html");
        assert!(home.contains("href=\"https://ex.com/search/\""), "{home}");
    }
}

#[test]
fn without_the_setting_there_is_no_search_page() {
    let site = site("");
    site.build(&[]).success();
    assert!(!site.exists("search/index.html"));
    assert!(!site.read("index.html").contains("/search/"));
}
