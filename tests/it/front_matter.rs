//! Front matter in TOML and YAML, and the fields essays moved over from Zola, Jekyll and Hugo
//! carry under those generators' own names.

use crate::support::*;

const CONFIG: &str = "title = \"FM\"\nbase_url = \"https://example.test/\"\n";

/// A site `templates/essay.html` that prints what templates see of an essay.
const PRINTING_TEMPLATE: &str = r#"{% extends "base.html" %}
{% block content %}
<h1>{{ essay.title }}</h1>
<p class="mood">{{ essay.extra.mood | default(value="-") }}</p>
<p class="layout">{{ essay.extra.layout | default(value="-") }}</p>
<p class="subtitle">{{ essay.extra.subtitle | default(value="-") }}</p>
<ul class="songs">{% for song in essay.extra.songs | default(value=[]) %}<li>{{ song }}</li>{% endfor %}</ul>
<p class="nested">{% if essay.extra.cover %}{{ essay.extra.cover.alt }}{% endif %}</p>
<p class="date">{{ essay.date | default(value="-") }}</p>
<p class="updated">{{ essay.updated | default(value="-") }}</p>
<p class="draft">{{ essay.draft }}</p>
{% endblock content %}
"#;

/// The text of `p.<class>` on a page printed by `PRINTING_TEMPLATE`.
fn printed(page: &scraper::Html, class: &str) -> String {
    only_text(page, &format!("p.{class}"))
}

#[test]
fn toml_front_matter() {
    let site = Site::new().file("vellum.toml", CONFIG).file(
        "content/toml.md",
        "+++\ntitle = \"From TOML\"\ndate = 2025-04-05\ndescription = \"A short description.\"\ntags = [\"alpha\", \"Beta Gamma\"]\nslug = \"custom/place\"\n+++\n\nBody text.\n",
    );
    site.build(&[]).success();
    assert!(!site.exists("toml/index.html"));
    let page = site.html("custom/place/index.html");
    assert_eq!(only_text(&page, "h1"), "From TOML");
    assert_eq!(attrs(&page, "article time", "datetime"), ["2025-04-05"]);
    assert_eq!(
        attrs(&page, "meta[name=description]", "content"),
        ["A short description."]
    );
    assert_eq!(texts(&page, "a[rel=tag]"), ["alpha", "Beta Gamma"]);
    assert!(site.exists("tags/alpha/index.html"));
    assert!(site.exists("tags/beta-gamma/index.html"));
    assert!(
        site.read("atom.xml")
            .contains("<summary>A short description.</summary>")
    );
}

#[test]
fn yaml_front_matter() {
    let site = Site::new().file("vellum.toml", CONFIG).file(
        "content/yaml.md",
        "---\ntitle: \"From YAML\"\ndate: 2025-04-06\nsummary: Described in YAML.\ntags:\n  - alpha\n  - delta\n---\n\nBody *text*.\n",
    );
    site.build(&[]).success();
    let page = site.html("yaml/index.html");
    assert_eq!(only_text(&page, "h1"), "From YAML");
    assert_eq!(attrs(&page, "article time", "datetime"), ["2025-04-06"]);
    assert_eq!(
        attrs(&page, "meta[name=description]", "content"),
        ["Described in YAML."]
    );
    assert_eq!(texts(&page, "a[rel=tag]"), ["alpha", "delta"]);
    assert_eq!(texts(&page, ".essay-body em"), ["text"]);
}

#[test]
fn zola_taxonomies_and_extra() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file("templates/essay.html", PRINTING_TEMPLATE)
        .file(
            "content/zola.md",
            "+++\ntitle = \"Zola Style\"\ndate = 2024-02-03\n\n[taxonomies]\ntags = [\"rust\", \"Writing\"]\n\n[extra]\nmood = \"quiet\"\nsongs = [\"one\", \"two\"]\n+++\n\nBody.\n",
        );
    site.build(&[]).success();
    let page = site.html("zola/index.html");
    assert_eq!(printed(&page, "mood"), "quiet");
    assert_eq!(texts(&page, "ul.songs li"), ["one", "two"]);
    assert!(site.exists("tags/rust/index.html"));
    assert_eq!(
        texts(
            &site.html("tags/writing/index.html"),
            "main article.card h3 a"
        ),
        ["Zola Style"]
    );
}

#[test]
fn jekyll_published_false_is_a_draft() {
    let site = Site::new().file("vellum.toml", CONFIG).file(
        "content/unpublished.md",
        "---\nlayout: post\ntitle: Not Yet\ndate: 2025-10-03 08:30:00 +0100\npublished: false\n---\n\nHidden.\n",
    );
    site.build(&[]).success();
    assert!(!site.exists("unpublished/index.html"));
    assert!(!site.read("atom.xml").contains("Not Yet"));
    site.build(&["--drafts"]).success();
    assert_eq!(
        only_text(&site.html("unpublished/index.html"), "h1"),
        "Not Yet"
    );
}

