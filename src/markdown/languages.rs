//! Which grammar a fence's language name means. The grammars are bat's set (through
//! `two-face`): TOML, shell, PowerShell, Terraform, SCSS, Dockerfile, Nix and some two hundred
//! more. Writers name languages the way their last generator let them (`sh`, `ps1`, `tf`,
//! `golang`, `Shell-Session`), so names are matched without case, through [`ALIASES`] first
//! and then by each grammar's name and file extensions.
//!
//! The set takes a few milliseconds to load, which is most of what a one-essay build costs,
//! so it is loaded on the first fence with a language and never for a site without code;
//! [`load_time`] tells whether (and how long) it was.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use syntect::parsing::{SyntaxReference, SyntaxSet};

/// How a block in a known language is highlighted.
#[derive(Debug, Clone, Copy)]
pub enum Language {
    /// By one grammar, from its first line to its last.
    Grammar(&'static SyntaxReference),
    /// A terminal session: lines after a `$ `, `% ` or `# ` prompt are shell, the rest is
    /// the commands' output, left plain. bat has no grammar for it.
    Console,
}

/// Names writers use that no grammar carries as its name or extension, lowercase, with the
/// name or extension of the grammar they mean.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("zsh", "bash"),
    ("ksh", "bash"),
    ("posix", "bash"),
    ("env", "bash"),
    ("dotenv", "bash"),
    ("pwsh", "ps1"),
    ("posh", "ps1"),
    ("ps", "ps1"),
    ("terraform", "tf"),
    ("hcl", "tf"),
    ("golang", "go"),
    ("docker", "dockerfile"),
    ("containerfile", "dockerfile"),
    ("jsonc", "json"),
    ("json5", "json"),
    ("javascript", "js"),
    ("node", "js"),
    ("typescript", "ts"),
    ("python3", "py"),
    ("py3", "py"),
    ("python", "py"),
    ("ruby", "rb"),
    ("rust", "rs"),
    ("csharp", "cs"),
    ("c#", "cs"),
    ("cplusplus", "cpp"),
    ("objective-c", "m"),
    ("objc", "m"),
    ("kotlin", "kt"),
    ("elixir", "ex"),
    ("erlang", "erl"),
    ("haskell", "hs"),
    ("ocaml", "ml"),
    ("perl", "pl"),
    ("markdown", "md"),
    ("vuejs", "vue"),
    ("svg", "xml"),
    ("xhtml", "html"),
    ("nginxconf", "nginx"),
    ("conf", "ini"),
    ("cfg", "ini"),
    ("properties", "properties"),
    ("gql", "graphql"),
    ("protobuf", "proto"),
    ("batch", "bat"),
    ("make", "makefile"),
    ("mk", "makefile"),
    ("tex", "latex"),
    ("viml", "vim"),
    ("text", "txt"),
    ("plain", "txt"),
    ("plaintext", "txt"),
];

/// Names of terminal sessions ([`Language::Console`]), lowercase.
const CONSOLES: &[&str] = &[
    "console",
    "shell-session",
    "shellsession",
    "sh-session",
    "terminal",
    "term",
];

/// Nanoseconds the grammars took to load, plus one; 0 while they are not loaded.
static LOADED_IN: AtomicU64 = AtomicU64::new(0);

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(|| {
    let started = Instant::now();
    let set = two_face::syntax::extra_newlines();
    let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX - 1);
    LOADED_IN.store(nanos + 1, Ordering::Relaxed);
    set
});

/// The grammars, loaded on first use.
pub fn syntaxes() -> &'static SyntaxSet {
    &SYNTAXES
}

/// How long the grammars took to load, or `None` if nothing needed them yet.
pub fn load_time() -> Option<Duration> {
    match LOADED_IN.load(Ordering::Relaxed) {
        0 => None,
        n => Some(Duration::from_nanos(n - 1)),
    }
}

/// The language a fence names, if vellum can highlight it. An empty name loads nothing.
pub fn find(name: &str) -> Option<Language> {
    if name.is_empty() || name.len() > 64 {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    if CONSOLES.contains(&lower.as_str()) {
        // The shell grammar is what a session needs.
        return find("bash").map(|_| Language::Console);
    }
    let token = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map_or(lower.as_str(), |(_, token)| token);
    syntaxes()
        .find_syntax_by_token(token)
        .map(Language::Grammar)
}

/// The shell grammar, for the commands of a [`Language::Console`] block.
pub fn shell() -> Option<&'static SyntaxReference> {
    syntaxes().find_syntax_by_token("bash")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grammar(name: &str) -> Option<&'static str> {
        match find(name)? {
            Language::Grammar(syntax) => Some(syntax.name.as_str()),
            Language::Console => Some("console"),
        }
    }

    #[test]
    fn the_usual_fence_names_find_their_grammar() {
        for (names, grammar_name) in [
            (&["toml", "TOML"][..], "TOML"),
            (
                &["sh", "shell", "bash", "zsh", "Bash"],
                "Bourne Again Shell (bash)",
            ),
            (&["ps1", "pwsh", "powershell", "PowerShell"], "PowerShell"),
            (&["tf", "hcl", "terraform"], "Terraform"),
            (&["scss"], "SCSS"),
            (&["dockerfile", "docker", "Dockerfile"], "Dockerfile"),
            (&["nix"], "Nix"),
            (&["yml", "yaml"], "YAML"),
            (&["ts", "typescript"], "TypeScript"),
            (&["py", "python"], "Python"),
            (&["rb", "ruby"], "Ruby"),
            (&["rs", "rust"], "Rust"),
            (&["go", "golang"], "Go"),
            (&["md", "markdown"], "Markdown"),
            (&["json", "jsonc"], "JSON"),
            (&["html"], "HTML"),
            (&["vue"], "Vue Component"),
            (&["console", "shell-session", "Console"], "console"),
        ] {
            for name in names {
                assert_eq!(grammar(name), Some(grammar_name), "{name}");
            }
        }
        assert!(grammar("js").is_some_and(|g| g.starts_with("JavaScript")));
        assert_eq!(grammar("no-such-language"), None);
        assert_eq!(grammar(""), None);
    }
}
