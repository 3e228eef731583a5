//! Feeds besides the site's own: one per tag, for every tag (`[feeds] tags = true`) or for
//! those named (`tags = ["rust"]`), and one per section unless `sections = false`. Each has
//! full content and absolute URLs, its list page links to it, and `vellum check` checks it.

use crate::support::{Site, attrs, essay};

const CONFIG: &str = "title = \"Feeds\"\nbase_url = \"https://ex.com/\"\n";

fn tagged_site(feeds: &str) -> Site {
    Site::new()
        .file("vellum.toml", &format!("{CONFIG}{feeds}"))
        .file(
            "content/notes/rust.md",
            "+++\ntitle = \"On Rust\"\ndate = 2024-01-01\ntags = [\"Rust\", \"craft\"]\n+++\n\n\
             Ownership, [again](../notes/walks.md). ![A crab](crab.png)\n",
        )
        .file(
            "content/notes/walks.md",
            &essay("Walks", "2024-02-01", "Walking, untagged."),
        )
        .file(
            "content/craft.md",
            "+++\ntitle = \"Craft\"\ndate = 2024-03-01\ntags = [\"craft\"]\n+++\n\nMade by hand.\n",
        )
}

#[test]
fn every_tag_has_a_full_feed_its_page_links_to() {
    let site = tagged_site("[feeds]\ntags = true\n");
    site.build(&[]).success();
    let feed = site.read("tags/rust/atom.xml");
    assert!(feed.contains("<title>Feeds: Rust</title>"), "{feed}");
    assert!(
        feed.contains("<id>https://ex.com/tags/rust/</id>"),
        "{feed}"
    );
    assert!(
        feed.contains("<link rel=\"self\" href=\"https://ex.com/tags/rust/atom.xml\"/>"),
        "{feed}"
    );
    // Full content, its links absolute; only the tag's essays.
    assert!(feed.contains("Ownership"), "{feed}");
    assert!(feed.contains("https://ex.com/notes/walks/"), "{feed}");
    assert!(!feed.contains("<title>Walks</title>"), "{feed}");
    let craft = site.read("tags/craft/atom.xml");
    assert_eq!(craft.matches("<entry>").count(), 2, "{craft}");
    let page = site.html("tags/rust/index.html");
    assert_eq!(
        attrs(
            &page,
            "link[rel=alternate][type='application/atom+xml']",
            "href"
        ),
        [
            "https://ex.com/atom.xml",
            "https://ex.com/tags/rust/atom.xml"
        ]
    );
    // Sections keep theirs.
    assert!(site.exists("notes/atom.xml"));
}

#[test]
fn only_the_tags_named_have_feeds_and_sections_can_go_without() {
    let site = tagged_site("[feeds]\ntags = [\"rust\"]\nsections = false\n");
    site.build(&[]).success();
    assert!(site.exists("tags/rust/atom.xml"));
    assert!(!site.exists("tags/craft/atom.xml"));
    assert!(!site.exists("notes/atom.xml"));
    let craft = site.html("tags/craft/index.html");
    assert_eq!(
        attrs(&craft, "link[type='application/atom+xml']", "href"),
        ["https://ex.com/atom.xml"]
    );
    let notes = site.read("notes/index.html");
    assert!(!notes.contains("notes/atom.xml"), "{notes}");
    // Without `[feeds]`, no tag has one.
    let plain = tagged_site("");
    plain.build(&[]).success();
    assert!(!plain.exists("tags/rust/atom.xml"));
    assert!(plain.exists("notes/atom.xml"));
}

#[test]
fn check_checks_the_tag_and_section_feeds() {
    // A feed template that forgets the feed's <id> only in a tag's feed.
    let site = tagged_site("[feeds]\ntags = [\"rust\"]\n").file(
        "templates/atom.xml",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         {% if not tag %}<id>{{ feed_url }}</id>{% endif %}<title>T</title><updated>{{ updated }}</updated>\
         <author><name>A</name></author><link href=\"{{ site.base_url }}\"/></feed>\n",
    );
    let run = site.vellum(&["check"]).failure();
    assert!(
        run.stdout
            .contains("the feed has no <id> (tags/rust/atom.xml line 2)"),
        "{run}"
    );
    assert_eq!(run.stdout.matches("has no <id>").count(), 1, "{run}");
}
