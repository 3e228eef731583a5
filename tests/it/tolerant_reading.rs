//! What Jekyll, Hugo and Zola accept and vellum reads the same way (issue 11, §4 and §5): a
//! Jekyll post's date from its file name with the front matter's time, a repeated front-matter
//! key named where it repeats, and a page bundle's text files as attachments, not essays.

use std::path::Path;

use vellum::BuildOptions;
use vellum::session::{Changes, Session};

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

/// A bundle: `index.md` sorts after `a.txt` and before `z.md`, and a subfolder holds more.
fn bundle_site() -> Site {
    Site::new()
        .file("vellum.toml", CONFIG)
        .file("content/other.md", &essay("Other", "2024-01-01", "Text."))
        .file("content/trip/a.txt", "Packing list\nBoots.\n")
        .file(
            "content/trip/index.md",
            &essay("Trip", "2024-02-02", "[Notes](z.md), [the list](a.txt)."),
        )
        .file("content/trip/z.md", "# Notes\n\nRaw notes.\n")
        .file("content/trip/more/appendix.md", "# Appendix\n")
        .bytes("content/trip/photo.png", &[0, 1, 2])
}

#[test]
fn a_bundles_text_files_are_attachments_beside_its_page() {
    let site = bundle_site();
    let run = site.build(&[]).success();
    assert!(run.stdout.contains("Built 2 essays"), "{run}");
    for (attachment, source) in [
        ("trip/a.txt", "content/trip/a.txt"),
        ("trip/z.md", "content/trip/z.md"),
        ("trip/more/appendix.md", "content/trip/more/appendix.md"),
        ("trip/photo.png", "content/trip/photo.png"),
    ] {
        assert_eq!(
            std::fs::read(site.path("public").join(attachment)).ok(),
            std::fs::read(site.path(source)).ok(),
            "{attachment}"
        );
    }
    for page in ["a/index.html", "z/index.html", "appendix/index.html"] {
        assert!(!site.exists(page), "{page} was made an essay");
    }
    assert!(!site.read("atom.xml").contains("Raw notes"));
}

fn options(site: &Site, output: &Path) -> BuildOptions {
    BuildOptions {
        root: site.root().to_path_buf(),
        output: Some(output.to_path_buf()),
        ..BuildOptions::default()
    }
}

/// A rebuild reads only what changed: an attachment saved again, an `index.md` taken away
/// (its folder's text files become essays) and put back, each ending as a clean build.
#[test]
fn rebuilds_keep_a_bundles_attachments_as_a_clean_build_has_them() {
    let site = bundle_site();
    let kept = site.path("kept");
    let mut session = Session::open(&options(&site, &kept)).expect("open");
    session.build().expect("build");
    let index = site.path("content/trip/index.md");
    let index_text = read_text(&index);
    let steps: [(&str, &dyn Fn()); 3] = [
        ("an attachment saved", &|| {
            site.write("content/trip/z.md", "# Notes\n\nMore.\n")
        }),
        ("the index removed", &|| {
            site.remove("content/trip/index.md")
        }),
        ("the index back", &|| {
            site.write("content/trip/index.md", &index_text)
        }),
    ];
    for (what, step) in steps {
        step();
        let changed = if what == "an attachment saved" {
            site.path("content/trip/z.md")
        } else {
            index.clone()
        };
        session
            .apply(&Changes {
                content: vec![changed],
                ..Changes::default()
            })
            .expect("apply");
        session.build().expect("rebuild");
        let clean = site.path(&format!("clean-{}", what.replace(' ', "-")));
        vellum::build(&options(&site, &clean)).expect("clean build");
        assert_same_tree(&tree(&kept), &tree(&clean));
    }
    assert!(std::fs::read(kept.join("trip/z.md")).is_ok_and(|b| b == b"# Notes\n\nMore.\n"));
}
