//! A loaded site kept in memory between builds: the configuration, the theme, every essay
//! parsed (or the error that stopped it), the files under `content/`, and the fingerprint of
//! every output file. `vellum build` uses one for a single build; `vellum watch` keeps it and
//! applies [`Changes`] to it, re-reading only the files that changed and re-rendering only the
//! pages whose inputs changed (see `render::plan`). Either way the written site is the same.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::content::{self, Item};
use crate::error::{Error, Location, Result, Warning};
use crate::essay::Essay;
use crate::history::{self, History};
use crate::output::OutputFile;
use crate::render::{self, Fingerprints};
use crate::site::{Site, Visibility};
use crate::source::{self, Asset, Source};
use crate::theme::Theme;
use crate::{BuildOptions, BuildReport, Stopwatch, output};

/// A file of `content/` as last read: an essay or a section, with its warning, or the error
/// that stopped it.
type Parsed = std::result::Result<(Item, Option<Warning>), Error>;

/// What changed on disk since the last build, as sorted out by `watch::classify`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// `vellum.toml`: everything is loaded again.
    pub config: bool,
    /// Templates, static files or themes: the theme is loaded again and every page rendered.
    pub theme: bool,
    /// Files or folders under `content/` that were created, changed or removed.
    pub content: Vec<PathBuf>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        !self.config && !self.theme && self.content.is_empty()
    }
}

/// See the module notes.
#[derive(Debug)]
pub struct Session {
    options: BuildOptions,
    config: Config,
    output_dir: PathBuf,
    theme: Theme,
    /// By absolute path of the source file.
    essays: BTreeMap<PathBuf, Parsed>,
    /// By absolute path.
    assets: BTreeMap<PathBuf, Asset>,
    /// From walking `content/` (symlink loops) and reading its history (a shallow clone).
    walk_warnings: Vec<Warning>,
    /// Git's dates for the sources, read once when the session opens: a file saved while
    /// watching is not committed yet, so it would be undated however often this was read.
    history: History,
    /// Of the files on disk as last written; `None` until a build has looked (the first
    /// build takes them from the record of the last build, see [`output::previous_build`]).
    fingerprints: Option<Fingerprints>,
    /// Size and modification time of each file as last written, for that record.
    stamps: output::Stamps,
    /// What vellum owns in the output, as the last build left it; `None` until a build has
    /// read the manifest.
    owned: Option<output::Owned>,
    /// Whether a build has succeeded: the first build of a session puts the whole site in
    /// place at once, later ones (watch) write file by file (see `output`).
    built: bool,
    clock: Stopwatch,
}

impl Session {
    /// Loads everything. Fails only when nothing can be built at all (a broken `vellum.toml`
    /// or theme, an unsafe output folder); broken essays are kept and reported by [`build`].
    ///
    /// [`build`]: Session::build
    pub fn open(options: &BuildOptions) -> Result<Session> {
        let mut clock = Stopwatch::start();
        let mut config = config::load(&options.root)?;
        if let Some(url) = &options.base_url {
            config.base_url = config::normalize_base_url(url).map_err(|message| Error::Config {
                at: Location::file("--base-url"),
                message,
            })?;
        }
        let output_dir = output::resolve_output_dir(&config.root, options.output.as_deref())?;
        let content_dir = config.content_dir();
        // The one `git log` pass runs while the walk reads the files.
        let languages = config.language_codes();
        let (content, history) = rayon::join(
            || source::load(&config.root, &content_dir, &content_dir, &languages),
            || history::read(&config.root),
        );
        let mut content = content?;
        date_from(&history, &mut content.sources);
        content.warnings.extend(history.warning.clone());
        crate::markdown::code_cache::load(&output::cache_dir(&config.root));
        clock.lap("load");
        let mut essays: BTreeMap<PathBuf, Parsed> = content
            .errors
            .into_iter()
            .map(|(path, error)| (path, Err(error)))
            .collect();
        // The theme first: its shortcode templates render the essays' calls.
        let theme = Theme::load(&config)?;
        clock.lap("templates");
        essays.extend(parse(content.sources, &config, &theme));
        clock.lap("parse");
        Ok(Session {
            options: options.clone(),
            config,
            output_dir,
            theme,
            essays,
            assets: content
                .assets
                .into_iter()
                .map(|a| (a.from.clone(), a))
                .collect(),
            walk_warnings: content.warnings,
            history,
            fingerprints: None,
            stamps: output::Stamps::default(),
            owned: None,
            built: false,
            clock,
        })
    }

