//! `vellum import`: a small site in each generator's own conventions becomes a vellum site
//! beside it, with the old site untouched, front matter changed only by the one line it needs,
//! and every old URL either served by vellum or kept in `[redirects]`.

use std::path::Path;

use crate::support::{Run, Site, import, import_with, read_text, tree, vellum_in};

/// Imports `site`, checks that the old site is byte for byte as it was, and returns the run
/// and the new site (removed at the end of the test with `Cleanup`).
fn import_untouched(site: &Site) -> (Run, Cleanup) {
    let before = tree(site.root());
    let (run, out) = import(site);
    assert_eq!(tree(site.root()), before, "the old site changed\n{run}");
    (run.success(), Cleanup(out))
}

/// Removes the imported site when the test ends.
struct Cleanup(std::path::PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn config(out: &Path) -> toml::Table {
    let text = read_text(&out.join("vellum.toml"));
    toml::from_str(&text).unwrap_or_else(|e| panic!("vellum.toml is not TOML: {e}\n{text}"))
}

fn get<'a>(table: &'a toml::Table, path: &str) -> Option<&'a toml::Value> {
    let mut keys = path.split('.');
    let first = table.get(keys.next()?)?;
    keys.try_fold(first, |value, key| value.get(key))
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Each old URL is in `[redirects]` unless vellum serves that essay there already.
#[track_caller]
fn kept(out: &Path, old: &str, dest: &str) {
    let config = config(out);
    if get(&config, "redirects").and_then(|r| r.get(old)).is_some() {
        return;
    }
    let served = served_by_vellum(out, dest);
    assert_eq!(
        served.as_deref(),
        Some(old),
        "{old} is neither in [redirects] nor where vellum serves {dest}\n{}",
        read_text(&out.join("vellum.toml"))
    );
}

/// Where vellum serves `dest` (from the site root), asked of the library. Keys this vellum
/// does not read yet are left out while it looks, as the import does.
fn served_by_vellum(out: &Path, dest: &str) -> Option<String> {
    let path = out.join("vellum.toml");
    let full = read_text(&path);
    let known: toml::Table = config(out)
        .into_iter()
        .filter(|(key, value)| {
            let one: toml::Table = [(key.clone(), value.clone())].into_iter().collect();
            vellum::config::parse(&toml::to_string(&one).unwrap_or_default()).is_ok()
        })
        .collect();
    std::fs::write(&path, toml::to_string(&known).unwrap_or_default()).ok()?;
    let options = vellum::BuildOptions {
        root: out.to_path_buf(),
        base_url: Some("/".to_string()),
        drafts: true,
        future: true,
        ..Default::default()
    };
    let served = vellum::session::Session::open(&options)
        .ok()
        .and_then(|session| {
            session
                .essays()
                .find(|e| e.source == Path::new(dest))
                .map(|e| e.shown.url.clone())
        });
    std::fs::write(&path, full).ok()?;
    served
}

fn jekyll_site() -> Site {
    Site::new()
        .file(
            "_config.yml",
            "title: Field Notes\nauthor:\n  name: Ada\nurl: https://example.org\nbaseurl: /notes\n\
             lang: en\npaginate: 5\ntwitter_username: ada\nplugins:\n  - jekyll-feed\n  - jekyll-gist\n\
             exclude:\n  - drafts-old\n",
        )
        .file(
            "_posts/2014-09-02-Old-Name.md",
            "---\nlayout: post\ntitle: Old name\n---\nSee {% include note.html %} here.\n",
        )
        .file(
            "blog/_posts/2015-01-01-in-blog.md",
            "---\ntitle: In blog\ndate: 2015-01-02 23:30:00 -0500\ncategories: Travel\n---\nBody.\n",
        )
        .file("_drafts/an-idea.md", "---\ntitle: An idea\n---\nNot yet.\n")
        .file("about.md", "---\r\ntitle: About\r\n---\r\nHello.  \r\n")
        .file("cv.md", "---\nlayout: page\ntitle: CV\n---\nWork.\n")
        .file("index.md", "---\nlayout: home\n---\n")
        .file("feed.xml", "---\n---\n<feed>{{ site.title }}</feed>\n")
        .bytes("assets/map.png", b"\x89PNG")
        .file("CNAME", "example.org\n")
        .file("Gemfile", "source 'https://rubygems.org'\n")
        .file("drafts-old/x.md", "old\n")
        .file("_layouts/post.html", "{{ content }}\n")
        .file("_includes/note.html", "<aside></aside>\n")
}

