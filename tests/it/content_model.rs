//! The content model: essays, pages and sections, and where each is served. Fixtures follow
//! the conventions of the generators writers move from (Zola and Hugo sections, Hugo and
//! Jekyll page markers, Jekyll permalinks).

use crate::support::*;

const CONFIG: &str = "title = \"C\"\nbase_url = \"https://example.test/\"\n";

/// Hrefs of the essay cards on a list page.
fn listed(site: &Site, page: &str) -> Vec<String> {
    attrs(&site.html(page), "article.card h3 a", "href")
}

fn yaml(title: &str, date: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\n{extra}---\n\nText of {title}.\n")
}

#[test]
fn urls_mirror_the_content_folders_and_top_level_essays_stay_put() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file("content/top.md", &essay("Top", "2024-01-01", "Top."))
        .file("content/blog/x.md", &essay("X", "2024-01-02", "X."))
        .file(
            "content/blog/Deep Notes/y.md",
            &essay("Y", "2024-01-03", "Y."),
        )
        .file(
            "content/blog/Rust-1.12/index.md",
            &essay("Bundle", "2024-01-04", "![m](map.png)"),
        )
        .bytes("content/blog/Rust-1.12/map.png", b"png");
    site.build(&[]).success();
    for page in [
        "top/index.html",
        "blog/x/index.html",
        "blog/deep-notes/y/index.html",
        "blog/rust-1.12/index.html",
        "blog/rust-1.12/map.png",
    ] {
        assert!(site.exists(page), "{page}");
    }
    assert!(!site.exists("x/index.html"));
    assert_eq!(
        listed(&site, "index.html"),
        [
            "https://example.test/blog/rust-1.12/",
            "https://example.test/blog/deep-notes/y/",
            "https://example.test/blog/x/",
            "https://example.test/top/",
        ]
    );
}

#[test]
fn a_section_has_its_own_list_feed_title_and_text() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/blog/_index.md",
            "+++\ntitle = \"The Blog\"\ndescription = \"Longer pieces.\"\nsort_by = \"weight\"\n+++\nWhat this is *for*.\n",
        )
        .file("content/blog/a.md", &yaml("A", "2024-01-01", "weight: 2\n"))
        .file("content/blog/b.md", &yaml("B", "2024-01-02", "weight: 1\n"))
        .file("content/blog/more/c.md", &yaml("C", "2024-01-03", ""))
        .file("content/notes/n.md", &yaml("N", "2024-01-04", ""));
    site.build(&[]).success();
    let blog = site.html("blog/index.html");
    assert_eq!(only_text(&blog, "h1"), "The Blog");
    assert_eq!(only_text(&blog, ".lede"), "Longer pieces.");
    assert_eq!(
        texts(&blog, ".section-body em"),
        ["for"],
        "the _index.md body is shown"
    );
    // By weight, lightest first; the essay below the section's folder is in it too.
    assert_eq!(
        listed(&site, "blog/index.html"),
        [
            "https://example.test/blog/b/",
            "https://example.test/blog/a/",
            "https://example.test/blog/more/c/",
        ]
    );
    // A top-level folder of essays is a section without an `_index.md`.
    assert_eq!(only_text(&site.html("notes/index.html"), "h1"), "Notes");
    let feed = site.read("blog/atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 3, "{feed}");
    assert!(feed.contains("<title>C: The Blog</title>"), "{feed}");
    assert!(
        feed.contains("https://example.test/blog/atom.xml"),
        "{feed}"
    );
    assert_eq!(site.read("atom.xml").matches("<entry>").count(), 4);
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.test/blog/</loc>"),
        "{sitemap}"
    );
    // `_index.md` is never an essay.
    assert!(!site.exists("blog/_index/index.html"));
    assert!(!site.exists("blog/index/index.html"));
}

#[test]
fn subsections_are_listed_and_sections_can_keep_off_the_home_page() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file("content/blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n")
        .file(
            "content/blog/travel/_index.md",
            "+++\ntitle = \"Travel\"\nin_home = false\n+++\n",
        )
        .file("content/blog/travel/t.md", &yaml("T", "2024-01-01", ""))
        .file("content/blog/b.md", &yaml("B", "2024-01-02", ""));
    site.build(&[]).success();
    let blog = site.html("blog/index.html");
    assert_eq!(texts(&blog, ".subsections a"), ["Travel"]);
    assert_eq!(
        attrs(&blog, ".subsections a", "href"),
        ["https://example.test/blog/travel/"]
    );
    assert_eq!(
        texts(&site.html("blog/travel/index.html"), ".kicker a"),
        ["Blog"]
    );
    assert_eq!(
        listed(&site, "index.html"),
        ["https://example.test/blog/b/"]
    );
    assert_eq!(listed(&site, "blog/travel/index.html").len(), 1);
}

