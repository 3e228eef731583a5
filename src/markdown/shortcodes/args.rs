//! A call's arguments, in any of the three generators' ways of writing them: Zola's
//! `key="v", n=3, flag=true`, Hugo's `"positional" key="v"` and bare words (`youtube abc`),
//! Jekyll's `key="v" other=page.title`. Commas and spaces both separate arguments, since
//! writers mix them and their generators let them.

use serde::Serialize;

/// One argument's value, as templates see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Arg {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    List(Vec<Arg>),
}

impl Arg {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Arg::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// A call's arguments: positional ones in order, named ones in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Args {
    pub positional: Vec<Arg>,
    pub named: Vec<(String, Arg)>,
}

impl Args {
    pub fn get(&self, key: &str) -> Option<&Arg> {
        self.named.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// Reads `text`. A bare word that is not `true`, `false` or a number is a string: Hugo's
/// `{{< youtube abc >}}`, or a Liquid variable (`page.title`), which `resolve` may turn into
/// its value.
pub fn parse(text: &str, resolve: &dyn Fn(&str) -> Option<String>) -> Result<Args, String> {
    let mut args = Args::default();
    let mut rest = text.trim();
    while !rest.is_empty() {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.is_empty() {
            break;
        }
        let key_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let after_key = rest[key_len..].trim_start();
        if key_len > 0 && after_key.starts_with('=') {
            let key = rest[..key_len].to_string();
            let (value, after) = value(after_key[1..].trim_start(), resolve)?;
            args.named.push((key, value));
            rest = after;
        } else {
            let (value, after) = value(rest, resolve)?;
            args.positional.push(value);
            rest = after;
        }
    }
    Ok(args)
}

/// One value at the start of `text`, and what follows it.
fn value<'t>(
    text: &'t str,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Result<(Arg, &'t str), String> {
    let Some(first) = text.chars().next() else {
        return Err("an argument has no value".to_string());
    };
    if matches!(first, '"' | '\'' | '`') {
        let (s, rest) = quoted(text, first)?;
        return Ok((Arg::Str(s), rest));
    }
    if first == '[' {
        let mut items = Vec::new();
        let mut rest = &text[1..];
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
            if let Some(after) = rest.strip_prefix(']') {
                return Ok((Arg::List(items), after));
            }
            if rest.is_empty() {
                return Err("a list `[` is not closed".to_string());
            }
            let (item, after) = value(rest, resolve)?;
            items.push(item);
            rest = after;
        }
    }
    let end = text
        .find(|c: char| c.is_whitespace() || c == ',' || c == ']')
        .unwrap_or(text.len());
    let word = &text[..end];
    let arg = match word {
        "true" => Arg::Bool(true),
        "false" => Arg::Bool(false),
        _ => match (word.parse::<i64>(), word.parse::<f64>()) {
            (Ok(n), _) => Arg::Int(n),
            (_, Ok(x)) if x.is_finite() => Arg::Float(x),
            _ => Arg::Str(resolve(word).unwrap_or_else(|| word.to_string())),
        },
    };
    Ok((arg, &text[end..]))
}

/// A string in `quote`s at the start of `text` (a backslash escapes the next character in
/// `"…"` and `'…'`), and what follows it.
fn quoted(text: &str, quote: char) -> Result<(String, &str), String> {
    let mut out = String::new();
    let mut chars = text[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c == quote => return Ok((out, &text[1 + i + c.len_utf8()..])),
            '\\' if quote != '`' => {
                if let Some((_, next)) = chars.next() {
                    out.push(next);
                }
            }
            c => out.push(c),
        }
    }
    Err(format!("a string starting {quote} is not closed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Args {
        parse(text, &|_| None).unwrap()
    }

    #[test]
    fn zola_named_arguments() {
        let args = read(r#"src="a \"b\".png", n=3, x=1.5, flag=true, list=[1, "two"]"#);
        assert_eq!(args.get("src"), Some(&Arg::Str("a \"b\".png".into())));
        assert_eq!(args.get("n"), Some(&Arg::Int(3)));
        assert_eq!(args.get("x"), Some(&Arg::Float(1.5)));
        assert_eq!(args.get("flag"), Some(&Arg::Bool(true)));
        assert_eq!(
            args.get("list"),
            Some(&Arg::List(vec![Arg::Int(1), Arg::Str("two".into())]))
        );
    }

    #[test]
    fn hugo_positional_and_bare_words() {
        let args = read(r#"abc "two words" key='v'"#);
        assert_eq!(
            args.positional,
            vec![Arg::Str("abc".into()), Arg::Str("two words".into())]
        );
        assert_eq!(args.get("key"), Some(&Arg::Str("v".into())));
    }

    #[test]
    fn missing_commas_and_liquid_variables() {
        let args = parse(r#"a="1" b=page.title"#, &|v| {
            (v == "page.title").then(|| "T".to_string())
        })
        .unwrap();
        assert_eq!(args.get("b"), Some(&Arg::Str("T".into())));
        assert!(parse(r#"a="open"#, &|_| None).is_err());
    }
}
