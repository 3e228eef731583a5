//! Publishing from CI: scheduled essays (`date` in the future, "now" fixed by
//! `SOURCE_DATE_EPOCH`), `--base-url`, and a site deployed under a subpath.

use crate::support::{Site, essay};

/// 2026-03-01T00:00:00Z.
const MARCH_2026: &str = "1772323200";
/// 2026-07-01T00:00:00Z.
const JULY_2026: &str = "1782864000";

fn scheduled_site() -> Site {
    Site::new()
        .file("vellum.toml", "base_url = \"https://example.com/\"\n")
        .file(
            "content/past.md",
            &essay("Past", "2026-01-10", "Out already."),
        )
        .file(
            "content/scheduled.md",
            &essay("Scheduled", "2026-06-01T09:00:00+02:00", "Not yet."),
        )
}

#[test]
fn a_future_essay_waits_until_its_date() {
    let site = scheduled_site();
    site.vellum_env(&["build"], &[("SOURCE_DATE_EPOCH", MARCH_2026)])
        .success();
    assert!(site.exists("past/index.html"));
    assert!(!site.exists("scheduled/index.html"));
    for listing in [
        "index.html",
        "atom.xml",
        "sitemap.xml",
        "archive/index.html",
    ] {
        assert!(
            !site.read(listing).contains("scheduled"),
            "{listing} lists the scheduled essay"
        );
    }

    site.vellum_env(&["build"], &[("SOURCE_DATE_EPOCH", JULY_2026)])
        .success();
    assert!(site.exists("scheduled/index.html"));
    assert!(
        site.read("atom.xml")
            .contains("https://example.com/scheduled/")
    );
}

#[test]
fn future_flag_builds_scheduled_essays_now() {
    let site = scheduled_site();
    site.vellum_env(&["build", "--future"], &[("SOURCE_DATE_EPOCH", MARCH_2026)])
        .success();
    assert!(site.exists("scheduled/index.html"));
}

#[test]
fn same_source_date_epoch_gives_the_same_site() {
    let site = scheduled_site();
    let env = [("SOURCE_DATE_EPOCH", MARCH_2026)];
    site.vellum_env(&["build"], &env).success();
    let first = crate::support::tree(&site.path("public"));
    site.vellum_env(&["build", "--output", "again"], &env)
        .success();
    let second = crate::support::tree(&site.path("again"));
    crate::support::assert_same_tree(&first, &second);
}

#[test]
fn bad_source_date_epoch_is_named() {
    let site = scheduled_site();
    let run = site
        .vellum_env(&["build"], &[("SOURCE_DATE_EPOCH", "yesterday")])
        .failure();
    run.stderr_has("SOURCE_DATE_EPOCH: `yesterday` is not a number of seconds");
}
