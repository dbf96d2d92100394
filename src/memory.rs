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
