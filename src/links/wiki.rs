//! The names a wikilink finds a page or file by, as Obsidian looks them up: in any case, the
//! path from `content/` less its extension, then the file's name less its extension, then
//! (beyond Obsidian, for essays whose file names are dates or slugs) the title, then an alias
//! from the front matter. The first kind of name that fits decides; two pages with that name
//! are an error naming both. A name with an extension that no page has (`pic.png`) is a file,
//! found by its name wherever it is under `content/`.

use rustc_hash::FxHashMap;

/// See the module notes.
#[derive(Debug, Default)]
pub struct WikiNames {
    /// Page numbers by lowercased name: paths, file names, titles, aliases.
    levels: [FxHashMap<String, Vec<usize>>; 4],
    /// Files that are not pages, by lowercased file name: their paths from `content/`.
    files: FxHashMap<String, Vec<String>>,
}

/// What a wikilink names.
#[derive(Debug, PartialEq, Eq)]
pub enum WikiFound {
    Page(usize),
    /// A file's path from `content/`.
    File(String),
}

impl WikiNames {
    /// Names page `n` at `path` (`notes/On drafts.md`, or `blog/b/index.md` for a bundle) with
    /// its title and aliases.
    pub fn add_page(&mut self, n: usize, path: &str, title: &str, aliases: &[String]) {
        let less_ext = strip_extension(path);
        let (less_ext, name) = match less_ext.strip_suffix("/index") {
            Some(folder) => (folder, last(folder)),
            None => (less_ext, last(less_ext)),
        };
        let names = [
            vec![less_ext.to_string()],
            vec![name.to_string()],
            vec![title.to_string()],
            aliases.to_vec(),
        ];
        for (level, keys) in self.levels.iter_mut().zip(names) {
            for key in keys {
                let found = level.entry(key.to_lowercase()).or_default();
                if !found.contains(&n) {
                    found.push(n);
                }
            }
        }
    }

    /// A file under `content/` that is not a page (`images/pic.png`).
    pub fn add_file(&mut self, path: &str) {
        self.files
            .entry(last(path).to_lowercase())
            .or_default()
            .push(path.to_string());
    }

    /// The page or file `name` names; the error says why none does, or which several do.
    /// `path_of` gives a page's path, for that message.
    pub fn find<'a>(
        &'a self,
        name: &str,
        path_of: impl Fn(usize) -> &'a str,
    ) -> Result<WikiFound, String> {
        let key = strip_markdown_extension(name.trim_matches('/')).to_lowercase();
        for level in &self.levels {
            match level.get(&key).map(Vec::as_slice) {
                Some([n]) => return Ok(WikiFound::Page(*n)),
                Some(several @ [_, _, ..]) => {
                    let mut paths: Vec<&str> = several.iter().map(|&n| path_of(n)).collect();
                    paths.sort_unstable();
                    return Err(format!(
                        "`{name}` names more than one essay: {}; write the path from content/",
                        paths.join(", ")
                    ));
                }
                _ => {}
            }
        }
        let (folder, file) = match key.rsplit_once('/') {
            Some((folder, file)) => (Some(folder), file),
            None => (None, key.as_str()),
        };
        let files: Vec<&String> = self
            .files
            .get(file)
            .into_iter()
            .flatten()
            .filter(|path| {
                folder.is_none_or(|f| path.to_lowercase().ends_with(&format!("{f}/{file}")))
            })
            .collect();
        match files.as_slice() {
            [one] => Ok(WikiFound::File((*one).clone())),
            [] => Err(format!("no essay, title, alias or file is called `{name}`")),
            several => {
                let paths: Vec<&str> = several.iter().map(|p| p.as_str()).collect();
                Err(format!(
                    "`{name}` names more than one file: {}; write the path from content/",
                    paths.join(", ")
                ))
            }
        }
    }
}

fn last(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `notes/x` for `notes/x.md`.
fn strip_extension(path: &str) -> &str {
    let name = last(path);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => &path[..path.len() - name.len() + stem.len()],
        _ => path,
    }
}

/// `x` for `x.md` (Obsidian lets a link name the extension); other names as they are.
fn strip_markdown_extension(name: &str) -> &str {
    let lower = name.to_ascii_lowercase();
    [".md", ".markdown"]
        .iter()
        .find(|ext| lower.ends_with(*ext))
        .map_or(name, |ext| &name[..name.len() - ext.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATHS: [&str; 4] = [
        "notes/On Drafts.md",
        "a/notes.md",
        "c/notes.md",
        "blog/b/index.md",
    ];

    fn names() -> WikiNames {
        let mut names = WikiNames::default();
        names.add_page(0, PATHS[0], "Why drafts matter", &["drafting".into()]);
        names.add_page(1, PATHS[1], "Notes A", &[]);
        names.add_page(2, PATHS[2], "Notes C", &[]);
        names.add_page(3, PATHS[3], "A bundle", &[]);
        names.add_file("attachments/pic.png");
        names
    }

    fn find(names: &WikiNames, name: &str) -> Result<WikiFound, String> {
        names.find(name, |n| PATHS[n])
    }

    #[test]
    fn by_path_name_title_or_alias_in_any_case() {
        let names = names();
        for name in [
            "on drafts",
            "On Drafts.md",
            "notes/on drafts",
            "WHY DRAFTS MATTER",
            "Drafting",
        ] {
            assert_eq!(find(&names, name), Ok(WikiFound::Page(0)), "{name}");
        }
        assert_eq!(find(&names, "b"), Ok(WikiFound::Page(3)));
        assert_eq!(find(&names, "a/notes"), Ok(WikiFound::Page(1)));
        assert_eq!(
            find(&names, "Pic.PNG"),
            Ok(WikiFound::File("attachments/pic.png".into()))
        );
    }

    #[test]
    fn an_ambiguous_name_names_its_candidates_and_nothing_is_an_error() {
        let names = names();
        let err = find(&names, "notes").unwrap_err();
        assert!(err.contains("a/notes.md, c/notes.md"), "{err}");
        assert_eq!(
            find(&names, "nope").unwrap_err(),
            "no essay, title, alias or file is called `nope`"
        );
    }
}
