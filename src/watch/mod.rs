//! `vellum watch`: build, then rebuild on every change. Events come from notify through its
//! full debouncer (which pairs the halves of a rename and folds bursts), are sorted by
//! [`classify`] into [`Changes`], and are applied to a [`Session`] that kept the site in memory,
//! so a saved essay costs a re-read of that file and a render of the pages that show it.

mod classify;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{PollWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, FileIdMap, new_debouncer, new_debouncer_opt,
};

pub use classify::{Layout, classify};

use crate::error::{Error, Result};
use crate::session::{Changes, Session};
use crate::{BuildOptions, BuildReport};

/// How long a path must be quiet before its events are handed over. Editors' saves (write a
/// temporary file, rename it over) take well under this.
const DEBOUNCE: Duration = Duration::from_millis(5);

/// A batch that only removed essays is often the first half of a save (vim renames the file
/// away before writing it again): wait this much longer for the rest before rebuilding.
const REMOVAL_GRACE: Duration = Duration::from_millis(60);

/// How often, at the most, the output is looked over for files deleted or edited by hand (see
/// [`Session::check_output`]); on a large site, less often, so that looking costs at most 2 %
/// of one core.
const SWEEP: Duration = Duration::from_secs(1);

/// What `watch` was asked to do.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    pub build: BuildOptions,
    /// Poll the file system at this interval instead of relying on native events (network
    /// mounts, some containers).
    pub poll: Option<Duration>,
}

/// What happened after a batch of changes (or at the start).
#[derive(Debug)]
pub enum Outcome {
    Built {
        /// What changed, for the message: `content/a.md`, `vellum.toml`, … (empty at first).
        changed: Vec<String>,
        report: BuildReport,
        took: Duration,
    },
    Failed {
        changed: Vec<String>,
        error: Error,
    },
}

/// Either watcher, so one loop serves both.
enum AnyDebouncer {
    Native(Debouncer<notify::RecommendedWatcher, notify_debouncer_full::RecommendedCache>),
    Poll(Debouncer<PollWatcher, FileIdMap>),
}

impl AnyDebouncer {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            AnyDebouncer::Native(d) => d.watch(path, mode),
            AnyDebouncer::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            AnyDebouncer::Native(d) => d.unwatch(path),
            AnyDebouncer::Poll(d) => d.unwatch(path),
        }
    }
}

/// A folder being watched, and which folder it was when the watch began: native watches
/// follow the folder, not its name, so a folder replaced by another of the same name
/// (`mv content content.old; cp -a content.old content`) must be watched again.
type Watched = Vec<(PathBuf, Option<FolderId>)>;

/// What tells one folder from another of the same name.
type FolderId = (u64, u64);

#[cfg(unix)]
fn folder_id(dir: &Path) -> Option<FolderId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn folder_id(_dir: &Path) -> Option<FolderId> {
    None
}

/// Builds, then rebuilds after every change until `stop` receives (or its sender is dropped),
/// calling `report` after each build. Errors in the site are reported, not returned: the last
/// good site stays on disk and the next good save recovers. Only a failure to watch at all is
/// returned.
pub fn run(
    options: &WatchOptions,
    stop: &Receiver<()>,
    mut report: impl FnMut(&Outcome),
) -> Result<()> {
    let (tx, events) = channel::<DebounceEventResult>();
    let root =
        std::path::absolute(&options.build.root).map_err(|e| Error::io(&options.build.root, e))?;
    let mut debouncer = match options.poll {
        None => AnyDebouncer::Native(
            new_debouncer(DEBOUNCE, None, tx).map_err(|e| watch_error(&root, e))?,
        ),
        Some(interval) => AnyDebouncer::Poll(
            new_debouncer_opt(
                DEBOUNCE.max(interval / 2),
                None,
                tx,
                FileIdMap::new(),
                notify::Config::default().with_poll_interval(interval),
            )
            .map_err(|e| watch_error(&root, e))?,
        ),
    };

    let layout = |session: &Option<Session>| Layout {
        root: root.clone(),
        content: session
            .as_ref()
            .map(|s| s.config().content_dir())
            .unwrap_or_else(|| root.join("content")),
        output: session
            .as_ref()
            .map(|s| s.output_dir().to_path_buf())
            .unwrap_or_else(|| root.join("public")),
    };
    // Watch before the first build, so that nothing saved during it is missed.
    let mut watched = Watched::new();
    watch_folders(&mut debouncer, &layout(&None), &mut watched)?;
    let mut session = start(&options.build, &mut report, Vec::new());

    let mut sweep_at = Instant::now() + SWEEP;
    loop {
        let release = session.as_ref().and_then(Session::next_release);
        let wake = next_batch(&events, stop, &layout(&session).content, release, sweep_at);
        let (mut paths, due, repair) = match wake {
            Some(Wake::Changed(paths)) => (paths, false, false),
            Some(Wake::Due) => (Vec::new(), true, false),
            Some(Wake::Sweep) => {
                let looking = Instant::now();
                let damaged = session.as_mut().is_some_and(Session::check_output);
                sweep_at = Instant::now() + SWEEP.max(looking.elapsed() * 50);
                if !damaged {
                    continue;
                }
                (Vec::new(), false, true)
            }
            None => return Ok(()),
        };
        // A folder replaced under its name is watched again, and everything in it read again.
        let replaced = watch_folders(&mut debouncer, &layout(&session), &mut watched)?;
        paths.extend(replaced);
        let mut changes = classify(&paths, &layout(&session));
        if changes.is_empty() && !due && !repair {
            continue;
        }
        if only_removals(&changes) {
            let deadline = Instant::now() + REMOVAL_GRACE;
            while let Some(wait) = deadline.checked_duration_since(Instant::now()) {
                match events.recv_timeout(wait) {
                    Ok(Ok(batch)) => paths.extend(changed_paths(batch)),
                    Ok(Err(_)) => {}
                    Err(_) => break,
                }
            }
            changes = classify(&paths, &layout(&session));
        }
        let started = Instant::now();
        let mut changed = describe(&changes, &root);
        if repair {
            changed.push("files changed in the output".to_string());
        }
        if due {
            changed.push("a scheduled essay's date came".to_string());
        }
        session = match session {
            Some(mut s) => match s.apply(&changes) {
                Ok(()) => {
                    let result = s.build();
                    tell(&mut report, result, changed, started);
                    Some(s)
                }
                Err(error) => {
                    report(&Outcome::Failed { changed, error });
                    // The configuration or theme could not be loaded: start over next time.
                    None
                }
            },
            None => start(&options.build, &mut report, changed),
        };
        // New folders (a first template, a first static file) need watching too.
        watch_folders(&mut debouncer, &layout(&session), &mut watched)?;
    }
}

