//! Freeing large structures off the critical path.

/// Drops `value` on a background thread: a built site's model, index and contexts are
/// millions of small allocations, and the build's result need not wait for them to be freed.
/// A process that exits first leaves the memory to the operating system.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    // If no thread can be started, the closure, and `value` with it, is dropped here.
    let _ = std::thread::Builder::new()
        .name("casebook-drop".into())
        .spawn(move || drop(value));
}

/// Asks the kernel not to back this process's memory with transparent huge pages.
///
/// mimalloc marks its arenas for huge pages, so each first touch of 2 MB zeroes all of it,
/// and memory it gives back and takes again is zeroed again, 2 MB at a time. A rebuild
/// after one edit at 10,000 practices had a quarter of its profile's samples zeroing pages,
/// and took about 1.36 s instead of 1.12 s (docs/performance.md, "A thirteenth round").
/// Elsewhere than on Linux, nothing.
pub fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
