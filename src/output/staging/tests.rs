//! The staging folder's unit tests: first builds, kept files, sealed folders, aborts, links.

use std::os::unix::fs::MetadataExt;

use super::super::records::verify;
use super::*;

fn inode(path: &Path) -> u64 {
    std::fs::metadata(path).unwrap().ino()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// A build into `dest` whose staging folder is `staging` (kept after the swap), the
/// destination's files recorded as `previous` and its sealed folders `sealed`.
fn begin<'a>(dest: &Path, staging: &Path, previous: &'a Records, sealed: &Sealed) -> Staging<'a> {
    begin_with(dest, staging, previous, sealed, &Sealed::new())
}

/// [`begin`], the staging folder having the twin folders `twins`.
fn begin_with<'a>(
    dest: &Path,
    staging: &Path,
    previous: &'a Records,
    sealed: &Sealed,
    twins: &Sealed,
) -> Staging<'a> {
    let scan = Staging::scan(staging.to_path_buf(), sealed, twins, None);
    Staging::begin(dest, scan, previous, sealed, twins, true)
}

/// Two images in a sealed folder, and a page.
const WITH_IMAGES: [(&str, &str); 3] = [
    ("_images/a.webp", "1"),
    ("_images/b.webp", "2"),
    ("index.html", "h"),
];

/// `_images` of `dir` sealed with `files` files, as if stamped a minute from now.
fn seal(dir: &Path, files: usize) -> Sealed {
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    let stamp = FolderStamp::settled(&dir.join("_images"), later).unwrap();
    vec![SealedFolder {
        path: "_images".into(),
        stamp,
        files,
    }]
}

/// A first build into `dest`, with `files` made from inputs hashed `1`.
fn first(dest: &Path, staging: &Path, files: &[(&str, &str)]) -> Records {
    let empty = Records::default();
    let s = begin(dest, staging, &empty, &Sealed::new());
    let mut records = Records::default();
    for (rel, text) in files {
        records.insert(
            rel.to_string(),
            s.write(rel, &[text.as_bytes()], 1).unwrap(),
        );
    }
    s.commit(&records, &[]).unwrap();
    records
}

#[test]
fn a_first_build_becomes_the_destination() {
    let tmp = tempfile::tempdir().unwrap();
    let (dest, staging) = (tmp.path().join("out"), tmp.path().join("staging"));
    first(
        &dest,
        &staging,
        &[("index.html", "home"), ("en/a.html", "a")],
    );
    assert_eq!(read(&dest.join("en/a.html")), "a");
    assert!(!staging.exists(), "nothing to keep for the next build yet");
}

#[test]
fn unchanged_files_keep_their_inode_and_stale_ones_go() {
    let tmp = tempfile::tempdir().unwrap();
    let (dest, staging) = (tmp.path().join("out"), tmp.path().join("staging"));
    let previous = first(&dest, &staging, &[("a", "1"), ("b", "2"), ("gone", "3")]);
    let (a, b) = (inode(&dest.join("a")), inode(&dest.join("b")));
    let s = begin(&dest, &staging, &previous, &Sealed::new());
    let mut records = Records::default();
    // Same inputs: kept. Other inputs but the same bytes: linked too. New: written.
    records.insert("a".into(), s.keep("a", 1).unwrap().unwrap());
    records.insert("b".into(), s.write("b", &[b"2"], 2).unwrap());
    records.insert("c".into(), s.write("c", &[b"new"], 2).unwrap());
    assert!(
        s.keep("b", 5).unwrap().is_none(),
        "other inputs are not kept"
    );
    s.commit(&records, &[]).unwrap();
    assert_eq!((inode(&dest.join("a")), inode(&dest.join("b"))), (a, b));
    assert_eq!(read(&dest.join("c")), "new");
    assert!(!dest.join("gone").exists());
    // The previous output waits at the staging folder's name for the next build.
    assert_eq!(read(&staging.join("gone")), "3");
}