#[test]
fn jekyll_space_separated_tags_and_date_with_offset() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file("templates/essay.html", PRINTING_TEMPLATE)
        .file(
            "content/jekyll.md",
            "---\nlayout: post\ntitle: \"Walking\"\ndate: 2025-10-03 08:30:00 +0100\ntags: walking attention\ncategories: essays\nredirect_from: /2025/walking.html\n---\n\nBody.\n",
        );
    site.build(&[]).success();
    for tag in ["walking", "attention", "essays"] {
        assert_eq!(
            texts(
                &site.html(&format!("tags/{tag}/index.html")),
                "main article.card h3 a"
            ),
            ["Walking"],
            "{tag}"
        );
    }
    assert!(!site.exists("tags/walking-attention/index.html"));
    let page = site.html("jekyll/index.html");
    assert_eq!(printed(&page, "date"), "2025-10-03");
    assert_eq!(printed(&page, "layout"), "post");
    let feed = site.read("atom.xml");
    assert!(
        feed.contains("<published>2025-10-03T08:30:00+01:00</published>"),
        "{feed}"
    );
    // redirect_from is Jekyll's name for aliases.
    let redirect = site.html("2025/walking.html");
    assert_eq!(
        attrs(&redirect, "link[rel=canonical]", "href"),
        ["https://example.test/jekyll/"]
    );
}

#[test]
fn a_date_keeps_the_day_the_writer_typed() {
    // Late evening in New York is already the next day in UTC; the essay says the 3rd.
    let site = Site::new().file("vellum.toml", CONFIG).file(
        "content/late.md",
        "+++\ntitle = \"Late\"\ndate = 2025-10-03T23:30:00-05:00\n+++\n\nBody.\n",
    );
    site.build(&[]).success();
    let page = site.html("late/index.html");
    assert_eq!(attrs(&page, "article time", "datetime"), ["2025-10-03"]);
    assert!(
        site.read("atom.xml")
            .contains("<published>2025-10-03T23:30:00-05:00</published>")
    );
}

#[test]
fn essays_are_ordered_by_instant_across_offsets() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        // 2025-10-04 04:30 UTC
        .file(
            "content/ny.md",
            "+++\ntitle = \"New York\"\ndate = 2025-10-03T23:30:00-05:00\n+++\nx\n",
        )
        // 2025-10-04 01:00 UTC: earlier, although its calendar day is later.
        .file(
            "content/tokyo.md",
            "+++\ntitle = \"Tokyo\"\ndate = 2025-10-04T10:00:00+09:00\n+++\nx\n",
        );
    site.build(&[]).success();
    assert_eq!(
        texts(&site.html("index.html"), "main article.card h3 a"),
        ["New York", "Tokyo"]
    );
}

#[test]
fn hugo_lastmod_is_the_updated_date() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file("templates/essay.html", PRINTING_TEMPLATE)
        .file(
            "content/hugo.md",
            "+++\ntitle = \"Hugo\"\ndate = 2024-01-01\nlastmod = 2025-02-01\n+++\n\nBody.\n",
        )
        .file(
            "content/jekyll.md",
            "---\ntitle: Jekyll\ndate: 2023-01-01\nlast_modified_at: 2023-06-01\n---\n\nBody.\n",
        );
    site.build(&[]).success();
    assert_eq!(
        printed(&site.html("hugo/index.html"), "updated"),
        "2025-02-01"
    );
    assert_eq!(
        printed(&site.html("jekyll/index.html"), "updated"),
        "2023-06-01"
    );
    let feed = site.read("atom.xml");
    assert!(
        feed.contains("<updated>2025-02-01T00:00:00Z</updated>"),
        "{feed}"
    );
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<lastmod>2025-02-01</lastmod>"),
        "{sitemap}"
    );
}

#[test]
fn default_theme_shows_the_updated_date() {
    let site = Site::new().file("vellum.toml", CONFIG).file(
        "content/hugo.md",
        "+++\ntitle = \"Hugo\"\ndate = 2024-01-01\nlastmod = 2025-02-01\n+++\n\nBody.\n",
    );
    site.build(&[]).success();
    assert_eq!(
        attrs(
            &site.html("hugo/index.html"),
            "article header time",
            "datetime"
        ),
        ["2024-01-01", "2025-02-01"]
    );
}

