//! The blob worker: the one loop every source's blobs go through — cache lookup,
//! decode, classify, prefilter and detect, count. Sources (a walked tree, the tree of a
//! revision, the staged index, the history) only produce blobs; what a blob yields
//! and how it is counted is decided here, the same for all of them.
//!
//! One worker per thread; it owns the detectors' scratch space and the counts of the
//! blobs it saw, which its driver merges when the thread is done.

use std::sync::Mutex;

use super::progress::Progress;
use crate::cache::{content_hash, CachedOutcome, RepoCache, Stamp, WorkTreeCaches};
use crate::detect::{BlobOutcome, Detector, Scratch};
use crate::model::{Blob, Evidence, Fault, ScanStats, SkipDetail, SkipReason};
use crate::source::decode_utf16;
use crate::source::filekind::FileKind;
use crate::source::limits::BINARY_SNIFF_LEN;

/// Where the outcome of one blob is looked up and recorded in the cache.
pub(crate) enum Slot<'t> {
    /// No cache.
    None,
    /// A working-tree file, by its stat (a hit is not even opened), then by the hash
    /// of its content.
    File {
        /// The tables of the walked root.
        tables: &'t WorkTreeCaches<'t>,
        /// The file's repository, root-relative.
        repo: &'t str,
        /// Its stat.
        stamp: Stamp,
    },
    /// A git blob, by its id (a hit is not even read).
    Blob {
        /// Its repository's table, shared by the threads reading it.
        table: &'t Mutex<RepoCache>,
        /// The blob id.
        oid: &'t [u8],
    },
}

/// What became of one blob.
pub(crate) enum Classified {
    /// Skipped (binary, too large), and counted so.
    Skipped,
    /// Classified, with the evidence it gave (paths repo-relative). What the file is
    /// is not carried: a cache hit is never classified, and the walk needs only what its
    /// name says ([`FileKind::unit_manifest_at`]).
    Text(Vec<Evidence>),
}

impl Classified {
    /// The evidence, when the blob was classified.
    pub(crate) fn evidence(self) -> Option<Vec<Evidence>> {
        match self {
            Classified::Skipped => None,
            Classified::Text(evidence) => Some(evidence),
        }
    }
}

/// One thread's blob loop.
pub(crate) struct BlobWorker<'a> {
    detector: &'a Detector,
    progress: &'a dyn Progress,
    max_file_size: u64,
    /// Looks for keys only (history blobs).
    secrets_only: bool,
    scratch: Scratch,
    outcome: BlobOutcome,
    /// What this worker counted.
    pub(crate) stats: ScanStats,
}

impl<'a> BlobWorker<'a> {
    /// A worker running `detector`, skipping blobs over `max_file_size` bytes.
    pub(crate) fn new(
        detector: &'a Detector,
        progress: &'a dyn Progress,
        max_file_size: u64,
    ) -> Self {
        BlobWorker {
            detector,
            progress,
            max_file_size,
            secrets_only: false,
            scratch: Scratch::default(),
            outcome: BlobOutcome::default(),
            stats: ScanStats::default(),
        }
    }

    /// This worker looks for keys only: a history blob's code and configuration are
    /// not the scanned tree's, only the keys it once held are.
    pub(crate) fn secrets_only(mut self) -> Self {
        self.secrets_only = true;
        self
    }

    /// A blob that was not read, and why (a symlink, a special file, too large).
    pub(crate) fn skipped(&mut self, reason: SkipReason) {
        self.stats.files_seen += 1;
        *self.stats.skipped.entry(reason).or_default() += 1;
    }

    /// A directory the operator excluded: counted once, its files never walked.
    pub(crate) fn excluded_dir(&mut self) {
        *self.stats.skipped.entry(SkipReason::Excluded).or_default() += 1;
    }

    /// An ignore file not applied (at `path`, as shown), and why. Not a file of its
    /// own: the walk reads it as one too.
    pub(crate) fn ignore_skipped(&mut self, path: String, message: String) {
        *self
            .stats
            .skipped
            .entry(SkipReason::IgnoreFile)
            .or_default() += 1;
        self.stats.skip_details.push(SkipDetail {
            path,
            reason: SkipReason::IgnoreFile,
            message,
        });
    }

    /// An error reading a blob, with the path shown to the user.
    pub(crate) fn fault(&mut self, path: String, message: String) {
        self.stats.faults.push(Fault { path, message });
    }

    /// Looks the blob at `path` up in `slot` before it is read. A hit is counted
    /// exactly as if the blob had been read and classified again; `None` means it must
    /// be read and given to [`BlobWorker::process`].
    pub(crate) fn cached(
        &mut self,
        path: &str,
        slot: &Slot,
        shown: &dyn Fn() -> String,
    ) -> Option<Classified> {
        let (size, stored) = match slot {
            Slot::None => return None,
            Slot::File {
                tables,
                repo,
                stamp,
            } => (stamp.size, tables.file_hit(repo, path, stamp)?),
            Slot::Blob { table, oid } => {
                let (size, stored) = lock(table).blob_hit(oid, path)?;
                // The size check an uncached scan makes on the object header.
                if size > self.max_file_size {
                    self.skipped(SkipReason::TooLarge);
                    return Some(Classified::Skipped);
                }
                (size, stored)
            }
        };
        self.stats.cache.hits += 1;
        self.stats.cache.hit_bytes += size;
        if stored.binary {
            self.skipped(SkipReason::Binary);
            return Some(Classified::Skipped);
        }
        replay(&stored, &mut self.outcome);
        let evidence = self.count(stored.scanned, shown);
        Some(Classified::Text(evidence))
    }