#[test]
fn jekyll_posts_drafts_pages_and_static_files_move_over() {
    let site = jekyll_site();
    let (run, out) = import_untouched(&site);
    let out = &out.0;
    // Posts keep their bytes and names; folders above _posts stay as folders.
    for (from, to) in [
        (
            "_posts/2014-09-02-Old-Name.md",
            "content/posts/2014-09-02-Old-Name.md",
        ),
        (
            "blog/_posts/2015-01-01-in-blog.md",
            "content/posts/blog/2015-01-01-in-blog.md",
        ),
        ("cv.md", "content/cv.md"),
        ("assets/map.png", "static/assets/map.png"),
        ("CNAME", "static/CNAME"),
    ] {
        assert_eq!(bytes(&out.join(to)), bytes(&site.path(from)), "{to}");
    }
    // One line after the opening fence, in the file's own line endings; nothing else moves.
    assert_eq!(
        read_text(&out.join("content/about.md")),
        "---\r\nkind: page\r\ntitle: About\r\n---\r\nHello.  \r\n"
    );
    // An undated draft is dated as Jekyll dates it, by the file's modification time.
    let draft = read_text(&out.join("content/posts/an-idea.md"));
    let (head, rest) = draft.split_at("---\ndraft: true\ndate: ".len());
    assert_eq!(head, "---\ndraft: true\ndate: ");
    assert!(
        rest[..10].chars().all(|c| c.is_ascii_digit() || c == '-'),
        "{draft}"
    );
    assert_eq!(&rest[10..], "\ntitle: An idea\n---\nNot yet.\n");
    for gone in [
        "static/Gemfile",
        "static/drafts-old/x.md",
        "content/index.md",
        "static/feed.xml",
    ] {
        assert!(!out.join(gone).exists(), "{gone} should not be written");
    }
    let config = config(out);
    let expect = [
        ("title", "Field Notes"),
        ("author", "Ada"),
        ("base_url", "https://example.org/notes/"),
        ("language", "en"),
        ("heading_ids", "github"),
        (
            "permalinks.posts",
            "/:categories/:year/:month/:day/:title.html",
        ),
        ("permalinks.default", "/:path/:title.html"),
        ("extra.twitter_username", "ada"),
    ];
    for (key, value) in expect {
        assert_eq!(
            get(&config, key).and_then(|v| v.as_str()),
            Some(value),
            "{key}"
        );
    }
    assert_eq!(
        get(&config, "paginate").and_then(|v| v.as_integer()),
        Some(5)
    );
    // Old URLs: case kept, folder and front-matter categories, the date moved to UTC.
    kept(
        out,
        "/2014/09/02/Old-Name.html",
        "content/posts/2014-09-02-Old-Name.md",
    );
    kept(
        out,
        "/blog/travel/2015/01/03/in-blog.html",
        "content/posts/blog/2015-01-01-in-blog.md",
    );
    kept(out, "/about.html", "content/about.md");
    kept(out, "/cv.html", "content/cv.md");
    // The report names what was not carried, with the files that use it.
    report_has(
        &run,
        &[
            "  Jekyll plugin `jekyll-gist`, used by _config.yml",
            "  Liquid include `note.html` (its template is copied to templates/shortcodes/), used by _posts/2014-09-02-Old-Name.md",
            "  layout `post`, used by _posts/2014-09-02-Old-Name.md",
            "  Liquid templates (files with front matter that are not Markdown), used by feed.xml",
            "  2 posts, 1 drafts, 2 pages, 0 sections, 0 bundles, 2 static files, 1 shortcode templates",
        ],
    );
}