#[test]
fn unknown_keys_reach_templates_as_extra() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file("templates/essay.html", PRINTING_TEMPLATE)
        .file(
            "content/toml.md",
            "+++\ntitle = \"T\"\nmood = \"restless\"\nsubtitle = \"A subtitle\"\nsongs = [\"a\", \"b\", \"c\"]\n[cover]\nalt = \"A lake\"\n+++\n\nBody.\n",
        )
        .file(
            "content/yaml.md",
            "---\ntitle: Y\nlayout: post\nmood: calm\ncover:\n  alt: A hill\nsongs:\n  - x\n---\n\nBody.\n",
        );
    site.build(&[]).success();
    let toml = site.html("toml/index.html");
    assert_eq!(printed(&toml, "mood"), "restless");
    assert_eq!(printed(&toml, "subtitle"), "A subtitle");
    assert_eq!(texts(&toml, "ul.songs li"), ["a", "b", "c"]);
    assert_eq!(printed(&toml, "nested"), "A lake");
    let yaml = site.html("yaml/index.html");
    assert_eq!(printed(&yaml, "mood"), "calm");
    assert_eq!(printed(&yaml, "layout"), "post");
    assert_eq!(printed(&yaml, "nested"), "A hill");
    assert_eq!(texts(&yaml, "ul.songs li"), ["x"]);
}

#[test]
fn extra_toc_shows_the_table_of_contents() {
    let site = Site::new().file("vellum.toml", CONFIG).file(
        "content/toc.md",
        "+++\ntitle = \"With Contents\"\n[extra]\ntoc = true\n+++\n\n## First part\n\nText.\n\n## Second part\n\nText.\n",
    );
    site.build(&[]).success();
    let page = site.html("toc/index.html");
    assert_eq!(
        attrs(&page, "nav.toc a", "href"),
        ["#first-part", "#second-part"]
    );
    assert_eq!(
        attrs(&page, ".essay-body h2", "id"),
        ["first-part", "second-part"]
    );
}

#[test]
fn markdown_h1_is_the_title_when_front_matter_has_none() {
    let site = Site::new().file("vellum.toml", CONFIG).file(
        "content/h1.md",
        "+++\ndate = 2024-01-01\n+++\n\n# Title From Heading\n\nBody.\n",
    );
    site.build(&[]).success();
    let page = site.html("h1/index.html");
    assert_eq!(
        texts(&page, "h1"),
        ["Title From Heading"],
        "the title is shown once"
    );
    assert_eq!(texts(&page, ".essay-body p"), ["Body."]);
}

#[test]
fn a_body_h1_repeating_the_title_is_dropped() {
    let site = Site::new().file("vellum.toml", CONFIG).file(
        "content/dup.md",
        "---\ntitle: Same Title\n---\n# Same Title\n\nBody.\n",
    );
    site.build(&[]).success();
    assert_eq!(texts(&site.html("dup/index.html"), "h1"), ["Same Title"]);
}

#[test]
fn empty_front_matter_blocks_are_fine() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file("content/empty-toml.md", "+++\n+++\nBody one.\n")
        .file("content/empty-yaml.md", "---\n---\nBody two.\n");
    site.build(&[]).success();
    assert_eq!(
        only_text(&site.html("empty-toml/index.html"), "h1"),
        "Empty toml"
    );
    assert_eq!(
        only_text(&site.html("empty-yaml/index.html"), "h1"),
        "Empty yaml"
    );
}

#[test]
fn duplicate_tags_in_different_fields_are_merged() {
    let site = Site::new().file("vellum.toml", CONFIG).file(
        "content/t.md",
        "---\ntitle: T\ntags: [Rust, writing]\ncategories: rust essays\n---\nBody.\n",
    );
    site.build(&[]).success();
    assert_eq!(
        texts(&site.html("t/index.html"), "a[rel=tag]"),
        ["Rust", "writing", "essays"]
    );
}

/// Regression: a Jekyll blog's `date: 2019-04-25 9:00:00` (one-digit hour, no offset) stopped
/// the build; Ruby reads it, so vellum does.
#[test]
fn jekyll_dates_as_ruby_reads_them() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/a.md",
            "---\ntitle: A\ndate: 2019-04-25 9:00:00\n---\nText.\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: B\ndate: 2019-4-5 21:07:03+0200\n---\nText.\n",
        );
    site.build(&[]).success();
    assert_eq!(
        attrs(&site.html("a/index.html"), "article time", "datetime"),
        ["2019-04-25"]
    );
    assert_eq!(
        attrs(&site.html("b/index.html"), "article time", "datetime"),
        ["2019-04-05"]
    );
}

/// Regression: Hugo front matter with both `description` and `summary` failed with "duplicate
/// field `description`" (106 of 130 files of one blog).
#[test]
fn hugo_description_and_summary_together() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/both.md",
            "---\ntitle: Both\ndate: 2024-01-01\ndescription: The description.\nsummary: The summary.\n---\nText.\n",
        )
        .file(
            "content/summary.md",
            "+++\ntitle = \"Summary\"\ndate = 2024-01-02\nsummary = \"Only a summary.\"\n+++\nText.\n",
        );
    site.build(&[]).success();
    assert_eq!(
        attrs(
            &site.html("both/index.html"),
            "meta[name=description]",
            "content"
        ),
        ["The description."]
    );
    assert_eq!(
        attrs(
            &site.html("summary/index.html"),
            "meta[name=description]",
            "content"
        ),
        ["Only a summary."]
    );
}
