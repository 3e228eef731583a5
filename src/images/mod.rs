//! What the site's image files say about themselves: which file an `<img src>` names, its
//! width and height (read from its first bytes, once per file), and, with `[images] widths`,
//! which resized copies of it the site has. Rendering asks ([`Place`], in `markdown::Env`);
//! the render plan makes the copies ([`resize`]). A `src` that names no readable image gets
//! nothing: the link checker reports missing files, and a build never fails for an image.

pub mod resize;
pub mod social;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use crate::config::Config;

/// The `sizes` an `<img>` with a `srcset` gets unless `[images] sizes` says otherwise: the
/// default themes' measure (33em of 1.125rem body text), the whole width on a narrower screen.
pub const DEFAULT_SIZES: &str = "(min-width: 40rem) 37rem, 100vw";

/// The site's side of it, the same for every essay.
#[derive(Debug, Clone, Default)]
pub struct Images {
    static_dir: PathBuf,
    content_dir: PathBuf,
    /// The path part of `base_url`, with both slashes: `/` or `/blog/`.
    base_path: String,
    /// `[images] widths`, ascending, without repeats: the resized copies' widths.
    pub widths: Vec<u32>,
    /// `[images] sizes`.
    pub sizes: String,
}

impl Images {
    pub fn for_site(config: &Config) -> Images {
        let after_scheme = config
            .base_url
            .split_once("://")
            .map_or(config.base_url.as_str(), |(_, rest)| rest);
        let base_path = match after_scheme.starts_with('/') {
            true => after_scheme.to_string(),
            false => after_scheme
                .find('/')
                .map_or("/".to_string(), |i| after_scheme[i..].to_string()),
        };
        Images {
            static_dir: config.static_dir(),
            content_dir: config.content_dir(),
            base_path,
            widths: config.images.widths.clone(),
            sizes: config.images.sizes.clone(),
        }
    }
}

/// Where one essay's images are looked for: the site's folders, its page's URL, and its
/// bundle's folder if it is one.
#[derive(Debug, Clone)]
pub struct Place {
    pub site: Arc<Images>,
    /// The full URL of the essay's page, ending in `/` (or its `.html` file).
    pub page_url: Arc<str>,
    /// A bundle's folder, relative to `content/`.
    pub bundle: Option<Arc<Path>>,
}

impl Place {
    /// The file `src` (as written in the page, percent-encoded) names, as the browser would
    /// fetch it: from the essay's bundle for a relative name, else the file the output
    /// has at that URL, which is `static/`'s or `content/`'s. `None` for a URL of another
    /// site, `data:` and the like, or when no such file exists.
    pub fn file(&self, src: &str) -> Option<PathBuf> {
        if src.is_empty() || src.starts_with("//") || has_scheme(src) {
            return None;
        }
        let path = src.split(['?', '#']).next().unwrap_or_default();
        let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        if !path.starts_with('/')
            && let Some(bundle) = &self.bundle
        {
            let rel = normalize(&format!("{}/{path}", bundle.display()))?;
            let file = self.site.content_dir.join(rel);
            if file.is_file() {
                return Some(file);
            }
        }
        let url_path = match path.starts_with('/') {
            true => path.into_owned(),
            false => format!("{}{path}", page_folder(&self.page_url)),
        };
        let url_path = normalize(&url_path)?;
        let base = self.site.base_path.trim_matches('/');
        let rel = match base.is_empty() {
            true => url_path.as_str(),
            false => url_path
                .strip_prefix(base)
                .and_then(|r| r.strip_prefix('/'))
                .unwrap_or(&url_path),
        };
        [&self.site.static_dir, &self.site.content_dir]
            .into_iter()
            .map(|dir| dir.join(rel))
            .find(|file| file.is_file())
    }
}

/// The path of the folder `page_url` is in, from the root: `/blog/x/` for
/// `https://ex.com/blog/x/` and for `/blog/x/index.html`.
fn page_folder(page_url: &str) -> &str {
    let path = match page_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => page_url,
    };
    path.rfind('/').map_or("/", |i| &path[..=i])
}

/// `a/./b/../c` as `a/c`, without leading or trailing slashes; `None` when `..` would leave
/// the top.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    })
}

/// What a file was when its size was read: its length and modification time.
type Stamp = (u64, Option<std::time::SystemTime>);

/// A size read, with the file's stamp then.
type Sized = (Stamp, Option<(u32, u32)>);

/// Sizes read, by file: the same logo in ten thousand essays is read once. A file that
/// changed since (`vellum watch`) is read again.
static DIMENSIONS: LazyLock<Mutex<HashMap<PathBuf, Sized>>> = LazyLock::new(Mutex::default);

/// The width and height of the image `file`, from its first bytes; `None` for a file that is
/// not an image vellum can size, or is empty or cut short.
pub fn dimensions(file: &Path) -> Option<(u32, u32)> {
    let meta = std::fs::metadata(file).ok()?;
    let stamp = (meta.len(), meta.modified().ok());
    let cache = || DIMENSIONS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((seen, size)) = cache().get(file)
        && *seen == stamp
    {
        return *size;
    }
    let size = imagesize::size(file)
        .ok()
        .and_then(|s| Some((u32::try_from(s.width).ok()?, u32::try_from(s.height).ok()?)))
        .filter(|&(w, h)| w > 0 && h > 0);
    cache().insert(file.to_path_buf(), (stamp, size));
    size
}

/// The formats vellum makes resized copies of, by extension.
pub fn resizable(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(ext.as_deref(), Some("png" | "jpg" | "jpeg"))
}

/// The name of the copy of `name` (a path or URL) `width` pixels wide: `a/pic.png` →
/// `a/pic-480w.png`.
pub fn copy_name(name: &str, width: u32) -> String {
    let file_start = name.rfind('/').map_or(0, |i| i + 1);
    match name[file_start..].rfind('.') {
        Some(dot) => {
            let dot = file_start + dot;
            format!("{}-{width}w{}", &name[..dot], &name[dot..])
        }
        None => format!("{name}-{width}w"),
    }
}

/// The widths of `widths` that an image `width` pixels wide gets a copy at: the narrower ones.
pub fn copy_widths(widths: &[u32], width: u32) -> impl Iterator<Item = u32> + '_ {
    widths.iter().copied().filter(move |&w| w < width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_folders_and_normal_paths() {
        assert_eq!(page_folder("https://ex.com/blog/x/"), "/blog/x/");
        assert_eq!(page_folder("/x/index.html"), "/x/");
        assert_eq!(page_folder("https://ex.com"), "/");
        assert_eq!(normalize("/a/./b/../c.png").as_deref(), Some("a/c.png"));
        assert_eq!(normalize("/../etc/passwd"), None);
    }

    #[test]
    fn copies_are_named_for_their_width() {
        assert_eq!(copy_name("a.b/pic.png", 480), "a.b/pic-480w.png");
        assert_eq!(copy_name("/x/photo.JPG", 960), "/x/photo-960w.JPG");
        assert!(resizable("x.JPEG") && !resizable("x.svg") && !resizable("png"));
    }
}
