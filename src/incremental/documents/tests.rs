//! The parses cache on a damaged folder.

use super::*;

#[test]
fn a_saved_document_that_cannot_be_decoded_is_reported_at_its_file() {
    let path = PathBuf::from("/site/content/practices/a.md");
    let mut docs = Documents::new(1);
    docs.entries.insert(
        path.clone(),
        Entry {
            stamp: None,
            checked: 0,
            rel: "content/practices/a.md".into(),
            text_hash: 1,
            parsed: Parsed::Document(Stored::Saved(vec![0xff; 3].into())),
        },
    );
    let paths = vec![(Section::Practices, path)];
    for problem in [
        docs.documents(&paths).unwrap_err(),
        docs.into_documents(&paths).unwrap_err(),
    ] {
        assert!(problem.message.contains("cache"), "{problem:?}");
        let location = problem.location.as_ref().unwrap();
        assert_eq!(location.file, Path::new("content/practices/a.md"));
        assert!(problem.hint.unwrap().contains("casebook clean"));
    }
}

#[test]
fn saved_documents_stay_in_the_loaded_file_and_are_saved_again_as_they_were() {
    let saved = |bytes: &[u8]| Entry {
        stamp: None,
        checked: 0,
        rel: "content/practices/a.md".into(),
        text_hash: 1,
        parsed: Parsed::Document(Stored::Saved(bytes.into())),
    };
    // Three files in one shard, so that saving it again writes the two left as loaded.
    let paths: Vec<PathBuf> = (0..200)
        .map(|i| PathBuf::from(format!("content/practices/p{i}.md")))
        .filter(|p| shard_of(p) == 0)
        .take(3)
        .collect();
    let mut docs = Documents::new(1);
    for (i, p) in paths.iter().enumerate() {
        docs.entries.insert(p.clone(), saved(&[i as u8; 5]));
    }
    docs.dirty[0] = true;
    let first = tempfile::tempdir().unwrap();
    docs.save(first.path()).unwrap();
    let mut loaded = Documents::load(first.path(), 1);
    let bytes = |docs: &Documents, p: &Path| match &docs.entries.get(p).unwrap().parsed {
        Parsed::Document(s @ Stored::Mapped(..)) => s.bytes().unwrap().to_vec(),
        other => panic!("not mapped: {other:?}"),
    };
    assert_eq!(bytes(&loaded, &paths[1]), [1; 5]);
    loaded.entries.insert(paths[0].clone(), saved(b"new"));
    loaded.dirty[0] = true;
    let second = tempfile::tempdir().unwrap();
    loaded.save(second.path()).unwrap();
    // The first file can go: what was mapped from it was written whole.
    drop(first);
    let again = Documents::load(second.path(), 1);
    assert_eq!(bytes(&again, &paths[0]), b"new");
    assert_eq!(bytes(&again, &paths[1]), [1; 5]);
    assert_eq!(bytes(&again, &paths[2]), [2; 5]);
}
