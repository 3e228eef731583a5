//! Backlinks: each essay lists the essays that link to it, by any kind of link to an essay
//! (`@/x.md`, `x.md`, or the site's own path `/x/`), once per linking essay, with the sentence
//! holding the link; both themes show them, and `essay.backlinks` exposes them to templates.

use crate::support::{Site, essay, only_text, select, text, texts};

const CONFIG: &str = "title = \"Backlinks\"\nbase_url = \"https://ex.com/\"\n";

/// Three essays: `walking` linked from `maps` (twice, two ways) and from `boots` (by its
/// path); `maps` linked from nothing.
fn linked_site(config: &str) -> Site {
    Site::new()
        .file("vellum.toml", config)
        .file(
            "content/walking.md",
            &essay(
                "On Walking",
                "2024-01-01",
                "Walking is thinking. Ask [me](walking.md).",
            ),
        )
        .file(
            "content/maps.md",
            &essay(
                "Maps",
                "2024-02-01",
                "A map is a promise. As I wrote in [On Walking](@/walking.md), the ground \
                 decides.\nMore on [walks](/walking/#top) later.\n\nAnother paragraph.",
            ),
        )
        .file(
            "content/boots.md",
            &essay(
                "Boots",
                "2024-03-01",
                "- Good boots [make the walk](/walking/) short.\n- [A tag](/tags/) is no essay.",
            ),
        )
}

#[test]
fn an_essay_lists_the_essays_that_link_to_it_with_their_sentences() {
    let site = linked_site(CONFIG);
    site.build(&[]).success();
    let page = site.html("walking/index.html");
    assert_eq!(only_text(&page, ".backlinks h2"), "Linked from");
    // Newest first, each linking essay once, never the essay itself.
    let items = select(&page, ".backlinks li");
    let shown: Vec<String> = items.iter().map(text).collect();
    assert_eq!(
        texts(&page, ".backlinks li a"),
        ["Boots", "Maps"],
        "{shown:?}"
    );
    assert_eq!(
        texts(&page, ".backlinks .context"),
        [
            "Good boots make the walk short.",
            "As I wrote in On Walking, the ground decides."
        ]
    );
    let hrefs = crate::support::attrs(&page, ".backlinks li a", "href");
    assert_eq!(hrefs, ["https://ex.com/boots/", "https://ex.com/maps/"]);
    // An essay nothing links to shows no heading.
    assert!(!site.read("maps/index.html").contains("Linked from"));
    // A link by the site's path is left as written.
    assert!(
        site.read("maps/index.html")
            .contains("href=\"/walking/#top\"")
    );
}

#[test]
fn the_broadsheet_theme_shows_backlinks_too() {
    let site = linked_site(&format!("{CONFIG}theme = \"broadsheet\"\n"));
    site.build(&[]).success();
    let page = site.html("walking/index.html");
    assert_eq!(texts(&page, ".backlinks li a"), ["Boots", "Maps"]);
}

#[test]
fn a_template_sees_essay_backlinks() {
    let site = linked_site(CONFIG).file(
        "templates/essay.html",
        "{% for b in essay.backlinks %}[{{ b.title }}|{{ b.url }}|{{ b.context }}]{% endfor %}",
    );
    site.build(&[]).success();
    assert_eq!(
        site.read("walking/index.html"),
        "[Boots|https://ex.com/boots/|Good boots make the walk short.]\
         [Maps|https://ex.com/maps/|As I wrote in On Walking, the ground decides.]"
    );
}
