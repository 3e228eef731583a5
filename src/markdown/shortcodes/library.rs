//! The shortcode templates a site has: the themes' built-ins under `templates/shortcodes/`,
//! and the site's own there, which replace a theme's of the same name (the theme module
//! gathers them, layer over layer). Each is compiled on its own with Tera 2, so one that
//! cannot be (a Hugo or Liquid template copied by `vellum import`, waiting to be rewritten)
//! is a warning at its file and line, not a site that cannot build.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use tera::{Context, Tera};

use crate::error::{Location, Warning};

/// See the module notes.
#[derive(Debug, Default)]
pub struct Library {
    tera: Tera,
    /// The names that compiled (`figure` for `shortcodes/figure.html`).
    names: BTreeSet<String>,
    /// Site values calls may use.
    pub vars: super::liquid::Vars,
    /// `[shortcodes] embed_videos`: YouTube and Vimeo calls embed a player.
    pub embed_videos: bool,
    /// Templates that did not compile.
    pub warnings: Vec<Warning>,
    /// Their names.
    broken: BTreeSet<String>,
    /// Of the templates and settings: when it changes, essays parsed with the old ones must
    /// be parsed again (their warnings, and the library they hold, are stale).
    pub fingerprint: u64,
}

/// What [`Library::new`] needs besides the templates.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub base_url: String,
    pub site_title: String,
    pub embed_videos: bool,
}

impl Library {
    /// Compiles `sources` (`shortcodes/NAME.html` → its file and text). `register` adds the
    /// filters and functions page templates have, so a shortcode can use them too.
    pub fn new(
        sources: &BTreeMap<String, (PathBuf, String)>,
        settings: &Settings,
        register: impl FnOnce(&mut Tera),
    ) -> Library {
        let mut tera = Tera::new();
        register(&mut tera);
        let mut names = BTreeSet::new();
        let mut warnings = Vec::new();
        let mut broken = BTreeSet::new();
        for (name, (origin, text)) in sources {
            let Some(short) = name
                .strip_prefix("shortcodes/")
                .map(|n| n.strip_suffix(".html").unwrap_or(n))
            else {
                continue;
            };
            match tera.add_raw_template(name, text) {
                // `_callout.html` is a part other templates include, not a shortcode.
                Ok(()) if short.starts_with('_') => {}
                Ok(()) => {
                    names.insert(short.to_string());
                }
                Err(e) => {
                    broken.insert(short.to_string());
                    let (line, message) = describe(&e);
                    warnings.push(Warning {
                        at: Location {
                            path: origin.clone(),
                            line,
                        },
                        message: format!(
                            "the shortcode `{short}` is not a Tera template vellum can read ({message}); calls to it are shown as text until it is rewritten"
                        ),
                    });
                }
            }
        }
        let (baseurl, url) = super::liquid::Vars::split_base(&settings.base_url);
        Library {
            tera,
            names,
            vars: super::liquid::Vars {
                baseurl,
                url,
                site_title: settings.site_title.clone(),
                ..Default::default()
            },
            embed_videos: settings.embed_videos,
            warnings,
            broken,
            fingerprint: crate::fingerprint(&(
                sources,
                &settings.base_url,
                &settings.site_title,
                settings.embed_videos,
            )),
        }
    }

    /// The template a call of `name` renders, if there is one: `figure`, or for Jekyll's
    /// include `figure.html`.
    pub fn template(&self, name: &str) -> Option<String> {
        let short = name.strip_suffix(".html").unwrap_or(name);
        self.names
            .contains(short)
            .then(|| format!("shortcodes/{short}.html"))
    }

    /// Whether `name` has a template that did not compile.
    pub fn is_broken(&self, name: &str) -> bool {
        self.broken
            .contains(name.strip_suffix(".html").unwrap_or(name))
    }

    /// Renders `template` (from [`Library::template`]).
    pub fn render(&self, template: &str, context: &Context) -> Result<String, String> {
        self.tera
            .render(template, context)
            .map_err(|e| describe(&e).1)
    }
}

/// A Tera error's line, where it has one, and its message.
fn describe(e: &tera::Error) -> (Option<usize>, String) {
    match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            (Some(report.span().start_line), report.message().to_string())
        }
        // Others come as a drawn report (`error: …`, then the source with a caret): its
        // first line says it, and a warning is one line.
        _ => {
            let text = e.to_string();
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            (None, first.trim_start_matches("error: ").trim().to_string())
        }
    }
}
