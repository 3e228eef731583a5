//! vellum turns a folder of essays into a static site.
//!
//! The pipeline runs one way, one module per stage, plain data between them:
//!
//! ```text
//! config::load ─▶ source::load ─▶ content::read ─▶ Site::collect ─▶ render::render ─▶ output::write
//!   Config          Vec<Source>      essays, pages,   Site            Vec<OutputFile>     disk
//!                                    sections
//! ```
//!
//! No stage imports a later one: `config`, `route`, `markers`, `frontmatter`, `urls` and
//! `history` are leaves the stages share.
//!
//! [`session::Session`] holds the loaded site between builds, so that `vellum watch` re-reads
//! and re-renders only what changed; [`build`] runs all of it once. [`import`] stands beside
//! the pipeline: it writes a site from a Jekyll, Hugo or Zola one, then loads it with a
//! session to check that every old URL is served or redirected. The library never prints:
//! warnings come back in the [`BuildReport`], errors as [`Error`], and the binary decides what
//! to show.

pub mod check;
pub mod config;
pub mod content;
pub mod date;
pub mod error;
pub mod essay;
pub mod frontmatter;
pub mod history;
pub mod images;
pub mod import;
pub mod links;
pub mod markdown;
pub mod markers;
pub mod minify;
pub mod output;
pub mod related;
pub mod render;
pub mod route;
pub mod scaffold;
pub mod serve;
pub mod session;
pub mod site;
pub mod slugs;
pub mod source;
pub mod theme;
pub mod urls;
pub mod watch;

use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use error::{Error, Location, Result, Warning};

/// What `vellum build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site root: where `vellum.toml` and `content/` are.
    pub root: PathBuf,
    /// Where the site goes; `public/` under the root when `None`.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from the configuration (preview deploys).
    pub base_url: Option<String>,
    /// Include essays marked `draft = true`.
    pub drafts: bool,
    /// Include essays dated after now (see [`date::now`]).
    pub future: bool,
    /// Minify HTML and CSS (see [`minify`]).
    pub minify: bool,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output: PathBuf,
    pub essays: usize,
    /// Pages (about, CV) built beside the essays.
    pub pages: usize,
    /// Files the site has.
    pub files: usize,
    /// Of those, how many were rendered (or copied) this time: all of them in a clean build,
    /// fewer in a rebuild.
    pub rendered: usize,
    pub write: output::WriteReport,
    pub warnings: Vec<Warning>,
    /// How long each stage took, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
    /// Time spent highlighting code, summed over threads (part of parsing).
    pub highlight: Duration,
    /// Time spent in each template, slowest first (part of rendering).
    pub templates: Vec<render::TemplateTime>,
}

/// Records how long each stage of a build takes.
#[derive(Debug)]
pub(crate) struct Stopwatch {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    pub(crate) fn start() -> Self {
        Stopwatch {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    pub(crate) fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }

    /// A lap, less `other` time spent inside it on another stage (writing while rendering).
    pub(crate) fn lap_less(&mut self, stage: &'static str, other: Duration) {
        let now = Instant::now();
        self.laps
            .push((stage, (now - self.last).saturating_sub(other)));
        self.last = now;
    }

    /// A lap, plus `other` time counted here (see [`Stopwatch::lap_less`]).
    pub(crate) fn lap_plus(&mut self, stage: &'static str, other: Duration) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last + other));
        self.last = now;
    }
}

/// Which vellum this is, for what outlives the process (the build record, remembered code
/// blocks): a different build of vellum may render the same input differently. The size
/// and modification time of the running program stand for it; where they cannot be read,
/// the time of this run does, so nothing from an earlier build is trusted.
pub(crate) fn program_identity() -> u64 {
    static IDENTITY: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| {
        let program = std::env::current_exe()
            .and_then(std::fs::metadata)
            .and_then(|meta| Ok((meta.len(), meta.modified()?)));
        match program {
            Ok(stamp) => fingerprint(&(env!("CARGO_PKG_VERSION"), stamp)),
            Err(_) => fingerprint(&std::time::SystemTime::now()),
        }
    });
    *IDENTITY
}

/// A hash of `value` that is the same in every run of the same vellum: what build records,
/// page fingerprints and cache keys are made of.
pub(crate) fn fingerprint<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::hash::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Builds the site: everything is loaded, parsed and rendered in memory first, and only then
/// written, so an error leaves the previous output untouched.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    session::Session::open(options)?.build()
}