#[test]
fn pages_are_built_and_listed_nowhere_but_the_menu() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/about.md",
            "+++\ntitle = \"About\"\nkind = \"page\"\nmenu = 2\ntags = [\"me\"]\n+++\nAbout me.\n",
        )
        .file(
            "content/cv.md",
            "---\ntitle: CV\nlayout: page\nmenu: main\nweight: 1\n---\nWork.\n",
        )
        .file("content/now.md", "---\ntitle: Now\ntype: page\n---\nNow.\n")
        .file(
            "content/hidden.md",
            "---\ntitle: Hidden\n_build:\n  list: never\n---\nShh.\n",
        )
        .file(
            "content/essay.md",
            &essay("Essay", "2024-01-01", "An essay."),
        );
    let run = site.build(&[]).success();
    assert!(run.stdout.contains("Built 1 essay and 4 pages"), "{run}");
    assert!(!run.stderr.contains("no date"), "pages need no date\n{run}");
    for page in ["about", "cv", "now", "hidden"] {
        let html = site.html(&format!("{page}/index.html"));
        assert_eq!(count(&html, "article.page"), 1, "{page} uses page.html");
        for listing in ["index.html", "archive/index.html", "tags/index.html"] {
            let links = attrs(&site.html(listing), "main a", "href");
            assert!(
                !links.iter().any(|l| l.ends_with(&format!("/{page}/"))),
                "{page} is listed in {listing}: {links:?}"
            );
        }
        assert!(!site.read("atom.xml").contains(&format!("/{page}/")));
        assert!(
            site.read("sitemap.xml")
                .contains(&format!("/{page}/</loc>"))
        );
    }
    assert!(!site.exists("tags/me/index.html"));
    // In the menu, by order: CV (weight 1), then About (2).
    let nav = site.html("essay/index.html");
    let menu: Vec<String> = texts(&nav, "nav[aria-label=Site] a")
        .into_iter()
        .filter(|t| ["About", "CV", "Now"].contains(&t.as_str()))
        .collect();
    assert_eq!(menu, ["CV", "About"]);
}

/// Zola and Hugo sites keep about and CV beside the root `_index.md`, and their essays in
/// folders; a Zola blog whose posts sit beside it keeps them as essays.
#[test]
fn files_beside_a_root_index_are_pages_when_the_essays_live_in_folders() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file("content/_index.md", "+++\ntitle = \"Home\"\n+++\n")
        .file("content/about.md", "+++\ntitle = \"About\"\n+++\nMe.\n")
        .file("content/posts/p.md", &essay("P", "2024-01-01", "P."))
        .file("content/pages/_index.md", "+++\nrender = false\n+++\n")
        .file(
            "content/pages/privacy/index.md",
            "+++\ntitle = \"Privacy\"\npath = \"privacy\"\n+++\nNone kept.\n",
        );
    site.build(&[]).success();
    assert_eq!(
        listed(&site, "index.html"),
        ["https://example.test/posts/p/"]
    );
    assert_eq!(count(&site.html("about/index.html"), "article.page"), 1);
    assert_eq!(count(&site.html("privacy/index.html"), "article.page"), 1);
    assert!(!site.exists("pages/index.html"), "render = false: no list");

    let blog = Site::new()
        .file("vellum.toml", CONFIG)
        .file("content/_index.md", "+++\nsort_by = \"date\"\n+++\n")
        .file("content/a.md", &essay("A", "2024-01-01", "A."))
        .file("content/b.md", &essay("B", "2024-01-02", "B."));
    blog.build(&[]).success();
    assert_eq!(listed(&blog, "index.html").len(), 2);
}

