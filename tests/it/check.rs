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

/// A server answering each way external checking must handle, counting requests per path and
/// the most requests it had under way at once.
struct Remote {
    server: crate::http::TestServer,
    hits: std::sync::Arc<std::sync::Mutex<std::collections::BTreeMap<String, usize>>>,
    most_at_once: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Remote {
    fn start() -> Remote {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::{Arc, Mutex};
        let hits: Arc<Mutex<std::collections::BTreeMap<String, usize>>> = Arc::default();
        let now = Arc::new(AtomicUsize::new(0));
        let most_at_once = Arc::new(AtomicUsize::new(0));
        let (h, n, m) = (
            Arc::clone(&hits),
            Arc::clone(&now),
            Arc::clone(&most_at_once),
        );
        let server = crate::http::TestServer::start(Arc::new(move |path: &str| {
            *h.lock().expect("hits").entry(path.to_string()).or_default() += 1;
            let at_once = n.fetch_add(1, Ordering::SeqCst) + 1;
            m.fetch_max(at_once, Ordering::SeqCst);
            let answer = match path {
                "/ok" => Some((200, "text/html", b"fine".to_vec())),
                "/gone" => Some((404, "text/html", Vec::new())),
                "/busy" => Some((429, "text/html", Vec::new())),
                "/error" => Some((503, "text/html", Vec::new())),
                "/slow" => {
                    std::thread::sleep(std::time::Duration::from_secs(3));
                    Some((200, "text/html", Vec::new()))
                }
                "/closed" => None,
                hold if hold.starts_with("/hold/") => {
                    std::thread::sleep(std::time::Duration::from_millis(150));
                    Some((200, "text/html", Vec::new()))
                }
                _ => Some((404, "text/html", Vec::new())),
            };
            n.fetch_sub(1, Ordering::SeqCst);
            answer
        }));
        Remote {
            server,
            hits,
            most_at_once,
        }
    }

    fn hits(&self, path: &str) -> usize {
        self.hits
            .lock()
            .expect("hits")
            .get(path)
            .copied()
            .unwrap_or(0)
    }
}

fn linking_site(remote: &Remote, paths: &[&str]) -> Site {
    let links: Vec<String> = paths
        .iter()
        .map(|p| format!("[{p}]({})", remote.server.url(p)))
        .collect();
    Site::new()
        .file("vellum.toml", "base_url = \"https://example.com/\"\n")
        .file(
            "content/links.md",
            &essay("Links", "2026-01-01", &links.join("\n\n")),
        )
}

#[test]
fn external_links_only_with_the_flag_and_only_clear_answers_fail() {
    let remote = Remote::start();
    let site = linking_site(
        &remote,
        &["/ok", "/gone", "/busy", "/error", "/slow", "/closed"],
    );
    site.vellum(&["check"]).success();
    assert_eq!(remote.hits("/ok"), 0, "followed without --external");

    let started = std::time::Instant::now();
    let run = site
        .vellum(&[
            "check",
            "--external",
            "--timeout",
            "0.5",
            "--retries",
            "1",
            "--cache-hours",
            "0",
            "--format",
            "json",
        ])
        .failure();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "{run}"
    );
    let report = json(&run);
    let found: Vec<(String, Option<u64>, String, String)> = report["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            let message = p["message"].as_str().unwrap_or_default();
            let path = message.split('`').nth(1).unwrap_or_default();
            (
                path.rsplit('/').next().unwrap_or_default().to_string(),
                p["line"].as_u64(),
                p["severity"].as_str().unwrap_or_default().to_string(),
                p["kind"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let expect = |name: &str, line: u64, severity: &str| {
        (
            name.to_string(),
            Some(line),
            severity.to_string(),
            "external-link".to_string(),
        )
    };
    assert_eq!(
        found,
        [
            expect("gone", 8, "error"),
            expect("busy", 10, "unknown"),
            expect("error", 12, "unknown"),
            expect("slow", 14, "unknown"),
            expect("closed", 16, "unknown"),
        ],
        "{run}"
    );
    assert_eq!(report["errors"], 1);
    assert_eq!(report["unknown"], 4);
    // Unclear answers were tried again; clear ones were not.
    assert_eq!(remote.hits("/busy"), 2);
    assert_eq!(remote.hits("/gone"), 1);
    assert_eq!(remote.hits("/ok"), 1);
}

#[test]
fn external_answers_are_cached_until_they_expire() {
    let remote = Remote::start();
    let site = linking_site(&remote, &["/ok", "/gone"]);
    let check = |hours: &str| site.vellum(&["check", "--external", "--cache-hours", hours]);
    check("24").failure();
    check("24").failure();
    assert_eq!(
        (remote.hits("/ok"), remote.hits("/gone")),
        (1, 1),
        "the second run asked again"
    );
    assert!(site.path(".vellum-cache/external-links.tsv").exists());
    check("0").failure();
    assert_eq!(
        (remote.hits("/ok"), remote.hits("/gone")),
        (2, 2),
        "no cache still used one"
    );
}

#[test]
fn external_requests_keep_to_the_per_host_limit() {
    let remote = Remote::start();
    let paths: Vec<String> = (0..8).map(|i| format!("/hold/{i}")).collect();
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    let site = linking_site(&remote, &paths);
    site.vellum(&[
        "check",
        "--external",
        "--per-host",
        "2",
        "--cache-hours",
        "0",
    ])
    .success();
    let most = remote
        .most_at_once
        .load(std::sync::atomic::Ordering::SeqCst);
    assert!((1..=2).contains(&most), "{most} requests at once");
    assert_eq!(paths.iter().map(|p| remote.hits(p)).sum::<usize>(), 8);
}

/// Regression: 20 links to servers that never answer, with `--timeout 2`, held the check for
/// 68 s: each was tried three times, two at a time per host, with no limit on the whole.
#[test]
fn hanging_links_are_unknown_once_the_deadline_passes() {
    // Never accepts: the system completes connections into its backlog (20 links × at most
    // three tries fit), and no byte ever comes back. No thread to stop.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let addr = silent.local_addr().expect("its address");
    let links: Vec<String> = (0..20)
        .map(|i| format!("[hang {i}](http://{addr}/hang/{i})"))
        .collect();
    let site = Site::new()
        .file("vellum.toml", "base_url = \"https://example.com/\"\n")
        .file(
            "content/links.md",
            &essay("Links", "2026-01-01", &links.join("\n\n")),
        );
    let started = std::time::Instant::now();
    let run = site
        .vellum(&[
            "check",
            "--external",
            "--timeout",
            "2",
            "--deadline",
            "3",
            "--cache-hours",
            "0",
            "--format",
            "json",
        ])
        .success();
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_secs(10),
        "took {took:?}\n{run}"
    );
    let report = json(&run);
    assert_eq!(report["unknown"], 20, "{run}");
    assert_eq!(report["errors"], 0, "{run}");
    drop(silent);
}

#[test]
fn the_deadline_is_in_the_help() {
    let run = crate::support::vellum_in(std::path::Path::new("."), &["check", "--help"]).success();
    assert!(run.stdout.contains("--deadline <SECS>"), "{run}");
}

/// A translation often keeps its original's title: titles are compared within a language.
#[test]
fn a_translation_with_its_originals_title_is_no_duplicate() {
    let site = Site::new()
        .file(
            "vellum.toml",
            "base_url = \"https://example.com/\"\n[languages.es]\n",
        )
        .file("content/a.md", &essay("Tabi", "2026-01-01", "Words."))
        .file("content/a.es.md", &essay("Tabi", "2026-01-01", "Palabras."))
        .file("content/b.es.md", &essay("Tabi", "2026-01-02", "Otras."));
    let env = [("SOURCE_DATE_EPOCH", "1772323200")];
    let run = site.vellum_env(&["check", "--format", "json"], &env);
    let found = problems(&json(&run));
    let duplicates: Vec<_> = found
        .iter()
        .filter(|(_, _, lint)| lint == "duplicate-title")
        .map(|(path, _, _)| path.as_str())
        .collect();
    assert_eq!(duplicates, ["content/a.es.md", "content/b.es.md"], "{run}");
}
