//! Nothing of the writer's is lost: builds are atomic (a killed or failed build leaves the
//! output wholly old or wholly new, with no temporary file in it), and vellum overwrites or
//! removes only files it wrote, knowing them by a record no file name can forge. Each test is
//! named after the way a file was lost before.

use std::collections::BTreeMap;
use std::process::Command;
use std::time::Instant;

use crate::support::*;

fn site() -> Site {
    Site::new()
        .file(
            "vellum.toml",
            "title = \"Safe\"\nbase_url = \"https://example.test/\"\n",
        )
        .file("content/keep.md", &essay("Keep", "2024-01-01", "Kept."))
        .file("content/other.md", &essay("Other", "2024-02-02", "Other."))
}

/// Names vellum writes under for a moment, which must never be left in the output.
fn temporaries(tree: &BTreeMap<String, Vec<u8>>) -> Vec<&String> {
    tree.keys()
        .filter(|name| name.contains(".vellum-tmp") || name.contains("vellum-new"))
        .collect()
}

/// The output holds exactly `expected`, with no temporary file in it, and no new or set-aside
/// tree was left beside it.
#[track_caller]
fn assert_output_is(site: &Site, expected: &BTreeMap<String, Vec<u8>>) {
    let now = tree(&site.path("public"));
    assert_same_tree(expected, &now);
    assert!(temporaries(&now).is_empty(), "{:?}", temporaries(&now));
    let beside = top_level(site);
    assert!(
        beside
            .iter()
            .all(|n| !n.contains("vellum-new") && !n.contains("vellum-old")),
        "{beside:?}"
    );
}

#[test]
fn a_newline_in_a_file_name_cannot_delete_the_users_file() {
    let site = site().file("content/photo\nnotes.pdf", "not really a pdf");
    site.build(&[]).success();
    assert!(site.exists("photo\nnotes.pdf"));
    // The user's own file, whose name is the second half of the odd one.
    site.write("public/notes.pdf", "the user's notes");
    site.build(&[]).success();
    site.remove("content/photo\nnotes.pdf");
    let run = site.build(&[]).success();
    assert!(!site.exists("photo\nnotes.pdf"), "{run}");
    assert_eq!(site.read("notes.pdf"), "the user's notes");
    assert_eq!(run.summary().2, 1, "only the odd file is removed: {run}");
}

#[test]
fn a_file_name_ending_in_a_newline_and_a_folder_name_does_not_break_later_builds() {
    let site = site().file("content/odd\ntags", "odd").file(
        "content/tagged.md",
        "+++\ntitle = \"T\"\ntags = [\"x\"]\n+++\nText.\n",
    );
    site.build(&[]).success();
    site.write("content/keep.md", &essay("Keep", "2024-01-01", "Changed."));
    site.build(&[]).success();
    site.build(&[]).success();
    assert!(site.exists("tags/x/index.html"));
    assert_eq!(site.read("odd\ntags"), "odd");
}

#[test]
fn a_hand_made_page_is_neither_replaced_nor_removed() {
    let site = site();
    site.build(&[]).success();
    site.write("public/about/index.html", "<p>my own about page</p>");
    let before = tree(&site.path("public"));

    site.write(
        "content/about.md",
        &essay("About", "2024-03-03", "Generated."),
    );
    let run = site.build(&[]).failure();
    run.stderr_has("public/about/index.html")
        .stderr_has("content/about.md")
        .stderr_has("did not write");
    assert_same_tree(&before, &tree(&site.path("public")));

    site.remove("content/about.md");
    site.build(&[]).success();
    assert_eq!(site.read("about/index.html"), "<p>my own about page</p>");
}

