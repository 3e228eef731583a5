//! Site configuration, in two layers: [`RawConfig`] is exactly what `vellum.toml` may say
//! (unknown keys are rejected with a "did you mean" hint), and [`Config`] is the resolved form the
//! rest of the pipeline uses, with absolute paths and every default filled in.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Location, Result, line_of};

/// The configuration file's name, at the site root.
pub const CONFIG_FILE: &str = "vellum.toml";

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

/// `vellum.toml` as written. Every field is optional: a folder with only `content/` builds.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub title: Option<String>,
    pub author: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub language: Option<String>,
    pub theme: Option<String>,
    pub markup: Option<Markup>,
    pub paginate: Option<usize>,
    pub feed_limit: Option<usize>,
    pub extra: Option<toml::Table>,
    pub check: Option<RawCheck>,
}

/// `[check]`: how `vellum check` treats its lints.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCheck {
    /// Lints that fail the check rather than warn; `"all"` for every one.
    pub deny: Option<Vec<String>>,
}

/// The keys `RawConfig` accepts, for the unknown-key check and its suggestions.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "author",
    "description",
    "base_url",
    "language",
    "theme",
    "markup",
    "paginate",
    "feed_limit",
    "extra",
    "check",
];

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site root, absolute.
    pub root: PathBuf,
    pub title: String,
    pub author: Option<String>,
    pub description: Option<String>,
    /// Always ends with `/`. Either an absolute URL or a root-relative path such as `/`.
    pub base_url: String,
    pub language: String,
    /// `None` means the built-in default theme.
    pub theme: Option<String>,
    pub markup: Markup,
    /// Essays per list page; 0 means one page holding every essay.
    pub paginate: usize,
    pub feed_limit: usize,
    pub extra: toml::Table,
    /// `[check] deny`: lint names (or `all`) that fail `vellum check`.
    pub check_deny: Vec<String>,
}

impl Config {
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    pub fn static_dir(&self) -> PathBuf {
        self.root.join("static")
    }

    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }

    /// The URL of a site-relative path such as `tags/` or `atom.xml`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// Whether `base_url` is a full URL (feeds and canonical links need one).
    pub fn has_absolute_base_url(&self) -> bool {
        self.base_url.starts_with("http://") || self.base_url.starts_with("https://")
    }
}

/// Reads `vellum.toml` under `root` (absent is fine) and resolves it.
pub fn load(root: &Path) -> Result<Config> {
    let root = std::path::absolute(root).map_err(|e| Error::io(root, e))?;
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(CONFIG_FILE, e)),
    };
    resolve(parse(&text)?, root, &text)
}

/// Parses the text of a `vellum.toml`.
pub fn parse(text: &str) -> Result<RawConfig> {
    let table: toml::Table = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let unknown: Vec<Error> = table
        .keys()
        .filter(|key| !KNOWN_KEYS.contains(&key.as_str()))
        .map(|key| unknown_key(text, key))
        .collect();
    if let Some(error) = Error::collect(unknown) {
        return Err(error);
    }
    toml::from_str(text).map_err(|e| toml_error(text, &e))
}

fn unknown_key(text: &str, key: &str) -> Error {
    let line = text
        .lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1);
    let hint = suggest(key, KNOWN_KEYS)
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_else(|| format!("; known keys are {}", KNOWN_KEYS.join(", ")));
    Error::Config {
        at: Location {
            path: CONFIG_FILE.into(),
            line,
        },
        message: format!("unknown key `{key}`{hint} (put your own settings under [extra])"),
    }
}

/// The closest known name, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(word, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

fn toml_error(text: &str, e: &toml::de::Error) -> Error {
    Error::Config {
        at: Location {
            path: CONFIG_FILE.into(),
            line: e.span().map(|s| line_of(text, s.start)),
        },
        message: e.message().trim().to_string(),
    }
}

fn resolve(raw: RawConfig, root: PathBuf, text: &str) -> Result<Config> {
    let check_deny = raw.check.and_then(|c| c.deny).unwrap_or_default();
    if let Some(unknown) = check_deny
        .iter()
        .find(|name| *name != "all" && !crate::check::LINTS.contains(&name.as_str()))
    {
        let hint = suggest(unknown, crate::check::LINTS)
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| {
                format!(
                    "the lints are {} (or \"all\")",
                    crate::check::LINTS.join(", ")
                )
            });
        return Err(Error::Config {
            at: Location {
                path: CONFIG_FILE.into(),
                line: text
                    .lines()
                    .position(|l| l.trim_start().starts_with("deny"))
                    .map(|i| i + 1),
            },
            message: format!("[check] deny: no lint is called `{unknown}`; {hint}"),
        });
    }
    let base_url =
        normalize_base_url(raw.base_url.as_deref().unwrap_or("/")).map_err(|message| {
            Error::Config {
                at: Location::file(CONFIG_FILE),
                message,
            }
        })?;
    let title = raw.title.unwrap_or_else(|| {
        root.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Essays".to_string())
    });
    Ok(Config {
        root,
        title,
        author: raw.author,
        description: raw.description,
        base_url,
        language: raw.language.unwrap_or_else(|| "en".to_string()),
        theme: raw.theme.filter(|t| t != "default"),
        markup: raw.markup.unwrap_or_default(),
        paginate: raw.paginate.unwrap_or(20),
        feed_limit: raw.feed_limit.unwrap_or(20),
        extra: raw.extra.unwrap_or_default(),
        check_deny,
    })
}

/// Checks a base URL and gives it a trailing slash.
pub fn normalize_base_url(url: &str) -> std::result::Result<String, String> {
    let url = url.trim();
    let ok = url.starts_with("http://") || url.starts_with("https://") || url.starts_with('/');
    if !ok || url.contains(char::is_whitespace) {
        return Err(format!(
            "base_url `{url}` must be a full URL such as https://example.com/blog/ or a path starting with /"
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// A configuration with every default, rooted at `/site`, for unit tests elsewhere.
#[cfg(test)]
pub fn resolve_for_tests() -> Config {
    resolve(RawConfig::default(), PathBuf::from("/site"), "").expect("defaults resolve")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let err = parse("title = \"x\"\ntitel = \"y\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("vellum.toml:2"), "{err}");
        assert!(err.contains("did you mean `title`"), "{err}");
    }

    #[test]
    fn wrong_type_names_line() {
        let err = parse("title = \"x\"\npaginate = \"ten\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("vellum.toml:2:"), "{err}");
    }

    #[test]
    fn check_deny_names_real_lints() {
        let text = "[check]\ndeny = [\"alt-txt\"]\n";
        let err = resolve(parse(text).unwrap(), PathBuf::from("/site"), text)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("vellum.toml:2: [check] deny"), "{err}");
        assert!(err.contains("did you mean `alt-text`?"), "{err}");
        let err = parse("[check]\nwarnings = 1\n").unwrap_err().to_string();
        assert!(err.contains("unknown field `warnings`"), "{err}");
    }

    #[test]
    fn base_url_gets_trailing_slash() {
        assert_eq!(
            normalize_base_url("https://a.b/blog").as_deref(),
            Ok("https://a.b/blog/")
        );
        assert!(normalize_base_url("example.com").is_err());
    }
}
