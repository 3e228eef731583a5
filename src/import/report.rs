//! What an import did, for the writer: counts of what was carried over, the settings and
//! redirects written, and each thing that was not carried with the files that use it. Every
//! list is sorted, so the same site always gives the same report.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use super::{Generator, Plan};

/// How many files to name for one thing before saying how many more there are.
const FILES_SHOWN: usize = 8;

#[derive(Debug)]
pub struct ImportReport {
    pub generator: Generator,
    pub source: PathBuf,
    pub dest: PathBuf,
    pub plan: Plan,
    /// Old URL path → the path vellum serves it at, as written to `[redirects]`.
    pub redirects: BTreeMap<String, String>,
    pub notes: Vec<String>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plan = &self.plan;
        let c = &plan.counts;
        writeln!(
            f,
            "Imported a {} site from {} into {}.",
            self.generator.name(),
            self.source.display(),
            self.dest.display()
        )?;
        writeln!(f, "\nCarried over:")?;
        writeln!(
            f,
            "  {} posts, {} drafts, {} pages, {} sections, {} bundles, {} static files, {} shortcode templates",
            c.posts, c.drafts, c.pages, c.sections, c.bundles, c.static_files, c.shortcodes
        )?;
        let mut settings: Vec<&str> = plan.settings.iter().map(|(k, _)| k.as_str()).collect();
        settings.extend(plan.tables.keys().map(String::as_str));
        writeln!(
            f,
            "  {} settings in vellum.toml: {}",
            settings.len(),
            settings.join(", ")
        )?;
        writeln!(
            f,
            "  {} of {} old URLs served elsewhere now, each kept by a redirect in [redirects]",
            self.redirects.len(),
            plan.urls.len()
        )?;
        if !plan.not_carried.is_empty() || !plan.ignored.is_empty() {
            writeln!(f, "\nNot carried over:")?;
        }
        for (thing, files) in &plan.not_carried {
            let mut files = files.clone();
            files.sort();
            if files.is_empty() {
                writeln!(f, "  {thing}")?;
                continue;
            }
            let shown = files[..files.len().min(FILES_SHOWN)].join(", ");
            let more = match files.len().saturating_sub(FILES_SHOWN) {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            writeln!(f, "  {thing}, used by {shown}{more}")?;
        }
        if !plan.ignored.is_empty() {
            writeln!(
                f,
                "  settings with no vellum equivalent: {}",
                plan.ignored.join(", ")
            )?;
        }
        let notes: Vec<&String> = plan.notes.iter().chain(&self.notes).collect();
        if !notes.is_empty() {
            writeln!(f, "\nNotes:")?;
            for note in notes {
                writeln!(f, "  {note}")?;
            }
        }
        writeln!(f, "\nNext: vellum --root {} build", self.dest.display())
    }
}
