//! `vellum check`: broken links, anchors and files reported at the file and line they were
//! written on, in every output format, with exit codes 0 (clean), 1 (problems), 2 (could not
//! run).

use serde_json::Value;

use crate::support::{Run, Site, essay};

/// A site with one of each problem, each on a line of its own.
fn broken_site() -> Site {
    Site::new()
        .file(
            "vellum.toml",
            "title = \"T\"\nbase_url = \"https://example.com/\"\n",
        )
        .file(
            "content/walking.md",
            "+++\ntitle = \"Walking\"\ndate = 2026-01-02\n+++\n\nOn foot, see [reading](../reading/).\n\n## The route\n\nA [dead link](../nowhere/) here.\n\nA [bad anchor](../reading/#no-such-part) and [a good one](#the-route).\n\n![The map](map.png)\n",
        )
        .file(
            "content/reading.md",
            "+++\ntitle = \"Reading\"\ndate = 2026-01-01\n+++\n\nBack to [the walk](/walking/#the-route).\n\n## Part one\n\nText.\n",
        )
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON: {e}\n{run}"))
}

/// (file, line, kind) of every problem in a JSON report.
fn problems(report: &Value) -> Vec<(String, Option<u64>, String)> {
    report["problems"]
        .as_array()
        .expect("a problems array")
        .iter()
        .map(|p| {
            (
                p["file"].as_str().unwrap_or_default().to_string(),
                p["line"].as_u64(),
                p["kind"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn broken_links_anchors_and_files_are_reported_at_their_lines() {
    let site = broken_site();
    let run = site.vellum(&["check"]).failure();
    for line in [
        "content/walking.md:10: error[broken-link]: link to `../nowhere/`: the site has no page nowhere/ (on walking/index.html)",
        "content/walking.md:12: error[missing-anchor]: link to `../reading/#no-such-part`: reading/index.html has no id `no-such-part` (on walking/index.html)",
        "content/walking.md:14: error[missing-file]: `map.png`: the site has no file walking/map.png (on walking/index.html)",
    ] {
        assert!(
            run.stdout.lines().any(|l| l == line),
            "missing {line:?}\n{run}"
        );
    }
    // The good links are not reported.
    assert!(!run.stdout.contains("#the-route"), "{run}");
    assert!(!run.stdout.contains("content/reading.md"), "{run}");
    assert!(run.stdout.contains("vellum check: 3 errors"), "{run}");
}

#[test]
fn json_names_file_line_and_kind() {
    let site = broken_site();
    let run = site.vellum(&["check", "--format", "json"]).failure();
    let report = json(&run);
    assert_eq!(
        problems(&report),
        [
            ("content/walking.md".into(), Some(10), "broken-link".into()),
            (
                "content/walking.md".into(),
                Some(12),
                "missing-anchor".into()
            ),
            ("content/walking.md".into(), Some(14), "missing-file".into()),
        ]
    );
    assert_eq!(report["errors"], 3);
    assert_eq!(report["problems"][0]["severity"], "error");
}

#[test]
fn github_actions_get_annotations() {
    let site = broken_site();
    let run = site
        .vellum_env(&["check"], &[("GITHUB_ACTIONS", "true")])
        .failure();
    assert!(
        run.stdout.lines().any(|l| l.starts_with(
            "::error file=content/walking.md,line=10,title=vellum check%3A broken-link::link to `../nowhere/`"
        )),
        "{run}"
    );
    // The site root's path inside the checked-out repository is kept.
    let workspace = site
        .root()
        .parent()
        .expect("a parent")
        .to_string_lossy()
        .into_owned();
    let run = site
        .vellum_env(
            &["check"],
            &[("GITHUB_ACTIONS", "true"), ("GITHUB_WORKSPACE", &workspace)],
        )
        .failure();
    let dir = site
        .root()
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    assert!(
        run.stdout
            .contains(&format!("::error file={dir}/content/walking.md,line=10,")),
        "{run}"
    );
}

#[test]
fn a_clean_site_exits_zero() {
    let site = Site::new()
        .file("vellum.toml", "base_url = \"https://example.com/\"\n")
        .file(
            "content/a.md",
            &essay("A", "2026-01-01", "To [b](../b/#part).\n"),
        )
        .file(
            "content/b.md",
            &essay("B", "2026-01-02", "Intro.\n\n## Part\n"),
        )
        .bytes("content/b/pic.png", b"png");
    let run = site.vellum(&["check"]).success();
    assert!(run.stdout.contains("vellum check: no problems in"), "{run}");
    let report = json(&site.vellum(&["check", "--format", "json"]).success());
    assert_eq!(report["problems"], Value::Array(Vec::new()));
    assert!(report["links"].as_u64().unwrap_or(0) > 10, "{report}");
    // Nothing was written.
    assert!(!site.exists("index.html"));
}

#[test]
fn a_site_that_does_not_build_exits_two() {
    let site = Site::new()
        .file("vellum.toml", "titel = \"T\"\n")
        .file("content/a.md", &essay("A", "2026-01-01", "Text."));
    let run = site.vellum(&["check"]);
    assert_eq!(run.code, Some(2), "{run}");
    run.stderr_has("vellum.toml:1: unknown key `titel`");

    let site = Site::new().file("content/a.md", "+++\ntitle = \"A\"\n");
    let run = site.vellum(&["check"]);
    assert_eq!(run.code, Some(2), "{run}");
    run.stderr_has("content/a.md:1: front matter opened with `+++` is never closed");
}

#[test]
fn a_link_written_into_a_template_names_the_template_line() {
    let site = Site::new()
        .file("vellum.toml", "base_url = \"https://example.com/\"\n")
        .file("content/a.md", &essay("A", "2026-01-01", "Text."))
        .file(
            "templates/essay.html",
            "{% extends \"default/essay.html\" %}\n{% block head %}\n<link rel=\"author\" href=\"/about/\">\n{% endblock head %}\n",
        );
    let run = site.vellum(&["check"]).failure();
    assert!(
        run.stdout.contains(
            "templates/essay.html:3: error[broken-link]: link to `/about/`: the site has no page about/ (on a/index.html)"
        ),
        "{run}"
    );
}

#[test]
fn root_relative_links_under_a_subpath_are_reported() {
    let site = Site::new()
        .file(
            "vellum.toml",
            "base_url = \"https://user.github.io/blog/\"\n",
        )
        .file(
            "content/a.md",
            &essay("A", "2026-01-01", "See [b](/b/) and [b again](/blog/b/).\n"),
        )
        .file("content/b.md", &essay("B", "2026-01-02", "Text."));
    let run = site.vellum(&["check"]).failure();
    assert!(
        run.stdout.contains("content/a.md:6: error[outside-base]: `/b/` leads to /b/, outside the site's base path /blog/"),
        "{run}"
    );
    // Once on the essay's page, once in its summary on the home page; both at the line.
    assert_eq!(run.stdout.matches("error[").count(), 2, "{run}");
    assert_eq!(
        run.stdout
            .matches("content/a.md:6: error[outside-base]")
            .count(),
        2,
        "{run}"
    );
    // At a root, `/blog/b/` is the broken one.
    let run = site.vellum(&[
        "check",
        "--base-url",
        "https://example.com/",
        "--format",
        "json",
    ]);
    let mut found = problems(&json(&run));
    found.dedup();
    assert_eq!(
        found,
        [("content/a.md".into(), Some(6), "broken-link".into())],
        "{run}"
    );
}

#[test]
fn a_broken_feed_template_is_reported() {
    let site = Site::new()
        .file("vellum.toml", "base_url = \"https://example.com/\"\n")
        .file("content/a.md", &essay("A", "2026-01-01", "Text."))
        .file(
            "templates/atom.xml",
            "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{{ site.title }}</title>\n{% for essay in essays %}<entry><id>{{ essay.url }}</id><title>{{ essay.title }}</title><updated>{{ essay.date }}</updated><link href=\"/{{ essay.slug }}/\"/></entry>{% endfor %}\n</feed>\n",
        );
    let run = site.vellum(&["check"]).failure();
    for expected in [
        "templates/atom.xml: error[feed]: the feed has no <id> (atom.xml line 2)",
        "templates/atom.xml: error[feed]: the feed has no <updated> (atom.xml line 2)",
        "templates/atom.xml: error[feed]: <updated> `2026-01-01` is not an RFC 3339 date-time (atom.xml line 4)",
        "templates/atom.xml: error[feed]: `/a/` is not an absolute URL (atom.xml line 4)",
    ] {
        assert!(run.stdout.contains(expected), "missing {expected:?}\n{run}");
    }
}

#[test]
fn a_path_only_base_url_is_a_feed_problem_at_the_config() {
    let site = Site::new().file("content/a.md", &essay("A", "2026-01-01", "Text."));
    let run = site.vellum(&["check"]).failure();
    assert!(
        run.stdout
            .contains("vellum.toml: error[feed]: atom.xml needs absolute URLs: set base_url"),
        "{run}"
    );
    assert!(run.stdout.contains("vellum.toml: error[sitemap]"), "{run}");
}

#[test]
fn lints_warn_unless_denied() {
    let site = Site::new()
        .file("vellum.toml", "base_url = \"https://example.com/\"\n")
        .file(
            "content/a.md",
            "+++\ntitle = \"Same\"\ndate = 2026-01-01\ntags = [\"walking\", \" \"]\n+++\n\n![](/a/pic.png)\n",
        )
        .file("content/b.md", &essay("Same", "2026-01-02", "Words.\n\n<img src=\"/b/x.png\">"))
        .file("content/later.md", &essay("Later", "2026-09-01", "Words."))
        .file("content/draft.md", "+++\ntitle = \"Draft\"\ndate = 2026-09-01\ndraft = true\n+++\nWords.\n")
        .bytes("content/a/pic.png", b"png")
        .bytes("content/b/x.png", b"png");
    let env = [("SOURCE_DATE_EPOCH", "1772323200")]; // 2026-03-01
    let run = site
        .vellum_env(&["check", "--format", "json"], &env)
        .success();
    let mut found = problems(&json(&run));
    found.sort();
    assert_eq!(
        found,
        [
            ("content/a.md".into(), None, "description".into()),
            ("content/a.md".into(), Some(2), "duplicate-title".into()),
            ("content/a.md".into(), Some(4), "empty-tag".into()),
            ("content/a.md".into(), Some(7), "alt-text".into()),
            ("content/b.md".into(), Some(2), "duplicate-title".into()),
            ("content/b.md".into(), Some(8), "alt-text".into()),
            ("content/later.md".into(), Some(3), "future-date".into()),
        ],
        "{run}"
    );
    assert!(run.stdout.contains("\"warnings\": 7"), "{run}");

    site.write(
        "vellum.toml",
        "base_url = \"https://example.com/\"\n[check]\ndeny = [\"alt-text\"]\n",
    );
    let run = site.vellum_env(&["check"], &env).failure();
    assert_eq!(run.stdout.matches("error[alt-text]").count(), 2, "{run}");
    assert_eq!(run.stdout.matches("warning[").count(), 5, "{run}");

    site.write(
        "vellum.toml",
        "base_url = \"https://example.com/\"\n[check]\ndeny = [\"all\"]\n",
    );
    let run = site.vellum_env(&["check"], &env).failure();
    assert_eq!(run.stdout.matches("warning[").count(), 0, "{run}");
}
