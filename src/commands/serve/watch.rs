//! Watching the site's files: notify's events, filtered (reads, editors' temporary files) and
//! debounced into batches, one batch per burst of changes; folders deleted and created again
//! are watched again.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use notify::event::ModifyKind;
use notify::{EventKind, EventKindMask, RecommendedWatcher, RecursiveMode, Watcher};

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
    /// Sends what [`Watch::waker`] sends: [`Watch::next`] returns at once, with no path.
    wake: Sender<notify::Result<notify::Event>>,
    /// The site root, to name folders in the log.
    root: PathBuf,
    watched: BTreeMap<PathBuf, Folder>,
    /// Watched folders that an event said were created, removed or renamed: their watch
    /// may be on a folder that is gone.
    replaced: BTreeSet<PathBuf>,
    /// Folders watched before that are gone.
    missing: BTreeSet<PathBuf>,
}

/// A folder being watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Folder {
    recursive: bool,
    /// Device and inode, where the system has them: a folder deleted and created again is
    /// another folder, whose changes the old watch does not see.
    id: Option<(u64, u64)>,
}

/// What [`Watch::resync`] found.
#[derive(Debug, Default)]
pub struct Resync {
    /// Lines for the log: folders that went, came back, or could not be watched.
    pub notes: Vec<String>,
    /// Every file of the folders watched anew: they may have been written before the watch
    /// began, so they are named as changed.
    pub files: Vec<PathBuf>,
}

#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(_: &Path) -> Option<(u64, u64)> {
    None
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

/// Every file under `dir` (and `dir` itself), but editors' temporary files.
fn files_under(dir: &Path) -> impl Iterator<Item = PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .map(walkdir::DirEntry::into_path)
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| is_editor_temp(&n.to_string_lossy()))
        })
}

impl Watch {
    /// A watcher of folders of the site at `root`; it watches nothing yet.
    pub fn new(root: &Path) -> notify::Result<Watch> {
        let (tx, events) = channel();
        let wake = tx.clone();
        // No reads: serve reads every content file at the start and a practice's file for
        // each page it renders, and each read would wake the watcher (an `IN_OPEN` event
        // per file, 0.6 s of a start at 10,000 practices).
        let config = notify::Config::default().with_event_kinds(EventKindMask::CORE);
        let watcher = RecommendedWatcher::new(
            move |e| {
                let _ = tx.send(e);
            },
            config,
        )?;
        Ok(Watch {
            watcher,
            events,
            wake,
            root: root.to_path_buf(),
            watched: BTreeMap::new(),
            replaced: BTreeSet::new(),
            missing: BTreeSet::new(),
        })
    }

    /// `content/`, for the log.
    fn name(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        format!("{}/", rel.display())
    }

    fn add(&mut self, path: &Path, recursive: bool) -> Result<(), String> {
        let mode = if recursive {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        // Identify the folder before watching it: if it is replaced in between, the next
        // resync sees another folder and watches again.
        let id = identity(path);
        self.watcher
            .watch(path, mode)
            .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        self.watched
            .insert(path.to_path_buf(), Folder { recursive, id });
        Ok(())
    }

    /// Starts watching `dirs` (path, recursively or not). Returns the folders that cannot
    /// be watched.
    pub fn start(&mut self, dirs: &[(PathBuf, bool)]) -> Vec<String> {
        dirs.iter()
            .filter_map(|(path, recursive)| self.add(path, *recursive).err())
            .collect()
    }

    /// Watches exactly `dirs` from now on: folders gone are dropped, new ones watched, and
    /// folders deleted and created again (a `git stash`, a copy back from a backup, a
    /// rename) watched again, since a watch follows the folder, not its name. The files of
    /// every folder watched anew are returned, to be read as changed.
    pub fn resync(&mut self, dirs: &[(PathBuf, bool)]) -> Resync {
        let mut out = Resync::default();
        let wanted: BTreeMap<&PathBuf, bool> = dirs.iter().map(|(p, r)| (p, *r)).collect();
        let gone: Vec<PathBuf> = self
            .watched
            .keys()
            .filter(|p| !wanted.contains_key(p))
            .cloned()
            .collect();
        for path in gone {
            let _ = self.watcher.unwatch(&path);
            self.watched.remove(&path);
            self.missing.insert(path.clone());
            out.notes.push(format!(
                "{} was removed; it is watched again as soon as it is back.",
                self.name(&path)
            ));
        }
        for (path, recursive) in wanted {
            let again = match self.watched.get(path) {
                None => false,
                Some(f) => {
                    let replaced = self.replaced.contains(path)
                        || f.id
                            .is_some_and(|id| identity(path).is_some_and(|now| now != id));
                    if !replaced && f.recursive == recursive {
                        continue;
                    }
                    let _ = self.watcher.unwatch(path);
                    self.watched.remove(path);
                    replaced
                }
            };
            match self.add(path, recursive) {
                Err(problem) => out.notes.push(problem),
                Ok(()) => {
                    if again {
                        out.notes.push(format!(
                            "{} was replaced (deleted and created again, or moved): watching the new one.",
                            self.name(path)
                        ));
                    } else if self.missing.remove(path) {
                        out.notes
                            .push(format!("{} is back: watching it again.", self.name(path)));
                    } else {
                        out.notes
                            .push(format!("Watching {} (new).", self.name(path)));
                    }
                    out.files.extend(files_under(path));
                }
            }
        }
        self.replaced.clear();
        out
    }

    /// Notes the watched folders an event names as created, removed or renamed, and adds
    /// the files of folders created inside watched ones (written, perhaps, before their
    /// watch began).
    fn take(&mut self, event: notify::Event, paths: &mut BTreeSet<PathBuf>) {
        let moved = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        for path in relevant(&event) {
            if moved && self.watched.contains_key(path) && *path != self.root {
                self.replaced.insert(path.clone());
            }
            let inside = self
                .watched
                .iter()
                .any(|(w, f)| f.recursive && path.starts_with(w));
            if matches!(event.kind, EventKind::Create(_)) && inside && path.is_dir() {
                paths.extend(files_under(path));
            }
            paths.insert(path.clone());
        }
    }

    /// Something that makes a waiting [`Watch::next`] return at once, with no path (a page
    /// was asked for).
    pub fn waker(&self) -> impl Fn() + Send + 'static {
        let tx = self.wake.clone();
        move || {
            let _ = tx.send(Ok(notify::Event::new(notify::EventKind::Other)));
        }
    }