#[test]
fn permalinks_by_folder_with_jekyll_styles_and_html_endings() {
    let site = Site::new()
        .file(
            "vellum.toml",
            &format!(
                "{CONFIG}[permalinks]\nposts = \"date\"\n\"posts/pretty\" = \"/:section/:year/:slug/\"\ndefault = \"/writing/:slug/\"\n"
            ),
        )
        .file(
            "content/posts/2017-08-20-from-GAN-to-WGAN.md",
            "---\ntitle: GAN\ndate: 2017-08-20 10:00:00\ncategories: ML\n---\nText.\n",
        )
        .file(
            "content/posts/pretty/deep.md",
            &essay("Deep", "2019-01-01", "D."),
        )
        .file("content/other.md", &essay("Other", "2020-01-01", "O."));
    site.build(&[]).success();
    assert!(site.exists("ml/2017/08/20/from-GAN-to-WGAN.html"));
    assert!(site.exists("posts/2019/deep/index.html"));
    assert!(site.exists("writing/other/index.html"));
    assert!(
        listed(&site, "index.html")
            .contains(&"https://example.test/ml/2017/08/20/from-GAN-to-WGAN.html".to_string())
    );
}

#[test]
fn front_matter_path_url_and_permalink_replace_the_whole_url() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/blog/z.md",
            "+++\ntitle = \"Z\"\ndate = 2024-01-01\npath = \"elsewhere/z\"\n+++\nZ.\n",
        )
        .file(
            "content/blog/h.md",
            "---\ntitle: H\ndate: 2024-01-02\nurl: /old/h.html\n---\nH.\n",
        )
        .file(
            "content/blog/j.md",
            "---\ntitle: J\ndate: 2024-03-04\npermalink: /:year/:month/jay/\n---\nJ.\n",
        );
    site.build(&[]).success();
    assert!(site.exists("elsewhere/z/index.html"));
    assert!(site.exists("old/h.html"));
    assert!(site.exists("2024/03/jay/index.html"));
}

#[test]
fn bad_patterns_and_undated_essays_under_dated_ones_are_errors_naming_the_file() {
    let unknown = Site::new()
        .file(
            "vellum.toml",
            &format!("{CONFIG}\n[permalinks]\nposts = \"/:year/:week/:slug/\"\n"),
        )
        .file("content/posts/a.md", &essay("A", "2024-01-01", "A."));
    unknown
        .build(&[])
        .failure()
        .stderr_has("vellum.toml:5: [permalinks] posts:")
        .stderr_has("`:week`");

    let undated = Site::new()
        .file(
            "vellum.toml",
            &format!("{CONFIG}[permalinks]\nposts = \"/:year/:slug/\"\n"),
        )
        .file("content/posts/a.md", "+++\ntitle = \"A\"\n+++\nA.\n");
    undated
        .build(&[])
        .failure()
        .stderr_has("content/posts/a.md: its URL pattern has a date in it")
        .stderr_has("[permalinks] posts in vellum.toml");

    let bad = Site::new().file("vellum.toml", CONFIG).file(
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-01-01\nurl = \"/../../etc/\"\n+++\nA.\n",
    );
    bad.build(&[]).failure().stderr_has("content/a.md:4: url:");

    // Two URLs that differ only in case are one folder on macOS and Windows; the message
    // names the field that gave each.
    let case = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/a.md",
            "---\ntitle: A\ndate: 2024-01-01\nurl: /Notes/\n---\nA.\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: B\ndate: 2024-01-02\npermalink: /notes/\n---\nB.\n",
        );
    case.build(&[])
        .failure()
        .stderr_has("content/a.md:4: url")
        .stderr_has("content/b.md:4: permalink");
}

#[test]
fn redirects_in_the_configuration_write_redirect_pages() {
    let site = Site::new()
        .file(
            "vellum.toml",
            &format!(
                "{CONFIG}[redirects]\n\"/2014/09/02/old.html\" = \"/blog/new/\"\n\"/gone/\" = \"https://elsewhere.test/x/\"\n"
            ),
        )
        .file("content/blog/new.md", &essay("New", "2024-01-01", "N."));
    site.build(&[]).success();
    let old = site.read("2014/09/02/old.html");
    assert!(old.contains("url=https://example.test/blog/new/"), "{old}");
    assert!(
        site.read("gone/index.html")
            .contains("url=https://elsewhere.test/x/")
    );
}

/// A Zola site's `archive/_index.md` asks its theme for an archive: vellum's own archive
/// stands there instead of clashing with it.
#[test]
fn an_empty_archive_section_gives_way_to_the_archive() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/archive/_index.md",
            "+++\ntitle = \"Archive\"\ntemplate = \"archive.html\"\n+++\n",
        )
        .file("content/blog/a.md", &essay("A", "2024-01-01", "A."));
    site.build(&[]).success();
    assert!(site.read("archive/index.html").contains("/blog/a/"));
}

