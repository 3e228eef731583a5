//! Links between essays, resolved at build time: Zola's `@/x.md`, relative `x.md` links as
//! GitHub and Obsidian write them, Hugo's `ref`/`relref` and Jekyll's `post_url` and `link`,
//! each in a small site written in that generator's conventions. A link to no essay fails the
//! build at its file and line, and `vellum check` reports it.

use std::path::Path;

use serde_json::Value;
use vellum::BuildOptions;
use vellum::session::{Changes, Session};

use crate::support::{Site, essay, tree};

const CONFIG: &str = "title = \"Links\"\nbase_url = \"https://ex.com/\"\n";

/// Every `<a href>` in `public/<rel>`, in order.
fn written_links(site: &Site, rel: &str) -> Vec<String> {
    let page = site.read(rel);
    let mut out = Vec::new();
    for part in page.split("<a href=\"").skip(1) {
        let href = &part[..part.find('"').unwrap_or(part.len())];
        out.push(href.to_string());
    }
    out
}

fn has_link(site: &Site, rel: &str, href: &str) -> bool {
    written_links(site, rel).iter().any(|h| h == href)
}

fn assert_links(site: &Site, rel: &str, hrefs: &[&str]) {
    let found = written_links(site, rel);
    for href in hrefs {
        assert!(
            found.iter().any(|h| h == href),
            "{rel} has no link to {href}; it has {found:?}"
        );
    }
}

#[test]
fn zola_links_from_content_resolve_with_their_anchors() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/blog/first.md",
            "+++\ntitle = \"First\"\ndate = 2024-01-01\n+++\n\nSee [the bundle](@/blog/bundle/index.md#a-part), \
             [the second](@/blog/second%20one.md) and [home](@/_index.md).\n\n\
             Written about: `[x](@/blog/nope.md)`.\n\n```\n[y](@/blog/nope.md)\n```\n",
        )
        .file(
            "content/blog/second one.md",
            "+++\ntitle = \"Second\"\ndate = 2024-01-02\nslug = \"second\"\n+++\n\nBody.\n",
        )
        .file(
            "content/blog/bundle/index.md",
            "+++\ntitle = \"Bundle\"\ndate = 2024-01-03\n+++\n\n## A part\n\nBack to [first](@/blog/first.md).\n",
        );
    site.build(&[]).success();
    let page = site.read("blog/first/index.html");
    assert_links(
        &site,
        "blog/first/index.html",
        &[
            "https://ex.com/blog/bundle/#a-part",
            "https://ex.com/blog/second/",
            "https://ex.com/",
        ],
    );
    // Code shows the link as written.
    assert!(page.contains("[x](@/blog/nope.md)"), "{page}");
    assert!(page.contains("[y](@/blog/nope.md)"), "{page}");
    assert!(!page.contains("href=\"@/"), "{page}");
    assert_links(
        &site,
        "blog/bundle/index.html",
        &["https://ex.com/blog/first/"],
    );
    // The summary on the home page and the feed's entry show the resolved links too.
    assert_links(&site, "index.html", &["https://ex.com/blog/bundle/#a-part"]);
    let feed = site.read("atom.xml");
    assert!(
        feed.contains("https://ex.com/blog/bundle/#a-part"),
        "{feed}"
    );
    assert!(!feed.contains("@/blog/bundle"), "{feed}");
}

#[test]
fn relative_md_links_resolve_as_github_and_obsidian_write_them() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/notes/walking.md",
            "# Walking\n\n[Reading](reading.md), [again](./reading.md#slowly), \
             [a letter](../letters/to-a.md), [the garden](garden/index.md), \
             [with spaces](<../Other note.md>), [from the vault](letters/to-a.md) and \
             [by its name](to-a.md).\n\nA [page](/about/) and a [picture](pic.png) stay.\n",
        )
        .file(
            "content/notes/reading.md",
            "# Reading\n\n## Slowly\n\nText.\n",
        )
        .file(
            "content/notes/garden/index.md",
            "# The garden\n\n[Up](../walking.md) and [over](../../letters/to-a.md#p).\n",
        )
        .file("content/letters/to-a.md", "# To A\n\nText.\n")
        .file("content/Other note.md", "# Other\n\nText.\n");
    site.build(&[]).success();
    assert_links(
        &site,
        "notes/walking/index.html",
        &[
            "https://ex.com/notes/reading/",
            "https://ex.com/notes/reading/#slowly",
            "https://ex.com/letters/to-a/",
            "https://ex.com/notes/garden/",
            "https://ex.com/other-note/",
            "/about/",
            "pic.png",
        ],
    );
    assert!(!has_link(&site, "notes/walking/index.html", "reading.md"));
    // A bundle's `index.md` links from its own folder.
    assert_links(
        &site,
        "notes/garden/index.html",
        &[
            "https://ex.com/notes/walking/",
            "https://ex.com/letters/to-a/#p",
        ],
    );
}

