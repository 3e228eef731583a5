//! docs/themes.md is the contract between vellum and themes. These tests read it, and render
//! templates that touch every documented field and run every documented filter example, so a
//! field that is documented but missing (or renamed) fails here.

use std::collections::BTreeMap;

use crate::support::Site;

/// A documented table row: the section it is under and its first two cells.
#[derive(Debug, Clone)]
struct Row {
    section: String,
    first: String,
    second: String,
}

fn contract() -> Vec<Row> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/themes.md");
    let text = std::fs::read_to_string(path).expect("docs/themes.md");
    let mut section = String::new();
    let mut rows = Vec::new();
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading.trim().to_string();
        } else if line.starts_with("| `") {
            // Cells are split on `|` that is not escaped as `\|`.
            let cells: Vec<String> = line
                .replace("\\|", "\u{0}")
                .split('|')
                .map(|c| c.replace('\u{0}', "|").trim().to_string())
                .collect();
            let unquote = |c: &str| c.trim_matches('`').to_string();
            rows.push(Row {
                section: section.clone(),
                first: unquote(&cells[1]),
                second: unquote(&cells[2]),
            });
        }
    }
    rows
}

/// Documented paths under `section`.
fn paths(rows: &[Row], section: &str) -> Vec<String> {
    rows.iter()
        .filter(|r| r.section == section)
        .map(|r| r.first.clone())
        .collect()
}

/// A Tera snippet that prints `OK` when `path` (with `[]` for "each element of") has a value,
/// and says what it found otherwise.
fn probe(path: &str) -> String {
    match path.split_once("[]") {
        Some((list, rest)) => {
            let inner = format!("item{}", rest);
            format!(
                "{{% if {list} is undefined %}}UNDEFINED{{% else %}}{{% for item in {list} %}}{{% if loop.first %}}{}{{% endif %}}{{% else %}}EMPTY{{% endfor %}}{{% endif %}}",
                probe(&inner)
            )
        }
        None => format!(
            "{{% if {path} is undefined %}}UNDEFINED{{% elif {path} is none %}}NONE{{% else %}}OK{{% endif %}}"
        ),
    }
}

fn probe_template(paths: &[String]) -> String {
    let mut out = String::from("<!doctype html><title>probe</title><ul>\n");
    for path in paths {
        out.push_str(&format!("<li data-path=\"{path}\">{}</li>\n", probe(path)));
    }
    out.push_str("</ul>\n");
    out
}

/// Three dated essays in one series, each using every optional field; one per page.
fn full_site() -> Site {
    let mut site = Site::new().file(
        "vellum.toml",
        "title = \"Contract\"\nauthor = \"A. Writer\"\ndescription = \"Every field.\"\nbase_url = \"https://example.com/blog/\"\npaginate = 1\nrelated = true\n\n[extra]\nmastodon = \"@a@b\"\n\n[languages.es]\n\n[feeds]\ntags = true\n\n[search]\npagefind = true\n",
    )
    .file(
        "content/about.md",
        "+++\ntitle = \"About\"\nkind = \"page\"\nmenu = 1\nmood = \"calm\"\n+++\n\n## Who\n\nA writer.\n",
    )
    .file(
        "content/part-2.es.md",
        "+++\ntitle = \"Parte 2\"\ndate = 2026-03-11\n+++\n\nEn español.\n",
    );
    // Sections three deep, so the middle one has both ancestors and subsections.
    for (dir, title) in [
        ("notes", "Notes"),
        ("notes/deep", "Deep"),
        ("notes/deep/deeper", "Deeper"),
    ] {
        site = site.file(
            &format!("content/{dir}/_index.md"),
            &format!(
                "+++\ntitle = \"{title}\"\ndescription = \"The {title} section.\"\n[extra]\nicon = \"n\"\n+++\n\nAbout *{title}*.\n"
            ),
        );
    }
    for day in 1..=3 {
        site = site.file(
            &format!("content/notes/deep/deeper/note-{day}.md"),
            &format!(
                "+++\ntitle = \"Note {day}\"\ndate = 2026-01-0{day}\nupdated = 2026-02-0{day}\ndescription = \"A note.\"\n+++\n\nA note.\n\n![A leaf](/leaf.png)\n"
            ),
        );
    }
    for (n, day) in [(1, 10), (2, 11), (3, 12)] {
        site = site.file(
            &format!("content/part-{n}.md"),
            &format!(
                "+++\ntitle = \"Part {n}\"\ndate = 2026-03-{day}\nupdated = 2026-04-{day}\ndescription = \"Part {n} of three.\"\ntags = [\"series\", \"walking\"]\nseries = \"Walking\"\ntoc = true\naliases = [\"old/part-{n}\"]\nmood = \"calm\"\n+++\n\nFirst paragraph.[^1] See [the second part](@/part-2.md).\n\n## A heading\n\nMore.\n\n![A walk](/walk.png)\n\n[^1]: A note.\n"
            ),
        );
    }
    site
}

