//! kramdown's attribute lists, as Jekyll posts write them: `{: …}` under or over a block and
//! right after a span is applied to it; `{:.no_toc}` keeps a heading out of the contents;
//! `* TOC` with `{:toc}` becomes the table of contents; a list beside nothing stays visible.

use crate::support::*;

const BODY: &str = r#"{: class="table-of-content"}
* TOC
{:toc}

## Walking out
{: #out}

A paragraph with *stress*{: .loud} and [a link](https://example.com/){: target="_blank" rel="noopener"}.
{: .lead data-x='say "hi"'}

![A gate](gate.png){: width="50%" .center}

![A stile](stile.png)
{: style="width: 80%;" class="center"}
*The stile, in spring.*
{:.image-caption}

## Not in the contents
{:.no_toc}

### Coming home

{: .steps}
1. Left.
2. Right.

```sh
echo fenced {: .kept}
```
{: .wide}

{: .legend}
| a | b |
|---|---|
| 1 | 2 |

Over here.

{: .nothing-below}

word{: .no}

- a tight item
  {: .inside}
"#;

fn site() -> Site {
    Site::new()
        .file(
            "vellum.toml",
            "title = \"K\"\nbase_url = \"https://example.com/\"\n",
        )
        .file("content/walk.md", &essay("Walk", "2024-01-01", BODY))
}

#[test]
fn lists_apply_to_blocks_below_and_above_and_to_spans() {
    let site = site();
    site.build(&[]).success();
    let page = site.html("walk/index.html");
    assert_eq!(attrs(&page, "article h2#out", "id"), ["out"]);
    assert_eq!(texts(&page, "article em.loud"), ["stress"]);
    assert_eq!(
        attrs(&page, "article a[target=_blank][rel=noopener]", "href"),
        ["https://example.com/"]
    );
    assert_eq!(attrs(&page, "article p.lead", "data-x"), ["say \"hi\""]);
    assert_eq!(
        attrs(&page, "article img.center[style='width: 50%;']", "src"),
        ["gate.png"]
    );
    assert_eq!(attrs(&page, "article p.center", "style"), ["width: 80%;"]);
    assert_eq!(count(&page, "article p.center > img[src='stile.png']"), 1);
    assert_eq!(
        texts(&page, "article p.image-caption > em"),
        ["The stile, in spring."]
    );
    assert_eq!(count(&page, "article ol.steps > li"), 2);
    assert_eq!(count(&page, "article pre.wide"), 1);
    assert_eq!(count(&page, "article .table-wrap > table.legend td"), 2);
    // Code keeps what it says.
    assert!(only_text(&page, "article pre.wide").contains("{: .kept}"));
}

#[test]
fn toc_list_becomes_the_contents_without_no_toc_headings() {
    let site = site();
    site.build(&[]).success();
    let page = site.html("walk/index.html");
    assert_eq!(
        attrs(&page, "article nav ul.table-of-content a", "href"),
        ["#out", "#coming-home"]
    );
    // Nested by level: the h3 sits in a list inside the h2's item.
    assert_eq!(
        attrs(
            &page,
            "article nav ul.table-of-content > li > ul > li > a",
            "href"
        ),
        ["#coming-home"]
    );
    assert_eq!(count(&page, "article h2#not-in-the-contents.no_toc"), 1);
    let body = only_text(&page, "article .essay-body");
    assert!(!body.contains("TOC"), "{body}");
}

#[test]
fn a_list_beside_nothing_stays_visible_text() {
    let site = site();
    site.build(&[]).success();
    let body = only_text(&site.html("walk/index.html"), "article .essay-body");
    assert!(body.contains("{: .nothing-below}"), "{body}");
    assert!(body.contains("word{: .no}"), "{body}");
    // Under a line of a tight list item, where no block ends: nothing to go to.
    assert!(body.contains("{: .inside}"), "{body}");
    assert_eq!(body.matches("{:").count(), 4, "{body}");
}

#[test]
fn values_are_escaped_and_handlers_dropped() {
    let site = Site::new()
        .file(
            "vellum.toml",
            "title = \"K\"\nbase_url = \"https://example.com/\"\n",
        )
        .file(
            "content/x.md",
            &essay(
                "X",
                "2024-01-01",
                "Para\n{: title='a\"><b>x</b>' onclick=\"alert(1)\" OnLoad=y}\n",
            ),
        );
    site.build(&[]).success();
    let page = site.html("x/index.html");
    assert_eq!(count(&page, "article b"), 0);
    assert_eq!(count(&page, "article [onclick], article [onload]"), 0);
    assert_eq!(attrs(&page, "article p[title]", "title"), ["a\"><b>x</b>"]);
}

#[test]
fn a_hundred_thousand_lists_stay_linear_and_do_not_panic() {
    // Every shape at once: under a paragraph, alone, after a span, unterminated, quotes.
    let body = "a\n{: .x}\n\n{: .y}\n\n*b*{: #c} {: \"\n{:toc}\n".repeat(20_000);
    let site = Site::new()
        .file(
            "vellum.toml",
            "title = \"K\"\nbase_url = \"https://example.com/\"\n",
        )
        .file("content/many.md", &essay("Many", "2024-01-01", &body));
    let started = std::time::Instant::now();
    site.build(&[]).success();
    let page = site.html("many/index.html");
    assert_eq!(count(&page, "article p.x"), 20_000);
    assert_eq!(count(&page, "article em#c"), 20_000 - 1 + 1);
    // Generous: the quadratic version of a pass over 100k lists takes minutes.
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}
