//! Heading ids and the table of contents. Ids are slugs of the heading text, made unique within
//! the essay (`notes`, `notes-1`, …); an explicit `{#id}` is kept as written.
//!
//! How the text becomes a slug is a setting ([`IdStyle`], see `id_styles`). Every generator
//! vellum can match numbers repeated ids as vellum does (`-1`, `-2`, …).
//!
//! Making ids unique costs time linear in the number of headings, however many share a slug
//! ([`UniqueIds`]): an essay is input that a stranger may have written.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

pub use super::id_styles::IdStyle;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// Gives every heading an id in `style`, avoiding the ids in `taken`, and returns them in
/// order.
pub fn assign_ids(
    events: &mut [Event<'_>],
    taken: HashSet<String>,
    style: IdStyle,
) -> Vec<Heading> {
    let mut seen = UniqueIds::new(taken);
    let mut toc = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading {
            level, id, classes, ..
        }) = &events[i]
        {
            let level = *level as u8;
            // kramdown's `{:.no_toc}`: an id like any heading, but no place in the contents.
            let listed = !classes.iter().any(|c| c.as_ref() == "no_toc");
            let explicit = id.as_ref().map(|s| s.to_string());
            let title = heading_text(&events[i + 1..]);
            let base = explicit.unwrap_or_else(|| style.slug(&title));
            let unique = seen.claim(base, 1);
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(unique.clone()));
            }
            if listed {
                toc.push(Heading {
                    level,
                    id: unique,
                    title,
                });
            }
        }
        i += 1;
    }
    toc
}

fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                text.push_str(t)
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// Ids handed out so far, and how to hand out the next one without scanning the suffixes of a
/// base from the start each time: a thousand headings named "Notes" would otherwise cost half
/// a million probes.
#[derive(Debug, Default)]
pub struct UniqueIds {
    taken: HashSet<String>,
    /// For each base found taken, the suffix to try next. Every suffix below it is taken
    /// already, and ids are never given back, so starting here finds the same id a scan from
    /// the first suffix would.
    next: HashMap<String, usize>,
    /// Ids looked up so far, for tests that hold the cost linear.
    probes: usize,
}

impl UniqueIds {
    /// Starts with `taken` already in use.
    pub fn new(taken: HashSet<String>) -> UniqueIds {
        UniqueIds {
            taken,
            ..UniqueIds::default()
        }
    }

    /// `base` if it is free, otherwise `base-<n>` for the smallest free `n` from `first`, and
    /// marks it taken.
    ///
    /// Linear overall: a probe that fails on `base-<n>` moves this base past `n` for good, and
    /// a taken id is `base-<n>` for only one base (the part before its last `-`, as `n` is
    /// written without a `-` or leading zeros), so each taken id fails at most one probe.
    pub fn claim(&mut self, base: String, first: usize) -> String {
        self.probes += 1;
        if !self.taken.contains(&base) {
            self.taken.insert(base.clone());
            return base;
        }
        // Never below `first`, should one set of ids be claimed with two numberings.
        let mut n = self.next.get(&base).map_or(first, |&next| next.max(first));
        let id = loop {
            self.probes += 1;
            let candidate = format!("{base}-{n}");
            n += 1;
            if !self.taken.contains(&candidate) {
                break candidate;
            }
        };
        self.taken.insert(id.clone());
        self.next.insert(base, n);
        id
    }

    /// The ids in use, including those given out.
    pub fn into_taken(self) -> HashSet<String> {
        self.taken
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::UniqueIds;
    use crate::markdown::render_markdown;

    #[test]
    fn ids_are_unique_and_explicit_ids_kept() {
        let r = render_markdown("## Notes\n\n## Notes\n\n## Other {#mine}\n\n### `code` *here*\n");
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["notes", "notes-1", "mine", "code-here"]);
        assert!(
            r.html.contains("<h2 id=\"notes-1\">Notes</h2>"),
            "{}",
            r.html
        );
        assert_eq!(r.toc[3].level, 3);
        assert_eq!(r.toc[3].title, "code here");
    }

