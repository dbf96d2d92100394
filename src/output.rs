//! Writing the site: everything goes into a fresh folder beside the destination, which is
//! swapped in only when the whole build succeeded. casebook never deletes a folder it did
//! not create, and refuses destinations that hold the site's own files.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};

/// The file that marks a folder as written by casebook (and so safe to replace).
pub const MARKER: &str = ".casebook-output";
/// What the marker file says.
pub const MARKER_TEXT: &str =
    "This folder is written by casebook; each build replaces it as a whole.\n";

/// A build in progress: a staging folder beside the destination.
#[derive(Debug)]
pub struct Staging {
    /// The destination.
    pub dest: PathBuf,
    /// The folder being written.
    pub dir: PathBuf,
}

fn refused(message: String, hint: &str) -> Diagnostic {
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
    while !existing.exists() {
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

fn is_marked(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
}

/// Checks that `dest` may be written for the site at `root`.
pub fn check_destination(root: &Path, dest: &Path) -> Result<PathBuf, Diagnostic> {
    if let Ok(meta) = std::fs::symlink_metadata(dest)
        && meta.file_type().is_symlink()
    {
        return Err(refused(
            format!("output {} is a symbolic link", dest.display()),
            "casebook replaces the output folder as a whole; pass the real folder with --output",
        ));
    }
    let root = absolute(root);
    let dest_abs = absolute(dest);
    if root.starts_with(&dest_abs) {
        return Err(refused(
            format!(
                "output {} is the site itself or a folder above it",
                dest.display()
            ),
            "choose a folder of its own, e.g. --output output",
        ));
    }
    for protected in ["content", "themes", "templates", "static", "i18n"] {
        let p = root.join(protected);
        if dest_abs.starts_with(&p) {
            return Err(refused(
                format!(
                    "output {} is inside the site's {protected}/ folder",
                    dest.display()
                ),
                "choose a folder outside content/, themes/, templates/, static/ and i18n/, e.g. --output output",
            ));
        }
    }
    if dest_abs.exists() {
        if !dest_abs.is_dir() {
            return Err(refused(
                format!("output {} is a file", dest.display()),
                "choose a folder, e.g. --output output",
            ));
        }
        if !is_marked(&dest_abs) && !is_empty_dir(&dest_abs) {
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

fn sibling(dest: &Path, suffix: &str) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    dest.with_file_name(format!(".{name}.casebook-{suffix}"))
}

/// Removes a leftover folder of an earlier, interrupted build, if it is ours.
fn clear_leftover(path: &Path) -> Result<(), Diagnostic> {
    if !path.exists() {
        return Ok(());
    }
    if is_marked(path) {
        std::fs::remove_dir_all(path).map_err(|e| write_error(path, &e))
    } else {
        Err(refused(
            format!("{} exists and was not created by casebook", path.display()),
            "casebook uses this name for its staging folder; move that folder away",
        ))
    }
}

fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::WriteFailed,
        format!("cannot write {}: {e}", path.display()),
    )
    .hint("check free disk space and permissions")
}

impl Staging {
    /// Checks the destination and creates the staging folder beside it.
    pub fn begin(root: &Path, dest: &Path) -> Result<Staging, Diagnostic> {
        let dest = check_destination(root, dest)?;
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| write_error(parent, &e))?;
        }
        let dir = sibling(&dest, "new");
        clear_leftover(&dir)?;
        std::fs::create_dir(&dir).map_err(|e| write_error(&dir, &e))?;
        std::fs::write(dir.join(MARKER), MARKER_TEXT).map_err(|e| write_error(&dir, &e))?;
        Ok(Staging { dest, dir })
    }

    /// Writes one file (relative path with `/`), creating its folders.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| write_error(parent, &e))?;
        }
        let mut f = std::fs::File::create(&path).map_err(|e| write_error(&path, &e))?;
        f.write_all(bytes).map_err(|e| write_error(&path, &e))
    }

    /// Copies a file into the output.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<(), Diagnostic> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| write_error(parent, &e))?;
        }
        std::fs::copy(from, &path)
            .map(|_| ())
            .map_err(|e| write_error(&path, &e))
    }

    /// The path of an output file; refuses anything that would leave the staging folder.
    pub fn path_of(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        let rel_path = Path::new(rel);
        let safe = !rel.is_empty()
            && rel_path
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
            && rel != MARKER;
        if !safe {
            return Err(Diagnostic::new(
                Code::WriteFailed,
                format!("refusing to write outside the output folder: `{rel}`"),
            ));
        }
        Ok(self.dir.join(rel_path))
    }

    /// Swaps the staging folder in place of the destination.
    pub fn commit(self) -> Result<PathBuf, Diagnostic> {
        let old = sibling(&self.dest, "old");
        clear_leftover(&old)?;
        let had_dest = self.dest.exists();
        if had_dest {
            // check_destination ran at begin(); re-check in case the folder changed meanwhile.
            if !is_marked(&self.dest) && !is_empty_dir(&self.dest) {
                let _ = std::fs::remove_dir_all(&self.dir);
                return Err(refused(
                    format!(
                        "output {} changed during the build and is no longer casebook's",
                        self.dest.display()
                    ),
                    "run the build again",
                ));
            }
            std::fs::rename(&self.dest, &old).map_err(|e| write_error(&self.dest, &e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.dest) {
            if had_dest {
                let _ = std::fs::rename(&old, &self.dest);
            }
            return Err(write_error(&self.dest, &e));
        }
        if had_dest {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(self.dest)
    }

    /// Throws the staging folder away; the destination is untouched.
    pub fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
