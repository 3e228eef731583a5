//! One struct per subcommand, each with a `run` that calls the library and prints the outcome.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use vellum::watch::Outcome;
use vellum::{BuildOptions, Result, scaffold};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the site in.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Add a site to a folder that already has files (none of them is overwritten).
    #[arg(long)]
    force: bool,
    /// Start with this theme (see `vellum theme list`).
    #[arg(long, value_name = "NAME")]
    theme: Option<String>,
}

impl InitArgs {
    pub fn run(&self) -> Result<()> {
        let written = scaffold::init(&self.dir, self.force, self.theme.as_deref())?;
        for path in &written {
            println!("created {}", path.display());
        }
        let root = self.dir.display();
        println!("\nNext: vellum --root {root} build   (the site goes to {root}/public/)");
        Ok(())
    }
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The essay's title; its file name is made from it.
    title: String,
}

impl NewArgs {
    pub fn run(&self, root: &Path) -> Result<()> {
        let path = scaffold::new_essay(root, &self.title)?;
        println!("{}", path.display());
        Ok(())
    }
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The Jekyll, Hugo or Zola site to import (the folder with its _config.yml, hugo.toml,
    /// config.toml or config/_default/).
    source: PathBuf,
    /// Where to write the vellum site: a new or empty folder outside SOURCE
    /// [default: SOURCE-vellum beside SOURCE].
    #[arg(long, value_name = "DIR")]
    to: Option<PathBuf>,
    /// The site's full address (https://example.com/blog/), in place of what the old
    /// configuration says (a Jekyll site on GitHub Pages often says only its path).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

impl ImportArgs {
    pub fn run(&self) -> Result<()> {
        let report = vellum::import::run(&vellum::import::ImportOptions {
            source: self.source.clone(),
            to: self.to.clone(),
            base_url: self.base_url.clone(),
        })?;
        print!("{report}");
        Ok(())
    }
}

#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// List the themes this site can use: built in, and its own under themes/.
    List,
}

impl ThemeCommand {
    pub fn run(&self, root: &Path) -> Result<()> {
        match self {
            ThemeCommand::List => {
                let themes = vellum::theme::available(root)?;
                let width = themes.iter().map(|t| t.name.len()).max().unwrap_or(0);
                for theme in themes {
                    println!(
                        "{:width$}  {}  ({})",
                        theme.name, theme.description, theme.source
                    );
                }
                println!("\nChoose one with `theme = \"NAME\"` in vellum.toml.");
                Ok(())
            }
        }
    }
}

/// Which site `build` and `check` make: its address and which essays it shows.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Use this base URL instead of the configured one (for preview deploys).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Include essays marked as drafts.
    #[arg(long)]
    drafts: bool,
    /// Include essays dated in the future (now is SOURCE_DATE_EPOCH when set, else the clock).
    #[arg(long)]
    future: bool,
}

