//! Watching the site's files: notify's events, filtered (reads, editors' temporary files) and
//! debounced into batches, one batch per burst of changes.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::input::content::is_editor_temp;

/// A batch ends when no event came for this long. Editors save in a few writes and renames
/// within a millisecond or two; `git checkout` writes file after file without a pause.
pub const QUIET: Duration = Duration::from_millis(15);

/// Once a batch names this many paths, a burst is under way (a checkout, a copy, a
/// search-and-replace across files): it ends only after [`BURST_QUIET`] without events, so
/// that a writer paused by a busy machine does not split it in two rebuilds.
pub const BURST: usize = 16;

/// The quiet time that ends a burst.
pub const BURST_QUIET: Duration = Duration::from_millis(150);

/// A batch is handed over after this long even if events keep coming.
pub const LONGEST: Duration = Duration::from_secs(5);

/// The watcher of a site's folders.
pub struct Watch {
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    watched: BTreeSet<(PathBuf, bool)>,
}

/// Whether an event can change what is built: not a read, not an editor's temporary file.
fn relevant(event: &notify::Event) -> impl Iterator<Item = &PathBuf> {
    let mutation = !matches!(event.kind, EventKind::Access(_));
    event.paths.iter().filter(move |p| {
        mutation
            && !p
                .file_name()
                .is_some_and(|n| is_editor_temp(&n.to_string_lossy()))
    })
}

impl Watch {
    /// A watcher that watches nothing yet.
    pub fn new() -> notify::Result<Watch> {
        let (tx, events) = channel();
        let watcher = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        })?;
        Ok(Watch {
            watcher,
            events,
            watched: BTreeSet::new(),
        })
    }

    /// Watches exactly `dirs` (path, recursively or not): new ones are added, gone ones
    /// dropped. Folders that cannot be watched are reported.
    pub fn set(&mut self, dirs: &[(PathBuf, bool)]) -> Vec<String> {
        let wanted: BTreeSet<(PathBuf, bool)> = dirs.iter().cloned().collect();
        for (path, _) in self.watched.difference(&wanted) {
            let _ = self.watcher.unwatch(path);
        }
        let mut problems = Vec::new();
        for (path, recursive) in wanted.difference(&self.watched) {
            let mode = if *recursive {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            if let Err(e) = self.watcher.watch(path, mode) {
                problems.push(format!("cannot watch {}: {e}", path.display()));
            }
        }
        self.watched = wanted;
        problems
    }

    /// Waits up to `wait` (forever with `None`) for a change, then gathers the burst it
    /// belongs to. Returns the paths changed, sorted and without duplicates, or `None` when
    /// nothing changed in time.
    pub fn next(&self, wait: Option<Duration>) -> Option<Vec<PathBuf>> {
        let mut paths = BTreeSet::new();
        // The first relevant event.
        let deadline = wait.map(|w| Instant::now() + w);
        while paths.is_empty() {
            let event = match deadline {
                None => self.events.recv().ok()?,
                Some(d) => match self
                    .events
                    .recv_timeout(d.saturating_duration_since(Instant::now()))
                {
                    Ok(e) => e,
                    Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
                },
            };
            if let Ok(event) = event {
                paths.extend(relevant(&event).cloned());
            }
        }
        // The rest of the burst.
        let started = Instant::now();
        while started.elapsed() < LONGEST {
            let quiet = if paths.len() >= BURST {
                BURST_QUIET
            } else {
                QUIET
            };
            match self.events.recv_timeout(quiet) {
                Ok(Ok(event)) => paths.extend(relevant(&event).cloned()),
                Ok(Err(_)) => {}
                Err(_) => break,
            }
        }
        Some(paths.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_writes_is_one_batch_without_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let mut w = Watch::new().unwrap();
        assert!(w.set(&[(root.clone(), true)]).is_empty());
        for i in 0..200 {
            std::fs::write(root.join(format!("p{i}.md")), "x").unwrap();
        }
        std::fs::write(root.join(".p1.md.swp"), "x").unwrap();
        std::fs::write(root.join("p2.md~"), "x").unwrap();
        std::fs::write(root.join("4913"), "x").unwrap();
        let batch = w.next(Some(Duration::from_secs(5))).expect("a batch");
        assert_eq!(batch.len(), 200, "{batch:?}");
        assert!(
            batch
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "md"))
        );
        assert_eq!(w.next(Some(Duration::from_millis(100))), None);
    }
}