    fn ids(markdown: &str) -> Vec<String> {
        render_markdown(markdown)
            .toc
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    #[test]
    fn explicit_ids_that_look_generated_keep_ids_unique() {
        // Explicit first: the generated ids step over it.
        assert_eq!(
            ids("## X {#x-1}\n\n## X\n\n## X\n\n## X\n"),
            ["x-1", "x", "x-2", "x-3"]
        );
        // Generated first: the explicit one, now taken, gets a suffix of its own.
        assert_eq!(
            ids("## X\n\n## X\n\n## Y {#x-1}\n\n## X\n"),
            ["x", "x-1", "x-1-1", "x-2"]
        );
        // A heading whose slug is another's generated id.
        assert_eq!(
            ids("## A\n\n## A\n\n## A 1\n\n## A 1\n\n## A\n"),
            ["a", "a-1", "a-1-1", "a-1-2", "a-2"]
        );
    }

    /// What `claim` must return: a scan of the suffixes from the first, every time.
    fn claim_by_scanning(taken: &mut HashSet<String>, base: &str, first: usize) -> String {
        let id = std::iter::once(base.to_string())
            .chain((first..).map(|n| format!("{base}-{n}")))
            .find(|candidate| !taken.contains(candidate))
            .unwrap_or_default();
        taken.insert(id.clone());
        id
    }

    #[test]
    fn remembered_suffixes_give_the_ids_a_scan_would() {
        // Bases that collide with each other's suffixed forms, in random order, some taken
        // before the first heading (footnote ids).
        let bases = ["x", "x-1", "x-2", "x-1-1", "x-10", "y", "x-0", "x-01"];
        let mut rng = fastrand::Rng::with_seed(10);
        for _ in 0..500 {
            let first = rng.usize(1..=2);
            let reserved: HashSet<String> = (0..rng.usize(0..4))
                .map(|_| bases[rng.usize(..bases.len())].to_string())
                .collect();
            let mut fast = UniqueIds::new(reserved.clone());
            let mut slow = reserved.clone();
            for _ in 0..rng.usize(0..40) {
                let base = bases[rng.usize(..bases.len())];
                assert_eq!(
                    fast.claim(base.to_string(), first),
                    claim_by_scanning(&mut slow, base, first),
                    "reserved {reserved:?}"
                );
            }
        }
    }

    #[test]
    fn a_later_first_suffix_is_kept_to() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.claim("x".into(), 1), "x");
        assert_eq!(ids.claim("x".into(), 1), "x-1");
        assert_eq!(ids.claim("x".into(), 5), "x-5");
    }

    #[test]
    fn identical_headings_cost_linear_probes() {
        // Scanning from the first suffix each time costs n²/2 probes: 50 million here.
        let n = 10_000;
        let mut ids = UniqueIds::default();
        for _ in 0..n {
            ids.claim("notes".to_string(), 1);
        }
        assert!(
            ids.probes <= 2 * n,
            "{} probes for {n} headings",
            ids.probes
        );

        // Every suffixed id taken already (footnotes, explicit ids) and then the same heading
        // n times: each taken id fails one probe at most.
        let taken = (1..=n).map(|k| format!("notes-{k}")).collect();
        let mut ids = UniqueIds::new(taken);
        for _ in 0..n {
            ids.claim("notes".to_string(), 1);
        }
        assert!(
            ids.probes <= 3 * n,
            "{} probes for {n} headings",
            ids.probes
        );
    }

    #[test]
    fn headings_that_slug_to_each_others_suffixes_cost_linear_probes() {
        // `a`, `a-1`, `a-1-1`, … each claimed many times: every base's suffixes overlap the
        // next base's ids.
        let n = 2_000;
        let bases: Vec<String> = (0..20)
            .map(|depth| {
                std::iter::once("a")
                    .chain(std::iter::repeat_n("1", depth))
                    .collect::<Vec<_>>()
                    .join("-")
            })
            .collect();
        let mut ids = UniqueIds::default();
        let mut claims = 0;
        for _ in 0..n {
            for base in &bases {
                ids.claim(base.clone(), 1);
                claims += 1;
            }
        }
        assert_eq!(ids.taken.len(), claims);
        assert!(
            ids.probes <= 3 * claims,
            "{} probes for {claims} headings",
            ids.probes
        );
    }
}
