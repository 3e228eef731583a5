//! vellum turns a folder of essays into a static site.
//!
//! The pipeline runs one way, one module per stage, plain data between them:
//!
//! ```text
//! config::load ─▶ source::load ─▶ essay::parse_all ─▶ Site::collect ─▶ render::render ─▶ output::write
//!   Config          Vec<Source>      Vec<Essay>          Site            Vec<OutputFile>     disk
//! ```
//!
//! [`build`] runs all of it. The library never prints: warnings come back in the
//! [`BuildReport`], errors as [`Error`], and the binary decides what to show.

pub mod config;
pub mod date;
pub mod error;
pub mod essay;
pub mod frontmatter;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod site;
pub mod slugs;
pub mod source;
pub mod theme;

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
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output: PathBuf,
    pub essays: usize,
    pub files: usize,
    pub write: output::WriteReport,
    pub warnings: Vec<Warning>,
    /// How long each stage took, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Records how long each stage of a build takes.
#[derive(Debug)]
struct Stopwatch {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    fn start() -> Self {
        Stopwatch {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

/// Builds the site: everything is loaded, parsed and rendered in memory first, and only then
/// written, so an error leaves the previous output untouched.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let mut clock = Stopwatch::start();
    let mut config = config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.base_url = config::normalize_base_url(url).map_err(|message| Error::Config {
            at: Location::file("--base-url"),
            message,
        })?;
    }
    let output_dir = output::resolve_output_dir(&config.root, options.output.as_deref())?;
    let content = source::load(&config.root, &config.content_dir())?;
    clock.lap("load");
    let parsed = essay::parse_all(&content.sources, &config);
    // Unreadable files and unparsable ones are reported together.
    let (essays, mut warnings) = match (parsed, Error::collect(content.errors)) {
        (Ok(parsed), None) => parsed,
        (Ok(_), Some(error)) | (Err(error), None) => return Err(error),
        (Err(parse), Some(load)) => return Err(load.and(parse)),
    };
    drop(content.sources);
    clock.lap("parse");
    warnings.extend(content.warnings);
    if !config.has_absolute_base_url() {
        warnings.push(Warning {
            at: Location::file(config::CONFIG_FILE),
            message: "no full base_url (such as https://example.com/); the feed and canonical links will hold relative URLs".to_string(),
        });
    }
    let site = site::Site::collect(config, essays, content.assets, options.drafts);
    let mut theme = theme::Theme::load(&site.config)?;
    clock.lap("templates");
    let files = render::render(&site, &mut theme)?;
    clock.lap("render");
    let write = output::write(&output_dir, &files)?;
    clock.lap("write");
    warnings.sort();
    Ok(BuildReport {
        output: output_dir,
        essays: site.essays.len(),
        files: files.len(),
        write,
        warnings,
        timings: clock.laps,
    })
}
