//! What a reused staging folder holds, listed beside a build: every folder opened from its
//! parent's handle and every file looked at from its folder's, so that no path is walked
//! from the root again (at 10,000 practices, 30,000 folders nine names deep).

use std::ffi::CStr;
use std::os::fd::{AsFd, BorrowedFd};
use std::path::Path;

use rustix::fs::{AtFlags, CWD, Dir, FileType, Mode, OFlags, Stat};

use super::records::FileStamp;

/// A plain file as [`list`] found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// Its stamp.
    Stamp(FileStamp),
    /// Its inode alone: its folder's files are trusted as recorded (see
    /// [`super::Sealed`]).
    Inode(u64),
}

impl Listed {
    /// The file's inode.
    pub fn inode(&self) -> u64 {
        match self {
            Listed::Stamp(s) => s.inode,
            Listed::Inode(i) => *i,
        }
    }
}

/// Every entry under the folder `dir` that is not a folder: its path relative to `dir` (with
/// `/`) and, for a plain file, what was found of it (`None` for a link or a special file):
/// its inode in the folders of `inode_only` (relative paths with a final `/`), which the
/// folders' listings give, and its stamp elsewhere. The folders of `skip` (relative paths
/// with a final `/`) are not read. Links are not followed: a link to a folder is listed,
/// not visited. On the calling thread only: it runs beside a build, whose parallel work it
/// must not queue behind.
pub fn list(
    dir: &Path,
    inode_only: &[String],
    skip: &[String],
) -> std::io::Result<Vec<(String, Option<Listed>)>> {
    let mut found = Vec::new();
    let root = open_folder(CWD, dir)?;
    let folders = Folders { inode_only, skip };
    under(Dir::new(root)?, "", &folders, &mut found)?;
    Ok(found)
}

/// The folders [`list`] treats apart.
struct Folders<'a> {
    inode_only: &'a [String],
    skip: &'a [String],
}

/// Whether `rel` is in one of the folders of `prefixes` (relative paths with a final `/`).
fn within(rel: &str, prefixes: &[String]) -> bool {
    prefixes.iter().any(|f| rel.starts_with(f.as_str()))
}

/// Opens the folder `name` of `parent`, refusing a link.
fn open_folder<P: rustix::path::Arg>(
    parent: BorrowedFd,
    name: P,
) -> std::io::Result<std::os::fd::OwnedFd> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    Ok(rustix::fs::openat(parent, name, flags, Mode::empty())?)
}

/// The entries of the open folder `dir` (at `prefix`) into `found`, then those of its folders.
fn under(
    mut dir: Dir,
    prefix: &str,
    apart: &Folders,
    found: &mut Vec<(String, Option<Listed>)>,
) -> std::io::Result<()> {
    let mut folders = Vec::new();
    while let Some(entry) = dir.read() {
        let entry = entry?;
        let name = entry.file_name();
        if name == c"." || name == c".." {
            continue;
        }
        let rel = match (prefix, name.to_string_lossy()) {
            ("", name) => name.into_owned(),
            (prefix, name) => format!("{prefix}/{name}"),
        };
        let handle = dir.fd()?;
        // Some file systems do not say an entry's type in the listing: it is looked at.
        let mut looked: Option<Stat> = None;
        let mut kind = entry.file_type();
        if kind == FileType::Unknown {
            match look(handle, name)? {
                Some(stat) => {
                    kind = FileType::from_raw_mode(stat.st_mode);
                    looked = Some(stat);
                }
                None => continue,
            }
        }
        match kind {
            FileType::Directory => {
                if !apart
                    .skip
                    .iter()
                    .any(|s| s.strip_suffix('/') == Some(rel.as_str()))
                {
                    folders.push((name.to_owned(), rel));
                }
            }
            FileType::RegularFile if within(&rel, apart.inode_only) => {
                found.push((rel, Some(Listed::Inode(entry.ino()))));
            }
            FileType::RegularFile => {
                let stat = match looked {
                    Some(stat) => Some(stat),
                    None => look(handle, name)?,
                };
                // A file gone since the folder was read is no file to keep.
                let Some(stat) = stat else { continue };
                let file = (FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile)
                    .then(|| Listed::Stamp(stamp(&stat)));
                found.push((rel, file));
            }
            _ => found.push((rel, None)),
        }
    }
    for (name, rel) in folders {
        let folder = open_folder(dir.fd()?.as_fd(), name.as_c_str())?;
        under(Dir::new(folder)?, &rel, apart, found)?;
    }
    Ok(())
}

/// The entry `name` of the folder `dir`, not following a link; `None` when it is gone.
fn look(dir: BorrowedFd, name: &CStr) -> std::io::Result<Option<Stat>> {
    match rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(stat) => Ok(Some(stat)),
        Err(rustix::io::Errno::NOENT) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The stamp of a plain file from what `stat` said of it.
fn stamp(stat: &Stat) -> FileStamp {
    FileStamp {
        inode: stat.st_ino,
        size: stat.st_size as u64,
        mtime: (stat.st_mtime, stat.st_mtime_nsec as i64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_listed_with_their_stamps_links_and_trusted_folders_apart() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("staging");
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(dir.join("en/practices/a")).unwrap();
        std::fs::create_dir_all(dir.join("_images")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret"), "x").unwrap();
        std::fs::write(dir.join("index.html"), "home").unwrap();
        std::fs::write(dir.join("en/practices/a/index.html"), "a page").unwrap();
        std::fs::write(dir.join("_images/a.webp"), "pixels").unwrap();
        std::os::unix::fs::symlink(&outside, dir.join("en/linked")).unwrap();
        std::fs::create_dir_all(dir.join("en/skipped")).unwrap();
        std::fs::write(dir.join("en/skipped/page.html"), "not read").unwrap();
        let mut found = list(&dir, &["_images/".to_string()], &["en/skipped/".into()]).unwrap();
        found.sort_by(|a, b| a.0.cmp(&b.0));
        let meta = |rel: &str| std::fs::symlink_metadata(dir.join(rel)).unwrap();
        let page = meta("en/practices/a/index.html");
        assert_eq!(
            found,
            [
                (
                    "_images/a.webp".to_string(),
                    Some(Listed::Inode(meta("_images/a.webp").ino()))
                ),
                ("en/linked".to_string(), None),
                (
                    "en/practices/a/index.html".to_string(),
                    Some(Listed::Stamp(FileStamp::of(&page)))
                ),
                (
                    "index.html".to_string(),
                    Some(Listed::Stamp(FileStamp::of(&meta("index.html"))))
                ),
            ]
        );
        // The folder itself a link: refused, not followed.
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        assert!(list(&link, &[], &[]).is_err());
    }
}
