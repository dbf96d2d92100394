//! The state saved and loaded, with the images' records apart.

use super::*;

fn record(n: u64) -> FileRecord {
    FileRecord {
        made_from: n,
        hash: n * 7,
        size: n * 11,
        mtime: (n as i64, 0),
        inode: n * 13,
    }
}

/// A state with a page, a photo's group (two files in the images' folder and its copy
/// at its own path) and a feed's group.
fn state() -> BuildState {
    let files: Records = [
        ("index.html", 1),
        ("_images/a.1.400.webp", 2),
        ("_images/a.1.800.jpg", 3),
        ("photos/a.jpg", 4),
        ("feed.xml", 5),
    ]
    .into_iter()
    .map(|(rel, n)| (rel.to_string(), record(n)))
    .collect();
    let mut state = BuildState::new(files);
    let group = |files: &[&str]| files.iter().map(|f| f.to_string()).collect();
    state.groups = HashMap::from([
        (
            "_images/a.1".to_string(),
            group(&[
                "_images/a.1.400.webp",
                "_images/a.1.800.jpg",
                "photos/a.jpg",
            ]),
        ),
        ("feed".to_string(), group(&["feed.xml"])),
    ]);
    state
}

/// A state's files and groups, sorted.
type Sorted = (Vec<(String, FileRecord)>, Vec<(String, Vec<String>)>);

fn sorted(state: &BuildState) -> Sorted {
    let mut files: Vec<_> = state.files.iter().map(|(k, v)| (k.clone(), *v)).collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut groups: Vec<_> = (state.groups.iter())
        .map(|(k, v)| {
            let mut v = v.clone();
            v.sort();
            (k.clone(), v)
        })
        .collect();
    groups.sort();
    (files, groups)
}

#[test]
fn the_images_records_are_read_only_when_asked_for_and_written_only_when_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state");
    let mut saved = state();
    saved.save(&path).unwrap();
    let apart = dir.path().join("state.images");
    let written = std::fs::metadata(&apart).unwrap();

    // Loaded: the images' records are not read, but counted.
    let mut loaded = BuildState::load(&path);
    assert_eq!(loaded.files.len(), 3, "{:?}", loaded.files.keys());
    assert_eq!(loaded.file_count(), 5);
    assert_eq!(
        loaded.groups["_images/a.1"],
        vec!["photos/a.jpg".to_string()]
    );
    // Asked for, one by one: read then.
    assert_eq!(loaded.record("_images/a.1.800.jpg"), Some(&record(3)));
    assert_eq!(loaded.record("index.html"), Some(&record(1)));
    assert_eq!(loaded.record("_images/gone.webp"), None);
    let mut group = loaded.group("_images/a.1").unwrap();
    group.sort();
    assert_eq!(group, saved.group("_images/a.1").unwrap());
    assert_eq!(group.len(), 3);
    // Carried by the next state, unread: not written again, and read as saved.
    let mut next = BuildState::load(&path);
    next.carry_apart(&BuildState::load(&path));
    next.save(&path).unwrap();
    let carried = BuildState::load(&path);
    assert_eq!(carried.file_count(), 5);
    assert_eq!(carried.record("_images/a.1.400.webp"), Some(&record(2)));
    // Read whole: the state is the one saved.
    assert!(loaded.read_apart());
    assert_eq!(sorted(&loaded), sorted(&saved));

    // Saved again unchanged: the images' file is not written again.
    loaded.save(&path).unwrap();
    let again = std::fs::metadata(&apart).unwrap();
    use std::os::unix::fs::MetadataExt;
    assert_eq!(again.ino(), written.ino());
    // Changed: it is.
    Arc::make_mut(&mut loaded.files).insert("_images/b.2.400.webp".into(), record(9));
    loaded.save(&path).unwrap();
    assert_ne!(std::fs::metadata(&apart).unwrap().ino(), written.ino());
    let mut changed = BuildState::load(&path);
    assert!(changed.read_apart());
    assert_eq!(changed.files.len(), 6);

    // A state whose images' records are removed, garbage, or one letter of a name
    // changed under the same print knows none of them (nor the image groups' files),
    // and is of no use when read whole.
    let damages: [fn(&Path); 3] = [
        |at| std::fs::remove_file(at).unwrap(),
        |at| std::fs::write(at, b"12345678garbage").unwrap(),
        |at| {
            let mut bytes = std::fs::read(at).unwrap();
            *bytes.last_mut().unwrap() ^= 1;
            std::fs::write(at, bytes).unwrap();
        },
    ];
    for (i, damage) in damages.into_iter().enumerate() {
        let mut saved = state();
        saved.save(&path).unwrap();
        damage(&apart);
        let mut loaded = BuildState::load(&path);
        assert_eq!(loaded.files.len(), 3);
        assert_eq!(loaded.record("_images/a.1.800.jpg"), None, "{i}");
        assert_eq!(loaded.group("_images/a.1"), None, "{i}");
        assert_eq!(loaded.record("feed.xml"), Some(&record(5)), "{i}");
        assert_eq!(loaded.group("feed").map(|g| g.len()), Some(1), "{i}");
        assert!(!loaded.read_apart(), "{i}");
        assert_eq!(loaded, BuildState::default(), "{i}");
    }

    // A state without images has no such file.
    let mut plain = state();
    plain.files = Arc::new(
        (plain.files.iter())
            .filter(|(rel, _)| !is_apart(rel))
            .map(|(k, v)| (k.clone(), *v))
            .collect(),
    );
    plain.groups.remove("_images/a.1");
    plain.save(&path).unwrap();
    assert!(!apart.exists());
    let mut loaded = BuildState::load(&path);
    assert!(loaded.read_apart());
    assert_eq!(sorted(&loaded), sorted(&plain));
}