#[test]
fn an_output_folder_of_the_users_keeps_its_hand_written_index() {
    let site = site().file("docs/index.html", "<p>hand-written</p>");
    let run = site.build(&["--output", "docs"]).failure();
    run.stderr_has("docs/index.html");
    assert_eq!(
        read_text(&site.path("docs/index.html")),
        "<p>hand-written</p>"
    );
    assert_eq!(
        tree(&site.path("docs")).len(),
        1,
        "nothing else was written"
    );
    assert!(top_level(&site).iter().all(|n| !n.contains("vellum-new")));
}

#[test]
fn a_file_that_already_holds_the_page_is_taken_over() {
    // A site built by an older vellum whose manifest was lost: identical files are not the
    // user's work, so nothing is lost by owning them.
    let site = site();
    site.build(&[]).success();
    site.remove("public/.vellum-manifest");
    site.build(&[]).success();
    site.remove("content/other.md");
    site.build(&[]).success();
    assert!(!site.exists("other/index.html"));
}

#[test]
fn a_failed_build_changes_nothing_even_when_many_pages_changed() {
    let site = site();
    for i in 0..30 {
        site.write(
            &format!("content/e{i:02}.md"),
            &essay(&format!("E{i}"), "2024-01-01", "One."),
        );
    }
    site.build(&[]).success();
    let before = tree(&site.path("public"));
    for i in 0..30 {
        site.write(
            &format!("content/e{i:02}.md"),
            &essay(&format!("E{i}"), "2024-01-01", "Two."),
        );
    }
    // A folder of the user's where one page goes.
    site.remove("public/e29/index.html");
    std::fs::create_dir(site.path("public/e29/index.html")).expect("mkdir");
    let run = site.build(&[]).failure();
    run.stderr_has("public/e29/index.html");
    let mut expected = before;
    expected.remove("e29/index.html");
    assert_output_is(&site, &expected);
}

#[test]
fn a_slug_of_vellum_manifest_is_refused_and_leaves_nothing_behind() {
    let site = site();
    site.build(&[]).success();
    let before = tree(&site.path("public"));
    site.write(
        "content/sneaky.md",
        "+++\ntitle = \"Sneaky\"\nslug = \".vellum-manifest\"\n+++\nText.\n",
    );
    site.build(&[])
        .failure()
        .stderr_has("content/sneaky.md")
        .stderr_has("a name vellum keeps for itself");
    assert_output_is(&site, &before);
}

#[cfg(unix)]
#[test]
fn removing_a_page_never_follows_a_link_out_of_the_output() {
    let site = site();
    let victim = tempfile::tempdir().expect("tempdir");
    std::fs::write(victim.path().join("index.html"), "precious").expect("write");
    site.build(&[]).success();
    // The essay's folder replaced by a link to a folder of the user's elsewhere.
    std::fs::remove_dir_all(site.path("public/other")).expect("rm");
    std::os::unix::fs::symlink(victim.path(), site.path("public/other")).expect("symlink");
    site.remove("content/other.md");
    site.build(&[]).success();
    assert_eq!(read_text(&victim.path().join("index.html")), "precious");
}

#[test]
fn leftovers_of_an_interrupted_write_are_cleared_by_the_next_build() {
    let site = site();
    site.build(&[]).success();
    // As an older vellum, or a killed watch, left them.
    site.write("public/keep/index.html.vellum-tmp", "half");
    site.write("public/index.html.vellum-tmp", "half");
    site.write("content/keep.md", &essay("Keep", "2024-01-01", "Edited."));
    site.build(&[]).success();
    assert_eq!(
        temporaries(&tree(&site.path("public"))),
        Vec::<&String>::new()
    );
}

