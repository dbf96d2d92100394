//! Where a build may write: never the site itself, a folder above it, a folder of the
//! site's sources, a symbolic link, or a folder of someone else's files.

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};

/// The file every casebook output has at its root, and the text its first bytes hold:
/// how an output is recognised as casebook's when the cache that knew it was deleted.
pub const SIGNATURE: (&str, &str) = ("practices.schema.json", "urn:casebook:schema:practices:");

/// Refuses a destination, with a hint.
pub fn refused(message: String, hint: &str) -> Diagnostic {
    Diagnostic::new(Code::OutputRefused, message).hint(hint)
}

/// Absolute, normalized form of a path that may not exist yet (`..` and `.` resolved, and
/// the longest existing prefix canonicalized, so symlinked parents are followed).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut normal = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    // Canonicalize the longest existing ancestor.
    let mut existing = normal.clone();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(&existing).is_err() {
        match existing.file_name() {
            Some(name) => {
                rest.push(name.to_os_string());
                existing.pop();
            }
            None => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for r in rest.into_iter().rev() {
        out.push(r);
    }
    out
}

/// `path` without trailing slashes or `.` components: `out/` and `out/.` name the link
/// `out` itself, not the folder it points to (the system follows a link named with a
/// trailing slash).
fn without_trailing(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        if c != Component::CurDir || out.as_os_str().is_empty() {
            out.push(c);
        }
    }
    out
}

/// Whether `dir` holds a casebook output: the file of [`SIGNATURE`] at its root.
pub fn looks_like_output(dir: &Path) -> bool {
    use std::io::Read;
    let mut start = [0u8; 256];
    let Ok(mut f) = std::fs::File::open(dir.join(SIGNATURE.0)) else {
        return false;
    };
    let n = f.read(&mut start).unwrap_or(0);
    String::from_utf8_lossy(&start[..n]).contains(SIGNATURE.1)
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
}

/// Checks that `dest` may be written for the site at `root`, and returns its absolute
/// path. `known` says that casebook's cache recorded a build into it.
pub fn check_destination(root: &Path, dest: &Path, known: bool) -> Result<PathBuf, Diagnostic> {
    let named = without_trailing(dest);
    if let Ok(meta) = std::fs::symlink_metadata(&named)
        && meta.file_type().is_symlink()
    {
        return Err(refused(
            format!("output {} is a symbolic link", dest.display()),
            "casebook replaces the output folder as a whole; pass the real folder with --output",
        ));
    }
    let root = absolute(root);
    let dest_abs = absolute(&named);
    if root.starts_with(&dest_abs) {
        return Err(refused(
            format!(
                "output {} is the site itself or a folder above it",
                dest.display()
            ),
            "choose a folder of its own, e.g. --output output",
        ));
    }
    for protected in [
        "content",
        "themes",
        "templates",
        "static",
        "i18n",
        ".casebook",
    ] {
        let p = root.join(protected);
        if dest_abs.starts_with(&p) {
            return Err(refused(
                format!(
                    "output {} is inside the site's {protected}/ folder",
                    dest.display()
                ),
                "choose a folder outside content/, themes/, templates/, static/, i18n/ and .casebook/, e.g. --output output",
            ));
        }
    }
    if let Ok(meta) = std::fs::symlink_metadata(&dest_abs) {
        if !meta.is_dir() {
            return Err(refused(
                format!("output {} is a file", dest.display()),
                "choose a folder, e.g. --output output",
            ));
        }
        if !known && !looks_like_output(&dest_abs) && !is_empty_dir(&dest_abs) {
            return Err(refused(
                format!(
                    "output {} is a non-empty folder that casebook did not create",
                    dest.display()
                ),
                "casebook replaces its output as a whole and will not delete files it did not write: choose an empty or new folder, or empty this one yourself",
            ));
        }
    }
    Ok(dest_abs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_slash_names_the_link_itself() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&site).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        let link = site.join("link");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        for named in ["link", "link/", "link/.", "link//"] {
            let err = check_destination(&site, &site.join(named), false).unwrap_err();
            assert!(err.message.contains("symbolic link"), "{named}: {err:?}");
        }
    }

    #[test]
    fn a_folder_is_ours_when_known_or_signed() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let out = dir.path().join("out");
        std::fs::create_dir_all(&site).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("index.html"), "mine").unwrap();
        assert!(check_destination(&site, &out, false).is_err());
        assert!(check_destination(&site, &out, true).is_ok());
        std::fs::write(
            out.join(SIGNATURE.0),
            format!("{{\"$id\": \"{}1\"}}", SIGNATURE.1),
        )
        .unwrap();
        assert!(check_destination(&site, &out, false).is_ok());
    }
}
