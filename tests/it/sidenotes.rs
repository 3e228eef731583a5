//! Sidenotes placed at build time: a note that the notes before it would push far below its
//! reference in the margin is kept in the text (`in-text`), folded behind its number.

use crate::support::*;

const NOTE: &str =
    "A note of some length, long enough to take four or five lines of the margin beside the text.";

fn site_with(body: &str) -> Site {
    Site::new().file("vellum.toml", "title = \"Notes\"\n").file(
        "content/notes.md",
        &format!("+++\ntitle = \"Notes\"\ndate = 2024-01-01\n+++\n{body}"),
    )
}

/// The `for` of each note's number, and whether the note is kept in the text.
fn placements(page: &scraper::Html) -> Vec<(String, bool)> {
    select(page, "label.sidenote-ref")
        .iter()
        .map(|label| {
            let id = label.value().attr("for").unwrap_or_default().to_string();
            (
                id,
                label
                    .value()
                    .has_class("in-text", scraper::CaseSensitivity::CaseSensitive),
            )
        })
        .collect()
}

#[test]
fn crowded_notes_stay_in_the_text_and_the_margin_keeps_the_rest() {
    // Three long notes in one sentence, then a note five paragraphs on, when the margin is
    // free again.
    let para = "The reader follows the argument from one line to the next. ".repeat(3);
    let body = format!(
        "One.[^a] Two.[^b] Three.[^c]\n\n{para}\n\n{para}\n\n{para}\n\n{para}\n\n{para}Four.[^d]\n\n\
         [^a]: {NOTE}\n[^b]: {NOTE}\n[^c]: {NOTE}\n[^d]: {NOTE}\n"
    );
    let site = site_with(&body);
    site.build(&[]).success();
    let page = site.html("notes/index.html");
    let expected = [("a", false), ("b", true), ("c", true), ("d", false)]
        .map(|(id, kept)| (format!("sn-fn-{id}"), kept));
    assert_eq!(placements(&page), expected);
    // The note, its checkbox and its number all say so, for the theme to style.
    assert_eq!(
        count(
            &page,
            "input.sidenote-toggle.in-text + span.sidenote.in-text"
        ),
        2
    );
    // A kept note is still a sidenote: its endnote stays hidden on screen.
    assert_eq!(count(&page, ".footnotes.all-sidenoted li.has-sidenote"), 4);
}

#[test]
fn notes_with_room_between_them_all_go_to_the_margin() {
    let para = "The reader follows the argument from one line to the next. ".repeat(6);
    let body = format!("One.[^a] {para}\n\n{para}Two.[^b]\n\n[^a]: Short.\n[^b]: {NOTE}\n");
    let site = site_with(&body);
    site.build(&[]).success();
    let page = site.html("notes/index.html");
    assert_eq!(count(&page, "label.sidenote-ref"), 2);
    assert_eq!(count(&page, ".in-text"), 0);
}
