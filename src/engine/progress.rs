//! What a running scan tells whoever shows its progress. The engine only counts; the
//! CLI draws (a progress line on a terminal) or ignores it.

/// Receives a running scan's counts from every thread; calls must be cheap.
pub trait Progress: Sync {
    /// `n` more repositories to scan.
    fn repos_found(&self, _n: u64) {}
    /// `n` repositories finished.
    fn repos_done(&self, _n: u64) {}
    /// One file or blob classified, with its size and the evidence it gave.
    fn file(&self, _bytes: u64, _findings: usize) {}
    /// What is being done now (`scanning`, `history`).
    fn phase(&self, _what: &'static str) {}
}

/// Progress that nobody watches.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
