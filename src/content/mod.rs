//! The content model: each file read from `content/` becomes an essay, a page or a section,
//! before the site is collected.
//!
//! - An **essay** is dated writing: listed on the home page, its section, the archive, tag
//!   pages and feeds.
//! - A **page** (about, now, colophon, CV) is built at its URL and listed nowhere. Front
//!   matter makes one: `kind = "page"`, Jekyll's `layout: page`, Hugo's `type: page` or
//!   `_build.list = "never"`. A file that says nothing is one by its place: beside a root
//!   `_index.md` when the essays live in folders (the root section's pages in Zola and Hugo
//!   sites), or in a section with `render = false`. That is decided at collect
//!   (`Site::collect`), since it depends on other files.
//! - A **section** is a folder: its `_index.md` ([`section::SectionMeta`]) gives its title,
//!   description, order and pagination; a top-level folder of essays is one without it.
//!
//! Where an essay or page is served is worked out with it ([`crate::route`]): front matter
//! `path`, `url` or `permalink`, else the nearest `[permalinks]` pattern, else the default.

pub mod section;

use std::sync::Arc;

use crate::config::Config;
use crate::error::{Result, Warning};
use crate::essay::{self, Essay};
use crate::source::{Role, Source};

pub use crate::markers::Kind;

pub use crate::route::{Pattern, Route};
pub use section::SectionMeta;

/// One file of `content/`, read.
#[derive(Debug, Clone)]
pub enum Item {
    Essay(Arc<Essay>),
    Section(Arc<SectionMeta>),
}

/// Reads one source as what it is. The warning, if any, is about a missing date.
/// `shortcodes` are the site's shortcode templates (see `essay::parse`).
pub fn read(
    source: Source,
    config: &Config,
    shortcodes: &Arc<crate::markdown::shortcodes::Library>,
) -> Result<(Item, Option<Warning>)> {
    match source.role {
        Role::Section => Ok((
            Item::Section(Arc::new(section::parse(source, config, shortcodes)?)),
            None,
        )),
        Role::Essay => {
            let (essay, warning) = essay::parse(source, config, shortcodes)?;
            Ok((Item::Essay(Arc::new(essay)), warning))
        }
    }
}
