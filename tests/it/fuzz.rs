//! A bounded fuzz test that runs with `cargo test` on stable: random sites from a seeded
//! generator, built through the library ([`vellum::build`]), checked for what must hold
//! whatever the input — no panic, an error names a file, a second build gives the same bytes,
//! nothing is written outside the output folder.
//!
//! The generator favours hostile shapes: odd or broken front matter, BOMs and CRLF, deep
//! nesting, runs of `[`, `*` and backticks, thousands of headings, footnotes or tags with one
//! slug, unicode, names with spaces, newlines and dots, empty files, slugs that try to leave
//! the site.
//!
//! By default it runs cases for [`DEFAULT_SECONDS`] from seed [`DEFAULT_SEED`]. Set
//! `VELLUM_FUZZ_CASES` to run that many cases instead (no time limit), and
//! `VELLUM_FUZZ_SEED` to start elsewhere; a failure names the case's own seed, which with
//! `VELLUM_FUZZ_CASES=1` replays it alone.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fastrand::Rng;
use vellum::BuildOptions;

use crate::support::tree;

const DEFAULT_SEED: u64 = 0x7e11_0010;
const DEFAULT_SECONDS: u64 = 12;
/// In every name that tries to leave the site, so that an escape can be looked for.
const ESCAPE_MARK: &str = "vellum-fuzz-escaped";

#[test]
fn random_hostile_sites_build_or_fail_cleanly() {
    let number = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let seed = number("VELLUM_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let cases = number("VELLUM_FUZZ_CASES");
    let deadline = Instant::now() + Duration::from_secs(DEFAULT_SECONDS);
    let mut case = 0;
    while cases.map_or(case == 0 || Instant::now() < deadline, |n| case < n) {
        let case_seed = seed.wrapping_add(case);
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check_case(case_seed))) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!(
                "fuzz case {case} failed; replay with VELLUM_FUZZ_SEED={case_seed} VELLUM_FUZZ_CASES=1\n{message}"
            );
        }
        case += 1;
    }
}

/// Generates one site, builds it twice and checks the builds.
fn check_case(seed: u64) {
    let mut rng = Rng::with_seed(seed);
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    let drafts = rng.bool();
    let files = write_site(&mut rng, &root, drafts);
    let before = tree(&root);
    let out = dir.path().join("out");
    let options = BuildOptions {
        root: root.clone(),
        output: Some(out.clone()),
        drafts,
        future: rng.bool(),
        ..BuildOptions::default()
    };

    let first = vellum::build(&options).map(|_| tree(&out));
    let second = vellum::build(&options).map(|_| tree(&out));
    match (&first, &second) {
        (Ok(a), Ok(b)) => assert!(a == b, "a second build wrote other bytes"),
        (Err(a), Err(b)) => {
            assert_eq!(
                a.to_string(),
                b.to_string(),
                "a second build failed otherwise"
            );
            let message = a.to_string();
            assert!(
                files.iter().any(|f| message.contains(f.as_str())),
                "the error names none of the site's files: {message}"
            );
        }
        _ => panic!(
            "one build failed and the other did not: {:?} / {:?}",
            first.as_ref().err().map(ToString::to_string),
            second.as_ref().err().map(ToString::to_string)
        ),
    }
    assert_nothing_written_outside(dir.path(), &root, &before);
}

/// The site's own files are as they were (its `.vellum-cache` aside), the temporary folder
/// holds only the site, the output and its spare tree, and no escaping name reached the
/// folders above.
fn assert_nothing_written_outside(dir: &Path, root: &Path, before: &BTreeMap<String, Vec<u8>>) {
    let mut after = tree(root);
    after.retain(|rel, _| !rel.starts_with(".vellum-cache"));
    assert!(&after == before, "the build changed files of the site");
    let mut entries: Vec<String> = std::fs::read_dir(dir)
        .expect("list the temporary folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    // The spare tree of an output outside the site is kept beside it (see `output::spare`).
    assert!(
        entries
            .iter()
            .all(|e| e == "out" || e == "site" || e == ".out.vellum-spare"),
        "written beside the site: {entries:?}"
    );
    for above in dir.ancestors().skip(1).take(2) {
        let escaped = std::fs::read_dir(above)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().contains(ESCAPE_MARK));
        assert!(!escaped, "a file escaped to {}", above.display());
    }
}

/// Writes a random site under `root` and returns the paths (relative to it) that an error may
/// name. `drafts`: whether the build shows drafts.
fn write_site(rng: &mut Rng, root: &Path, drafts: bool) -> Vec<String> {
    let mut files = vec!["vellum.toml".to_string()];
    let config = if rng.u8(..20) == 0 {
        "title = [broken\n".to_string()
    } else {
        format!(
            "title = {:?}\nbase_url = \"https://example.test/{}\"\n",
            pick(rng, &["Fuzz", "", "«ünïcødé» <b>&", "tab\tin"]),
            pick(rng, &["", "sub/", "deep/er/"])
        )
    };
    write(root, "vellum.toml", config.as_bytes());
    for _ in 0..rng.usize(0..6) {
        let rel = format!("content/{}", file_name(rng));
        write(root, &rel, &essay_bytes(rng, drafts));
        files.push(rel);
    }
    files
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path: PathBuf = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
    std::fs::write(&path, bytes).expect("write a file of the site");
}

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

