//! A site with problems: exit code 1, a message naming the file (and line, where there is one),
//! no panic, and the previous good build in public/ left exactly as it was.

use std::collections::BTreeMap;

use crate::support::*;

/// A site that builds, already built once; and the bytes of its public/.
fn built_site() -> (Site, BTreeMap<String, Vec<u8>>) {
    let site = Site::new()
        .file(
            "vellum.toml",
            "title = \"Errors\"\nbase_url = \"https://example.test/\"\n",
        )
        .file(
            "content/good.md",
            "+++\ntitle = \"Good\"\ndate = 2024-01-01\ntags = [\"fine\"]\n+++\n\nA good essay.\n",
        );
    site.build(&[]).success();
    assert!(site.exists("good/index.html"));
    let before = tree(&site.path("public"));
    (site, before)
}

/// Builds again, expecting failure, and checks public/ did not change.
#[track_caller]
fn fails_and_keeps_public(site: &Site, before: &BTreeMap<String, Vec<u8>>) -> Run {
    let run = site.build(&[]).failure();
    assert!(!run.error_lines().is_empty(), "no `error:` line\n{run}");
    assert!(
        !run.stdout.contains("Built"),
        "a failed build reported success\n{run}"
    );
    assert_same_tree(before, &tree(&site.path("public")));
    run
}

