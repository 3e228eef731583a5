//! The common part of mhchem, the chemistry extension KaTeX and MathJax load: `\ce{…}` for
//! formulas and equations and `\pu{…}` for quantities, written as the plain TeX they stand for
//! (`\ce{H2O}` is `\mathrm{H}_{2}\mathrm{O}`), because `pulldown-latex` knows neither.
//!
//! Read: element symbols and words (upright), counts after them (subscripts), charges after `^`
//! or at the end of a species (`SO4^2-`, `Na+`: superscripts), states (`(aq)`), coefficients,
//! `+`, `=`, the arrows (`->`, `<-`, `<->`, `<=>`, with `[above]` text), `*` and `.` (a
//! centred dot). Anything else is kept as it is, upright.

/// `tex` with each `\ce{…}` and `\pu{…}` written as plain TeX, or `None` when it has neither.
pub fn expand(tex: &str) -> Option<String> {
    if !tex.contains("\\ce{") && !tex.contains("\\pu{") {
        return None;
    }
    let mut out = String::with_capacity(tex.len() * 2);
    let mut rest = tex;
    while let Some(at) = next_command(rest) {
        out.push_str(&rest[..at]);
        let chemistry = rest[at..].starts_with("\\ce{");
        let open = at + 4;
        let Some(len) = group_len(&rest[open..]) else {
            // An unclosed group: left for the TeX reader to report.
            out.push_str(&rest[at..]);
            return Some(out);
        };
        let inner = &rest[open..open + len];
        out.push('{');
        out.push_str(&if chemistry { ce(inner) } else { pu(inner) });
        out.push('}');
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    Some(out)
}

fn next_command(text: &str) -> Option<usize> {
    match (text.find("\\ce{"), text.find("\\pu{")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The length of the group's text up to its closing brace (braces nest), or `None`.
fn group_len(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// A `\ce` body: space-separated species, operators and arrows.
fn ce(body: &str) -> String {
    let mut out = String::new();
    for word in body.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if let Some(arrow) = arrow(word) {
            out.push_str(&arrow);
        } else if matches!(word, "+" | "=" | "-") {
            out.push_str(word);
        } else {
            species(word, &mut out);
        }
    }
    out
}

/// An arrow, with its `[above][below]` text, as TeX.
fn arrow(word: &str) -> Option<String> {
    const ARROWS: [(&str, &str); 6] = [
        ("<=>", "\\rightleftharpoons"),
        ("<->", "\\leftrightarrow"),
        ("->", "\\rightarrow"),
        ("<-", "\\leftarrow"),
        ("<=>>", "\\rightleftharpoons"),
        ("<<=>", "\\rightleftharpoons"),
    ];
    let (name, tex) = ARROWS
        .iter()
        .filter(|(name, _)| word.starts_with(name))
        .max_by_key(|(name, _)| name.len())?;
    let rest = &word[name.len()..];
    let mut texts = rest
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .map(|r| r.split("]["))
        .into_iter()
        .flatten();
    if !rest.is_empty() && !rest.starts_with('[') {
        return None;
    }
    let above = texts.next().filter(|t| !t.is_empty());
    Some(match above {
        Some(above) => format!("\\overset{{\\text{{{above}}}}}{{{tex}}}"),
        None => tex.to_string(),
    })
}

/// One species: `2H2O`, `SO4^2-`, `Fe(OH)3`, `Na+`, `(aq)`.
fn species(word: &str, out: &mut String) {
    let chars: Vec<char> = word.chars().collect();
    let mut i = 0;
    // A coefficient: digits (and a fraction or decimal point) before the first letter.
    while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '/' || chars[i] == '.') {
        out.push(chars[i]);
        i += 1;
    }
    if i > 0 {
        out.push_str("\\,");
    }
    let mut after_atom = false;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphabetic() {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i].is_ascii_lowercase() {
                i += 1;
            }
            out.push_str("\\mathrm{");
            out.extend(&chars[start..i]);
            out.push('}');
            after_atom = true;
        } else if c.is_ascii_digit() && after_atom {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            out.push_str("_{");
            out.extend(&chars[start..i]);
            out.push('}');
        } else if c == '^' {
            i += 1;
            let start = i;
            if chars.get(i) == Some(&'{') {
                let end = chars[i..]
                    .iter()
                    .position(|&c| c == '}')
                    .map_or(chars.len(), |p| i + p);
                out.push_str("^{");
                out.extend(&chars[i + 1..end]);
                out.push('}');
                i = (end + 1).min(chars.len());
            } else {
                while i < chars.len()
                    && (chars[i].is_ascii_digit() || matches!(chars[i], '+' | '-'))
                {
                    i += 1;
                }
                out.push_str("^{");
                out.extend(&chars[start..i]);
                out.push('}');
            }
        } else if matches!(c, '+' | '-') && after_atom && i + 1 == chars.len() {
            // A charge at the end of a species: `Na+`, `Cl-`.
            out.push_str("^{");
            out.push(c);
            out.push('}');
            i += 1;
        } else if matches!(c, '*' | '.' | '·') {
            out.push_str("\\cdot ");
            after_atom = false;
            i += 1;
        } else {
            // Brackets and anything unforeseen, as written: `)` is followed by a count like an
            // element is.
            if matches!(c, '{' | '}' | '\\' | '#' | '%' | '&' | '_' | '~') {
                out.push('\\');
            }
            out.push(c);
            after_atom = matches!(c, ')' | ']');
            i += 1;
        }
    }
}

