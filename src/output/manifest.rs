//! What vellum wrote into the output folder, and so may overwrite or remove there: the
//! manifest, `.vellum-manifest` at the top of the output. Anything else in the folder is the
//! user's (`CNAME`, `.well-known/`, a hand-made page) and is left alone; a page that would land
//! on one of them stops the build instead.
//!
//! File names may hold any character but `/` and NUL, newlines included, so one name per line
//! would let a name such as `photo\nnotes.pdf` claim a second file (`notes.pdf`) it never
//! wrote. Names are escaped (`\\`, `\n`, `\r`, `\t`), and a line that does not unescape is
//! ignored: a record cannot be forged by a file name. The build record uses the same escaping.

use std::borrow::Cow;
use std::path::Path;

use rustc_hash::FxHashSet;

use crate::error::{Error, Result};

/// The file listing what the last build wrote.
pub const MANIFEST: &str = ".vellum-manifest";

/// The first line of a manifest in this format. Older manifests had none, and no escaping.
const HEADER: &str = "# vellum manifest 2: the files vellum wrote here, one a line, \\-escaped";

/// The output paths (relative, `/`-separated) that vellum wrote.
pub type Owned = FxHashSet<String>;

/// `name` with `\`, newline, carriage return and tab escaped, so that it fits on one line of a
/// tab-separated file.
pub fn escape(name: &str) -> Cow<'_, str> {
    if !name.contains(['\\', '\n', '\r', '\t']) {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The name [`escape`] turned into `field`; `None` if `field` could not have come from it (a
/// raw control character, or an unknown escape).
pub fn unescape(field: &str) -> Option<Cow<'_, str>> {
    if field.contains(['\n', '\r', '\t']) {
        return None;
    }
    if !field.contains('\\') {
        return Some(Cow::Borrowed(field));
    }
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            '\\' => '\\',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            _ => return None,
        });
    }
    Some(Cow::Owned(out))
}

/// Whether `path` is a safe relative output path: no empty, `.` or `..` parts, not absolute.
/// A manifest edited by hand (or planted) must not reach outside the output.
pub fn is_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\0')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// What the manifest in `dir` lists (empty when there is none), and whether it is in this
/// version's format (an older one is written again).
pub fn read(dir: &Path) -> (Owned, bool) {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
    let mut lines = text.lines().peekable();
    let escaped = lines.peek() == Some(&HEADER);
    if escaped {
        lines.next();
    }
    let owned = lines
        .filter_map(|line| {
            if escaped {
                unescape(line).map(Cow::into_owned)
            } else {
                Some(line.to_string())
            }
        })
        .filter(|path| is_inside(path))
        .collect();
    (owned, escaped)
}

/// The manifest's text for `paths`, sorted so that it is the same from build to build.
pub fn text<'a>(paths: impl Iterator<Item = &'a String>) -> String {
    let mut sorted: Vec<&str> = paths.map(String::as_str).collect();
    sorted.sort_unstable();
    let mut text = String::with_capacity(sorted.len() * 32 + HEADER.len() + 1);
    text.push_str(HEADER);
    text.push('\n');
    for path in sorted {
        text.push_str(&escape(path));
        text.push('\n');
    }
    text
}

/// A page whose path would be the manifest itself (a slug of `.vellum-manifest`) or vellum's
/// temporary names cannot be written: it would be overwritten, or taken for a leftover.
pub fn check_reserved(path: &str, origin: &str) -> Result<()> {
    let first = path.split('/').next().unwrap_or(path);
    if first == MANIFEST || path.split('/').any(|part| part.ends_with(super::TEMPORARY)) {
        return Err(Error::content(
            crate::Location::file(origin),
            format!("its output `{path}` is a name vellum keeps for itself; give it another slug"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_comes_back_from_its_escape_on_one_line() {
        for name in [
            "plain",
            "a\nb",
            "photo\nnotes.pdf",
            "x\\ny",
            "\\",
            "t\tr\r",
            "é ü",
        ] {
            let escaped = escape(name);
            assert!(!escaped.contains(['\n', '\r', '\t']), "{escaped:?}");
            assert_eq!(unescape(&escaped).as_deref(), Some(name));
        }
    }

    #[test]
    fn a_line_that_no_name_escapes_to_is_refused() {
        assert_eq!(unescape("a\\qb"), None);
        assert_eq!(unescape("trailing\\"), None);
        assert_eq!(unescape("raw\ttab"), None);
    }

    #[test]
    fn a_name_with_a_newline_claims_no_second_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let owned: Owned = ["photo\nnotes.pdf", "index.html"]
            .map(String::from)
            .into_iter()
            .collect();
        std::fs::write(dir.path().join(MANIFEST), text(owned.iter())).expect("write");
        let (read, current) = read(dir.path());
        assert!(current);
        assert_eq!(read, owned);
        assert!(!read.contains("notes.pdf"));
    }

    #[test]
    fn paths_that_leave_the_output_are_dropped() {
        for bad in ["../x", "a/../../x", "/etc/passwd", "a//b", "./a", ""] {
            assert!(!is_inside(bad), "{bad}");
        }
        assert!(is_inside("a/b.html"));
        assert!(is_inside(".well-known/x"));
    }
}
