//! Essay dates: what front matter and file names may say, and the forms templates and feeds need.
//!
//! A date keeps the wall-clock time the writer typed and its offset (UTC when none was given), so
//! that an essay dated late in the evening in New York is not shown as the next day.
//!
//! Every date is checked to lie in the years [`YEARS`] when it is read: jiff reads dates it
//! cannot turn into a moment (9999-12-31 late in the day) or that feeds cannot carry (a
//! negative year), and such a date would otherwise fail only later, in a template, far from
//! the line that wrote it.

use std::cmp::Ordering;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::fmt::temporal::Pieces;
use jiff::tz::Offset;

/// The years an essay's date may fall in. Year 9998 ends far enough from the last moment jiff
/// knows (9999-12-30T22:00:00Z) that any offset still gives a moment, and year 1 keeps the
/// four-digit, non-negative years that RFC 3339 (Atom, sitemaps) allows.
pub const YEARS: std::ops::RangeInclusive<i16> = 1..=9998;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EssayDate {
    pub civil: DateTime,
    pub offset: Offset,
}

impl EssayDate {
    /// Accepts `2026-11-28`, `2026-11-28T09:30:00`, RFC 3339 with `Z` or an offset, and the
    /// Jekyll form `2026-11-28 09:30:00 +0100`.
    pub fn parse(text: &str) -> Result<EssayDate, String> {
        let text = text.trim();
        if let Ok(pieces) = Pieces::parse(text) {
            let time = pieces.time().unwrap_or(Time::midnight());
            let offset = pieces
                .offset()
                .map(|o| o.to_numeric_offset())
                .unwrap_or(Offset::UTC);
            return EssayDate::checked(DateTime::from_parts(pieces.date(), time), offset, text);
        }
        // What Jekyll (Ruby's Time.parse) and hand-written front matter accept beyond
        // RFC 3339: a space before the time, one-digit hours, months and days, seconds or
        // not, an offset with or without a colon, or none.
        for format in [
            "%Y-%m-%d %H:%M:%S %z",
            "%Y-%m-%d %H:%M:%S %:z",
            "%Y-%m-%d %H:%M:%S%z",
            "%Y-%m-%d %H:%M:%S%:z",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M %z",
            "%Y-%m-%d %H:%M %:z",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d",
        ] {
            if let Ok(parsed) = jiff::fmt::strtime::parse(format, text)
                && let Ok(civil) = parsed.to_datetime()
            {
                let offset = parsed.offset().unwrap_or(Offset::UTC);
                return EssayDate::checked(civil, offset, text);
            }
        }
        Err(format!(
            "`{text}` is not a date; write it as 2026-11-28 or 2026-11-28T09:30:00+01:00"
        ))
    }

    /// A date, if it lies in [`YEARS`]; `text` is what the writer typed, for the message.
    fn checked(civil: DateTime, offset: Offset, text: &str) -> Result<EssayDate, String> {
        if YEARS.contains(&civil.year()) {
            Ok(EssayDate { civil, offset })
        } else {
            Err(format!(
                "`{text}` is out of range; use a date in the years {} to {}",
                YEARS.start(),
                YEARS.end()
            ))
        }
    }

    pub fn from_date(date: Date) -> EssayDate {
        EssayDate {
            civil: DateTime::from(date),
            offset: Offset::UTC,
        }
    }

    /// This date's time of day and offset on the day of `day`: a Jekyll post's date, whose
    /// day comes from its file name and whose time from its front matter.
    pub fn at_time_on(self, day: EssayDate) -> EssayDate {
        EssayDate {
            civil: DateTime::from_parts(day.civil.date(), self.civil.time()),
            offset: self.offset,
        }
    }

    /// Reads a `YYYY-MM-DD-` prefix from a file name: `None` when there is none, an error when
    /// it is a date out of [`YEARS`].
    pub fn from_file_name(stem: &str) -> Option<(Result<EssayDate, String>, &str)> {
        let prefix = stem.get(..10)?;
        let rest = stem.get(10..)?;
        let rest = rest.strip_prefix(['-', '_']).unwrap_or(rest);
        let date: Date = prefix.parse().ok()?;
        Some((
            EssayDate::checked(DateTime::from(date), Offset::UTC, prefix),
            rest,
        ))
    }

    pub fn timestamp(&self) -> Timestamp {
        self.offset
            .to_timestamp(self.civil)
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// `2026-11-28`: the date as the writer typed it.
    pub fn ymd(&self) -> String {
        self.civil.date().to_string()
    }

    pub fn year(&self) -> i16 {
        self.civil.year()
    }

    /// `2026-11-28T09:30:00+01:00`, for Atom and sitemaps.
    pub fn rfc3339(&self) -> String {
        format!(
            "{}{}",
            self.civil.strftime("%Y-%m-%dT%H:%M:%S"),
            rfc3339_offset(self.offset)
        )
    }
}

fn rfc3339_offset(offset: Offset) -> String {
    if offset == Offset::UTC {
        "Z".to_string()
    } else {
        let secs = offset.seconds();
        let sign = if secs < 0 { '-' } else { '+' };
        let secs = secs.unsigned_abs();
        format!("{sign}{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
    }
}

impl PartialOrd for EssayDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for EssayDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.timestamp()
            .cmp(&other.timestamp())
            .then(self.civil.cmp(&other.civil))
    }
}

