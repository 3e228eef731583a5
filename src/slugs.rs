//! URL slugs: made from titles, file names and tags, or checked when a writer gives one.
//!
//! Each part of a slug becomes a folder or file name in the output, so each part must be a
//! name every file system takes ([`check_part`]): not longer than [`MAX_PART`] bytes, and not a
//! name Windows keeps for a device. A site is often built on one system and checked out, or
//! built again, on another; a name that only some systems take fails there, far from the
//! essay that asked for it.

/// A lowercase ASCII slug (`Don’t Panic!` → `dont-panic`); `untitled` when nothing is left.
pub fn slugify(text: &str) -> String {
    or_untitled(slug_of(text))
}

/// The slug of a file or folder name: as [`slugify`], but dots are kept, as Zola and Hugo keep
/// them (`Rust-1.12` → `rust-1.12`), so that `Rust-1.12/` and `Rust-1.13/` stay apart and
/// migrated URLs stay the same.
pub fn slugify_name(name: &str) -> String {
    let parts: Vec<String> = name
        .split('.')
        .map(slug_of)
        .filter(|part| !part.is_empty())
        .collect();
    or_untitled(parts.join("."))
}

/// Jekyll's `pretty` slug, which its `:title` is made with (`lib/jekyll/utils.rb`): case
/// kept, runs of anything but letters, marks, digits and `._~!$&'()+,;=@` made one `-`.
/// Migrated Jekyll URLs such as `/2017/08/20/from-GAN-to-WGAN.html` depend on it.
pub fn pretty(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || "._~!$&'()+,;=@".contains(c) || is_mark(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    or_untitled(out.trim_matches('-').to_string())
}

/// A combining mark (accents typed as their own character), which Jekyll keeps in slugs.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{1ab0}'..='\u{1aff}' | '\u{20d0}'..='\u{20ff}')
}

/// `text` as a slug, which may be empty. Apostrophes join words rather than split them:
/// "don’t" is "dont", not "don-t".
fn slug_of(text: &str) -> String {
    let joined: String = text.chars().filter(|c| !matches!(c, '\'' | '’')).collect();
    slug::slugify(joined)
}

fn or_untitled(slug: String) -> String {
    if slug.is_empty() {
        "untitled".to_string()
    } else {
        slug
    }
}

/// The longest part of a slug, in bytes. Most file systems take names of up to 255 bytes; the
/// build writes each file under a longer temporary name first (`output.rs`), and some
/// encrypted home folders take only 143, so this leaves room.
pub const MAX_PART: usize = 200;

/// Names Windows keeps for devices, with or without an extension (`nul.txt` is the device
/// too), whatever their case. COM and LPT are followed by a digit, superscripts included.
const DEVICES: &[&str] = &["con", "prn", "aux", "nul"];
const NUMBERED_DEVICES: &[&str] = &["com", "lpt"];

/// Checks one part of an output path (a name between slashes). What is wrong with it is said
/// as the rest of a sentence about it (`is …`), for the caller to begin.
pub fn check_part(part: &str) -> Result<(), String> {
    if part.len() > MAX_PART {
        return Err(format!(
            "is {} bytes long, and a file or folder name may be at most {MAX_PART}",
            part.len()
        ));
    }
    let stem = part.split('.').next().unwrap_or(part).to_ascii_lowercase();
    let numbered = NUMBERED_DEVICES.iter().any(|device| {
        stem.strip_prefix(device).is_some_and(|n| {
            let mut chars = n.chars();
            matches!(
                (chars.next(), chars.next()),
                (Some('1'..='9' | '¹' | '²' | '³'), None)
            )
        })
    });
    if DEVICES.contains(&stem.as_str()) || numbered {
        return Err(
            "is a device name on Windows (CON, PRN, AUX, NUL, COM1 to COM9, LPT1 to \
             LPT9), so no file or folder there can be called that"
                .to_string(),
        );
    }
    Ok(())
}

/// The first 40 characters of `text`, for messages about text too long to show.
pub fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
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
        check_part(segment).map_err(|reason| format!("`{}` {reason}", shorten(segment)))?;
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_and_folder_names_keep_their_dots() {
        for (name, slug) in [
            ("Rust-1.12", "rust-1.12"),
            ("Go 1.21", "go-1.21"),
            ("notes.v2", "notes.v2"),
            ("a..b", "a.b"),
            ("...", "untitled"),
            ("Don’t Panic", "dont-panic"),
        ] {
            assert_eq!(slugify_name(name), slug, "{name}");
        }
    }

    #[test]
    fn jekyll_pretty_slugs_keep_case_and_its_punctuation() {
        assert_eq!(pretty("from-GAN-to-WGAN"), "from-GAN-to-WGAN");
        assert_eq!(pretty("What's new? (2017)"), "What's-new-(2017)");
        assert_eq!(pretty("  Café   au lait "), "Café-au-lait");
        assert_eq!(pretty("??"), "untitled");
    }

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

    #[test]
    fn windows_device_names_are_refused_in_any_case_and_with_an_extension() {
        for name in [
            "CON",
            "nul",
            "Aux",
            "prn.txt",
            "nul.tar.gz",
            "COM1",
            "lpt9",
            "com¹",
        ] {
            let message = check_part(name).expect_err(name);
            assert!(
                message.contains("device name on Windows"),
                "{name}: {message}"
            );
            assert!(check_path(&format!("2024/{name}/x")).is_err(), "{name}");
        }
        for name in [
            "console",
            "con-game",
            "null",
            "com",
            "com10",
            "lpt0",
            "auxiliary",
            "a.con",
        ] {
            assert_eq!(check_part(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn parts_longer_than_a_file_name_may_be_are_refused_and_shown_shortened() {
        assert_eq!(check_part(&"a".repeat(MAX_PART)), Ok(()));
        let message = check_path(&"é".repeat(MAX_PART / 2 + 1)).unwrap_err();
        assert!(
            message.starts_with(&format!("`{}…` is 202 bytes", "é".repeat(40))),
            "{message}"
        );
        assert!(check_path(&format!("ok/{}", "a".repeat(300))).is_err());
    }
}