    /// Renders what changed since the last build and writes it. Nothing is written unless
    /// every essay and page is good.
    pub fn build(&mut self) -> Result<BuildReport> {
        let record = self.record_path();
        let previous = match self.fingerprints.take() {
            // What this session wrote, less what it has since seen changed in the output
            // (see `check_output`); a missing output folder is made whole again.
            Some(mut previous) => {
                if !self.output_dir.is_dir() {
                    output::record::forget_all(&mut previous);
                }
                previous
            }
            None => {
                let (previous, stamps) = output::previous_build(&record, &self.output_dir);
                self.stamps = stamps;
                previous
            }
        };
        // Broken links between essays stop a build (`check` reports them instead), unless
        // `[links] broken = "warn"`.
        let warn_only = self.config.broken_links == crate::config::BrokenLinks::Warn;
        let collected = self
            .collect()
            .and_then(|(site, mut warnings)| match site.links.error() {
                Some(_) if warn_only => {
                    warnings.extend(site.links.broken.iter().map(|b| Warning {
                        at: b.at.clone(),
                        message: b.message.clone(),
                    }));
                    Ok((site, warnings))
                }
                Some(error) => Err(error),
                None => Ok((site, warnings)),
            });
        let (site, mut warnings) = match collected {
            Ok(collected) => collected,
            Err(error) => {
                self.fingerprints = Some(previous);
                self.clock = Stopwatch::start();
                return Err(error);
            }
        };
        self.clock.lap("collect");
        // Until the write completes, the disk may not match any fingerprints.
        let output_dir = self.output_dir.clone();
        let mut write = output::WriteReport::default();
        let mut writing = Duration::ZERO;
        let (mut writer, refused) = output::Writer::new(
            &output_dir,
            !self.built,
            self.owned.take(),
            &self.config.root,
            record.with_extension("writing"),
        );
        warnings.extend(refused.map(|message| Warning {
            at: Location::file(&output_dir),
            message,
        }));
        let stamps = &mut self.stamps;
        let minifying = self.options.minify;
        let mut sink = |mut files: Vec<OutputFile>| {
            if minifying {
                crate::minify::minify(&mut files)?;
            }
            let started = Instant::now();
            let result = writer.stage(&files, &mut write, stamps);
            writing += started.elapsed();
            result
        };
        let result = render::render(&site, &mut self.theme, Some(&previous), &mut sink);
        let rendered = match result {
            Ok(rendered) => rendered,
            Err(error) => {
                // Nothing was put in place, so the disk still matches the old fingerprints.
                writer.rollback();
                self.fingerprints = Some(previous);
                self.clock = Stopwatch::start();
                return Err(error);
            }
        };
        let started = Instant::now();
        // Files whose fingerprints matched were not even rendered: they are unchanged too.
        write.unchanged += rendered.fingerprints.len() - rendered.rendered;
        let committed = writer.commit(
            &rendered.fingerprints,
            rendered.same_files,
            &mut write,
            &mut self.stamps,
        );
        writing += started.elapsed();
        match committed {
            Ok(owned) => self.owned = Some(owned),
            Err(error) => {
                // Some files may be in place (in place only): the next build reads the record
                // again and checks.
                self.clock = Stopwatch::start();
                return Err(error);
            }
        }
        self.built = true;
        self.clock.lap_less("render", writing);
        // With nothing rendered and the same files, the record would be written unchanged.
        if rendered.rendered > 0 || !rendered.same_files {
            output::write_record(&record, &rendered.fingerprints, &self.stamps);
        }
        crate::markdown::code_cache::save(&output::cache_dir(&self.config.root));
        self.clock.lap_plus("write", writing);
        let files = rendered.fingerprints.len();
        self.fingerprints = Some(rendered.fingerprints);
        warnings.sort();
        let timings = std::mem::replace(&mut self.clock, Stopwatch::start()).laps;
        Ok(BuildReport {
            output: self.output_dir.clone(),
            essays: site.essays.len(),
            pages: site.pages.len(),
            files,
            rendered: rendered.rendered,
            write,
            warnings,
            timings,
            highlight: crate::markdown::highlight::take_time(),
            templates: rendered.templates,
        })
    }

