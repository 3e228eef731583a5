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

/// The pages of a clean build of `site` (into a fresh folder, with no record of earlier
/// builds), to compare a rebuild with.
fn clean_tree(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let fresh = site.path("fresh");
    let _ = std::fs::remove_dir_all(&fresh);
    let _ = std::fs::remove_dir_all(site.path(".vellum-cache"));
    site.build(&["--output", fresh.to_str().expect("a UTF-8 path")])
        .success();
    tree(&fresh)
}

#[test]
fn a_second_build_renders_nothing_and_changes_nothing() {
    let site = site();
    site.build(&[]).success();
    let first = tree(&site.path("public"));
    let run = site.build(&["--timings"]).success();
    assert_eq!(run.summary().0, 0, "{run}");
    assert!(
        !run.stdout.contains("template essay.html"),
        "nothing rendered\n{run}"
    );
    assert_eq!(tree(&site.path("public")), first);
    // The record of builds sits in the site, not in the output.
    assert!(site.path(".vellum-cache").is_dir());
    assert!(
        !first.keys().any(|k| k.contains("vellum-cache")),
        "{:?}",
        first.keys()
    );
}

#[test]
fn pages_deleted_or_edited_by_hand_in_the_output_are_made_again() {
    let site = site();
    site.build(&[]).success();
    let expected = tree(&site.path("public"));
    std::fs::remove_file(site.path("public/keep/index.html")).unwrap();
    std::fs::write(site.path("public/drop/index.html"), "scribbled over").unwrap();
    std::fs::remove_file(site.path("public/style.css")).unwrap();
    let run = site.build(&[]).success();
    assert_eq!(run.summary().0, 3, "{run}");
    assert_same_tree(&tree(&site.path("public")), &expected);
}

#[test]
fn a_new_build_after_edits_matches_a_clean_build() {
    let site = site();
    site.build(&[]).success();
    site.write(
        "content/keep.md",
        &essay(
            "Kept, retitled",
            "2024-03-03",
            "Kept, and moved to the top.",
        ),
    );
    site.remove("content/drop.md");
    site.write(
        "content/new.md",
        &essay("New", "2024-04-04", "A new essay."),
    );
    site.build(&[]).success();
    assert_same_tree(&tree(&site.path("public")), &clean_tree(&site));
}

