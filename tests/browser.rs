//! The demo site (this repository's `vellum.toml` and `content/`) as a reader sees it.
//!
//! * `demo_site_is_valid_html`: every generated page passes the Nu HTML Checker with no errors.
//! * `demo_site_works_in_a_real_browser`: `tests/browser/run.mjs` drives Debian's Chromium through
//!   playwright-core at 1280 px and 375 px, light and dark, and checks overflow, sidenotes, dark
//!   mode, console errors, failed or external requests, axe-core's serious/critical findings and
//!   the typography of `typography.mjs` (leading, bullets, code width, centring, the current nav
//!   link, print). The demo is also built in broadsheet, under `/broadsheet/`, for its own sheet.
//! * `browser_checks_catch_broken_pages`: `tests/browser/selftest.mjs` proves each of those checks
//!   fails on a mock page built to break it, so a check that stops biting is noticed.
//!
//! The site's links are absolute (they start with `base_url`), so the browser test picks a free
//! loopback port, builds the site with `--base-url http://127.0.0.1:PORT/`, and hands the same URL
//! to `run.mjs`, which serves the output folder there itself; nothing is fetched from elsewhere.
//!
//! These need node, Chromium (`/usr/bin/chromium`, or the `CHROMIUM` variable), Java and
//! `tests/browser/node_modules`. Where one is missing, the test says what to install and passes,
//! unless `VELLUM_REQUIRE_BROWSER=1` is set (CI sets it): then a missing tool fails the test.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// How to get what the tests need (node 20 and Java 17 come with the machine image).
const INSTALL: &str = "apt-get install -y chromium; npm ci --ignore-scripts --prefix tests/browser";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn browser_dir() -> PathBuf {
    repo().join("tests").join("browser")
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

fn vnu_jar() -> PathBuf {
    browser_dir().join("node_modules/vnu-jar/build/dist/vnu.jar")
}

/// Whether `program --version`-style probing succeeds.
fn runs(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|out| out.status.success())
}

/// What the browser tests need and this machine lacks.
fn missing_for_browser() -> Vec<String> {
    let mut missing = Vec::new();
    if !runs("node", "--version") {
        missing.push("node not found on PATH".to_owned());
    }
    let chromium = chromium();
    if !chromium.is_file() {
        missing.push(format!("chromium not found at {}", chromium.display()));
    }
    for (package, file) in [
        ("playwright-core", "playwright-core/package.json"),
        ("axe-core", "axe-core/axe.min.js"),
    ] {
        if !browser_dir().join("node_modules").join(file).is_file() {
            missing.push(format!(
                "{package} not installed in tests/browser/node_modules"
            ));
        }
    }
    missing
}

/// What the HTML validation needs and this machine lacks.
fn missing_for_vnu() -> Vec<String> {
    let mut missing = Vec::new();
    if !runs("java", "-version") {
        missing.push("java not found on PATH".to_owned());
    }
    if !vnu_jar().is_file() {
        missing.push("vnu-jar not installed in tests/browser/node_modules".to_owned());
    }
    missing
}

/// Returns true when the test should go on. With something missing it skips (returns false)
/// after saying so, or panics when `VELLUM_REQUIRE_BROWSER=1` demands the tools.
#[allow(clippy::print_stderr)]
fn prerequisites_met(what: &str, missing: &[String]) -> bool {
    if missing.is_empty() {
        return true;
    }
    let why = format!("{} ({INSTALL})", missing.join(", "));
    let required = std::env::var("VELLUM_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "VELLUM_REQUIRE_BROWSER=1, but {what} cannot run: {why}"
    );
    eprintln!("skipping {what}: {why}");
    false
}

/// Builds the demo site into a fresh temporary folder, its links starting with `base_url`.
fn build_demo(base_url: &str) -> TempDir {
    let out = tempfile::Builder::new()
        .prefix("vellum-browser-")
        .tempdir()
        .expect("create a temporary folder");
    build(repo(), out.path(), base_url);
    out
}

/// Builds the demo in the broadsheet theme into `broadsheet/` under `site` (built for
/// `base_url`), so that one server holds both: a root of its own names the theme and shares
/// the demo's `content/`.
fn build_broadsheet_demo(site: &Path, base_url: &str) {
    let root = tempfile::tempdir().expect("create a temporary folder");
    let config = std::fs::read_to_string(repo().join("vellum.toml")).expect("read vellum.toml");
    std::fs::write(
        root.path().join("vellum.toml"),
        format!("theme = \"broadsheet\"\n{config}"),
    )
    .expect("write vellum.toml");
    std::os::unix::fs::symlink(repo().join("content"), root.path().join("content"))
        .expect("link the demo's content");
    build(
        root.path(),
        &site.join("broadsheet"),
        &format!("{base_url}broadsheet/"),
    );
}

fn build(root: &Path, out: &Path, base_url: &str) {
    let run = Command::new(env!("CARGO_BIN_EXE_vellum"))
        .arg("--root")
        .arg(root)
        .arg("build")
        .arg("--output")
        .arg(out)
        .arg("--base-url")
        .arg(base_url)
        .output()
        .expect("run vellum");
    assert!(
        run.status.success(),
        "building {} failed ({}):\n{}{}",
        root.display(),
        run.status,
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

fn both_streams(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn node(script: &str, args: &[&Path], base_url: Option<&str>) -> Output {
    let mut cmd = Command::new("node");
    cmd.arg(browser_dir().join(script))
        .args(args)
        .args(base_url)
        .env("CHROMIUM", chromium());
    cmd.output().expect("run node")
}

#[test]
fn demo_site_is_valid_html() {
    if !prerequisites_met("HTML validation", &missing_for_vnu()) {
        return;
    }
    let site = build_demo("http://127.0.0.1:8000/");
    let out = Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--errors-only", "--skip-non-html"])
        .arg(site.path())
        .output()
        .expect("run java");
    assert!(
        out.status.success(),
        "the Nu HTML Checker found errors in the demo site ({}):\n{}",
        out.status,
        both_streams(&out)
    );
}

#[test]
fn demo_site_works_in_a_real_browser() {
    if !prerequisites_met("browser tests", &missing_for_browser()) {
        return;
    }
    // The port is free when picked; should another process take it before run.mjs listens,
    // build again for another one.
    for attempt in 1..=3 {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("find a free loopback port")
            .port();
        let base_url = format!("http://127.0.0.1:{port}/");
        let site = build_demo(&base_url);
        build_broadsheet_demo(site.path(), &base_url);
        let out = node("run.mjs", &[site.path()], Some(&base_url));
        let report = both_streams(&out);
        if !out.status.success() && report.contains("EADDRINUSE") && attempt < 3 {
            continue;
        }
        assert!(
            out.status.success(),
            "the demo site fails in the browser ({}):\n{report}",
            out.status
        );
        println!("{report}");
        return;
    }
}

#[test]
fn browser_checks_catch_broken_pages() {
    let mut missing = missing_for_browser();
    missing.extend(missing_for_vnu());
    if !prerequisites_met("browser self-test", &missing) {
        return;
    }
    let out = node("selftest.mjs", &[], None);
    assert!(
        out.status.success(),
        "a browser check no longer catches what it should ({}):\n{}",
        out.status,
        both_streams(&out)
    );
    println!("{}", both_streams(&out));
}
