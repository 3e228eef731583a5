//! Rebuilds after changes must equal clean builds, byte for byte. Random sequences of edits,
//! renames, deletes, new essays, tag and series changes, links between essays (which make
//! backlinks on the essays they name), broken and mended essays are applied to a kept
//! [`Session`]; after every step its output is compared with a clean build of the same folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use vellum::BuildOptions;
use vellum::session::{Changes, Session};

use crate::support::{Site, tree};

/// A small deterministic generator (xorshift64*), so a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const TAGS: &[&str] = &["walking", "reading", "Walking", "notes", "craft"];
const SERIES: &[&str] = &["", "", "On Foot", "Letters"];

fn essay_text(rng: &mut Rng, title: &str) -> String {
    let day = 1 + rng.below(28);
    let month = 1 + rng.below(12);
    let tags: Vec<String> = (0..rng.below(3))
        .map(|_| format!("\"{}\"", rng.pick(TAGS)))
        .collect();
    let series = rng.pick(SERIES);
    let series = if series.is_empty() {
        String::new()
    } else {
        format!("series = \"{series}\"\n")
    };
    let note = if rng.below(2) == 0 {
        "A claim.[^1]\n\n[^1]: A note.\n"
    } else {
        ""
    };
    // Links to other essays by their paths (some of which will have gone or be renamed): the
    // essays they name show this one among their backlinks, with the sentence of the link.
    let links: String = (0..rng.below(3))
        .map(|_| {
            let to = rng.pick(LINKED);
            format!("See [that]({to}), {}. ", rng.next() % 100)
        })
        .collect();
    format!(
        "+++\ntitle = \"{title}\"\ndate = 2025-{month:02}-{day:02}\ntags = [{}]\n{series}+++\n\nFirst paragraph of {title}, {}. {links}\n\n## Part\n\n{note}",
        tags.join(", "),
        rng.next() % 1000
    )
}

/// Where essays' links lead: the first essays, a few added later, a folder's essay.
const LINKED: &[&str] = &[
    "/essay-0/",
    "/essay-1/",
    "/essay-2/#part",
    "/essay-3/",
    "/essay-5/",
    "/new-3/",
    "/new-12/",
    "/blog/in-10/",
];

fn options(site: &Site, output: &Path) -> BuildOptions {
    BuildOptions {
        root: site.root().to_path_buf(),
        output: Some(output.to_path_buf()),
        base_url: None,
        drafts: false,
        future: false,
        minify: false,
    }
}

