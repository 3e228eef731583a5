//! Images: every local `<img>` gets its file's width and height, all but the first load
//! lazily, a lone titled image is a figure, `[images] widths` makes resized copies for
//! `srcset` (remembered in `.vellum-cache/`, the same bytes every build), and the essay's
//! image is what a shared link shows (`og:image`).

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, RgbImage};

use crate::support::*;

/// A `width` × `height` image in `format`, with a gradient (so resizing has work to do).
fn picture(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let pixels = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 90])
    });
    let mut bytes = Vec::new();
    DynamicImage::ImageRgb8(pixels)
        .write_to(&mut Cursor::new(&mut bytes), format)
        .expect("encode a picture");
    bytes
}

fn png(width: u32, height: u32) -> Vec<u8> {
    picture(width, height, ImageFormat::Png)
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    picture(width, height, ImageFormat::Jpeg)
}

/// The (width, height) of an image file's pixels.
fn pixels(bytes: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory(bytes).expect("an image");
    (image.width(), image.height())
}

/// A site with a bundle essay holding a PNG, and a JPEG, an empty file and a corrupt one in
/// `static/`.
fn site(config: &str, body: &str) -> Site {
    Site::new()
        .file(
            "vellum.toml",
            &format!("title = \"I\"\nbase_url = \"https://ex.com/\"\n{config}"),
        )
        .file(
            "content/blog/trip/index.md",
            &essay("Trip", "2024-03-01", body),
        )
        .bytes("content/blog/trip/map.png", &png(300, 200))
        .bytes("static/img/photo.jpg", &jpeg(1200, 800))
        .bytes("static/img/empty.png", b"")
        .bytes("static/img/corrupt.png", b"\x89PNG\r\n\x1a\nnot really")
}

/// `(src, width, height, loading)` of each image in the essay's body.
fn images(page: &scraper::Html) -> Vec<[String; 4]> {
    select(page, "article .essay-body img")
        .iter()
        .map(|img| {
            let attr = |name| img.value().attr(name).unwrap_or("-").to_string();
            [attr("src"), attr("width"), attr("height"), attr("loading")]
        })
        .collect()
}

const BODY: &str = "![A map](map.png) and a photo ![Photo](/img/photo.jpg).