/// A `\pu` body: a number, then its unit (upright, `^` powers kept).
fn pu(body: &str) -> String {
    let body = body.trim();
    let split = body
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+' | 'e' | 'E')))
        .unwrap_or(body.len());
    let (number, unit) = body.split_at(split);
    let number = match number.split_once(['e', 'E']) {
        Some((mantissa, exponent)) if !exponent.is_empty() => {
            format!("{mantissa}\\times 10^{{{exponent}}}")
        }
        _ => number.to_string(),
    };
    let unit = unit.trim();
    if unit.is_empty() {
        return number;
    }
    let mut upright = String::new();
    for (i, part) in unit.split('^').enumerate() {
        if i == 0 {
            upright.push_str(&format!("\\mathrm{{{}}}", part.replace(' ', "\\,")));
        } else {
            let power: String = part
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '-')
                .collect();
            let tail = &part[power.len()..];
            upright.push_str(&format!("^{{{power}}}"));
            if !tail.is_empty() {
                upright.push_str(&format!("\\mathrm{{{}}}", tail.replace(' ', "\\,")));
            }
        }
    }
    format!("{number}\\,{upright}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_and_equations() {
        assert_eq!(
            expand("\\ce{H2O}").as_deref(),
            Some("{\\mathrm{H}_{2}\\mathrm{O}}")
        );
        assert_eq!(
            expand("\\ce{CO2 + H2O -> H2CO3}").as_deref(),
            Some(
                "{\\mathrm{C}\\mathrm{O}_{2} + \\mathrm{H}_{2}\\mathrm{O} \\rightarrow \
                 \\mathrm{H}_{2}\\mathrm{C}\\mathrm{O}_{3}}"
            )
        );
        assert_eq!(
            expand("\\ce{SO4^2- + Na+}").as_deref(),
            Some("{\\mathrm{S}\\mathrm{O}_{4}^{2-} + \\mathrm{Na}^{+}}")
        );
        assert_eq!(
            expand("\\ce{2Fe(OH)3 <=>[heat] Fe2O3}").as_deref(),
            Some(
                "{2\\,\\mathrm{Fe}(\\mathrm{O}\\mathrm{H})_{3} \
                 \\overset{\\text{heat}}{\\rightleftharpoons} \\mathrm{Fe}_{2}\\mathrm{O}_{3}}"
            )
        );
    }

    #[test]
    fn quantities() {
        assert_eq!(
            expand("\\pu{1.2 mol/L}").as_deref(),
            Some("{1.2\\,\\mathrm{mol/L}}")
        );
        assert_eq!(
            expand("\\pu{9.8 m/s^2}").as_deref(),
            Some("{9.8\\,\\mathrm{m/s}^{2}}")
        );
        assert_eq!(
            expand("\\pu{6.0e23}").as_deref(),
            Some("{6.0\\times 10^{23}}")
        );
    }

    #[test]
    fn other_tex_and_broken_groups_are_left_alone() {
        assert_eq!(expand("x^2"), None);
        assert_eq!(expand("a \\ce{H2").as_deref(), Some("a \\ce{H2"));
        assert_eq!(expand("\\ce{}").as_deref(), Some("{}"));
    }

    #[test]
    fn each_rendered_formula_reads_as_tex() {
        for tex in [
            "\\ce{CO2 + H2O -> H2CO3}",
            "\\ce{SO4^2- + Na+ <-> NaSO4-}",
            "\\pu{25 °C}",
            "\\pu{1.2 mol/L}",
            "\\ce{A ->[x][y] B}",
        ] {
            let written = expand(tex).unwrap_or_default();
            assert!(
                super::super::math::mathml(&written, false).is_ok(),
                "{tex} as {written}"
            );
        }
    }
}
