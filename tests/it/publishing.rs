//! Publishing from CI: scheduled essays (`date` in the future, "now" fixed by
//! `SOURCE_DATE_EPOCH`), `--base-url`, and a site deployed under a subpath.

use std::net::SocketAddr;

use crate::http::{TestServer, get};
use crate::support::{Site, attrs, essay};

/// 2026-03-01T00:00:00Z.
const MARCH_2026: &str = "1772323200";
/// 2026-07-01T00:00:00Z.
const JULY_2026: &str = "1782864000";

fn scheduled_site() -> Site {
    Site::new()
        .file("vellum.toml", "base_url = \"https://example.com/\"\n")
        .file(
            "content/past.md",
            &essay("Past", "2026-01-10", "Out already."),
        )
        .file(
            "content/scheduled.md",
            &essay("Scheduled", "2026-06-01T09:00:00+02:00", "Not yet."),
        )
}

#[test]
fn a_future_essay_waits_until_its_date() {
    let site = scheduled_site();
    site.vellum_env(&["build"], &[("SOURCE_DATE_EPOCH", MARCH_2026)])
        .success();
    assert!(site.exists("past/index.html"));
    assert!(!site.exists("scheduled/index.html"));
    for listing in [
        "index.html",
        "atom.xml",
        "sitemap.xml",
        "archive/index.html",
    ] {
        assert!(
            !site.read(listing).contains("scheduled"),
            "{listing} lists the scheduled essay"
        );
    }

    site.vellum_env(&["build"], &[("SOURCE_DATE_EPOCH", JULY_2026)])
        .success();
    assert!(site.exists("scheduled/index.html"));
    assert!(
        site.read("atom.xml")
            .contains("https://example.com/scheduled/")
    );
}

#[test]
fn future_flag_builds_scheduled_essays_now() {
    let site = scheduled_site();
    site.vellum_env(&["build", "--future"], &[("SOURCE_DATE_EPOCH", MARCH_2026)])
        .success();
    assert!(site.exists("scheduled/index.html"));
}

#[test]
fn same_source_date_epoch_gives_the_same_site() {
    let site = scheduled_site();
    let env = [("SOURCE_DATE_EPOCH", MARCH_2026)];
    site.vellum_env(&["build"], &env).success();
    let first = crate::support::tree(&site.path("public"));
    site.vellum_env(&["build", "--output", "again"], &env)
        .success();
    let second = crate::support::tree(&site.path("again"));
    crate::support::assert_same_tree(&first, &second);
}

#[test]
fn bad_source_date_epoch_is_named() {
    let site = scheduled_site();
    let run = site
        .vellum_env(&["build"], &[("SOURCE_DATE_EPOCH", "yesterday")])
        .failure();
    run.stderr_has("SOURCE_DATE_EPOCH: `yesterday` is not a number of seconds");
}

/// A site with every kind of page and link: pagination, tags, a series, a bundle image,
/// footnotes, highlighted code, an alias, a static file.
fn full_site(base_url: &str) -> Site {
    Site::new()
        .file(
            "vellum.toml",
            &format!("title = \"Sub\"\nbase_url = \"{base_url}\"\npaginate = 1\n"),
        )
        .file(
            "content/walking/index.md",
            "+++\ntitle = \"Walking\"\ndate = 2026-01-03\ntags = [\"feet\"]\nseries = \"Outdoors\"\naliases = [\"old/walking\"]\n+++\n\n![The route](route.svg) and a note.[^1]\n\n```rust\nfn main() {}\n```\n\n[Reading](../reading/) and [its part](../reading/#part-one).\n\n[^1]: A footnote.\n",
        )
        .file("content/walking/route.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .file(
            "content/reading.md",
            "+++\ntitle = \"Reading\"\ndate = 2026-01-02\ntags = [\"books\", \"feet\"]\nseries = \"Outdoors\"\n+++\n\nSee the [file](../files/notes.txt).\n\n## Part one\n\nText.\n",
        )
        .file("static/files/notes.txt", "notes\n")
        .file("content/2025-12-01-older.md", "# Older\n\nAn older essay.\n")
}

