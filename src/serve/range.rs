//! Which bytes of a file a request asks for: its `Range` header, read with
//! `http-range-header`, against the file's length.
//!
//! In: the `Range` value (if any), whether `If-Range` was sent, and the length of what would be
//! served. Out: the whole file, one part of it (206) or nothing it could have (416). Only one
//! part is ever sent: a request for several gets the first, which RFC 9110 allows (the reply's
//! `Content-Range` says which bytes it holds), and which never multiplies the bytes sent.

use std::ops::RangeInclusive;

use http_range_header::{RangeUnsatisfiableError, parse_range_header};

/// What to send of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Selection {
    /// All of it, status 200.
    Full,
    /// These bytes, status 206.
    Part(RangeInclusive<u64>),
    /// No byte asked for exists: 416, with `Content-Range: bytes */len`.
    Unsatisfiable,
}

/// The selection for a request with this `Range` (and perhaps `If-Range`) on `len` bytes.
pub(crate) fn select(range: Option<&str>, if_range: bool, len: u64) -> Selection {
    // vellum sends no validators (the preview is never cached), so no `If-Range` can match;
    // RFC 9110 then asks for the whole file.
    let Some(range) = range.filter(|_| !if_range) else {
        return Selection::Full;
    };
    let ranges = parse_range_header(range).and_then(|parsed| parsed.validate(len));
    match ranges {
        // An empty file has no bytes to select; the whole (empty) file is the answer.
        Ok(ranges) => ranges
            .into_iter()
            .next()
            .map_or(Selection::Full, Selection::Part),
        Err(RangeUnsatisfiableError::Unsatisfiable | RangeUnsatisfiableError::Rejected(_)) => {
            Selection::Unsatisfiable
        }
        // A header that does not parse is ignored, as RFC 9110 says.
        Err(_) => Selection::Full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_range_in_each_form() {
        assert_eq!(
            select(Some("bytes=0-99"), false, 1000),
            Selection::Part(0..=99)
        );
        assert_eq!(
            select(Some("bytes=990-"), false, 1000),
            Selection::Part(990..=999)
        );
        assert_eq!(
            select(Some("bytes=-10"), false, 1000),
            Selection::Part(990..=999)
        );
        // An end past the file is cut to it.
        assert_eq!(
            select(Some("bytes=500-5000"), false, 1000),
            Selection::Part(500..=999)
        );
    }

    #[test]
    fn several_ranges_get_the_first() {
        assert_eq!(
            select(Some("bytes=0-9, 100-109"), false, 1000),
            Selection::Part(0..=9)
        );
    }

    #[test]
    fn bytes_past_the_end_are_unsatisfiable() {
        assert_eq!(
            select(Some("bytes=1000-"), false, 1000),
            Selection::Unsatisfiable
        );
        assert_eq!(
            select(Some("bytes=0-0"), false, 0),
            Selection::Unsatisfiable
        );
    }

    #[test]
    fn no_range_nonsense_or_if_range_get_the_whole_file() {
        assert_eq!(select(None, false, 1000), Selection::Full);
        assert_eq!(select(Some("lines=1-2"), false, 1000), Selection::Full);
        assert_eq!(select(Some("bytes=0-99"), true, 1000), Selection::Full);
    }
}
