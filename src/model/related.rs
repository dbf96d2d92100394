//! How practices relate: the `related:` and `adapted_by:` entries resolved to practices,
//! and each practice's related practices (the explicit ones first, then those sharing the
//! most topics) and similar ones.
//!
//! Practices are grouped by their exact topic set. The groups that share a topic are ranked
//! once per distinct topic set (not once per practice), and each practice then takes the
//! first practices of its ranking: the work grows with the square of the number of distinct
//! topic combinations plus the number of practices, never with the square of the practices.

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use super::site::{Adopter, MAX_RELATED, Practice};
use crate::diagnostics::{Code, Diagnostic};
use crate::document::Located;

/// The slugs of a site's practices (sorted, as the model holds them), to resolve the
/// entries of `related` and `adapted_by`.
pub(super) struct Slugs<'a> {
    /// By position.
    pub slugs: Vec<&'a str>,
    /// Slugs of practice files that failed to parse: an entry naming one is left out
    /// silently (the file's own error says enough).
    pub broken: &'a BTreeSet<String>,
}

impl Slugs<'_> {
    fn find(&self, slug: &str) -> Option<usize> {
        self.slugs.binary_search(&slug).ok()
    }

    fn unknown(
        &self,
        entry: &Located<String>,
        hint: impl FnOnce(Option<&str>) -> String,
    ) -> Diagnostic {
        let best = crate::suggest::closest(&entry.value, self.slugs.iter().copied());
        Diagnostic::new(
            Code::UnknownRelated,
            format!("no practice has the slug `{}`", entry.value),
        )
        .at(entry.location.clone())
        .hint(hint(best))
    }

    /// The practices that practice `i` names in `related`, in the order written, each once.
    pub fn explicit(
        &self,
        i: usize,
        entries: &[Located<String>],
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<usize> {
        let mut list = Vec::new();
        for r in entries {
            match self.find(&r.value) {
                Some(j) if j == i => diags.push(
                    Diagnostic::new(Code::UnknownRelated, "a practice cannot be related to itself")
                        .at(r.location.clone())
                        .hint(format!("remove `{}` from `related`", r.value)),
                ),
                Some(j) => {
                    if !list.contains(&j) {
                        list.push(j);
                    }
                }
                None if self.broken.contains(&r.value) => {}
                None => diags.push(self.unknown(r, |best| match best {
                    Some(best) => format!("did you mean `{best}`? `related` lists practice slugs (file names without .md)"),
                    None => "`related` lists practice slugs: the file names in content/practices/ without .md".into(),
                })),
            }
        }
        list
    }

    /// The `adapted_by` entries of practice `i`: a slug-shaped entry (lowercase letters,
    /// digits and hyphens) must name a practice; anything else (`Terrassa`,
    /// `L'Hospitalet`) is a name.
    pub fn adopters(
        &self,
        i: usize,
        entries: &[Located<String>],
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Adopter> {
        let mut list = Vec::new();
        for a in entries {
            let adopter = match self.find(&a.value) {
                Some(j) if j == i => {
                    diags.push(
                        Diagnostic::new(
                            Code::UnknownRelated,
                            "a practice cannot be adapted by itself",
                        )
                        .at(a.location.clone())
                        .hint(format!("remove `{}` from `adapted_by`", a.value)),
                    );
                    continue;
                }
                Some(j) => Adopter::Practice(j),
                None if self.broken.contains(&a.value) => continue,
                None if crate::input::config::is_slug(&a.value) => {
                    diags.push(self.unknown(a, |best| match best {
                        Some(best) => format!("did you mean `{best}`? An entry written like a slug must be a practice's file name; write a city with its capitals (`Terrassa`)"),
                        None => "an entry written like a slug (lowercase, hyphens) must be a practice's file name without .md; write a city with its capitals (`Terrassa`)".into(),
                    }));
                    continue;
                }
                None => Adopter::Named(a.value.clone()),
            };
            if !list.contains(&adopter) {
                list.push(adopter);
            }
        }
        list
    }
}

/// Fills in what every practice's relations imply, from each one's `related_explicit`
/// and `adapted_by`: its `related` and `similar` practices (by the topics they share) and
/// its `adapted_from`, the other side of `adapted_by`.
pub(super) fn relate(practices: &mut [Practice]) {
    let mut adapted_from: Vec<Vec<usize>> = vec![Vec::new(); practices.len()];
    for (i, p) in practices.iter().enumerate() {
        for a in &p.adapted_by {
            // `i` grows, so a repeat can only be the last one pushed.
            if let Adopter::Practice(j) = a
                && adapted_from[*j].last() != Some(&i)
            {
                adapted_from[*j].push(i);
            }
        }
    }
    let ranking = Ranking::of(practices);
    let picks: Vec<(Vec<usize>, Vec<usize>)> = (0..practices.len())
        .into_par_iter()
        .map(|i| {
            (
                ranking.pick(i, &practices[i].related_explicit, MAX_RELATED),
                ranking.pick(i, &[], MAX_RELATED + MAX_RELATED),
            )
        })
        .collect();
    for ((p, (related, similar)), from) in practices.iter_mut().zip(picks).zip(adapted_from) {
        p.similar = similar
            .into_iter()
            .filter(|j| !p.related_explicit.contains(j))
            .take(MAX_RELATED)
            .collect();
        p.related = related;
        p.adapted_from = from;
    }
}

/// Whether two versions of a practice rank the others alike (see [`Ranking::of`]): the same
/// topics and the same first publication date.
pub(super) fn ranks_alike(a: &Practice, b: &Practice) -> bool {
    fn sorted(p: &Practice) -> Vec<&str> {
        let mut t: Vec<&str> = p.topics.iter().map(String::as_str).collect();
        t.sort_unstable();
        t
    }
    a.versions[0].published == b.versions[0].published && sorted(a) == sorted(b)
}

/// The practices ranked by the topics they share, once for the whole site: each practice
/// then picks its related and its similar practices from it.
pub struct Ranking {
    /// The practices of each group (one per exact topic set), newest first.
    groups: Vec<Vec<usize>>,
    /// The groups in the order a practice ranks them, per distinct topic multiset.
    ranked: Vec<Vec<usize>>,
    /// Each practice's position in `ranked`.
    ranking_of: Vec<usize>,
}

impl Ranking {
    /// Ranks the practices of a site.
    pub fn of(practices: &[Practice]) -> Ranking {
        // Newest first inside each group, so the suggestions are fresh and deterministic.
        let mut order: Vec<usize> = (0..practices.len()).collect();
        order.sort_by(|&a, &b| {
            let pa = practices[a].versions[0].published;
            let pb = practices[b].versions[0].published;
            pb.cmp(&pa)
                .then_with(|| practices[a].slug.cmp(&practices[b].slug))
        });

        // Each practice's topics, sorted: a multiset (a repeated topic counts twice in a
        // score).
        let multisets: Vec<Vec<&str>> = practices
            .iter()
            .map(|p| {
                let mut m: Vec<&str> = p.topics.iter().map(String::as_str).collect();
                m.sort_unstable();
                m
            })
            .collect();

        let mut group_of_set: HashMap<Vec<&str>, usize> = HashMap::new();
        let mut sets: Vec<Vec<&str>> = Vec::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for &i in &order {
            let mut set = multisets[i].clone();
            set.dedup();
            let g = *group_of_set.entry(set.clone()).or_insert_with(|| {
                sets.push(set);
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
        }
        let mut groups_of_topic: HashMap<&str, Vec<usize>> = HashMap::new();
        for (g, set) in sets.iter().enumerate() {
            for t in set {
                groups_of_topic.entry(t).or_default().push(g);
            }
        }

        // Practices with the same multiset rank the groups the same way: rank once per
        // distinct multiset, in parallel.
        let mut distinct: Vec<&[&str]> = multisets.iter().map(Vec::as_slice).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let ranked: Vec<Vec<usize>> = distinct
            .par_iter()
            .map(|topics| {
                let mut scored: HashMap<usize, usize> = HashMap::new();
                for t in *topics {
                    for &g in groups_of_topic.get(t).map(Vec::as_slice).unwrap_or(&[]) {
                        *scored.entry(g).or_default() += 1;
                    }
                }
                let mut candidates: Vec<(usize, usize)> = scored.into_iter().collect();
                candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                candidates.into_iter().map(|(g, _)| g).collect()
            })
            .collect();
        let ranking_of = multisets
            .iter()
            .map(|m| distinct.binary_search(&m.as_slice()).unwrap_or_default())
            .collect();
        Ranking {
            groups,
            ranked,
            ranking_of,
        }
    }

    /// Up to `max` practices for practice `i` (indices): `first`, then those sharing the
    /// most topics with it.
    pub fn pick(&self, i: usize, first: &[usize], max: usize) -> Vec<usize> {
        let mut out: Vec<usize> = first.to_vec();
        if out.len() >= max {
            return out;
        }
        let order = self
            .ranked
            .get(self.ranking_of[i])
            .map_or(&[][..], Vec::as_slice);
        for &g in order {
            for &j in &self.groups[g] {
                if j != i && !out.contains(&j) {
                    out.push(j);
                    if out.len() >= max {
                        return out;
                    }
                }
            }
        }
        out
    }
}
