//! Obsidian's wikilinks (`[[note]]`, `[[note|text]]`, `[[note#Heading]]`, `[[#Heading]]`)
//! and embeds (`![[note#Section]]`, `![[pic.png|400]]`), resolved at build time by file name,
//! path, title or alias in any case; a link to nothing or to several is an error at its line.

use serde_json::Value;

use crate::support::{Site, attrs, count, only_text, select, text};

const CONFIG: &str = "title = \"Vault\"\nbase_url = \"https://ex.com/\"\n";

fn vault() -> Site {
    Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/index note.md",
            "---\ntitle: Start here\n---\n\nBy name [[On Drafts]], by title [[why drafts matter]], \
             by alias [[Drafting|the alias]], by path [[notes/on drafts#Second Part]], \
             here [[#A heading]].\n\n## A heading\n\nCode: `[[On Drafts]]`.\n\n```\n[[nope]]\n```\n",
        )
        .file(
            "content/notes/On Drafts.md",
            "---\ntitle: Why drafts matter\naliases: [Drafting, /old/drafts/]\n---\n\nFirst.\n\n## Second Part\n\nSecond.\n",
        )
}

#[test]
fn wikilinks_resolve_by_name_title_alias_and_path_with_heading_anchors() {
    let site = vault();
    site.build(&[]).success();
    let page = site.html("index-note/index.html");
    let hrefs = attrs(&page, ".essay a", "href");
    let essay = "https://ex.com/notes/on-drafts/";
    assert!(
        hrefs.contains(&essay.to_string()),
        "by name, title and alias: {hrefs:?}"
    );
    assert!(hrefs.contains(&format!("{essay}#second-part")), "{hrefs:?}");
    assert!(
        hrefs.contains(&"https://ex.com/index-note/#a-heading".to_string()),
        "{hrefs:?}"
    );
    let shown: Vec<String> = select(&page, ".essay p a").iter().map(text).collect();
    assert!(shown.contains(&"On Drafts".to_string()), "{shown:?}");
    assert!(shown.contains(&"the alias".to_string()), "{shown:?}");
    assert!(
        shown.contains(&"notes/on drafts > Second Part".to_string()),
        "{shown:?}"
    );
    assert!(shown.contains(&"A heading".to_string()), "{shown:?}");
    assert_eq!(only_text(&page, ".essay p code"), "[[On Drafts]]");
    assert_eq!(only_text(&page, ".essay pre"), "[[nope]]");
    // A URL path in `aliases` is still a redirect.
    assert!(site.exists("old/drafts/index.html"));
    assert_eq!(count(&page, "a[href^=\"vellum-\"]"), 0);
}

