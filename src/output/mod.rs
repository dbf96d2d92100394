//! Writing the site: everything goes into a staging folder beside the destination, which is
//! swapped in only when the whole build succeeded. casebook never deletes a folder it did
//! not create, and refuses destinations that hold the site's own files.
//!
//! Rebuilds are cheap on disk. The marker file of an output holds its manifest: the hash,
//! size and modification time of every file. A file whose bytes did not change is
//! hard-linked from the current output into the staging folder rather than written, so it
//! keeps its inode and modification time (rsync and CI caches see it unchanged). The
//! previous output is not deleted after the swap but kept beside the destination
//! (`.<name>.casebook-old`) and becomes the next build's staging folder: its folders and
//! its unchanged files are already in place, and nothing has to be deleted, which on some
//! disks costs more than writing.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostics::{Code, Diagnostic};

/// The file that marks a folder as written by casebook (and so safe to replace).
pub const MARKER: &str = ".casebook-output";
/// What the marker file says.
pub const MARKER_TEXT: &str =
    "This folder is written by casebook; each build replaces it as a whole.\n";
const MANIFEST_HEADER: &str = "# casebook manifest 1";

/// What the manifest knows of one output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// xxh3 of its bytes.
    pub hash: u64,
    /// Its size in bytes.
    pub size: u64,
    /// Its modification time, in seconds and nanoseconds.
    pub mtime: (i64, i64),
}

impl Record {
    fn matches(&self, meta: &std::fs::Metadata) -> bool {
        meta.file_type().is_file()
            && meta.len() == self.size
            && (meta.mtime(), meta.mtime_nsec()) == self.mtime
    }
}

/// What a build said of itself: replayed by a rebuild that finds nothing changed.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Recorded {
    /// HTML pages.
    pub pages: usize,
    /// Practices.
    pub practices: usize,
    /// Languages.
    pub languages: usize,
    /// Every warning of the build, sorted.
    pub warnings: Vec<Diagnostic>,
}

/// The manifest of an output folder, kept in its marker file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Manifest {
    /// A hash of everything the build read (see `build::inputs_hash`), when known.
    pub inputs: Option<u64>,
    /// The build's summary and warnings, when known.
    pub recorded: Option<Recorded>,
    /// What the build's pages were made of (one line of JSON, see `crate::incremental`), when
    /// known: lets the next build keep the pages whose inputs did not change.
    pub prints: Option<String>,
    /// Every file, by path relative to the folder (with `/`).
    pub files: HashMap<String, Record>,
}

impl Manifest {
    /// Reads the manifest of the output folder `dir`; empty when there is none.
    pub fn read(dir: &Path) -> Manifest {
        std::fs::read_to_string(dir.join(MARKER))
            .map(|t| Manifest::parse(&t))
            .unwrap_or_default()
    }

    /// Parses a marker file's text.
    pub fn parse(text: &str) -> Manifest {
        let mut m = Manifest::default();
        let mut lines = text.lines().skip_while(|l| *l != MANIFEST_HEADER);
        if lines.next().is_none() {
            return m;
        }
        for line in lines {
            let mut parts = line.splitn(2, ' ');
            match (parts.next(), parts.next()) {
                (Some("inputs"), Some(h)) => m.inputs = u64::from_str_radix(h, 16).ok(),
                (Some("build"), Some(json)) => m.recorded = serde_json::from_str(json).ok(),
                (Some("prints"), Some(json)) => m.prints = Some(json.to_string()),
                (Some("file"), Some(rest)) => {
                    let f: Vec<&str> = rest.splitn(5, ' ').collect();
                    if let [hash, size, secs, nanos, path] = f[..]
                        && let (Ok(hash), Ok(size), Ok(secs), Ok(nanos)) = (
                            u64::from_str_radix(hash, 16),
                            size.parse(),
                            secs.parse(),
                            nanos.parse(),
                        )
                    {
                        m.files.insert(
                            path.to_string(),
                            Record {
                                hash,
                                size,
                                mtime: (secs, nanos),
                            },
                        );
                    }
                }
                _ => {}
            }
        }
        m
    }

