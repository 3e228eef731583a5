//! The same site always builds to the same bytes: whichever output folder, whichever folder the
//! site sits in, however the parallel stages happen to be scheduled.

use crate::support::*;

/// A site with a bit of everything that is built in parallel or sorted: many essays (some on
/// the same day, two with the same title and day), tags, aliases, a bundle, static files, code
/// to highlight, plain essays.
fn busy_site() -> Site {
    let mut site = Site::new()
        .file(
            "vellum.toml",
            "title = \"Busy\"\nauthor = \"Someone\"\nbase_url = \"https://example.test/blog/\"\npaginate = 4\n[extra]\nsocial = \"x\"\n",
        )
        .file("static/files/a.txt", "a static file\n")
        .file("content/bundle/index.md", &essay("Bundle", "2024-06-01", "![p](p.png)"))
        .bytes("content/bundle/p.png", &[0, 1, 2, 3, 255])
        .file(
            "content/code.md",
            "+++\ntitle = \"Code\"\ndate = 2024-06-01\ntags = [\"code\"]\n+++\n\n```rust\nfn main() { println!(\"hi\"); }\n```\n\n```python\nprint('hi')\n```\n",
        )
        .file(
            "content/notes.txt",
            "Notes From a Train\nThe first line — typed on a phone.\nA heading here\nThe line after it, “quoted”.\n",
        )
        .file(
            "content/same-a.md",
            "+++\ntitle = \"Twin\"\ndate = 2024-05-05\ntags = [\"twins\"]\n+++\nFirst twin.\n",
        )
        .file(
            "content/same-b.md",
            "+++\ntitle = \"Twin\"\ndate = 2024-05-05\ntags = [\"twins\"]\n+++\nSecond twin.\n",
        )
        .file("content/undated-b.md", "# Beta Undated\n\nNo date.\n")
        .file("content/undated-a.md", "# Alpha Undated\n\nNo date.\n");
    for i in 0..24 {
        let tags: Vec<String> = (0..(i % 4))
            .map(|t| format!("\"Tag {}\"", (i + t) % 7))
            .collect();
        site = site.file(
            &format!("content/essay-{i:02}.md"),
            &format!(
                "+++\ntitle = \"Essay {i}\"\ndate = 2023-{:02}-{:02}\ntags = [{}]\naliases = [\"old/{i}/\"]\n+++\n\n## Part one\n\nText of essay {i}, with a footnote.[^n]\n\n## Part one\n\n[^n]: The note.\n",
                i % 12 + 1,
                i % 3 + 1,
                tags.join(", ")
            ),
        );
    }
    site
}

#[test]
fn two_output_folders_get_identical_trees() {
    let site = busy_site();
    let out = tempfile::tempdir().expect("temp dir");
    let a = out.path().join("a");
    let b = out.path().join("somewhere-else/b");
    site.build(&["--output", a.to_str().expect("utf-8")])
        .success();
    site.build(&["--output", b.to_str().expect("utf-8")])
        .success();
    let first = tree(&a);
    assert!(
        first.len() > 40,
        "the busy site built only {} files",
        first.len()
    );
    assert_same_tree(&first, &tree(&b));
}

#[test]
fn the_same_site_in_two_folders_builds_identically() {
    let one = busy_site();
    let two = busy_site();
    assert_ne!(one.root(), two.root());
    one.build(&[]).success();
    two.build(&[]).success();
    assert_same_tree(&tree(&one.path("public")), &tree(&two.path("public")));
}

#[test]
fn repeated_fresh_builds_are_identical() {
    let site = busy_site();
    site.build(&[]).success();
    let first = tree(&site.path("public"));
    for _ in 0..3 {
        std::fs::remove_dir_all(site.path("public")).expect("remove public");
        site.build(&[]).success();
        assert_same_tree(&first, &tree(&site.path("public")));
    }
}

#[test]
fn equal_dates_and_titles_have_a_stable_order() {
    let site = busy_site();
    site.build(&[]).success();
    let twins = site.html("tags/twins/index.html");
    assert_eq!(
        attrs(&twins, "main article.card h3 a", "href"),
        [
            "https://example.test/blog/same-a/",
            "https://example.test/blog/same-b/"
        ]
    );
    // Undated essays come last, by title.
    let last_page = site.html("page/8/index.html");
    let titles = texts(&last_page, "main article.card h3 a");
    assert_eq!(
        titles,
        ["Alpha Undated", "Beta Undated", "Notes From a Train"]
    );
}

#[test]
fn output_does_not_mention_where_the_site_lives() {
    let site = busy_site();
    site.build(&[]).success();
    let root = site.root().to_string_lossy().into_owned();
    for (name, bytes) in tree(&site.path("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&root),
            "{name} mentions the site's folder"
        );
    }
}

#[test]
fn remembered_code_blocks_give_the_same_bytes_and_a_damaged_memory_is_ignored() {
    let site = busy_site();
    let cache = site.path(".vellum-cache/highlighted-code.bin");
    site.build(&[]).success();
    assert!(cache.is_file(), "highlighted blocks are remembered");
    let first = tree(&site.path("public"));

    // Into a new folder: every page renders again, and no block is highlighted again.
    let run = site.build(&["--output", "again", "--timings"]).success();
    assert!(!run.stdout.contains("highlighting code"), "{run}");
    assert_same_tree(&first, &tree(&site.path("again")));

    // A damaged file costs only the highlighting.
    let bytes = std::fs::read(&cache).expect("read the cache");
    std::fs::write(&cache, &bytes[..bytes.len() / 2]).expect("damage the cache");
    let run = site.build(&["--output", "third", "--timings"]).success();
    assert!(run.stdout.contains("highlighting code"), "{run}");
    assert_same_tree(&first, &tree(&site.path("third")));
}

/// An essay with one 200-line Rust block, which says `edit {n}` on every line.
fn code_essay(n: usize) -> String {
    let lines: String = (0..200)
        .map(|i| format!("let value_{i} = compute({i}, \"edit {n:02}\");\n"))
        .collect();
    format!("+++\ntitle = \"Code\"\ndate = 2024-01-02\n+++\n\n```rust\n{lines}```\n")
}

#[test]
fn remembered_code_blocks_are_those_the_essays_show_not_every_version_ever_saved() {
    // Every edit of a block added its new version to the file (about 55 KB for this one), and
    // none was ever let go.
    let site = Site::new()
        .file("vellum.toml", "title = \"Code\"\nbase_url = \"https://example.test/\"\n")
        .file(
            "content/still.md",
            "+++\ntitle = \"Still\"\ndate = 2024-01-01\n+++\n\n```python\nprint('never edited')\n```\n",
        )
        .file("content/code.md", &code_essay(1));
    let cache = site.path(".vellum-cache/highlighted-code.bin");
    let size = || {
        std::fs::metadata(&cache)
            .expect("the remembered blocks")
            .len()
    };
    site.build(&[]).success();
    let first = size();
    for n in 2..=20 {
        site.write("content/code.md", &code_essay(n));
        site.build(&[]).success();
    }
    assert!(
        size() <= first + first / 20,
        "after 20 edits the file is {} bytes; after one it was {first}",
        size()
    );

    // Those builds rendered only the edited essay; the other's block was kept all the same,
    // and every page renders into a new folder without highlighting anything.
    let run = site.build(&["--output", "again", "--timings"]).success();
    assert!(!run.stdout.contains("highlighting code"), "{run}");

    // An essay removed takes its blocks with it.
    site.remove("content/code.md");
    site.build(&[]).success();
    assert!(size() < first / 10, "{} bytes left of {first}", size());
}
