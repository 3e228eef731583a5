//! Code blocks: bat's grammars (TOML, shell, console sessions, PowerShell, Terraform, SCSS,
//! Dockerfile, Nix) under the names writers use, line numbers and highlighted lines in Zola's,
//! Hugo's and Jekyll's forms, the language shown on the block, and grammars loaded only for
//! a site with code.

use crate::support::*;

/// One fenced block per language group, each with a token its grammar colours.
const LANGUAGES: &[(&str, &str)] = &[
    ("toml", "[package]\nname = \"demo\"\n"),
    ("sh", "for f in *.md; do echo \"$f\"; done\n"),
    ("console", "$ echo \"$HOME\"\n/home/me\n"),
    (
        "ps1",
        "Get-ChildItem -Path $HOME | Where-Object { $_.Length -gt 0 }\n",
    ),
    (
        "tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n",
    ),
    ("scss", "$pad: 4px;\n.a { .b { padding: $pad; } }\n"),
    ("dockerfile", "FROM debian:stable\nRUN apt-get update\n"),
    ("nix", "{ pkgs ? import <nixpkgs> {} }:\npkgs.hello\n"),
];

fn fences(blocks: &[(&str, &str)]) -> String {
    blocks
        .iter()
        .map(|(info, code)| format!("```{info}\n{code}```\n\n"))
        .collect()
}

fn site_with(body: &str) -> Site {
    Site::new()
        .file("vellum.toml", "title = \"C\"\n")
        .file("content/code.md", &essay("Code", "2024-01-01", body))
}

/// The `<pre>` of each block, in order.
fn blocks(site: &Site) -> Vec<String> {
    select(&site.html("code/index.html"), "article pre")
        .iter()
        .map(|e| e.html())
        .collect()
}

#[test]
fn each_language_group_is_highlighted() {
    let site = site_with(&fences(LANGUAGES));
    site.build(&[]).success();
    let blocks = blocks(&site);
    assert_eq!(blocks.len(), LANGUAGES.len());
    for ((lang, _), block) in LANGUAGES.iter().zip(&blocks) {
        assert!(
            block.starts_with(&format!("<pre class=\"hl-code\" data-lang=\"{lang}\"")),
            "{block}"
        );
        assert!(
            block.contains("<span class=\"l"),
            "{lang} has no coloured token: {block}"
        );
    }
}

#[test]
fn the_names_writers_use_find_their_grammar_in_any_case() {
    let names = [
        "shell",
        "bash",
        "zsh",
        "Shell-Session",
        "pwsh",
        "PowerShell",
        "terraform",
        "hcl",
        "yml",
        "YAML",
        "golang",
        "py",
        "rb",
        "rs",
        "js",
        "ts",
        "docker",
        "md",
        "jsonc",
        "html",
    ];
    let body: Vec<(&str, &str)> = names.iter().map(|n| (*n, "x = \"1\" # a\n")).collect();
    let site = site_with(&fences(&body));
    site.build(&[]).success();
    for (name, block) in names.iter().zip(blocks(&site)) {
        assert!(
            block.starts_with("<pre class=\"hl-code\""),
            "{name}: {block}"
        );
    }
    // A language nobody knows stays escaped, plain, and labelled as written.
    let site = site_with("```klingon\n<b>\n```\n");
    site.build(&[]).success();
    assert_eq!(
        blocks(&site),
        [
            "<pre data-lang=\"klingon\" tabindex=\"0\"><code class=\"language-klingon\">&lt;b&gt;\n</code></pre>"
        ]
    );
}

#[test]
fn a_console_session_colours_commands_and_leaves_output_plain() {
    let site = site_with("```console\n$ echo \"hi\" \\\n  \"there\"\nhi \"there\"\n```\n");
    site.build(&[]).success();
    let block = &blocks(&site)[0];
    assert!(
        block.contains("<span class=\"hl-prompt\">$ </span>"),
        "{block}"
    );
    assert!(
        block.ends_with("</span>hi \"there\"\n</code></pre>"),
        "{block}"
    );
    let continued = block.split("\\\n").nth(1).unwrap_or_default();
    assert!(
        continued.contains("<span"),
        "the continued command is shell: {block}"
    );
}

/// Line `n`'s element in a block, as HTML.
fn lines(block: &str) -> Vec<&str> {
    block
        .split("class=\"line\">")
        .skip(1)
        .map(|l| l.split('\n').next().unwrap_or_default())
        .collect()
}

