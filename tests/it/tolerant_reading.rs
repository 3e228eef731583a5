//! What Jekyll, Hugo and Zola accept and vellum reads the same way (issue 11, §4 and §5): a
//! Jekyll post's date from its file name with the front matter's time, a repeated front-matter
//! key named where it repeats, and a page bundle's text files as attachments, not essays.

use crate::support::*;

const CONFIG: &str = "title = \"T\"\nbase_url = \"https://example.test/\"\n";

/// The `<published>` of the feed entry for `url`.
fn published(feed: &str, url: &str) -> String {
    let start = feed
        .find(&format!("<id>{url}</id>"))
        .unwrap_or_else(|| panic!("no entry for {url}\n{feed}"));
    let from = start + feed[start..].find("<published>").expect("a <published>") + 11;
    feed[from..from + feed[from..].find('<').expect("closed")].to_string()
}

#[test]
fn a_jekyll_post_takes_its_day_from_the_file_name_and_its_time_from_the_front_matter() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/2014-09-02-evening.md",
            "---\nlayout: post\ntitle: Evening\ndate: 2014-09-02 21:30:00 +0100\n---\nText.\n",
        )
        .file(
            "content/2014-09-03-moved.md",
            "---\nlayout: post\ntitle: Moved\ndate: 2014-09-05 08:15:00 -0500\n---\nText.\n",
        )
        .file(
            "content/2014-09-04-day-only.md",
            "---\nlayout: post\ntitle: Day only\ndate: 2014-09-04\n---\nText.\n",
        );
    let run = site.build(&[]).success();
    let feed = site.read("atom.xml");
    assert_eq!(
        published(&feed, "https://example.test/evening/"),
        "2014-09-02T21:30:00+01:00"
    );
    // The day from the file name, the time and offset from the front matter, and a word
    // about the other day, on the line of `date`.
    assert_eq!(
        published(&feed, "https://example.test/moved/"),
        "2014-09-03T08:15:00-05:00"
    );
    run.stderr_has("content/2014-09-03-moved.md:4: date: 2014-09-05 is another day than the file name's 2014-09-03");
    assert_eq!(
        attrs(&site.html("moved/index.html"), "article time", "datetime"),
        ["2014-09-03"]
    );
    assert_eq!(
        published(&feed, "https://example.test/day-only/"),
        "2014-09-04T00:00:00Z"
    );
    assert_eq!(run.stderr.matches("another day").count(), 1, "{run}");
}

#[test]
fn a_repeated_front_matter_key_is_named_on_the_line_of_the_second() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/yaml.md",
            "---\ntitle: One\ndate: 2024-01-01\n\ntitle: Two\n---\nText.\n",
        )
        .file(
            "content/toml.md",
            "+++\ntitle = \"One\"\ndate = 2024-01-01\n\ntitle = \"Two\"\n+++\nText.\n",
        )
        .file(
            "content/hugo.md",
            "---\ntitle: Hugo\nlastmod: 2024-01-02\ndate: 2024-01-01\nupdated: 2024-01-03\n---\nText.\n",
        );
    let run = site.build(&[]).failure();
    run.stderr_has("content/yaml.md:5: duplicate key `title`");
    run.stderr_has("content/toml.md:5: duplicate key `title`");
    run.stderr_has(
        "content/hugo.md:5: duplicate key `updated`: it is another name for `lastmod` (line 3)",
    );
}
