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
