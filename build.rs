//! Embeds the built-in themes (every folder under `themes/`) in the binary, so that a bare
//! folder of essays builds and `vellum init --theme NAME` works anywhere. Generates
//! `$OUT_DIR/builtin_themes.rs`: one `(theme, [(path, bytes)])` entry per theme, sorted.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=themes");
    // Read when the script runs, not baked in when it was compiled: a script compiled for one
    // checkout may be run for another that shares its target folder.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
    let themes = Path::new(&manifest_dir).join("themes");
    let mut code = String::from(
        "/// (path in the theme, contents)\npub type ThemeFile = (&'static str, &'static [u8]);\npub static BUILTIN_THEMES: &[(&str, &[ThemeFile])] = &[\n",
    );
    let mut names: Vec<PathBuf> = read_dir(&themes)
        .into_iter()
        .filter(|p| p.is_dir())
        .collect();
    names.sort();
    // A binary without its default theme builds no site: fail here, not in front of a writer.
    assert!(
        names.iter().any(|d| d.ends_with("default")),
        "no themes/default/ under {}",
        themes.display()
    );
    for dir in names {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut files = Vec::new();
        collect(&dir, &mut files);
        files.sort();
        let _ = writeln!(code, "    ({name:?}, &[");
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let rel = file.strip_prefix(&dir).unwrap_or(&file);
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let _ = writeln!(
                code,
                "        ({:?}, include_bytes!({:?})),",
                rel.join("/"),
                file.display().to_string()
            );
        }
        code.push_str("    ]),\n");
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("builtin_themes.rs");
    if let Err(e) = std::fs::write(&out, code) {
        panic!("cannot write {}: {e}", out.display());
    }
}

fn read_dir(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

/// Every file under `dir`, skipping hidden and editor files as the content walk does.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for path in read_dir(dir) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
            continue;
        }
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
