//! Plain essays: text from a notes app, one paragraph per line, no blank lines, no front matter.
//! Each line must become its own paragraph (never one giant one), short bare lines section
//! headings, and the typography the writer typed must come out as typed.

use crate::support::*;

const TITLE: &str = "On Keeping Still";

const HEADINGS: [&str; 8] = [
    "The first notebook",
    "What the pages hold",
    "Trains and waiting rooms",
    "The trouble with rereading",
    "Paper and glass",
    "A note on handwriting",
    "Part 7",
    "Why keep going",
];

/// Paragraph lines: curly quotes, apostrophes and em dashes as a phone types them. Every one
/// ends in punctuation, so none has the shape of a heading.
fn paragraph(n: usize) -> String {
    match n % 5 {
        0 => format!(
            "Paragraph {n} begins plainly — and then it wanders, the way a sentence does when nobody’s watching it closely."
        ),
        1 => format!(
            "She said “keep it” to me in paragraph {n}, and I’ve kept it, though I couldn’t tell you why."
        ),
        2 => format!("Short line {n}, with a comma."),
        3 => format!(
            "Line {n} has straight \"quotes\" -- and two hyphens -- which nobody should turn into anything else."
        ),
        _ => format!("The last kind of line, number {n}, ends with a quotation: “that’s all.”"),
    }
}

/// The long paragraph that follows each heading.
fn long_paragraph(section: usize) -> String {
    format!(
        "Section {section} opens with a long paragraph — long enough that nobody could mistake it for a heading — which goes on about notebooks, trains, the weather, and the particular silence of a carriage at six in the morning, when everyone’s still half asleep and “good morning” is said under the breath."
    )
}

/// A 120-line plain essay: the title, 8 headings each followed by a long paragraph, and 103
/// more paragraph lines spread between the sections. Returns the text and the paragraphs in
/// order.
fn notes_app_essay() -> (String, Vec<String>) {
    let mut lines = vec![TITLE.to_string()];
    let mut paragraphs = Vec::new();
    let mut n = 0;
    // 7 intro lines, then each section: heading, long paragraph, and 12 more (the last 12).
    let mut push_paragraph = |lines: &mut Vec<String>, text: String| {
        lines.push(text.clone());
        paragraphs.push(text);
    };
    for _ in 0..7 {
        n += 1;
        push_paragraph(&mut lines, paragraph(n));
    }
    for (i, heading) in HEADINGS.iter().enumerate() {
        lines.push(heading.to_string());
        push_paragraph(&mut lines, long_paragraph(i + 1));
        for _ in 0..12 {
            n += 1;
            push_paragraph(&mut lines, paragraph(n));
        }
    }
    assert_eq!(lines.len(), 120);
    assert_eq!(paragraphs.len(), 111);
    (lines.join("\n") + "\n", paragraphs)
}

/// Checks an essay page against the essay `notes_app_essay` made.
#[track_caller]
fn assert_read_as_plain(page: &scraper::Html, paragraphs: &[String]) {
    assert_eq!(only_text(page, "h1"), TITLE);
    assert_eq!(
        texts(page, ".essay-body h2"),
        HEADINGS,
        "the 8 section headings"
    );
    let ps = texts(page, ".essay-body p");
    assert!(
        ps.len() > 1,
        "the whole essay became {} paragraph(s)",
        ps.len()
    );
    assert_eq!(ps.len(), 111);
    // Each paragraph is exactly one line of the file, characters unchanged.
    assert_eq!(ps, paragraphs);
    // The body's children are the headings and paragraphs, in the file's order.
    let body = select(page, ".essay-body");
    assert_eq!(body.len(), 1);
    let children: Vec<String> = body[0]
        .children()
        .filter_map(scraper::ElementRef::wrap)
        .map(|e| e.value().name().to_string())
        .collect();
    assert_eq!(children.len(), 119);
    assert_eq!(children.iter().filter(|n| *n == "h2").count(), 8);
    // A heading is always followed by a paragraph.
    for (i, name) in children.iter().enumerate() {
        if name == "h2" {
            assert_eq!(children.get(i + 1).map(String::as_str), Some("p"));
        }
    }
}