#[test]
fn a_damaged_record_of_builds_only_costs_time() {
    let site = site();
    site.build(&[]).success();
    let expected = tree(&site.path("public"));
    let records: Vec<_> = std::fs::read_dir(site.path(".vellum-cache"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(records.len(), 1, "{records:?}");
    // Every fingerprint wrong, and a line of garbage: the pages are made again, not trusted.
    let text = std::fs::read_to_string(&records[0]).unwrap();
    let damaged: String = text
        .lines()
        .map(|line| match line.split('\t').collect::<Vec<_>>()[..] {
            [path, _, size, modified] => format!("{path}\t0000000000000bad\t{size}\t{modified}\n"),
            _ => format!("{line}\n"),
        })
        .chain(["not\ta record\n".to_string()])
        .collect();
    std::fs::write(&records[0], damaged).unwrap();
    std::fs::remove_file(site.path("public/keep/index.html")).unwrap();
    let run = site.build(&["--timings"]).success();
    assert!(run.stdout.contains("template essay.html: "), "{run}");
    assert!(
        run.stdout.contains(" over 2 pages"),
        "both essays rendered again\n{run}"
    );
    assert_same_tree(&tree(&site.path("public")), &expected);
}

/// A site of `n` small essays, dated one day apart (essay 0 the newest), with an essay
/// template that fails for an essay whose `boom` is not a date.
fn large_site(n: usize) -> Site {
    let site = Site::new()
        .file("vellum.toml", "title = \"Large\"\nbase_url = \"https://example.test/\"\n")
        .file(
            "templates/essay.html",
            "{% extends \"default/essay.html\" %}{% block title %}{% if essay.extra.boom %}{{ essay.extra.boom | date(format=\"%Y\") }}{% endif %}{{ essay.title }}{% endblock title %}",
        );
    for i in 0..n {
        site.write(&format!("content/e{i:04}.md"), &large_essay(i, ""));
    }
    site
}

fn large_essay(i: usize, extra: &str) -> String {
    let day = days_back(i);
    format!("+++\ntitle = \"Essay {i}\"\ndate = {day}\n{extra}+++\n\nBody of essay {i}.\n")
}

/// `i` days before 2025-12-28, counting in 28-day months (enough for distinct dates in the
/// past).
fn days_back(i: usize) -> String {
    let (year, rest) = (2025 - i / 336, i % 336);
    format!("{year}-{:02}-{:02}", 12 - rest / 28, 28 - rest % 28)
}

#[test]
fn a_large_build_that_fails_late_leaves_the_site_as_it_was() {
    // More pages than one batch of the writer (1,024), so that pages are staged before the
    // failing ones render.
    let site = large_site(1_100);
    site.build(&[]).success();
    let before = tree(&site.path("public"));
    let folders_before = std::fs::read_dir(site.path("public"))
        .expect("public")
        .count();

    // New essays (their pages are staged in the first batch), and two broken old ones whose
    // pages come in the last batch.
    for i in 0..20 {
        site.write(
            &format!("content/new{i:02}.md"),
            &large_essay(i, "").replace("Essay", "New"),
        );
    }
    site.write(
        "content/e1050.md",
        &large_essay(1_050, "boom = \"first\"\n"),
    );
    site.write("content/e1099.md", &large_essay(1_099, "boom = \"last\"\n"));
    // Without the record of the last build every page renders again: more than one batch.
    std::fs::remove_dir_all(site.path(".vellum-cache")).expect("remove the record");
    let run = site.build(&[]).failure();
    run.stderr_has("content/e1050.md");
    run.stderr_has("content/e1099.md");

    assert_same_tree(&tree(&site.path("public")), &before);
    let folders_after = std::fs::read_dir(site.path("public"))
        .expect("public")
        .count();
    assert_eq!(
        folders_after, folders_before,
        "no folders left from the failed build"
    );

    // Mended, it builds to what a clean build gives.
    site.write("content/e1050.md", &large_essay(1_050, ""));
    site.write("content/e1099.md", &large_essay(1_099, ""));
    site.build(&[]).success();
    assert_same_tree(&tree(&site.path("public")), &clean_tree(&site));
}

#[test]
fn a_first_build_that_fails_late_leaves_no_output_folder_and_nothing_beside_it() {
    // A first build writes the whole site into a new folder beside `public/` and renames it
    // into place at the end; more pages than one batch, so that some are written before the
    // broken one renders.
    let site = large_site(1_100);
    site.write("content/e1099.md", &large_essay(1_099, "boom = \"last\"\n"));
    let before = top_level(&site);
    site.build(&[]).failure().stderr_has("content/e1099.md");
    assert_eq!(top_level(&site), before, "nothing left beside the output");
    assert!(!site.path("public").exists());

    site.write("content/e1099.md", &large_essay(1_099, ""));
    site.build(&[]).success();
    let mut expected = before.clone();
    expected.extend([".vellum-cache".to_string(), "public".to_string()]);
    expected.sort();
    assert_eq!(top_level(&site), expected, "only the output and the record");
    assert_same_tree(&tree(&site.path("public")), &clean_tree(&site));
}

#[test]
fn a_new_site_folder_left_by_a_killed_first_build_is_cleared_away() {
    let site = site();
    // As a first build killed half-way leaves it: its process is gone (no process has this
    // number).
    site.write(".public.vellum-new-4294967295/keep/index.html", "half");
    // One whose process is alive (this test's own) may still be building: left alone.
    let busy = format!(".public.vellum-new-{}/index.html", std::process::id());
    site.write(&busy, "busy");
    site.build(&[]).success();
    assert!(!site.path(".public.vellum-new-4294967295").exists());
    assert_eq!(read_text(&site.path(&busy)), "busy");
    assert!(site.exists("index.html"));
}
