//! Running work on scoped threads, results in a fixed order whatever the timing.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `work` on `n` scoped threads and returns their results in thread order; a
/// worker's panic is re-raised here, as it would be on one thread.
pub(crate) fn on_threads<T: Send>(n: usize, work: impl Fn() -> T + Sync) -> Vec<T> {
    if n <= 1 {
        return vec![work()];
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n).map(|_| s.spawn(&work)).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// Runs `work(i, threads)` for every `i < n`, as many at once as there are `threads`
/// (each given its share of them), and returns the results in index order.
pub(crate) fn side_by_side<T: Send>(
    n: usize,
    threads: usize,
    work: impl Fn(usize, usize) -> T + Sync,
) -> Vec<T> {
    let workers = threads.clamp(1, n.max(1));
    let each = (threads / workers).max(1);
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, T)> = on_threads(workers, || {
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                break mine;
            }
            mine.push((i, work(i, each)));
        }
    })
    .into_iter()
    .flatten()
    .collect();
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}
