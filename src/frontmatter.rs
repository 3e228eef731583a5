//! Front matter: TOML between `+++` lines or YAML between `---` lines, read into [`FrontMatter`].
//!
//! Fields from Zola, Hugo and Jekyll are understood under their own names (see
//! `docs/migrating.md`), so essays moved over build unchanged. Keys vellum does not know are kept
//! as `extra` for templates. Errors carry the line in the file, not in the front-matter block.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::date::EssayDate;
use crate::error::line_of;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
}

/// A file cut into its front matter and body.
#[derive(Debug)]
pub struct Split<'a> {
    pub format: Option<Format>,
    pub front: &'a str,
    /// The file's line number of the first line of `front`.
    pub front_line: usize,
    pub body: &'a str,
    /// The file's line number of the first line of `body`.
    pub body_line: usize,
}

impl Split<'_> {
    /// The file line of a top-level front-matter key, for messages about its value.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        self.front
            .lines()
            .position(|line| {
                line.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(['=', ':']))
            })
            .map(|i| i + self.front_line)
    }
}

/// A problem with a line number in the file, where one is known.
pub type Problem = (Option<usize>, String);

/// Cuts a file at its front-matter fences. A file without an opening fence is all body.
pub fn split(text: &str) -> Result<Split<'_>, Problem> {
    let first = text.lines().next().unwrap_or("").trim_end();
    let (format, fence) = match first {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ => {
            return Ok(Split {
                format: None,
                front: "",
                front_line: 1,
                body: text,
                body_line: 1,
            });
        }
    };
    let start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = start;
    for (index, line) in text[start..].split_inclusive('\n').enumerate() {
        if line.trim_end() == fence {
            let body_start = offset + line.len();
            return Ok(Split {
                format: Some(format),
                front: &text[start..offset],
                front_line: 2,
                body: &text[body_start..],
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err((
        Some(1),
        format!(
            "front matter opened with `{fence}` is never closed; add a `{fence}` line after it"
        ),
    ))
}

/// How an essay's body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Markup {
    /// `.txt` files, and Markdown files that are one block of lines, are read as plain essays.
    #[default]
    Auto,
    /// Always CommonMark.
    Markdown,
    /// One paragraph per line; short bare lines become section headings.
    Plain,
}

/// What front matter may say. Everything is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(expecting = "keys with values, such as `title: On walking`")]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<DateField>,
    #[serde(alias = "lastmod", alias = "last_modified_at")]
    pub updated: Option<DateField>,
    pub description: Option<String>,
    /// Hugo's `summary` and Jekyll's `excerpt`: the description when there is none. Its own
    /// field, since Hugo sites often give both.
    #[serde(alias = "excerpt")]
    pub summary: Option<String>,
    pub tags: Option<StringList>,
    pub categories: Option<StringList>,
    pub draft: Option<bool>,
    /// Jekyll: `published: false` is a draft.
    pub published: Option<bool>,
    pub slug: Option<String>,
    #[serde(alias = "redirect_from")]
    pub aliases: Option<StringList>,
    pub markup: Option<Markup>,
    /// Zola: `[taxonomies] tags = [...]`.
    pub taxonomies: Option<Taxonomies>,
    /// The name of a series of essays this one belongs to.
    pub series: Option<String>,
    /// Show a table of contents.
    pub toc: Option<bool>,
}

impl FrontMatter {
    /// Each field tags are read from, by its name and the key on its line.
    pub fn tag_fields(&self) -> [(&'static str, &'static str, Option<&StringList>); 4] {
        let taxonomies = self.taxonomies.as_ref();
        [
            ("tags", "tags", self.tags.as_ref()),
            ("categories", "categories", self.categories.as_ref()),
            (
                "taxonomies.tags",
                "tags",
                taxonomies.and_then(|t| t.tags.as_ref()),
            ),
            (
                "taxonomies.categories",
                "categories",
                taxonomies.and_then(|t| t.categories.as_ref()),
            ),
        ]
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(expecting = "a table of `tags` and `categories`")]
pub struct Taxonomies {
    pub tags: Option<StringList>,
    pub categories: Option<StringList>,
}

/// Front-matter keys that are read into [`FrontMatter`] and so are not `extra`.
const KNOWN: &[&str] = &[
    "title",
    "date",
    "updated",
    "lastmod",
    "last_modified_at",
    "description",
    "summary",
    "excerpt",
    "tags",
    "categories",
    "draft",
    "published",
    "slug",
    "aliases",
    "redirect_from",
    "markup",
    "taxonomies",
    "series",
    "toc",
    "extra",
];

/// Any other front-matter value, passed through to templates as `essay.extra`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ExtraValue {
    Toml(toml::Value),
    Yaml(serde_norway::Value),
}

pub type Extra = BTreeMap<String, ExtraValue>;

/// A list written either as a list or, Jekyll style, as one space-separated string.
///
/// Read by hand rather than as an untagged enum: serde's message for an untagged enum that
/// matches nothing names the Rust type, and YAML loses the line; this one says what a writer
/// may put there and what was found instead.
#[derive(Debug, Clone)]
pub enum StringList {
    Many(Vec<String>),
    One(String),
}

/// What a list field may hold, for its messages.
const LIST_EXPECTED: &str = "a string or a list of strings";

impl<'de> Deserialize<'de> for StringList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ListVisitor)
    }
}