/// Opens a session and builds; reports either way.
fn start(
    options: &BuildOptions,
    report: &mut impl FnMut(&Outcome),
    changed: Vec<String>,
) -> Option<Session> {
    let started = Instant::now();
    match Session::open(options) {
        Ok(mut session) => {
            let result = session.build();
            tell(report, result, changed, started);
            Some(session)
        }
        Err(error) => {
            report(&Outcome::Failed { changed, error });
            None
        }
    }
}

fn tell(
    report: &mut impl FnMut(&Outcome),
    result: Result<BuildReport>,
    changed: Vec<String>,
    started: Instant,
) {
    match result {
        Ok(build) => report(&Outcome::Built {
            changed,
            report: build,
            took: started.elapsed(),
        }),
        Err(error) => report(&Outcome::Failed { changed, error }),
    }
}

/// What wakes the watcher.
enum Wake {
    /// Files changed at these paths.
    Changed(Vec<PathBuf>),
    /// A scheduled essay's date has come: it is shown from now on.
    Due,
    /// Time to look over the output for files deleted or edited by hand.
    Sweep,
}

/// Waits for the next batch of changed paths, for `release` (when the next scheduled essay is
/// due), or for `sweep_at`; `None` when told to stop.
fn next_batch(
    events: &Receiver<DebounceEventResult>,
    stop: &Receiver<()>,
    content: &Path,
    release: Option<jiff::Timestamp>,
    sweep_at: Instant,
) -> Option<Wake> {
    loop {
        match stop.try_recv() {
            Ok(()) | Err(std::sync::mpsc::TryRecvError::Disconnected) => return None,
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
        }
        if release.is_some_and(|at| crate::date::now().is_ok_and(|now| now >= at)) {
            return Some(Wake::Due);
        }
        if Instant::now() >= sweep_at {
            return Some(Wake::Sweep);
        }
        match events.recv_timeout(Duration::from_millis(100)) {
            Ok(Ok(batch)) => return Some(Wake::Changed(changed_paths(batch))),
            // An error from the watcher (a folder vanished, an overflow): rescan everything
            // by treating the content folder as changed.
            Ok(Err(_)) => return Some(Wake::Changed(vec![content.to_path_buf()])),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
}

/// The paths of events that change something. Reading a file is an event too (inotify
/// reports opens and closes), and vellum's own reads must not set off another build.
fn changed_paths(batch: Vec<notify_debouncer_full::DebouncedEvent>) -> Vec<PathBuf> {
    batch
        .into_iter()
        .filter(|e| !e.event.kind.is_access())
        .flat_map(|e| e.event.paths)
        .collect()
}

fn only_removals(changes: &Changes) -> bool {
    !changes.config
        && !changes.theme
        && !changes.content.is_empty()
        && changes.content.iter().all(|p| !p.exists())
}

/// Watches the site's folders that exist and are not watched yet: content, templates, static,
/// themes, and the root itself (not recursively) for `vellum.toml` and new folders. A folder
/// that was replaced by another of the same name is watched again; those are returned.
fn watch_folders(
    debouncer: &mut AnyDebouncer,
    layout: &Layout,
    watched: &mut Watched,
) -> Result<Vec<PathBuf>> {
    let mut wanted = vec![(layout.root.clone(), RecursiveMode::NonRecursive)];
    wanted.push((layout.content.clone(), RecursiveMode::Recursive));
    wanted.extend(
        layout
            .theme_dirs()
            .into_iter()
            .map(|d| (d, RecursiveMode::Recursive)),
    );
    let mut replaced = Vec::new();
    for (dir, mode) in wanted {
        let id = folder_id(&dir);
        let known = watched.iter().position(|(d, _)| *d == dir);
        match known {
            Some(i) if watched[i].1 == id => continue,
            Some(i) => {
                // Gone, or another folder now: its old watch is dead.
                let _ = debouncer.unwatch(&dir);
                watched.remove(i);
                if id.is_some() {
                    replaced.push(dir.clone());
                }
            }
            None => {}
        }
        if dir.is_dir() {
            debouncer
                .watch(&dir, mode)
                .map_err(|e| watch_error(&dir, e))?;
            watched.push((dir, id));
        }
    }
    Ok(replaced)
}

fn watch_error(path: &Path, e: notify::Error) -> Error {
    Error::io(path, std::io::Error::other(format!("cannot watch: {e}")))
}

/// `content/a.md`, `templates`, `vellum.toml`: what changed, relative to the root.
fn describe(changes: &Changes, root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if changes.config {
        out.push(crate::config::CONFIG_FILE.to_string());
    }
    if changes.theme {
        out.push("theme".to_string());
    }
    out.extend(
        changes
            .content
            .iter()
            .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string()),
    );
    out
}