#[test]
fn a_wikilink_to_nothing_or_to_several_fails_at_its_line_and_check_says_so() {
    let site = vault()
        .file(
            "content/broken.md",
            "---\ntitle: Broken\n---\n\nFine [[on drafts]].\n\nGone [[Nowhere at all]].\n\nTwo [[twin]].\n",
        )
        .file("content/a/twin.md", "---\ntitle: Twin A\n---\n\nA.\n")
        .file("content/b/twin.md", "---\ntitle: Twin B\n---\n\nB.\n");
    let run = site.build(&[]).failure();
    let mut errors = run.error_lines();
    errors.sort();
    assert_eq!(
        errors,
        [
            "error: content/broken.md:7: link to [[Nowhere at all]]: no essay, title, alias or file is called `Nowhere at all`",
            "error: content/broken.md:9: link to [[twin]]: `twin` names more than one essay: a/twin.md, b/twin.md; write the path from content/",
        ]
    );
    let run = site.vellum(&["check", "--format", "json"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).expect("json");
    let lines: Vec<u64> = report["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter(|p| p["kind"] == "broken-link")
        .map(|p| p["line"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(lines, [7, 9], "{}", run.stdout);
}

/// A tiny PNG (1×1), for image embeds.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

fn embedding() -> Site {
    Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/host.md",
            "---\ntitle: Host\n---\n\nBefore.\n\n![[source#Why]]\n\nInline ![[source]] stays a link.\n\n![[Pic.png|400]]\n",
        )
        .file(
            "content/source.md",
            "---\ntitle: Source\n---\n\nIntro.\n\n## Why\n\nBecause of [[host]].\n\n### Deeper\n\nStill why.\n\n## Next\n\nOther.\n",
        )
        .bytes("content/attachments/pic.png", PNG)
}

#[test]
fn an_embed_shows_the_section_quoted_with_its_source_and_images_are_found_by_name() {
    let site = embedding();
    site.build(&[]).success();
    let page = site.html("host/index.html");
    let quote = only_text(&page, ".essay blockquote.embed");
    assert!(quote.contains("Because of host."), "{quote}");
    assert!(quote.contains("Still why."), "{quote}");
    assert!(!quote.contains("Other."), "{quote}");
    assert_eq!(
        attrs(&page, "blockquote.embed .embed-source a", "href"),
        ["https://ex.com/source/#why"]
    );
    assert_eq!(
        attrs(&page, "blockquote.embed p a", "href")[0],
        "https://ex.com/host/",
        "the section's own wikilink is resolved"
    );
    assert_eq!(
        count(&page, "blockquote.embed h2[id]"),
        0,
        "no repeated ids"
    );
    assert_eq!(
        attrs(&page, ".essay img", "src"),
        ["https://ex.com/attachments/pic.png"]
    );
    assert_eq!(attrs(&page, ".essay img", "width"), ["400"]);
    assert!(site.exists("attachments/pic.png"), "the image is copied");
    assert!(
        attrs(&page, ".essay p a", "href").contains(&"https://ex.com/source/".to_string()),
        "an embed inside a sentence is a link"
    );
}

#[test]
fn a_page_embedding_a_section_is_rebuilt_when_the_section_changes() {
    let site = embedding();
    site.build(&[]).success();
    site.write(
        "content/source.md",
        "---\ntitle: Source\n---\n\nIntro.\n\n## Why\n\nA new reason.\n\n## Next\n\nOther.\n",
    );
    site.build(&[]).success();
    let page = site.html("host/index.html");
    let quote = only_text(&page, ".essay blockquote.embed");
    assert!(quote.contains("A new reason."), "{quote}");
}

#[test]
fn embeds_that_embed_themselves_fail_naming_the_chain() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file("content/a.md", "---\ntitle: A\n---\n\n![[b]]\n")
        .file("content/b.md", "---\ntitle: B\n---\n\n![[a]]\n");
    let run = site.build(&[]).failure();
    let mut errors = run.error_lines();
    errors.sort();
    assert_eq!(
        errors,
        [
            "error: content/a.md:5: link to ![[b]]: embeds form a cycle: a.md → b.md → a.md",
            "error: content/b.md:5: link to ![[a]]: embeds form a cycle: b.md → a.md → b.md",
        ]
    );
}

#[test]
fn obsidian_habits_tags_comments_highlights_classes_and_vault_folders() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/Writing Notes/On Drafts.md",
            "---\ntitle: On drafts\ncssclasses: [wide, quiet]\n---\n\nA #writing note, not #123, \
             `#code`, [#link](https://ex.com/#frag).\n\nKept %%zorblax%% words.\n\n%%\nquuxsecret\nlines\n%%\n\n\
             A ==bright== idea.\n",
        )
        .file("content/.obsidian/app.json", "{}")
        .file("content/.trash/old.md", "---\ntitle: Old\n---\n\nGone.\n");
    site.build(&[]).success();
    let page = site.html("writing-notes/on-drafts/index.html");
    assert_eq!(attrs(&page, "article", "class"), ["essay wide quiet"]);
    assert!(site.exists("tags/writing/index.html"), "inline tag");
    for not_tags in ["123", "code", "link", "frag"] {
        assert!(
            !site.exists(&format!("tags/{not_tags}/index.html")),
            "{not_tags}"
        );
    }
    let html = site.read("writing-notes/on-drafts/index.html");
    assert!(
        !html.contains("zorblax") && !html.contains("quuxsecret"),
        "{html}"
    );
    assert_eq!(only_text(&page, ".essay mark"), "bright");
    assert!(!site.exists(".obsidian/app.json"));
    assert!(!site.exists(".trash/old/index.html") && !site.exists("old/index.html"));
}