#[test]
fn every_documented_field_is_there() {
    let rows = contract();
    let everywhere = paths(&rows, "Variables in every template");
    let card: Vec<String> = paths(&rows, "An essay card")
        .into_iter()
        .filter(|p| p.starts_with("card."))
        .collect();
    let tag: Vec<String> = paths(&rows, "An essay card")
        .into_iter()
        .filter(|p| p.starts_with("tag."))
        .collect();
    assert!(everywhere.len() >= 10, "{everywhere:?}");
    assert!(card.len() >= 12, "{card:?}");
    assert_eq!(tag.len(), 5, "{tag:?}");

    let with =
        |own: Vec<String>| -> Vec<String> { everywhere.iter().cloned().chain(own).collect() };
    let mut essay = paths(&rows, "essay.html");
    essay.extend(card.iter().map(|p| p.replacen("card.", "essay.", 1)));
    let mut list = paths(&rows, "index.html and tag.html");
    list.extend(card.iter().map(|p| p.replacen("card.", "essays[].", 1)));
    let home: Vec<String> = list.iter().filter(|p| *p != "tag").cloned().collect();
    let mut tag_page = list.clone();
    tag_page.extend(tag.iter().cloned());
    let home_fields = home.clone();
    let mut section = paths(&rows, "section.html");
    section.extend(home_fields);
    let mut series_page = paths(&rows, "series.html");
    series_page.extend(home.iter().cloned());
    let mut tags = paths(&rows, "tags.html");
    tags.extend(tag.iter().map(|p| p.replacen("tag.", "tags[].", 1)));
    let pages: BTreeMap<&str, (Vec<String>, &str)> = BTreeMap::from([
        ("essay.html", (with(essay), "part-2/index.html")),
        (
            "page.html",
            (with(paths(&rows, "page.html")), "about/index.html"),
        ),
        (
            "section.html",
            (with(section), "notes/deep/page/2/index.html"),
        ),
        ("index.html", (with(home), "page/2/index.html")),
        (
            "tag.html",
            (with(tag_page), "tags/walking/page/2/index.html"),
        ),
        ("tags.html", (with(tags), "tags/index.html")),
        (
            "archive.html",
            (with(paths(&rows, "archive.html")), "archive/index.html"),
        ),
        (
            "alias.html",
            (with(paths(&rows, "alias.html")), "old/part-2/index.html"),
        ),
        ("404.html", (with(Vec::new()), "404.html")),
    ]);

    let site = full_site();
    for (template, (fields, _)) in &pages {
        site.write(&format!("templates/{template}"), &probe_template(fields));
    }
    site.build(&[]).success();
    let li = scraper::Selector::parse("li[data-path]").expect("selector");
    for (template, (fields, output)) in &pages {
        let page = site.html(output);
        let found: BTreeMap<String, String> = page
            .select(&li)
            .map(|e| {
                (
                    e.value().attr("data-path").unwrap_or_default().to_string(),
                    e.text().collect::<String>(),
                )
            })
            .collect();
        assert_eq!(found.len(), fields.len(), "{template}: {found:?}");
        let missing: Vec<String> = found
            .iter()
            .filter(|(_, value)| value.as_str() != "OK")
            .map(|(path, value)| format!("{path}: {value}"))
            .collect();
        assert!(
            missing.is_empty(),
            "{template} lacks documented fields: {missing:#?}"
        );
    }
}

#[test]
fn an_undocumented_field_is_caught_by_the_probe() {
    // The probe itself must be able to fail.
    let site = full_site().file(
        "templates/essay.html",
        &probe_template(&[
            "essay.subtitle".to_string(),
            "essay.series.parts[].colour".to_string(),
        ]),
    );
    site.build(&[]).success();
    let text: String = site.read("part-2/index.html");
    assert!(
        text.contains("<li data-path=\"essay.subtitle\">UNDEFINED</li>"),
        "{text}"
    );
    assert!(
        text.contains("<li data-path=\"essay.series.parts[].colour\">UNDEFINED</li>"),
        "{text}"
    );
}

#[test]
fn every_filter_example_gives_its_documented_result() {
    let rows: Vec<Row> = contract()
        .into_iter()
        .filter(|r| r.section == "Filters and functions")
        .collect();
    assert!(rows.len() >= 8, "{rows:?}");
    let mut template = String::from("<!doctype html><title>filters</title><ul>\n");
    for (i, row) in rows.iter().enumerate() {
        template.push_str(&format!("<li id=\"example-{i}\">{}</li>\n", row.first));
    }
    template.push_str("</ul>\n");
    let site = full_site().file("templates/archive.html", &template);
    site.build(&[]).success();
    let text = site.read("archive/index.html");
    for (i, row) in rows.iter().enumerate() {
        let open = format!("<li id=\"example-{i}\">");
        let start = text.find(&open).expect("example rendered") + open.len();
        let got = &text[start..start + text[start..].find("</li>").expect("closed")];
        match row.second.split_once('…') {
            Some((prefix, suffix)) => assert!(
                got.starts_with(prefix) && got.ends_with(suffix) && got.len() > prefix.len(),
                "{}: got {got}",
                row.first
            ),
            None => assert_eq!(got.trim(), row.second, "{}", row.first),
        }
    }
}

#[test]
fn asset_hash_changes_with_the_file() {
    let site = full_site().file(
        "templates/archive.html",
        "<!doctype html><title>a</title><p>{{ asset(path=\"style.css\") }}</p>",
    );
    site.build(&[]).success();
    let first = site.read("archive/index.html");
    site.write("static/style.css", "body { color: red }\n");
    site.build(&[]).success();
    let second = site.read("archive/index.html");
    assert!(
        first.contains("https://example.com/blog/style.css?v="),
        "{first}"
    );
    assert_ne!(first, second);
    site.write(
        "templates/archive.html",
        "<!doctype html><title>a</title><p>{{ asset(path=\"nope.css\") }}</p>",
    );
    let run = site.build(&[]).failure();
    run.stderr_has("templates/archive.html:1");
    run.stderr_has("nope.css");
}