/// Whether the import's report has each of `lines`, whole.
fn report_has(run: &Run, lines: &[&str]) {
    for line in lines {
        assert!(
            run.stdout.lines().any(|l| l == *line),
            "no line {line:?}\n{run}"
        );
    }
}

fn hugo_site() -> Site {
    Site::new()
        .file(
            "hugo.toml",
            "baseURL = 'https://example.com/'\ntitle = 'Logbook'\ndefaultContentLanguage = 'en'\n\
             theme = 'congo'\nenableRobotsTXT = true\n[params]\n  author = 'Ada'\n  description = 'Notes'\n\
             [pagination]\n  pagerSize = 7\n[permalinks]\n  notes = '/:year/:month/:title/'\n\
             [languages.en]\n  weight = 1\n[languages.es]\n  title = 'Bitácora'\n",
        )
        .file("content/_index.md", "---\ntitle: Home\n---\n")
        .file("content/about.md", "---\ntitle: About\n---\n{{< youtube abc >}}\n")
        .file("content/posts/_index.md", "---\ntitle: Posts\n---\n")
        .file(
            "content/posts/Terraform on AWS & Co/06-VPC/index.md",
            "---\ntitle: VPC\ndescription: d\nsummary: s\n---\n{{< note >}}Careful{{< /note >}}\n",
        )
        .bytes("content/posts/Terraform on AWS & Co/06-VPC/diagram.png", b"png")
        .file("content/posts/Terraform on AWS & Co/06-VPC/exercises.md", "Exercises.\n")
        .file("content/posts/hello.md", "+++\ntitle = 'Hello'\nslug = 'hi-there'\n+++\nHi.\n")
        .file("content/posts/hello.es.md", "+++\ntitle = 'Hola'\n+++\nHola.\n")
        .file("content/posts/wip.md", "---\ntitle: WIP\ndraft: true\n---\n")
        .file(
            "content/notes/n.md",
            "---\ntitle: On Walking, Again\ndate: 2024-03-05\n---\n",
        )
        .file("layouts/shortcodes/note.html", "<aside>{{ .Inner }}</aside>\n")
        .file("layouts/_default/single.html", "{{ .Content }}\n")
        .bytes("static/img/logo.png", b"logo")
}

#[test]
fn hugo_content_static_and_shortcodes_move_over() {
    let site = hugo_site();
    let (run, out) = import_untouched(&site);
    let out = &out.0;
    for rel in [
        "content/_index.md",
        "content/about.md",
        "content/posts/Terraform on AWS & Co/06-VPC/index.md",
        "content/posts/Terraform on AWS & Co/06-VPC/diagram.png",
        "content/posts/hello.es.md",
    ] {
        assert_eq!(bytes(&out.join(rel)), bytes(&site.path(rel)), "{rel}");
    }
    assert_eq!(bytes(&out.join("static/img/logo.png")), b"logo");
    assert_eq!(
        read_text(&out.join("templates/shortcodes/note.html")),
        "<aside>{{ .Inner }}</aside>\n"
    );
    let config = config(out);
    for (key, value) in [
        ("title", "Logbook"),
        ("author", "Ada"),
        ("description", "Notes"),
        ("base_url", "https://example.com/"),
        ("language", "en"),
        ("heading_ids", "hugo"),
        ("permalinks.notes", "/:year/:month/:slug/"),
        ("languages.es.title", "Bitácora"),
    ] {
        assert_eq!(
            get(&config, key).and_then(|v| v.as_str()),
            Some(value),
            "{key}"
        );
    }
    assert_eq!(
        get(&config, "paginate").and_then(|v| v.as_integer()),
        Some(7)
    );
    let text = read_text(&out.join("vellum.toml"));
    assert!(
        text.contains("/posts/terraform-on-aws--co/06-vpc/"),
        "{text}"
    );
    kept(
        out,
        "/posts/terraform-on-aws--co/06-vpc/",
        "content/posts/Terraform on AWS & Co/06-VPC/index.md",
    );
    kept(out, "/posts/hi-there/", "content/posts/hello.md");
    kept(out, "/2024/03/on-walking-again/", "content/notes/n.md");
    kept(out, "/about/", "content/about.md");
    assert!(!text.contains("/posts/wip/"), "a draft had no URL\n{text}");
    assert!(
        !text.contains("exercises"),
        "a bundle's resource is not a page\n{text}"
    );
    report_has(
        &run,
        &[
            "  Hugo shortcode `note` (its template is copied to templates/shortcodes/), used by \
             content/posts/Terraform on AWS & Co/06-VPC/index.md",
            "  templates/shortcodes/note.html is a Hugo (Go) template: rewrite it in Tera for its \
             calls to render (until then they are shown as text, with a warning)",
            "  Hugo theme `congo` (vellum uses its own theme)",
            "  Hugo layouts/ (1 files)",
            "  settings with no vellum equivalent: enablerobotstxt",
        ],
    );
    assert!(
        !run.stdout.contains("`youtube`"),
        "a built-in shortcode is carried\n{run}"
    );
}

