//! The Liquid a Jekyll post writes in its text, outside templates: `{{ site.baseurl }}`,
//! `{{ site.url }}`, `{{ page.title }}`, string literals, and the `relative_url`,
//! `absolute_url`, `prepend` and `append` filters. Mostly in link and image destinations
//! (`![x]({{ '/a.png' | relative_url }})`), so the value replaces the call before the text is
//! parsed. Anything else is not guessed at: [`eval`] says so and the caller warns.

/// What the variables hold for one essay.
#[derive(Debug, Clone, Default)]
pub struct Vars {
    /// `site.baseurl`: the path of `base_url`, without its trailing `/` (`""` at a root).
    pub baseurl: String,
    /// `site.url`: the scheme and host of `base_url` (`""` when it is only a path).
    pub url: String,
    /// `site.title`.
    pub site_title: String,
    /// `page.title`.
    pub page_title: String,
    /// `page.url`: the essay's path below the site's base path, as Jekyll has it.
    pub page_url: String,
}

impl Vars {
    /// `site.baseurl` and `site.url` from a base URL such as `https://x.org/blog/` or `/blog/`.
    pub fn split_base(base_url: &str) -> (String, String) {
        let (url, path) = match base_url.find("://") {
            Some(scheme) => {
                let host_end = base_url[scheme + 3..]
                    .find('/')
                    .map_or(base_url.len(), |i| scheme + 3 + i);
                (&base_url[..host_end], &base_url[host_end..])
            }
            None => ("", base_url),
        };
        (path.trim_end_matches('/').to_string(), url.to_string())
    }

    /// A variable's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        Some(match name {
            "site.baseurl" => &self.baseurl,
            "site.url" => &self.url,
            "site.title" => &self.site_title,
            "page.title" => &self.page_title,
            "page.url" => &self.page_url,
            _ => return None,
        })
    }

    /// Jekyll's `relative_url`: the base path before a site path; a full URL is left alone.
    fn relative_url(&self, path: &str) -> String {
        if path.contains("://") || path.starts_with("//") {
            return path.to_string();
        }
        let path = path.trim_start_matches('/');
        format!("{}/{path}", self.baseurl)
    }
}

/// The value of a Liquid output expression, or `None` when it is not one vellum knows.
pub fn eval(expr: &str, vars: &Vars) -> Option<String> {
    let mut parts = split_filters(expr).into_iter();
    let mut value = operand(parts.next()?.trim(), vars)?;
    for filter in parts {
        let (name, arg) = match filter.split_once(':') {
            Some((name, arg)) => (name.trim(), Some(arg.trim())),
            None => (filter.trim(), None),
        };
        value = match (name, arg) {
            ("relative_url", None) => vars.relative_url(&value),
            ("absolute_url", None) => {
                let relative = vars.relative_url(&value);
                if relative.contains("://") {
                    relative
                } else {
                    format!("{}{relative}", vars.url)
                }
            }
            ("prepend", Some(arg)) => operand(arg, vars)? + &value,
            ("append", Some(arg)) => value + &operand(arg, vars)?,
            _ => return None,
        };
    }
    Some(value)
}

/// A string literal or a variable.
fn operand(text: &str, vars: &Vars) -> Option<String> {
    for quote in ['\'', '"'] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return (!inner.contains(quote)).then(|| inner.to_string());
        }
    }
    vars.get(text).map(str::to_string)
}

/// `expr | a | b: "x"` split at the `|`s outside quotes.
fn split_filters(expr: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quote = None;
    let mut start = 0;
    for (i, c) in expr.char_indices() {
        match (c, quote) {
            ('\'' | '"', None) => quote = Some(c),
            (c, Some(q)) if c == q => quote = None,
            ('|', None) => {
                parts.push(&expr[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&expr[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        let (baseurl, url) = Vars::split_base("https://example.org/blog/");
        Vars {
            baseurl,
            url,
            page_title: "On Walking".into(),
            ..Vars::default()
        }
    }

    #[test]
    fn variables_and_filters() {
        let v = vars();
        assert_eq!(eval("site.baseurl", &v).as_deref(), Some("/blog"));
        assert_eq!(eval("site.url", &v).as_deref(), Some("https://example.org"));
        assert_eq!(eval("page.title", &v).as_deref(), Some("On Walking"));
        assert_eq!(
            eval("'/assets/x.png' | relative_url", &v).as_deref(),
            Some("/blog/assets/x.png")
        );
        assert_eq!(
            eval("\"x.png\" | absolute_url", &v).as_deref(),
            Some("https://example.org/blog/x.png")
        );
        assert_eq!(
            eval("\"/x\" | prepend: site.baseurl", &v).as_deref(),
            Some("/blog/x")
        );
        assert_eq!(eval("site.posts | size", &v), None);
        assert_eq!(eval("secrets.TOKEN", &v), None);
    }

    #[test]
    fn a_root_site_has_an_empty_baseurl() {
        assert_eq!(Vars::split_base("/"), (String::new(), String::new()));
        assert_eq!(
            Vars::split_base("https://x.org/"),
            (String::new(), "https://x.org".to_string())
        );
    }
}