#[test]
fn a_draft_section_hides_everything_in_it() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/wip/_index.md",
            "+++\ntitle = \"WIP\"\ndraft = true\n+++\n",
        )
        .file("content/wip/a.md", &essay("A", "2024-01-01", "A."))
        .file("content/b.md", &essay("B", "2024-01-02", "B."));
    site.build(&[]).success();
    assert!(!site.exists("wip/a/index.html"));
    assert!(!site.exists("wip/index.html"));
    site.build(&["--drafts"]).success();
    assert!(site.exists("wip/a/index.html"));
}

/// Zola's and Hugo's translations (`x.es.md`, `index.es.md`) are built under `/es/` when the
/// site lists the language, each version linking the others with `hreflang`, and the
/// language has its own home page, sections, archive and feed; a language the site does not
/// list is skipped, with one warning naming it.
#[test]
fn translations_into_listed_languages_are_built_with_hreflang_alternates() {
    let site = Site::new()
        .file(
            "vellum.toml",
            &format!("{CONFIG}[languages.es]\ntitle = \"C en español\"\n"),
        )
        .file("content/blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n")
        .file(
            "content/blog/_index.es.md",
            "+++\ntitle = \"Bitácora\"\n+++\n",
        )
        .file("content/blog/a.md", &essay("A", "2024-01-01", "English."))
        .file(
            "content/blog/a.es.md",
            &essay("A es", "2024-01-01", "Español."),
        )
        .file(
            "content/blog/b/index.md",
            &essay("B", "2024-01-02", "English."),
        )
        .file(
            "content/blog/b/index.es.md",
            &essay("B es", "2024-01-02", "Español. ![m](map.png)"),
        )
        .bytes("content/blog/b/map.png", b"png")
        .file("content/pages/_index.md", "+++\nrender = false\n+++\n")
        .file(
            "content/pages/about/index.md",
            "+++\ntitle = \"About\"\npath = \"about\"\n+++\nHello.\n",
        )
        .file(
            "content/pages/about/index.es.md",
            "+++\ntitle = \"Sobre mí\"\npath = \"/es/about\"\n+++\nHola.\n",
        )
        .file(
            "content/blog/c.fr.md",
            &essay("C", "2024-01-03", "Français."),
        );
    let run = site.build(&[]).success();
    let warnings = translation_warnings(&run);
    assert_eq!(warnings.len(), 1, "{run}");
    assert!(warnings[0].contains("content/blog/c.fr.md"), "{run}");
    assert!(warnings[0].contains("[languages.fr]"), "{run}");

    let es = site.html("es/blog/a/index.html");
    assert_eq!(attrs(&es, "html", "lang"), ["es"]);
    assert!(site.read("es/blog/a/index.html").contains("Español."));
    assert!(site.read("es/blog/b/index.html").contains("Español."));
    assert!(site.read("es/about/index.html").contains("Hola."));
    for page in ["blog/a/index.html", "es/blog/a/index.html"] {
        let html = site.html(page);
        assert_eq!(
            attrs(&html, "link[rel=alternate][hreflang]", "href"),
            [
                "https://example.test/blog/a/",
                "https://example.test/es/blog/a/"
            ],
            "{page}"
        );
        assert_eq!(
            attrs(&html, "link[rel=alternate][hreflang]", "hreflang"),
            ["en", "es"]
        );
    }
    // Each language has its own lists and feed: the home page, sections, tags, archive.
    assert_eq!(
        listed(&site, "index.html"),
        [
            "https://example.test/blog/b/",
            "https://example.test/blog/a/"
        ]
    );
    assert_eq!(
        listed(&site, "es/index.html"),
        [
            "https://example.test/es/blog/b/",
            "https://example.test/es/blog/a/"
        ]
    );
    assert_eq!(attrs(&site.html("es/index.html"), "html", "lang"), ["es"]);
    assert_eq!(
        only_text(&site.html("es/blog/index.html"), "h1"),
        "Bitácora"
    );
    assert_eq!(listed(&site, "es/blog/index.html").len(), 2);
    assert!(!site.read("atom.xml").contains("Español"));
    assert_eq!(site.read("es/atom.xml").matches("<entry>").count(), 2);
    assert!(site.read("es/atom.xml").contains("Español"));
    assert!(site.read("es/archive/index.html").contains("/es/blog/a/"));
    // A translated bundle has its files beside it too.
    assert!(site.exists("blog/b/map.png"));
    assert!(site.exists("es/blog/b/map.png"));
    // Its neighbours are in its own language.
    assert_eq!(
        attrs(&site.html("es/blog/a/index.html"), ".essay-nav a", "href"),
        ["https://example.test/es/blog/b/"]
    );
    let sitemap = site.read("sitemap.xml");
    for url in ["/es/blog/a/", "/es/", "/es/blog/", "/es/about/"] {
        assert!(
            sitemap.contains(&format!("example.test{url}</loc>")),
            "{url}"
        );
    }
}