#[test]
fn hugo_refs_resolve_relative_then_from_content_then_by_name() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/posts/intro.md",
            "---\ntitle: Intro\ndate: 2024-01-01\ntags: [AWS]\n---\n\nNext: [EC2]({{< ref \"ec2\" >}}), \
             [its storage]({{< relref \"EC2/#storage\" >}}), [about]({{% ref \"/about.md\" %}}), \
             [the tag]({{< ref \"tags/aws\" >}}).\n\n[later]: {{< ref path=\"posts/intro.md\" >}}\n\n\
             See [later].\n\n```go-html-template\n[x]({{< ref \"ec2\" >}})\n```\n",
        )
        .file(
            "content/posts/aws/ec2/index.md",
            "---\ntitle: EC2\ndate: 2024-01-02\n---\n\n## Storage\n\nBack: [intro]({{< ref \"intro\" >}}).\n",
        )
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n\nMe. <a href=\"{{< ref \"intro\" >}}\" target=\"_self\">Start</a>.\n",
        );
    site.build(&[]).success();
    // Hugo runs shortcodes before Markdown: a `ref` in raw HTML leads where it says too.
    assert_links(&site, "about/index.html", &["https://ex.com/posts/intro/"]);
    assert_links(
        &site,
        "posts/intro/index.html",
        &[
            "https://ex.com/posts/aws/ec2/",
            "https://ex.com/posts/aws/ec2/#storage",
            "https://ex.com/about/",
            "https://ex.com/tags/aws/",
            "https://ex.com/posts/intro/",
        ],
    );
    let page = site.read("posts/intro/index.html");
    assert!(
        page.contains("{{&lt; ref &quot;ec2&quot; &gt;}}")
            || page.contains("{{&lt; ref \"ec2\" &gt;}}"),
        "code keeps the shortcode: {page}"
    );
    assert!(!page.contains("vellum-ref"), "{page}");
    assert_links(
        &site,
        "posts/aws/ec2/index.html",
        &["https://ex.com/posts/intro/"],
    );
}

#[test]
fn jekyll_post_url_and_link_find_posts_moved_out_of_posts() {
    let site = Site::new()
        .file("vellum.toml", "title = \"Links\"\nbase_url = \"https://ex.com/blog/\"\n")
        .file(
            "content/posts/2014-09-02-first-steps.md",
            "---\nlayout: post\ntitle: First steps\n---\n\nNext: [second]({% post_url 2014-10-01-second %}), \
             [its part]({{ site.baseurl }}{% post_url 2014-10-01-second %}#part), \
             [by path]({% link _posts/2014-10-01-second.md %}), [about]({%- link about.md -%}) \
             and [the CV]({% link assets/cv.pdf %}).\n\n[ref]: {% post_url old/2014-10-01-second %}\n\nA [ref].\n",
        )
        .file(
            "content/posts/2014-10-01-second.md",
            "---\nlayout: post\ntitle: Second\n---\n\n## Part\n\nBack to [first]({{ site.baseurl }}{% post_url 2014-09-02-first-steps %}).\n",
        )
        .file("content/about.md", "---\nlayout: page\ntitle: About\n---\n\nMe.\n");
    site.build(&[]).success();
    assert_links(
        &site,
        "posts/first-steps/index.html",
        &[
            "https://ex.com/blog/posts/second/",
            "https://ex.com/blog/posts/second/#part",
            "https://ex.com/blog/about/",
            "https://ex.com/blog/assets/cv.pdf",
        ],
    );
    assert_links(
        &site,
        "posts/second/index.html",
        &["https://ex.com/blog/posts/first-steps/"],
    );
    assert!(
        !site
            .read("posts/first-steps/index.html")
            .contains("vellum-")
    );
}

/// A site with broken links in two essays: one to no essay, one to a draft, one by a Hugo
/// `ref`, one by a Jekyll `post_url`.
fn broken_site() -> Site {
    Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\ndate = 2024-01-01\n+++\n\nFine: [b](b.md).\n\nGone: [x](@/blog/nope.md#part).\n\nDraft: [d](./wip.md).\n\nNo such part: [b](b.md#nowhere).\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: B\ndate: 2024-01-02\n---\n\n[h]({{< ref \"missing\" >}})\n\n[j]({% post_url 2014-01-01-missing %})\n",
        )
        .file("content/wip.md", "+++\ntitle = \"WIP\"\ndraft = true\n+++\n\nSoon.\n")
}

#[test]
fn links_to_no_essay_fail_the_build_all_at_once_at_their_lines() {
    let site = broken_site();
    let run = site.build(&[]).failure();
    let mut errors = run.error_lines();
    errors.sort();
    assert_eq!(
        errors,
        [
            "error: content/a.md:10: link to ./wip.md: wip.md is a draft, not built (`--drafts` builds it)",
            "error: content/a.md:8: link to @/blog/nope.md#part: no such essay",
            "error: content/b.md:6: link to {{< ref \"missing\" >}}: no such essay",
            "error: content/b.md:8: link to {% post_url 2014-01-01-missing %}: no such essay",
        ]
    );
    assert!(!site.exists("a/index.html"), "nothing is written");
    // With drafts the draft is there, and only the other three fail.
    let run = site.build(&["--drafts"]).failure();
    assert_eq!(run.error_lines().len(), 3, "{:?}", run.error_lines());
}

