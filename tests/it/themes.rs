//! The theme system: chains of parents, qualified template names, `[extra]` defaults, the
//! built-in themes, `vellum theme list` and `vellum init --theme`.

use crate::support::{Site, only_text, vellum_in};

const CONFIG: &str = "title = \"Themes\"\nbase_url = \"https://example.test/\"\n";

fn one_essay(config: &str) -> Site {
    Site::new()
        .file("vellum.toml", &format!("{CONFIG}{config}"))
        .file(
            "content/walk.md",
            "+++\ntitle = \"A Walk\"\ndate = 2026-01-02\n+++\n\nBody.\n",
        )
}

#[test]
fn a_chain_of_themes_layers_templates_static_files_and_extra() {
    // site → child → mine → default: the nearest layer wins each file and each [extra] key.
    let site = one_essay("theme = \"child\"\n\n[extra]\ncolour = \"site green\"\n")
        .file(
            "themes/mine/theme.toml",
            "name = \"mine\"\ndescription = \"Mine.\"\n\n[extra]\ncolour = \"mine blue\"\nshape = \"mine round\"\nsize = \"mine large\"\n",
        )
        .file(
            "themes/mine/templates/essay.html",
            "{% extends \"default/essay.html\" %}{% block title %}MINE {{ essay.title }}{% endblock title %}",
        )
        .file("themes/mine/static/mine.css", "/* mine */")
        .file("themes/mine/static/both.css", "/* mine both */")
        .file(
            "themes/child/theme.toml",
            "name = \"child\"\ndescription = \"Child.\"\nparent = \"mine\"\n\n[extra]\nshape = \"child square\"\n",
        )
        .file("themes/child/static/both.css", "/* child both */")
        .file(
            "templates/archive.html",
            "<!doctype html><title>x</title><p id=\"c\">{{ site.extra.colour }}</p><p id=\"s\">{{ site.extra.shape }}</p><p id=\"z\">{{ site.extra.size }}</p><p id=\"t\">{{ theme.extra.colour }}</p><p id=\"n\">{{ theme.name }}: {{ theme.description }}</p>",
        );
    site.build(&[]).success();
    // mine's essay.html extends the default's by its qualified name and changes one block.
    let essay = site.html("walk/index.html");
    assert_eq!(only_text(&essay, "title"), "MINE A Walk");
    assert_eq!(
        only_text(&essay, "h1"),
        "A Walk",
        "the default's body is kept"
    );
    assert_eq!(site.read("mine.css"), "/* mine */");
    assert_eq!(site.read("both.css"), "/* child both */");
    assert!(
        site.exists("style.css"),
        "the default's static files are kept"
    );
    let archive = site.html("archive/index.html");
    assert_eq!(only_text(&archive, "#c"), "site green");
    assert_eq!(only_text(&archive, "#s"), "child square");
    assert_eq!(only_text(&archive, "#z"), "mine large");
    assert_eq!(only_text(&archive, "#t"), "mine blue");
    assert_eq!(only_text(&archive, "#n"), "child: Child.");
}

#[test]
fn the_built_in_second_theme_is_one_line_of_config_away() {
    let plain = one_essay("");
    plain.build(&[]).success();
    let broadsheet = one_essay("theme = \"broadsheet\"\n");
    broadsheet.build(&[]).success();
    assert!(
        plain.read("style.css") != broadsheet.read("style.css"),
        "broadsheet has the default's stylesheet"
    );
    assert_eq!(
        only_text(&broadsheet.html("walk/index.html"), "h1"),
        "A Walk"
    );
}

#[test]
fn a_site_folder_named_like_a_built_in_theme_replaces_it() {
    let site = one_essay("theme = \"broadsheet\"\n").file(
        "themes/broadsheet/static/style.css",
        "/* my own broadsheet */",
    );
    site.build(&[]).success();
    assert_eq!(site.read("style.css"), "/* my own broadsheet */");
}

#[test]
fn a_theme_that_does_not_exist_names_the_choices() {
    let site = one_essay("theme = \"nope\"\n");
    let run = site.build(&[]).failure();
    run.stderr_has("vellum.toml");
    run.stderr_has("theme `nope` not found");
    run.stderr_has("broadsheet");
}

#[test]
fn themes_whose_parents_loop_are_an_error() {
    let site = one_essay("theme = \"a\"\n")
        .file("themes/a/theme.toml", "parent = \"b\"\n")
        .file("themes/b/theme.toml", "parent = \"a\"\n");
    let run = site.build(&[]).failure();
    run.stderr_has("themes/b/theme.toml");
    run.stderr_has("a → b → a");
}

