//! Input that is strange but not wrong: every one of these builds, with exit code 0.

use std::time::{Duration, Instant};

use crate::support::*;

fn config() -> Site {
    Site::new().file(
        "vellum.toml",
        "title = \"Odd\"\nbase_url = \"https://example.test/\"\n",
    )
}

#[test]
fn an_empty_file() {
    let site = config()
        .file("content/empty.md", "")
        .file("content/blank.txt", "")
        .file("content/only-newlines.md", "\n\n\n");
    site.build(&[]).success();
    let page = site.html("empty/index.html");
    assert_eq!(only_text(&page, "h1"), "Empty");
    assert_eq!(count(&page, ".essay-body p"), 0);
    assert_eq!(only_text(&site.html("blank/index.html"), "h1"), "Blank");
    assert!(site.exists("only-newlines/index.html"));
}

#[test]
fn front_matter_and_nothing_else() {
    let site = config().file("content/fm.md", "+++\ntitle = \"Only Front Matter\"\n+++");
    site.build(&[]).success();
    assert_eq!(
        only_text(&site.html("fm/index.html"), "h1"),
        "Only Front Matter"
    );
}

#[test]
fn crlf_line_endings_with_a_bom() {
    let site = config()
        .file(
            "content/windows.md",
            "\u{feff}+++\r\ntitle = \"From Windows\"\r\ndate = 2024-03-03\r\ntags = [\"crlf\"]\r\n+++\r\n\r\nFirst paragraph.\r\n\r\n## A heading\r\n\r\nSecond paragraph.\r\n",
        )
        .file(
            "content/windows-yaml.md",
            "\u{feff}---\r\ntitle: YAML From Windows\r\n---\r\nBody.\r\n",
        );
    site.build(&[]).success();
    let page = site.html("windows/index.html");
    assert_eq!(only_text(&page, "h1"), "From Windows");
    assert_eq!(attrs(&page, "article time", "datetime"), ["2024-03-03"]);
    assert_eq!(texts(&page, ".essay-body h2"), ["A heading"]);
    assert_eq!(
        texts(&page, ".essay-body p"),
        ["First paragraph.", "Second paragraph."]
    );
    assert!(site.exists("tags/crlf/index.html"));
    assert_eq!(
        only_text(&site.html("windows-yaml/index.html"), "h1"),
        "YAML From Windows"
    );
    assert!(!site.read("windows/index.html").contains('\r'));
}

#[test]
fn crlf_plain_essay_with_a_bom() {
    let site = config().file(
        "content/plain.txt",
        "\u{feff}Plain From Windows\r\nOne paragraph.\r\nA heading\r\nAnother paragraph.\r\n",
    );
    site.build(&[]).success();
    let html = site.read("plain/index.html");
    assert!(!html.contains('\r'));
    assert!(!html.contains('\u{feff}'));
    let page = site.html("plain/index.html");
    assert_eq!(only_text(&page, "h1"), "Plain From Windows");
    assert_eq!(texts(&page, ".essay-body h2"), ["A heading"]);
    assert_eq!(
        texts(&page, ".essay-body p"),
        ["One paragraph.", "Another paragraph."]
    );
}

#[test]
fn old_mac_line_endings() {
    let site = config().file(
        "content/mac.md",
        "+++\rtitle = \"Carriage Returns\"\r+++\r\rBody.\r",
    );
    site.build(&[]).success();
    assert_eq!(
        only_text(&site.html("mac/index.html"), "h1"),
        "Carriage Returns"
    );
}

#[test]
fn a_five_megabyte_single_paragraph() {
    let sentence = "All work and no play makes a very long paragraph indeed, “quoted” — dashed. ";
    let mut body = String::with_capacity(5 * 1024 * 1024 + sentence.len());
    while body.len() < 5 * 1024 * 1024 {
        body.push_str(sentence);
    }
    let words = body.split_whitespace().count();
    let site = config().file(
        "content/huge.md",
        &format!("+++\ntitle = \"Huge\"\n+++\n\n{}\n", body.trim_end()),
    );
    let started = Instant::now();
    site.build(&[]).success();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    let page = site.html("huge/index.html");
    let ps = texts(&page, ".essay-body p");
    assert_eq!(ps.len(), 1);
    assert_eq!(ps[0].split_whitespace().count(), words);
    // 5 MB at 230 words a minute.
    let expected_minutes = words.div_ceil(230);
    assert!(
        only_text(&page, "p.meta").contains(&format!("{expected_minutes} min read")),
        "{}",
        only_text(&page, "p.meta")
    );
}

