//! The progress line of `aiscout scan` on stderr: repositories done of those found,
//! files, megabytes and findings so far, elapsed time and an ETA.
//!
//! Drawn only when stderr is a terminal and `-q` is not given, so logs and CI output
//! never see it. The walk's threads bump atomic counters (no lock, no terminal I/O on
//! the hot path); indicatif redraws from them on its own ticker thread.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// Counters shared by every scanning thread.
#[derive(Debug, Default)]
struct Counters {
    files: AtomicU64,
    bytes: AtomicU64,
    findings: AtomicU64,
}

/// A progress line, or nothing (see [`Progress::new`]).
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    counters: Arc<Counters>,
}

impl Progress {
    /// A progress line on stderr when it is a terminal and `quiet` is false; otherwise
    /// one that counts nothing and draws nothing.
    pub fn new(quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        Progress::to(ProgressDrawTarget::stderr_with_hz(10))
    }

    /// A progress line that draws nothing.
    pub fn hidden() -> Progress {
        Progress {
            bar: None,
            counters: Arc::default(),
        }
    }

    fn to(target: ProgressDrawTarget) -> Progress {
        let counters = Arc::new(Counters::default());
        let bar = ProgressBar::with_draw_target(Some(0), target);
        let (c1, c2, c3) = (counters.clone(), counters.clone(), counters.clone());
        let style = ProgressStyle::with_template(
            "{spinner} {msg} {pos}/{len} repos · {files} files · {mb} · {findings} findings · {elapsed} (ETA {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .with_key("files", move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}", c1.files.load(Relaxed));
        })
        .with_key("mb", move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.1} MB", c2.bytes.load(Relaxed) as f64 / 1e6);
        })
        .with_key("findings", move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}", c3.findings.load(Relaxed));
        });
        bar.set_style(style);
        bar.set_message("scanning");
        bar.enable_steady_tick(Duration::from_millis(100));
        Progress {
            bar: Some(bar),
            counters,
        }
    }

    /// Whether anything is drawn (callers may skip work that only feeds the line).
    pub fn shown(&self) -> bool {
        self.bar.is_some()
    }

    /// One file or blob scanned, with its size and the evidence it gave.
    pub fn file(&self, bytes: u64, findings: usize) {
        if self.bar.is_some() {
            self.counters.files.fetch_add(1, Relaxed);
            self.counters.bytes.fetch_add(bytes, Relaxed);
            self.counters.findings.fetch_add(findings as u64, Relaxed);
        }
    }

    /// `n` more repositories to scan.
    pub fn repos_found(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc_length(n);
        }
    }

    /// `n` repositories finished.
    pub fn repos_done(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
        }
    }

    /// What is being done now (`scanning`, `history`, …).
    pub fn phase(&self, what: &'static str) {
        if let Some(b) = &self.bar {
            b.set_message(what);
        }
    }

    /// Removes the line, so the report and the summary start on a clean terminal.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl crate::engine::Progress for Progress {
    fn repos_found(&self, n: u64) {
        Progress::repos_found(self, n);
    }

    fn repos_done(&self, n: u64) {
        Progress::repos_done(self, n);
    }

    fn file(&self, bytes: u64, findings: usize) {
        Progress::file(self, bytes, findings);
    }

    fn phase(&self, what: &'static str) {
        Progress::phase(self, what);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Not a terminal (as under `cargo test`), or quiet: nothing is drawn or counted.
    #[test]
    fn hidden_when_not_a_terminal_or_quiet() {
        assert!(!Progress::new(true).shown());
        if !std::io::stderr().is_terminal() {
            assert!(!Progress::new(false).shown());
        }
        let p = Progress::hidden();
        p.file(10, 1);
        assert_eq!(p.counters.files.load(Relaxed), 0);
    }

    /// A drawn line shows what the counters say.
    #[test]
    fn the_line_shows_the_counters() {
        let target = indicatif::InMemoryTerm::new(4, 200);
        let p = Progress::to(ProgressDrawTarget::term_like(Box::new(target.clone())));
        p.repos_found(3);
        p.repos_done(1);
        p.file(2_500_000, 2);
        p.file(500_000, 1);
        p.phase("history");
        if let Some(b) = &p.bar {
            b.tick();
        }
        let screen = target.contents();
        for want in ["history", "1/3 repos", "2 files", "3.0 MB", "3 findings"] {
            assert!(screen.contains(want), "{want:?} not in {screen:?}");
        }
    }
}