    /// Waits up to `wait` (forever with `None`) for a change, then gathers the burst it
    /// belongs to. Returns the paths changed, sorted and without duplicates, or `None` when
    /// nothing changed in time. Call [`Watch::resync`] after each batch.
    pub fn next(&mut self, wait: Option<Duration>) -> Option<Vec<PathBuf>> {
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
                if event.kind == notify::EventKind::Other && event.paths.is_empty() {
                    return Some(Vec::new());
                }
                self.take(event, &mut paths);
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
                Ok(Ok(event)) => self.take(event, &mut paths),
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
        let mut w = Watch::new(&root).unwrap();
        assert!(w.start(&[(root.clone(), true)]).is_empty());
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

    #[test]
    fn a_folder_deleted_and_created_again_is_watched_again() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let content = root.join("content");
        std::fs::create_dir(&content).unwrap();
        std::fs::write(content.join("a.md"), "1").unwrap();
        let dirs = [(root.clone(), false), (content.clone(), true)];
        let mut w = Watch::new(&root).unwrap();
        assert!(w.start(&dirs).is_empty());

        // Deleted and created again within one batch, with its files (as a copy back from
        // a backup does): the new folder is watched, and its files named.
        std::fs::remove_dir_all(&content).unwrap();
        std::fs::create_dir(&content).unwrap();
        std::fs::write(content.join("a.md"), "2").unwrap();
        let batch = w.next(Some(Duration::from_secs(5))).expect("a batch");
        assert!(batch.contains(&content), "{batch:?}");
        let resync = w.resync(&dirs);
        assert_eq!(
            resync.notes,
            vec![
                "content/ was replaced (deleted and created again, or moved): watching the new one."
            ]
        );
        assert!(resync.files.contains(&content.join("a.md")), "{resync:?}");
        while w.next(Some(Duration::from_millis(100))).is_some() {}

        // Later edits are seen.
        std::fs::write(content.join("a.md"), "3").unwrap();
        let batch = w
            .next(Some(Duration::from_secs(5)))
            .expect("the edit is seen");
        assert_eq!(batch, vec![content.join("a.md")]);
        assert!(w.resync(&dirs).notes.is_empty());

        // Gone, then back: said both times.
        std::fs::remove_dir_all(&content).unwrap();
        w.next(Some(Duration::from_secs(5))).expect("a batch");
        let gone = [(root.clone(), false)];
        assert_eq!(
            w.resync(&gone).notes,
            vec!["content/ was removed; it is watched again as soon as it is back."]
        );
        std::fs::create_dir(&content).unwrap();
        std::fs::write(content.join("b.md"), "1").unwrap();
        w.next(Some(Duration::from_secs(5))).expect("a batch");
        let back = w.resync(&dirs);
        assert_eq!(back.notes, vec!["content/ is back: watching it again."]);
        assert!(back.files.contains(&content.join("b.md")), "{back:?}");
        while w.next(Some(Duration::from_millis(100))).is_some() {}
        std::fs::write(content.join("b.md"), "2").unwrap();
        let batch = w
            .next(Some(Duration::from_secs(5)))
            .expect("the edit is seen");
        assert_eq!(batch, vec![content.join("b.md")]);
    }
}
