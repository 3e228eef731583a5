//! The image a link to an essay shows when shared (`og:image`): the one its front matter
//! names, as the generators sites come from write it, else its first image.

use crate::frontmatter::{Extra, ExtraValue};

/// The keys that name it, in order: vellum's and Jekyll's `image`, `cover` (Hugo themes),
/// Hugo's `images` list.
const KEYS: [&str; 3] = ["image", "cover", "images"];

/// The image the front matter names, as written: `image: x.png`, Jekyll's
/// `image: {path: x.png}`, `cover: {image: x.png}` as Hugo's PaperMod has it, or the first
/// of Hugo's `images: [x.png]`.
pub fn from_front_matter(extra: &Extra) -> Option<String> {
    KEYS.iter().find_map(|key| match extra.get(*key)? {
        ExtraValue::Toml(value) => from_toml(value),
        ExtraValue::Yaml(value) => from_yaml(value),
    })
}

/// In a map, the keys that hold the path.
const PATH_KEYS: [&str; 3] = ["path", "image", "src"];

fn from_toml(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) => non_empty(s),
        toml::Value::Array(list) => from_toml(list.first()?),
        toml::Value::Table(map) => PATH_KEYS.iter().find_map(|k| from_toml(map.get(*k)?)),
        _ => None,
    }
}

fn from_yaml(value: &serde_norway::Value) -> Option<String> {
    use serde_norway::Value;
    match value {
        Value::String(s) => non_empty(s),
        Value::Sequence(list) => from_yaml(list.first()?),
        Value::Mapping(map) => PATH_KEYS.iter().find_map(|k| from_yaml(map.get(*k)?)),
        Value::Tagged(tagged) => from_yaml(&tagged.value),
        _ => None,
    }
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// The absolute URL of an image the front matter names, for an essay at `page_url` on a site
/// at `base_url`. A path from the root is the site's (Jekyll's `absolute_url`, Hugo's
/// `absURL`), so it goes under the base path; a relative one is beside the page (a bundle's
/// picture).
pub fn absolute(image: &str, page_url: &str, base_url: &str) -> String {
    match image.strip_prefix('/') {
        Some(path) if !image.starts_with("//") => {
            let base_path = base_path(base_url);
            if base_path != "/" && image.starts_with(base_path) {
                crate::urls::absolute(image, page_url)
            } else {
                format!("{base_url}{path}")
            }
        }
        _ => crate::urls::absolute(image, page_url),
    }
}

/// `/blog/` of `https://ex.com/blog/`.
fn base_path(base_url: &str) -> &str {
    match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => base_url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_paths_become_absolute_urls() {
        let page = "https://ex.com/blog/post/";
        let base = "https://ex.com/blog/";
        assert_eq!(
            absolute("/img/a.png", page, base),
            "https://ex.com/blog/img/a.png"
        );
        assert_eq!(
            absolute("/blog/img/a.png", page, base),
            "https://ex.com/blog/img/a.png"
        );
        assert_eq!(
            absolute("cover.jpg", page, base),
            "https://ex.com/blog/post/cover.jpg"
        );
        assert_eq!(
            absolute("https://cdn.example/x.png", page, base),
            "https://cdn.example/x.png"
        );
    }
}