    /// Renders every file of the site as a build would and hands them to `sink`, writing
    /// nothing: `vellum check` looks at the site this way. Returns the site rendered and the
    /// build's warnings.
    pub fn render_into(
        &mut self,
        sink: &mut dyn FnMut(Vec<OutputFile>) -> Result<()>,
    ) -> Result<(Site, Vec<Warning>)> {
        let (site, warnings) = self.collect()?;
        render::render(&site, &mut self.theme, None, sink)?;
        Ok((site, warnings))
    }

    /// The site the next build renders, and the warnings so far; every broken essay as one
    /// error.
    fn collect(&self) -> Result<(Site, Vec<Warning>)> {
        let errors: Vec<Error> = self
            .essays
            .values()
            .filter_map(|parsed| parsed.as_ref().err().map(Error::duplicate))
            .collect();
        if let Some(error) = Error::collect(errors) {
            return Err(error);
        }
        let mut warnings: Vec<Warning> = self.walk_warnings.clone();
        warnings.extend(self.theme.shortcodes.warnings.iter().cloned());
        let mut essays = Vec::with_capacity(self.essays.len());
        let mut sections = Vec::new();
        let mut undated = Vec::new();
        for (item, warning) in self.essays.values().flatten() {
            match item {
                Item::Essay(essay) => {
                    warnings.extend(essay.math_errors.iter().cloned());
                    warnings.extend(essay.shortcode_warnings.iter().cloned());
                    essays.push(Arc::clone(essay));
                }
                Item::Section(section) => {
                    warnings.extend(section.shortcode_warnings.iter().cloned());
                    sections.push(Arc::clone(section));
                }
            }
            undated.extend(warning.clone());
        }
        // A site's own file in place of a generated one is a choice, said once (see
        // `render::plan`).
        for name in ["robots.txt", "404.html"] {
            if let Some(crate::theme::StaticFile::Disk(path)) = self.theme.static_files.get(name) {
                warnings.push(Warning {
                    at: Location::file(source::relative(&self.config.root, path)),
                    message: format!("copied in place of the generated {name}"),
                });
            }
        }
        if !self.config.has_absolute_base_url() {
            warnings.push(Warning {
                at: Location::file(config::CONFIG_FILE),
                message: "no full base_url (such as https://example.com/); the feed and canonical links will hold relative URLs".to_string(),
            });
        }
        let visibility = self.visibility()?;
        let site = Site::collect(
            self.config.clone(),
            essays,
            sections,
            self.assets.values().cloned().collect(),
            &visibility,
        );
        // A page or a translation needs no date: it is listed nowhere. Whether a file is a
        // page can depend on another file (a root `_index.md`), so its warning is dropped
        // only now.
        let unlisted: std::collections::HashSet<&Path> = site
            .with_editions()
            .flat_map(|s| &s.pages)
            .map(|p| p.source.as_path())
            .collect();
        if !unlisted.is_empty() {
            undated.retain(|w| !unlisted.contains(w.at.path.as_path()));
        }
        warnings.extend(undated);
        Ok((site, warnings))
    }

    /// Looks at every file the last build wrote: true when one was deleted or edited by hand
    /// (or the output folder removed), so that the next build makes it again. `watch` calls
    /// this while it waits, rather than in each rebuild, where a stat of every file of a large
    /// site would cost more than the rebuild.
    pub fn check_output(&mut self) -> bool {
        let Some(fingerprints) = self.fingerprints.take() else {
            return false;
        };
        let (checked, changed) =
            output::record::still_as_written(&self.output_dir, fingerprints, &self.stamps);
        self.fingerprints = Some(checked);
        changed
    }

    /// Which essays a build shows now.
    pub fn visibility(&self) -> Result<Visibility> {
        let now = crate::date::now().map_err(|message| Error::Config {
            at: Location::file(crate::date::SOURCE_DATE_EPOCH),
            message,
        })?;
        Ok(Visibility {
            drafts: self.options.drafts,
            future: self.options.future,
            now,
        })
    }

    /// Every essay and page that parsed, shown or not (drafts, future), in source order.
    pub fn essays(&self) -> impl Iterator<Item = &Essay> {
        self.essays
            .values()
            .flatten()
            .filter_map(|(item, _)| match item {
                Item::Essay(essay) => Some(essay.as_ref()),
                Item::Section(_) => None,
            })
    }

