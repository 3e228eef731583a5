//! vellum's integration tests: one binary, one module per feature. Most tests build a small
//! fixture site in a temporary folder (see [`support::Site`]) and run the real `vellum` binary
//! on it; `markdown_snapshots` calls the library directly.

mod support;

mod attribute_lists;
mod backlinks;
mod bounded;
mod build_basics;
mod callouts;
mod check;
mod code;
mod content_model;
mod determinism;
mod errors;
mod feeds;
mod front_matter;
mod fuzz;
mod git_dates;
mod heading_ids;
mod http;
mod images;
mod import;
mod incremental;
mod init_and_new;
mod leftover_markup;
mod links;
mod markdown_snapshots;
mod math;
mod nothing_lost;
mod odd_input;
mod output_safety;
mod plain_essays;
mod publishing;
mod related;
mod search;
mod serve;
mod shortcodes;
mod sidenotes;
mod theme_contract;
mod theme_options;
mod themes;
mod tolerant_reading;
mod watch;
mod wikilinks;
