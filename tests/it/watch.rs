//! `vellum watch` as a writer uses it: the real binary watching a temporary site while files
//! are saved the ways editors save them. Every wait is bounded and polls for the result; none
//! is a fixed sleep alone. At the end, the watched output equals a clean build.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Site, tree};

/// The watcher, killed when dropped (a failing test must not leave it running).
struct Watcher(Child);

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(site: &Site) -> Watcher {
    let child = Command::new(env!("CARGO_BIN_EXE_vellum"))
        .arg("--root")
        .arg(site.root())
        .arg("watch")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start vellum watch");
    Watcher(child)
}

/// Waits (up to 10 s) until `check` holds; panics with `what` otherwise.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("timed out waiting for: {what}");
}

fn page(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.path(&format!("public/{rel}"))).unwrap_or_default()
}

fn essay(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = 2025-05-05\ntags = [\"walking\"]\n+++\n\n{body}\n")
}

#[test]
fn saves_in_every_editor_style_are_picked_up_and_end_as_a_clean_build() {
    let site = Site::new()
        .file(
            "vellum.toml",
            "title = \"Watched\"\nbase_url = \"https://example.test/\"\n",
        )
        .file("content/walk.md", &essay("A Walk", "First version."))
        .file("content/other.md", &essay("Other", "Other essay."));
    let watcher = start(&site);
    eventually("the first build", || {
        page(&site, "walk/index.html").contains("First version.")
    });

    // Write in place.
    site.write("content/walk.md", &essay("A Walk", "In place."));
    eventually("an in-place save", || {
        page(&site, "walk/index.html").contains("In place.")
    });

    // Write a temporary file, then rename it over the essay (most editors' atomic save).
    site.write(
        "content/.walk.md.tmp1234",
        &essay("A Walk", "Renamed over."),
    );
    std::fs::rename(
        site.path("content/.walk.md.tmp1234"),
        site.path("content/walk.md"),
    )
    .expect("rename over");
    eventually("an atomic save", || {
        page(&site, "walk/index.html").contains("Renamed over.")
    });

    // Delete and create again.
    site.remove("content/walk.md");
    site.write("content/walk.md", &essay("A Walk", "Recreated."));
    eventually("delete and recreate", || {
        page(&site, "walk/index.html").contains("Recreated.")
    });

    // vim: probe file, rename the original to a backup, write anew, delete the backup.
    site.write("content/4913", "");
    site.remove("content/4913");
    std::fs::rename(site.path("content/walk.md"), site.path("content/walk.md~")).expect("backup");
    site.write("content/walk.md", &essay("A Walk", "Saved by vim."));
    site.remove("content/walk.md~");
    eventually("vim's save", || {
        page(&site, "walk/index.html").contains("Saved by vim.")
    });

    // A burst of saves: the last one wins.
    for n in 0..25 {
        site.write("content/walk.md", &essay("A Walk", &format!("Burst {n}.")));
    }
    eventually("the last of a burst", || {
        page(&site, "walk/index.html").contains("Burst 24.")
    });

    // A title change reaches the home page and the tag page.
    site.write("content/walk.md", &essay("A Longer Walk", "Retitled."));
    eventually("a new title on the home and tag pages", || {
        page(&site, "index.html").contains("A Longer Walk")
            && page(&site, "tags/walking/index.html").contains("A Longer Walk")
            && page(&site, "atom.xml").contains("A Longer Walk")
    });

    // New, renamed and deleted essays.
    site.write("content/new.md", &essay("Brand New", "New."));
    eventually("a new essay", || {
        page(&site, "index.html").contains("Brand New")
    });
    std::fs::rename(site.path("content/new.md"), site.path("content/moved.md")).expect("rename");
    eventually("a renamed essay", || {
        site.path("public/moved/index.html").exists()
            && !site.path("public/new/index.html").exists()
    });
    site.remove("content/other.md");
    eventually("a deleted essay", || {
        !site.path("public/other/index.html").exists()
    });

    // A broken essay keeps the last good page; mending it recovers.
    site.write(
        "content/walk.md",
        "+++\ntitle = \"Broken\"\ndate = \"soon\"\n+++\nBody.\n",
    );
    site.write(
        "content/moved.md",
        &essay("Brand New", "Edited while another is broken."),
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(page(&site, "walk/index.html").contains("Retitled."));
    assert!(!page(&site, "moved/index.html").contains("Edited while"));
    site.write("content/walk.md", &essay("A Longer Walk", "Mended."));
    eventually("recovery after a broken save", || {
        page(&site, "walk/index.html").contains("Mended.")
            && page(&site, "moved/index.html").contains("Edited while")
    });

    // Configuration and templates.
    site.write(
        "vellum.toml",
        "title = \"Renamed Site\"\nbase_url = \"https://example.test/\"\n",
    );
    eventually("a configuration change", || {
        page(&site, "index.html").contains("Renamed Site")
    });
    site.write(
        "templates/essay.html",
        "{% extends \"default/essay.html\" %}{% block title %}T: {{ essay.title }}{% endblock title %}",
    );
    eventually("a new template", || {
        page(&site, "walk/index.html").contains("<title>T: A Longer Walk</title>")
    });

    // Editor litter and the output folder never trigger a build: nothing changes on disk.
    let before = tree(&site.path("public"));
    site.write("content/.walk.md.swp", "swap");
    site.write("content/walk.md~", "backup");
    site.write("public/extra.txt", "mine");
    std::thread::sleep(Duration::from_millis(300));
    let mut after = tree(&site.path("public"));
    after.remove("extra.txt");
    assert!(before == after, "editor files changed the site");
    site.remove("content/.walk.md.swp");
    site.remove("content/walk.md~");
    site.remove("public/extra.txt");

    // What the watcher wrote is what a clean build writes.
    let watched = tree(&site.path("public"));
    drop(watcher);
    let clean = site.path("clean");
    site.build(&["--output", clean.to_str().expect("utf-8 path")])
        .success();
    assert_same_trees(&watched, &tree(&clean));
}

fn assert_same_trees(
    a: &std::collections::BTreeMap<String, Vec<u8>>,
    b: &std::collections::BTreeMap<String, Vec<u8>>,
) {
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in a {
        assert!(b.get(name) == Some(bytes), "{name} differs");
    }
}

#[test]
fn each_rebuild_prints_one_line() {
    let site = Site::new()
        .file(
            "vellum.toml",
            "title = \"W\"\nbase_url = \"https://example.test/\"\n",
        )
        .file("content/a.md", &essay("A", "One."));
    let mut watcher = start(&site);
    eventually("the first build", || {
        page(&site, "a/index.html").contains("One.")
    });
    site.write("content/a.md", &essay("A", "Two."));
    eventually("the rebuild", || {
        page(&site, "a/index.html").contains("Two.")
    });
    std::thread::sleep(Duration::from_millis(100));
    let _ = watcher.0.kill();
    let mut out = String::new();
    if let Some(stdout) = watcher.0.stdout.as_mut() {
        let _ = stdout.read_to_string(&mut out);
    }
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("content/a.md:"))
        .collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].contains("files rendered") && lines[0].ends_with(" ms"),
        "{out}"
    );
}