/// Copies the folder `from` into `to`, hidden folders (`.obsidian/`, `.trash/`) too.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).expect("read the example") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("make a folder");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

#[test]
fn the_notes_vault_example_builds_as_it_stands_with_no_broken_links() {
    let site = Site::new();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/notes-vault");
    copy_tree(&example, site.root());
    assert!(site.root().join("content/.obsidian/app.json").is_file());
    site.build(&[]).success();
    let run = site.vellum(&["check", "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout).expect("json");
    let link_problems: Vec<&Value> = report["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter(|p| p["kind"] == "broken-link" || p["kind"] == "missing-anchor")
        .collect();
    assert!(link_problems.is_empty(), "{link_problems:?}");
    let start = site.html("start-here/index.html");
    assert_eq!(count(&start, "blockquote.embed"), 1);
    assert_eq!(count(&start, "a[href^=\"vellum-\"]"), 0);
    let plain = site.html("writing-notes/writing-in-plain-files/index.html");
    assert_eq!(count(&plain, "img[src$=\"attachments/quill.png\"]"), 1);
    assert!(site.exists("attachments/vault-map.png"));
    assert!(site.exists("tags/writing/index.html"));
    assert!(!site.exists(".obsidian/app.json"));
}

#[test]
fn with_broken_links_set_to_warn_a_wikilink_to_nothing_is_a_warning() {
    let site = Site::new()
        .file(
            "vellum.toml",
            &format!("{CONFIG}\n[links]\nbroken = \"warn\"\n"),
        )
        .file(
            "content/a.md",
            "---\ntitle: A\n---\n\nNot yet written: [[Someday]].\n",
        );
    let run = site.build(&[]).success();
    run.stderr_has(
        "content/a.md:5: link to [[Someday]]: no essay, title, alias or file is called `Someday`",
    );
    assert!(site.exists("a/index.html"));
}

/// A kept session (as `vellum watch` keeps it) re-renders a page whose embedded section
/// changed, though the page's own text did not, and equals a clean build.
#[test]
fn a_kept_session_re_renders_a_page_when_the_section_it_embeds_changes() {
    use vellum::BuildOptions;
    use vellum::session::{Changes, Session};
    let options = |out: &std::path::Path| BuildOptions {
        root: site_root(out),
        output: Some(out.to_path_buf()),
        ..BuildOptions::default()
    };
    fn site_root(out: &std::path::Path) -> std::path::PathBuf {
        out.parent().expect("the site").to_path_buf()
    }
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/a.md",
            "---\ntitle: A\ndate: 2024-01-01\n---\n\n![[b#Why]]\n",
        )
        .file(
            "content/m1.md",
            "---\ntitle: M1\ndate: 2024-01-02\n---\n\nM.\n",
        )
        .file(
            "content/m2.md",
            "---\ntitle: M2\ndate: 2024-01-03\n---\n\nM.\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: B\ndate: 2024-01-05\n---\n\n## Why\n\nOld reason.\n",
        );
    let kept = site.path("kept");
    let mut session = Session::open(&options(&kept)).expect("open");
    session.build().expect("build");
    site.write(
        "content/b.md",
        "---\ntitle: B\ndate: 2024-01-05\n---\n\n## Why\n\nA new reason.\n",
    );
    session
        .apply(&Changes {
            content: vec![site.path("content/b.md")],
            ..Changes::default()
        })
        .expect("apply");
    session.build().expect("rebuild");
    let page = std::fs::read_to_string(kept.join("a/index.html")).expect("a");
    assert!(page.contains("A new reason."), "{page}");
    let clean = site.path("clean");
    vellum::build(&options(&clean)).expect("clean build");
    assert_eq!(crate::support::tree(&kept), crate::support::tree(&clean));
}
