//! Resized copies of the site's PNG and JPEG files, for `srcset` (`[images] widths`). The
//! render plan lists one output file per copy (see `render::plan`), so copies are written,
//! recorded and cleaned up like every other file of the site; this module only makes their
//! bytes. Resizing is slow, so each copy is kept in `.vellum-cache/images/` under a hash of
//! the source's bytes, the width and the encoder settings: an unchanged image is never
//! resized twice. The bytes depend on nothing but those (fixed filter, fixed encoder
//! settings, no metadata), so two builds anywhere make the same file.

use std::io::Write;
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat};

/// Changes whenever the bytes made for the same source and width would change: part of each
/// cached copy's name.
const SETTINGS: &str = "lanczos3 png-default-adaptive jpeg-q82 v1";

/// JPEG quality of the copies: smaller files than the usual 90, no visible loss at these sizes.
const JPEG_QUALITY: u8 = 82;

/// The folder under `.vellum-cache/` that holds the copies.
fn cache_folder(site_root: &Path) -> PathBuf {
    crate::output::record::cache_dir(site_root).join("images")
}

/// The bytes of `source` resized to `width` pixels wide (height in proportion), from the
/// cache when they were made before. `None` when the file cannot be read or decoded: the
/// caller copies the original in its place, so the `srcset` still leads to an image.
pub fn copy(site_root: &Path, source: &Path, width: u32) -> Option<Vec<u8>> {
    let bytes = std::fs::read(source).ok()?;
    let format = ImageFormat::from_path(source).ok()?;
    let key = crate::fingerprint(&(&bytes, width, SETTINGS));
    let ext = format.extensions_str().first().copied().unwrap_or("img");
    let cached = cache_folder(site_root).join(format!("{key:016x}-{width}w.{ext}"));
    if let Ok(done) = std::fs::read(&cached) {
        return Some(done);
    }
    let made = resized(&bytes, format, width)?;
    // A cache that cannot be written only costs the next build time.
    let _ = remember(&cached, &made);
    Some(made)
}

/// Writes a copy under a temporary name and renames it into place: a build killed half-way
/// leaves no half-written copy for the next build to trust.
fn remember(cached: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = cached.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let mut file = tempfile::NamedTempFile::new_in(folder)?;
    file.write_all(bytes)?;
    file.persist(cached).map_err(|e| e.error)?;
    Ok(())
}

/// `bytes` decoded, resized and encoded again in the same format.
fn resized(bytes: &[u8], format: ImageFormat, width: u32) -> Option<Vec<u8>> {
    let image = image::load_from_memory_with_format(bytes, format).ok()?;
    let height = scaled_height(image.width(), image.height(), width)?;
    let small = image.resize_exact(width, height, FilterType::Lanczos3);
    let mut out = Vec::new();
    match format {
        ImageFormat::Png => small
            .write_with_encoder(PngEncoder::new_with_quality(
                &mut out,
                CompressionType::Default,
                PngFilter::Adaptive,
            ))
            .ok()?,
        ImageFormat::Jpeg => {
            // JPEG has no alpha; a grey image stays grey.
            let small = match small {
                DynamicImage::ImageLuma8(_) => small,
                other => DynamicImage::ImageRgb8(other.to_rgb8()),
            };
            small
                .write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
                .ok()?
        }
        _ => return None,
    }
    Some(out)
}

/// The height of a `width`-wide copy of a `from_width` × `from_height` image, rounded, at
/// least 1; `None` unless it is narrower.
fn scaled_height(from_width: u32, from_height: u32, width: u32) -> Option<u32> {
    if width == 0 || width >= from_width {
        return None;
    }
    let height = (u64::from(from_height) * u64::from(width) + u64::from(from_width) / 2)
        / u64::from(from_width);
    u32::try_from(height.max(1)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heights_keep_the_proportion() {
        assert_eq!(scaled_height(1000, 750, 480), Some(360));
        assert_eq!(scaled_height(3, 1, 2), Some(1));
        assert_eq!(scaled_height(1000, 1, 10), Some(1));
        assert_eq!(scaled_height(480, 360, 480), None);
    }

    #[test]
    fn a_copy_is_made_once_and_then_read_from_the_cache() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let source = dir.path().join("pic.png");
        let mut png = Vec::new();
        DynamicImage::new_rgb8(40, 20)
            .write_to(&mut std::io::Cursor::new(&mut png), ImageFormat::Png)
            .expect("encode");
        std::fs::write(&source, &png).expect("write");
        let made = copy(dir.path(), &source, 10).expect("a copy");
        let small = image::load_from_memory(&made).expect("decodes");
        assert_eq!((small.width(), small.height()), (10, 5));
        // The cached copy is what a second build gets.
        let cached: Vec<PathBuf> = std::fs::read_dir(cache_folder(dir.path()))
            .expect("cache folder")
            .map(|e| e.expect("entry").path())
            .collect();
        assert_eq!(cached.len(), 1);
        std::fs::write(&cached[0], b"remembered").expect("write");
        assert_eq!(
            copy(dir.path(), &source, 10).as_deref(),
            Some(&b"remembered"[..])
        );
        // A file that is not an image gets no copy.
        std::fs::write(&source, b"").expect("write");
        assert_eq!(copy(dir.path(), &source, 10), None);
    }
}