fn zola_site() -> Site {
    Site::new()
        .file(
            "config.toml",
            "base_url = \"https://example.net\"\ntitle = \"Garden\"\nauthor = \"Ada\"\n\
             default_language = \"en\"\ncompile_sass = true\ntaxonomies = [{name = \"tags\"}]\n\
             [languages.es]\ntitle = \"Jardín\"\n[extra]\naccent = \"green\"\n",
        )
        .file("content/_index.md", "+++\npaginate_by = 4\n+++\n")
        .file("content/about.md", "+++\ntitle = \"About\"\n+++\n")
        .file("content/blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n")
        .file(
            "content/blog/2024-01-02_First Post.md",
            "+++\ntitle = \"First\"\n+++\n{{ note(text=\"x\") }}\n```\n{{ example() }}\n```\n",
        )
        .file("content/blog/bundle/index.md", "+++\ntitle = \"B\"\n+++\n")
        .file(
            "content/blog/bundle/index.es.md",
            "+++\ntitle = \"B es\"\n+++\n",
        )
        .file(
            "content/pages/privacy/index.md",
            "+++\ntitle = \"Privacy\"\npath = \"privacy\"\ntemplate = \"info.html\"\n+++\n",
        )
        .file("templates/shortcodes/note.html", "<p>{{ text }}</p>\n")
        .file("templates/page.html", "{{ page.content }}\n")
        .file("static/robots.txt", "User-agent: *\n")
}

#[test]
fn zola_content_languages_and_paths_move_over() {
    let site = zola_site();
    let (run, out) = import_untouched(&site);
    let out = &out.0;
    for rel in [
        "content/blog/2024-01-02_First Post.md",
        "content/blog/bundle/index.es.md",
    ] {
        assert_eq!(bytes(&out.join(rel)), bytes(&site.path(rel)), "{rel}");
    }
    assert_eq!(read_text(&out.join("static/robots.txt")), "User-agent: *\n");
    assert!(out.join("templates/shortcodes/note.html").is_file());
    let config = config(out);
    for (key, value) in [
        ("title", "Garden"),
        ("base_url", "https://example.net"),
        ("language", "en"),
        ("heading_ids", "zola"),
        ("languages.es.title", "Jardín"),
        ("extra.accent", "green"),
    ] {
        assert_eq!(
            get(&config, key).and_then(|v| v.as_str()),
            Some(value),
            "{key}"
        );
    }
    assert_eq!(
        get(&config, "paginate").and_then(|v| v.as_integer()),
        Some(4)
    );
    kept(
        out,
        "/blog/first-post/",
        "content/blog/2024-01-02_First Post.md",
    );
    kept(out, "/privacy/", "content/pages/privacy/index.md");
    kept(out, "/about/", "content/about.md");
    let text = read_text(&out.join("vellum.toml"));
    assert!(text.contains("# Taxonomies tags"), "{text}");
    report_has(
        &run,
        &[
            "  Zola shortcode `note` (its template is copied to templates/shortcodes/), used by \
             content/blog/2024-01-02_First Post.md",
            "  Zola template `info.html`, used by content/pages/privacy/index.md",
            "  settings with no vellum equivalent: compile_sass",
        ],
    );
    assert!(
        !run.stdout.contains("`example`"),
        "a shortcode in a code block is an example\n{run}"
    );
}

