//! Errors and warnings. Every variant that concerns a file carries a [`Location`] so that the
//! message names the file (and the line, where there is one); `main` prints them as they are.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in the site's files: a path relative to the site root, and a 1-based line in that
/// file (not in the front-matter block) when the problem has one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub path: PathBuf,
    pub line: Option<usize>,
}

impl Location {
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            line: None,
        }
    }

    pub fn line(path: impl Into<PathBuf>, line: usize) -> Self {
        Location {
            path: path.into(),
            line: Some(line),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.path.display()),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: DisplayPath,
        #[source]
        source: std::io::Error,
    },
    #[error("{at}: {message}")]
    Config { at: Location, message: String },
    #[error("{at}: {message}")]
    Content { at: Location, message: String },
    #[error("{first} and {second} both produce `{output}`; give one of them another `slug`")]
    Collision {
        first: String,
        second: String,
        output: String,
    },
    /// Two output paths that differ only in case: one file on the case-insensitive file
    /// systems of macOS and Windows, so one would overwrite the other in a checkout there.
    #[error(
        "{at}: `{path}` differs from `{other_path}` ({other}) only in case, and on macOS and Windows they are one file; give one of them another name"
    )]
    CaseCollision {
        /// What makes `path`: a file, with its line and field where there are ones.
        at: String,
        path: String,
        other: String,
        other_path: String,
    },
    #[error(
        "{file} writes `{path}` as a file, but {inside} needs `{path}/` to be a folder; rename one of them"
    )]
    FileOverFolder {
        file: String,
        inside: String,
        path: String,
    },
    #[error("{at}: template error{}: {message}", essay_suffix(.essay))]
    Template {
        at: Location,
        essay: Option<PathBuf>,
        message: String,
    },
    #[error(
        "{}: vellum did not write this file, and {needed}; move it out of the output folder (vellum never overwrites or removes a file it did not write)",
        .path.display()
    )]
    NotOurs { path: PathBuf, needed: String },
    #[error("refusing to write the site into {}: {reason}", .output.display())]
    UnsafeOutput { output: PathBuf, reason: String },
    #[error("{}", join_errors(.0))]
    Many(Vec<Error>),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: DisplayPath(path.into()),
            source,
        }
    }

    pub fn content(at: Location, message: impl Into<String>) -> Self {
        Error::Content {
            at,
            message: message.into(),
        }
    }

    /// Folds several errors into one, flattening nested lists; `None` when there are none.
    pub fn collect(errors: Vec<Error>) -> Option<Error> {
        let mut flat = Vec::with_capacity(errors.len());
        for error in errors {
            match error {
                Error::Many(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        // One order whatever the threads did: by message, which starts with the file's path.
        flat.sort_by_cached_key(|e| e.to_string());
        match flat.len() {
            0 => None,
            1 => flat.pop(),
            _ => Some(Error::Many(flat)),
        }
    }

    /// A copy, for errors kept between builds and reported again (`io::Error` is not `Clone`;
    /// its kind and message are kept).
    pub fn duplicate(&self) -> Error {
        match self {
            Error::Io { path, source } => Error::Io {
                path: DisplayPath(path.0.clone()),
                source: std::io::Error::new(source.kind(), source.to_string()),
            },
            Error::Config { at, message } => Error::Config {
                at: at.clone(),
                message: message.clone(),
            },
            Error::Content { at, message } => Error::Content {
                at: at.clone(),
                message: message.clone(),
            },
            Error::Collision {
                first,
                second,
                output,
            } => Error::Collision {
                first: first.clone(),
                second: second.clone(),
                output: output.clone(),
            },
            Error::CaseCollision {
                at,
                path,
                other,
                other_path,
            } => Error::CaseCollision {
                at: at.clone(),
                path: path.clone(),
                other: other.clone(),
                other_path: other_path.clone(),
            },
            Error::FileOverFolder { file, inside, path } => Error::FileOverFolder {
                file: file.clone(),
                inside: inside.clone(),
                path: path.clone(),
            },
            Error::Template { at, essay, message } => Error::Template {
                at: at.clone(),
                essay: essay.clone(),
                message: message.clone(),
            },
            Error::NotOurs { path, needed } => Error::NotOurs {
                path: path.clone(),
                needed: needed.clone(),
            },
            Error::UnsafeOutput { output, reason } => Error::UnsafeOutput {
                output: output.clone(),
                reason: reason.clone(),
            },
            Error::Many(errors) => Error::Many(errors.iter().map(Error::duplicate).collect()),
        }
    }

    /// Both errors, as one.
    pub fn and(self, other: Error) -> Error {
        match Error::collect(vec![self, other]) {
            Some(error) => error,
            None => unreachable!("two errors collect into one"),
        }
    }

    /// The individual errors, for callers that print one per line.
    pub fn flatten(&self) -> Vec<&Error> {
        match self {
            Error::Many(inner) => inner.iter().collect(),
            other => vec![other],
        }
    }
}

/// A path shown as it is, so `Error::Io` can derive `Display`.
#[derive(Debug)]
pub struct DisplayPath(pub PathBuf);

impl fmt::Display for DisplayPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.display().fmt(f)
    }
}

impl AsRef<Path> for DisplayPath {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

fn essay_suffix(essay: &Option<PathBuf>) -> String {
    essay
        .as_ref()
        .map(|p| format!(" while rendering {}", p.display()))
        .unwrap_or_default()
}

fn join_errors(errors: &[Error]) -> String {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

/// Something worth telling the writer that does not stop the build.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub at: Location,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Turns a byte offset into a 1-based line number.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