    /// The marker file's text: the marker line, then the manifest, files sorted by path.
    pub fn to_text(&self) -> String {
        let mut out = String::from(MARKER_TEXT);
        out.push_str(MANIFEST_HEADER);
        out.push('\n');
        if let Some(h) = self.inputs {
            out.push_str(&format!("inputs {h:016x}\n"));
        }
        // One line: JSON escapes line breaks. A record that cannot be written (a path that
        // is not UTF-8) is left out, and the next build does not take the short way.
        if let Some(json) = self
            .recorded
            .as_ref()
            .and_then(|r| serde_json::to_string(r).ok())
        {
            out.push_str(&format!("build {json}\n"));
        }
        if let Some(json) = self.prints.as_ref().filter(|j| !j.contains('\n')) {
            out.push_str(&format!("prints {json}\n"));
        }
        let mut files: Vec<(&String, &Record)> = self.files.iter().collect();
        files.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (path, r) in files {
            out.push_str(&format!(
                "file {:016x} {} {} {} {path}\n",
                r.hash, r.size, r.mtime.0, r.mtime.1
            ));
        }
        out
    }

    /// Whether the folder `dir` holds exactly the files of this manifest, each with its
    /// size and modification time (so, unless changed behind casebook's back while keeping
    /// both, its bytes).
    pub fn verify(&self, dir: &Path) -> bool {
        let Ok(entries) = walk(dir) else {
            return false;
        };
        let mut seen = 0;
        for (rel, meta) in &entries {
            if rel == MARKER {
                continue;
            }
            match self.files.get(rel) {
                Some(r) if r.matches(meta) => seen += 1,
                _ => return false,
            }
        }
        seen == self.files.len()
    }
}

/// Every file under `dir` (relative path with `/`, and its metadata, not following links),
/// folders read in parallel.
fn walk(dir: &Path) -> std::io::Result<Vec<(String, std::fs::Metadata)>> {
    use rayon::prelude::*;
    fn under(dir: &Path, prefix: &str) -> std::io::Result<Vec<(String, std::fs::Metadata)>> {
        let mut files = Vec::new();
        let mut dirs = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            let meta = entry.metadata()?;
            if meta.is_dir() {
                dirs.push((entry.path(), rel));
            } else {
                files.push((rel, meta));
            }
        }
        let nested: Vec<Vec<(String, std::fs::Metadata)>> = dirs
            .par_iter()
            .map(|(d, rel)| under(d, rel))
            .collect::<std::io::Result<_>>()?;
        files.extend(nested.into_iter().flatten());
        Ok(files)
    }
    under(dir, "")
}

/// Writes `bytes` to `path` unless the file there already holds exactly these bytes; returns
/// whether it wrote. The new file replaces the old one whole (written beside it, then
/// renamed over it), so a reader never sees half a file. For updating a live output in
/// place, e.g. from `casebook serve`.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if let Ok(meta) = std::fs::metadata(path)
        && meta.is_file()
        && meta.len() == bytes.len() as u64
        && std::fs::read(path)? == bytes
    {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.casebook-tmp"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    Ok(true)
}

