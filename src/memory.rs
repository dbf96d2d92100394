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

/// mimalloc's `mi_option_purge_delay` (mimalloc.h, v2): libmimalloc-sys names only some
/// options as constants.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Asks the allocator to give memory back to the system as soon as it is freed, rather
/// than 10 to 100 ms later. For `serve`, which runs all day and whose batches of deferred
/// work each free tens of megabytes that the next batch would otherwise add to: at 10,000
/// practices its peak fell from 395–404 MB to 364 MB, for edits about 10% slower, still
/// within their budgets (docs/performance.md, "A seventeenth round"). Call it before any
/// other thread starts: mimalloc's options are not meant to change under running threads.
pub fn return_freed_memory_at_once() {
    // SAFETY: sets one integer option of mimalloc's; called while the process has one thread.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // mimalloc's v2 default purge delay is 10 ms; its neighbours' defaults differ (the
        // eager commit delay is 1, the NUMA nodes 0).
        // SAFETY: reads integer options; no option is set in this test binary.
        unsafe {
            assert_eq!(
                libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY),
                10
            );
            assert_eq!(libmimalloc_sys::mi_option_get(14), 1);
        }
    }
}
