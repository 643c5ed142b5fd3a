//! The progress line of `aiscout scan` on stderr: files, megabytes and findings so
//! far and the elapsed time; with several repositories, also how many are done and an
//! ETA. One folder or an unknown count shows only what is known: never `0/0 repos`,
//! never `ETA 0s`.
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
            "{spinner} {msg} {repos}{files} files · {mb} · {findings} findings · {secs}{eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .with_key("repos", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            if let Some(len) = s.len().filter(|&n| n > 1) {
                let _ = write!(w, "{}/{} repos · ", grouped(s.pos()), grouped(len));
            }
        })
        .with_key(
            "files",
            move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}", grouped(c1.files.load(Relaxed)));
            },
        )
        .with_key(
            "mb",
            move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.1} MB", c2.bytes.load(Relaxed) as f64 / 1e6);
            },
        )
        .with_key(
            "findings",
            move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}", grouped(c3.findings.load(Relaxed)));
            },
        )
        .with_key("secs", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.1} s", s.elapsed().as_secs_f64());
        })
        .with_key("eta", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            // An ETA needs several repositories and one of them done; a zero one says
            // nothing.
            let several = s.len().is_some_and(|n| n > 1);
            let eta = s.eta().as_secs();
            if several && s.pos() > 0 && eta > 0 {
                let _ = write!(w, " · ETA {}", duration(eta));
            }
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

/// `12,345`: digits grouped by thousands, as people read counts.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// `42 s`, `3 min 5 s`, `2 h 10 min`.
fn duration(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{} min {} s", secs / 60, secs % 60),
        _ => format!("{} h {} min", secs / 3600, secs % 3600 / 60),
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

    /// The line as drawn now: after the redraw rate limit has let a new frame through.
    fn draw(p: &Progress, target: &indicatif::InMemoryTerm) -> String {
        std::thread::sleep(Duration::from_millis(150));
        if let Some(b) = &p.bar {
            b.tick();
        }
        target.contents()
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
        let screen = draw(&p, &target);
        for want in [
            "history",
            "1/3 repos",
            "2 files",
            "3.0 MB",
            "3 findings",
            " s",
        ] {
            assert!(screen.contains(want), "{want:?} not in {screen:?}");
        }
    }

    /// One folder (no repository count, or just one): what is known, no `0/0 repos`
    /// and no `ETA 0s`.
    #[test]
    fn one_folder_shows_files_bytes_and_time_only() {
        let elapsed = regex::Regex::new(r"findings · \d+\.\d s").unwrap();
        for found in [0, 1] {
            let target = indicatif::InMemoryTerm::new(4, 200);
            let p = Progress::to(ProgressDrawTarget::term_like(Box::new(target.clone())));
            p.repos_found(found);
            for _ in 0..12_345 {
                p.file(41_475, 0);
            }
            p.file(0, 7);
            let screen = draw(&p, &target);
            for want in ["12,346 files", "512.0 MB", "7 findings"] {
                assert!(screen.contains(want), "{want:?} not in {screen:?}");
            }
            assert!(elapsed.is_match(&screen), "{screen:?}");
            for never in ["repos", "ETA", "0/0"] {
                assert!(!screen.contains(never), "{never:?} in {screen:?}");
            }
        }
    }

    #[test]
    fn counts_and_durations_read_as_people_write_them() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(12_345), "12,345");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(duration(42), "42 s");
        assert_eq!(duration(185), "3 min 5 s");
        assert_eq!(duration(7_800), "2 h 10 min");
    }
}
