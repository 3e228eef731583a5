//! A small site builds into the pages, feeds and files a site needs, at the right addresses.

use crate::support::*;

const CONFIG: &str =
    "title = \"Test Site\"\nauthor = \"A. Writer\"\nbase_url = \"https://example.test/\"\n";

/// Three dated essays (written out of date order on purpose) and their tags.
fn three_essays() -> Site {
    Site::new()
        .file("vellum.toml", CONFIG)
        .file(
            "content/first.md",
            "+++\ntitle = \"First Light\"\ndate = 2024-01-10\ntags = [\"Walking\", \"notes\"]\n+++\n\nThe first essay.\n",
        )
        .file(
            "content/second.md",
            "+++\ntitle = \"Second Wind\"\ndate = 2025-03-02\ntags = [\"notes\"]\n+++\n\nThe second essay.\n",
        )
        .file(
            "content/third.md",
            "+++\ntitle = \"Third Rail\"\ndate = 2023-07-04\n+++\n\nThe third essay.\n",
        )
}

/// The titles the home page lists, in order.
fn listed_titles(doc: &scraper::Html) -> Vec<String> {
    texts(doc, "main article.card h3 a")
}

#[test]
fn site_builds_and_home_lists_essays_newest_first() {
    let site = three_essays();
    let run = site.build(&[]).success();
    assert!(run.stdout.contains("Built 3 essays"), "{run}");

    let home = site.html("index.html");
    assert_eq!(
        listed_titles(&home),
        ["Second Wind", "First Light", "Third Rail"]
    );
    assert_eq!(
        attrs(&home, "main article.card h3 a", "href"),
        [
            "https://example.test/second/",
            "https://example.test/first/",
            "https://example.test/third/"
        ]
    );
}

#[test]
fn each_essay_has_its_own_page_at_its_slug() {
    let site = three_essays();
    site.build(&[]).success();
    for (slug, title, body) in [
        ("first", "First Light", "The first essay."),
        ("second", "Second Wind", "The second essay."),
        ("third", "Third Rail", "The third essay."),
    ] {
        let page = site.html(&format!("{slug}/index.html"));
        assert_eq!(only_text(&page, "h1"), title, "{slug}");
        assert_eq!(texts(&page, ".essay-body p"), [body], "{slug}");
        assert_eq!(
            attrs(&page, "link[rel=canonical]", "href"),
            [format!("https://example.test/{slug}/")]
        );
    }
}

#[test]
fn tag_pages_and_tag_index() {
    let site = three_essays();
    site.build(&[]).success();

    let notes = site.html("tags/notes/index.html");
    assert_eq!(listed_titles(&notes), ["Second Wind", "First Light"]);
    let walking = site.html("tags/walking/index.html");
    assert_eq!(listed_titles(&walking), ["First Light"]);
    assert!(only_text(&walking, "h1").contains("Walking"));

    let index = site.html("tags/index.html");
    let mut hrefs = attrs(&index, "main a", "href");
    hrefs.sort();
    assert_eq!(
        hrefs,
        [
            "https://example.test/tags/notes/",
            "https://example.test/tags/walking/"
        ]
    );
    // An essay links to its tags.
    let first = site.html("first/index.html");
    assert_eq!(
        attrs(&first, "a[rel=tag]", "href"),
        [
            "https://example.test/tags/walking/",
            "https://example.test/tags/notes/"
        ]
    );
}

/// The text of every `<tag>…</tag>` in a piece of XML.
fn xml_elements<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let end = after
            .find(&close)
            .unwrap_or_else(|| panic!("unclosed <{tag}> in\n{xml}"));
        out.push(&after[..end]);
        rest = &after[end + close.len()..];
    }
    out
}