#[test]
fn a_five_megabyte_single_line_plain_essay() {
    let line = "word ".repeat(1024 * 1024);
    let site = config().file(
        "content/huge.txt",
        &format!("Huge Plain\n{}.\n", line.trim_end()),
    );
    site.build(&[]).success();
    let page = site.html("huge/index.html");
    assert_eq!(only_text(&page, "h1"), "Huge Plain");
    assert_eq!(count(&page, ".essay-body p"), 1);
}

#[test]
fn lists_nested_two_hundred_deep() {
    let mut text = String::from("+++\ntitle = \"Deep List\"\n+++\n\n");
    for depth in 0..200 {
        text.push_str(&"  ".repeat(depth));
        text.push_str(&format!("- level {depth}\n"));
    }
    let site = config().file("content/deep-list.md", &text);
    site.build(&[]).success();
    let html = site.read("deep-list/index.html");
    assert!(html.contains("level 0"));
    assert!(html.contains("level 199"));
}

#[test]
fn blockquotes_nested_two_hundred_deep() {
    let text = format!(
        "+++\ntitle = \"Deep Quote\"\n+++\n\n{} the bottom of the well\n",
        ">".repeat(200)
    );
    let site = config().file("content/deep-quote.md", &text);
    site.build(&[]).success();
    let page = site.html("deep-quote/index.html");
    assert!(count(&page, ".essay-body blockquote") >= 100);
    assert!(
        site.read("deep-quote/index.html")
            .contains("the bottom of the well")
    );
}

#[test]
fn mixed_nesting_two_hundred_deep() {
    let mut prefix = String::new();
    for i in 0..200 {
        prefix.push_str(if i % 2 == 0 { "> " } else { "- " });
    }
    let site = config().file(
        "content/mixed.md",
        &format!("+++\ntitle = \"Mixed\"\n+++\n\n{prefix}deep\n"),
    );
    site.build(&[]).success();
    assert!(site.read("mixed/index.html").contains("deep"));
}

#[test]
fn a_symlink_loop_under_content() {
    let site = config()
        .file("content/real.md", &essay("Real", "2024-01-01", "Body."))
        .file(
            "content/sub/inner.md",
            &essay("Inner", "2024-01-02", "Body."),
        );
    std::os::unix::fs::symlink(site.path("content"), site.path("content/sub/loop"))
        .expect("symlink");
    let run = site.build(&[]).success();
    assert!(run.stdout.contains("Built 2 essays"), "{run}");
    assert!(
        run.stderr.contains("loop"),
        "no warning about the loop\n{run}"
    );
    assert!(site.exists("real/index.html"));
    assert!(site.exists("sub/inner/index.html"));
}

#[test]
fn a_symlink_to_its_own_parent_directory() {
    let site = config().file("content/a/essay.md", &essay("A", "2024-01-01", "Body."));
    // content/a/up -> content/a: a directory linked to its parent.
    std::os::unix::fs::symlink("..", site.path("content/a/up")).expect("symlink");
    std::os::unix::fs::symlink(".", site.path("content/a/here")).expect("symlink");
    let run = site.build(&[]).success();
    assert!(run.stdout.contains("Built 1 essay "), "{run}");
}

#[test]
fn a_dangling_symlink_under_content() {
    let site = config().file("content/real.md", &essay("Real", "2024-01-01", "Body."));
    std::os::unix::fs::symlink(site.path("nowhere.md"), site.path("content/gone.md"))
        .expect("symlink");
    let run = site.build(&[]).no_panic();
    // A broken link is either skipped or reported by name; never a crash.
    if run.code != Some(0) {
        assert_eq!(run.code, Some(1), "{run}");
        assert!(run.stderr.contains("gone.md"), "{run}");
    }
}

#[test]
fn editor_droppings_are_ignored() {
    let site = config()
        .file("content/essay.md", &essay("Essay", "2024-01-01", "Body."))
        .file("content/essay.md~", "+++\nbroken")
        .file("content/.essay.md.swp", "+++\nbroken")
        .file("content/#essay.md#", "+++\nbroken")
        .file("content/.hidden/secret.md", "+++\nbroken")
        .file("content/.DS_Store", "junk");
    let run = site.build(&[]).success();
    assert!(run.stdout.contains("Built 1 essay "), "{run}");
    for (name, _) in tree(&site.path("public")) {
        assert!(
            !name.contains("swp") && !name.contains("DS_Store") && !name.contains('~'),
            "{name}"
        );
    }
}

