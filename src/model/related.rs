//! Related practices: the explicit `related:` list first, then those sharing the most topics.
//!
//! Practices are grouped by their exact topic set. The groups that share a topic are ranked
//! once per distinct topic set (not once per practice), and each practice then takes the
//! first practices of its ranking: the work grows with the square of the number of distinct
//! topic combinations plus the number of practices, never with the square of the practices.

use std::collections::HashMap;

use rayon::prelude::*;

use super::site::Practice;

/// For each practice, up to `max` related practices (indices).
pub fn compute(practices: &[Practice], explicit: &[Vec<usize>], max: usize) -> Vec<Vec<usize>> {
    // Newest first inside each group, so the suggestions are fresh and deterministic.
    let mut order: Vec<usize> = (0..practices.len()).collect();
    order.sort_by(|&a, &b| {
        let pa = practices[a].versions[0].published;
        let pb = practices[b].versions[0].published;
        pb.cmp(&pa)
            .then_with(|| practices[a].slug.cmp(&practices[b].slug))
    });

    // Each practice's topics, sorted: a multiset (a repeated topic counts twice in a score).
    let multisets: Vec<Vec<&str>> = practices
        .iter()
        .map(|p| {
            let mut m: Vec<&str> = p.topics.iter().map(String::as_str).collect();
            m.sort_unstable();
            m
        })
        .collect();

    let mut group_of_set: HashMap<Vec<&str>, usize> = HashMap::new();
    let mut groups: Vec<(Vec<&str>, Vec<usize>)> = Vec::new();
    for &i in &order {
        let mut set = multisets[i].clone();
        set.dedup();
        let g = *group_of_set.entry(set.clone()).or_insert_with(|| {
            groups.push((set, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(i);
    }
    let mut groups_of_topic: HashMap<&str, Vec<usize>> = HashMap::new();
    for (g, (set, _)) in groups.iter().enumerate() {
        for t in set {
            groups_of_topic.entry(t).or_default().push(g);
        }
    }

    // Practices with the same multiset rank the groups the same way: rank once per distinct
    // multiset, in parallel.
    let mut distinct: Vec<&[&str]> = multisets.iter().map(Vec::as_slice).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let ranked: HashMap<&[&str], Vec<usize>> = distinct
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
            (*topics, candidates.into_iter().map(|(g, _)| g).collect())
        })
        .collect();

    (0..practices.len())
        .into_par_iter()
        .map(|i| {
            let mut out: Vec<usize> = explicit.get(i).cloned().unwrap_or_default();
            if out.len() >= max {
                return out;
            }
            let order = &ranked[multisets[i].as_slice()];
            'fill: for &g in order {
                for &j in &groups[g].1 {
                    if j != i && !out.contains(&j) {
                        out.push(j);
                        if out.len() >= max {
                            break 'fill;
                        }
                    }
                }
            }
            out
        })
        .collect()
}