#[test]
fn a_sealed_folder_is_trusted_as_recorded_until_it_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let (dest, staging) = (tmp.path().join("out"), tmp.path().join("staging"));
    let previous = first(&dest, &staging, &WITH_IMAGES);
    let sealed = seal(&dest, 2);
    assert!(
        FolderStamp::settled(&dest.join("_images"), std::time::SystemTime::now()).is_none(),
        "a folder changed a moment ago is not sealed"
    );
    // A file of the sealed folder changed in place (its time with it) is not looked at;
    // a page is.
    std::fs::write(dest.join("_images/a.webp"), "9").unwrap();
    assert!(verify(&dest, &previous, &sealed));
    assert!(!verify(&dest, &previous, &Sealed::new()));
    std::fs::write(dest.join("index.html"), "x").unwrap();
    assert!(!verify(&dest, &previous, &sealed));
    let s = begin(&dest, &staging, &previous, &sealed);
    assert!(s.keep("_images/a.webp", 1).unwrap().is_some());
    assert!(s.keep("index.html", 1).unwrap().is_none());
    s.abort();
    // A file taken out of the folder changes it: every file is looked at again.
    std::fs::remove_file(dest.join("_images/b.webp")).unwrap();
    assert!(!verify(&dest, &previous, &sealed));
    let s = begin(&dest, &staging, &previous, &sealed);
    assert!(s.keep("_images/b.webp", 1).unwrap().is_none());
    assert!(s.keep("_images/a.webp", 1).unwrap().is_none());
}

#[test]
fn an_aborted_build_leaves_the_destination_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let (dest, staging) = (tmp.path().join("out"), tmp.path().join("staging"));
    let previous = first(&dest, &staging, &[("a", "1")]);
    let s = begin(&dest, &staging, &previous, &Sealed::new());
    s.write("a", &[b"changed"], 2).unwrap();
    s.write("b", &[b"new"], 2).unwrap();
    s.abort();
    assert_eq!(read(&dest.join("a")), "1");
    assert!(!dest.join("b").exists());
}

#[test]
fn a_link_in_a_reused_staging_folder_is_removed_not_written_through() {
    let tmp = tempfile::tempdir().unwrap();
    let (dest, staging) = (tmp.path().join("out"), tmp.path().join("staging"));
    let outside = tmp.path().join("outside.txt");
    std::fs::write(&outside, "keep").unwrap();
    std::fs::create_dir_all(&staging).unwrap();
    std::os::unix::fs::symlink(&outside, staging.join("a")).unwrap();
    let empty = Records::default();
    let s = begin(&dest, &staging, &empty, &Sealed::new());
    let mut records = Records::default();
    records.insert("a".into(), s.write("a", &[b"page"], 1).unwrap());
    s.commit(&records, &[]).unwrap();
    assert_eq!(read(&outside), "keep");
    assert_eq!(read(&dest.join("a")), "page");
    assert!(
        !std::fs::symlink_metadata(dest.join("a"))
            .unwrap()
            .is_symlink()
    );
}

#[test]
fn a_link_to_a_folder_in_a_reused_staging_folder_is_removed_before_the_first_write() {
    let tmp = tempfile::tempdir().unwrap();
    let (dest, staging) = (tmp.path().join("out"), tmp.path().join("staging"));
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(&staging).unwrap();
    std::os::unix::fs::symlink(&outside, staging.join("en")).unwrap();
    let empty = Records::default();
    let s = begin(&dest, &staging, &empty, &Sealed::new());
    // The first thing the build does with the folder is a write beneath the link.
    let mut records = Records::default();
    let written = s.write("en/index.html", &[b"page"], 1).unwrap();
    records.insert("en/index.html".into(), written);
    s.commit(&records, &[]).unwrap();
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
    assert_eq!(read(&dest.join("en/index.html")), "page");
    assert!(std::fs::symlink_metadata(dest.join("en")).unwrap().is_dir());
}

