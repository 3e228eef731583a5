//! `vellum build --minify`: HTML and CSS made smaller just before they are written. HTML goes
//! through `html-minifier` (whitespace and comments; `<pre>`, `<textarea>` and `<code>` kept as
//! they are), stylesheets through `minifier`'s CSS minifier. Other files pass untouched, and
//! unminified output stays the default because it is readable.

use rayon::prelude::*;

use crate::error::{Error, Location, Result};
use crate::output::{Contents, OutputFile};

/// Minifies every HTML page and stylesheet in `files`, in place.
pub fn minify(files: &mut [OutputFile]) -> Result<()> {
    let errors: Vec<Error> = files
        .par_iter_mut()
        .filter_map(|file| minify_file(file).err())
        .collect();
    match Error::collect(errors) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

fn minify_file(file: &mut OutputFile) -> Result<()> {
    let kind = match file.path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html" | "htm") => Kind::Html,
        Some("css") => Kind::Css,
        _ => return Ok(()),
    };
    let text = match &file.contents {
        Contents::Bytes(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        Contents::Copy(from) => std::fs::read_to_string(from).map_err(|e| Error::io(from, e))?,
    };
    let failed = |message: String| {
        Error::content(
            Location::file(&file.origin),
            format!("{}: could not minify: {message}", file.path),
        )
    };
    let small = match kind {
        Kind::Html => html(&text).map_err(failed)?,
        Kind::Css => minifier::css::minify(&text)
            .map(|m| m.to_string())
            .map_err(|e| failed(e.to_string()))?,
    };
    file.contents = Contents::Bytes(small.into_bytes());
    Ok(())
}

enum Kind {
    Html,
    Css,
}

fn html(text: &str) -> std::result::Result<String, String> {
    let mut minifier = html_minifier::HTMLMinifier::new();
    // Inline code keeps its spaces: a theme may show it with `white-space: pre`.
    minifier.set_minify_code(false);
    minifier.digest(text).map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(minifier.get_html()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minified(path: &str, text: &str) -> String {
        let mut files = vec![OutputFile::bytes(path, text.as_bytes().to_vec(), "test")];
        minify(&mut files).unwrap();
        match &files[0].contents {
            Contents::Bytes(bytes) => String::from_utf8(bytes.clone()).unwrap(),
            Contents::Copy(_) => unreachable!(),
        }
    }

    #[test]
    fn html_loses_whitespace_but_not_pre_or_code() {
        let out = minified(
            "a/index.html",
            "<p>\n    Some   <em>text</em>\n</p>\n<!-- note -->\n<pre><code>a\n    b</code></pre>\n<p><code>x  y</code></p>\n",
        );
        assert!(
            out.starts_with("<p>\nSome <em>text</em>\n</p>\n<pre>"),
            "{out}"
        );
        assert!(out.contains("<pre><code>a\n    b</code></pre>"), "{out}");
        assert!(out.contains("<code>x  y</code>"), "{out}");
        assert!(!out.contains("note"), "{out}");
    }

    #[test]
    fn css_is_minified_and_other_files_untouched() {
        assert_eq!(
            minified("s.css", "a {\n  color : red ;\n}\n"),
            "a{color:red;}"
        );
        assert_eq!(minified("atom.xml", "<a>  </a>"), "<a>  </a>");
    }
}
