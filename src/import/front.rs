//! Front matter as the importer needs it: a few keys read from YAML or TOML, whatever
//! generator wrote them, and one line added after the opening fence with every other byte
//! kept as it was.

use crate::frontmatter::{self, Format};

/// The front matter of one file, read loosely: the importer only looks at a few keys, and a
/// file it cannot read is copied as it is and left for the build to report.
#[derive(Debug, Default)]
pub(crate) enum Front {
    #[default]
    None,
    Yaml(serde_norway::Mapping),
    Toml(toml::Table),
}

impl Front {
    /// Reads the front matter of `text`; `Err` with a message when it is there but broken.
    pub(crate) fn read(text: &str) -> Result<Front, String> {
        let split = frontmatter::split(text).map_err(|(_, message)| message)?;
        match split.format {
            None => Ok(Front::None),
            Some(Format::Yaml) if split.front.trim().is_empty() => {
                Ok(Front::Yaml(serde_norway::Mapping::new()))
            }
            Some(Format::Yaml) => serde_norway::from_str(split.front)
                .map(Front::Yaml)
                .map_err(|e| e.to_string()),
            Some(Format::Toml) => toml::from_str(split.front)
                .map(Front::Toml)
                .map_err(|e| e.message().trim().to_string()),
        }
    }

    /// A key's value as text (numbers and booleans written out), if it has one.
    pub(crate) fn str(&self, key: &str) -> Option<String> {
        match self {
            Front::None => None,
            Front::Yaml(map) => yaml_text(map.get(key)?),
            Front::Toml(table) => toml_text(table.get(key)?),
        }
    }

    pub(crate) fn bool(&self, key: &str) -> Option<bool> {
        match self {
            Front::None => None,
            Front::Yaml(map) => map.get(key)?.as_bool(),
            Front::Toml(table) => table.get(key)?.as_bool(),
        }
    }

    /// A list of texts; a single text is one item (callers split Jekyll's spaces).
    pub(crate) fn list(&self, key: &str) -> Vec<String> {
        match self {
            Front::None => Vec::new(),
            Front::Yaml(map) => match map.get(key) {
                Some(serde_norway::Value::Sequence(items)) => {
                    items.iter().filter_map(yaml_text).collect()
                }
                Some(value) => yaml_text(value).into_iter().collect(),
                None => Vec::new(),
            },
            Front::Toml(table) => match table.get(key) {
                Some(toml::Value::Array(items)) => items.iter().filter_map(toml_text).collect(),
                Some(value) => toml_text(value).into_iter().collect(),
                None => Vec::new(),
            },
        }
    }

    /// `outer.inner` as text (Hugo's `_build: {render: never}`).
    pub(crate) fn nested(&self, outer: &str, inner: &str) -> Option<String> {
        match self {
            Front::None => None,
            Front::Yaml(map) => yaml_text(map.get(outer)?.get(inner)?),
            Front::Toml(table) => toml_text(table.get(outer)?.get(inner)?),
        }
    }
}

fn yaml_text(value: &serde_norway::Value) -> Option<String> {
    use serde_norway::Value;
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(tagged) => yaml_text(&tagged.value),
        _ => None,
    }
}

fn toml_text(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(n) => Some(n.to_string()),
        toml::Value::Float(n) => Some(n.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        _ => None,
    }
}

/// `text` with `line` (a YAML or TOML key, without its line ending) added right after the
/// opening fence, with the file's own line ending; every other byte is kept. A file without
/// front matter gets a YAML block holding only that line.
pub(crate) fn insert_line(text: &str, yaml: &str, toml: &str) -> String {
    let first_end = text.find('\n');
    let first = &text[..first_end.unwrap_or(text.len())];
    let fence = first.trim_end();
    if (fence == "---" || fence == "+++")
        && let Some(end) = first_end
    {
        let newline = if first.ends_with('\r') { "\r\n" } else { "\n" };
        let line = if fence == "---" { yaml } else { toml };
        let (head, rest) = text.split_at(end + 1);
        return format!("{head}{line}{newline}{rest}");
    }
    format!("---\n{yaml}\n---\n{text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_goes_after_the_fence_and_nothing_else_moves() {
        let text = "---\r\ntitle: About\r\n---\r\nBody  \r\n";
        assert_eq!(
            insert_line(text, "kind: page", "kind = \"page\""),
            "---\r\nkind: page\r\ntitle: About\r\n---\r\nBody  \r\n"
        );
        assert_eq!(
            insert_line("+++\ntitle = \"A\"\n+++\n", "kind: page", "kind = \"page\""),
            "+++\nkind = \"page\"\ntitle = \"A\"\n+++\n"
        );
        assert_eq!(
            insert_line("Just text.\n", "draft: true", "draft = true"),
            "---\ndraft: true\n---\nJust text.\n"
        );
    }

    #[test]
    fn keys_read_from_either_format() {
        let yaml = Front::read("---\nslug: 12\ncategories: [a, B]\n_build:\n  list: never\n---\n")
            .unwrap();
        assert_eq!(yaml.str("slug").as_deref(), Some("12"));
        assert_eq!(yaml.list("categories"), ["a", "B"]);
        assert_eq!(yaml.nested("_build", "list").as_deref(), Some("never"));
        let toml = Front::read("+++\npath = \"about\"\ndraft = true\n+++\n").unwrap();
        assert_eq!(toml.str("path").as_deref(), Some("about"));
        assert_eq!(toml.bool("draft"), Some(true));
    }
}