#[test]
fn titles_and_tags_with_markup_characters_are_escaped() {
    let site = config().file(
        "content/markup.md",
        "+++\ntitle = \"<script>alert(1)</script> & “Friends”\"\ntags = [\"<b>bold</b>\", \"a&b\"]\ndescription = \"Quotes \\\" and <tags>\"\n+++\n\nBody.\n",
    );
    site.build(&[]).success();
    let page = site.html("markup/index.html");
    assert_eq!(count(&page, "script"), 0);
    assert_eq!(
        only_text(&page, "h1"),
        "<script>alert(1)</script> & “Friends”"
    );
    assert_eq!(texts(&page, "a[rel=tag]"), ["<b>bold</b>", "a&b"]);
    assert_eq!(
        attrs(&page, "meta[name=description]", "content"),
        ["Quotes \" and <tags>"]
    );
    let feed = site.read("atom.xml");
    assert!(!feed.contains("<script>"), "{feed}");
}

#[test]
fn a_title_with_no_letters_still_gets_a_page() {
    let site = config().file(
        "content/2024-01-01-!!!.md",
        "+++\ntitle = \"!!!\"\n+++\nBody.\n",
    );
    site.build(&[]).success();
    let home = site.html("index.html");
    let hrefs = attrs(&home, "main article.card h3 a", "href");
    assert_eq!(hrefs.len(), 1);
    let slug = hrefs[0]
        .trim_start_matches("https://example.test/")
        .trim_end_matches('/');
    assert!(!slug.is_empty());
    assert_eq!(
        only_text(&site.html(&format!("{slug}/index.html")), "h1"),
        "!!!"
    );
}

#[test]
fn non_ascii_file_names() {
    let site = config()
        .file("content/café-notes.md", "# Café Notes\n\nBody.\n")
        .file("content/日本語.md", "# 日本語\n\nBody.\n");
    site.build(&[]).success();
    assert_eq!(
        only_text(&site.html("cafe-notes/index.html"), "h1"),
        "Café Notes"
    );
    let home = site.html("index.html");
    assert_eq!(count(&home, "main article.card h3 a"), 2);
    for href in attrs(&home, "main article.card h3 a", "href") {
        let rel = href.trim_start_matches("https://example.test/");
        assert!(site.exists(&format!("{rel}index.html")), "{href}");
    }
}

#[test]
fn an_empty_content_folder_and_no_content_folder() {
    let site = config();
    site.build(&[]).success();
    assert!(site.exists("index.html"));
    assert!(site.exists("atom.xml"));
    std::fs::create_dir_all(site.path("content")).expect("mkdir");
    site.build(&[]).success();
    assert_eq!(count(&site.html("index.html"), "main article"), 0);
}

#[test]
fn a_footnote_named_like_a_heading_keeps_ids_unique() {
    let site = config().file(
        "content/notes.md",
        "+++\ntitle = \"Footnotes\"\n+++\n\nA claim.[^sources]\n\n## Sources\n\nSee below.[^1]\n\n## 1\n\n[^sources]: The note.\n[^1]: Another.\n",
    );
    site.build(&[]).success();
    let page = site.html("notes/index.html");
    let ids = attrs(&page, "[id]", "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "duplicate ids: {ids:?}");
    // Each endnote's back link returns to its reference, and each sidenote toggle controls its
    // own checkbox: neither points at a heading.
    let backrefs = attrs(&page, ".footnotes a.footnote-backref", "href");
    assert_eq!(backrefs.len(), 2, "{backrefs:?}");
    for href in backrefs {
        let target = select(&page, &format!("[id=\"{}\"]", href.trim_start_matches('#')));
        assert_eq!(target.len(), 1, "{href}");
        assert_eq!(target[0].value().name(), "sup", "{href}");
    }
    let toggles = attrs(&page, "label.sidenote-ref", "for");
    assert_eq!(toggles.len(), 2, "{toggles:?}");
    for id in toggles {
        let target = select(&page, &format!("[id=\"{id}\"]"));
        assert_eq!(target.len(), 1, "{id}");
        assert_eq!(target[0].value().attr("type"), Some("checkbox"), "{id}");
    }
}