#[test]
fn unterminated_toml_front_matter() {
    let (site, before) = built_site();
    site.write(
        "content/open.md",
        "+++\ntitle = \"Open\"\ndate = 2024-02-02\n\nThe body starts, but the fence never closes.\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("content/open.md:1");
    run.stderr_has("+++");
}

#[test]
fn unterminated_yaml_front_matter() {
    let (site, before) = built_site();
    site.write("content/open.md", "---\ntitle: Open\n\nNo closing fence.\n");
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("content/open.md:1");
}

#[test]
fn malformed_toml_front_matter() {
    let (site, before) = built_site();
    site.write(
        "content/bad.md",
        "+++\ntitle = \"Bad\"\ndate = 2024-02-02\nthis line is not toml\n+++\n\nBody.\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("content/bad.md:4");
}

#[test]
fn malformed_yaml_front_matter() {
    let (site, before) = built_site();
    site.write(
        "content/bad.md",
        "---\ntitle: Bad\ndate: 2024-02-02\nsummary: one: two\n---\n\nBody.\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("content/bad.md:4");
}

#[test]
fn a_date_that_is_not_a_date_names_the_date_line() {
    let (site, before) = built_site();
    site.write(
        "content/soon.md",
        "+++\ntitle = \"Soon\"\ntags = [\"x\"]\ndate = \"soon\"\n+++\n\nBody.\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("content/soon.md:4");
    run.stderr_has("soon");
}

#[test]
fn a_yaml_date_that_is_not_a_date_names_the_date_line() {
    let (site, before) = built_site();
    site.write(
        "content/soon.md",
        "---\ntitle: Soon\n\ndate: someday\n---\n\nBody.\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("content/soon.md:4");
}

#[test]
fn a_file_that_is_not_utf8() {
    let (site, before) = built_site();
    // Latin-1: "café" with a bare 0xE9, on line 5.
    site.write_bytes(
        "content/latin1.md",
        b"+++\ntitle = \"Latin\"\n+++\n\nUn caf\xe9 noir.\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("content/latin1.md:5");
    run.stderr_has("UTF-8");
}

#[test]
fn two_essays_claiming_the_same_url_are_both_named() {
    let (site, before) = built_site();
    site.write(
        "content/one.md",
        "+++\ntitle = \"One\"\nslug = \"same\"\n+++\nBody.\n",
    );
    site.write(
        "content/two.md",
        "+++\ntitle = \"Two\"\nslug = \"same\"\n+++\nBody.\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("content/one.md");
    run.stderr_has("content/two.md");
    run.stderr_has("same/index.html");
}

#[test]
fn an_md_and_a_txt_with_the_same_name_collide() {
    let (site, before) = built_site();
    site.write("content/twin.md", "# Twin\n\nMarkdown.\n");
    site.write("content/twin.txt", "Twin\nPlain.\nMore.\n");
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("content/twin.md");
    run.stderr_has("content/twin.txt");
}

#[test]
fn an_alias_claiming_an_essays_url_collides() {
    let (site, before) = built_site();
    site.write(
        "content/thief.md",
        "+++\ntitle = \"Thief\"\naliases = [\"good\"]\n+++\nBody.\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("content/good.md");
    run.stderr_has("content/thief.md");
}

#[test]
fn a_slug_that_leaves_the_output_is_refused() {
    let (site, before) = built_site();
    site.write(
        "content/escape.md",
        "+++\ntitle = \"Escape\"\nslug = \"../../x\"\n+++\n\nBody.\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("content/escape.md:3");
    assert!(!site.path("x").exists());
    assert!(!site.root().parent().expect("a parent").join("x").exists());
}

#[test]
fn a_file_and_a_folder_claiming_the_same_path() {
    // static/now is a file at /now; content/now.md wants /now/ to be a folder.
    let (site, before) = built_site();
    site.write("static/now", "a file called now\n");
    site.write(
        "content/now.md",
        "+++\ntitle = \"Now\"\n+++\nWhat I am doing now.\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("content/now.md");
    run.stderr_has("static");
}

#[test]
fn an_alias_that_leaves_the_output_is_refused() {
    let (site, before) = built_site();
    site.write(
        "content/escape.md",
        "+++\ntitle = \"Escape\"\naliases = [\"ok/../../../y\"]\n+++\n\nBody.\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("content/escape.md:3");
    assert!(!site.path("y").exists());
}

#[test]
fn a_broken_vellum_toml_names_its_line() {
    let (site, before) = built_site();
    site.write(
        "vellum.toml",
        "title = \"Errors\"\nbase_url = \"https://example.test/\nlanguage = \"en\"\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("vellum.toml:2");
}

#[test]
fn a_wrong_type_in_vellum_toml_names_its_line() {
    let (site, before) = built_site();
    site.write("vellum.toml", "title = \"Errors\"\n\npaginate = \"ten\"\n");
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("vellum.toml:3");
}

#[test]
fn an_unknown_vellum_toml_key_suggests_the_right_one() {
    let (site, before) = built_site();
    site.write(
        "vellum.toml",
        "base_url = \"https://example.test/\"\ntitel = \"Errors\"\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("vellum.toml:2");
    run.stderr_has("did you mean `title`");
}

#[test]
fn a_bad_base_url_is_refused() {
    let (site, before) = built_site();
    site.write("vellum.toml", "base_url = \"example.com\"\n");
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("vellum.toml");
    run.stderr_has("base_url");
}

#[test]
fn a_bad_base_url_flag_is_refused() {
    let (site, before) = built_site();
    let run = site.build(&["--base-url", "example.com"]).failure();
    assert!(run.stderr.contains("--base-url"), "{run}");
    assert_same_tree(&before, &tree(&site.path("public")));
}

#[test]
fn a_template_syntax_error_names_the_template_and_line() {
    let (site, before) = built_site();
    site.write(
        "templates/essay.html",
        "<html>\n<body>\n{% if essay.title %}\n<h1>{{ essay.title }}</h1>\n{% endfor %}\n</body>\n</html>\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    let line = run
        .error_lines()
        .into_iter()
        .find(|l| l.contains("templates/essay.html"))
        .unwrap_or_else(|| panic!("no error names templates/essay.html\n{run}"))
        .to_string();
    assert!(line.contains("templates/essay.html:5"), "{line}");
}

#[test]
fn a_template_rendering_error_names_the_template_and_line() {
    let (site, before) = built_site();
    site.write(
        "templates/essay.html",
        "<html>\n<body>\n<h1>{{ essay.title }}</h1>\n{{ essay.no_such_field.deeper }}\n</body>\n</html>\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("templates/essay.html:4");
    // Every essay fails the same way; it is said once.
    assert_eq!(
        run.error_lines()
            .iter()
            .filter(|l| l.contains("templates/essay.html"))
            .count(),
        1,
        "{run}"
    );
}

#[test]
fn a_template_extending_a_missing_parent() {
    let (site, before) = built_site();
    site.write(
        "templates/essay.html",
        "{% extends \"nowhere.html\" %}\n{% block content %}x{% endblock content %}\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("templates/essay.html");
    run.stderr_has("nowhere.html");
}

#[test]
fn a_missing_theme_is_named() {
    let (site, before) = built_site();
    site.write("vellum.toml", "theme = \"nonexistent\"\n");
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("nonexistent");
}

#[test]
fn several_broken_essays_are_all_reported_at_once() {
    let (site, before) = built_site();
    site.write(
        "content/a-bad-date.md",
        "+++\ntitle = \"A\"\ndate = \"soon\"\n+++\nBody.\n",
    );
    site.write("content/b-open.md", "+++\ntitle = \"B\"\nBody.\n");
    site.write(
        "content/c-yaml.md",
        "---\ntitle: C\nsummary: x: y\n---\nBody.\n",
    );
    site.write(
        "content/d-slug.md",
        "+++\ntitle = \"D\"\nslug = \"../d\"\n+++\nBody.\n",
    );
    site.write(
        "content/e-toml.md",
        "+++\ntitle = \"E\"\ntags = [\"unclosed\"\n+++\nBody.\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    for at in [
        "content/a-bad-date.md:3",
        "content/b-open.md:1",
        "content/c-yaml.md:3",
        "content/d-slug.md:3",
        "content/e-toml.md:",
    ] {
        run.stderr_has(at);
    }
    assert_eq!(run.error_lines().len(), 5, "{run}");
    // Each error on its own `error:` line.
    for line in run.stderr.lines().filter(|l| l.contains("content/")) {
        assert!(line.starts_with("error: content/"), "{line}");
    }
}

#[test]
fn a_file_that_is_not_utf8_does_not_hide_the_other_errors() {
    let (site, before) = built_site();
    site.write(
        "content/a-bad-date.md",
        "+++\ntitle = \"A\"\ndate = \"soon\"\n+++\nBody.\n",
    );
    site.write_bytes("content/b-latin1.txt", b"B\nCaf\xe9.\nMore.\n");
    site.write("content/c-open.md", "+++\ntitle = \"C\"\nBody.\n");
    let run = fails_and_keeps_public(&site, &before);
    for at in [
        "content/a-bad-date.md:3",
        "content/b-latin1.txt:2",
        "content/c-open.md:1",
    ] {
        run.stderr_has(at);
    }
}

#[test]
fn a_missing_root_is_an_error_not_a_panic() {
    let site = Site::new();
    let missing = site.path("does-not-exist");
    let mut cmd = vellum_cmd();
    cmd.arg("--root").arg(&missing).arg("build");
    let run = Run::from(cmd.output().expect("run vellum"));
    // Either it builds an empty site or refuses; it never panics.
    let run = run.no_panic();
    assert!(matches!(run.code, Some(0) | Some(1)), "{run}");
}

#[test]
fn bad_usage_exits_with_2() {
    let site = Site::new();
    let run = site.vellum(&["build", "--no-such-flag"]).no_panic();
    assert_eq!(run.code, Some(2), "{run}");
    let run = site.vellum(&["frobnicate"]).no_panic();
    assert_eq!(run.code, Some(2), "{run}");
}

/// The error line about `path`, which must also carry `line` and `field`.
#[track_caller]
fn error_at<'a>(run: &'a Run, path: &str, line: usize, field: &str) -> &'a str {
    let at = format!("error: {path}:{line}: {field}");
    run.error_lines()
        .into_iter()
        .find(|l| l.starts_with(&at))
        .unwrap_or_else(|| panic!("no error starts with `{at}`\n{run}"))
}

#[test]
fn a_date_too_late_to_show_is_refused_at_its_line_not_in_a_template() {
    // These parsed, then failed in the `date` filter as a template error ("timestamp
    // overflowed"), naming the template instead of the essay.
    for (text, field) in [
        (
            "+++\ntitle = \"X\"\nupdated = 9999-12-31T23:59:59Z\n+++\nBody.\n",
            "updated",
        ),
        (
            "+++\ntitle = \"X\"\ndate = 9999-12-31T23:59:59Z\n+++\nBody.\n",
            "date",
        ),
        (
            "---\ntitle: X\ndate: 9999-12-31T23:59:59Z\n---\nBody.\n",
            "date",
        ),
        (
            "---\ntitle: X\nupdated: \"-000001-01-01\"\n---\nBody.\n",
            "updated",
        ),
    ] {
        let (site, before) = built_site();
        site.write("content/x.md", text);
        let run = fails_and_keeps_public(&site, &before);
        let line = error_at(&run, "content/x.md", 3, field);
        assert!(line.contains("out of range"), "{line}");
        assert!(!run.stderr.contains("template"), "{run}");
    }
}

#[test]
fn a_file_name_dated_too_late_is_refused() {
    let (site, before) = built_site();
    site.write(
        "content/9999-12-31-end.md",
        "+++\ntitle = \"End\"\n+++\nBody.\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    run.stderr_has("error: content/9999-12-31-end.md: file name: `9999-12-31` is out of range");
}

#[test]
fn a_list_field_holding_the_wrong_thing_says_what_it_takes() {
    // Was: "data did not match any variant of untagged enum StringList", and in YAML on the
    // front matter's first line.
    for text in [
        "+++\ntitle = \"X\"\n\ntags = [[\"a\"]]\n+++\nBody.\n",
        "---\ntitle: X\n\ntags: [[a]]\n---\nBody.\n",
    ] {
        let (site, before) = built_site();
        site.write("content/x.md", text);
        let run = fails_and_keeps_public(&site, &before);
        let line = error_at(&run, "content/x.md", 4, "tags");
        assert!(
            line.ends_with(
                "tags: expected a string or a list of strings, found a list containing a list"
            ),
            "{line}"
        );
    }
}

#[test]
fn a_tag_too_long_for_a_file_name_names_the_essay_the_line_and_the_tag() {
    // Was: "public/tags/aaaa…: File name too long", naming neither essay nor tag, and only
    // when writing.
    let (site, before) = built_site();
    let tag = "a".repeat(300);
    site.write(
        "content/x.md",
        &format!("+++\ntitle = \"X\"\ntags = [\"fine\", \"{tag}\"]\n+++\nBody.\n"),
    );
    let run = fails_and_keeps_public(&site, &before);
    let line = error_at(&run, "content/x.md", 3, "tags");
    assert!(line.contains(&format!("`{}…`", &tag[..40])), "{line}");
    assert!(line.contains("300 bytes"), "{line}");
    assert!(!line.contains(&tag), "the whole tag is shown: {line}");
}

#[test]
fn a_slug_too_long_for_a_file_name_is_refused() {
    let (site, before) = built_site();
    site.write(
        "content/x.md",
        &format!("---\ntitle: X\nslug: {}\n---\nBody.\n", "s".repeat(201)),
    );
    let run = fails_and_keeps_public(&site, &before);
    error_at(&run, "content/x.md", 3, "bad slug");
}

#[test]
fn windows_device_names_are_refused_as_slugs_tags_and_file_names() {
    let (site, before) = built_site();
    site.write(
        "content/x.md",
        "+++\ntitle = \"X\"\n\nslug = \"CON\"\n+++\nBody.\n",
    );
    site.write(
        "content/y.md",
        "---\ntitle: Y\ntags: [fine, nul]\n---\nBody.\n",
    );
    site.write("content/aux.md", "Aux\n\nBody.\n");
    let run = fails_and_keeps_public(&site, &before);
    for line in [
        error_at(&run, "content/x.md", 4, "bad slug"),
        error_at(&run, "content/y.md", 3, "tags"),
    ] {
        assert!(line.contains("device name on Windows"), "{line}");
    }
    run.stderr_has("error: content/aux.md: file name: the slug `aux`");
}

#[test]
fn two_paths_differing_only_in_case_are_refused() {
    // Both built silently, and are one file on macOS and Windows.
    let (site, before) = built_site();
    site.write("content/foo.md", "+++\ntitle = \"Foo\"\n+++\nBody.\n");
    site.write(
        "content/x.md",
        "+++\ntitle = \"X\"\n\nslug = \"Foo\"\n+++\nBody.\n",
    );
    // Beyond ASCII too.
    site.write(
        "content/summer.md",
        "---\ntitle: Summer\nslug: été\n---\nBody.\n",
    );
    site.write(
        "content/y.md",
        "---\ntitle: Y\naliases: [ÉTÉ]\n---\nBody.\n",
    );
    let run = fails_and_keeps_public(&site, &before);
    let line = error_at(&run, "content/x.md", 4, "slug");
    assert!(line.contains("`Foo/index.html`"), "{line}");
    assert!(line.contains("`foo/index.html` (content/foo.md"), "{line}");
    let line = error_at(&run, "content/y.md", 3, "aliases");
    assert!(line.contains("(content/summer.md:3: slug)"), "{line}");
    assert_eq!(run.error_lines().len(), 2, "{run}");
}
