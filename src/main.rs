//! The `vellum` command: parses the command line, calls the library, and turns the result into
//! messages and an exit code (0 success, 1 the site has problems, 2 bad usage).
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;

/// mimalloc: the pipeline allocates and frees many small strings across threads, and glibc's
/// allocator keeps a finished build's memory mapped, which a long `watch` pays for.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A static site generator for personal essays.
#[derive(Debug, Parser)]
#[command(name = "vellum", version, about, long_about = None)]
struct Cli {
    /// The site's folder: where vellum.toml and content/ are.
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    root: PathBuf,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a new site in a folder.
    Init(cli::InitArgs),
    /// Start a new essay as a draft.
    New(cli::NewArgs),
    /// Build the site into public/ (or --output).
    Build(cli::BuildArgs),
    /// Build, then rebuild whenever an essay, template or setting changes.
    Watch(cli::WatchArgs),
    /// Build, watch, and serve the site with live reload (at http://127.0.0.1:1111/).
    Serve(cli::ServeArgs),
    /// Check the built site for broken links and anchors, missing files, feed and sitemap
    /// errors, and writing lints (exit code 0 clean, 1 problems found, 2 could not run).
    Check(cli::CheckArgs),
    /// Make a vellum site from a Jekyll, Hugo or Zola site (written beside it, in
    /// SOURCE-vellum/ unless --to says where; the old site is never changed).
    Import(cli::ImportArgs),
    /// Work with themes.
    #[command(subcommand)]
    Theme(cli::ThemeCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Init(args) => args.run(),
        Command::New(args) => args.run(&cli.root),
        Command::Build(args) => args.run(&cli.root),
        Command::Watch(args) => args.run(&cli.root),
        Command::Serve(args) => args.run(&cli.root),
        Command::Theme(command) => command.run(&cli.root),
        Command::Import(args) => args.run(),
        // Its exit codes say more than success or failure.
        Command::Check(args) => return args.run(&cli.root),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            for e in error.flatten() {
                eprintln!("error: {e}");
            }
            ExitCode::from(1)
        }
    }
}