/// A build in progress: a staging folder beside the destination.
#[derive(Debug)]
pub struct Staging {
    /// The destination.
    pub dest: PathBuf,
    /// The folder being written.
    pub dir: PathBuf,
    /// Whether the staging folder is a previous output being reused (else it is new).
    reused: bool,
    /// The manifest of the destination, for files that did not change.
    previous: Manifest,
    /// What this build wrote.
    written: Mutex<Vec<(String, Record)>>,
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

/// Whether `path` is a folder that casebook may take over (one it marked), refusing a
/// folder of that name that is not casebook's.
fn ours(path: &Path) -> Result<bool, Diagnostic> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(false);
    }
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) && is_marked(path) {
        Ok(true)
    } else {
        Err(refused(
            format!("{} exists and was not created by casebook", path.display()),
            "casebook uses this name beside the output for its staging folder; move that folder away",
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

/// Swaps two paths atomically where the system can (Linux `renameat2` with
/// `RENAME_EXCHANGE`); returns false where it cannot, having changed nothing.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) = (
        CString::new(a.as_os_str().as_bytes()),
        CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call; renameat2
    // only reads them.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    rc == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

impl Staging {
    /// Checks the destination and prepares the staging folder beside it: the previous
    /// output kept by the last build when there is one (see the module's doc), else a new
    /// folder.
    pub fn begin(root: &Path, dest: &Path) -> Result<Staging, Diagnostic> {
        let dest = check_destination(root, dest)?;
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| write_error(parent, &e))?;
        }
        let dir = sibling(&dest, "new");
        let spare = sibling(&dest, "old");
        // A staging folder left by an interrupted build is reused like a kept output.
        let mut reused = ours(&dir)?;
        if !reused && ours(&spare)? {
            std::fs::rename(&spare, &dir).map_err(|e| write_error(&dir, &e))?;
            reused = true;
        }
        if !reused {
            std::fs::create_dir(&dir).map_err(|e| write_error(&dir, &e))?;
        }
        // Marked as casebook's, without a manifest until the build completes.
        std::fs::write(dir.join(MARKER), MARKER_TEXT).map_err(|e| write_error(&dir, &e))?;
        let previous = if is_marked(&dest) {
            Manifest::read(&dest)
        } else {
            Manifest::default()
        };
        Ok(Staging {
            dest,
            dir,
            reused,
            previous,
            written: Mutex::new(Vec::new()),
        })
    }

    /// The manifest of the destination as it was when the build began.
    pub fn previous(&self) -> &Manifest {
        &self.previous
    }

    /// Writes one file (relative path with `/`), creating its folders. A file whose bytes
    /// are those of the destination's file is linked from there instead.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.path_of(rel)?;
        let hash = xxhash_rust::xxh3::xxh3_64(bytes);
        let size = bytes.len() as u64;
        if let Some(old) = self.previous.files.get(rel)
            && old.hash == hash
            && old.size == size
            && self.link_previous(rel, &path, old)?
        {
            return Ok(());
        }
        self.parent_of(&path)?;
        // Always a new file, never written through an existing one: in a reused folder, or
        // for a path written twice, it may be a link to a file of the current output.
        let create = || {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
        };
        let mut f = match create() {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                self.clear(&path)?;
                create()
            }
            other => other,
        }
        .map_err(|e| write_error(&path, &e))?;
        f.write_all(bytes).map_err(|e| write_error(&path, &e))?;
        let meta = f.metadata().map_err(|e| write_error(&path, &e))?;
        self.record(
            rel,
            Record {
                hash,
                size,
                mtime: (meta.mtime(), meta.mtime_nsec()),
            },
        );
        Ok(())
    }

    /// Keeps the destination's file `rel` as it is, without its bytes: links it into the
    /// staging folder when the destination's manifest lists it and the file is still as
    /// that build left it. `false` when it cannot be kept: then it must be written.
    pub fn keep(&self, rel: &str) -> Result<bool, Diagnostic> {
        let path = self.path_of(rel)?;
        match self.previous.files.get(rel) {
            Some(old) => self.link_previous(rel, &path, old),
            None => Ok(false),
        }
    }

    /// Links the destination's file `rel`, recorded as `old`, to `path` in the staging
    /// folder (already there when the staging folder is an older output that shares it).
    /// `false` when the destination's file is no longer as recorded, or cannot be linked.
    fn link_previous(&self, rel: &str, path: &Path, old: &Record) -> Result<bool, Diagnostic> {
        let from = self.dest.join(rel);
        let Ok(meta) = std::fs::symlink_metadata(&from) else {
            return Ok(false);
        };
        if !old.matches(&meta) {
            return Ok(false);
        }
        let current = std::fs::symlink_metadata(path).ok();
        if current
            .as_ref()
            .is_some_and(|c| c.ino() == meta.ino() && c.dev() == meta.dev())
        {
            self.record(rel, *old);
            return Ok(true);
        }
        if current.is_some() {
            self.clear(path)?;
        }
        self.parent_of(path)?;
        if std::fs::hard_link(&from, path).is_ok() {
            self.record(rel, *old);
            return Ok(true);
        }
        Ok(false)
    }

    /// Removes what is at `path` in the staging folder (a file, or a folder where the
    /// previous output had one).
    fn clear(&self, path: &Path) -> Result<(), Diagnostic> {
        let result = match std::fs::symlink_metadata(path) {
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
            Ok(_) => std::fs::remove_file(path),
            Err(_) => Ok(()),
        };
        result.map_err(|e| write_error(path, &e))
    }

    /// Creates the folders of `path`; in a reused folder, a file of the previous output
    /// where a folder is now needed gives way.
    fn parent_of(&self, path: &Path) -> Result<(), Diagnostic> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        if std::fs::create_dir_all(parent).is_ok() {
            return Ok(());
        }
        let mut at = parent;
        while at != self.dir {
            if std::fs::symlink_metadata(at).is_ok_and(|m| !m.is_dir()) {
                self.clear(at)?;
            }
            match at.parent() {
                Some(p) => at = p,
                None => break,
            }
        }
        std::fs::create_dir_all(parent).map_err(|e| write_error(parent, &e))
    }

    fn record(&self, rel: &str, r: Record) {
        if let Ok(mut w) = self.written.lock() {
            w.push((rel.to_string(), r));
        }
    }

    /// Copies a file into the output.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<(), Diagnostic> {
        let bytes = std::fs::read(from).map_err(|e| {
            Diagnostic::new(
                Code::ReadError,
                format!("cannot read {}: {e}", from.display()),
            )
            .hint("check the file's permissions")
        })?;
        self.write(rel, &bytes)
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

    /// Removes from a reused staging folder what this build did not write, and the folders
    /// left empty.
    fn clear_stale(&self, written: &HashSet<&str>) -> Result<(), Diagnostic> {
        if !self.reused {
            return Ok(());
        }
        let files = walk(&self.dir).map_err(|e| write_error(&self.dir, &e))?;
        let mut parents = HashSet::new();
        for (rel, _) in files {
            if rel != MARKER && !written.contains(rel.as_str()) {
                let path = self.dir.join(&rel);
                std::fs::remove_file(&path).map_err(|e| write_error(&path, &e))?;
                parents.extend(path.parent().map(Path::to_path_buf));
            }
        }
        for dir in parents {
            // Up to the staging folder, as long as they are empty.
            let mut d = dir.as_path();
            while d != self.dir && std::fs::remove_dir(d).is_ok() {
                match d.parent() {
                    Some(p) => d = p,
                    None => break,
                }
            }
        }
        Ok(())
    }

    /// Swaps the staging folder in place of the destination. `inputs` (a hash of what the
    /// build read), `recorded` (its summary and warnings) and `prints` (what its pages were
    /// made of) go into the new output's manifest. The previous output is kept beside the
    /// destination for the next build.
    pub fn commit(
        self,
        inputs: Option<u64>,
        recorded: Option<Recorded>,
        prints: Option<String>,
    ) -> Result<PathBuf, Diagnostic> {
        let written = self.written.lock().map(|w| w.clone()).unwrap_or_default();
        {
            let names: HashSet<&str> = written.iter().map(|(r, _)| r.as_str()).collect();
            self.clear_stale(&names)?;
        }
        let manifest = Manifest {
            inputs,
            recorded,
            prints,
            files: written.into_iter().collect(),
        };
        let marker = self.dir.join(MARKER);
        std::fs::write(&marker, manifest.to_text()).map_err(|e| write_error(&marker, &e))?;
        let spare = sibling(&self.dest, "old");
        if !self.dest.exists() {
            std::fs::rename(&self.dir, &self.dest).map_err(|e| write_error(&self.dest, &e))?;
            return Ok(self.dest);
        }
        // check_destination ran at begin(); re-check in case the folder changed meanwhile.
        if !is_marked(&self.dest) && !is_empty_dir(&self.dest) {
            return Err(refused(
                format!(
                    "output {} changed during the build and is no longer casebook's",
                    self.dest.display()
                ),
                "run the build again",
            ));
        }
        // A kept output that appeared meanwhile (another build) gives way.
        if ours(&spare)? {
            std::fs::remove_dir_all(&spare).map_err(|e| write_error(&spare, &e))?;
        }
        // The previous output is kept for the next build; an empty folder that was there
        // before the first build is not casebook's to keep, and goes.
        let keep = is_marked(&self.dest);
        if exchange(&self.dir, &self.dest) {
            // The staging folder's name now holds the previous output.
            if keep {
                std::fs::rename(&self.dir, &spare).map_err(|e| write_error(&spare, &e))?;
            } else {
                let _ = std::fs::remove_dir(&self.dir);
            }
        } else {
            std::fs::rename(&self.dest, &spare).map_err(|e| write_error(&self.dest, &e))?;
            if let Err(e) = std::fs::rename(&self.dir, &self.dest) {
                let _ = std::fs::rename(&spare, &self.dest);
                return Err(write_error(&self.dest, &e));
            }
            if !keep {
                let _ = std::fs::remove_dir(&spare);
            }
        }
        Ok(self.dest)
    }

    /// Gives up the build: the destination is untouched, and the staging folder is kept
    /// (marked as unfinished) for the next build to reuse.
    pub fn abort(self) {
        let spare = sibling(&self.dest, "old");
        if std::fs::symlink_metadata(&spare).is_err() {
            let _ = std::fs::rename(&self.dir, &spare);
        }
    }
}