impl SiteArgs {
    fn options(&self, root: &Path) -> BuildOptions {
        BuildOptions {
            root: root.to_path_buf(),
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            future: self.future,
            ..BuildOptions::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Where to write the site [default: public/ under the root].
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    #[command(flatten)]
    site: SiteArgs,
    /// Minify HTML and CSS (output stays readable without it).
    #[arg(long)]
    minify: bool,
    /// Print how long each stage of the build took.
    #[arg(long)]
    timings: bool,
}

impl BuildArgs {
    fn options(&self, root: &Path) -> BuildOptions {
        BuildOptions {
            output: self.output.clone(),
            minify: self.minify,
            ..self.site.options(root)
        }
    }

    pub fn run(&self, root: &Path) -> Result<()> {
        let started = Instant::now();
        let report = vellum::build(&self.options(root))?;
        for warning in &report.warnings {
            eprintln!("warning: {warning}");
        }
        if self.timings {
            for (stage, took) in &report.timings {
                println!("{stage:>10} {:>8.1} ms", ms(*took));
            }
            print_template_times(&report);
        }
        let w = report.write;
        println!(
            "Built {} into {} in {} ms: {} files written, {} unchanged, {} removed.",
            counted(&report),
            report.output.display(),
            started.elapsed().as_millis(),
            w.written,
            w.unchanged,
            w.removed
        );
        Ok(())
    }
}

/// `12 essays`, or `12 essays and 1 page`.
fn counted(report: &vellum::BuildReport) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match report.pages {
        0 => plural(report.essays, "essay"),
        n => format!(
            "{} and {}",
            plural(report.essays, "essay"),
            plural(n, "page")
        ),
    }
}

/// How `vellum check` shows what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// One line per problem, for people.
    Human,
    /// One JSON document on stdout.
    Json,
    /// GitHub Actions annotations (`::error file=…,line=…::…`).
    Github,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// How to show problems [default: github when GITHUB_ACTIONS=true, else human].
    #[arg(long, value_enum, value_name = "FORMAT")]
    format: Option<CheckFormat>,
    #[command(flatten)]
    site: SiteArgs,
    /// Follow links to other sites too (over HTTP; answers are cached).
    #[arg(long)]
    external: bool,
    /// Seconds to wait for one external server.
    #[arg(long, value_name = "SECS", default_value_t = 10.0)]
    timeout: f64,
    /// Seconds for all external links together; those not answered by then are reported as
    /// unknown (not broken) [default: 60, or twice TIMEOUT × (RETRIES + 1) if longer].
    #[arg(long, value_name = "SECS")]
    deadline: Option<f64>,
    /// Further tries after a timeout, 429 or server error.
    #[arg(long, value_name = "N", default_value_t = 2)]
    retries: u32,
    /// Requests under way at once to any one host.
    #[arg(long, value_name = "N", default_value_t = 2)]
    per_host: usize,
    /// Hours an external link's answer is kept in .vellum-cache/ (0: no cache).
    #[arg(long, value_name = "HOURS", default_value_t = 24.0)]
    cache_hours: f64,
}

impl CheckArgs {
    /// Exit codes: 0 clean, 1 problems found, 2 the check could not run.
    pub fn run(&self, root: &Path) -> std::process::ExitCode {
        let options = vellum::check::CheckOptions {
            build: self.site.options(root),
            external: self.external.then(|| {
                let timeout = seconds(self.timeout, Duration::from_secs(10));
                let deadline = vellum::check::default_deadline(timeout, self.retries);
                vellum::check::ExternalOptions {
                    timeout,
                    deadline: self
                        .deadline
                        .map_or(deadline, |secs| seconds(secs, deadline)),
                    retries: self.retries,
                    per_host: self.per_host,
                    cache: (self.cache_hours > 0.0)
                        .then(|| vellum::output::cache_dir(root).join("external-links.tsv")),
                    cache_ttl: seconds(self.cache_hours * 3600.0, Duration::ZERO),
                    ..Default::default()
                }
            }),
        };
        let report = match vellum::check::run(&options) {
            Ok(report) => report,
            Err(error) => {
                for e in error.flatten() {
                    eprintln!("error: {e}");
                }
                eprintln!("vellum check could not run: the site does not build.");
                return std::process::ExitCode::from(2);
            }
        };
        let in_actions = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
        let format = self.format.unwrap_or(if in_actions {
            CheckFormat::Github
        } else {
            CheckFormat::Human
        });
        use vellum::check::report;
        let text = match format {
            CheckFormat::Human => report::human(&report),
            CheckFormat::Json => report::json(&report),
            CheckFormat::Github => report::github(&report, &workspace_prefix(root)),
        };
        if format != CheckFormat::Json {
            for warning in &report.build_warnings {
                eprintln!("warning: {warning}");
            }
        }
        print!("{text}");
        if report.failed() {
            std::process::ExitCode::from(1)
        } else {
            std::process::ExitCode::SUCCESS
        }
    }
}

