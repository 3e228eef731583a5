//! `vellum init` and `vellum new`: starting files that work, and never overwriting anything.

use std::path::Path;

use crate::support::*;

/// Today's date as `YYYY-MM-DD` in the local time zone, asked of the system.
fn today() -> String {
    let out = std::process::Command::new("date")
        .arg("+%F")
        .output()
        .expect("run date");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string()
}

#[test]
fn init_creates_a_site_that_builds_and_says_what_to_do_next() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("my-blog");
    let run = vellum_in(tmp.path(), &["init", "my-blog"]).success();
    assert!(dir.join("vellum.toml").is_file());
    assert!(run.stdout.contains("vellum.toml"), "{run}");
    // Neither the built site nor vellum's record of builds belongs in version control.
    let ignored = read_text(&dir.join(".gitignore"));
    assert!(
        ignored.contains("/public/") && ignored.contains("/.vellum-cache/"),
        "{ignored}"
    );
    // The next command, ready to copy.
    assert!(
        run.stdout.contains("vellum --root my-blog build"),
        "no next command in\n{run}"
    );

    let built = vellum_in(tmp.path(), &["--root", "my-blog", "build"]).success();
    assert!(built.stdout.contains("Built 1 essay "), "{built}");
    let home = scraper::Html::parse_document(&read_text(&dir.join("public/index.html")));
    let links = attrs(&home, "main article.card h3 a", "href");
    assert_eq!(links.len(), 1, "{links:?}");
    let essays: Vec<_> = std::fs::read_dir(dir.join("content"))
        .expect("content/")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(essays.len(), 1, "{essays:?}");
    let slug = essays[0]
        .file_stem()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    let page = scraper::Html::parse_document(&read_text(
        &dir.join("public").join(&slug).join("index.html"),
    ));
    assert_eq!(count(&page, "h1"), 1);
    // The site's title comes from the folder's name.
    assert_eq!(only_text(&home, "title"), "my-blog");
}

#[test]
fn init_into_a_new_nested_folder() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("a/b/site");
    let run = vellum_in(tmp.path(), &["init", dir.to_str().expect("utf-8")]).success();
    assert!(dir.join("vellum.toml").is_file(), "{run}");
    vellum_in(
        tmp.path(),
        &["--root", dir.to_str().expect("utf-8"), "build"],
    )
    .success();
    assert!(dir.join("public/index.html").is_file());
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(tmp.path().join("notes.txt"), "mine").expect("write");
    let run = vellum_in(tmp.path(), &["init", "."]).failure();
    assert!(run.stderr.contains("--force"), "{run}");
    assert!(!tmp.path().join("vellum.toml").exists());
    assert!(!tmp.path().join("content").exists());
    assert_eq!(read_text(&tmp.path().join("notes.txt")), "mine");
}

#[test]
fn init_refuses_a_folder_holding_only_a_hidden_file() {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(tmp.path().join(".git")).expect("mkdir");
    vellum_in(tmp.path(), &["init", "."]).failure();
    assert!(!tmp.path().join("vellum.toml").exists());
}

#[test]
fn init_force_adds_a_site_but_never_overwrites_vellum_toml() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mine = "title = \"Mine\"\nbase_url = \"https://mine.test/\"\n";
    std::fs::write(tmp.path().join("vellum.toml"), mine).expect("write");
    std::fs::write(tmp.path().join("notes.txt"), "mine").expect("write");

    let run = vellum_in(tmp.path(), &["init", ".", "--force"]).success();
    assert_eq!(read_text(&tmp.path().join("vellum.toml")), mine);
    assert!(
        !run.stdout.contains("created ./vellum.toml")
            && !run.stdout.contains("created vellum.toml"),
        "claims to have created vellum.toml\n{run}"
    );
    assert_eq!(read_text(&tmp.path().join("notes.txt")), "mine");
    let content: Vec<_> = std::fs::read_dir(tmp.path().join("content"))
        .expect("content/ created")
        .collect();
    assert_eq!(content.len(), 1);

    // A second --force changes nothing at all.
    let before = tree(tmp.path());
    vellum_in(tmp.path(), &["init", ".", "--force"]).success();
    assert_same_tree(&before, &tree(tmp.path()));

    // And the result builds, with the existing configuration.
    vellum_in(tmp.path(), &["build"]).success();
    let home = scraper::Html::parse_document(&read_text(&tmp.path().join("public/index.html")));
    assert_eq!(only_text(&home, "title"), "Mine");
}

