//! Swapping two folders in one atomic step, where the system can.

use std::path::Path;

/// Swaps two paths atomically where the system can (Linux `renameat2` with
/// `RENAME_EXCHANGE`); returns false where it cannot, having changed nothing.
#[cfg(target_os = "linux")]
pub fn exchange(a: &Path, b: &Path) -> bool {
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

/// Elsewhere the swap is two renames (see [`crate::output::Staging::commit`]).
#[cfg(not(target_os = "linux"))]
pub fn exchange(_: &Path, _: &Path) -> bool {
    false
}