/// In watch, a section's `_index.md` is read again on its own: a new text re-renders its list,
/// a new title the lists and pages that name it, and the result is what a clean build gives.
#[test]
fn a_changed_section_index_rebuilds_to_what_a_clean_build_gives() {
    use vellum::session::{Changes, Session};
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/blog/_index.md",
            "+++\ntitle = \"Blog\"\n+++\nFirst words.\n",
        )
        .file("content/blog/sub/_index.md", "+++\ntitle = \"Sub\"\n+++\n")
        .file("content/blog/sub/a.md", &essay("A", "2024-01-01", "A."));
    let options = |output: &str| vellum::BuildOptions {
        root: site.root().to_path_buf(),
        output: Some(site.path(output)),
        ..Default::default()
    };
    let mut session = Session::open(&options("kept")).expect("open");
    session.build().expect("first build");
    for (text, expect) in [
        ("+++\ntitle = \"Blog\"\n+++\nOther words.\n", "Other words."),
        ("+++\ntitle = \"Journal\"\n+++\nOther words.\n", "Journal"),
    ] {
        site.write("content/blog/_index.md", text);
        session
            .apply(&Changes {
                content: vec![site.path("content/blog/_index.md")],
                ..Changes::default()
            })
            .expect("apply");
        session.build().expect("rebuild");
        let _ = std::fs::remove_dir_all(site.path("clean"));
        vellum::build(&options("clean")).expect("clean build");
        let (kept, clean) = (tree(&site.path("kept")), tree(&site.path("clean")));
        assert_same_tree(&kept, &clean);
        assert!(read_text(&site.path("kept/blog/index.html")).contains(expect));
    }
}

/// Every link vellum itself writes on a section's page leads somewhere: a section with no
/// essays has no feed, and links to none.
#[test]
fn an_empty_section_links_to_no_feed() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/series/_index.md",
            "+++\ntitle = \"Series\"\n+++\nNone yet.\n",
        )
        .file("content/blog/a.md", &essay("A", "2024-01-01", "A."));
    site.build(&[]).success();
    assert!(site.exists("series/index.html"));
    assert!(!site.exists("series/atom.xml"));
    assert!(!site.read("series/index.html").contains("series/atom.xml"));
    assert!(site.read("blog/index.html").contains("blog/atom.xml"));
    site.vellum(&["check"]).success();
}

/// Each series has a page at `series/<slug>/`, where Hugo's series taxonomy has one, listing
/// its parts in reading order; Hugo's `{{< ref "series/x" >}}` leads there.
#[test]
fn each_series_has_its_own_page() {
    let site = Site::new()
        .file("vellum.toml", CONFIG)
        .file("content/series/_index.md", "---\ntitle: Series\n---\n")
        .file(
            "content/posts/one.md",
            "---\ntitle: One\ndate: 2024-01-01\nseries: AWS Cloud Practitioner\n---\nSee the [series]({{< ref \"series/aws-cloud-practitioner\" >}}).\n",
        )
        .file(
            "content/posts/two.md",
            "---\ntitle: Two\ndate: 2024-02-01\nseries: AWS Cloud Practitioner\n---\nTwo.\n",
        );
    site.build(&[]).success();
    let page = site.html("series/aws-cloud-practitioner/index.html");
    assert_eq!(only_text(&page, "h1"), "AWS Cloud Practitioner");
    assert_eq!(
        listed(&site, "series/aws-cloud-practitioner/index.html"),
        [
            "https://example.test/posts/one/",
            "https://example.test/posts/two/"
        ]
    );
    assert!(
        site.read("posts/one/index.html")
            .contains("href=\"https://example.test/series/aws-cloud-practitioner/\"")
    );
    assert!(
        site.read("sitemap.xml")
            .contains("/series/aws-cloud-practitioner/</loc>")
    );
    site.vellum(&["check"]).success();
}
