//! Input whose cost once grew with the square of its size: many headings with one slug, many
//! footnote labels with one slug, many tags in one essay. Each test builds a count large
//! enough that the quadratic version takes minutes (it would visibly hang) while the linear
//! one takes a second or two in a debug build; none asserts a time. The work itself is
//! counted in the unit tests of `markdown::headings`.

use crate::support::*;

fn config() -> Site {
    Site::new().file(
        "vellum.toml",
        "title = \"Bounded\"\nbase_url = \"https://example.test/\"\n",
    )
}

/// A footnote label of its own for `k`, made only of `a` and punctuation, so that every
/// label slugs to `a`.
fn punctuation_label(k: usize) -> String {
    const MARKS: &[u8] = b"!?.,;:'()&%$#@~+=|";
    let mut label = String::from("a");
    let mut k = k + 1;
    while k > 0 {
        k -= 1;
        label.push(char::from(MARKS[k % MARKS.len()]));
        k /= MARKS.len();
    }
    label
}

#[test]
fn forty_thousand_identical_headings_get_numbered_ids() {
    // 20,000 took 36 s in a release build when each id scanned its suffixes from the first.
    let n = 40_000;
    let site = config().file(
        "content/same.md",
        &essay("Same", "2024-01-01", &"## Notes\n\n".repeat(n)),
    );
    site.build(&[]).success();
    let ids = attrs(&site.html("same/index.html"), ".essay-body h2", "id");
    let expected: Vec<String> = std::iter::once("notes".to_string())
        .chain((1..n).map(|k| format!("notes-{k}")))
        .collect();
    assert!(ids == expected, "ids differ, first: {:?}", ids.first());
}

#[test]
fn thirty_thousand_footnote_labels_with_one_slug() {
    // 15,000 took 21 s in a release build.
    let n = 30_000;
    let labels: Vec<String> = (0..n).map(punctuation_label).collect();
    let mut body = String::new();
    for label in &labels {
        body.push_str(&format!("Claim.[^{label}]\n\n"));
    }
    for (k, label) in labels.iter().enumerate() {
        body.push_str(&format!("[^{label}]: Note {k}.\n\n"));
    }
    let site = config().file("content/notes.md", &essay("Notes", "2024-01-01", &body));
    site.build(&[]).success();
    let page = site.html("notes/index.html");
    let ids = attrs(&page, ".footnotes li", "id");
    let expected: Vec<String> = std::iter::once("fn-a".to_string())
        .chain((2..=n).map(|k| format!("fn-a-{k}")))
        .collect();
    assert!(ids == expected, "ids differ, first: {:?}", ids.first());
    // Numbered in order of reference, each reference to its own note.
    let last = select(&page, "label.sidenote-ref")
        .pop()
        .expect("references");
    assert_eq!(last.value().attr("for"), Some(&*format!("sn-fn-a-{n}")));
    assert_eq!(text(&last), n.to_string());
}

#[test]
fn a_hundred_thousand_tags_in_a_draft_are_counted_and_refused_at_their_line() {
    // 8,000 took 1.7 s in a release build, even in a draft that is never rendered: every tag
    // was compared with every other. Twice the tags, four times the time.
    let tags: Vec<String> = (0..100_000).map(|k| format!("\"tag {k}\"")).collect();
    let site = config().file(
        "content/tagged.md",
        &format!(
            "+++\ntitle = \"Tagged\"\ndate = 2024-01-01\ndraft = true\ntags = [{}]\n+++\nBody.\n",
            tags.join(", ")
        ),
    );
    let run = site.build(&[]).failure();
    run.stderr_has("content/tagged.md:5: tags: 100000 different tags");
}

#[test]
fn twenty_thousand_tags_in_a_published_essay_are_refused_not_rendered() {
    // Each tag's page lists the essay with all its tags: 20,000 took minutes and would have
    // written gigabytes.
    let tags: Vec<String> = (0..20_000).map(|k| format!("\"t{k}\"")).collect();
    let site = config().file(
        "content/tagged.md",
        &format!(
            "---\ntitle: Tagged\ndate: 2024-01-01\ntags: [{}]\n---\nBody.\n",
            tags.join(", ")
        ),
    );
    let run = site.build(&[]).failure();
    run.stderr_has("content/tagged.md:4: tags: 20000 different tags")
        .stderr_has("at most 200");
    // The most an essay may have still builds, with a page for each.
    let tags: Vec<String> = (0..200).map(|k| format!("\"t{k}\"")).collect();
    site.write(
        "content/tagged.md",
        &format!(
            "+++\ntitle = \"Tagged\"\ntags = [{}]\n+++\nBody.\n",
            tags.join(", ")
        ),
    );
    site.build(&[]).success();
    assert!(site.exists("tags/t199/index.html"));
}