#[test]
fn new_creates_a_dated_draft_and_prints_its_path() {
    let site = Site::new();
    let before = today();
    let run = site.vellum(&["new", "My Title"]).success();
    let after = today();
    let path = site.path("content/my-title.md");
    assert!(path.is_file(), "{run}");
    assert!(
        run.stdout.trim().ends_with("content/my-title.md"),
        "path not printed\n{run}"
    );
    assert!(
        Path::new(run.stdout.trim()).is_file() || site.root().join(run.stdout.trim()).is_file()
    );

    let text = read_text(&path);
    assert!(text.contains("title = \"My Title\""), "{text}");
    assert!(
        text.contains(&format!("date = {before}")) || text.contains(&format!("date = {after}")),
        "not dated today ({before}):\n{text}"
    );
    assert!(text.contains("draft = true"), "{text}");

    // A draft: left out of a build, shown with --drafts, with today's date.
    site.build(&[]).success();
    assert!(!site.exists("my-title/index.html"));
    site.build(&["--drafts"]).success();
    let page = site.html("my-title/index.html");
    assert_eq!(only_text(&page, "h1"), "My Title");
    let dates = attrs(&page, "article time", "datetime");
    assert!(
        dates == [before.clone()] || dates == [after.clone()],
        "{dates:?}"
    );
}

#[test]
fn new_and_init_date_by_source_date_epoch_when_it_is_set() {
    let site = Site::new();
    let env = [("SOURCE_DATE_EPOCH", "1772323200"), ("TZ", "UTC")]; // 2026-03-01
    site.vellum_env(&["new", "Fixed"], &env).success();
    let text = read_text(&site.path("content/fixed.md"));
    assert!(text.contains("date = 2026-03-01"), "{text}");

    let fresh = Site::new();
    fresh
        .vellum_env(&["init", fresh.root().to_str().expect("utf-8")], &env)
        .success();
    let dated: Vec<String> = walk_texts(&fresh.path("content"))
        .into_iter()
        .filter(|text| text.contains("date = 2026-03-01"))
        .collect();
    assert_eq!(dated.len(), 1, "the sample essay is dated by it");

    let run = site
        .vellum_env(&["new", "Broken"], &[("SOURCE_DATE_EPOCH", "soon")])
        .failure();
    run.stderr_has("SOURCE_DATE_EPOCH");
    assert!(!site.exists("content/broken.md"));
}

/// The text of every file under `dir`.
fn walk_texts(dir: &Path) -> Vec<String> {
    tree(dir)
        .into_values()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}

#[test]
fn new_slugifies_awkward_titles() {
    let site = Site::new();
    site.vellum(&["new", "Don’t Panic: A “Guide”!"]).success();
    let path = site.path("content/dont-panic-a-guide.md");
    assert!(path.is_file());
    assert!(read_text(&path).contains("Don’t Panic: A “Guide”!"));
    // The title survives a round trip through the TOML it was written into.
    site.build(&["--drafts"]).success();
    assert_eq!(
        only_text(&site.html("dont-panic-a-guide/index.html"), "h1"),
        "Don’t Panic: A “Guide”!"
    );
}

/// The one essay under `content/`, as (slug, text).
fn only_essay(site: &Site) -> (String, String) {
    let written: Vec<_> = std::fs::read_dir(site.path("content"))
        .expect("content/")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let slug = written[0]
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .into_owned();
    (slug, read_text(&written[0]))
}

#[test]
fn new_with_quotes_and_backslashes_in_the_title_builds() {
    let site = Site::new();
    let title = "A \"quoted\" back\\slash";
    site.vellum(&["new", title]).success();
    let (slug, text) = only_essay(&site);
    site.build(&["--drafts"]).success();
    let page = site.html(&format!("{slug}/index.html"));
    assert_eq!(only_text(&page, "h1"), title, "{text}");
}

#[test]
fn new_refuses_to_overwrite() {
    let site = Site::new().file("content/my-title.md", "My own words.\n");
    let run = site.vellum(&["new", "My Title"]).failure();
    assert!(run.stderr.contains("my-title.md"), "{run}");
    assert_eq!(
        read_text(&site.path("content/my-title.md")),
        "My own words.\n"
    );
}

/// "Café" as macOS types and names it: `e` followed by a combining acute accent (NFD).
const CAFE_NFD: &str = "Cafe\u{301}";

#[test]
fn new_with_a_decomposed_accent_in_the_title_builds() {
    let site = Site::new();
    let title = format!("{CAFE_NFD} Society");
    site.vellum(&["new", &title]).success();
    let (slug, text) = only_essay(&site);
    let run = site.build(&["--drafts"]);
    assert_eq!(run.code, Some(0), "front matter written:\n{text}\n{run}");
    assert_eq!(
        only_text(&site.html(&format!("{slug}/index.html")), "h1"),
        title,
        "front matter written:\n{text}"
    );
}

#[test]
fn init_in_a_folder_with_a_decomposed_accent_builds() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let name = format!("{CAFE_NFD} Notes");
    let dir = tmp.path().join(&name);
    vellum_in(tmp.path(), &["init", &name]).success();
    let config = read_text(&dir.join("vellum.toml"));
    let run = vellum_in(tmp.path(), &["--root", &name, "build"]);
    assert_eq!(
        run.code,
        Some(0),
        "vellum.toml written by init:\n{config}\n{run}"
    );
    let home = scraper::Html::parse_document(&read_text(&dir.join("public/index.html")));
    assert_eq!(only_text(&home, "title"), name);
}
