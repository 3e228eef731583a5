//! What front matter says of where a text belongs, in each generator's words: whether it is
//! an essay or a page, its place in the menu, its weight, and a URL that replaces the one its
//! place would give. Read leniently from the keys vellum does not otherwise know (`extra`): a
//! value of another shape than expected is a theme's business, not an error.

use crate::frontmatter::{Extra, ExtraValue};
use crate::route::Pattern;

/// What an essay-like file is, as its front matter says; a file that says nothing is an essay
/// unless its place makes it a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Essay,
    Page,
}

/// The kind front matter gives, in any generator's words.
pub fn kind_of(extra: &Extra) -> Option<Kind> {
    let text = |key| extra.get(key).and_then(as_str);
    match text("kind").map(str::to_ascii_lowercase).as_deref() {
        Some("page") => return Some(Kind::Page),
        Some("essay" | "post") => return Some(Kind::Essay),
        _ => {}
    }
    // Jekyll's `layout: page`, Hugo's `type: page`.
    if text("layout") == Some("page") || text("type") == Some("page") {
        return Some(Kind::Page);
    }
    // Hugo's `_build: {list: never}` (or `build`): rendered, never listed.
    let unlisted = ["_build", "build"].iter().any(|key| {
        extra
            .get(*key)
            .and_then(|build| field(build, "list"))
            .and_then(|list| as_str(&list).map(str::to_string))
            .is_some_and(|list| list == "never" || list == "false")
    });
    unlisted.then_some(Kind::Page)
}

/// Where a page sits in the site's menu, if it is in it: `menu = true` (after those with an
/// order), `menu = 2`, Hugo's `menu: main`, `menu: [main]` or `menu: {main: {weight: 2}}`.
/// Pages of equal order go by title.
pub fn menu_of(extra: &Extra) -> Option<i64> {
    const LAST: i64 = i64::MAX;
    let menu = extra.get("menu")?;
    if let Some(on) = as_bool(menu) {
        return on.then_some(LAST);
    }
    if let Some(order) = as_int(menu) {
        return Some(order);
    }
    if as_str(menu) == Some("main") || list_has(menu, "main") {
        return Some(weight_of(extra).unwrap_or(LAST));
    }
    let main = field(menu, "main")?;
    Some(
        field(&main, "weight")
            .and_then(|w| as_int(&w))
            .or_else(|| weight_of(extra))
            .unwrap_or(LAST),
    )
}

/// Hugo's and Zola's `weight`, which orders pages and menus.
pub fn weight_of(extra: &Extra) -> Option<i64> {
    extra.get("weight").and_then(as_int)
}

/// The front-matter key that gives the whole URL, with its pattern: Zola's `path` is taken
/// as written; Hugo's `url` and Jekyll's `permalink` may hold placeholders.
pub fn url_override(extra: &Extra) -> Option<(&'static str, std::result::Result<Pattern, String>)> {
    if let Some(path) = extra.get("path").and_then(as_str) {
        return Some(("path", Ok(Pattern::literal(path))));
    }
    ["url", "permalink"].into_iter().find_map(|key| {
        let text = extra.get(key).and_then(as_str)?;
        Some((key, Pattern::parse(text)))
    })
}

pub(crate) fn as_str(value: &ExtraValue) -> Option<&str> {
    match value {
        ExtraValue::Toml(toml::Value::String(s)) => Some(s),
        ExtraValue::Yaml(serde_norway::Value::String(s)) => Some(s),
        _ => None,
    }
}

pub(crate) fn as_bool(value: &ExtraValue) -> Option<bool> {
    match value {
        ExtraValue::Toml(toml::Value::Boolean(b)) => Some(*b),
        ExtraValue::Yaml(serde_norway::Value::Bool(b)) => Some(*b),
        _ => None,
    }
}

pub(crate) fn as_int(value: &ExtraValue) -> Option<i64> {
    match value {
        ExtraValue::Toml(toml::Value::Integer(n)) => Some(*n),
        ExtraValue::Yaml(serde_norway::Value::Number(n)) => n.as_i64(),
        _ => None,
    }
}

/// A key of a table value.
fn field(value: &ExtraValue, key: &str) -> Option<ExtraValue> {
    match value {
        ExtraValue::Toml(toml::Value::Table(t)) => t.get(key).cloned().map(ExtraValue::Toml),
        ExtraValue::Yaml(serde_norway::Value::Mapping(m)) => {
            m.get(key).cloned().map(ExtraValue::Yaml)
        }
        _ => None,
    }
}

/// Whether a list value holds the string `item`.
fn list_has(value: &ExtraValue, item: &str) -> bool {
    match value {
        ExtraValue::Toml(toml::Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(item)),
        ExtraValue::Yaml(serde_norway::Value::Sequence(s)) => {
            s.iter().any(|v| v.as_str() == Some(item))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontmatter;

    fn extra(front: &str) -> Extra {
        let split = frontmatter::split(front).unwrap();
        frontmatter::parse(&split).unwrap().1
    }

    #[test]
    fn every_generators_page_marker_makes_a_page() {
        for front in [
            "+++\nkind = \"page\"\n+++\n",
            "---\nlayout: page\n---\n",
            "---\ntype: page\n---\n",
            "---\n_build:\n  list: never\n---\n",
            "+++\n[build]\nlist = \"never\"\n+++\n",
        ] {
            assert_eq!(kind_of(&extra(front)), Some(Kind::Page), "{front}");
        }
        for front in ["---\nlayout: post\n---\n", "+++\nkind = \"essay\"\n+++\n"] {
            assert_ne!(kind_of(&extra(front)), Some(Kind::Page), "{front}");
        }
    }

    #[test]
    fn menus_in_every_form() {
        assert_eq!(menu_of(&extra("+++\nmenu = 2\n+++\n")), Some(2));
        assert_eq!(menu_of(&extra("+++\nmenu = true\n+++\n")), Some(i64::MAX));
        assert_eq!(menu_of(&extra("+++\nmenu = false\n+++\n")), None);
        assert_eq!(
            menu_of(&extra("---\nmenu: main\nweight: 3\n---\n")),
            Some(3)
        );
        assert_eq!(menu_of(&extra("---\nmenu: [main]\n---\n")), Some(i64::MAX));
        assert_eq!(
            menu_of(&extra("---\nmenu:\n  main:\n    weight: 5\n---\n")),
            Some(5)
        );
        assert_eq!(menu_of(&extra("---\nmenu:\n  footer: {}\n---\n")), None);
    }
}
