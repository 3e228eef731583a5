//! One struct per subcommand, each with a `run` that calls the library and prints the outcome.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand};
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

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Where to write the site [default: public/ under the root].
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Use this base URL instead of the configured one (for preview deploys).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Include essays marked as drafts.
    #[arg(long)]
    drafts: bool,
    /// Print how long each stage of the build took.
    #[arg(long)]
    timings: bool,
}

impl BuildArgs {
    pub fn run(&self, root: &Path) -> Result<()> {
        let started = Instant::now();
        let report = vellum::build(&BuildOptions {
            root: root.to_path_buf(),
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            drafts: self.drafts,
        })?;
        for warning in &report.warnings {
            eprintln!("warning: {warning}");
        }
        if self.timings {
            for (stage, took) in &report.timings {
                println!("{stage:>10} {:>8.1} ms", took.as_secs_f64() * 1000.0);
            }
        }
        let w = report.write;
        println!(
            "Built {} {} into {} in {} ms: {} files written, {} unchanged, {} removed.",
            report.essays,
            if report.essays == 1 {
                "essay"
            } else {
                "essays"
            },
            report.output.display(),
            started.elapsed().as_millis(),
            w.written,
            w.unchanged,
            w.removed
        );
        Ok(())
    }
}