    /// When the next scheduled essay (dated after now, and shown once its date comes) is due:
    /// a watcher builds again then, without waiting for a file to change.
    pub fn next_release(&self) -> Option<jiff::Timestamp> {
        let visibility = self.visibility().ok()?;
        if visibility.future {
            return None;
        }
        self.essays()
            .filter(|essay| visibility.drafts || !essay.draft)
            .filter_map(|essay| essay.date.map(|d| d.timestamp()))
            .filter(|&at| at > visibility.now)
            .min()
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// Takes in what changed on disk; the next [`build`](Session::build) renders from it.
    pub fn apply(&mut self, changes: &Changes) -> Result<()> {
        self.clock = Stopwatch::start();
        if changes.config {
            let fingerprints = self.fingerprints.take();
            let stamps = std::mem::take(&mut self.stamps);
            let (owned, built) = (self.owned.take(), self.built);
            *self = Session::open(&self.options)?;
            // The configuration is in every fingerprint, so nothing stale is skipped.
            self.fingerprints = fingerprints;
            self.stamps = stamps;
            self.owned = owned;
            self.built = built;
            return Ok(());
        }
        if changes.theme {
            let theme = Theme::load(&self.config)?;
            if theme.shortcodes.fingerprint != self.theme.shortcodes.fingerprint {
                // Each essay holds the shortcode templates it was read with, and their
                // warnings: every one is read again, as after a change of configuration.
                return self.apply(&Changes {
                    config: true,
                    ..Changes::default()
                });
            }
            self.theme = theme;
            self.clock.lap("templates");
        }
        if !changes.content.is_empty() {
            self.reload_content(&changes.content)?;
            self.clock.lap("parse");
        }
        Ok(())
    }

    /// Re-reads the essays and files at (or under) `paths`.
    fn reload_content(&mut self, paths: &[PathBuf]) -> Result<()> {
        let content_dir = self.config.content_dir();
        let root = self.config.root.clone();
        let mut sources = Vec::new();
        // A bundle's `index.md` coming or going makes the other text files in its folder
        // attachments or essays again: the whole folder is read again.
        let paths: std::collections::BTreeSet<PathBuf> = paths
            .iter()
            .map(|path| {
                let path = root.join(path);
                match path
                    .strip_prefix(&content_dir)
                    .ok()
                    .and_then(source::bundle_of)
                {
                    Some(bundle) => content_dir.join(bundle),
                    None => path,
                }
            })
            .collect();
        for path in paths {
            // Whatever was at or under this path is gone unless it is found again.
            forget_under(&mut self.essays, &path);
            forget_under(&mut self.assets, &path);
            if !path.starts_with(&content_dir) || !path.exists() {
                continue;
            }
            let mut found =
                source::load(&root, &content_dir, &path, &self.config.language_codes())?;
            date_from(&self.history, &mut found.sources);
            sources.extend(found.sources);
            for (path, error) in found.errors {
                self.essays.insert(path, Err(error));
            }
            self.assets
                .extend(found.assets.into_iter().map(|a| (a.from.clone(), a)));
        }
        let parsed = parse(sources, &self.config, &self.theme);
        self.essays.extend(parsed);
        Ok(())
    }

    /// The record of builds into the output folder. A minified build keeps its own: the same
    /// inputs make other bytes, so the other's fingerprints would skip pages that differ.
    fn record_path(&self) -> PathBuf {
        let record = output::record_path(&self.config.root, &self.output_dir);
        if self.options.minify {
            record.with_extension("minified.tsv")
        } else {
            record
        }
    }

    pub fn output_dir(&self) -> &Path {
        &self.output_dir
    }

    pub fn config(&self) -> &Config {
        &self.config
    }
}

/// Removes `path` and everything under it. Paths order by component, so those are one run of
/// keys starting at `path`: no need to look at the rest of a large site.
fn forget_under<V>(map: &mut BTreeMap<PathBuf, V>, path: &Path) {
    let doomed: Vec<PathBuf> = map
        .range(path.to_path_buf()..)
        .map(|(known, _)| known)
        .take_while(|known| known.starts_with(path))
        .cloned()
        .collect();
    for known in doomed {
        map.remove(&known);
    }
}

/// Gives each source the dates git history has for it (see `essay::parse` for which it uses).
fn date_from(history: &History, sources: &mut [Source]) {
    if history.is_empty() {
        return;
    }
    for source in sources {
        source.history = history.get(&source.path);
    }
}

/// Parses sources in parallel, keyed by their absolute paths.
fn parse(sources: Vec<Source>, config: &Config, theme: &Theme) -> Vec<(PathBuf, Parsed)> {
    sources
        .into_par_iter()
        .map(|source| {
            let abs = source.abs.clone();
            (abs, content::read(source, config, &theme.shortcodes))
        })
        .collect()
}
