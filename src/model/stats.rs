//! What a scan did: counts, skips by reason, skip details and faults. Deterministic for
//! the same input (no timings), so two runs of one scan serialize the same bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Why a file was not scanned. Expected skips never change the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Larger than `--max-file-size`.
    TooLarge,
    /// A NUL byte in the first 8 KiB.
    Binary,
    /// A symbolic link (never followed).
    Symlink,
    /// A FIFO, socket or device.
    Special,
    /// Too large for tree-sitter (still prefiltered and matched otherwise).
    ParseTooLarge,
    /// tree-sitter ran out of its time budget.
    ParseTimeout,
    /// A manifest, lockfile or notebook that its parser rejected.
    MalformedManifest,
    /// Minified or bundled code, not parsed (a vendored bundle lists every provider).
    Minified,
    /// A configuration file (YAML, JSON, TOML, HCL, env) that its parser rejected.
    MalformedConfig,
    /// More evidence than `limits::DEFAULT_MAX_EVIDENCE_PER_FILE` (or than a rule's
    /// per-file cap): the rest was dropped, secrets kept first.
    EvidenceCap,
    /// An ignore file over its limits (size, patterns, nesting), a symlink, or
    /// unreadable: not applied, so what it would have excluded is read.
    IgnoreFile,
    /// Left out by the operator (`--exclude`, `[scan] exclude`): a file, or a directory
    /// counted once without walking it.
    Excluded,
}

impl SkipReason {
    /// The name shown in stats.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::TooLarge => "too_large",
            SkipReason::Binary => "binary",
            SkipReason::Symlink => "symlink",
            SkipReason::Special => "special",
            SkipReason::ParseTooLarge => "parse_too_large",
            SkipReason::ParseTimeout => "parse_timeout",
            SkipReason::MalformedManifest => "malformed_manifest",
            SkipReason::Minified => "minified",
            SkipReason::MalformedConfig => "malformed_config",
            SkipReason::EvidenceCap => "evidence_cap",
            SkipReason::IgnoreFile => "ignore_file",
            SkipReason::Excluded => "excluded",
        }
    }
}

/// A blob a detector could not handle fully (a partial skip); the rest of the scan goes
/// on. Counted by reason in [`ScanStats::skipped`], listed in [`ScanStats::skip_details`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    /// Why.
    pub reason: SkipReason,
    /// The parser's message (never file contents).
    pub message: String,
}

/// What a scan did, deterministic for the same input (no timings here).
///
/// With `--cache` every count describes the input, not the work: a file whose outcome
/// came from the cache counts in `files_scanned`, `bytes_scanned`, `prefilter_hits`,
/// `skipped`… exactly as if it had been read again, so a cached scan serializes the
/// same stats as an uncached one. What the cache saved is in [`ScanStats::cache`],
/// which is never serialized (it depends on the cache, not on the input).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanStats {
    /// Regular files, symlinks and special files met by the walk.
    pub files_seen: u64,
    /// Files classified: read and prefiltered, or (with `--cache`) known unchanged
    /// since a scan that did.
    pub files_scanned: u64,
    /// Bytes of the files in `files_scanned` (after UTF-16 decoding).
    pub bytes_scanned: u64,
    /// Files in which the prefilter selected at least one rule.
    pub prefilter_hits: u64,
    /// Files parsed with tree-sitter.
    pub files_parsed: u64,
    /// Findings dropped by an inline `aiscout:allow` comment.
    #[serde(default)]
    pub suppressed: u64,
    /// Files not (fully) scanned, by reason.
    pub skipped: BTreeMap<SkipReason, u64>,
    /// Skips worth a look (malformed manifests, parse caps), with path and message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skip_details: Vec<SkipDetail>,
    /// Errors with their paths; any fault makes the exit code 2.
    pub faults: Vec<Fault>,
    /// What `--cache` saved in this run; all zero without it. Not serialized.
    #[serde(skip)]
    pub cache: CacheStats,
}

/// What `--cache` did in one run. Each file or blob an uncached scan would have read
/// (those in `files_scanned`, the binary ones, and `--history` blobs, which
/// `files_scanned` leaves out) is one of `hits`, `verified` or `misses`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Outcome from the cache without opening or reading the file or blob: the stat of
    /// a working-tree file unchanged, or a blob id already classified at that path.
    pub hits: u64,
    /// Bytes of the `hits`, not read.
    pub hit_bytes: u64,
    /// Read again because the stat changed (or was too recent to trust), but the
    /// content hash was unchanged: the detectors did not run again.
    pub verified: u64,
    /// Read and classified, then recorded.
    pub misses: u64,
    /// Cache files (one per repository and source) loaded and trusted.
    pub files_loaded: u64,
    /// Cache files ignored: written by another version, rule set or detector options.
    pub files_invalidated: u64,
    /// Cache files ignored: corrupt (truncated, garbage, checksum mismatch).
    pub files_corrupt: u64,
    /// Cache files written (only those whose entries changed).
    pub files_written: u64,
    /// The first few cache writes that failed, with path and error.
    pub write_errors: Vec<String>,
    /// Number of cache writes that failed.
    pub write_error_count: u64,
}

impl CacheStats {
    /// Adds `other` into `self`.
    pub fn merge(&mut self, other: CacheStats) {
        self.hits += other.hits;
        self.hit_bytes += other.hit_bytes;
        self.verified += other.verified;
        self.misses += other.misses;
        self.files_loaded += other.files_loaded;
        self.files_invalidated += other.files_invalidated;
        self.files_corrupt += other.files_corrupt;
        self.files_written += other.files_written;
        self.write_errors.extend(other.write_errors);
        self.write_error_count += other.write_error_count;
    }
}

/// A skip worth listing.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SkipDetail {
    /// Path as shown to the user.
    pub path: String,
    /// Why.
    pub reason: SkipReason,
    /// Parser message, never file contents.
    pub message: String,
}

/// An error while scanning.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Fault {
    /// Path as shown to the user.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// At most this many skip details are kept; the counts stay exact.
pub const MAX_SKIP_DETAILS: usize = 1000;

impl ScanStats {
    /// Adds `other` into `self`.
    pub fn merge(&mut self, other: ScanStats) {
        self.files_seen += other.files_seen;
        self.files_scanned += other.files_scanned;
        self.bytes_scanned += other.bytes_scanned;
        self.prefilter_hits += other.prefilter_hits;
        self.files_parsed += other.files_parsed;
        self.suppressed += other.suppressed;
        for (k, v) in other.skipped {
            *self.skipped.entry(k).or_default() += v;
        }
        self.skip_details.extend(other.skip_details);
        self.faults.extend(other.faults);
        self.cache.merge(other.cache);
    }

    /// Sorts lists and caps details so output is deterministic and bounded.
    pub fn finish(&mut self) {
        self.skip_details.sort();
        self.skip_details.truncate(MAX_SKIP_DETAILS);
        self.faults.sort();
        self.faults.dedup();
    }
}