/// A state with `n` photos, each with a file in the images' folder and its copy at
/// `folder/p<i>.jpg`, and `others` beside them.
fn photos(folder: &str, n: u64, others: &[&str]) -> BuildState {
    let mut files = Records::default();
    let mut groups = HashMap::new();
    for i in 0..n {
        let (apart, copy) = (format!("_images/p{i}.1.webp"), format!("{folder}/p{i}.jpg"));
        files.insert(apart.clone(), record(i));
        files.insert(copy.clone(), record(i + n));
        groups.insert(format!("_images/p{i}.1"), vec![apart, copy]);
    }
    for (i, other) in others.iter().enumerate() {
        files.insert(other.to_string(), record(i as u64));
    }
    let mut state = BuildState::new(files);
    state.groups = groups;
    state
}

#[test]
fn only_folders_of_many_copies_and_nothing_else_are_sealed_with_the_images() {
    let many = FOLDER_OF_COPIES as u64;
    assert_eq!(
        photos("photos", many, &["index.html"]).image_folders(),
        ["photos"]
    );
    assert_eq!(
        photos("a/b", many, &["a/index.html"]).image_folders(),
        ["a/b"]
    );
    // Too few copies to be worth it; a file of another kind beside them, or below them; and
    // the output's own folder.
    assert!(photos("photos", many - 1, &[]).image_folders().is_empty());
    assert!(
        photos("photos", many, &["photos/credits.txt"])
            .image_folders()
            .is_empty()
    );
    assert!(
        photos("photos", many, &["photos/old/a.jpg"])
            .image_folders()
            .is_empty()
    );
    let mut top = photos("photos", many, &[]);
    let moved = top.groups.values_mut().flat_map(|files| files.iter_mut());
    moved.for_each(|f| *f = f.replace("photos/", ""));
    assert!(top.image_folders().is_empty());
    // A state recorded with the images' folder kept whole holds the copies only.
    let mut whole = photos("photos", many, &[]);
    Arc::make_mut(&mut whole.files).retain(|rel, _| !is_apart(rel));
    whole
        .groups
        .values_mut()
        .for_each(|f| f.retain(|f| !is_apart(f)));
    assert_eq!(whole.image_folders(), ["photos"]);
}