#[test]
fn old_urls_are_worked_out_by_each_generators_rules() {
    let zola = zola_site();
    let plan = vellum::import::zola::plan(zola.root()).expect("plan");
    let urls: Vec<(&str, &str)> = plan
        .urls
        .iter()
        .map(|u| (u.dest.as_str(), u.url.as_str()))
        .collect();
    assert!(
        urls.contains(&("content/blog/bundle/index.es.md", "/es/blog/bundle/")),
        "{urls:?}"
    );
    assert!(
        urls.contains(&("content/pages/privacy/index.md", "/privacy/")),
        "{urls:?}"
    );
    let hugo = hugo_site();
    let plan = vellum::import::hugo::plan(hugo.root()).expect("plan");
    let urls: Vec<(&str, &str)> = plan
        .urls
        .iter()
        .map(|u| (u.dest.as_str(), u.url.as_str()))
        .collect();
    assert!(
        urls.contains(&("content/posts/hello.es.md", "/es/posts/hello/")),
        "{urls:?}"
    );
    assert_eq!(plan.counts.bundles, 1);
    assert_eq!(plan.counts.sections, 2);
}

#[test]
fn import_refuses_a_destination_with_files_or_inside_the_source() {
    let site = jekyll_site();
    let busy = Site::new().file("keep.txt", "mine\n");
    let before = tree(busy.root());
    let run = vellum_in(
        site.root(),
        &[
            "import",
            &site.root().to_string_lossy(),
            "--to",
            &busy.root().to_string_lossy(),
        ],
    )
    .failure();
    run.stderr_has(&busy.root().to_string_lossy())
        .stderr_has("not empty");
    assert_eq!(
        tree(busy.root()),
        before,
        "nothing is written into a folder with files"
    );

    let source_before = tree(site.root());
    let inside = site.path("vellum-site");
    vellum_in(
        site.root(),
        &[
            "import",
            &site.root().to_string_lossy(),
            "--to",
            &inside.to_string_lossy(),
        ],
    )
    .failure()
    .stderr_has("inside the site being imported");
    assert_eq!(tree(site.root()), source_before);
}

#[test]
fn import_goes_beside_the_source_by_default() {
    let parent = Site::new();
    let source = parent.path("blog");
    std::fs::create_dir_all(source.join("content")).expect("mkdir");
    std::fs::write(source.join("config.toml"), "base_url = \"https://a.b\"\n").expect("write");
    std::fs::write(source.join("content/x.md"), "+++\ntitle = \"X\"\n+++\n").expect("write");
    let run = vellum_in(parent.root(), &["import", "blog"]).success();
    assert!(parent.path("blog-vellum/content/x.md").is_file(), "{run}");
    assert!(run.stdout.contains("Imported a Zola site"), "{run}");
}

#[test]
fn an_unreadable_config_is_named_with_its_line() {
    let site = Site::new().file("_config.yml", "title: A\nauthor: [unclosed\nurl: x\n");
    let (run, out) = import(&site);
    run.failure().stderr_has("_config.yml:3:");
    assert!(
        !out.exists(),
        "nothing is written when the configuration cannot be read"
    );
    let site = Site::new().file("hugo.toml", "title = 'A'\nbaseURL = \n");
    let (run, _) = import(&site);
    run.failure().stderr_has("hugo.toml:2");
}

