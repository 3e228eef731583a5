//! Dates from git history, for essays that give none, as Hugo's `enableGitInfo` does: a file's
//! first commit dates it, and a later commit gives its `updated`.
//!
//! In comes the site root; out comes a map from each source path (relative to the root, as
//! `source::Source::path` has it) to its [`FileDates`]. A leaf: the session hands the dates
//! to the sources. All of it is read in one
//! `git log` pass over `content/`, not a process per file: a thousand essays cost one process.
//! Without `git`, outside a repository, or for a file never committed, there are no dates
//! and nothing else changes. A shallow clone (CI's default) holds only the newest commits, so
//! its dates would be wrong rather than missing: none are used, and [`History::warning`] says
//! how to fetch the rest.
//!
//! The dates are author dates, with the author's offset: they survive a rebase, and the same
//! commits give the same dates on every machine, so the output stays byte-identical.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::date::EssayDate;
use crate::error::{Location, Warning};

/// What git knows of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileDates {
    /// Its first commit.
    pub first: EssayDate,
    /// Its last commit.
    pub last: EssayDate,
}

impl FileDates {
    /// The `updated` date history gives: the last commit, when there was one after the first.
    /// A file committed once has not been updated (a site moved into git in one commit would
    /// otherwise show every essay as updated that day).
    pub fn updated(&self) -> Option<EssayDate> {
        (self.last > self.first).then_some(self.last)
    }
}

/// The dates of every committed file under `content/`.
#[derive(Debug, Default)]
pub struct History {
    dates: HashMap<PathBuf, FileDates>,
    /// Why there are no dates although the site is in git (a shallow clone).
    pub warning: Option<Warning>,
}

impl History {
    /// The dates of the source at `path`, relative to the site root.
    pub fn get(&self, path: &Path) -> Option<FileDates> {
        self.dates.get(path).copied()
    }

    pub fn len(&self) -> usize {
        self.dates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }
}

/// The message for a shallow clone.
pub const SHALLOW: &str = "this git repository is a shallow clone, so essays without a date are left undated rather than dated by the last commit; fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` for actions/checkout)";

/// Reads the history of `content/` under `root`. Never fails: whatever git cannot tell is
/// simply not known.
pub fn read(root: &Path) -> History {
    let Some(shallow) = shallow(root) else {
        return History::default();
    };
    if shallow {
        return History {
            dates: HashMap::new(),
            warning: Some(Warning {
                at: Location::file("content"),
                message: SHALLOW.to_string(),
            }),
        };
    }
    // `-z` keeps odd file names as they are (no quoting); `--relative` gives paths from the
    // site root, and only those under it, even when the repository's top is above it; `%aI`
    // is strict ISO 8601. No pathspec: limiting to `content/` by pathspec makes git compare
    // each commit's trees twice (to simplify history, then to list files), twice the time of
    // keeping the lines under `content/` here. No rename detection: it reads file contents
    // (slow in the blobless clones some hosts make), and a file's history ends at a rename
    // anyway. A signature check configured for `log` would add lines, so it is turned off.
    let output = git(root)
        .args(["-c", "log.showSignature=false", "log", "-z", "--no-renames"])
        .args(["--relative", "--name-only", "--format=%x01%aI"])
        .output();
    match output {
        Ok(output) if output.status.success() => History {
            dates: parse_log(&String::from_utf8_lossy(&output.stdout)),
            warning: None,
        },
        _ => History::default(),
    }
}

/// Whether the repository holding `root` is shallow; `None` when `root` is not in one (or
/// there is no `git`).
fn shallow(root: &Path) -> Option<bool> {
    let output = git(root)
        .args(["rev-parse", "--is-shallow-repository", "--git-dir"])
        .output()
        .ok()
        .filter(|output| output.status.success())?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = text.lines();
    let said = lines.next()?.trim();
    // Before git 2.15 the flag is not known and comes back as written: the `shallow` file
    // in the git folder tells instead.
    let git_dir = root.join(lines.next()?.trim());
    Some(said == "true" || git_dir.join("shallow").exists())
}

fn git(root: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .current_dir(root)
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Reads `git log -z --name-only --format=%x01<date>` output: each commit is `\x01<date>\0`,
/// then its files, each ending in `\0` (the first after a `\n`); files outside `content/`
/// are left out. Commits come newest first,
/// but the dates are compared rather than trusted to that order (author dates need not
/// follow it).
fn parse_log(log: &str) -> HashMap<PathBuf, FileDates> {
    let mut dates: HashMap<PathBuf, FileDates> = HashMap::new();
    let mut current = None;
    for field in log.split('\0') {
        let field = field.strip_prefix('\n').unwrap_or(field);
        if let Some(date) = field.strip_prefix('\x01') {
            current = EssayDate::parse(date).ok();
            continue;
        }
        let (Some(date), true) = (current, field.starts_with("content/")) else {
            continue;
        };
        dates
            .entry(PathBuf::from(field))
            .and_modify(|known| {
                known.first = known.first.min(date);
                known.last = known.last.max(date);
            })
            .or_insert(FileDates {
                first: date,
                last: date,
            });
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_gives_each_file_its_first_and_last_commit() {
        let log = "\x012021-01-02T03:04:05-05:00\0\ncontent/a.md\0\
                   \x012019-06-01T00:00:00Z\0\ncontent/a b.md\0content/a.md\0\
                   \x01not a date\0\ncontent/c.md\0\
                   \x012018-01-01T00:00:00Z\0\nstatic/a.md\0vellum.toml\0\
                   \x012020-01-02T03:04:05+01:00\0\ncontent/a.md\0";
        let dates = parse_log(log);
        let a = dates[Path::new("content/a.md")];
        assert_eq!(a.first.rfc3339(), "2019-06-01T00:00:00Z");
        assert_eq!(a.last.rfc3339(), "2021-01-02T03:04:05-05:00");
        assert_eq!(a.updated(), Some(a.last));
        let spaced = dates[Path::new("content/a b.md")];
        assert_eq!(spaced.first, spaced.last);
        assert_eq!(spaced.updated(), None, "committed once: not updated");
        assert!(!dates.contains_key(Path::new("content/c.md")));
        assert_eq!(dates.len(), 2);
    }
}