#[test]
fn a_kept_file_is_the_one_recorded_whatever_was_done_to_the_destination() {
    let tmp = tempfile::tempdir().unwrap();
    let (dest, staging) = (tmp.path().join("out"), tmp.path().join("staging"));
    let previous = first(&dest, &staging, &[("a", "1"), ("b", "2")]);
    // A second build keeps both: the older output in the staging folder then shares them.
    let s = begin(&dest, &staging, &previous, &Sealed::new());
    let mut records = Records::default();
    for rel in ["a", "b"] {
        records.insert(rel.into(), s.keep(rel, 1).unwrap().unwrap());
    }
    s.commit(&records, &[]).unwrap();
    assert_eq!(inode(&staging.join("a")), inode(&dest.join("a")));
    // By hand: `a` written through (so the older output's copy changes too), `b` replaced.
    std::fs::write(dest.join("a"), "changed").unwrap();
    std::fs::remove_file(dest.join("b")).unwrap();
    std::fs::write(dest.join("b"), "replaced").unwrap();
    let s = begin(&dest, &staging, &records, &Sealed::new());
    assert!(
        s.keep("a", 1).unwrap().is_none(),
        "a changed file is not kept"
    );
    let mut next = Records::default();
    next.insert("a".into(), s.write("a", &[b"1"], 1).unwrap());
    // The older output still holds the file recorded: that one is kept.
    next.insert("b".into(), s.keep("b", 1).unwrap().unwrap());
    s.commit(&next, &[]).unwrap();
    assert_eq!(read(&dest.join("a")), "1");
    assert_eq!(read(&dest.join("b")), "2");
    assert!(verify(&dest, &next, &Sealed::new()));
}

#[test]
fn paths_that_would_leave_the_folder_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    for rel in ["", "../x", "/etc/passwd", "a/../../x"] {
        assert!(safe_path(tmp.path(), rel).is_err(), "{rel:?}");
    }
    assert!(safe_path(tmp.path(), "en/index.html").is_ok());
}

#[test]
fn exchange_swaps_two_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    std::fs::write(a.join("f"), "from a").unwrap();
    std::fs::write(b.join("f"), "from b").unwrap();
    if swap::exchange(&a, &b) {
        assert_eq!(read(&a.join("f")), "from b");
        assert_eq!(read(&b.join("f")), "from a");
    } else {
        // Where the system cannot swap, nothing changed.
        assert_eq!(read(&a.join("f")), "from a");
    }
}

#[test]
fn a_sealed_folder_kept_whole_is_not_listed_in_the_older_output_until_it_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let (dest, staging) = (tmp.path().join("out"), tmp.path().join("staging"));
    let files = WITH_IMAGES;
    let previous = first(&dest, &staging, &files);
    // A build that keeps every file: the older output's folder holds the same files.
    let sealed = seal(&dest, 2);
    let s = begin_with(&dest, &staging, &previous, &sealed, &Sealed::new());
    let mut records = Records::default();
    for (rel, _) in files {
        records.insert(rel.into(), s.keep(rel, 1).unwrap().unwrap());
    }
    let twins = s.commit(&records, &["_images"]).unwrap().twins;
    assert_eq!(twins, sealed);
    let shared = |rel: &str| inode(&staging.join(rel)) == inode(&dest.join(rel));
    assert!(shared("_images/a.webp") && shared("_images/b.webp"));

    // Something put into the twin folder changes it: it is listed again, and what is not
    // an output is removed.
    std::fs::write(staging.join("_images/intruder.webp"), "x").unwrap();
    let sealed = seal(&dest, 2);
    let s = begin_with(&dest, &staging, &records, &sealed, &twins);
    let mut next = Records::default();
    for (rel, _) in files {
        next.insert(rel.into(), s.keep(rel, 1).unwrap().unwrap());
    }
    assert!(s.ready().unwrap().twins.is_empty());
    let twins = s.commit(&next, &["_images"]).unwrap().twins;
    assert!(!dest.join("_images/intruder.webp").exists());
    assert!(verify(&dest, &next, &Sealed::new()));
    assert_eq!(twins, sealed);

    // As stamped: its files are not listed; one this build does not make is removed.
    let sealed = seal(&dest, 2);
    let s = begin_with(&dest, &staging, &next, &sealed, &twins);
    let mut last = Records::default();
    last.insert(
        "_images/a.webp".into(),
        s.keep("_images/a.webp", 1).unwrap().unwrap(),
    );
    last.insert(
        "index.html".into(),
        s.write("index.html", &[b"h2"], 2).unwrap(),
    );
    let found = s.ready().unwrap();
    assert_eq!(found.twins, [("_images/".to_string(), 2)]);
    assert!(found.files.keys().all(|f| !f.starts_with("_images/")));
    let twins = s.commit(&last, &["_images"]).unwrap().twins;
    assert!(twins.is_empty(), "a file was dropped: the folders differ");
    assert!(!dest.join("_images/b.webp").exists());
    assert!(verify(&dest, &last, &Sealed::new()));
}