#[test]
fn txt_essay_without_front_matter_is_one_paragraph_per_line() {
    let (text, paragraphs) = notes_app_essay();
    let site = Site::new().file("content/keeping-still.txt", &text);
    site.build(&[]).success();
    assert_read_as_plain(&site.html("keeping-still/index.html"), &paragraphs);
}

#[test]
fn typed_characters_come_out_unchanged() {
    let (text, _) = notes_app_essay();
    let site = Site::new().file("content/keeping-still.txt", &text);
    site.build(&[]).success();
    let html = site.read("keeping-still/index.html");
    // As raw UTF-8, not entities, and not "fixed".
    for typed in ["“keep it”", "I’ve kept it", " — and then", "“that’s all.”"] {
        assert!(html.contains(typed), "{typed:?} missing from the page");
    }
    let page = site.html("keeping-still/index.html");
    let straight = texts(&page, ".essay-body p")
        .into_iter()
        .find(|p| p.starts_with("Line 3 "))
        .expect("the line with straight quotes");
    assert_eq!(
        straight,
        "Line 3 has straight \"quotes\" -- and two hyphens -- which nobody should turn into anything else."
    );
    // The title is not repeated in the body.
    assert!(!texts(&page, ".essay-body p").contains(&TITLE.to_string()));

    // The same characters on the home page (the summary) and in the feed.
    let home = site.html("index.html");
    assert_eq!(
        texts(&home, "main article .summary p"),
        [paragraph(1)],
        "the summary is the first paragraph"
    );
    let feed = site.read("atom.xml");
    for typed in ["“keep it”", "I’ve kept it", " — and then"] {
        assert!(feed.contains(typed), "{typed:?} missing from the feed");
    }
}

#[test]
fn md_essay_with_no_blank_lines_is_read_the_same_way() {
    let (text, paragraphs) = notes_app_essay();
    let site = Site::new().file("content/keeping-still.md", &text);
    site.build(&[]).success();
    assert_read_as_plain(&site.html("keeping-still/index.html"), &paragraphs);
}

#[test]
fn txt_and_md_give_the_same_body() {
    let (text, _) = notes_app_essay();
    let site = Site::new()
        .file("content/a.txt", &text)
        .file("content/b.md", &text);
    site.build(&[]).success();
    let body = |slug: &str| {
        let page = site.html(&format!("{slug}/index.html"));
        select(&page, ".essay-body")[0].inner_html()
    };
    assert_eq!(body("a"), body("b"));
}

#[test]
fn plain_text_is_not_markdown() {
    let site = Site::new().file(
        "content/chars.txt",
        "Characters\nUse *stars* and <b>tags</b> & [brackets](x) as typed.\nA second line.\n",
    );
    site.build(&[]).success();
    let page = site.html("chars/index.html");
    assert_eq!(count(&page, ".essay-body em"), 0);
    assert_eq!(count(&page, ".essay-body b"), 0);
    assert_eq!(count(&page, ".essay-body a"), 0);
    assert_eq!(
        texts(&page, ".essay-body p"),
        [
            "Use *stars* and <b>tags</b> & [brackets](x) as typed.",
            "A second line."
        ]
    );
}

#[test]
fn front_matter_markup_markdown_forces_markdown() {
    let site = Site::new().file(
        "content/forced.txt",
        "+++\ntitle = \"Forced\"\nmarkup = \"markdown\"\n+++\nFirst line with *emphasis*\nsecond line\nthird line\n",
    );
    site.build(&[]).success();
    let page = site.html("forced/index.html");
    assert_eq!(only_text(&page, "h1"), "Forced");
    assert_eq!(texts(&page, ".essay-body em"), ["emphasis"]);
    // CommonMark joins the lines into one paragraph.
    assert_eq!(count(&page, ".essay-body p"), 1);
}

