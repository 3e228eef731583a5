//! Snapshots of the library's Markdown and plain-text rendering. Each snapshot was read and
//! checked by hand when it was made; a change here is a change in what readers see.
//!
//! To update after an intended change: `INSTA_UPDATE=always cargo test --test it
//! markdown_snapshots`, then read every changed file under `tests/it/snapshots/`.

use insta::assert_snapshot;
use vellum::markdown::{render_markdown, render_plain};

#[test]
fn footnotes() {
    let html = render_markdown(
        "A claim that needs support.[^source] And another.[^2]\n\n[^source]: The source, with *emphasis*.\n[^2]: A second note.\n",
    )
    .html;
    assert_snapshot!(html);
}

#[test]
fn table() {
    let html = render_markdown(
        "| Book | Year | Pages |\n|:-----|:----:|------:|\n| *Walden* | 1854 | 352 |\n| The Rings of Saturn | 1995 | 296 |\n",
    )
    .html;
    assert_snapshot!(html);
}

#[test]
fn task_list() {
    let html =
        render_markdown("- [x] Write the draft\n- [ ] Cut it by a third\n- [ ] Read it aloud\n")
            .html;
    assert_snapshot!(html);
}

#[test]
fn strikethrough() {
    let html = render_markdown(
        "I was ~~certain~~ fairly sure; ~one~ tilde works too, but ~ alone is text.\n",
    )
    .html;
    assert_snapshot!(html);
}

#[test]
fn smart_punctuation_leaves_curly_text_alone() {
    let html = render_markdown(
        "\"Straight quotes\" become curly, 'single' too -- and --- dashes... while “curly” ones, it’s said — stay as typed.\n",
    )
    .html;
    assert_snapshot!(html);
}

#[test]
fn heading_ids() {
    let rendered = render_markdown(
        "## Notes\n\nText.\n\n## Notes\n\n### Don’t Panic!\n\n## Custom {#my-id}\n\n## `code` and *emphasis*\n",
    );
    let toc: Vec<String> = rendered
        .toc
        .iter()
        .map(|h| format!("h{} #{} {}", h.level, h.id, h.title))
        .collect();
    assert_snapshot!(format!("{}\n--- toc\n{}\n", rendered.html, toc.join("\n")));
}

#[test]
fn code_fence_in_rust() {
    let html = render_markdown(
        "```rust\nfn main() {\n    let x = \"<&>\";\n    println!(\"{x}\");\n}\n```\n",
    )
    .html;
    assert_snapshot!(html);
}

#[test]
fn code_fence_in_an_unknown_language() {
    let html = render_markdown("```klingon\nqapla' <b>&amp;</b>\n```\n").html;
    assert_snapshot!(html);
}

#[test]
fn code_fence_without_a_language() {
    let html = render_markdown("```\nplain <code> & text\n```\n").html;
    assert_snapshot!(html);
}

#[test]
fn summary_stops_at_the_more_marker() {
    let rendered = render_markdown("First.\n\nSecond.\n\n<!-- more -->\n\nThird.\n");
    assert_snapshot!(rendered.summary);
}

#[test]
fn plain_essay_body() {
    let html = render_plain(
        "It began, as these things do, with a notebook — a cheap one, bought at a station.\nThe first page\nShe wrote “begin here” on it, and didn’t.\nA second paragraph with *stars*, <tags> & \"straight quotes\" -- left as typed.\n",
    )
    .html;
    assert_snapshot!(html);
}

#[test]
fn plain_hard_wrapped_body() {
    let html = render_plain(
        "This paragraph was wrapped\nat a narrow width by an editor.\n\nSection two\n\nAnd this one was too,\nacross two lines.\n",
    )
    .html;
    assert_snapshot!(html);
}
