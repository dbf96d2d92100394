use std::path::Path;

use super::*;
use crate::incremental::Documents;
use crate::pipeline::BuildOptions;

const CONFIG: &str = "base_url: https://example.org/\ndefault_language: en\nlanguages: [en]\n\
                      taxonomies:\n  topics:\n    housing: { en: Housing }\n";

/// A site of `n` practices whose bodies say different things, in a temporary folder (with
/// the built-in theme).
fn site(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("casebook.yaml"), CONFIG).unwrap();
    std::fs::create_dir_all(dir.path().join("content/practices")).unwrap();
    let words = [
        "gardens",
        "bicycles",
        "libraries",
        "kitchens",
        "schools",
        "markets",
        "bridges",
    ];
    for i in 0..n {
        write_practice(dir.path(), i, words[i % words.len()]);
    }
    dir
}

fn write_practice(root: &Path, i: usize, word: &str) {
    let text = format!(
        "---\ntitle: Practice {i}\ncity: Turin\ncountry: IT\ntopics: [housing]\n\
         summary: A summary of practice {i}.\npublished: 2024-01-{:02}\n---\nNeighbours share {word}.\n",
        i + 1
    );
    std::fs::write(
        root.join(format!("content/practices/practice-{i}.md")),
        text,
    )
    .unwrap();
}

/// Search chunks: each chunk's first term and bytes.
type Chunks = Vec<(String, Vec<u8>)>;

/// The search chunks of the site at `root` (its English catalogue, read in stretches of two
/// entries) with the stretches `saved`, and the bytes to save.
fn chunks(root: &Path, saved: &[u8], settings: u64) -> (Chunks, Option<Vec<u8>>) {
    let loaded = crate::pipeline::load(&BuildOptions::new(root), &mut Documents::new(0))
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    let labels = |_, key: &str, _: &str| key.to_string();
    let reading = Reading {
        lang: "en",
        stemmer: "en",
        labels: &labels,
        saved: &stretch::Saved::parse(saved),
        settings,
        per_stretch: 2,
    };
    let entries = &loaded.site.listings["en"].entries;
    let (files, to_save) = search_chunks(&loaded.site, entries, &reading, "en/search");
    let files = files
        .into_iter()
        .map(|(first, f)| (first, f.bytes))
        .collect();
    (files, to_save)
}

#[test]
fn stretches_whose_texts_are_unchanged_are_taken_as_saved_and_give_the_same_index() {
    let site = site(7);
    let (first, saved) = chunks(site.path(), &[], 1);
    let saved = saved.expect("read anew, so saved");
    // Nothing changed: every stretch is taken as saved, and the index is the same.
    let (again, resaved) = chunks(site.path(), &saved, 1);
    assert_eq!(again, first);
    assert!(resaved.is_none(), "nothing was read anew");
    // One body edited: its stretch is read again, and the index is the one a build
    // without saved stretches makes.
    write_practice(site.path(), 3, "tramways");
    let (edited, resaved) = chunks(site.path(), &saved, 1);
    let (fresh, _) = chunks(site.path(), &[], 1);
    assert_eq!(edited, fresh);
    assert_ne!(edited, first, "the edit changed the index");
    let text = |files: &Chunks| -> String {
        files
            .iter()
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .collect()
    };
    assert!(text(&edited).contains("tramway"), "{}", text(&edited));
    let resaved = resaved.expect("one stretch read anew");
    // Saved again, it serves the next build whole.
    let (next, none) = chunks(site.path(), &resaved, 1);
    assert_eq!(next, fresh);
    assert!(none.is_none());
    // Other settings (another casebook, other labels): nothing is taken as saved.
    let (other, all) = chunks(site.path(), &resaved, 2);
    assert_eq!(other, fresh);
    assert!(all.is_some());
    // A damaged file is no saved stretch.
    let (damaged, _) = chunks(site.path(), &resaved[..resaved.len() / 2], 1);
    assert_eq!(damaged, fresh);
}