/// A file name under `content/`: spaces, newlines, dots, unicode, bundles.
fn file_name(rng: &mut Rng) -> String {
    let stem = pick(
        rng,
        &[
            "essay",
            "2024-02-29-leap",
            "with space",
            "new\nline",
            "..dots..",
            "-dash",
            "日本語",
            "é\u{301}",
            "UPPER",
            "tab\there",
            "x",
        ],
    );
    let ext = pick(rng, &["md", "md", "markdown", "txt"]);
    match rng.u8(..4) {
        0 => format!("{stem}/index.{ext}"),
        1 => format!("nested/{stem}-{}.{ext}", rng.u16(..)),
        _ => format!("{stem}-{}.{ext}", rng.u16(..)),
    }
}

/// A whole file: sometimes empty, sometimes with a BOM or CRLF endings.
fn essay_bytes(rng: &mut Rng, drafts: bool) -> Vec<u8> {
    if rng.u8(..10) == 0 {
        return Vec::new();
    }
    let mut text = front_matter(rng, drafts);
    for _ in 0..rng.usize(0..8) {
        text.push_str(&fragment(rng));
    }
    if rng.u8(..4) == 0 {
        text = text.replace('\n', "\r\n");
    }
    if rng.u8(..5) == 0 {
        text.insert(0, '\u{feff}');
    }
    text.into_bytes()
}

/// Front matter, TOML or YAML or none; one essay in eight has something wrong with it (a
/// site with one such essay fails to build, and a failing site tests less).
fn front_matter(rng: &mut Rng, drafts: bool) -> String {
    let hostile = rng.u8(..8) == 0;
    let mut tags: Vec<String> = (0..rng.usize(0..6))
        .map(|_| pick(rng, &["Rust", "rust", " ", "", "ünï", "a/b", "..", "<i>"]).to_string())
        .collect();
    let draft = rng.bool();
    if rng.u8(..4) == 0 {
        // Many tags with one slug, or all distinct: up to past the most an essay may have
        // (`essay::MAX_TAGS`, an error), and thousands in drafts left out of the build.
        let same = rng.bool();
        let many = if draft && !drafts {
            rng.usize(1000..5000)
        } else {
            rng.usize(100..260)
        };
        tags.extend((0..many).map(|k| if same { "T!".into() } else { format!("t{k}") }));
    }
    let tags = tags
        .iter()
        .map(|t| format!("{t:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let (slug, date, title) = if hostile {
        let slug = pick(
            rng,
            &["", "../x", "../../y", "a//b", "%", " ", "c:\\d", "./."],
        );
        (
            slug.replace(['x', 'y'], ESCAPE_MARK),
            pick(rng, &["2024-02-30", "soon", "2024-13-01T99:00:00"]),
            pick(rng, &["[1, 2]", "{a: b}", "5"]),
        )
    } else {
        (
            pick(rng, &["ok", "a/b", "日本", "ok"]).to_string(),
            pick(
                rng,
                &["2024-01-01", "2999-01-01", "2024-01-01T10:00:00+14:00"],
            ),
            pick(rng, &["Title", "", "<script>", "ünï “q”", "a\\nb", "Notes"]),
        )
    };
    let with_slug = rng.bool() || hostile;
    let slug_line = |sep: &str| {
        if with_slug {
            format!("slug{sep}\"{slug}\"\naliases{sep}[\"{slug}/old\"]\n")
        } else {
            String::new()
        }
    };
    match rng.u8(..5) {
        0 => String::new(),
        _ if hostile && rng.bool() => pick(
            rng,
            &[
                "+++\ntitle = \"never closed\"\n",
                "---\n: :\n---\n",
                "+++\ntags = 5\n+++\n",
            ],
        )
        .into(),
        1 | 2 => format!(
            "---\ntitle: {title}\ndate: {date}\ntags: [{tags}]\ndraft: {draft}\n{}---\n",
            slug_line(": ")
        ),
        _ => format!(
            "+++\ntitle = \"{title}\"\ndate = \"{date}\"\ntags = [{tags}]\ndraft = {draft}\n{}toc = true\nseries = \"S\"\n+++\n",
            slug_line(" = ")
        ),
    }
}

/// One piece of a body, many of them built to be expensive.
fn fragment(rng: &mut Rng) -> String {
    let n = rng.usize(1..400);
    let big = rng.usize(1000..5000);
    match rng.u8(..16) {
        0 => "## Notes\n\n".repeat(big),
        1 => (0..big)
            .map(|k| {
                format!(
                    "x[^a{}]\n\n[^a{}]: n\n\n",
                    "!".repeat(k % 7),
                    "!".repeat(k % 7)
                )
            })
            .collect(),
        2 => "[".repeat(n * 50),
        3 => "*".repeat(n * 50),
        4 => "`".repeat(n * 50),
        5 => ">".repeat(n) + " deep\n\n",
        6 => (0..n)
            .map(|d| format!("{}- level {d}\n", "  ".repeat(d)))
            .collect(),
        7 => format!(
            "```{}\nfn main() {{}}\n",
            pick(rng, &["rust", "", "nosuch", "py"])
        ),
        8 => "## X {#x-1}\n\n## X\n\n## X\n\n".into(),
        9 => "| a | b |\n|---|---|\n| 1 | 2 |\n\n".into(),
        10 => "<!-- more -->\n\n<div>\n\n*html*\n\n</div>\n".into(),
        11 => "ünï\u{202e}cødé \u{0}\u{7} ﷽ 👩‍👩‍👧 \t\u{85}\n\n".into(),
        12 => "[^missing] [link](../../x) ![img](nope.png) <http://a>\n\n".into(),
        13 => "[[[a](b)]]]](((( **_~~x~~_** \\\n".repeat(n),
        _ => "A plain paragraph, don’t “quote” -- me.\n\n".into(),
    }
}
