//! Sorting a batch of file-system events into what must be redone. Pure: paths in, [`Changes`]
//! out; the disk is not consulted (the session re-reads whatever it is told changed, and finds
//! out then whether a path still exists).

use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::session::Changes;
use crate::source::is_ignored;

/// Where things are in a site.
#[derive(Debug, Clone)]
pub struct Layout {
    pub root: PathBuf,
    pub content: PathBuf,
    pub output: PathBuf,
}

impl Layout {
    /// The folders whose changes matter to a theme.
    pub fn theme_dirs(&self) -> [PathBuf; 3] {
        ["templates", "static", "themes"].map(|d| self.root.join(d))
    }
}

/// What the `paths` touched by a batch of events mean for the site. Paths in the output
/// folder, and hidden, backup, swap and temporary files (editors write many), mean nothing.
pub fn classify(paths: &[PathBuf], layout: &Layout) -> Changes {
    let mut changes = Changes::default();
    for path in paths {
        if path.starts_with(&layout.output) {
            continue;
        }
        let Ok(rel) = path.strip_prefix(&layout.root) else {
            continue;
        };
        if rel
            .components()
            .any(|c| is_ignored(&c.as_os_str().to_string_lossy()))
        {
            continue;
        }
        if rel == Path::new(CONFIG_FILE) {
            changes.config = true;
        } else if layout.theme_dirs().iter().any(|d| path.starts_with(d)) {
            changes.theme = true;
        } else if path.starts_with(&layout.content) && !changes.content.contains(path) {
            changes.content.push(path.clone());
        }
    }
    changes.content.sort();
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout {
            root: PathBuf::from("/site"),
            content: PathBuf::from("/site/content"),
            output: PathBuf::from("/site/public"),
        }
    }

    fn paths(list: &[&str]) -> Vec<PathBuf> {
        list.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn an_essay_saved_in_place() {
        let c = classify(
            &paths(&["/site/content/a.md", "/site/content/a.md"]),
            &layout(),
        );
        assert_eq!(c.content, paths(&["/site/content/a.md"]));
        assert!(!c.config && !c.theme);
    }

    #[test]
    fn temp_file_renamed_over_the_essay() {
        // Write `.a.md.tmp` (or JetBrains' `a.md___jb_tmp___`), then rename it over `a.md`.
        let c = classify(
            &paths(&[
                "/site/content/.a.md.swp",
                "/site/content/a.md___jb_tmp___",
                "/site/content/a.md___jb_old___",
                "/site/content/a.md",
            ]),
            &layout(),
        );
        assert_eq!(c.content, paths(&["/site/content/a.md"]));
    }

    #[test]
    fn vims_backup_dance() {
        // a.md → a.md~, probe file 4913, new a.md written, a.md~ deleted.
        let c = classify(
            &paths(&[
                "/site/content/4913",
                "/site/content/a.md~",
                "/site/content/a.md",
                "/site/content/a.md~",
            ]),
            &layout(),
        );
        assert_eq!(c.content, paths(&["/site/content/a.md"]));
    }

    #[test]
    fn output_and_editor_files_alone_are_nothing() {
        let c = classify(
            &paths(&[
                "/site/public/a/index.html",
                "/site/public/.vellum-manifest",
                "/site/content/#a.md#",
                "/site/content/.#a.md",
                "/site/content/notes/.DS_Store",
                "/site/.git/index",
                "/site/README.md",
                "/elsewhere/x.md",
            ]),
            &layout(),
        );
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn config_theme_and_static_changes() {
        let c = classify(
            &paths(&[
                "/site/vellum.toml",
                "/site/templates/essay.html",
                "/site/content/b/index.md",
                "/site/content/b/pic.png",
            ]),
            &layout(),
        );
        assert!(c.config && c.theme);
        assert_eq!(
            c.content,
            paths(&["/site/content/b/index.md", "/site/content/b/pic.png"])
        );
        assert!(classify(&paths(&["/site/static/x.css"]), &layout()).theme);
        assert!(classify(&paths(&["/site/themes/t/theme.toml"]), &layout()).theme);
    }

    #[test]
    fn a_folder_renamed_or_removed() {
        let c = classify(
            &paths(&["/site/content/old-name", "/site/content/new-name"]),
            &layout(),
        );
        assert_eq!(
            c.content,
            paths(&["/site/content/new-name", "/site/content/old-name"])
        );
    }

    #[test]
    fn output_inside_the_root_under_another_name() {
        let mut l = layout();
        l.output = PathBuf::from("/site/content-out");
        let c = classify(
            &paths(&["/site/content-out/a.html", "/site/content/a.md"]),
            &l,
        );
        assert_eq!(c.content, paths(&["/site/content/a.md"]));
    }
}