/// Path of a same-host URL, resolved against `page` (a path); `None` for other hosts and
/// for `mailto:` and the like.
fn resolve(addr: SocketAddr, page: &str, url: &str) -> Option<String> {
    let own = format!("http://{addr}");
    let url = url.split('#').next().unwrap_or("");
    let path = if let Some(rest) = url.strip_prefix(&own) {
        rest.to_string()
    } else if url.contains(':') || url.starts_with("//") {
        return None;
    } else if url.starts_with('/') {
        url.to_string()
    } else if url.is_empty() {
        page.to_string()
    } else {
        format!("{}{url}", &page[..page.rfind('/').map_or(0, |i| i + 1)])
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." => {}
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Follows every link and reference from `start` on `server`; every path reached, with its
/// status.
fn crawl(addr: SocketAddr, start: &str) -> std::collections::BTreeMap<String, u16> {
    let mut seen = std::collections::BTreeMap::new();
    let mut queue = vec![start.to_string()];
    while let Some(path) = queue.pop() {
        if seen.contains_key(&path) {
            continue;
        }
        let reply = get(addr, &path);
        seen.insert(path.clone(), reply.status);
        let is_page = path.ends_with('/') || path.ends_with(".html");
        if reply.status != 200 || !is_page {
            continue;
        }
        let doc = scraper::Html::parse_document(&reply.text());
        // A redirect page names its target in a meta refresh.
        let refresh: Vec<String> = attrs(&doc, "meta[http-equiv=refresh]", "content")
            .iter()
            .filter_map(|c| c.split_once("url=").map(|(_, u)| u.to_string()))
            .collect();
        let refs = attrs(&doc, "[href]", "href")
            .into_iter()
            .chain(attrs(&doc, "[src]", "src"))
            .chain(refresh);
        queue.extend(refs.filter_map(|url| resolve(addr, &path, &url)));
    }
    seen
}

#[test]
fn a_site_under_a_subpath_works_when_served_there() {
    // The server is started first: the site's base_url names its port.
    let site = full_site("https://placeholder.invalid/");
    let server = TestServer::folder(site.path("public"), "/blog/");
    let base = server.url("/blog/");
    site.write(
        "vellum.toml",
        &format!("title = \"Sub\"\nbase_url = \"{base}\"\npaginate = 1\n"),
    );
    site.build(&[]).success();

    let reached = crawl(server.addr, "/blog/");
    let broken: Vec<_> = reached.iter().filter(|(_, s)| **s != 200).collect();
    assert!(broken.is_empty(), "broken under /blog/: {broken:?}");
    for expected in [
        "/blog/walking/",
        "/blog/walking/route.svg",
        "/blog/reading/",
        "/blog/older/",
        "/blog/tags/feet/",
        "/blog/page/2/",
        "/blog/files/notes.txt",
        "/blog/atom.xml",
        "/blog/archive/",
    ] {
        assert!(
            reached.contains_key(expected),
            "{expected} not reached: {reached:?}"
        );
    }
    assert!(
        reached.keys().any(|p| p.starts_with("/blog/style.css")),
        "{reached:?}"
    );
    // The alias page sends readers to the essay under the subpath.
    let alias = get(server.addr, "/blog/old/walking/").text();
    assert!(alias.contains(&format!("{base}walking/")), "{alias}");

    // Every URL in the feed and the sitemap is under the base and answers.
    for file in ["atom.xml", "sitemap.xml"] {
        let text = site.read(file);
        let urls: Vec<&str> = text
            .split(['"', '<', '>'])
            .filter(|s| {
                s.starts_with("http://") && !s.contains("www.w3.org") && !s.contains("sitemaps.org")
            })
            .collect();
        assert!(urls.len() > 3, "{file}: {urls:?}");
        for url in urls {
            assert!(url.starts_with(&base), "{file}: {url} is outside {base}");
            let path = &url[server.url("").len()..];
            assert_eq!(get(server.addr, path).status, 200, "{file}: {url}");
        }
    }
    // vellum check agrees.
    site.vellum(&["check"]).success();
}

/// A running `vellum serve`, stopped when dropped.
struct Serving(std::process::Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_links_work_at_the_root_whatever_the_base_url_path() {
    use std::io::{BufRead, BufReader};
    let site = full_site("https://user.github.io/blog/");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vellum"))
        .env_remove("SOURCE_DATE_EPOCH")
        .arg("--root")
        .arg(site.root())
        .args(["serve", "--port", "0", "--no-live-reload", "--output"])
        .arg(site.path("preview"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start vellum serve");
    let stdout = child.stdout.take().expect("its stdout");
    let serving = Serving(child);
    // Bounded: the reader ends when the process does, and the process is killed on drop.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix("Serving at ") {
                let _ = tx.send(url.split(' ').next().unwrap_or("").to_string());
            }
        }
    });
    let url = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("vellum serve says where it serves");
    let addr: std::net::SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .expect("an address");
    let reached = crawl(addr, "/");
    let broken: Vec<_> = reached.iter().filter(|(_, s)| **s != 200).collect();
    assert!(broken.is_empty(), "broken under serve: {broken:?}");
    assert!(reached.contains_key("/walking/route.svg"), "{reached:?}");
    assert!(
        !reached.keys().any(|p| p.starts_with("/blog")),
        "{reached:?}"
    );
    drop(serving);
}

#[test]
fn the_deploy_recipes_parse_and_check_before_publishing() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let read = |rel: &str| crate::support::read_text(&examples.join(rel));
    let workflow = read("github-pages/.github/workflows/pages.yml");
    let parsed: serde_norway::Value =
        serde_norway::from_str(&workflow).expect("the workflow is YAML");
    assert!(
        parsed["jobs"]["build"]["steps"]
            .as_sequence()
            .is_some_and(|s| s.len() > 4)
    );
    // The whole history, for dates from git (a shallow checkout is the default).
    let checkout = parsed["jobs"]["build"]["steps"]
        .as_sequence()
        .and_then(|steps| {
            steps.iter().find(|s| {
                s["uses"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("actions/checkout"))
            })
        })
        .expect("a checkout step");
    assert_eq!(
        checkout["with"]["fetch-depth"].as_u64(),
        Some(0),
        "{checkout:?}"
    );
    assert!(read("cloudflare-pages/build.sh").contains("git fetch --quiet --unshallow"));
    for file in ["netlify/netlify.toml", "cloudflare-pages/wrangler.toml"] {
        toml::from_str::<toml::Table>(&read(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    for text in [
        workflow,
        read("netlify/netlify.toml"),
        read("cloudflare-pages/build.sh"),
    ] {
        assert!(text.contains("cargo install --locked --git"), "{text}");
        assert!(text.contains("vellum check"), "{text}");
        // An optional search index for `[search] pagefind = true`, made after the build.
        assert!(text.contains("npx --yes pagefind --site public"), "{text}");
    }
    let readme = crate::support::read_text(&examples.join("../README.md"));
    assert!(
        readme.contains("(examples/)"),
        "the README links to the recipes"
    );
}

#[test]
fn minify_shrinks_html_and_css_and_keeps_what_readers_see() {
    let site = full_site("https://example.com/");
    site.build(&["--output", "plain"]).success();
    site.build(&["--minify"]).success();
    let plain = crate::support::tree(&site.path("plain"));
    let small = crate::support::tree(&site.path("public"));
    assert_eq!(
        plain.keys().collect::<Vec<_>>(),
        small.keys().collect::<Vec<_>>()
    );
    let size = |tree: &std::collections::BTreeMap<String, Vec<u8>>, ext: &str| -> usize {
        tree.iter()
            .filter(|(name, _)| name.ends_with(ext))
            .map(|(_, bytes)| bytes.len())
            .sum()
    };
    assert!(size(&small, ".css") < size(&plain, ".css") * 9 / 10);
    assert!(size(&small, ".html") < size(&plain, ".html"));
    // The same words, and code blocks byte for byte.
    let words = |html: &[u8]| -> Vec<String> {
        let doc = scraper::Html::parse_document(&String::from_utf8_lossy(html));
        doc.root_element()
            .text()
            .flat_map(|t| t.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .collect()
    };
    let page = "walking/index.html";
    assert_eq!(words(&plain[page]), words(&small[page]));
    let pre = |html: &[u8]| {
        let doc = scraper::Html::parse_document(&String::from_utf8_lossy(html));
        crate::support::texts(&doc, "pre")
    };
    assert_eq!(pre(&plain[page]), pre(&small[page]));
    // Readable output stays the default.
    assert!(String::from_utf8_lossy(&plain[page]).contains("\n<main id=\"main\">\n"));
    // Switching in one folder gives each kind of build its own bytes, although the inputs
    // (and so the pages' fingerprints) are the same.
    site.build(&[]).success();
    crate::support::assert_same_tree(&plain, &crate::support::tree(&site.path("public")));
    site.build(&["--minify"]).success();
    crate::support::assert_same_tree(&small, &crate::support::tree(&site.path("public")));
}