fn run_seed(seed: u64, steps: usize) {
    let mut rng = Rng(seed);
    let site = Site::new().file(
        "vellum.toml",
        "title = \"Incremental\"\nbase_url = \"https://example.test/\"\npaginate = 3\nfeed_limit = 4\nrelated = true\n[languages.es]\n",
    );
    let mut names: Vec<String> = Vec::new();
    for i in 0..8 {
        let name = format!("content/essay-{i}.md");
        let text = essay_text(&mut rng, &format!("Essay {i}"));
        site.write(&name, &text);
        names.push(name);
    }
    let kept = site.path("kept");
    let clean = site.path("clean");
    let mut session = Session::open(&options(&site, &kept)).expect("open");
    session.build().expect("first build");
    let mut broken: Option<String> = None;

    for step in 0..steps {
        let mut touched: Vec<PathBuf> = Vec::new();
        let op = rng.below(12);
        let what = match op {
            // A new essay.
            0 => {
                let name = format!("content/new-{step}.md");
                site.write(&name, &essay_text(&mut rng, &format!("New {step}")));
                touched.push(site.path(&name));
                names.push(name.clone());
                format!("add {name}")
            }
            // A deleted essay.
            1 if names.len() > 2 => {
                let name = names.remove(rng.below(names.len()));
                site.remove(&name);
                touched.push(site.path(&name));
                format!("delete {name}")
            }
            // A renamed essay.
            2 if !names.is_empty() => {
                let i = rng.below(names.len());
                let to = format!("content/renamed-{step}.md");
                std::fs::rename(site.path(&names[i]), site.path(&to)).expect("rename");
                touched.push(site.path(&names[i]));
                touched.push(site.path(&to));
                let from = std::mem::replace(&mut names[i], to.clone());
                format!("rename {from} -> {to}")
            }
            // A broken essay, or mending the broken one.
            3 => match broken.take() {
                Some(name) => {
                    site.write(&name, &essay_text(&mut rng, "Mended"));
                    touched.push(site.path(&name));
                    format!("mend {name}")
                }
                None if !names.is_empty() => {
                    let name = rng.pick(&names).clone();
                    site.write(
                        &name,
                        "+++\ntitle = \"Broken\"\ndate = \"soon\"\n+++\nBody.\n",
                    );
                    touched.push(site.path(&name));
                    broken = Some(name.clone());
                    format!("break {name}")
                }
                None => continue,
            },
            // A page bundle with an image, or its removal as a folder.
            4 => {
                let dir = format!("content/bundle-{}", rng.below(2));
                if site.path(&dir).exists() {
                    std::fs::remove_dir_all(site.path(&dir)).expect("remove bundle");
                    touched.push(site.path(&dir));
                    format!("remove {dir}/")
                } else {
                    site.write(
                        &format!("{dir}/pic.svg"),
                        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
                    );
                    site.write(
                        &format!("{dir}/index.md"),
                        &essay_text(&mut rng, &format!("Bundle {step}")),
                    );
                    touched.push(site.path(&dir));
                    format!("add {dir}/")
                }
            }
            // A section's `_index.md` written with other settings, or removed.
            9 => {
                let name = *rng.pick(&[
                    "content/blog/_index.md",
                    "content/blog/sub/_index.md",
                    "content/_index.md",
                ]);
                let exists = site.path(name).exists();
                if exists && rng.below(3) == 0 {
                    site.remove(name);
                    touched.push(site.path(name));
                    format!("remove {name}")
                } else if exists && rng.below(2) == 0 {
                    // Only its text: the list shows it, nothing else changes.
                    let text = std::fs::read_to_string(site.path(name)).expect("read");
                    let (front, _) = text.rsplit_once("+++\n").expect("front matter");
                    site.write(name, &format!("{front}+++\nOther words, {step}.\n"));
                    touched.push(site.path(name));
                    format!("reword {name}")
                } else {
                    let sort = rng.pick(&["date", "title", "weight"]);
                    let text = format!(
                        "+++\ntitle = \"Section {}\"\nsort_by = \"{sort}\"\npaginate = {}\nin_home = {}\ndraft = {}\nmenu = {}\n+++\nAbout it, {}.\n",
                        rng.below(2),
                        1 + rng.below(3),
                        rng.below(3) != 0,
                        rng.below(5) == 0,
                        rng.below(2) == 0,
                        rng.below(100),
                    );
                    site.write(name, &text);
                    touched.push(site.path(name));
                    format!("write {name}")
                }
            }
            // An essay or a page in a folder.
            10 => {
                let dir = rng.pick(&["blog", "blog/sub", "notes"]);
                let name = format!("content/{dir}/in-{step}.md");
                let mut text = essay_text(&mut rng, &format!("Foldered {step}"));
                if rng.below(3) == 0 {
                    text = text.replacen("+++\n", "+++\nkind = \"page\"\nmenu = true\n", 1);
                }
                site.write(
                    &name,
                    &text.replacen("+++\n", &format!("+++\nweight = {}\n", rng.below(5)), 1),
                );
                touched.push(site.path(&name));
                names.push(name.clone());
                format!("add {name}")
            }
            // A translation of an essay, or its removal.
            11 if !names.is_empty() => {
                let name = rng.pick(&names).replace(".md", ".es.md");
                touched.push(site.path(&name));
                if site.path(&name).exists() {
                    site.remove(&name);
                    format!("remove {name}")
                } else {
                    site.write(&name, &essay_text(&mut rng, &format!("Traducido {step}")));
                    format!("translate into {name}")
                }
            }
            // Any other edit: title, date, tags, series, body all change at random.
            _ if !names.is_empty() => {
                let name = rng.pick(&names).clone();
                if broken.as_deref() == Some(name.as_str()) {
                    broken = None;
                }
                site.write(&name, &essay_text(&mut rng, &format!("Edited {step}")));
                touched.push(site.path(&name));
                format!("edit {name}")
            }
            _ => continue,
        };
        let changes = Changes {
            content: touched,
            ..Changes::default()
        };
        // Now and then start over as a new `vellum build` would: from what the last build
        // recorded about the output, not from memory.
        let what = if step % 5 == 4 {
            session = match Session::open(&options(&site, &kept)) {
                Ok(session) => session,
                Err(e) => panic!("seed {seed}, step {step}: reopen: {e}"),
            };
            format!("{what}, then a new session")
        } else {
            session.apply(&changes).expect("apply");
            what
        };
        let rebuilt = session.build();
        // A clean build: no output and no record of one.
        let _ = std::fs::remove_dir_all(&clean);
        let _ = std::fs::remove_file(vellum::output::record_path(site.root(), &clean));
        let clean_build = vellum::build(&options(&site, &clean));
        match (&rebuilt, &clean_build) {
            (Ok(_), Ok(_)) => {
                let (a, b) = (tree(&kept), tree(&clean));
                assert_same(&a, &b, &format!("seed {seed}, step {step}: {what}"));
            }
            (Err(a), Err(b)) => assert_eq!(
                a.to_string(),
                b.to_string(),
                "seed {seed}, step {step}: {what}"
            ),
            _ => panic!(
                "seed {seed}, step {step} ({what}): rebuild {:?} but clean build {:?}",
                rebuilt.map(|r| r.files),
                clean_build.map(|r| r.files)
            ),
        }
    }
}