/// A number of seconds as a duration; `otherwise` for one that is negative or too large.
fn seconds(secs: f64, otherwise: Duration) -> Duration {
    Duration::try_from_secs_f64(secs).unwrap_or(otherwise)
}

/// The site root's path from the repository root that GitHub Actions checked out
/// (`GITHUB_WORKSPACE`), so that annotations name files as the repository has them.
fn workspace_prefix(root: &Path) -> PathBuf {
    let absolute = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    std::env::var_os("GITHUB_WORKSPACE")
        .and_then(|workspace| {
            let workspace = std::path::absolute(PathBuf::from(workspace)).ok()?;
            absolute
                .strip_prefix(&workspace)
                .ok()
                .map(Path::to_path_buf)
        })
        .unwrap_or_default()
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    build: BuildArgs,
    /// Poll for changes every MS milliseconds instead of relying on the file system's events
    /// (for network mounts and containers where those are unreliable).
    #[arg(long, value_name = "MS", num_args = 0..=1, default_missing_value = "1000")]
    poll: Option<u64>,
}

impl WatchArgs {
    pub fn run(&self, root: &Path) -> Result<()> {
        let options = vellum::watch::WatchOptions {
            build: self.build.options(root),
            poll: self.poll.map(Duration::from_millis),
        };
        let stop = stop_on_ctrl_c();
        let timings = self.build.timings;
        vellum::watch::run(&options, &stop, |outcome| {
            print_outcome(outcome, None, timings)
        })
    }
}

fn ms(took: Duration) -> f64 {
    took.as_secs_f64() * 1000.0
}

/// Where the CPU time inside parsing and rendering went: highlighting, and the slowest
/// templates (each summed over its pages and both cores).
fn print_template_times(report: &vellum::BuildReport) {
    if !report.highlight.is_zero() {
        println!(
            "  highlighting code: {:.1} ms of CPU time",
            ms(report.highlight)
        );
    }
    // Whether a build without code stayed clear of the grammars, and what they cost if not.
    match vellum::markdown::languages::load_time() {
        Some(took) => println!("  loading grammars: {:.1} ms", ms(took)),
        None => println!("  loading grammars: not needed"),
    }
    for t in report.templates.iter().take(5) {
        println!(
            "  template {}: {:.1} ms over {} {} ({:.3} ms each)",
            t.name,
            ms(t.total),
            t.pages,
            if t.pages == 1 { "page" } else { "pages" },
            ms(t.total) / t.pages.max(1) as f64
        );
    }
}

/// Prints one line per build (and any errors and warnings).
pub fn print_outcome(outcome: &Outcome, serving: Option<&str>, timings: bool) {
    match outcome {
        Outcome::Built {
            changed,
            report,
            took,
        } => {
            for warning in &report.warnings {
                eprintln!("warning: {warning}");
            }
            if timings {
                let laps: Vec<String> = report
                    .timings
                    .iter()
                    .map(|(stage, took)| format!("{stage} {:.1} ms", took.as_secs_f64() * 1000.0))
                    .collect();
                println!("  ({})", laps.join(", "));
                print_template_times(report);
            }
            let ms = took.as_millis();
            if changed.is_empty() {
                println!(
                    "Built {} into {} in {ms} ms.",
                    counted(report),
                    report.output.display()
                );
                match serving {
                    Some(url) => println!("Serving at {url} (Ctrl-C to stop)"),
                    None => println!("Watching for changes (Ctrl-C to stop)"),
                }
            } else {
                let w = report.write;
                println!(
                    "{}: {} of {} files rendered, {} written, {} removed, in {ms} ms",
                    changed.join(", "),
                    report.rendered,
                    report.files,
                    w.written,
                    w.removed
                );
            }
        }
        Outcome::Failed { changed, error } => {
            if !changed.is_empty() {
                eprintln!(
                    "{}: build failed; the last good site stays",
                    changed.join(", ")
                );
            }
            for e in error.flatten() {
                eprintln!("error: {e}");
            }
        }
    }
}