struct ListVisitor;

impl<'de> Visitor<'de> for ListVisitor {
    type Value = StringList;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(LIST_EXPECTED)
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<StringList, E> {
        Ok(StringList::One(text.to_string()))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<StringList, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element::<Found>()? {
            match item {
                Found::Text(text) => items.push(text),
                Found::Other(what) => {
                    return Err(de::Error::custom(format!(
                        "expected {LIST_EXPECTED}, found a list containing {what}"
                    )));
                }
            }
        }
        Ok(StringList::Many(items))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<StringList, E> {
        Err(not_a_list("true or false"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<StringList, E> {
        Err(not_a_list("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<StringList, E> {
        Err(not_a_list("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<StringList, E> {
        Err(not_a_list("a number"))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<StringList, A::Error> {
        Err(not_a_list(Found::of_map(map)?.describe()))
    }
}

fn not_a_list<E: de::Error>(what: &str) -> E {
    E::custom(format!("expected {LIST_EXPECTED}, found {what}"))
}

/// The key of the one-entry map a TOML date arrives as (a detail of the toml crate's serde
/// support, stable since toml 0.5).
const TOML_DATE_KEY: &str = "$__toml_private_datetime";

/// One item of a list field: its text, or in words what it is instead.
enum Found {
    Text(String),
    Other(&'static str),
}

impl Found {
    fn describe(&self) -> &'static str {
        match self {
            Found::Text(_) => "a string",
            Found::Other(what) => what,
        }
    }

    /// A table, or a TOML date (which arrives as a one-entry map), read to its end so that
    /// the deserializer is left where it expects.
    fn of_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Found, A::Error> {
        let mut what = "a table";
        let mut first = true;
        while let Some(key) = map.next_key::<Found>()? {
            if first && matches!(&key, Found::Text(k) if k == TOML_DATE_KEY) {
                what = "a date";
            }
            first = false;
            map.next_value::<de::IgnoredAny>()?;
        }
        Ok(Found::Other(what))
    }
}

impl<'de> Deserialize<'de> for Found {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FoundVisitor;
        impl<'de> Visitor<'de> for FoundVisitor {
            type Value = Found;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Found, E> {
                Ok(Found::Text(text.to_string()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Found, E> {
                Ok(Found::Other("true or false"))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Found, E> {
                Ok(Found::Other("a number"))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Found, E> {
                Ok(Found::Other("a number"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Found, E> {
                Ok(Found::Other("a number"))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Found, E> {
                Ok(Found::Other("an empty value"))
            }
            fn visit_none<E: de::Error>(self) -> Result<Found, E> {
                Ok(Found::Other("an empty value"))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Found, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Found::Other("a list"))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Found, A::Error> {
                Found::of_map(map)
            }
        }
        deserializer.deserialize_any(FoundVisitor)
    }
}

impl StringList {
    /// The items as written (a Jekyll string split at spaces).
    pub fn items(&self) -> Vec<&str> {
        match self {
            StringList::Many(items) => items.iter().map(String::as_str).collect(),
            StringList::One(text) => text.split_whitespace().collect(),
        }
    }

    pub fn into_vec(self) -> Vec<String> {
        match self {
            StringList::Many(items) => items,
            StringList::One(text) => text.split_whitespace().map(str::to_string).collect(),
        }
    }
}

/// A date typed as a TOML date or as a string in either format.
#[derive(Debug, Clone, Copy)]
pub struct DateField(pub EssayDate);

impl<'de> Deserialize<'de> for DateField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl<'de> Visitor<'de> for DateVisitor {
            type Value = DateField;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date such as 2026-11-28")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<DateField, E> {
                EssayDate::parse(text).map(DateField).map_err(E::custom)
            }
            // TOML dates arrive as a one-entry map holding their text.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateField, A::Error> {
                let (_, text): (String, String) = map
                    .next_entry()?
                    .ok_or_else(|| de::Error::custom("expected a date"))?;
                EssayDate::parse(&text)
                    .map(DateField)
                    .map_err(de::Error::custom)
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

/// Parses a split file's front matter into its fields and its extra keys.
pub fn parse(split: &Split) -> Result<(FrontMatter, Extra), Problem> {
    match split.format {
        None => Ok((FrontMatter::default(), Extra::new())),
        Some(_) if split.front.trim().is_empty() => Ok((FrontMatter::default(), Extra::new())),
        Some(Format::Toml) => parse_toml(split),
        Some(Format::Yaml) => parse_yaml(split),
    }
}

fn parse_toml(split: &Split) -> Result<(FrontMatter, Extra), Problem> {
    let problem = |e: toml::de::Error| -> Problem {
        let line = e
            .span()
            .map(|s| line_of(split.front, s.start) + split.front_line - 1);
        let message = e.message().trim();
        let message = match toml_key(&e) {
            Some(key) => format!("{key}: {message}"),
            None => message.to_string(),
        };
        (line, message)
    };
    let fields: FrontMatter = toml::from_str(split.front).map_err(problem)?;
    let table: toml::Table = toml::from_str(split.front).map_err(problem)?;
    let mut extra = Extra::new();
    for (key, value) in table {
        match (key.as_str(), value) {
            ("extra", toml::Value::Table(inner)) => {
                for (k, v) in inner {
                    extra.insert(k, ExtraValue::Toml(plain_toml(v)));
                }
            }
            (k, v) if !KNOWN.contains(&k) => {
                extra.insert(key, ExtraValue::Toml(plain_toml(v)));
            }
            _ => {}
        }
    }
    Ok((fields, extra))
}

/// The dotted key a TOML error is about (`taxonomies.tags`), so that its message names the
/// field as YAML's do. The toml crate shows the key only in its long form, and there only
/// when it has no input to quote; so it is read back from that form.
fn toml_key(error: &toml::de::Error) -> Option<String> {
    let mut bare = error.clone();
    bare.set_input(None);
    let shown = bare.to_string();
    let key = shown
        .strip_prefix(error.message())?
        .trim()
        .strip_prefix("in `")?
        .strip_suffix('`')?;
    (!key.is_empty()).then(|| key.to_string())
}

/// TOML dates become their text, so templates see strings rather than a serde detail.
fn plain_toml(value: toml::Value) -> toml::Value {
    match value {
        toml::Value::Datetime(d) => toml::Value::String(d.to_string()),
        toml::Value::Array(items) => {
            toml::Value::Array(items.into_iter().map(plain_toml).collect())
        }
        toml::Value::Table(table) => {
            toml::Value::Table(table.into_iter().map(|(k, v)| (k, plain_toml(v))).collect())
        }
        other => other,
    }
}

fn parse_yaml(split: &Split) -> Result<(FrontMatter, Extra), Problem> {
    let problem = |e: serde_norway::Error| -> Problem {
        let line = e.location().map(|l| l.line() + split.front_line - 1);
        let message = e.to_string();
        // The library appends "at line N column M", counted in the block; the line we report
        // is the file's, so drop it.
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        (line, message)
    };
    let fields: FrontMatter = serde_norway::from_str(split.front).map_err(problem)?;
    let mapping: serde_norway::Mapping = serde_norway::from_str(split.front).map_err(problem)?;
    let mut extra = Extra::new();
    for (key, value) in mapping {
        let Some(key) = key.as_str().map(str::to_string) else {
            continue;
        };
        match (key.as_str(), value) {
            ("extra", serde_norway::Value::Mapping(inner)) => {
                for (k, v) in inner {
                    if let Some(k) = k.as_str() {
                        extra.insert(k.to_string(), ExtraValue::Yaml(v));
                    }
                }
            }
            (k, v) if !KNOWN.contains(&k) => {
                extra.insert(key, ExtraValue::Yaml(v));
            }
            _ => {}
        }
    }
    Ok((fields, extra))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<(FrontMatter, Extra), Problem> {
        parse(&split(text)?)
    }

    #[test]
    fn toml_fields_and_extra() {
        let (fm, extra) = parse_text(
            "+++\ntitle = \"T\"\ndate = 2026-02-10\n[taxonomies]\ntags = [\"a\"]\n[extra]\nmood = \"quiet\"\n+++\nbody",
        )
        .unwrap();
        assert_eq!(fm.title.as_deref(), Some("T"));
        assert_eq!(fm.date.unwrap().0.ymd(), "2026-02-10");
        assert!(fm.taxonomies.unwrap().tags.is_some());
        assert!(extra.contains_key("mood"));
    }

    #[test]
    fn yaml_jekyll_fields() {
        let (fm, extra) = parse_text(
            "---\nlayout: post\ntitle: \"W\"\ndate: 2025-10-03 08:30:00 +0100\ntags: walking attention\npublished: false\n---\n",
        )
        .unwrap();
        assert_eq!(fm.date.unwrap().0.rfc3339(), "2025-10-03T08:30:00+01:00");
        assert_eq!(fm.tags.unwrap().into_vec(), ["walking", "attention"]);
        assert_eq!(fm.published, Some(false));
        assert!(extra.contains_key("layout"));
    }

    #[test]
    fn bad_date_reports_file_line() {
        let (line, message) = parse_text("+++\ntitle = \"x\"\ndate = \"soon\"\n+++\n").unwrap_err();
        assert_eq!(line, Some(3), "{message}");
        let (line, _) = parse_text("---\ntitle: x\n\ndate: someday\n---\n").unwrap_err();
        assert_eq!(line, Some(4));
    }

    /// Every list field, in both formats and nested under `taxonomies`, says what it takes
    /// and what it found, on the line of its key (YAML lost the line when these were read as
    /// an untagged enum).
    #[test]
    fn list_fields_say_what_they_take_and_what_they_found() {
        let cases = [
            (
                "+++\ntitle = \"x\"\n\ntags = [[\"a\"]]\n+++\n",
                4,
                "tags: expected a string or a list of strings, found a list containing a list",
            ),
            (
                "---\ntitle: x\n\ntags: [[a]]\n---\n",
                4,
                "tags: expected a string or a list of strings, found a list containing a list",
            ),
            (
                "+++\ncategories = 3\n+++\n",
                2,
                "categories: expected a string or a list of strings, found a number",
            ),
            (
                "---\naliases: {a: 1}\n---\n",
                2,
                "aliases: expected a string or a list of strings, found a table",
            ),
            (
                "+++\naliases = [2024-01-01]\n+++\n",
                2,
                "aliases: expected a string or a list of strings, found a list containing a date",
            ),
            (
                "+++\n[taxonomies]\ntags = [true]\n+++\n",
                3,
                "taxonomies.tags: expected a string or a list of strings, found a list containing true or false",
            ),
            (
                "---\ntaxonomies:\n  categories: [1.5]\n---\n",
                3,
                "taxonomies.categories: expected a string or a list of strings, found a list containing a number",
            ),
        ];
        for (text, line, expected) in cases {
            let (at, message) = parse_text(text).unwrap_err();
            assert_eq!((at, message.as_str()), (Some(line), expected), "{text}");
        }
        // What they do take.
        let (fm, _) =
            parse_text("+++\ntags = [\"a\", \"b\"]\ncategories = \"c d\"\n+++\n").unwrap();
        assert_eq!(fm.tags.unwrap().into_vec(), ["a", "b"]);
        assert_eq!(fm.categories.unwrap().into_vec(), ["c", "d"]);
    }

    #[test]
    fn toml_messages_name_the_field_as_yaml_ones_do() {
        for (text, expected) in [
            ("+++\ndraft = \"yes\"\n+++\n", "draft: "),
            ("+++\ntaxonomies = 3\n+++\n", "taxonomies: "),
            ("---\ndraft: maybe\n---\n", "draft: "),
        ] {
            let (line, message) = parse_text(text).unwrap_err();
            assert_eq!(line, Some(2), "{text}");
            assert!(message.starts_with(expected), "{text}: {message}");
            assert!(!message.contains("struct"), "{text}: {message}");
        }
    }

    #[test]
    fn out_of_range_dates_are_refused_on_their_line() {
        for (text, expected) in [
            (
                "+++\ntitle = \"x\"\nupdated = 9999-12-31T23:59:59Z\n+++\n",
                "updated: ",
            ),
            (
                "+++\ntitle = \"x\"\ndate = 9999-12-31T23:59:59Z\n+++\n",
                "date: ",
            ),
            (
                "---\ntitle: x\nlastmod: 9999-12-31T23:59:59Z\n---\n",
                "lastmod: ",
            ),
            ("---\ntitle: x\ndate: \"-000001-01-01\"\n---\n", "date: "),
        ] {
            let (line, message) = parse_text(text).unwrap_err();
            assert_eq!(line, Some(3), "{text}");
            assert!(message.starts_with(expected), "{text}: {message}");
            assert!(message.contains("out of range"), "{text}: {message}");
        }
    }

    #[test]
    fn unterminated_fence() {
        let (line, message) = split("+++\ntitle = \"x\"\nbody").unwrap_err();
        assert_eq!(line, Some(1));
        assert!(message.contains("never closed"));
    }

    #[test]
    fn body_line_counts_fences() {
        let s = split("---\na: 1\nb: 2\n---\nfirst").unwrap();
        assert_eq!(s.body, "first");
        assert_eq!(s.body_line, 5);
    }
}
