//! The forms a [`CheckReport`] is shown in: lines for people, JSON for scripts, and GitHub
//! workflow commands (`::error file=…,line=…::…`) that GitHub Actions turns into annotations
//! on the lines of a pull request.

use std::fmt::Write;
use std::path::Path;

use super::{CheckReport, Problem, Severity};

/// One line per problem, then a summary.
pub fn human(report: &CheckReport) -> String {
    let mut out = String::new();
    for problem in &report.problems {
        let _ = writeln!(out, "{problem}");
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

/// `3 errors, 1 warning in 12 pages (85 links checked).`
pub fn summary(report: &CheckReport) -> String {
    let counts: Vec<String> = [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Unknown, "unknown", "unknown"),
    ]
    .into_iter()
    .filter_map(|(severity, one, many)| {
        let n = report.count(severity);
        (n > 0).then(|| format!("{n} {}", if n == 1 { one } else { many }))
    })
    .collect();
    let found = if counts.is_empty() {
        "no problems".to_string()
    } else {
        counts.join(", ")
    };
    format!(
        "vellum check: {found} in {} pages ({} links checked).",
        report.pages, report.links
    )
}

/// A JSON document: `{"problems": [{"file", "line", "severity", "kind", "message"}], …}`.
pub fn json(report: &CheckReport) -> String {
    let problems: Vec<String> = report
        .problems
        .iter()
        .map(|p| {
            format!(
                "    {{\"file\": {}, \"line\": {}, \"severity\": \"{}\", \"kind\": \"{}\", \"message\": {}}}",
                json_string(&p.at.path.to_string_lossy()),
                p.at.line.map_or("null".to_string(), |l| l.to_string()),
                p.severity.as_str(),
                p.kind,
                json_string(&p.message)
            )
        })
        .collect();
    let list = if problems.is_empty() {
        "[]".to_string()
    } else {
        format!("[\n{}\n  ]", problems.join(",\n"))
    };
    format!(
        "{{\n  \"problems\": {list},\n  \"errors\": {},\n  \"warnings\": {},\n  \"unknown\": {},\n  \"pages\": {},\n  \"links\": {}\n}}\n",
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Unknown),
        report.pages,
        report.links
    )
}

/// GitHub workflow commands, one per problem, then the summary. `prefix` is the site root's
/// path from the repository root (empty when they are the same), so that annotations land
/// on the right files.
pub fn github(report: &CheckReport, prefix: &Path) -> String {
    let mut out = String::new();
    for problem in &report.problems {
        let _ = writeln!(out, "{}", annotation(problem, prefix));
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

fn annotation(problem: &Problem, prefix: &Path) -> String {
    let command = match problem.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Unknown => "notice",
    };
    let file = prefix.join(&problem.at.path);
    let mut properties = format!(
        "file={}",
        escape_property(&file.to_string_lossy().replace('\\', "/"))
    );
    if let Some(line) = problem.at.line {
        let _ = write!(properties, ",line={line}");
    }
    let _ = write!(
        properties,
        ",title={}",
        escape_property(&format!("vellum check: {}", problem.kind))
    );
    format!(
        "::{command} {properties}::{}",
        escape_data(&problem.message)
    )
}

/// Workflow-command message escaping.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Workflow-command property escaping: the data escapes, and the separators.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;

    fn report() -> CheckReport {
        CheckReport {
            problems: vec![Problem {
                at: Location::line("content/a, b.md", 3),
                severity: Severity::Error,
                kind: "broken-link",
                message: "link to `/x/`: 100% \"gone\"\nreally".to_string(),
            }],
            pages: 2,
            links: 5,
            ..CheckReport::default()
        }
    }

    #[test]
    fn github_annotations_escape_what_they_must() {
        assert_eq!(
            github(&report(), Path::new("site")).lines().next(),
            Some(
                "::error file=site/content/a%2C b.md,line=3,title=vellum check%3A broken-link::link to `/x/`: 100%25 \"gone\"%0Areally"
            )
        );
    }

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json_string("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
        assert!(json(&report()).contains("\"line\": 3"));
    }

    #[test]
    fn summary_counts() {
        assert_eq!(
            summary(&report()),
            "vellum check: 1 error in 2 pages (5 links checked)."
        );
    }
}