/// A channel that receives once Ctrl-C is pressed (or, on Unix, the process is asked to end,
/// as `kill` and service managers do), so the current rebuild can finish and `serve` can
/// remove its folder.
pub fn stop_on_ctrl_c() -> Receiver<()> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        if let Ok(runtime) = runtime {
            runtime.block_on(ended());
            let _ = tx.send(());
        }
    });
    rx
}

/// Waits for Ctrl-C, or SIGTERM on Unix.
async fn ended() {
    #[cfg(unix)]
    if let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
    {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        return;
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    watch: WatchArgs,
    /// The port to serve on; if it is taken, the next free one is used.
    #[arg(long, default_value_t = vellum::serve::DEFAULT_PORT)]
    port: u16,
    /// The address to listen on. Only this machine can connect unless you give another
    /// (0.0.0.0 for every interface).
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Do not reload pages in the browser after a rebuild.
    #[arg(long)]
    no_live_reload: bool,
}

impl ServeArgs {
    pub fn run(&self, root: &Path) -> Result<()> {
        let mut build = self.watch.build.options(root);
        // The preview goes to a folder of its own, so public/ keeps what `vellum build` made
        // for deploying. Kept until this function returns, Ctrl-C included, then removed.
        let (dir, preview) = match &build.output {
            Some(dir) => (dir.clone(), None),
            None => {
                // The site goes one level down, so that the folder each build is made in
                // beside it (see `vellum::output`) is inside the private folder too.
                let preview = preview_dir()?;
                (preview.path().join("site"), Some(preview))
            }
        };
        std::fs::create_dir_all(&dir).map_err(|e| vellum::Error::io(&dir, e))?;
        let server = vellum::serve::Server::start(vellum::serve::ServeOptions {
            bind: self.bind,
            port: self.port,
            live_reload: !self.no_live_reload,
            ..vellum::serve::ServeOptions::new(&dir)
        })?;
        if server.addr.port() != self.port && self.port != 0 {
            println!("Port {} is taken; using {}.", self.port, server.addr.port());
        }
        let url = if self.bind.is_unspecified() {
            format!("http://localhost:{}/", server.addr.port())
        } else {
            format!("http://{}/", server.addr)
        };
        // Links point at this server, whatever path base_url has.
        build.output = Some(dir);
        build.base_url = Some(if self.bind.is_unspecified() {
            "/".to_string()
        } else {
            url.clone()
        });
        let options = vellum::watch::WatchOptions {
            build,
            poll: self.watch.poll.map(Duration::from_millis),
        };
        let stop = stop_on_ctrl_c();
        let result = vellum::watch::run(&options, &stop, |outcome| {
            print_outcome(outcome, Some(&url), self.watch.build.timings);
            match outcome {
                Outcome::Built { .. } => server.reload(),
                Outcome::Failed { error, .. } => {
                    let lines: Vec<String> =
                        error.flatten().iter().map(|e| e.to_string()).collect();
                    server.show_error(&lines.join("\n"));
                }
            }
        });
        server.shutdown();
        if let Some(preview) = preview {
            let path = preview.path().to_path_buf();
            if let Err(e) = preview.close() {
                eprintln!("warning: could not remove {}: {e}", path.display());
            }
        }
        result
    }
}

/// Where `serve` builds when not told: a new folder in the system's temporary directory,
/// made for this run alone. Its name is random and it is created exclusively, open to its
/// owner only (0700), so no one else can have made it first or put anything in it: a build
/// removes the files its manifest lists, and that must never be someone else's list.
fn preview_dir() -> Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("vellum-serve-");
    // tempfile's default follows the umask (often 0755): the drafts in it are nobody else's.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
    builder
        .tempdir()
        .map_err(|e| vellum::Error::io(std::env::temp_dir(), e))
}
