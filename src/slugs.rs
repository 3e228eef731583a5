//! URL slugs: made from titles, file names and tags, or checked when a writer gives one.

/// A lowercase ASCII slug (`Don’t Panic!` → `dont-panic`); `untitled` when nothing is left.
pub fn slugify(text: &str) -> String {
    // Apostrophes join words rather than split them: "don’t" is "dont", not "don-t".
    let joined: String = text.chars().filter(|c| !matches!(c, '\'' | '’')).collect();
    let slug = slug::slugify(joined);
    if slug.is_empty() {
        "untitled".to_string()
    } else {
        slug
    }
}

/// Checks a slug or alias that a writer typed and returns it as a relative path without
/// leading or trailing slashes. Slashes are allowed (`2024/05/old-post`) so that old URLs can
/// be kept; anything that could leave the output directory is not.
pub fn check_path(text: &str) -> Result<String, String> {
    let trimmed = text.trim().trim_matches('/');
    if trimmed.is_empty() {
        return Err(format!("`{text}` is empty"));
    }
    for segment in trimmed.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." {
            return Err(format!(
                "`{text}` would leave the site's folder or has an empty part"
            ));
        }
        if let Some(c) = segment.chars().find(|c| {
            c.is_control() || c.is_whitespace() || matches!(c, '\\' | '?' | '#' | '%' | ':')
        }) {
            return Err(format!(
                "`{text}` contains `{}`, which URLs cannot hold here",
                c.escape_default()
            ));
        }
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_titles() {
        assert_eq!(slugify("Don’t Panic!"), "dont-panic");
        assert_eq!(slugify("Café au lait — a note"), "cafe-au-lait-a-note");
        assert_eq!(slugify("“”!!"), "untitled");
    }

    #[test]
    fn checked_paths() {
        assert_eq!(check_path("/2024/05/old/").unwrap(), "2024/05/old");
        assert!(check_path("../etc").is_err());
        assert!(check_path("a/../../b").is_err());
        assert!(check_path("a//b").is_err());
        assert!(check_path("C:\\x").is_err());
        assert!(check_path("  ").is_err());
    }
}