#[test]
fn config_markup_plain_forces_plain() {
    let site = Site::new()
        .file("vellum.toml", "title = \"S\"\nmarkup = \"plain\"\n")
        .file(
            "content/forced.md",
            "+++\ntitle = \"Forced Plain\"\n+++\n\nOne paragraph with *stars*.\n\n## Not a heading\n\n- not a list\n",
        );
    site.build(&[]).success();
    let page = site.html("forced/index.html");
    assert_eq!(only_text(&page, "h1"), "Forced Plain");
    assert_eq!(count(&page, ".essay-body em"), 0);
    assert_eq!(count(&page, ".essay-body ul"), 0);
    assert_eq!(
        texts(&page, ".essay-body p"),
        [
            "One paragraph with *stars*.",
            "## Not a heading",
            "- not a list"
        ]
    );
}

#[test]
fn front_matter_markup_beats_the_config() {
    let site = Site::new()
        .file("vellum.toml", "markup = \"plain\"\n")
        .file(
            "content/md.md",
            "+++\ntitle = \"Md\"\nmarkup = \"markdown\"\n+++\n\nSome *emphasis*.\n",
        );
    site.build(&[]).success();
    assert_eq!(
        texts(&site.html("md/index.html"), ".essay-body em"),
        ["emphasis"]
    );
}

#[test]
fn ordinary_markdown_stays_markdown() {
    let site = Site::new().file(
        "content/md.md",
        "# A Markdown Essay\n\nFirst *paragraph*\nwrapped over two lines.\n\n## A section\n\nSecond paragraph.\n",
    );
    site.build(&[]).success();
    let page = site.html("md/index.html");
    assert_eq!(only_text(&page, "h1"), "A Markdown Essay");
    assert_eq!(texts(&page, ".essay-body h2"), ["A section"]);
    assert_eq!(count(&page, ".essay-body p"), 2);
    assert_eq!(count(&page, ".essay-body em"), 1);
}

#[test]
fn date_prefix_gives_the_date_and_a_slug_without_it() {
    let site = Site::new()
        .file("vellum.toml", "base_url = \"https://example.test/\"\n")
        .file(
            "content/2024-05-06-on-rivers.txt",
            "On Rivers\nA river is a road that moves.\nIt was late.\n",
        )
        .file(
            "content/2023-02-01-older.md",
            "+++\ntitle = \"Older\"\n+++\n\nBody.\n",
        );
    let run = site.build(&[]).success();
    assert!(!run.stderr.contains("no date"), "{run}");
    assert!(!site.exists("2024-05-06-on-rivers"));
    let page = site.html("on-rivers/index.html");
    assert_eq!(only_text(&page, "h1"), "On Rivers");
    assert_eq!(attrs(&page, "article time", "datetime"), ["2024-05-06"]);
    assert_eq!(
        attrs(&page, "link[rel=canonical]", "href"),
        ["https://example.test/on-rivers/"]
    );
    assert_eq!(
        attrs(&site.html("older/index.html"), "article time", "datetime"),
        ["2023-02-01"]
    );
    assert!(
        site.read("atom.xml")
            .contains("<published>2024-05-06T00:00:00Z</published>")
    );
    assert_eq!(
        texts(&site.html("index.html"), "main article.card h3 a"),
        ["On Rivers", "Older"]
    );
}

#[test]
fn short_lines_in_a_row_are_not_all_headings() {
    // A poem: short bare lines one after another must not all become headings.
    let site = Site::new().file(
        "content/poem.txt",
        "A Poem\nRoses are red\nViolets are blue\nSugar is sweet\nAnd so are you\nThat is the whole poem, and it is not a good one.\n",
    );
    site.build(&[]).success();
    let page = site.html("poem/index.html");
    assert!(count(&page, ".essay-body h2") <= 1);
    assert!(count(&page, ".essay-body p") >= 4);
}