    /// Reads one blob the cache did not know: decodes it (a NUL in its first 8 KiB
    /// means binary, unless it is UTF-16 with a byte-order mark), classifies it, runs
    /// the detectors (unless the cache knows this very content), counts it, and records
    /// the outcome in `slot`.
    pub(crate) fn process(
        &mut self,
        blob: &Blob,
        slot: &Slot,
        shown: &dyn Fn() -> String,
    ) -> Classified {
        let decoded;
        let sniff = &blob.bytes[..blob.bytes.len().min(BINARY_SNIFF_LEN)];
        let text: &[u8] = if sniff.contains(&0) {
            match decode_utf16(blob.bytes) {
                Some(t) => {
                    decoded = t;
                    &decoded
                }
                None => {
                    self.record(blob, slot, [0; 16], CachedOutcome::binary());
                    self.skipped(SkipReason::Binary);
                    return Classified::Skipped;
                }
            }
        } else {
            blob.bytes
        };
        let kind = FileKind::of(blob.path);
        match slot {
            Slot::None => self.detect(&kind, blob.path, text),
            Slot::File { tables, repo, .. } => {
                let content = content_hash(text);
                let stored = match tables.file_unchanged(repo, blob.path, &content) {
                    Some(stored) => {
                        self.stats.cache.verified += 1;
                        replay(&stored, &mut self.outcome);
                        stored
                    }
                    None => {
                        self.stats.cache.misses += 1;
                        self.detect(&kind, blob.path, text);
                        stored_of(text.len(), &self.outcome)
                    }
                };
                self.record(blob, slot, content, stored);
            }
            Slot::Blob { .. } => {
                self.detect(&kind, blob.path, text);
                self.stats.cache.misses += 1;
                self.record(blob, slot, [0; 16], stored_of(text.len(), &self.outcome));
            }
        }
        let evidence = self.count(text.len() as u64, shown);
        Classified::Text(evidence)
    }

    fn detect(&mut self, kind: &FileKind, path: &str, text: &[u8]) {
        let (scratch, outcome) = (&mut self.scratch, &mut self.outcome);
        if self.secrets_only {
            self.detector
                .detect_secrets(kind, path, text, scratch, outcome);
        } else {
            self.detector.detect(kind, path, text, scratch, outcome);
        }
    }

    /// Records an outcome read now (not `verified`: that is counted by the caller).
    fn record(&mut self, blob: &Blob, slot: &Slot, content: [u8; 16], stored: CachedOutcome) {
        match slot {
            Slot::None => {}
            Slot::File {
                tables,
                repo,
                stamp,
            } => {
                if stored.binary {
                    self.stats.cache.misses += 1;
                }
                tables.record_file(repo, blob.path, *stamp, content, stored);
            }
            Slot::Blob { table, oid } => {
                if stored.binary {
                    self.stats.cache.misses += 1;
                }
                let size = blob.bytes.len() as u64;
                lock(table).record_blob(oid, blob.path, size, stored);
            }
        }
    }

    /// Counts the detectors' outcome (fresh or replayed) over `scanned` bytes and hands
    /// over its evidence.
    fn count(&mut self, scanned: u64, shown: &dyn Fn() -> String) -> Vec<Evidence> {
        self.progress.file(scanned, self.outcome.evidence.len());
        let s = &mut self.stats;
        s.files_seen += 1;
        s.files_scanned += 1;
        s.bytes_scanned += scanned;
        s.prefilter_hits += u64::from(self.outcome.prefilter_hit);
        s.files_parsed += u64::from(self.outcome.parsed);
        s.suppressed += self.outcome.suppressed;
        if !self.outcome.skips.is_empty() {
            let path = shown();
            for skip in self.outcome.skips.drain(..) {
                *s.skipped.entry(skip.reason).or_default() += 1;
                s.skip_details.push(SkipDetail {
                    path: path.clone(),
                    reason: skip.reason,
                    message: skip.message,
                });
            }
        }
        std::mem::take(&mut self.outcome.evidence)
    }
}

/// A cache table shared by threads; a poisoned lock means a worker panicked, and what
/// it recorded is still sound.
fn lock(table: &Mutex<RepoCache>) -> std::sync::MutexGuard<'_, RepoCache> {
    table.lock().unwrap_or_else(|e| e.into_inner())
}

/// What the cache keeps of the detectors' outcome on `scanned` bytes.
fn stored_of(scanned: usize, out: &BlobOutcome) -> CachedOutcome {
    CachedOutcome {
        binary: false,
        scanned: scanned as u64,
        prefilter_hit: out.prefilter_hit,
        parsed: out.parsed,
        suppressed: out.suppressed,
        evidence: out.evidence.clone(),
        skips: out.skips.clone(),
    }
}

/// Puts a recorded outcome in `out`, as if the detectors had just returned it.
fn replay(stored: &CachedOutcome, out: &mut BlobOutcome) {
    out.evidence.clone_from(&stored.evidence);
    out.skips.clone_from(&stored.skips);
    out.prefilter_hit = stored.prefilter_hit;
    out.parsed = stored.parsed;
    out.suppressed = stored.suppressed;
}
