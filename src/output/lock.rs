//! One build at a time into one output folder.
//!
//! A build holds an advisory lock (`flock`) on the folder that contains its output for as
//! long as it writes: a second build into the same output (a CI job retried while the
//! first still runs, an editor's build while a script builds) waits for the first to
//! finish instead of interleaving with it. The lock is the system's: it goes with the
//! process, so a build that was killed never leaves a stale lock behind.

use std::fs::{File, TryLockError};
use std::path::Path;

use crate::diagnostics::{Code, Diagnostic};

/// The lock of one output folder, released when dropped.
#[derive(Debug)]
pub struct OutputLock {
    _held: File,
}

impl OutputLock {
    /// Takes the lock of the output `dest` (absolute). When another build holds it,
    /// `waiting` is called once, and the call returns when that build is done.
    pub fn take(dest: &Path, waiting: impl FnOnce()) -> Result<OutputLock, Diagnostic> {
        let failed = |e: std::io::Error| {
            Diagnostic::new(
                Code::WriteFailed,
                format!("cannot lock the folder of {}: {e}", dest.display()),
            )
            .hint("check that the folder exists and that you may read it")
        };
        let parent = dest.parent().unwrap_or(dest);
        std::fs::create_dir_all(parent).map_err(failed)?;
        let file = File::open(parent).map_err(failed)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                waiting();
                file.lock().map_err(failed)?;
            }
            Err(TryLockError::Error(e)) => return Err(failed(e)),
        }
        Ok(OutputLock { _held: file })
    }

    /// The lock of the output `dest` (absolute) when no build holds it: `Ok(None)` when one
    /// does. Makes no folder: an error of kind `NotFound` says that the folder that would
    /// contain `dest` is gone, so that no build can be writing there.
    pub fn try_take(dest: &Path) -> std::io::Result<Option<OutputLock>> {
        let file = File::open(dest.parent().unwrap_or(dest))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(OutputLock { _held: file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("output");
        let first = OutputLock::take(&dest, || panic!("nobody holds it yet")).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let dest2 = dest.clone();
        let second = std::thread::spawn(move || {
            let lock = OutputLock::take(&dest2, || tx.send("waiting").unwrap()).unwrap();
            drop(lock);
            "done"
        });
        // The second one says it waits, and only then is the first released.
        assert_eq!(rx.recv().unwrap(), "waiting");
        drop(first);
        assert_eq!(second.join().unwrap(), "done");
    }

    #[test]
    fn a_lock_held_is_not_taken_without_waiting_and_a_gone_folder_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("output");
        let held = OutputLock::take(&dest, || panic!("nobody holds it yet")).unwrap();
        assert!(OutputLock::try_take(&dest).unwrap().is_none());
        drop(held);
        assert!(OutputLock::try_take(&dest).unwrap().is_some());
        let gone = dir.path().join("gone/output");
        let e = OutputLock::try_take(&gone).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
        assert!(!dir.path().join("gone").exists(), "no folder made");
    }
}