#[test]
fn hard_wrapped_text_joins_its_lines() {
    let site = Site::new().file(
        "content/wrapped.txt",
        "Wrapped\n\nThis paragraph was wrapped\nby an old editor at a short width\nso its lines are short.\n\nThe second paragraph\nis wrapped as well.\n",
    );
    site.build(&[]).success();
    let page = site.html("wrapped/index.html");
    assert_eq!(only_text(&page, "h1"), "Wrapped");
    assert_eq!(
        texts(&page, ".essay-body p"),
        [
            "This paragraph was wrapped by an old editor at a short width so its lines are short.",
            "The second paragraph is wrapped as well."
        ]
    );
}

#[test]
fn windows_line_endings_and_bom_read_the_same() {
    let (text, paragraphs) = notes_app_essay();
    let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let site = Site::new().file("content/keeping-still.txt", &windows);
    site.build(&[]).success();
    assert_read_as_plain(&site.html("keeping-still/index.html"), &paragraphs);
    assert!(!site.read("keeping-still/index.html").contains('\r'));
}

#[test]
fn a_blank_line_after_the_title_changes_nothing() {
    let (text, paragraphs) = notes_app_essay();
    let with_gap = text.replacen('\n', "\n\n", 1);
    let site = Site::new().file("content/keeping-still.txt", &with_gap);
    site.build(&[]).success();
    assert_read_as_plain(&site.html("keeping-still/index.html"), &paragraphs);
}

/// A pasted essay alone in a folder, with no `vellum.toml`.
fn seed_site() -> Site {
    Site::new().file(
        "content/seed.txt",
        "Why I Keep a Notebook\nI started keeping a notebook the year I stopped trusting my memory.\nMost of it is never read again, and that is fine.\n",
    )
}

#[test]
fn a_lone_undated_essay_names_the_site_and_is_listed_without_a_year() {
    // It was listed under "Undated", in a site named after its temporary folder.
    let site = seed_site();
    site.build(&[]).success();
    for list in ["index.html", "archive/index.html"] {
        let page = site.html(list);
        assert_eq!(count(&page, ".year-heading, section.year"), 0, "{list}");
        assert_eq!(
            only_text(&page, ".site-title"),
            "Why I Keep a Notebook",
            "{list}"
        );
    }
    let home = site.html("index.html");
    assert_eq!(texts(&home, "main .card h3"), ["Why I Keep a Notebook"]);
    assert_eq!(only_text(&home, "title"), "Why I Keep a Notebook");
    // Its page is not titled "Why I Keep a Notebook · Why I Keep a Notebook".
    let essay = site.html("seed/index.html");
    assert_eq!(only_text(&essay, "title"), "Why I Keep a Notebook");
}

#[test]
fn the_author_names_a_site_without_a_title() {
    let site = seed_site().file("vellum.toml", "author = \"Ada Lane\"\n");
    site.build(&[]).success();
    assert_eq!(
        only_text(&site.html("index.html"), ".site-title"),
        "Ada Lane"
    );
}

#[test]
fn many_undated_essays_keep_the_folder_name_and_one_date_brings_back_the_years() {
    let site = seed_site().file(
        "content/second.txt",
        "A Second Thought\nIt follows the first.\n",
    );
    site.build(&[]).success();
    let folder = site
        .root()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let home = site.html("index.html");
    assert_eq!(only_text(&home, ".site-title"), folder);
    assert_eq!(count(&home, ".year-heading"), 0);
    assert_eq!(count(&home, "main .card"), 2);

    site.write(
        "content/2024-05-01-dated.txt",
        "A Dated One\nIt has a day.\n",
    );
    site.build(&[]).success();
    let home = site.html("index.html");
    assert_eq!(texts(&home, ".year-heading"), ["2024", "Undated"]);
}