/// Leaves out of `vellum.toml` the keys this vellum does not read yet (parts of issue 11 still
/// being built), so the rest can be built.
fn without_unread_keys(out: &Path) {
    let known: toml::Table = config(out)
        .into_iter()
        .filter(|(key, value)| {
            let one: toml::Table = [(key.clone(), value.clone())].into_iter().collect();
            vellum::config::parse(&toml::to_string(&one).unwrap_or_default()).is_ok()
        })
        .collect();
    std::fs::write(
        out.join("vellum.toml"),
        toml::to_string(&known).unwrap_or_default(),
    )
    .expect("write vellum.toml");
}

#[test]
fn imported_sites_build_and_serve_every_old_url() {
    type Planner = fn(&Path) -> vellum::Result<vellum::import::Plan>;
    let sites: [(Site, Planner); 3] = [
        (jekyll_site(), vellum::import::jekyll::plan),
        (hugo_site(), vellum::import::hugo::plan),
        (zola_site(), vellum::import::zola::plan),
    ];
    for (site, planner) in sites {
        let (_, out) = import_untouched(&site);
        let out = &out.0;
        without_unread_keys(out);
        let run = vellum_in(out, &["--root", &out.to_string_lossy(), "build"]).success();
        let plan = planner(site.root()).expect("plan");
        assert!(!plan.urls.is_empty());
        for old in &plan.urls {
            let file = if old.url.ends_with('/') {
                format!("{}index.html", old.url)
            } else {
                old.url.clone()
            };
            let public = out.join("public").join(file.trim_start_matches('/'));
            assert!(
                public.is_file(),
                "{} ({}) is not served\n{run}",
                old.url,
                old.dest
            );
        }
    }
}

#[test]
fn a_file_that_is_not_utf8_is_copied_as_it_is() {
    let latin1 = b"---\ntitle: caf\xe9\n---\nNo line can be added to this byte for byte.\n";
    let site = Site::new()
        .file("_config.yml", "title: A\n")
        .bytes("menu.md", latin1)
        .bytes("_posts/2016-01-01-cafe.md", latin1);
    let (run, out) = import_untouched(&site);
    assert_eq!(bytes(&out.0.join("content/menu.md")), latin1);
    assert_eq!(
        bytes(&out.0.join("content/posts/2016-01-01-cafe.md")),
        latin1
    );
    assert!(
        run.stdout
            .contains("  menu.md is not UTF-8 text; copied as it is"),
        "{run}"
    );
}

/// kramdown reads GitHub-flavoured Markdown by default in Jekyll and then makes GitHub's
/// heading ids; only `input: kramdown` gives kramdown's own.
#[test]
fn jekyll_heading_ids_follow_kramdowns_input() {
    for (kramdown, style) in [
        ("", "github"),
        ("kramdown:\n  input: GFM\n", "github"),
        ("kramdown:\n  input: kramdown\n", "kramdown"),
        ("markdown: CommonMarkGhPages\n", "github"),
    ] {
        let site = Site::new().file("_config.yml", &format!("title: A\n{kramdown}"));
        let (run, out) = import_untouched(&site);
        assert!(
            run.stdout
                .contains("_config.yml has no `url`: set base_url"),
            "{run}"
        );
        let config = config(&out.0);
        assert_eq!(
            get(&config, "heading_ids").and_then(|v| v.as_str()),
            Some(style),
            "{kramdown}"
        );
    }
}

/// `--base-url` gives the full address a Jekyll site on GitHub Pages does not write down.
#[test]
fn base_url_can_be_given_to_the_import() {
    let site = Site::new().file("_config.yml", "title: A\nbaseurl: /blog\n");
    let (run, out) = import_with(&site, &["--base-url", "https://ex.test/blog"]);
    let run = run.success();
    let _cleanup = Cleanup(out.clone());
    assert!(!run.stdout.contains("has no `url`"), "{run}");
    assert_eq!(
        get(&config(&out), "base_url").and_then(|v| v.as_str()),
        Some("https://ex.test/blog/")
    );
    let bad = vellum_in(
        site.root(),
        &[
            "import",
            &site.root().to_string_lossy(),
            "--to",
            &out.with_extension("bad").to_string_lossy(),
            "--base-url",
            "example.com",
        ],
    );
    bad.failure().stderr_has("--base-url");
}