#[test]
fn line_numbers_and_highlighted_lines_in_each_generators_form() {
    let code = "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n";
    let site = site_with(&fences(&[
        ("toml,linenos,hl_lines=1-2 4", code),
        (
            "toml {linenos=true,hl_lines=[2,\"4-5\"],linenostart=10}",
            code,
        ),
        ("toml {linenos=table,hl_lines=[3]}", code),
        ("toml {linenos=false,hl_lines=[1]}", code),
        ("ruby linenos", code),
        ("toml,linenos,linenostart=98", code),
    ]));
    site.build(&[]).success();
    let blocks = blocks(&site);
    let marked = |block: &str| -> Vec<usize> {
        (1..)
            .zip(block.split("class=\"line\">").skip(1))
            .zip(
                block
                    .split("class=\"line\">")
                    .map(|before| before.ends_with("<mark ")),
            )
            .filter(|(_, mark)| *mark)
            .map(|((n, _), _)| n)
            .collect()
    };
    let numbers = |block: &str| -> Vec<String> {
        block
            .split("data-n=\"")
            .skip(1)
            .map(|n| n.split('"').next().unwrap_or_default().to_string())
            .collect()
    };
    // Zola
    assert_eq!(marked(&blocks[0]), [1, 2, 4], "{}", blocks[0]);
    assert_eq!(numbers(&blocks[0]), ["1", "2", "3", "4", "5"]);
    // Hugo, numbered from linenostart; hl_lines count from the block's first line
    assert_eq!(marked(&blocks[1]), [2, 4, 5], "{}", blocks[1]);
    assert_eq!(numbers(&blocks[1]), ["10", "11", "12", "13", "14"]);
    assert_eq!(marked(&blocks[2]), [3]);
    assert_eq!(numbers(&blocks[2]).len(), 5);
    assert_eq!(marked(&blocks[3]), [1]);
    assert!(numbers(&blocks[3]).is_empty(), "{}", blocks[3]);
    // Jekyll
    assert_eq!(numbers(&blocks[4]), ["1", "2", "3", "4", "5"]);
    assert!(blocks[4].starts_with("<pre class=\"hl-code\" data-lang=\"ruby\""));
    // Padded to line up, and never in the text a reader copies.
    assert_eq!(numbers(&blocks[5]), [" 98", " 99", "100", "101", "102"]);
    let page = site.html("code/index.html");
    let copied = texts(&page, "article pre");
    assert!(
        copied.iter().all(|t| t.starts_with("a = 1\nb = 2")),
        "{copied:?}"
    );
    assert_eq!(count(&page, "article pre .ln[aria-hidden=true]"), 25);
    assert_eq!(lines(&blocks[0]).len(), 5);
}

#[test]
fn hostile_line_options_are_cheap_and_safe() {
    let code = "x\n".repeat(3);
    let site = site_with(&fences(&[
        ("rust,hl_lines=1-99999999999", code.as_str()),
        ("rust,hl_lines=5-2,linenostart=-4", code.as_str()),
        (
            "rust {hl_lines=[\"0-0\",\"x\",18446744073709551616],linenostart=18446744073709551615,linenos=true}",
            code.as_str(),
        ),
    ]));
    let started = std::time::Instant::now();
    site.build(&[]).success();
    assert!(started.elapsed().as_secs() < 20);
    let blocks = blocks(&site);
    assert_eq!(blocks[0].matches("<mark class=\"line\">").count(), 3);
    assert!(!blocks[1].contains("<mark"), "{}", blocks[1]);
    assert!(!blocks[2].contains("<mark"), "{}", blocks[2]);
    assert_eq!(
        blocks[2].matches("data-n=\"18446744073709551615\"").count(),
        3
    );
}

#[test]
fn the_language_is_on_the_block_for_the_theme_to_show() {
    let site = site_with("```toml\na = 1\n```\n\n```\nplain\n```\n");
    site.build(&[]).success();
    let page = site.html("code/index.html");
    assert_eq!(attrs(&page, "article pre", "data-lang"), ["toml"]);
    assert_eq!(count(&page, "article pre"), 2);
    // Every theme, a site's own too, gets the label, the numbers and the marked lines from
    // the generated syntax.css.
    let css = site.read("syntax.css");
    for rule in [
        "pre[data-lang]::before{content:attr(data-lang)",
        ".ln::before{content:attr(data-n)",
        "mark.line{",
        ".hl-prompt{user-select:none}",
    ] {
        assert!(css.contains(rule), "syntax.css has no `{rule}`");
    }
}

#[test]
fn changing_only_the_highlighted_lines_changes_the_page_on_rebuild() {
    let site = site_with("```toml,hl_lines=1\na = 1\nb = 2\n```\n");
    site.build(&[]).success();
    let before = blocks(&site);
    site.write(
        "content/code.md",
        &essay(
            "Code",
            "2024-01-01",
            "```toml,hl_lines=2\na = 1\nb = 2\n```\n",
        ),
    );
    site.build(&[]).success();
    let after = blocks(&site);
    assert_ne!(before, after);
    let marked = |block: &str| -> String {
        let inside = block
            .split("<mark class=\"line\">")
            .nth(1)
            .unwrap_or_default();
        let inside = inside.split("</mark>").next().unwrap_or_default();
        inside
            .split('<')
            .map(|p| p.split_once('>').map_or(p, |(_, t)| t))
            .collect()
    };
    assert_eq!(marked(&before[0]), "a = 1\n");
    assert_eq!(marked(&after[0]), "b = 2\n");
}

#[test]
fn grammars_load_only_for_a_site_with_code() {
    let site = site_with("Only words, and `inline code`.\n");
    let run = site.build(&["--timings"]).success();
    assert!(run.stdout.contains("loading grammars: not needed"), "{run}");
    site.write(
        "content/code.md",
        &essay("Code", "2024-01-01", "```toml\na = 1\n```\n"),
    );
    let run = site.build(&["--timings"]).success();
    assert!(
        run.stdout
            .lines()
            .any(|l| l.trim_start().starts_with("loading grammars:") && l.ends_with(" ms")),
        "{run}"
    );
}
