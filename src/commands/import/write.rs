//! Writing the imported files, all or nothing: every file is first written whole to a
//! hidden temporary file beside its target (content discovery skips dot files), so that a
//! full disk or a refused permission stops the import before any practice file changes;
//! then each takes its place. A new file is linked into place, which fails rather than
//! replace a file that appeared meanwhile; with `--update`, an existing one is replaced in
//! one rename.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::compose::Planned;
use crate::diagnostics::{Code, Diagnostic, Location};

fn failed(file: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::WriteFailed,
        format!("cannot write {}: {e}", file.display()),
    )
    .at(Location::file(file))
    .hint("check the folder's permissions and free space")
}

/// Writes every planned file, or none.
pub fn write_all(root: &Path, planned: &[Planned], update: bool) -> Result<(), Vec<Diagnostic>> {
    let dir = root.join("content").join("practices");
    std::fs::create_dir_all(&dir).map_err(|e| vec![failed(&dir, &e)])?;
    let mut temps: Vec<PathBuf> = Vec::new();
    let cleanup = |temps: &[PathBuf]| {
        for t in temps {
            let _ = std::fs::remove_file(t);
        }
    };
    for (i, p) in planned.iter().enumerate() {
        let name = p
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = p
            .path
            .with_file_name(format!(".{name}.import-{}-{i}.tmp", std::process::id()));
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .and_then(|mut f| {
                f.write_all(p.written.as_bytes())?;
                f.sync_all()
            });
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            cleanup(&temps);
            return Err(vec![failed(&p.rel, &e)]);
        }
        temps.push(temp);
    }
    let mut problems = Vec::new();
    for (p, temp) in planned.iter().zip(&temps) {
        let placed = if update && p.exists {
            std::fs::rename(temp, &p.path)
        } else {
            match std::fs::hard_link(temp, &p.path) {
                Ok(()) => std::fs::remove_file(temp),
                // A file system without hard links: a rename, after a last look.
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists && !p.path.exists() => {
                    std::fs::rename(temp, &p.path)
                }
                Err(e) => Err(e),
            }
        };
        if let Err(e) = placed {
            let _ = std::fs::remove_file(temp);
            problems.push(if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::new(
                    Code::FileExists,
                    format!("{} appeared during the import", p.rel.display()),
                )
                .at(Location::file(&p.rel))
                .hint("it was left as it is; import again with `--update` to replace it")
            } else {
                failed(&p.rel, &e)
            });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}
