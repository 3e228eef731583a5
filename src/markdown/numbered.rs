//! A code block line by line, for line numbers and highlighted lines (see
//! [`super::code_info`]). Each line is an element of its own; a highlighted one is a `<mark>`,
//! which says so to assistive technology as well as by colour. A number is an empty
//! `aria-hidden` span whose theme shows its `data-n` with `::before`: generated content is
//! never part of a selection, so copying the code never copies its numbers. The numbers are
//! padded with spaces to the widest, so they line up in the block's monospace font.

use std::fmt::Write as _;

use super::code_info::CodeInfo;

/// Appends `lines` (HTML, each with its spans closed and its line ending) to `out`.
pub fn push_lines(info: &CodeInfo, lines: &[String], out: &mut String) {
    let count = u64::try_from(lines.len()).unwrap_or(u64::MAX);
    let last = info.start.saturating_add(count.saturating_sub(1));
    let width = last.to_string().len();
    let mut cursor = 0;
    for (n, line) in (1u64..).zip(lines) {
        let marked = info.is_marked(n, &mut cursor);
        out.push_str(if marked {
            "<mark class=\"line\">"
        } else {
            "<span class=\"line\">"
        });
        if info.linenos {
            let shown = info.start.saturating_add(n - 1);
            let _ = write!(
                out,
                "<span class=\"ln\" data-n=\"{shown:>width$}\" aria-hidden=\"true\"></span>"
            );
        }
        out.push_str(line);
        out.push_str(if marked { "</mark>" } else { "</span>" });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_padded_and_marked_lines_are_marks() {
        let info = CodeInfo::parse("rust,linenos,linenostart=9,hl_lines=2");
        let mut out = String::new();
        push_lines(&info, &["a\n".into(), "b\n".into()], &mut out);
        assert_eq!(
            out,
            "<span class=\"line\"><span class=\"ln\" data-n=\" 9\" aria-hidden=\"true\"></span>a\n</span>\
             <mark class=\"line\"><span class=\"ln\" data-n=\"10\" aria-hidden=\"true\"></span>b\n</mark>"
        );
    }

    #[test]
    fn a_number_past_the_largest_stays_the_largest() {
        let info = CodeInfo {
            linenos: true,
            start: u64::MAX,
            ..CodeInfo::default()
        };
        let mut out = String::new();
        push_lines(&info, &["a\n".into(), "b\n".into()], &mut out);
        assert_eq!(out.matches(&format!("data-n=\"{}\"", u64::MAX)).count(), 2);
    }
}