#[test]
fn a_scheduled_essay_appears_when_its_date_comes_without_a_save() {
    let due = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second() + 3)
        .expect("a time in range");
    let site = Site::new()
        .file(
            "vellum.toml",
            "title = \"W\"\nbase_url = \"https://example.test/\"\n",
        )
        .file("content/a.md", &essay("A", "One."))
        .file(
            "content/later.md",
            &format!("+++\ntitle = \"Later\"\ndate = {due}\n+++\n\nScheduled.\n"),
        );
    let _watcher = start(&site);
    eventually("the first build", || {
        page(&site, "a/index.html").contains("One.")
    });
    if jiff::Timestamp::now() < due {
        assert!(
            !site.exists("public/later/index.html"),
            "shown before its date"
        );
        assert!(!page(&site, "index.html").contains("Later"));
    }
    eventually("the scheduled essay, once due", || {
        page(&site, "later/index.html").contains("Scheduled.")
            && page(&site, "index.html").contains("Later")
    });
}

/// What a clean build of the site writes, for comparison with what a watcher left.
fn clean_build(site: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    let clean = site.path("clean");
    site.build(&["--output", clean.to_str().expect("utf-8 path")])
        .success();
    let built = tree(&clean);
    std::fs::remove_dir_all(&clean).expect("remove the clean build");
    built
}

