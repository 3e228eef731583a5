//! Dates from git history: an essay that dates itself nowhere takes its first commit's date,
//! and a later commit gives its `updated`; a shallow clone, or no git at all, leaves it
//! undated. The repositories are made here with fixed commit dates.

use std::path::Path;
use std::process::Command;

use crate::support::*;

/// Whether `git` can be run; the tests that need it say so and pass when it cannot.
#[allow(clippy::print_stderr)] // the note is the point: a skipped test says so
fn have_git() -> bool {
    let found = Command::new("git").arg("--version").output().is_ok();
    if !found {
        eprintln!("note: git is not installed; skipping a git-history test");
    }
    found
}

/// Runs `git <args>` in `dir` as a fixed author, at `date`, ignoring the user's configuration.
fn git(dir: &Path, date: &str, args: &[&str]) {
    let output = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Writer",
            "-c",
            "user.email=writer@example.test",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn commit_all(dir: &Path, date: &str, message: &str) {
    git(dir, date, &["add", "-A", "content", "vellum.toml"]);
    git(dir, date, &["commit", "-q", "-m", message]);
}

const FIRST: &str = "2021-03-04T10:00:00+02:00";
const SECOND: &str = "2022-05-06T12:00:00Z";

/// A site in a repository with two commits: `undated.md` is changed by both, the others are
/// committed once, and `new.md` is never committed.
fn site_in_git() -> Site {
    let site = Site::new()
        .file(
            "vellum.toml",
            "title = \"G\"\nbase_url = \"https://example.test/\"\n",
        )
        .file("content/undated.md", "# Undated\n\nFirst draft.\n")
        .file(
            "content/dated.md",
            "+++\ntitle = \"Dated\"\ndate = 2020-01-01\n+++\nText.\n",
        )
        .file("content/2019-02-03-named.md", "# Named\n\nText.\n")
        .file("content/odd name é.md", "# Odd\n\nText.\n");
    git(site.root(), FIRST, &["init", "-q"]);
    commit_all(site.root(), FIRST, "first");
    site.write("content/undated.md", "# Undated\n\nSecond draft.\n");
    commit_all(site.root(), SECOND, "second");
    site.write("content/new.md", "# New\n\nNot committed.\n");
    site
}

/// The `<published>` and `<updated>` of the feed entry for `url`.
fn entry_dates(feed: &str, url: &str) -> (Option<String>, String) {
    let start = feed
        .find(&format!("<id>{url}</id>"))
        .unwrap_or_else(|| panic!("no entry for {url} in\n{feed}"));
    let entry = &feed[start
        ..feed[start..]
            .find("</entry>")
            .map_or(feed.len(), |e| start + e)];
    let tag = |name: &str| {
        let open = format!("<{name}>");
        let from = entry.find(&open)? + open.len();
        Some(entry[from..from + entry[from..].find('<')?].to_string())
    };
    (tag("published"), tag("updated").expect("an <updated>"))
}

#[test]
fn undated_essays_take_their_dates_from_git_history() {
    if !have_git() {
        return;
    }
    let site = site_in_git();
    let run = site.build(&[]).success();
    assert!(!run.stderr.contains("shallow"), "{run}");

    // First commit gives the date, the last the updated date.
    let page = site.html("undated/index.html");
    assert_eq!(
        attrs(&page, "article time", "datetime"),
        ["2021-03-04", "2022-05-06"]
    );
    let feed = site.read("atom.xml");
    assert_eq!(
        entry_dates(&feed, "https://example.test/undated/"),
        (
            Some("2021-03-04T10:00:00+02:00".to_string()),
            "2022-05-06T12:00:00Z".to_string()
        )
    );
    // A date in the front matter or the file name wins, and one commit is no update.
    assert_eq!(
        attrs(&site.html("dated/index.html"), "article time", "datetime"),
        ["2020-01-01"]
    );
    assert_eq!(
        attrs(&site.html("named/index.html"), "article time", "datetime"),
        ["2019-02-03"]
    );
    // A file name git would quote is read as it is.
    assert_eq!(
        attrs(
            &site.html("odd-name-e/index.html"),
            "article time",
            "datetime"
        ),
        ["2021-03-04"]
    );
    // Never committed: undated, and its entry takes the feed's newest date, not 1970.
    assert!(attrs(&site.html("new/index.html"), "article time", "datetime").is_empty());
    assert_eq!(
        entry_dates(&feed, "https://example.test/new/"),
        (None, "2022-05-06T12:00:00Z".to_string())
    );
    assert!(!feed.contains("1970"), "{feed}");

    // The same repository builds to the same bytes.
    let again = site.build(&["--output", "again"]).success();
    assert!(again.stderr.is_empty() || !again.stderr.contains("error"));
    assert_same_tree(&tree(&site.path("public")), &tree(&site.path("again")));
}

/// A first commit of a file that was already built dates its page in the next build, though
/// the file did not change: the history is part of what a page is rebuilt for. (One essay, so
/// that no neighbour's change renders the page anyway.)
#[test]
fn a_first_commit_dates_an_unchanged_page_in_the_next_build() {
    if !have_git() {
        return;
    }
    let site = Site::new().file("vellum.toml", "title = \"One\"\n");
    git(site.root(), FIRST, &["init", "-q"]);
    git(site.root(), FIRST, &["add", "vellum.toml"]);
    git(site.root(), FIRST, &["commit", "-q", "-m", "config"]);
    site.write("content/only.md", "# Only\n\nText.\n");
    site.build(&[]).success();
    assert!(attrs(&site.html("only/index.html"), "article time", "datetime").is_empty());
    commit_all(site.root(), SECOND, "the essay");
    site.build(&[]).success();
    assert_eq!(
        attrs(&site.html("only/index.html"), "article time", "datetime"),
        ["2022-05-06"]
    );
}

#[test]
fn a_shallow_clone_warns_and_leaves_essays_undated() {
    if !have_git() {
        return;
    }
    let origin = site_in_git();
    let clone = Site::new();
    let url = format!("file://{}", origin.root().display());
    git(
        clone.root(),
        SECOND,
        &["clone", "-q", "--depth", "1", &url, "."],
    );
    let run = clone.build(&[]).success();
    run.stderr_has("shallow clone");
    run.stderr_has("fetch-depth: 0");
    assert_eq!(
        run.stderr.matches("shallow clone").count(),
        1,
        "warned once\n{run}"
    );
    // Not dated by the one commit the clone has.
    assert!(
        attrs(
            &clone.html("undated/index.html"),
            "article time",
            "datetime"
        )
        .is_empty()
    );
    assert_eq!(
        attrs(&clone.html("dated/index.html"), "article time", "datetime"),
        ["2020-01-01"]
    );
}

/// Without a `git` to run, a site in a repository builds as if it were not in one.
#[test]
fn without_git_essays_stay_undated() {
    if !have_git() {
        return;
    }
    let site = site_in_git();
    let empty = tempfile::tempdir().expect("a folder with no programs");
    let path = empty.path().to_str().expect("a UTF-8 path");
    let run = site.vellum_env(&["build"], &[("PATH", path)]).success();
    assert!(!run.stderr.contains("git"), "{run}");
    assert!(attrs(&site.html("undated/index.html"), "article time", "datetime").is_empty());
}

/// Regression: a feed of undated essays said 1970-01-01 for each of them and for itself.
#[test]
fn a_feed_of_undated_essays_never_says_1970() {
    let site = Site::new()
        .file(
            "vellum.toml",
            "title = \"U\"\nbase_url = \"https://example.test/\"\n",
        )
        .file("content/a.md", "# A\n\nText.\n")
        .file("content/b.txt", "B\nText.\n");
    let march_2026 = "1772625600"; // 2026-03-04T12:00:00Z
    site.vellum_env(&["build"], &[("SOURCE_DATE_EPOCH", march_2026)])
        .success();
    let feed = site.read("atom.xml");
    assert!(!feed.contains("1970"), "{feed}");
    assert_eq!(
        feed.matches("<updated>2026-03-04T00:00:00Z</updated>")
            .count(),
        3,
        "{feed}"
    );
}

/// A site in a folder of a larger repository reads its own files' history, by their paths
/// from the site's root.
#[test]
fn a_site_below_the_top_of_its_repository_is_dated_too() {
    if !have_git() {
        return;
    }
    let repo = Site::new()
        .file("README.md", "A repository with a site in it.\n")
        .file("content/elsewhere.md", "# Not the site's\n")
        .file("blog/content/essay.md", "# Essay\n\nText.\n");
    git(repo.root(), FIRST, &["init", "-q"]);
    git(repo.root(), FIRST, &["add", "-A", "."]);
    git(repo.root(), FIRST, &["commit", "-q", "-m", "first"]);
    let run = vellum_in(repo.root(), &["--root", "blog", "build"]).success();
    assert!(!run.stderr.contains("no date"), "{run}");
    let page =
        scraper::Html::parse_document(&read_text(&repo.path("blog/public/essay/index.html")));
    assert_eq!(attrs(&page, "article time", "datetime"), ["2021-03-04"]);
}