fn assert_same(kept: &BTreeMap<String, Vec<u8>>, clean: &BTreeMap<String, Vec<u8>>, at: &str) {
    let kept_names: Vec<&String> = kept.keys().collect();
    let clean_names: Vec<&String> = clean.keys().collect();
    assert_eq!(kept_names, clean_names, "{at}: different files");
    for (name, bytes) in kept {
        assert!(
            clean.get(name) == Some(bytes),
            "{at}: {name} differs\n--- rebuilt\n{}\n--- clean\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&clean[name])
        );
    }
}

#[test]
fn random_changes_rebuild_to_what_a_clean_build_gives() {
    for seed in [1, 2, 3, 0x5eed] {
        run_seed(seed, 40);
    }
}

#[test]
fn a_template_change_re_renders_every_page() {
    let site = Site::new()
        .file(
            "vellum.toml",
            "title = \"T\"\nbase_url = \"https://example.test/\"\n",
        )
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\ndate = 2025-01-01\n+++\nBody.\n",
        );
    let kept = site.path("kept");
    let mut session = Session::open(&options(&site, &kept)).expect("open");
    let first = session.build().expect("build");
    assert_eq!(first.rendered, first.files);
    // Nothing changed: nothing is rendered.
    session.apply(&Changes::default()).expect("apply");
    assert_eq!(session.build().expect("build").rendered, 0);
    site.write(
        "templates/essay.html",
        "{% extends \"default/essay.html\" %}{% block title %}New {{ essay.title }}{% endblock title %}",
    );
    session
        .apply(&Changes {
            theme: true,
            ..Changes::default()
        })
        .expect("apply");
    let report = session.build().expect("build");
    assert!(report.rendered >= report.files - 2, "{report:?}");
    let page = std::fs::read_to_string(kept.join("a/index.html")).expect("page");
    assert!(page.contains("<title>New A</title>"), "{page}");
    let clean = site.path("clean");
    vellum::build(&options(&site, &clean)).expect("clean build");
    assert_same(&tree(&kept), &tree(&clean), "after a template change");
}
