//! A fixture-site builder for the integration tests.
//!
//! ```ignore
//! let site = Site::new()
//!     .file("vellum.toml", "title = \"T\"\n")
//!     .file("content/a.md", "+++\ntitle = \"A\"\n+++\nBody.\n");
//! site.build(&[]).success();
//! let page = site.html("a/index.html");
//! ```
//!
//! `build` runs the real `vellum` binary (`vellum --root <tmp> build <args>`) and returns a
//! [`Run`] with the exit code and both streams; `Run::success` and `Run::failure` check the code
//! and that nothing panicked, and print both streams when the check fails.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use assert_cmd::Command;
use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;

/// A site in a temporary folder, removed when dropped.
#[derive(Debug)]
pub struct Site {
    dir: TempDir,
}

impl Default for Site {
    fn default() -> Self {
        Site::new()
    }
}

impl Site {
    /// An empty folder: no `vellum.toml`, no `content/`.
    pub fn new() -> Site {
        Site {
            dir: tempfile::Builder::new()
                .prefix("vellum-it-")
                .tempdir()
                .expect("create a temporary folder"),
        }
    }

    /// Adds a text file (parent folders are created), builder style.
    pub fn file(self, rel: &str, text: &str) -> Site {
        self.write(rel, text);
        self
    }

    /// Adds a file of raw bytes, builder style.
    pub fn bytes(self, rel: &str, bytes: &[u8]) -> Site {
        self.write_bytes(rel, bytes);
        self
    }

    /// Writes (or overwrites) a text file in an existing site.
    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent folders");
        }
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Removes a file of the site.
    pub fn remove(&self, rel: &str) {
        let path = self.path(rel);
        std::fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {}: {e}", path.display()));
    }

    /// The site's root folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path under the root.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// `vellum --root <root> build <args>`.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        self.vellum(&all)
    }

    /// `vellum --root <root> <args>`, run from the site's root.
    pub fn vellum(&self, args: &[&str]) -> Run {
        self.vellum_env(args, &[])
    }

    /// `vellum --root <root> <args>` with these environment variables set.
    pub fn vellum_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = vellum_cmd();
        cmd.current_dir(self.root())
            .arg("--root")
            .arg(self.root())
            .args(args)
            .envs(env.iter().copied());
        Run::from(cmd.output().expect("run vellum"))
    }

    /// The text of `public/<rel>`.
    pub fn read(&self, rel: &str) -> String {
        read_text(&self.path("public").join(rel))
    }

    /// Whether `public/<rel>` exists.
    pub fn exists(&self, rel: &str) -> bool {
        self.path("public").join(rel).exists()
    }

    /// `public/<rel>` parsed as an HTML document.
    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }
}

/// What is at the top of the site's folder, by name, sorted.
pub fn top_level(site: &Site) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.root())
        .expect("site root")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// A `vellum` command with no arguments yet.
pub fn vellum_cmd() -> Command {
    let mut cmd = Command::cargo_bin("vellum").expect("the vellum binary is built");
    // Keep the environment from changing dates or messages.
    cmd.env_remove("RUST_BACKTRACE")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1");
    cmd
}

/// Runs `vellum <args>` from `cwd`.
/// Runs `vellum import <site> --to <site>/../out` and returns the run and the new site's path.
pub fn import(site: &Site) -> (Run, std::path::PathBuf) {
    import_with(site, &[])
}

/// [`import`] with more arguments after the others.
pub fn import_with(site: &Site, extra: &[&str]) -> (Run, std::path::PathBuf) {
    let out = site.root().with_file_name(format!(
        "{}-out",
        site.root()
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
    ));
    let (from, to) = (site.root().to_string_lossy(), out.to_string_lossy());
    let mut args = vec!["import", &from, "--to", &to];
    args.extend_from_slice(extra);
    let run = vellum_in(site.root(), &args);
    (run, out)
}

pub fn vellum_in(cwd: &Path, args: &[&str]) -> Run {
    let mut cmd = vellum_cmd();
    cmd.current_dir(cwd).args(args);
    Run::from(cmd.output().expect("run vellum"))
}

