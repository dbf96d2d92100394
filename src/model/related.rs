//! Related practices: the explicit `related:` list first, then those sharing the most topics.
//!
//! Practices are grouped by their exact topic set. The groups that share a topic are ranked
//! once per distinct topic set (not once per practice), and each practice then takes the
//! first practices of its ranking: the work grows with the square of the number of distinct
//! topic combinations plus the number of practices, never with the square of the practices.

use std::collections::HashMap;

use rayon::prelude::*;

use super::site::Practice;

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