/// Every `href="…"` value in a piece of text.
fn hrefs(text: &str) -> Vec<&str> {
    text.split("href=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').expect("closing quote")])
        .collect()
}

#[test]
fn atom_feed_has_one_entry_per_essay_with_absolute_urls() {
    let site = three_essays();
    site.build(&[]).success();
    let feed = site.read("atom.xml");

    assert!(feed.trim_start().starts_with("<?xml"), "{feed}");
    assert_eq!(feed.matches("<feed").count(), 1);
    assert!(feed.trim_end().ends_with("</feed>"), "{feed}");
    let entries = xml_elements(&feed, "entry");
    assert_eq!(entries.len(), 3, "{feed}");
    assert_eq!(feed.matches("<entry>").count(), 3);

    let titles: Vec<&str> = entries
        .iter()
        .map(|e| xml_elements(e, "title")[0])
        .collect();
    assert_eq!(titles, ["Second Wind", "First Light", "Third Rail"]);
    let ids: Vec<&str> = entries.iter().map(|e| xml_elements(e, "id")[0]).collect();
    assert_eq!(
        ids,
        [
            "https://example.test/second/",
            "https://example.test/first/",
            "https://example.test/third/"
        ]
    );
    let links = hrefs(&feed);
    assert!(!links.is_empty());
    for link in links {
        assert!(link.starts_with("https://example.test/"), "{link}");
    }
    // The content is escaped HTML, so the feed stays well-formed XML.
    for entry in entries {
        let content = entry
            .split("<content type=\"html\">")
            .nth(1)
            .expect("a content element");
        let content = &content[..content.find("</content>").expect("closed content")];
        assert!(!content.contains('<'), "unescaped markup in {content}");
        assert!(content.contains("&lt;p&gt;"), "{content}");
    }
}

#[test]
fn sitemap_robots_and_404_exist() {
    let site = three_essays();
    site.build(&[]).success();

    let sitemap = site.read("sitemap.xml");
    let locs = xml_elements(&sitemap, "loc");
    for url in [
        "https://example.test/",
        "https://example.test/first/",
        "https://example.test/second/",
        "https://example.test/third/",
        "https://example.test/tags/notes/",
    ] {
        assert!(locs.contains(&url), "{url} missing from {locs:?}");
    }

    let robots = site.read("robots.txt");
    assert!(
        robots
            .lines()
            .any(|l| l.trim() == "Sitemap: https://example.test/sitemap.xml"),
        "{robots}"
    );

    let not_found = site.html("404.html");
    assert_eq!(count(&not_found, "h1"), 1);
    assert!(
        only_text(&not_found, "h1")
            .to_lowercase()
            .contains("not found")
    );
}

#[test]
fn static_files_are_copied() {
    let pdf: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let site = three_essays()
        .bytes("static/files/cv.pdf", &pdf)
        .file("static/favicon.svg", "<svg/>");
    site.build(&[]).success();
    assert_eq!(
        std::fs::read(site.path("public/files/cv.pdf")).expect("copied"),
        pdf
    );
    assert_eq!(site.read("favicon.svg"), "<svg/>");
    // The default theme's own stylesheet is there too.
    assert!(site.exists("style.css"));
}

#[test]
fn an_alias_redirects_to_the_essay() {
    let site = three_essays().file(
        "content/moved.md",
        "+++\ntitle = \"Moved\"\ndate = 2022-01-01\naliases = [\"/2019/05/old-name/\", \"old.html\"]\n+++\n\nHere now.\n",
    );
    site.build(&[]).success();
    assert!(site.exists("moved/index.html"));
    for path in ["2019/05/old-name/index.html", "old.html"] {
        let page = site.html(path);
        let refresh = attrs(&page, "meta[http-equiv=refresh]", "content");
        assert_eq!(refresh.len(), 1, "{path}");
        assert!(
            refresh[0].ends_with("url=https://example.test/moved/"),
            "{path}: {refresh:?}"
        );
        assert_eq!(
            attrs(&page, "link[rel=canonical]", "href"),
            ["https://example.test/moved/"],
            "{path}"
        );
        assert_eq!(
            attrs(&page, "body a", "href"),
            ["https://example.test/moved/"],
            "{path}"
        );
    }
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = three_essays().file(
        "content/wip.md",
        "+++\ntitle = \"Work in Progress\"\ndate = 2026-01-01\ndraft = true\ntags = [\"secret\"]\n+++\n\nNot yet.\n",
    );
    site.build(&[]).success();
    assert!(!site.exists("wip/index.html"));
    assert!(!site.exists("tags/secret/index.html"));
    assert!(!listed_titles(&site.html("index.html")).contains(&"Work in Progress".to_string()));
    assert!(!site.read("atom.xml").contains("Work in Progress"));
    assert!(!site.read("sitemap.xml").contains("/wip/"));

    site.build(&["--drafts"]).success();
    let page = site.html("wip/index.html");
    assert_eq!(only_text(&page, "h1"), "Work in Progress");
    assert_eq!(
        listed_titles(&site.html("index.html")),
        [
            "Work in Progress",
            "Second Wind",
            "First Light",
            "Third Rail"
        ]
    );
    assert!(site.exists("tags/secret/index.html"));

    // And a build without --drafts takes it away again.
    site.build(&[]).success();
    assert!(!site.exists("wip/index.html"));
}

#[test]
fn page_bundle_files_sit_beside_their_page() {
    let png = b"\x89PNG\r\n\x1a\n-not-really-an-image-";
    let site = three_essays()
        .file(
            "content/b/index.md",
            "+++\ntitle = \"Bundle\"\ndate = 2020-01-01\n+++\n\n![a picture](pic.png)\n",
        )
        .bytes("content/b/pic.png", png)
        .file(
            "content/c/index.md",
            "+++\ntitle = \"Renamed\"\ndate = 2020-01-02\nslug = \"elsewhere\"\n+++\n\nBody.\n",
        )
        .bytes("content/c/pic.png", png);
    site.build(&[]).success();
    assert_eq!(only_text(&site.html("b/index.html"), "h1"), "Bundle");
    assert_eq!(
        std::fs::read(site.path("public/b/pic.png")).expect("copied"),
        png
    );
    assert_eq!(
        attrs(&site.html("b/index.html"), ".essay-body img", "src"),
        ["pic.png"]
    );
    // A bundle's files follow its slug.
    assert!(site.exists("elsewhere/index.html"));
    assert_eq!(
        std::fs::read(site.path("public/elsewhere/pic.png")).expect("copied"),
        png
    );
    assert!(!site.exists("c/pic.png"));
}

#[test]
fn base_url_flag_changes_every_link() {
    let site = three_essays();
    site.build(&["--base-url", "https://x.test/sub/"]).success();

    let home = site.html("index.html");
    let cards = attrs(&home, "main article.card h3 a", "href");
    assert_eq!(
        cards,
        [
            "https://x.test/sub/second/",
            "https://x.test/sub/first/",
            "https://x.test/sub/third/"
        ]
    );
    let sheets = attrs(&home, "link[rel=stylesheet]", "href");
    assert!(!sheets.is_empty());
    for href in sheets {
        assert!(href.starts_with("https://x.test/sub/"), "{href}");
    }
    for href in attrs(&home, "a", "href") {
        assert!(
            href.starts_with("https://x.test/sub/") || href.starts_with('#'),
            "{href}"
        );
    }
    let feed = site.read("atom.xml");
    assert!(!feed.contains("example.test"), "{feed}");
    assert!(xml_elements(&feed, "id").contains(&"https://x.test/sub/first/"));
    assert!(
        site.read("robots.txt")
            .contains("https://x.test/sub/sitemap.xml")
    );
}

#[test]
fn base_url_flag_gets_a_trailing_slash() {
    let site = three_essays();
    site.build(&["--base-url", "https://x.test/sub"]).success();
    assert_eq!(
        attrs(
            &site.html("first/index.html"),
            "link[rel=canonical]",
            "href"
        ),
        ["https://x.test/sub/first/"]
    );
}

#[test]
fn a_site_template_replaces_the_default_one() {
    let site = three_essays().file(
        "templates/essay.html",
        "<!doctype html>\n<html><head><title>{{ essay.title }}</title></head>\n<body><h1 class=\"mine\">{{ essay.title }}</h1>\n<section>{{ essay.content | safe }}</section></body></html>\n",
    );
    site.build(&[]).success();
    let page = site.html("first/index.html");
    assert_eq!(only_text(&page, "h1.mine"), "First Light");
    assert_eq!(texts(&page, "section p"), ["The first essay."]);
    assert_eq!(
        count(&page, ".essay-body"),
        0,
        "the default essay template was used"
    );
    assert_eq!(count(&page, ".site-header"), 0);
    // Other pages still use the default theme.
    assert_eq!(count(&site.html("index.html"), ".site-header"), 1);
}

#[test]
fn a_site_template_can_extend_base_and_override_one_block() {
    let site = three_essays().file(
        "templates/essay.html",
        "{% extends \"base.html\" %}\n{% block content %}<div class=\"mine\">{{ essay.title }}</div>{% endblock content %}\n",
    );
    site.build(&[]).success();
    let page = site.html("second/index.html");
    assert_eq!(only_text(&page, "main div.mine"), "Second Wind");
    // Everything else comes from the default base.html.
    assert_eq!(count(&page, "header.site-header"), 1);
    assert_eq!(only_text(&page, "title"), "Second Wind · Test Site");
    assert_eq!(count(&page, ".essay-body"), 0);
}

#[test]
fn output_flag_writes_there() {
    let site = three_essays();
    let out = tempfile::tempdir().expect("temp dir");
    let target = out.path().join("deploy");
    let run = site
        .build(&["--output", target.to_str().expect("utf-8 path")])
        .success();
    assert!(run.stdout.contains("deploy"), "{run}");
    assert!(target.join("index.html").is_file());
    assert!(target.join("first/index.html").is_file());
    assert!(target.join("atom.xml").is_file());
    assert!(!site.path("public").exists(), "public/ was written too");
}

#[test]
fn output_flag_relative_to_the_working_directory() {
    let site = three_essays();
    // `vellum` runs from the site root, so a relative --output lands under it.
    site.build(&["--output", "dist"]).success();
    assert!(site.path("dist/index.html").is_file());
    assert!(!site.path("public").exists());
}

#[test]
fn pagination_splits_the_home_page() {
    let site = three_essays().file("vellum.toml", &format!("{CONFIG}paginate = 2\n"));
    site.build(&[]).success();
    assert_eq!(
        listed_titles(&site.html("index.html")),
        ["Second Wind", "First Light"]
    );
    let page2 = site.html("page/2/index.html");
    assert_eq!(listed_titles(&page2), ["Third Rail"]);
    assert_eq!(
        attrs(&page2, "a[rel=prev]", "href"),
        ["https://example.test/"]
    );
}

#[test]
fn a_folder_with_only_content_builds() {
    let site = Site::new().file("content/lonely.md", "# Lonely\n\nJust me.\n");
    let run = site.build(&[]).success();
    assert_eq!(only_text(&site.html("lonely/index.html"), "h1"), "Lonely");
    // Without a full base_url the build warns but links stay root-relative.
    assert!(run.stderr.contains("warning:"), "{run}");
    assert_eq!(
        attrs(&site.html("index.html"), "main article.card h3 a", "href"),
        ["/lonely/"]
    );
}

#[test]
fn content_assets_keep_their_paths_and_draft_bundles_keep_their_files() {
    let site = three_essays()
        .bytes("content/images/map.png", b"map")
        .file(
            "content/b/index.md",
            &essay("Bundle", "2020-01-01", "Body."),
        )
        .bytes("content/b/img/deep.png", b"deep")
        .file(
            "content/hidden/index.md",
            "+++\ntitle = \"Hidden\"\ndraft = true\n+++\nBody.\n",
        )
        .bytes("content/hidden/secret.png", b"secret");
    site.build(&[]).success();
    assert_eq!(
        std::fs::read(site.path("public/images/map.png")).expect("copied"),
        b"map"
    );
    assert_eq!(
        std::fs::read(site.path("public/b/img/deep.png")).expect("copied"),
        b"deep"
    );
    assert!(
        !site.exists("hidden"),
        "a draft bundle's files were published"
    );

    site.build(&["--drafts"]).success();
    assert_eq!(
        std::fs::read(site.path("public/hidden/secret.png")).expect("copied"),
        b"secret"
    );
}

#[test]
fn a_named_theme_sits_between_the_default_and_the_site() {
    let site = three_essays()
        .file("vellum.toml", &format!("{CONFIG}theme = \"mine\"\n"))
        .file(
            "themes/mine/templates/tags.html",
            "{% extends \"base.html\" %}{% block content %}<p class=\"theme-tags\">{{ tags | length }}</p>{% endblock content %}",
        )
        .file(
            "themes/mine/templates/essay.html",
            "{% extends \"base.html\" %}{% block content %}<p class=\"theme-essay\">{{ essay.title }}</p>{% endblock content %}",
        )
        .file("themes/mine/static/theme.css", "/* theme */")
        .file("themes/mine/static/style.css", "/* theme style */")
        // The site's own layer wins over the theme's.
        .file(
            "templates/essay.html",
            "{% extends \"base.html\" %}{% block content %}<p class=\"site-essay\">{{ essay.title }}</p>{% endblock content %}",
        )
        .file("static/style.css", "/* site style */");
    site.build(&[]).success();
    assert_eq!(
        only_text(&site.html("tags/index.html"), "p.theme-tags"),
        "2"
    );
    let page = site.html("first/index.html");
    assert_eq!(only_text(&page, "p.site-essay"), "First Light");
    assert_eq!(count(&page, "p.theme-essay"), 0);
    assert_eq!(site.read("theme.css"), "/* theme */");
    assert_eq!(site.read("style.css"), "/* site style */");
    // Pages neither layer overrides still come from the default theme.
    assert_eq!(count(&site.html("index.html"), "main article.card h3 a"), 3);
}

/// The feed's `<content>` of each entry, unescaped back to HTML.
fn feed_contents(feed: &str) -> Vec<String> {
    feed.split("<content type=\"html\">")
        .skip(1)
        .map(|c| {
            c[..c.find("</content>").expect("closed content")]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#x27;", "'")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

#[test]
fn feed_links_and_images_are_absolute() {
    let site = Site::new()
        .file("vellum.toml", "base_url = \"https://example.test/blog/\"\n")
        .file(
            "content/b/index.md",
            "+++\ntitle = \"B\"\ndate = 2024-01-01\n+++\n\n![a picture](pic.png) and [another essay](../other/) and [a note](#note) and [elsewhere](https://o.rg/x).\n",
        )
        .bytes("content/b/pic.png", b"png");
    site.build(&[]).success();
    let contents = feed_contents(&site.read("atom.xml"));
    assert_eq!(contents.len(), 1);
    let html = scraper::Html::parse_fragment(&contents[0]);
    assert_eq!(
        attrs(&html, "img", "src"),
        ["https://example.test/blog/b/pic.png"]
    );
    let links = attrs(&html, "a", "href");
    assert_eq!(links[1], "https://example.test/blog/b/#note");
    assert_eq!(links[2], "https://o.rg/x");
    for link in links {
        assert!(link.starts_with("https://"), "{link}");
    }
    // The page itself keeps the link as written.
    assert_eq!(
        attrs(&site.html("b/index.html"), ".essay-body img", "src"),
        ["pic.png"]
    );
}

#[test]
fn feed_leaves_code_about_links_as_written() {
    // Text that merely mentions an attribute is the writer's words, not a link to rewrite.
    let site = Site::new()
        .file("vellum.toml", "base_url = \"https://example.test/\"\n")
        .file(
            "content/html.md",
            "+++\ntitle = \"Writing HTML\"\ndate = 2024-01-01\n+++\n\nWrite `<a href=\"/about/\">` or `<img src=\"me.png\">` in the page.\n",
        );
    site.build(&[]).success();
    let page_code = texts(&site.html("html/index.html"), ".essay-body code");
    assert_eq!(page_code, ["<a href=\"/about/\">", "<img src=\"me.png\">"]);
    let contents = feed_contents(&site.read("atom.xml"));
    let feed_code = texts(&scraper::Html::parse_fragment(&contents[0]), "code");
    assert_eq!(feed_code, page_code, "the feed changed the essay's text");
}

#[test]
fn section_index_files_are_not_essays() {
    let site = three_essays()
        .file(
            "content/_index.md",
            "+++\ntitle = \"Section\"\n+++\nA Zola section page.\n",
        )
        .file(
            "content/notes/_index.md",
            "---\ntitle: Notes section\n---\n",
        );
    let run = site.build(&[]).success();
    assert!(run.stdout.contains("Built 3 essays"), "{run}");
    assert!(!site.exists("index/index.html"));
    assert!(!site.exists("_index.md"));
    assert!(!site.exists("notes/_index.md"));
    assert_eq!(count(&site.html("index.html"), "main article"), 3);
}

#[test]
fn timings_flag_prints_each_stage() {
    let site = three_essays();
    let run = site.build(&["--timings"]).success();
    for stage in ["load", "parse", "templates", "render", "write"] {
        assert!(
            run.stdout
                .lines()
                .any(|l| l.trim_start().starts_with(stage) && l.trim_end().ends_with("ms")),
            "no timing for {stage}\n{run}"
        );
    }
    let plain = site.build(&[]).success();
    assert!(
        !plain
            .stdout
            .lines()
            .any(|l| l.trim_start().starts_with("parse")),
        "{plain}"
    );
}

/// Regression: a site's own `static/robots.txt` clashed with the generated one, and the build
/// stopped. The site's own file wins, as in Hugo and Jekyll; so does its own `404.html`.
#[test]
fn a_sites_own_robots_txt_and_404_page_replace_the_generated_ones() {
    let site = Site::new()
        .file(
            "vellum.toml",
            "title = \"R\"\nbase_url = \"https://example.test/\"\n",
        )
        .file("content/a.md", &essay("A", "2024-01-01", "Text."))
        .file("static/robots.txt", "User-agent: *\nDisallow: /drafts/\n")
        .file("static/404.html", "<p>Lost.</p>");
    site.build(&[])
        .success()
        .stderr_has("static/robots.txt: copied in place of the generated robots.txt");
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nDisallow: /drafts/\n"
    );
    assert_eq!(site.read("404.html"), "<p>Lost.</p>");
}

/// Regression: Zola's translations (`index.es.md`, `_index.es.md`) became essays whose slugs
/// clashed (`index-es`), and the build stopped. vellum builds one language: they are skipped,
/// with one warning that names them.
#[test]
fn translations_are_skipped_with_one_warning_and_never_clash() {
    let site = Site::new()
        .file(
            "vellum.toml",
            "title = \"T\"\nbase_url = \"https://example.test/\"\n",
        )
        .file("content/a.md", &essay("A", "2024-01-01", "English."))
        .file("content/a.es.md", &essay("A", "2024-01-01", "Español."))
        .file("content/blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n")
        .file("content/blog/_index.es.md", "+++\ntitle = \"Blog\"\n+++\n")
        .file(
            "content/blog/post/index.md",
            &essay("Post", "2024-01-02", "English."),
        )
        .file(
            "content/blog/post/index.fr.md",
            &essay("Post", "2024-01-02", "Français."),
        )
        .file(
            "content/blog/other/index.ca.md",
            &essay("Altre", "2024-01-03", "Català."),
        )
        .file(
            "content/notes.v2.md",
            &essay("Notes", "2024-01-04", "Not a language."),
        );
    let run = site.build(&[]).success();
    let warnings = translation_warnings(&run);
    assert_eq!(warnings.len(), 1, "{run}");
    assert!(
        warnings[0].contains(", and 3 more (ca, es, fr), skipped"),
        "{run}"
    );
    assert!(site.read("a/index.html").contains("English."));
    assert!(site.read("blog/post/index.html").contains("English."));
    assert!(site.exists("notes-v2/index.html") || site.exists("notes.v2/index.html"));
    let pages = tree(&site.path("public"));
    assert!(
        pages
            .keys()
            .all(|p| !p.contains("-es") && !p.contains("-fr") && !p.contains("-ca")),
        "{:?}",
        pages.keys().collect::<Vec<_>>()
    );
}

/// Regression: bundle folders `Rust-1.12/` and `Rust-1.13/` both became `rust-1` (the folder's
/// "extension" was cut), and the build stopped. Names keep their dots, as in Zola and Hugo.
#[test]
fn file_and_folder_names_keep_their_dots_in_urls() {
    let site = Site::new()
        .file(
            "vellum.toml",
            "title = \"D\"\nbase_url = \"https://example.test/\"\n",
        )
        .file(
            "content/Rust-1.12/index.md",
            &essay("Rust 1.12", "2024-01-01", "Twelve."),
        )
        .file(
            "content/Rust-1.13/index.md",
            &essay("Rust 1.13", "2024-01-02", "Thirteen."),
        )
        .file("content/Go-1.21.md", &essay("Go", "2024-01-03", "Go."));
    site.build(&[]).success();
    assert!(site.read("rust-1.12/index.html").contains("Twelve."));
    assert!(site.read("rust-1.13/index.html").contains("Thirteen."));
    assert!(site.read("go-1.21/index.html").contains("Go."));
}