/// A site large enough that a build takes a while, in two versions (`version` changes every
/// page, and the set of tags).
fn write_version(site: &Site, essays: usize, version: usize) {
    for i in 0..essays {
        site.write(
            &format!("content/essay-{i:04}.md"),
            &format!(
                "+++\ntitle = \"Essay {i} v{version}\"\ndate = 2024-01-{:02}\ntags = [\"t{}\", \"v{version}\"]\n+++\n\nVersion {version} of essay {i}.\n\n## Part\n\nMore text, version {version}.\n",
                i % 28 + 1,
                i % 7
            ),
        );
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one() {
    let site = Site::new().file(
        "vellum.toml",
        "title = \"Killed\"\nbase_url = \"https://example.test/\"\n",
    );
    let essays = 200;
    // The two sites, as clean builds make them.
    write_version(&site, essays, 1);
    site.build(&[]).success();
    site.write("public/CNAME", "example.test\n");
    let old = tree(&site.path("public"));
    write_version(&site, essays, 2);
    let started = Instant::now();
    site.build(&[]).success();
    let full = started.elapsed();
    let new = tree(&site.path("public"));
    assert_ne!(old, new);

    let rounds: u64 = std::env::var("VELLUM_KILL_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10);
    let mut outcomes = (0, 0);
    for round in 0..rounds {
        // Back to the old site, then a build of the new one killed part-way.
        write_version(&site, essays, 1);
        site.build(&[]).success();
        assert_same_tree(&old, &tree(&site.path("public")));
        write_version(&site, essays, 2);
        // Spread over the whole build, start to finish, and a little past it.
        let at = full.mul_f64((round as f64 * 0.618_034).fract() * 1.2);
        let mut child = Command::new(env!("CARGO_BIN_EXE_vellum"))
            .arg("--root")
            .arg(site.root())
            .arg("build")
            .env_remove("SOURCE_DATE_EPOCH")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start vellum");
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();

        let now = tree(&site.path("public"));
        assert!(
            temporaries(&now).is_empty(),
            "round {round}: {:?}",
            temporaries(&now)
        );
        if now == old {
            outcomes.0 += 1;
        } else if now == new {
            outcomes.1 += 1;
        } else {
            let mixed: Vec<&String> = now
                .keys()
                .filter(|k| old.get(*k) != now.get(*k) && new.get(*k) != now.get(*k))
                .take(5)
                .collect();
            panic!("round {round} (killed after {at:?}): a mixed site, e.g. {mixed:?}");
        }
        // The next build finishes the job and clears what the killed one left beside.
        site.build(&[]).success();
        assert_output_is(&site, &new);
    }
    // Both outcomes happen, or the kills did not land inside builds.
    assert!(
        outcomes.0 > 0 && outcomes.1 > 0,
        "old/new outcomes: {outcomes:?} (build takes {full:?})"
    );
}

#[test]
fn a_build_that_cannot_finish_leaves_nothing_beside_the_output() {
    let site = site();
    site.build(&[]).success();
    let before = tree(&site.path("public"));
    site.write(
        "content/broken.md",
        "+++\ntitle = \"Broken\"\ndate = 2024-13-45\n+++\nText.\n",
    );
    site.build(&[]).failure();
    assert_output_is(&site, &before);
}

/// `vellum build` where no file larger than `blocks` × 512 bytes can be written, as on a full
/// disk: the write fails with an error (the signal that would end the process is ignored).
#[cfg(unix)]
fn build_with_little_room(site: &Site, blocks: u32) -> Run {
    let script = format!("trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" --root \"$1\" build");
    let mut cmd = assert_cmd::Command::new("sh");
    cmd.arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_vellum"))
        .arg(site.root())
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1");
    Run::from(cmd.output().expect("run vellum"))
}

#[cfg(unix)]
#[test]
fn a_disk_that_fills_during_a_build_changes_nothing_and_leaves_no_temporary_file() {
    let site = site();
    site.build(&[]).success();
    let before = tree(&site.path("public"));
    // A long essay: its page no longer fits.
    let long = "A sentence that takes some room on the page. ".repeat(400);
    site.write("content/keep.md", &essay("Keep", "2024-01-01", &long));
    let run = build_with_little_room(&site, 8);
    assert_ne!(run.code, Some(0), "{run}");
    run.stderr_has("public/");
    assert_output_is(&site, &before);
    // With room again, the build goes through.
    site.build(&[]).success();
    assert!(site.read("keep/index.html").contains("takes some room"));
}

/// The spare tree a build keeps to make the next site from (see `output::spare`).
fn spare(site: &Site) -> std::path::PathBuf {
    let found: Vec<_> = std::fs::read_dir(site.path(".vellum-cache"))
        .expect("the cache folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("spare-"))
        })
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

#[cfg(unix)]
#[test]
fn whatever_is_left_in_the_spare_tree_never_reaches_the_site_or_beyond() {
    let site = site();
    let victim = tempfile::tempdir().expect("tempdir");
    std::fs::write(victim.path().join("index.html"), "precious").expect("write");
    site.build(&[]).success();
    site.write("content/keep.md", &essay("Keep", "2024-01-01", "Second."));
    site.build(&[]).success();
    let spare = spare(&site);
    // Junk of every kind where the next site's files go.
    std::fs::remove_file(spare.join("index.html")).ok();
    std::fs::create_dir_all(spare.join("index.html/inner")).expect("mkdir");
    std::fs::remove_dir_all(spare.join("keep")).ok();
    std::fs::write(spare.join("keep"), "a file where a folder goes").expect("write");
    std::fs::remove_dir_all(spare.join("other")).ok();
    std::os::unix::fs::symlink(victim.path(), spare.join("other")).expect("symlink");
    std::fs::write(spare.join("stray.txt"), "stray").expect("write");

    site.write("content/keep.md", &essay("Keep", "2024-01-01", "Third."));
    site.build(&[]).success();
    let clean = site.path("clean");
    site.build(&["--output", clean.to_str().expect("utf-8")])
        .success();
    assert_same_tree(&tree(&clean), &tree(&site.path("public")));
    assert_eq!(read_text(&victim.path().join("index.html")), "precious");
    assert_eq!(std::fs::read_dir(victim.path()).expect("list").count(), 1);
}

#[test]
fn a_page_is_never_written_into_a_file_the_live_site_shares() {
    // The spare shares the pages the last build left unchanged with the live site (hard
    // links): writing a page into it must make a new file, or the live page would change
    // before the swap, and a kill then would leave a mixed site.
    let site = site();
    site.build(&[]).success();
    site.write("content/keep.md", &essay("Keep", "2024-01-01", "Second."));
    site.build(&[]).success();
    // `other` did not change in the last build: its page in the spare is the live one.
    site.write(
        "content/other.md",
        &essay("Other", "2024-02-02", "Changed at last."),
    );
    site.build(&[]).success();
    let live = tree(&site.path("public"));
    let spare_tree = tree(&spare(&site));
    assert!(String::from_utf8_lossy(&live["other/index.html"]).contains("Changed at last."));
    let before = String::from_utf8_lossy(&spare_tree["other/index.html"]).into_owned();
    assert!(
        before.contains("Other.") && !before.contains("Changed at last."),
        "{before}"
    );
}

#[test]
fn builds_run_at_once_into_one_output_leave_a_whole_site() {
    let site = Site::new().file(
        "vellum.toml",
        "title = \"Busy\"\nbase_url = \"https://example.test/\"\n",
    );
    write_version(&site, 60, 1);
    site.build(&[]).success();
    site.build(&[]).success();
    for version in 2..9 {
        write_version(&site, 60, version);
        let builds: Vec<_> = (0..3)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_vellum"))
                    .arg("--root")
                    .arg(site.root())
                    .arg("build")
                    .env_remove("SOURCE_DATE_EPOCH")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .expect("start vellum")
            })
            .collect();
        for mut build in builds {
            assert!(build.wait().expect("wait").success());
        }
        let clean = site.path("clean");
        site.build(&["--output", clean.to_str().expect("utf-8")])
            .success();
        assert_same_tree(&tree(&clean), &tree(&site.path("public")));
        std::fs::remove_dir_all(&clean).expect("rm clean");
    }
}
