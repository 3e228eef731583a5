//! Keeps every old URL: loads the new site with vellum's own pipeline, asks each essay and page
//! where vellum serves it, and records `[redirects]` wherever that differs from where the old
//! generator served it.

use std::collections::BTreeMap;
use std::path::Path;

use super::plan::Plan;
use super::write;
use crate::error::Result;

#[derive(Debug, Default)]
pub struct Outcome {
    pub redirects: BTreeMap<String, String>,
    pub notes: Vec<String>,
}

/// Works out the redirects and writes the final `vellum.toml`.
pub fn settle(dest: &Path, plan: &Plan) -> Result<Outcome> {
    let mut outcome = Outcome::default();
    let full = plan.vellum_toml(&BTreeMap::new());
    let unread = unread_keys(&full);
    if !unread.is_empty() {
        // This vellum does not know some keys yet: load the site without them, so the
        // redirects cover what it would do today.
        outcome.notes.push(format!(
            "this vellum does not read {} yet; the redirects were worked out without them",
            unread.join(", ")
        ));
        write::config(dest, &without(&full, &unread), false)?;
    }
    match served(dest) {
        Ok(served) => compare(plan, &served, &mut outcome),
        Err(error) => outcome.notes.push(format!(
            "the new site could not be loaded to compare URLs, so no redirects were written: {error}"
        )),
    }
    write::config(dest, &plan.vellum_toml(&outcome.redirects), false)?;
    Ok(outcome)
}

fn compare(plan: &Plan, served: &BTreeMap<String, String>, outcome: &mut Outcome) {
    let mut missing = Vec::new();
    for old in &plan.urls {
        match served.get(&old.dest) {
            Some(new) if same(new, &old.url) => {}
            // A redirect page cannot sit beside a page whose path differs only in case: on
            // macOS and Windows they are one file.
            Some(new) if new.to_lowercase() == old.url.to_lowercase() => {
                outcome.notes.push(format!(
                    "{} is served at {new}, not {}, and a redirect cannot differ from it only \
                     in case; give it a lowercase `slug` to keep the old URL",
                    old.dest, old.url
                ));
            }
            Some(new) => {
                outcome.redirects.insert(old.url.clone(), new.clone());
            }
            None => missing.push(old.dest.clone()),
        }
    }
    if let Some(first) = missing.first() {
        let more = match missing.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        outcome.notes.push(format!(
            "vellum did not read {first}{more} as an essay or page, so their old URLs have no redirect"
        ));
    }
}

/// Two URL paths that a browser treats as one (percent-encoding aside).
fn same(a: &str, b: &str) -> bool {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    a == b || decode(a) == decode(b)
}

/// Each essay's source (`content/…`) and the path vellum serves it at, from the site root.
fn served(dest: &Path) -> Result<BTreeMap<String, String>> {
    let session = crate::session::Session::open(&crate::BuildOptions {
        root: dest.to_path_buf(),
        drafts: true,
        future: true,
        ..Default::default()
    })?;
    let base = session.config().base_url.clone();
    Ok(session
        .essays()
        .map(|essay| {
            let url = &essay.shown.url;
            let path = url
                .strip_prefix(&base)
                .map_or_else(|| url_path(url).to_string(), |rest| format!("/{rest}"));
            (super::plan::slashed(&essay.source), path)
        })
        .collect())
}

/// The path of a full URL (`https://host/a/` → `/a/`), or the text itself.
fn url_path(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    }
}

/// The top-level keys of `text` that this vellum's configuration does not know.
fn unread_keys(text: &str) -> Vec<String> {
    let Ok(table) = toml::from_str::<toml::Table>(text) else {
        return Vec::new();
    };
    table
        .into_iter()
        .filter(|(key, value)| {
            let one: toml::Table = [(key.clone(), value.clone())].into_iter().collect();
            let text = toml::to_string(&one).unwrap_or_default();
            crate::config::parse(&text).is_err_and(|e| e.to_string().contains("unknown key"))
        })
        .map(|(key, _)| key)
        .collect()
}

fn without(text: &str, keys: &[String]) -> String {
    let mut table: toml::Table = toml::from_str(text).unwrap_or_default();
    for key in keys {
        table.remove(key);
    }
    toml::to_string(&table).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::OldUrl;

    #[test]
    fn a_url_that_differs_only_in_case_is_a_note_not_a_redirect() {
        let plan = Plan {
            urls: vec![
                OldUrl {
                    dest: "content/a.md".into(),
                    url: "/posts/hi-there/".into(),
                },
                OldUrl {
                    dest: "content/b.md".into(),
                    url: "/2014/b.html".into(),
                },
                OldUrl {
                    dest: "content/c.md".into(),
                    url: "/c/".into(),
                },
            ],
            ..Plan::default()
        };
        let served: BTreeMap<String, String> = [
            ("content/a.md", "/posts/Hi-There/"),
            ("content/b.md", "/posts/b/"),
            ("content/c.md", "/c/"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let mut outcome = Outcome::default();
        compare(&plan, &served, &mut outcome);
        let redirects: Vec<(&str, &str)> = outcome
            .redirects
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(redirects, [("/2014/b.html", "/posts/b/")]);
        assert!(outcome.notes[0].starts_with("content/a.md is served at /posts/Hi-There/"));
    }
}