/// The variable reproducible-build tools set to fix the time a build happens at.
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// The moment a build counts as now, for leaving out essays dated in the future:
/// `SOURCE_DATE_EPOCH` (seconds since 1970) when it is set, so that a build can be repeated
/// byte for byte, else the system clock.
pub fn now() -> Result<Timestamp, String> {
    match std::env::var(SOURCE_DATE_EPOCH) {
        Ok(text) if !text.trim().is_empty() => parse_epoch(&text),
        _ => Ok(Timestamp::now()),
    }
}

fn parse_epoch(text: &str) -> Result<Timestamp, String> {
    text.trim()
        .parse::<i64>()
        .ok()
        .and_then(|seconds| Timestamp::from_second(seconds).ok())
        .ok_or_else(|| {
            format!(
                "`{}` is not a number of seconds since 1970-01-01 (such as 1767225600)",
                text.trim()
            )
        })
}

/// Today in the writer's time zone, for `vellum new` and `vellum init`: the date of [`now`],
/// so that `SOURCE_DATE_EPOCH` sets it too.
pub fn today() -> Result<Date, String> {
    Ok(jiff::tz::TimeZone::system().to_datetime(now()?).date())
}

/// Formats a `YYYY-MM-DD` or RFC 3339 string with strftime; the `date` template filter.
pub fn format(text: &str, format: &str) -> Result<String, String> {
    let date = EssayDate::parse(text)?;
    let zoned = date
        .offset
        .to_timestamp(date.civil)
        .map_err(|e| e.to_string())?
        .to_zoned_datetime(jiff::tz::TimeZone::fixed(date.offset));
    let mut out = String::new();
    std::fmt::Write::write_fmt(&mut out, format_args!("{}", zoned.strftime(format)))
        .map_err(|_| format!("bad date format `{format}`"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_writers_use() {
        for (input, expected) in [
            ("2026-02-10", "2026-02-10T00:00:00Z"),
            ("2026-02-10T08:30:00", "2026-02-10T08:30:00Z"),
            ("2026-02-10T08:30:00Z", "2026-02-10T08:30:00Z"),
            ("2026-02-10T08:30:00-05:00", "2026-02-10T08:30:00-05:00"),
            ("2025-10-03 08:30:00 +0100", "2025-10-03T08:30:00+01:00"),
            // Jekyll's, as Ruby reads them.
            ("2019-04-25 9:00:00", "2019-04-25T09:00:00Z"),
            ("2019-04-25 9:00", "2019-04-25T09:00:00Z"),
            ("2019-04-25 09:00:00 -0500", "2019-04-25T09:00:00-05:00"),
            ("2019-04-25 09:00:00 +01:00", "2019-04-25T09:00:00+01:00"),
            ("2019-04-25 21:07:03+0200", "2019-04-25T21:07:03+02:00"),
            ("2019-4-5", "2019-04-05T00:00:00Z"),
            ("2019-04-25T9:05:00", "2019-04-25T09:05:00Z"),
        ] {
            assert_eq!(
                EssayDate::parse(input).unwrap().rfc3339(),
                expected,
                "{input}"
            );
        }
        assert!(EssayDate::parse("last tuesday").is_err());
        assert!(EssayDate::parse("2026-13-01").is_err());
    }

    #[test]
    fn file_name_prefix() {
        let (date, rest) = EssayDate::from_file_name("2026-03-14-the-second-draft").unwrap();
        assert_eq!(date.unwrap().ymd(), "2026-03-14");
        assert_eq!(rest, "the-second-draft");
        assert!(EssayDate::from_file_name("notes-on-2026").is_none());
        let (date, _) = EssayDate::from_file_name("9999-12-31-the-end").unwrap();
        assert!(date.unwrap_err().contains("out of range"));
    }

    /// Each of these parses, but one could not be turned into a moment (for sorting and the
    /// `date` filter) and the others cannot be written in a feed; all are refused when read.
    #[test]
    fn dates_beyond_what_can_be_shown_are_refused() {
        for text in [
            "9999-12-31T23:59:59Z",
            "9999-12-31",
            "9999-06-01T00:00:00-05:00",
            "-000001-01-01",
            "-009999-01-01T00:00:00Z",
            "0000-01-01",
            "9999-12-31 23:00:00 +0100",
        ] {
            let message = EssayDate::parse(text).expect_err(text);
            assert!(message.contains("out of range"), "{text}: {message}");
        }
        // The edges of the range parse, and turn into moments both ways.
        for text in ["0001-01-01T00:00:00+14:00", "9998-12-31T23:59:59-14:00"] {
            let date = EssayDate::parse(text).expect(text);
            assert!(date.offset.to_timestamp(date.civil).is_ok(), "{text}");
            assert!(format(&date.rfc3339(), "%Y-%m-%d").is_ok(), "{text}");
        }
    }

    #[test]
    fn source_date_epoch_is_whole_seconds() {
        assert_eq!(
            parse_epoch(" 1767225600\n").unwrap().to_string(),
            "2026-01-01T00:00:00Z"
        );
        assert!(parse_epoch("2026-01-01").is_err());
        assert!(parse_epoch("99999999999999999").is_err());
    }

    #[test]
    fn formats_with_strftime() {
        assert_eq!(
            format("2026-02-10", "%B %-d, %Y").unwrap(),
            "February 10, 2026"
        );
    }
}
