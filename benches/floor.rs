//! The floor a build of the shared corpus is measured against: read every essay, render it
//! with pulldown-cmark, write one HTML file each, nothing else (no templates, highlighting,
//! lists or feed). `scripts/bench.py` runs it beside vellum so both are timed in one session.
//!
//!     cargo bench --bench floor -- CONTENT_DIR OUTPUT_DIR

use std::path::PathBuf;
use std::time::Instant;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [content, output] = args.as_slice() else {
        return Err(std::io::Error::other("usage: floor CONTENT_DIR OUTPUT_DIR"));
    };
    let start = Instant::now();
    let mut count = 0usize;
    for entry in std::fs::read_dir(content)? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        // Skip a `+++` front matter block; the floor does not read it.
        let body = text
            .strip_prefix("+++\n")
            .and_then(|rest| rest.split_once("\n+++\n"))
            .map_or(text.as_str(), |(_, body)| body);
        let mut html = String::with_capacity(body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(body));
        let stem = path.file_stem().map(PathBuf::from).unwrap_or_default();
        let dir = PathBuf::from(output).join(stem);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("index.html"), html)?;
        count += 1;
    }
    #[allow(clippy::print_stdout)]
    {
        println!(
            "floor: {count} essays in {:.3} s",
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