fn three_essays() -> Site {
    Site::new()
        .file(
            "vellum.toml",
            "title = \"W\"\nbase_url = \"https://example.test/\"\n",
        )
        .file("content/a.md", &essay("A", "One."))
        .file("content/b.md", &essay("B", "Bee."))
        .file("content/c.md", &essay("C", "Sea."))
}

#[test]
fn the_output_deleted_or_edited_while_watching_is_made_whole_again() {
    let site = three_essays();
    let watcher = start(&site);
    eventually("the first build", || {
        page(&site, "a/index.html").contains("One.")
    });

    // The whole output removed, then one essay saved.
    std::fs::remove_dir_all(site.path("public")).expect("remove public");
    site.write("content/a.md", &essay("A", "Two."));
    eventually("the rebuild", || {
        page(&site, "a/index.html").contains("Two.")
    });
    eventually("every page back", || {
        page(&site, "c/index.html").contains("Sea.")
    });

    // Pages deleted and edited by hand, and no save: the watcher notices on its own.
    site.remove("public/b/index.html");
    site.write("public/c/index.html", "scribbled over");
    eventually("the hand-made damage repaired", || {
        page(&site, "b/index.html").contains("Bee.") && page(&site, "c/index.html").contains("Sea.")
    });

    // A page edited by hand, then its essay deleted: the page still goes.
    site.write("public/b/index.html", "scribbled over again");
    site.remove("content/b.md");
    // The manifest is written after the pages: once it no longer names the page, the rebuild
    // is over, and the output can be compared (comparing as soon as the page went was a race
    // that a loaded CI machine lost, with `.vellum-manifest differs`).
    eventually("the deleted essay's page removed and forgotten", || {
        !site.path("public/b/index.html").exists()
            && !std::fs::read_to_string(site.path("public/.vellum-manifest"))
                .unwrap_or_default()
                .lines()
                .any(|line| line == "b/index.html")
    });
    let watched = tree(&site.path("public"));
    drop(watcher);
    assert_same_trees(&watched, &clean_build(&site));
}

#[cfg(unix)]
#[test]
fn a_content_folder_replaced_by_a_copy_is_still_watched() {
    let site = three_essays();
    let watcher = start(&site);
    eventually("the first build", || {
        page(&site, "a/index.html").contains("One.")
    });
    std::fs::rename(site.path("content"), site.path("content.old")).expect("mv");
    let copied = std::process::Command::new("cp")
        .arg("-a")
        .arg(site.path("content.old"))
        .arg(site.path("content"))
        .status()
        .expect("cp -a");
    assert!(copied.success());
    // Give the watcher a moment to see the new folder, then save into it.
    std::thread::sleep(Duration::from_millis(300));
    site.write("content/b.md", &essay("B", "Saved into the copy."));
    eventually("a save into the new content folder", || {
        page(&site, "b/index.html").contains("Saved into the copy.")
    });
    site.write("content/c.md", &essay("C", "And again."));
    eventually("a second save", || {
        page(&site, "c/index.html").contains("And again.")
    });
    std::fs::remove_dir_all(site.path("content.old")).expect("rm content.old");
    let watched = tree(&site.path("public"));
    drop(watcher);
    assert_same_trees(&watched, &clean_build(&site));
}

/// Regression: removing a deleted essay's page followed a link placed in the output.
#[cfg(unix)]
#[test]
fn a_rebuild_never_removes_anything_through_a_link_in_the_output() {
    let site = three_essays();
    let victim = tempfile::tempdir().expect("tempdir");
    std::fs::write(victim.path().join("index.html"), "precious").expect("write");
    let watcher = start(&site);
    eventually("the first build", || {
        page(&site, "c/index.html").contains("Sea.")
    });
    std::fs::remove_dir_all(site.path("public/c")).expect("rm");
    std::os::unix::fs::symlink(victim.path(), site.path("public/c")).expect("symlink");
    site.remove("content/c.md");
    site.write("content/a.md", &essay("A", "After."));
    eventually("the rebuild", || {
        page(&site, "a/index.html").contains("After.")
    });
    std::thread::sleep(Duration::from_millis(200));
    drop(watcher);
    assert_eq!(
        std::fs::read_to_string(victim.path().join("index.html")).expect("the victim's file"),
        "precious"
    );
}
