//! The output folder: never the site itself, stale pages cleaned up, the user's own files kept,
//! and unchanged files left alone.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::support::*;

fn site() -> Site {
    Site::new()
        .file(
            "vellum.toml",
            "title = \"Safe\"\nbase_url = \"https://example.test/\"\n",
        )
        .file("content/keep.md", &essay("Keep", "2024-01-01", "Kept."))
        .file(
            "content/drop.md",
            &essay("Drop", "2024-02-02", "Dropped later."),
        )
        .file("static/robots-extra.txt", "extra\n")
}

/// Builds with `--output <output>`, expecting a refusal, and checks nothing under `watch`
/// changed.
#[track_caller]
fn refused(site: &Site, output: &Path, watch: &Path) -> Run {
    let before = tree(watch);
    let run = site
        .build(&["--output", output.to_str().expect("utf-8 path")])
        .failure();
    assert!(run.stderr.contains("refusing"), "{run}");
    assert_same_tree(&before, &tree(watch));
    run
}

#[test]
fn output_equal_to_the_root_is_refused() {
    let site = site();
    site.build(&[]).success();
    refused(&site, site.root(), site.root());
    assert!(site.path("content/keep.md").is_file());
    assert!(site.path("vellum.toml").is_file());
}

#[test]
fn output_equal_to_the_root_spelled_differently_is_refused() {
    let site = site();
    let dotted = site.root().join("content").join("..");
    refused(&site, &dotted, site.root());
}

#[test]
fn output_inside_content_is_refused() {
    let site = site();
    refused(&site, &site.path("content"), site.root());
    refused(&site, &site.path("content/out"), site.root());
    assert!(!site.path("content/out").exists());
}

#[test]
fn output_inside_static_or_templates_is_refused() {
    let site = site();
    refused(&site, &site.path("static"), site.root());
    refused(&site, &site.path("templates/x"), site.root());
}

#[test]
fn output_at_an_ancestor_of_the_root_is_refused() {
    let outer = tempfile::tempdir().expect("temp dir");
    std::fs::write(outer.path().join("precious.txt"), "do not delete").expect("write");
    let root = outer.path().join("blog");
    std::fs::create_dir_all(root.join("content")).expect("mkdir");
    std::fs::write(root.join("content/a.md"), essay("A", "2024-01-01", "Body.")).expect("write");

    let before = tree(outer.path());
    let mut cmd = vellum_cmd();
    cmd.arg("--root")
        .arg(&root)
        .arg("build")
        .arg("--output")
        .arg(outer.path());
    let run = Run::from(cmd.output().expect("run vellum")).failure();
    assert!(run.stderr.contains("refusing"), "{run}");
    assert_same_tree(&before, &tree(outer.path()));
}

#[test]
fn output_through_a_symlink_to_the_root_is_refused() {
    let site = site();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let link = elsewhere.path().join("link");
    std::os::unix::fs::symlink(site.root(), &link).expect("symlink");
    refused(&site, &link, site.root());
}

#[test]
fn a_deleted_essay_loses_its_page() {
    let site = site();
    site.build(&[]).success();
    assert!(site.exists("drop/index.html"));

    site.remove("content/drop.md");
    let run = site.build(&[]).success();
    assert!(!site.exists("drop/index.html"));
    assert!(!site.exists("drop"), "the emptied folder is left behind");
    assert!(site.exists("keep/index.html"));
    assert_eq!(
        texts(&site.html("index.html"), "main article.card h3 a"),
        ["Keep"]
    );
    assert!(!site.read("atom.xml").contains("Drop"));
    assert!(!site.read("sitemap.xml").contains("/drop/"));
    let (_, _, removed) = run.summary();
    assert!(removed >= 1, "{run}");
}

#[test]
fn a_removed_tag_loses_its_page() {
    let site = site().file(
        "content/tagged.md",
        "+++\ntitle = \"Tagged\"\ntags = [\"fleeting\"]\n+++\nBody.\n",
    );
    site.build(&[]).success();
    assert!(site.exists("tags/fleeting/index.html"));
    site.write("content/tagged.md", "+++\ntitle = \"Tagged\"\n+++\nBody.\n");
    site.build(&[]).success();
    assert!(!site.exists("tags/fleeting"));
}

