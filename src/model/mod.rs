//! The model: the nouns every stage shares — blobs, evidence, redacted secrets, scan
//! statistics, skips and faults. It depends on nothing else in the crate.
//!
//! Invariant: a secret value never lives in an [`Evidence`]. Detectors hand the raw
//! match to [`Redacted::new`] at the moment they find it and keep only the result, so
//! no reporter, log line or error message downstream can print the value.

mod blob;
mod evidence;
mod file;
mod key;
mod shown;
mod snippet;
mod stats;
pub mod time;

pub use blob::{Blob, Origin};
pub use evidence::{Evidence, HistoryInfo, Kind, Method};
pub use file::{Ecosystem, FileClass, FileRole, Lang, LangFamily};
pub use key::{hex, FingerprintKey, KeyError, Redacted};
pub use shown::{shown, LogSafe};
pub use snippet::{
    credential_like, line_range, locate, mask_credentials, name_looks_secret, redacted_snippet,
    LineIndex, INDEX_LINES_FROM, MAX_SNIPPET_CHARS,
};
pub use stats::{CacheStats, Fault, ScanStats, Skip, SkipDetail, SkipReason, MAX_SKIP_DETAILS};
