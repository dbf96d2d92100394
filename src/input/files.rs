//! Reading the site's own files, and nothing else: only regular files (a named pipe or a
//! device would block the build or never end), of bounded size, whose real path lies inside
//! the site's folder (a symbolic link to `/proc/self/environ` or `~/.ssh/` is refused, so
//! that no file from elsewhere on the machine ends up in the output or in a diagnostic).

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Location};

/// The largest text file casebook reads: a content file, casebook.yaml, a template, an i18n
/// file or the map. Larger ones are refused rather than read.
pub const MAX_TEXT_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Why a file of the site was not read.
#[derive(Debug)]
pub enum Refusal {
    /// Not a regular file: what it is instead (`a named pipe (FIFO)`, `a folder`, …).
    NotRegular(&'static str),
    /// A symbolic link (or a path through one) whose target lies outside the site; the link
    /// as written, when it is one.
    Outside(Option<PathBuf>),
    /// Larger than the limit: its size in bytes.
    TooLarge(u64),
    /// The file system said no.
    Io(std::io::Error),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotRegular(kind) => write!(f, "not a regular file but {kind}"),
            Refusal::Outside(Some(target)) => write!(
                f,
                "symbolic link to `{}`, outside the site",
                target.display()
            ),
            Refusal::Outside(None) => {
                f.write_str("reached through a symbolic link that leads outside the site")
            }
            Refusal::TooLarge(size) => write!(
                f,
                "file is {} MB; the limit is {} MB",
                size / 1_000_000,
                MAX_TEXT_FILE_BYTES / 1_000_000
            ),
            Refusal::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

impl Refusal {
    /// The diagnostic for a file shown to the user as `shown`.
    pub fn diagnostic(&self, shown: &Path) -> Diagnostic {
        let (code, hint) = match self {
            Refusal::NotRegular(_) => (
                Code::ReadError,
                "casebook reads only regular files: replace it with a file, or move it out of the site",
            ),
            Refusal::Outside(_) => (
                Code::ReadError,
                "casebook reads only files inside the site's folder, so that a build never publishes a file from elsewhere on the machine: copy the file into the site, or point the link at a file inside it",
            ),
            Refusal::TooLarge(_) => (
                Code::FileTooLarge,
                "a page or a setting is text: move large data to static/ and link to it",
            ),
            Refusal::Io(_) => (Code::ReadError, "check the file's permissions"),
        };
        Diagnostic::new(code, self.to_string())
            .at(Location::file(shown))
            .hint(hint)
    }
}

/// What a file type is, in words, for a file that is not regular.
fn kind_of(meta: &std::fs::Metadata) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_file() {
        None
    } else if t.is_dir() {
        Some("a folder")
    } else if t.is_fifo() {
        Some("a named pipe (FIFO)")
    } else if t.is_socket() {
        Some("a socket")
    } else if t.is_block_device() || t.is_char_device() {
        Some("a device")
    } else {
        Some("a special file")
    }
}

/// The site's folder, resolved, to tell whether a path stays inside it.
#[derive(Debug, Clone)]
pub struct SiteRoot {
    real: Option<PathBuf>,
}

impl SiteRoot {
    /// The site at `root` (resolved once; a site that cannot be resolved lets nothing in).
    pub fn new(root: &Path) -> SiteRoot {
        SiteRoot {
            real: std::fs::canonicalize(root).ok(),
        }
    }

    /// Whether `path`, with every symbolic link on the way resolved, lies inside the site.
    /// A path that does not resolve (a dangling link) is refused with the error.
    pub fn contains(&self, path: &Path) -> Result<(), Refusal> {
        let real = std::fs::canonicalize(path).map_err(Refusal::Io)?;
        match &self.real {
            Some(root) if real.starts_with(root) => Ok(()),
            _ => Err(Refusal::Outside(std::fs::read_link(path).ok())),
        }
    }

    /// Reads the regular file at `path`, inside the site, of at most `limit` bytes.
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
        self.contains(path)?;
        read_regular(path, limit)
    }
}

/// Reads the regular file at `path` if it has at most `limit` bytes. The file is opened
/// without blocking (opening a named pipe for reading otherwise waits for a writer), then
/// checked to be a regular file before a byte is read, and never read past the limit.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    #[cfg(not(target_os = "linux"))]
    {
        // Without O_NONBLOCK, look before opening.
        let meta = std::fs::metadata(path).map_err(Refusal::Io)?;
        if let Some(kind) = kind_of(&meta) {
            return Err(Refusal::NotRegular(kind));
        }
    }
    let file = options.open(path).map_err(Refusal::Io)?;
    let meta = file.metadata().map_err(Refusal::Io)?;
    if let Some(kind) = kind_of(&meta) {
        return Err(Refusal::NotRegular(kind));
    }
    if meta.len() > limit {
        return Err(Refusal::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refusal::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The problem with an entry met while walking a folder of the site, if any: a symbolic
/// link that leads outside the site, or a special file (pipe, socket, device) among the
/// files. `None` for regular files and folders inside the site.
pub fn vet_entry(site: &SiteRoot, entry: &walkdir::DirEntry) -> Option<Refusal> {
    if (entry.depth() == 0 || entry.path_is_symlink())
        && let Err(refusal) = site.contains(entry.path())
    {
        return Some(refusal);
    }
    let t = entry.file_type();
    if t.is_file() || t.is_dir() {
        return None;
    }
    // With links followed, the file type is the target's.
    std::fs::metadata(entry.path())
        .ok()
        .and_then(|m| kind_of(&m))
        .map(Refusal::NotRegular)
}

/// The text with each lone carriage return (the line break of classic Mac OS files) made a
/// line feed, as YAML and editors read it, so that every line number casebook reports is the
/// one an editor shows. Carriage returns before a line feed stay.
pub fn normalize_line_breaks(text: String) -> String {
    let lone = |t: &str| {
        t.match_indices('\r')
            .any(|(i, _)| t.as_bytes().get(i + 1) != Some(&b'\n'))
    };
    if !lone(&text) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_pipes_links_outside_and_large_files() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir(&site).unwrap();
        std::fs::write(site.join("a.txt"), "hello").unwrap();
        std::fs::write(dir.path().join("secret"), "s3cret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), site.join("leak")).unwrap();
        std::os::unix::fs::symlink("a.txt", site.join("inside")).unwrap();
        let root = SiteRoot::new(&site);
        assert_eq!(root.read(&site.join("a.txt"), 100).unwrap(), b"hello");
        assert_eq!(root.read(&site.join("inside"), 100).unwrap(), b"hello");
        assert!(matches!(
            root.read(&site.join("leak"), 100),
            Err(Refusal::Outside(Some(_)))
        ));
        assert!(matches!(
            root.read(&site.join("a.txt"), 3),
            Err(Refusal::TooLarge(5))
        ));
        let fifo = site.join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        assert!(matches!(
            root.read(&fifo, 100),
            Err(Refusal::NotRegular("a named pipe (FIFO)"))
        ));
    }

    #[test]
    fn lone_carriage_returns_become_line_feeds() {
        assert_eq!(normalize_line_breaks("a\rb\r\nc\r".into()), "a\nb\r\nc\n");
        assert_eq!(normalize_line_breaks("a\r\nb".into()), "a\r\nb");
    }
}