pub fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(output: std::process::Output) -> Run {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts exit code 0 and no panic.
    #[track_caller]
    pub fn success(self) -> Run {
        assert_eq!(self.code, Some(0), "expected success\n{self}");
        self.no_panic()
    }

    /// Asserts exit code 1 (the site has problems) and no panic.
    #[track_caller]
    pub fn failure(self) -> Run {
        assert_eq!(self.code, Some(1), "expected exit code 1\n{self}");
        self.no_panic()
    }

    #[track_caller]
    pub fn no_panic(self) -> Run {
        assert!(!self.stderr.contains("panicked"), "vellum panicked\n{self}");
        self
    }

    /// Asserts that stderr contains `needle`.
    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr should contain {needle:?}\n{self}"
        );
        self
    }

    /// The stderr lines that start with `error:`.
    pub fn error_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .collect()
    }

    /// The numbers in the build summary: (written, unchanged, removed).
    #[track_caller]
    pub fn summary(&self) -> (usize, usize, usize) {
        let number_before = |word: &str| -> usize {
            let at = self
                .stdout
                .find(word)
                .unwrap_or_else(|| panic!("no `{word}` in the summary\n{self}"));
            self.stdout[..at]
                .trim_end()
                .rsplit(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("no number before `{word}`\n{self}"))
        };
        (
            number_before("files written"),
            number_before("unchanged"),
            number_before("removed"),
        )
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit code: {:?}\n--- stdout\n{}--- stderr\n{}---",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A CSS selector (panics on a typo in a test).
pub fn sel(selector: &str) -> Selector {
    Selector::parse(selector).unwrap_or_else(|e| panic!("bad selector {selector:?}: {e:?}"))
}

/// The elements matching `selector`.
pub fn select<'a>(doc: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    doc.select(&sel(selector)).collect()
}

/// How many elements match `selector`.
pub fn count(doc: &Html, selector: &str) -> usize {
    doc.select(&sel(selector)).count()
}

/// The text of an element, whitespace as in the document.
pub fn text(element: &ElementRef) -> String {
    element.text().collect()
}

/// The text of each element matching `selector`, trimmed.
pub fn texts(doc: &Html, selector: &str) -> Vec<String> {
    select(doc, selector)
        .iter()
        .map(|e| text(e).trim().to_string())
        .collect()
}

/// The text of the one element matching `selector`.
#[track_caller]
pub fn only_text(doc: &Html, selector: &str) -> String {
    let found = texts(doc, selector);
    assert_eq!(found.len(), 1, "expected one `{selector}`, found {found:?}");
    found.into_iter().next().unwrap_or_default()
}

/// An attribute of each element matching `selector` (elements without it are skipped).
pub fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    select(doc, selector)
        .iter()
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Every file under `dir` and its bytes, by `/`-separated relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut |rel, path| {
        out.insert(rel, std::fs::read(path).expect("read a file of the tree"));
    });
    out
}

/// Every file under `dir` and its modification time.
pub fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut |rel, path| {
        let meta = std::fs::metadata(path).expect("stat a file of the tree");
        out.insert(rel, meta.modified().expect("modification time"));
    });
    out
}

fn walk(base: &Path, dir: &Path, f: &mut dyn FnMut(String, &Path)) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("list {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let meta = std::fs::symlink_metadata(&path).expect("stat");
        if meta.is_dir() {
            walk(base, &path, f);
        } else {
            let rel = path
                .strip_prefix(base)
                .expect("under the base")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            f(rel, &path);
        }
    }
}

/// Asserts that two trees hold the same files with the same bytes, naming the first difference.
#[track_caller]
pub fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let names_a: Vec<&String> = a.keys().collect();
    let names_b: Vec<&String> = b.keys().collect();
    assert_eq!(names_a, names_b, "the trees hold different files");
    for (name, bytes) in a {
        if bytes != &b[name] {
            panic!(
                "{name} differs:\n--- first\n{}\n--- second\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&b[name])
            );
        }
    }
}

/// The warnings of a run about translated files (one is expected, whatever their number).
pub fn translation_warnings(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.contains("translat"))
        .collect()
}

/// A minimal essay in TOML front matter.
pub fn essay(title: &str, date: &str, body: &str) -> String {
    format!("+++\ntitle = {title:?}\ndate = {date}\n+++\n\n{body}\n")
}