#[test]
fn check_reports_each_broken_link_once_and_a_missing_anchor_at_its_line() {
    let site = broken_site();
    let run = site.vellum(&["check", "--format", "json"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).expect("json");
    let mut found: Vec<(String, u64, String)> = report["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter(|p| p["kind"] == "broken-link" || p["kind"] == "missing-anchor")
        .map(|p| {
            (
                p["file"].as_str().unwrap_or_default().to_string(),
                p["line"].as_u64().unwrap_or(0),
                p["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (
                "content/a.md".to_string(),
                8,
                "link to @/blog/nope.md#part: no such essay".to_string()
            ),
            (
                "content/a.md".to_string(),
                10,
                "link to ./wip.md: wip.md is a draft, not built (`--drafts` builds it)".to_string()
            ),
            (
                "content/a.md".to_string(),
                12,
                "link to `https://ex.com/b/#nowhere`: b/index.html has no id `nowhere` (on a/index.html)"
                    .to_string()
            ),
            (
                "content/b.md".to_string(),
                6,
                "link to {{< ref \"missing\" >}}: no such essay".to_string()
            ),
            (
                "content/b.md".to_string(),
                8,
                "link to {% post_url 2014-01-01-missing %}: no such essay".to_string()
            ),
        ]
    );
}

fn options(root: &Path, output: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        ..BuildOptions::default()
    }
}

#[test]
fn a_page_re_renders_when_the_essay_it_links_to_moves() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\ndate = 2024-01-01\n+++\n\nSee [b](b.md#part).\n",
        )
        .file(
            "content/b.md",
            "+++\ntitle = \"B\"\ndate = 2024-01-05\n+++\n\n## Part\n",
        )
        // Between them, so that B is not A's neighbour (a neighbour's card is on A's page).
        .file(
            "content/m1.md",
            "+++\ntitle = \"M1\"\ndate = 2024-01-02\n+++\n",
        )
        .file(
            "content/m2.md",
            "+++\ntitle = \"M2\"\ndate = 2024-01-03\n+++\n",
        );
    let kept = site.path("kept");
    let mut session = Session::open(&options(site.root(), &kept)).expect("open");
    session.build().expect("build");
    site.write(
        "content/b.md",
        "+++\ntitle = \"B\"\ndate = 2024-01-05\nslug = \"moved\"\n+++\n\n## Part\n",
    );
    session
        .apply(&Changes {
            content: vec![site.path("content/b.md")],
            ..Changes::default()
        })
        .expect("apply");
    session.build().expect("rebuild");
    let page = std::fs::read_to_string(kept.join("a/index.html")).expect("a");
    assert!(
        page.contains("href=\"https://ex.com/moved/#part\""),
        "{page}"
    );
    let clean = site.path("clean");
    vellum::build(&options(site.root(), &clean)).expect("clean build");
    assert_eq!(
        tree(&kept),
        tree(&clean),
        "the rebuild equals a clean build"
    );
}

/// Links name sections by their `_index.md` (a folder without one too), a language's home
/// page by its own, and translations by their files; a page's links resolve as an essay's.
#[test]
fn links_reach_sections_pages_and_translations() {
    let site = Site::new()
        .file("vellum.toml", &format!("{CONFIG}[languages.es]\n"))
        .file("content/_index.md", "+++\ntitle = \"Home\"\n+++\n")
        .file("content/blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n")
        .file(
            "content/blog/a.md",
            "+++\ntitle = \"A\"\ndate = 2024-01-01\n+++\n\nThe [blog](@/blog/_index.md), [notes](@/notes/_index.md), \
             [en español](@/blog/a.es.md) and [about](@/about.md).\n",
        )
        .file("content/blog/a.es.md", "+++\ntitle = \"A\"\ndate = 2024-01-01\n+++\n\n[Inicio](@/_index.es.md).\n")
        .file("content/notes/n.md", &essay("N", "2024-01-02", "N."))
        .file("content/about.md", "+++\ntitle = \"About\"\n+++\n\nSee [A](blog/a.md).\n");
    site.build(&[]).success();
    assert_links(
        &site,
        "blog/a/index.html",
        &[
            "https://ex.com/blog/",
            "https://ex.com/notes/",
            "https://ex.com/es/blog/a/",
            "https://ex.com/about/",
        ],
    );
    assert_links(&site, "es/blog/a/index.html", &["https://ex.com/es/"]);
    assert_links(&site, "about/index.html", &["https://ex.com/blog/a/"]);
}
