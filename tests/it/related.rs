//! Related essays (`related = true`): each essay lists up to five others, ranked by the tags,
//! links and rare title and description words they share; none without the setting.

use crate::support::{Site, texts};

fn essay(slug: &str, title: &str, date: &str, tags: &str, rest: &str) -> (String, String) {
    (
        format!("content/{slug}.md"),
        format!("+++\ntitle = \"{title}\"\ndate = {date}\ntags = [{tags}]\n{rest}+++\n\nBody.\n"),
    )
}

fn site(config: &str) -> Site {
    let mut site = Site::new().file(
        "vellum.toml",
        &format!("title = \"Related\"\nbase_url = \"https://ex.com/\"\n{config}"),
    );
    for (path, text) in [
        essay(
            "walking-far",
            "Walking Far",
            "2024-01-01",
            "\"walking\"",
            "description = \"Long walks in the mountains\"\n",
        ),
        essay(
            "walking-near",
            "Walking Near",
            "2024-02-01",
            "\"walking\"",
            "",
        ),
        essay(
            "mountain-maps",
            "Mountain Maps",
            "2024-03-01",
            "\"maps\"",
            "description = \"Maps of mountains\"\n",
        ),
        essay("boots", "Boots", "2024-04-01", "\"gear\"", ""),
        essay("cooking", "Cooking Rice", "2024-05-01", "\"food\"", ""),
    ] {
        site = site.file(&path, &text);
    }
    // A link makes two essays related.
    site.write(
        "content/mountain-maps.md",
        "+++\ntitle = \"Mountain Maps\"\ndate = 2024-03-01\ntags = [\"maps\"]\ndescription = \"Maps of mountains\"\n+++\n\nSee [far](/walking-far/).\n",
    );
    site
}

#[test]
fn each_essay_lists_the_essays_sharing_links_tags_and_rare_words() {
    for theme in ["default", "broadsheet"] {
        let site = site(&format!("related = true\ntheme = \"{theme}\"\n"));
        site.build(&[]).success();
        let page = site.html("walking-far/index.html");
        // The link and a word outweigh a tag and a word; essays sharing nothing are left out.
        assert_eq!(
            texts(&page, ".related li a"),
            ["Mountain Maps", "Walking Near"],
            "{theme}"
        );
        assert_eq!(
            texts(&site.html("walking-near/index.html"), ".related li a"),
            ["Walking Far"]
        );
        let lone = site.read("cooking/index.html");
        assert!(!lone.contains("class=\"related\""), "{lone}");
    }
}

#[test]
fn without_the_setting_no_essay_lists_related_ones() {
    let site = site("");
    site.build(&[]).success();
    assert!(
        !site
            .read("walking-far/index.html")
            .contains("Related essays")
    );
}
