//! Math: TeX in essays becomes MathML when the site is built, in the page and the feed, with
//! no script; a price stays text; a formula TeX cannot read is a warning at its file and line
//! and is shown as its source.

use crate::support::*;

const BODY: &str = r"A fraction $\frac{a}{b}$ and a price: it costs $5 and $10.

$$\bar{\alpha}_t = \prod_{i=1}^t \alpha_i$$

As kramdown writes it, \(x_1 * y_1\), and on its own lines:

\[
\begin{aligned} a &= b \\ c &= d \end{aligned}
\]
";

fn site() -> Site {
    Site::new()
        .file(
            "vellum.toml",
            "title = \"M\"\nbase_url = \"https://example.com/\"\n",
        )
        .file("content/noise.md", &essay("Noise", "2024-01-01", BODY))
}

#[test]
fn formulas_become_mathml_in_the_page_and_the_feed() {
    let site = site();
    let run = site.build(&[]).success();
    assert!(!run.stderr.contains("math"), "{run}");
    let page = site.html("noise/index.html");
    assert_eq!(count(&page, "article math"), 4);
    assert_eq!(count(&page, "article math[display=block]"), 2);
    assert_eq!(count(&page, "article math mfrac"), 1);
    assert_eq!(count(&page, "article math mtable"), 1);
    assert_eq!(count(&page, "article em"), 0, "TeX read as emphasis");
    assert_eq!(count(&page, "script"), 0);
    let article = only_text(&page, "article .essay-body");
    assert!(article.contains("it costs $5 and $10."), "{article}");
    assert!(
        !article.contains("$$") && !article.contains("\\("),
        "{article}"
    );

    let feed = site.read("atom.xml");
    for part in [
        "&lt;math display=&quot;block&quot;&gt;",
        "&lt;mfrac&gt;",
        "&lt;mtable",
    ] {
        assert!(feed.contains(part), "{part} in {feed}");
    }
    assert!(feed.contains("it costs $5 and $10."), "{feed}");
}

#[test]
fn a_formula_tex_cannot_read_warns_at_its_line_and_shows_its_source() {
    let site = site().file(
        "content/broken.md",
        &essay(
            "Broken",
            "2024-01-02",
            "Fine $x$.\n\nThen $\\frac{1}$ here.\n",
        ),
    );
    let run = site.build(&[]).success();
    // Front matter is four lines and a blank one: the formula is on line 8.
    run.stderr_has("warning: content/broken.md:8: math: ");
    run.stderr_has("`$\\frac{1}$`");
    let page = site.html("broken/index.html");
    assert_eq!(only_text(&page, "code.math-error"), "\\frac{1}");
    assert_eq!(count(&page, "article math"), 1);
    // Said again on the next build, though the page is not rendered again.
    site.build(&[])
        .success()
        .stderr_has("warning: content/broken.md:8: math: ");
}