![Remote](https://example.org/far.png) ![Empty](/img/empty.png) ![Bad](/img/corrupt.png)

<img src=\"/img/photo.jpg\" alt=\"raw\">
";

#[test]
fn local_images_get_their_files_width_and_height() {
    let site = site("", BODY);
    let run = site.build(&[]).success();
    let page = site.html("blog/trip/index.html");
    let s = |v: &str| v.to_string();
    assert_eq!(
        images(&page),
        vec![
            [s("map.png"), s("300"), s("200"), s("-")],
            [s("/img/photo.jpg"), s("1200"), s("800"), s("lazy")],
            [s("https://example.org/far.png"), s("-"), s("-"), s("lazy")],
            [s("/img/empty.png"), s("-"), s("-"), s("lazy")],
            [s("/img/corrupt.png"), s("-"), s("-"), s("lazy")],
            [s("/img/photo.jpg"), s("1200"), s("800"), s("lazy")],
        ]
    );
    assert_eq!(count(&page, "article img[decoding=async]"), 5);
    assert!(!run.stderr.contains("panic"), "{run}");
    // No resized copies unless asked for.
    assert_eq!(count(&page, "img[srcset]"), 0);
    assert!(!site.exists("img/photo-480w.jpg"));
}

#[test]
fn images_are_found_under_the_sites_base_path() {
    let site = Site::new()
        .file(
            "vellum.toml",
            "title = \"I\"\nbase_url = \"https://ex.com/notes/\"\n",
        )
        .file(
            "content/a.md",
            &essay(
                "A",
                "2024-01-01",
                "![one](/notes/img/p.png) ![two](../img/p.png)",
            ),
        )
        .bytes("static/img/p.png", &png(40, 30));
    site.build(&[]).success();
    let page = site.html("a/index.html");
    assert_eq!(attrs(&page, "article img", "width"), ["40", "40"]);
    assert_eq!(attrs(&page, "article img", "height"), ["30", "30"]);
}

#[test]
fn the_writers_width_is_kept() {
    let site = site(
        "",
        "<img src=\"/img/photo.jpg\" width=\"50%\" alt=\"half\" loading=\"eager\">\n\nText.\n\n<img src=\"/img/photo.jpg\" alt=\"x\" loading=\"eager\">\n",
    );
    site.build(&[]).success();
    let page = site.html("blog/trip/index.html");
    assert_eq!(attrs(&page, "article img", "width"), ["50%", "1200"]);
    assert_eq!(count(&page, "article img[height]"), 1);
    assert_eq!(attrs(&page, "article img", "loading"), ["eager", "eager"]);
}

#[test]
fn a_lone_image_with_a_title_is_a_figure_with_its_caption() {
    let site = site(
        "",
        "![A map of the trip](map.png \"Where we went, 2024\")\n\n![Untitled](map.png)\n\nInline ![titled](map.png \"not a caption\") in text.\n",
    );
    site.build(&[]).success();
    let page = site.html("blog/trip/index.html");
    assert_eq!(count(&page, "article figure"), 1);
    assert_eq!(
        only_text(&page, "article figure > figcaption"),
        "Where we went, 2024"
    );
    assert_eq!(
        attrs(&page, "article figure > img", "alt"),
        ["A map of the trip"]
    );
    assert_eq!(attrs(&page, "article figure > img", "width"), ["300"]);
    assert_eq!(count(&page, "article p figure, article p figcaption"), 0);
    // The untitled lone image and the inline one stay images in paragraphs.
    assert_eq!(count(&page, "article .essay-body > p > img"), 2);
    assert_eq!(
        attrs(&page, "article p > img[title]", "title"),
        ["not a caption"]
    );
}

/// The `srcset` of each image in the body.
fn srcsets(page: &scraper::Html) -> Vec<String> {
    attrs(page, "article .essay-body img", "srcset")
}

#[test]
fn widths_make_resized_copies_for_srcset() {
    let site = site("[images]\nwidths = [480, 100]\n", BODY);
    site.build(&[]).success();
    let page = site.html("blog/trip/index.html");
    assert_eq!(
        srcsets(&page),
        [
            "https://ex.com/blog/trip/map-100w.png 100w, https://ex.com/blog/trip/map.png 300w",
            "https://ex.com/img/photo-100w.jpg 100w, https://ex.com/img/photo-480w.jpg 480w, https://ex.com/img/photo.jpg 1200w",
            "https://ex.com/img/photo-100w.jpg 100w, https://ex.com/img/photo-480w.jpg 480w, https://ex.com/img/photo.jpg 1200w",
        ]
    );
    assert_eq!(count(&page, "article img[sizes]"), 3);
    let bytes = |rel: &str| std::fs::read(site.path("public").join(rel)).expect(rel);
    assert_eq!(pixels(&bytes("blog/trip/map-100w.png")), (100, 67));
    assert_eq!(pixels(&bytes("img/photo-480w.jpg")), (480, 320));
    assert_eq!(pixels(&bytes("img/photo-100w.jpg")), (100, 67));
    // No copy wider than the image, and none of a file that is no image.
    assert!(!site.exists("blog/trip/map-480w.png"));
    assert!(!site.exists("img/corrupt-100w.png"));
    assert_eq!(
        image::guess_format(&bytes("img/photo-480w.jpg")).ok(),
        Some(ImageFormat::Jpeg)
    );
}

#[test]
fn resized_copies_are_remembered_between_builds() {
    let site = site("[images]\nwidths = [100]\n", BODY);
    site.build(&[]).success();
    let cache = site.path(".vellum-cache/images");
    let cached: Vec<_> = std::fs::read_dir(&cache)
        .expect("copies in .vellum-cache/images")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(cached.len(), 2, "{cached:?}");
    // The next clean build takes the remembered copies instead of resizing again.
    let remembered = png(7, 7);
    for file in &cached {
        std::fs::write(file, &remembered).expect("rewrite a cached copy");
    }
    std::fs::remove_dir_all(site.path("public")).expect("remove the output");
    site.build(&[]).success();
    for copy in ["blog/trip/map-100w.png", "img/photo-100w.jpg"] {
        let bytes = std::fs::read(site.path("public").join(copy)).expect(copy);
        assert_eq!(bytes, remembered, "{copy} was made again");
    }
}

#[test]
fn resized_copies_are_the_same_bytes_in_every_clean_build() {
    let build = || {
        let site = site("[images]\nwidths = [100, 480]\n", BODY);
        site.build(&[]).success();
        let read = |rel: &str| std::fs::read(site.path("public").join(rel)).expect(rel);
        [
            read("blog/trip/map-100w.png"),
            read("img/photo-100w.jpg"),
            read("img/photo-480w.jpg"),
        ]
    };
    let (first, second) = (build(), build());
    assert!(first == second, "resized copies differ between builds");
}

/// The `og:image` and `twitter:card` of a page.
fn social(page: &scraper::Html) -> (Vec<String>, Vec<String>) {
    (
        attrs(page, "meta[property=\"og:image\"]", "content"),
        attrs(page, "meta[name=\"twitter:card\"]", "content"),
    )
}

#[test]
fn the_front_matter_image_or_the_first_is_what_a_shared_link_shows() {
    let yaml = |front: &str| format!("---\ntitle: Y\ndate: 2024-01-01\n{front}\n---\nText.\n");
    let site = Site::new()
        .file(
            "vellum.toml",
            "title = \"I\"\nbase_url = \"https://ex.com/\"\n",
        )
        .file(
            "content/toml.md",
            "+++\ntitle = \"T\"\ndate = 2024-01-01\nimage = \"/img/card.png\"\n+++\n![x](/img/other.png)\n",
        )
        .file("content/jekyll.md", &yaml("image:\n  path: /img/j.png"))
        .file("content/cover.md", &yaml("cover: /img/c.png"))
        .file(
            "content/hugo.md",
            &yaml("images:\n  - /img/h1.png\n  - /img/h2.png"),
        )
        .file(
            "content/first/index.md",
            &essay("F", "2024-01-01", "Text ![a](pic.png) ![b](/img/b.png)"),
        )
        .file("content/none.md", &essay("N", "2024-01-01", "No picture."));
    site.build(&[]).success();
    let large = |url: &str| {
        (
            vec![url.to_string()],
            vec!["summary_large_image".to_string()],
        )
    };
    for (page, url) in [
        ("toml", "https://ex.com/img/card.png"),
        ("jekyll", "https://ex.com/img/j.png"),
        ("cover", "https://ex.com/img/c.png"),
        ("hugo", "https://ex.com/img/h1.png"),
        ("first", "https://ex.com/first/pic.png"),
    ] {
        assert_eq!(
            social(&site.html(&format!("{page}/index.html"))),
            large(url),
            "{page}"
        );
    }
    assert_eq!(
        social(&site.html("none/index.html")),
        (vec![], vec!["summary".to_string()])
    );
    // Other pages keep the plain card.
    assert_eq!(social(&site.html("index.html")).1, ["summary"]);
}