#[test]
fn files_the_user_put_in_public_survive_rebuilds() {
    let site = site();
    site.build(&[]).success();
    site.write("public/CNAME", "essays.example.test\n");
    site.write("public/.well-known/keybase.txt", "proof\n");
    site.write("public/drop/notes.txt", "mine\n");

    site.build(&[]).success();
    site.remove("content/drop.md");
    site.build(&[]).success();
    site.build(&["--drafts"]).success();

    assert_eq!(site.read("CNAME"), "essays.example.test\n");
    assert_eq!(site.read(".well-known/keybase.txt"), "proof\n");
    // The folder of a deleted essay is kept while it holds the user's file.
    assert_eq!(site.read("drop/notes.txt"), "mine\n");
    assert!(!site.exists("drop/index.html"));
}

#[test]
fn a_file_the_user_made_before_the_first_build_survives() {
    let site = site().file("public/CNAME", "essays.example.test\n");
    site.build(&[]).success();
    site.build(&[]).success();
    assert_eq!(site.read("CNAME"), "essays.example.test\n");
}

#[test]
fn an_unchanged_site_rewrites_nothing() {
    let site = site()
        .file(
            "content/b/index.md",
            &essay("Bundle", "2023-01-01", "![x](x.png)"),
        )
        .bytes("content/b/x.png", b"png-bytes");
    let first = site.build(&[]).success();
    let (written, unchanged, _) = first.summary();
    assert!(written > 0, "{first}");
    assert_eq!(unchanged, 0, "{first}");

    let public = site.path("public");
    let before_times: BTreeMap<_, _> = mtimes(&public);
    let before_bytes = tree(&public);
    // Long enough for any filesystem's timestamps to tell a rewrite apart.
    std::thread::sleep(Duration::from_millis(1100));

    let second = site.build(&[]).success();
    let (written2, unchanged2, removed2) = second.summary();
    assert_eq!(written2, 0, "{second}");
    assert_eq!(removed2, 0, "{second}");
    assert_eq!(unchanged2, written, "{second}");
    assert!(second.stdout.contains(" 0 files written"), "{second}");
    assert_eq!(before_times, mtimes(&public), "modification times changed");
    assert_same_tree(&before_bytes, &tree(&public));
}

#[test]
fn changing_one_essay_rewrites_only_what_shows_it() {
    let site = site();
    site.build(&[]).success();
    let public = site.path("public");
    let before = mtimes(&public);
    std::thread::sleep(Duration::from_millis(1100));

    // The body is not on any list page (the summary is the first paragraph).
    site.write(
        "content/keep.md",
        &essay("Keep", "2024-01-01", "Kept.\n\nA new second paragraph."),
    );
    let run = site.build(&[]).success();
    let after = mtimes(&public);
    let changed: Vec<&String> = before.keys().filter(|k| before[*k] != after[*k]).collect();
    assert!(
        changed.contains(&&"keep/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed.contains(&&"drop/index.html".to_string()),
        "{changed:?}"
    );
    assert!(!changed.contains(&&"style.css".to_string()), "{changed:?}");
    let (written, _, _) = run.summary();
    assert_eq!(written, changed.len(), "{run}\n{changed:?}");
}

#[test]
fn no_temporary_files_are_left_behind() {
    let site = site();
    site.build(&[]).success();
    site.build(&[]).success();
    for name in tree(&site.path("public")).keys() {
        assert!(!name.ends_with(".vellum-tmp"), "{name}");
    }
}

#[test]
fn a_hand_edited_manifest_cannot_delete_outside_the_output() {
    let site = site();
    site.build(&[]).success();
    let manifest = site.path("public/.vellum-manifest");
    let mut text = read_text(&manifest);
    text.push_str("../vellum.toml\n../content/keep.md\n");
    std::fs::write(&manifest, text).expect("write manifest");
    site.build(&[]).success();
    assert!(site.path("vellum.toml").is_file());
    assert!(site.path("content/keep.md").is_file());
}
