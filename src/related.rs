//! Related essays, at collect: for each essay, up to [`MAX`] others ranked by what they share
//! — tags, links (to the same essay, or to each other) and rare words of their titles and
//! descriptions — each shared term weighted by how rare it is (its inverse document
//! frequency, as in TF-IDF).
//!
//! The cost stays linear in the number of essays: an inverted index maps each term to the
//! essays that have it, a term held by more than [`MAX_POSTINGS`] essays is dropped (it says
//! little, and would make the work quadratic), and each essay scores only the essays on its
//! terms' lists. Scores are integers and ties go to the essay first in reading order, so the
//! result is the same on every run. Nothing here renders a body: only front matter is read.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::essay::Essay;
use crate::links::Backlink;

/// At most this many related essays per essay.
pub const MAX: usize = 5;
/// A term on more essays than this is too common to relate them.
const MAX_POSTINGS: usize = 50;
/// Of an essay's words, only this many of the rarest count.
const MAX_WORDS: usize = 8;

/// How much a shared term of each kind weighs, times its rarity.
const TAG: u64 = 3;
const LINK: u64 = 4;
const WORD: u64 = 1;

/// For each essay (as `essays` is ordered), its related essays as indices into `essays`, most
/// related first. `backlinks` is indexed like `essays` (see [`crate::links::SiteLinks`]).
pub fn related(essays: &[std::sync::Arc<Essay>], backlinks: &[Vec<Backlink>]) -> Vec<Vec<usize>> {
    let terms = terms(essays, backlinks);
    let mut postings: FxHashMap<&Term, Vec<u32>> = FxHashMap::default();
    for (i, own) in terms.iter().enumerate() {
        for term in own {
            postings.entry(term).or_default().push(i as u32);
        }
    }
    postings.retain(|_, essays| essays.len() <= MAX_POSTINGS);
    let n = essays.len().max(1) as f64;
    let weight = |term: &Term, df: usize| -> u64 {
        // Rarity from 1 (on every essay) up; in thousandths, so that scores are integers.
        let idf = 1.0 + (n / df as f64).ln();
        (idf * 1000.0) as u64 * term.kind_weight()
    };
    terms
        .par_iter()
        .enumerate()
        .map(|(i, own)| {
            let mut scores: FxHashMap<u32, u64> = FxHashMap::default();
            for term in own {
                let Some(list) = postings.get(term) else {
                    continue;
                };
                let w = weight(term, list.len());
                for &j in list {
                    if j as usize != i {
                        *scores.entry(j).or_default() += w;
                    }
                }
            }
            let mut ranked: Vec<(u32, u64)> = scores.into_iter().collect();
            ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            ranked
                .into_iter()
                .take(MAX)
                .map(|(j, _)| j as usize)
                .collect()
        })
        .collect()
}

/// What an essay can share with another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Term {
    Tag(String),
    /// An essay linked to, by its URL.
    Link(String),
    Word(String),
}

impl Term {
    fn kind_weight(&self) -> u64 {
        match self {
            Term::Tag(_) => TAG,
            Term::Link(_) => LINK,
            Term::Word(_) => WORD,
        }
    }
}

/// Each essay's terms, without repeats. An essay that links to another shares that link
/// with it, as with every other essay linking there.
fn terms(essays: &[std::sync::Arc<Essay>], backlinks: &[Vec<Backlink>]) -> Vec<Vec<Term>> {
    let by_url: FxHashMap<&str, usize> = essays
        .iter()
        .enumerate()
        .map(|(i, e)| (e.shown.url.as_str(), i))
        .collect();
    let mut terms: Vec<Vec<Term>> = essays.par_iter().map(|e| own_terms(e)).collect();
    for (to, links) in backlinks.iter().enumerate() {
        if links.is_empty() {
            continue;
        }
        let url = &essays[to].shown.url;
        terms[to].push(Term::Link(url.clone()));
        for link in links {
            if let Some(&from) = by_url.get(link.url.as_str()) {
                terms[from].push(Term::Link(url.clone()));
            }
        }
    }
    for own in &mut terms {
        own.sort_unstable();
        own.dedup();
    }
    terms
}

/// An essay's tags and the words of its title and description (four letters or more; the
/// longest [`MAX_WORDS`], as a cheap stand-in for the rarest).
fn own_terms(essay: &Essay) -> Vec<Term> {
    let mut terms: Vec<Term> = essay
        .tag_slugs
        .iter()
        .map(|slug| Term::Tag(slug.clone()))
        .collect();
    let text = [Some(essay.title.as_str()), essay.description.as_deref()];
    let mut words: Vec<String> = text
        .into_iter()
        .flatten()
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect();
    words.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    words.dedup();
    words.truncate(MAX_WORDS);
    terms.extend(words.into_iter().map(Term::Word));
    terms
}