#[test]
fn a_bad_theme_toml_names_file_and_line() {
    let site = one_essay("theme = \"a\"\n").file(
        "themes/a/theme.toml",
        "name = \"a\"\ndescription = \"A.\"\ncolour = \"red\"\n",
    );
    let run = site.build(&[]).failure();
    run.stderr_has("themes/a/theme.toml:3");
    run.stderr_has("colour");
}

#[test]
fn theme_list_shows_built_in_and_own_themes() {
    let site = one_essay("").file(
        "themes/mine/theme.toml",
        "name = \"mine\"\ndescription = \"My own theme.\"\n",
    );
    let run = site.vellum(&["theme", "list"]).success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    let line = |name: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} not listed:\n{run}"))
            .to_string()
    };
    assert!(line("broadsheet").contains("built in"));
    assert!(line("default").contains("built in"));
    assert!(line("mine").contains("My own theme."));
    assert!(line("mine").contains("themes/mine"));
}

#[test]
fn init_with_a_theme_builds_with_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    vellum_in(tmp.path(), &["init", "site", "--theme", "broadsheet"]).success();
    let config = std::fs::read_to_string(tmp.path().join("site/vellum.toml")).expect("config");
    assert!(config.contains("theme = \"broadsheet\""), "{config}");
    vellum_in(tmp.path(), &["--root", "site", "build"]).success();

    let run = vellum_in(tmp.path(), &["init", "other", "--theme", "nope"]).failure();
    run.stderr_has("no theme `nope`");
    assert!(!tmp.path().join("other/vellum.toml").exists());
}

/// About 1,500 words the way the shared corpus writes them: sections, emphasis, a quote, a
/// list, a footnote and a ten-line code block.
fn fifteen_hundred_words() -> String {
    let words = [
        "harbour",
        "lantern",
        "quietly",
        "the",
        "morning",
        "river",
        "and",
        "a",
        "window",
        "of",
        "patience",
        "letters",
        "walked",
        "toward",
        "evening",
        "unfinished",
        "kitchen",
        "maps",
    ];
    let mut body = String::new();
    let mut n = 0;
    for section in 0..6 {
        body.push_str(&format!("\n## Section {section} of the walk\n\n"));
        for paragraph in 0..4 {
            let sentence: Vec<&str> = (0..60).map(|i| words[(n + i * 7) % words.len()]).collect();
            n += 60;
            body.push_str(&format!(
                "It is *{}* — “{}.”",
                sentence[0],
                sentence[1..].join(" ")
            ));
            if section == 2 && paragraph == 1 {
                body.push_str("[^a]");
            }
            body.push_str("\n\n");
        }
    }
    body.push_str("> A quoted line, kept.\n\n- one\n- two\n\n```rust\n");
    for i in 0..10 {
        body.push_str(&format!(
            "let value_{i} = compute(\"text\", {i}); // step {i}\n"
        ));
    }
    body.push_str("```\n\n[^a]: A note in the margin, with a [link](https://example.com/).\n");
    body
}

#[test]
fn a_fifteen_hundred_word_essay_with_code_weighs_under_30_kb() {
    let site = Site::new().file("vellum.toml", CONFIG).file(
        "content/long.md",
        &format!(
            "+++\ntitle = \"A Long Walk\"\ndate = 2026-01-02\ntags = [\"walks\"]\n+++\n{}",
            fifteen_hundred_words()
        ),
    );
    site.build(&[]).success();
    let page = site.read("long/index.html");
    let doc = site.html("long/index.html");
    let words = crate::support::only_text(&doc, "article.essay")
        .split_whitespace()
        .count();
    assert!((1_450..1_800).contains(&words), "{words} words");
    assert!(page.contains("hl-code"), "the code block is highlighted");

    // The page's own stylesheets are its only subresources: no scripts, images or fonts.
    let sheets = crate::support::attrs(&doc, "link[rel=stylesheet]", "href");
    assert_eq!(sheets.len(), 2, "{sheets:?}");
    assert_eq!(
        crate::support::count(&doc, "script, img, iframe, video, audio"),
        0
    );
    let css: usize = sheets
        .iter()
        .map(|href| {
            let path = href
                .strip_prefix("https://example.test/")
                .and_then(|p| p.split('?').next())
                .unwrap_or_else(|| panic!("{href} is not the site's own"));
            site.read(path).len()
        })
        .sum();
    let total = page.len() + css;
    assert!(total < 30_000, "{} + {css} = {total} bytes", page.len());
}
