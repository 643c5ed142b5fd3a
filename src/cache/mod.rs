//! The scan cache (`scan --cache DIR`, issue #7): what the detectors said about each
//! blob, so that a rescan of an unchanged organisation reads nothing it already
//! classified.
//!
//! Owns the cache directory: one file per repository and source ([`Source`]), loaded
//! when that repository is scanned and written back when it is done, so memory follows
//! the repositories in flight, never the whole organisation. An entry is keyed by the
//! blob's path in its repository (detection depends on the path as well as the
//! content) and by
//! - for git sources (bare mirrors at `HEAD` or `--ref`, `--history`, `--staged`): the
//!   blob id, which names the content, so a hit is always trusted and the blob is not
//!   even read;
//! - for working-tree files: the stat ([`Stamp`]: size, mtime, ctime, inode), trusted
//!   only when the mtime is older than the run that recorded it by [`RACY_WINDOW`]
//!   (git's racy-clean rule), and a hash of the content, so a file whose stat changed
//!   but whose content did not is read again but not classified again.
//!
//! The whole directory is keyed by [`crate::detect::Detector::cache_identity`]
//! (version, rules, detector options): a file written under another identity is
//! ignored. Never stores file contents: an entry holds what the detectors output
//! (evidence, redacted at birth; skip reasons and parser messages; counters) and a
//! 128-bit content hash. Never trusts what it did not write: a file with a wrong magic,
//! format, identity, repository or checksum, truncated or garbage, is ignored and
//! rewritten, never an error or a panic. Writes are atomic (temp file + rename); a
//! failed write is a warning, never a fault: the report does not depend on it.
//!
//! File format (integers little-endian): magic `AISCOUTC`, `u32` [`FORMAT`], `u8`
//! source, 32-byte SHA-256 of the identity, the repository path (`u32` length +
//! bytes), `u64` entry count, the entries, the tree listing (`u8` 0 = none, or 1 then
//! the revision id and a `u64` count of (path, blob id) pairs, each `u32` length +
//! bytes; kept for [`Source::Tree`] so an unmoved `HEAD` is not walked), and a SHA-256
//! of everything before it. An
//! entry: key (`u32` length + bytes: a hash of the path, with the blob id for git sources), stamp (`u64` size, `i64` mtime ns, `i64` ctime
//! ns, `u64` inode), 16-byte content hash, `u8` flags, `u64` bytes scanned, `u64`
//! suppressed, and — only when the blob yielded evidence or skips — their JSON
//! (`u32` length + bytes), so evidence gains new fields without a format change.

mod codec;
mod tree;

pub use codec::fuzz_read;
pub use tree::WorkTreeCaches;

use std::collections::HashMap;
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use crate::model::{hex, CacheStats, Evidence, Skip};
use codec::{decode, encode};

/// The on-disk format; bump it whenever the layout or the meaning of a field changes.
pub const FORMAT: u32 = 3;

/// A working-tree entry whose file was modified less than this before the run that
/// recorded it is not trusted by its stat alone: a second write in the same timestamp
/// tick would leave the stat unchanged. 3 s covers filesystems with 1 s (ext3, HFS+)
/// and 2 s (FAT) timestamps and a little clock skew between a file server and us.
pub const RACY_WINDOW: Duration = Duration::from_secs(3);

/// A cache file larger than this is ignored without being read. A repository of a
/// million files makes a file of about 100 MB.
pub const MAX_FILE_SIZE: u64 = 1 << 30;

/// Write errors kept for the warning; the count stays exact.
const MAX_ERRORS: usize = 10;

/// A problem with the cache directory itself (files in it are never an error).
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The directory does not exist and cannot be created.
    #[error(
        "--cache {path}: cannot create the cache directory ({message}); give a writable directory"
    )]
    Create {
        /// The directory given.
        path: String,
        /// The OS error.
        message: String,
    },
}

/// The source a cache file is for: each has its own file per repository, so a tree
/// scan and a history scan of the same repository never evict each other's entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Working-tree files, keyed by path and stat.
    Files,
    /// The tree of a revision (bare mirrors at `HEAD`, `--ref`), keyed by blob id.
    Tree,
    /// Every blob of the history (`--history`), keyed by blob id.
    History,
    /// The staged blobs (`--staged`), keyed by blob id.
    Staged,
}

impl Source {
    fn tag(self) -> u8 {
        match self {
            Source::Files => 1,
            Source::Tree => 2,
            Source::History => 3,
            Source::Staged => 4,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Source::Files => "files",
            Source::Tree => "tree",
            Source::History => "history",
            Source::Staged => "staged",
        }
    }
}

/// What the stat of a working-tree file says; an entry is used only when all of it is
/// unchanged (the ctime catches a content change whose mtime was put back).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stamp {
    /// Size in bytes (for a blob: its size in the object database).
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
    /// Status-change time, nanoseconds since the Unix epoch (0 where there is none).
    pub ctime_ns: i64,
    /// Inode number (0 where there is none).
    pub ino: u64,
}

impl Stamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &Metadata) -> Stamp {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ns = |s: i64, n: i64| s.saturating_mul(1_000_000_000).saturating_add(n);
            Stamp {
                size: meta.len(),
                mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
                ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
                ino: meta.ino(),
            }
        }
        #[cfg(not(unix))]
        {
            Stamp {
                size: meta.len(),
                mtime_ns: meta.modified().map_or(0, nanos_since_epoch),
                ctime_ns: 0,
                ino: 0,
            }
        }
    }
}

fn nanos_since_epoch(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_nanos()).unwrap_or(i64::MAX),
    }
}

/// A 128-bit hash of what the detectors saw of a file (after UTF-16 decoding):
/// equal hashes mean the recorded outcome still holds.
pub fn content_hash(bytes: &[u8]) -> [u8; 16] {
    let mut h = Sha256::new();
    h.update(b"aiscout-cache-content-v1\0");
    h.update(bytes);
    let d = h.finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&d[..16]);
    out
}

/// What the detectors said about one blob, replayable without the blob.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CachedOutcome {
    /// The binary check rejected it: a `binary` skip, the detectors never ran.
    pub binary: bool,
    /// Bytes the detectors saw (after UTF-16 decoding).
    pub scanned: u64,
    /// The prefilter selected at least one rule.
    pub prefilter_hit: bool,
    /// tree-sitter ran.
    pub parsed: bool,
    /// Evidence dropped by an inline `aiscout:allow`.
    pub suppressed: u64,
    /// The evidence, as the detectors returned it.
    pub evidence: Vec<Evidence>,
    /// Partial skips, with the parsers' messages.
    pub skips: Vec<Skip>,
}

impl CachedOutcome {
    /// A blob the binary check rejected.
    pub fn binary() -> CachedOutcome {
        CachedOutcome {
            binary: true,
            ..CachedOutcome::default()
        }
    }
}

/// One entry of a table.
#[derive(Clone, Debug)]
struct Entry {
    stamp: Stamp,
    content: [u8; 16],
    /// Recorded from a file modified within [`RACY_WINDOW`] of the run: its stat alone
    /// proves nothing, only its content hash does.
    racy: bool,
    /// Used or recorded in this run; only these are written back.
    seen: bool,
    stored: CachedOutcome,
}

/// The cache directory of one run, shared by every thread.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    identity: [u8; 32],
    /// A working-tree file modified at or after this (ns since the epoch) is racy.
    racy_after: i64,
    loaded: AtomicU64,
    invalidated: AtomicU64,
    corrupt: AtomicU64,
    written: AtomicU64,
    temp_seq: AtomicU64,
    errors: Mutex<(Vec<String>, u64)>,
}

impl Cache {
    /// Opens (creating it if needed) the cache directory `dir` for entries recorded
    /// under `identity`.
    pub fn open(dir: &Path, identity: &str) -> Result<Cache, CacheError> {
        let create_err = |e: std::io::Error| CacheError::Create {
            path: dir.display().to_string(),
            message: e.to_string(),
        };
        std::fs::create_dir_all(dir).map_err(create_err)?;
        let dir = std::fs::canonicalize(dir).map_err(create_err)?;
        let tag = dir.join("CACHEDIR.TAG");
        if !tag.exists() {
            // Backup tools skip a directory so tagged (https://bford.info/cachedir/).
            let _ = std::fs::write(
                &tag,
                "Signature: 8a477f597d28d172789f06886806bc55\n\
                 # The scan cache of aiscout (scan --cache); safe to delete.\n",
            );
        }
        remove_stale_temps(&dir);
        Ok(Cache {
            dir,
            identity: Sha256::digest(identity.as_bytes()).into(),
            racy_after: nanos_since_epoch(SystemTime::now() - RACY_WINDOW),
            loaded: AtomicU64::new(0),
            invalidated: AtomicU64::new(0),
            corrupt: AtomicU64::new(0),
            written: AtomicU64::new(0),
            temp_seq: AtomicU64::new(0),
            errors: Mutex::new((Vec::new(), 0)),
        })
    }

    /// Where the cache directory lies inside the tree at `root`, as a `/`-separated
    /// path relative to it (`""` when it is the root): a walk of `root` must not enter
    /// it. `None` when it is elsewhere.
    pub fn inside(&self, root: &Path) -> Option<String> {
        let root = std::fs::canonicalize(root).ok()?;
        let rel = self.dir.strip_prefix(&root).ok()?;
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    }

    /// Adds what happened to the cache files so far to `stats`.
    pub fn count_into(&self, stats: &mut CacheStats) {
        let errors = self.errors.lock().unwrap_or_else(|e| e.into_inner());
        stats.files_loaded += self.loaded.load(Ordering::Relaxed);
        stats.files_invalidated += self.invalidated.load(Ordering::Relaxed);
        stats.files_corrupt += self.corrupt.load(Ordering::Relaxed);
        stats.files_written += self.written.load(Ordering::Relaxed);
        stats.write_errors.extend(errors.0.iter().cloned());
        stats.write_error_count += errors.1;
    }

    /// Loads the table of `source` for the repository at `repo` (empty when there is
    /// none, or it cannot be trusted).
    pub fn table(&self, repo: &Path, source: Source) -> RepoCache {
        let repo = std::fs::canonicalize(repo).unwrap_or_else(|_| repo.to_path_buf());
        let repo = repo.to_string_lossy().into_owned();
        let name = format!(
            "{}.{}",
            &hex(&Sha256::digest(repo.as_bytes()))[..32],
            source.extension()
        );
        let file = self.dir.join(name);
        let mut table = RepoCache {
            file,
            repo,
            source,
            entries: HashMap::new(),
            listing: None,
            seen: 0,
            dirty: false,
        };
        match self.read(&table) {
            Loaded::Missing => {}
            Loaded::Invalidated => {
                self.invalidated.fetch_add(1, Ordering::Relaxed);
                table.dirty = true;
            }
            Loaded::Corrupt => {
                self.corrupt.fetch_add(1, Ordering::Relaxed);
                table.dirty = true;
            }
            Loaded::Entries(entries, listing) => {
                self.loaded.fetch_add(1, Ordering::Relaxed);
                table.entries = entries;
                table.listing = listing;
            }
        }
        table
    }

    fn read(&self, table: &RepoCache) -> Loaded {
        match std::fs::metadata(&table.file) {
            Err(_) => return Loaded::Missing,
            Ok(m) if m.len() > MAX_FILE_SIZE || !m.is_file() => return Loaded::Corrupt,
            Ok(_) => {}
        }
        let Ok(data) = std::fs::read(&table.file) else {
            return Loaded::Corrupt;
        };
        decode(&data, &self.identity, table.source, &table.repo)
    }

    /// Writes back what `table` saw in this run, if that differs from what it loaded:
    /// entries not seen (deleted or renamed files, blobs no longer at `HEAD`) are
    /// dropped. A valid file of a table that saw nothing is left as it is (the scan of
    /// its repository failed early); an untrusted one is replaced in any case.
    pub fn save(&self, table: &RepoCache) {
        // `dirty`: an entry was recorded, or the file there is not to be trusted.
        if !table.dirty && (table.seen == 0 || table.seen == table.entries.len()) {
            return;
        }
        let data = encode(table, &self.identity);
        let seq = self.temp_seq.fetch_add(1, Ordering::Relaxed);
        let name = table
            .file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let temp = self
            .dir
            .join(format!(".{name}.{}.{seq}.tmp", std::process::id()));
        // No fsync: a file cut short by a crash fails its checksum and is rebuilt.
        let written =
            std::fs::write(&temp, &data).and_then(|()| std::fs::rename(&temp, &table.file));
        match written {
            Ok(()) => {
                self.written.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                let _ = std::fs::remove_file(&temp);
                let mut errors = self.errors.lock().unwrap_or_else(|e| e.into_inner());
                errors.1 += 1;
                if errors.0.len() < MAX_ERRORS {
                    errors.0.push(format!("{}: {e}", table.file.display()));
                }
            }
        }
    }
}

/// Removes the temp files of writes that never finished (a killed scan): an hour
/// old, so a concurrent scan's write in progress is never touched.
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let cutoff = SystemTime::now() - Duration::from_secs(3600);
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let stale = e
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < cutoff);
        if name.starts_with('.') && name.ends_with(".tmp") && stale {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

enum Loaded {
    Missing,
    Invalidated,
    Corrupt,
    Entries(HashMap<Vec<u8>, Entry>, Option<Listing>),
}

/// The blobs of one tree, as [`crate::source::git::tree_blobs`] lists them (path, blob
/// id), with the id of the revision they were listed for.
pub type Listing = (Vec<u8>, Vec<(String, Vec<u8>)>);

/// The entries of one repository and source.
#[derive(Debug)]
pub struct RepoCache {
    file: PathBuf,
    repo: String,
    source: Source,
    entries: HashMap<Vec<u8>, Entry>,
    /// [`Source::Tree`]: the listing of the tree last scanned, so that an unchanged
    /// `HEAD` is not walked again.
    listing: Option<Listing>,
    /// Entries with `seen` set.
    seen: usize,
    /// An entry was recorded in this run, or the file is untrusted (to be replaced).
    dirty: bool,
}

impl RepoCache {
    fn see(&mut self, key: &[u8]) -> Option<&mut Entry> {
        let e = self.entries.get_mut(key)?;
        if !e.seen {
            e.seen = true;
            self.seen += 1;
        }
        Some(e)
    }

    fn insert(&mut self, key: Vec<u8>, entry: Entry) {
        match self.entries.insert(key, entry) {
            Some(old) if old.seen => {}
            _ => self.seen += 1,
        }
        self.dirty = true;
    }

    /// Marks every entry seen: they were written in this run already (a table
    /// written back while its repository was still being walked, then loaded again).
    fn see_all(&mut self) {
        self.entries.values_mut().for_each(|e| e.seen = true);
        self.seen = self.entries.len();
    }

    /// The outcome recorded for the working-tree file at `path` when its stamp is
    /// unchanged and was not racy when recorded.
    pub fn file_hit(&mut self, path: &str, stamp: &Stamp) -> Option<CachedOutcome> {
        let e = self.entries.get_mut(path_key(path).as_slice())?;
        if e.racy || e.stamp != *stamp {
            return None;
        }
        if !e.seen {
            e.seen = true;
            self.seen += 1;
        }
        Some(e.stored.clone())
    }

    /// The outcome recorded for the working-tree file at `path` when what the
    /// detectors would see of it is unchanged (its stat changed, or was racy).
    pub fn file_unchanged(&self, path: &str, content: &[u8; 16]) -> Option<CachedOutcome> {
        let e = self.entries.get(path_key(path).as_slice())?;
        (!e.stored.binary && e.content == *content).then(|| e.stored.clone())
    }

    /// Records the outcome of the working-tree file at `path`, read with `stamp`;
    /// `racy_after` comes from [`Cache::racy_after`].
    pub fn record_file(
        &mut self,
        path: &str,
        stamp: Stamp,
        content: [u8; 16],
        stored: CachedOutcome,
        racy_after: i64,
    ) {
        let entry = Entry {
            stamp,
            content,
            racy: stamp.mtime_ns >= racy_after,
            seen: true,
            stored,
        };
        self.insert(path_key(path), entry);
    }

    /// The blobs of the tree of revision `id` (a commit, tag or tree id), when this
    /// table recorded that revision last time.
    pub fn listing(&self, id: &[u8]) -> Option<&[(String, Vec<u8>)]> {
        match &self.listing {
            Some((at, items)) if at.as_slice() == id => Some(items),
            _ => None,
        }
    }

    /// Records the blobs of the tree of revision `id`.
    pub fn set_listing(&mut self, id: &[u8], items: Vec<(String, Vec<u8>)>) {
        // A listing keeps paths: a tree with a key-like name is walked again instead.
        if items
            .iter()
            .any(|(p, _)| crate::model::name_looks_secret(p))
        {
            self.listing = None;
            self.dirty = true;
            return;
        }
        self.listing = Some((id.to_vec(), items));
        self.dirty = true;
    }

    /// The size and outcome recorded for blob `oid` at `path`.
    pub fn blob_hit(&mut self, oid: &[u8], path: &str) -> Option<(u64, CachedOutcome)> {
        let key = blob_key(oid, path);
        self.see(&key).map(|e| (e.stamp.size, e.stored.clone()))
    }

    /// Records the outcome of blob `oid` (of `size` bytes) at `path`.
    pub fn record_blob(&mut self, oid: &[u8], path: &str, size: u64, stored: CachedOutcome) {
        let entry = Entry {
            stamp: Stamp {
                size,
                ..Stamp::default()
            },
            content: [0; 16],
            racy: false,
            seen: true,
            stored,
        };
        self.insert(blob_key(oid, path), entry);
    }
}

impl Cache {
    /// A working-tree file modified at or after this instant (ns since the epoch) is
    /// racy: within [`RACY_WINDOW`] of the start of this run, or in the future.
    pub fn racy_after(&self) -> i64 {
        self.racy_after
    }
}

/// An entry is keyed by a hash of its path, never the path: a name can hold a key
/// (issue #14), and the cache must not keep what the reports redact.
fn path_key(path: &str) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    Sha256::digest(path.as_bytes())[..16].to_vec()
}

fn blob_key(oid: &[u8], path: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(1 + oid.len() + 16);
    k.push(oid.len() as u8);
    k.extend_from_slice(oid);
    k.extend_from_slice(&path_key(path));
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    use crate::model::{FingerprintKey, Kind, Method, Redacted, SkipReason};
    use crate::source::filekind::FileKind;

    /// What the detectors said of a 42-byte file: a key and a parse skip.
    fn stored() -> CachedOutcome {
        let evidence = vec![Evidence {
            path: "app.py".into(),
            cell: None,
            line: 3,
            column: 1,
            rule_id: "secret.openai".into(),
            kind: Kind::Secret,
            identifies: "openai".into(),
            category: None,
            method: Method::Pattern,
            matched: "key".into(),
            snippet: "KEY = \"sk-p…\"".into(),
            secret: Some(Redacted::new(
                b"sk-proj-0123456789abcdef",
                &FingerprintKey::default(),
            )),
            in_test: false,
            history: None,
            baselined: false,
            file: FileKind::of("app.py").class,
        }];
        CachedOutcome {
            binary: false,
            scanned: 42,
            prefilter_hit: true,
            parsed: true,
            suppressed: 2,
            evidence,
            skips: vec![Skip {
                reason: SkipReason::ParseTimeout,
                message: "budget".into(),
            }],
        }
    }

    fn stamp(mtime_ns: i64) -> Stamp {
        Stamp {
            size: 42,
            mtime_ns,
            ctime_ns: mtime_ns,
            ino: 7,
        }
    }

    #[test]
    fn a_table_round_trips_through_its_file() {
        let t = tempfile::tempdir().unwrap();
        let cache = Cache::open(&t.path().join("c"), "id").unwrap();
        let repo = t.path().join("repo");
        let stored = stored();
        let mut table = cache.table(&repo, Source::Files);
        table.record_file("app.py", stamp(1), [9; 16], stored.clone(), i64::MAX);
        table.record_file(
            "bin.dat",
            stamp(2),
            [0; 16],
            CachedOutcome::binary(),
            i64::MAX,
        );
        cache.save(&table);
        let mut again = cache.table(&repo, Source::Files);
        assert_eq!(again.file_hit("app.py", &stamp(1)), Some(stored.clone()));
        assert_eq!(
            again.file_hit("bin.dat", &stamp(2)),
            Some(CachedOutcome::binary())
        );
        assert_eq!(again.file_hit("app.py", &stamp(5)), None, "stat changed");
        assert_eq!(again.file_unchanged("app.py", &[9; 16]), Some(stored));
        assert_eq!(again.file_unchanged("app.py", &[8; 16]), None);
        assert_eq!(again.file_unchanged("bin.dat", &[0; 16]), None);
        let mut blobs = cache.table(&repo, Source::History);
        assert_eq!(
            blobs.blob_hit(&[1; 20], "app.py"),
            None,
            "sources are apart"
        );
        blobs.record_blob(&[1; 20], "app.py", 42, CachedOutcome::binary());
        cache.save(&blobs);
        let mut blobs = cache.table(&repo, Source::History);
        assert_eq!(
            blobs.blob_hit(&[1; 20], "app.py"),
            Some((42, CachedOutcome::binary()))
        );
        assert_eq!(blobs.blob_hit(&[1; 20], "other.py"), None, "path is key");
        let mut s = CacheStats::default();
        cache.count_into(&mut s);
        assert_eq!(
            (s.files_loaded, s.files_written, s.files_corrupt),
            (2, 2, 0)
        );
    }

    #[test]
    fn a_racy_entry_is_trusted_only_through_its_content() {
        let t = tempfile::tempdir().unwrap();
        let cache = Cache::open(t.path(), "id").unwrap();
        let mut table = cache.table(t.path(), Source::Files);
        let recent = cache.racy_after() + 1;
        table.record_file(
            "a.py",
            stamp(recent),
            [3; 16],
            CachedOutcome::default(),
            cache.racy_after(),
        );
        assert_eq!(table.file_hit("a.py", &stamp(recent)), None);
        assert_eq!(
            table.file_unchanged("a.py", &[3; 16]),
            Some(CachedOutcome::default())
        );
    }

    /// A tree's listing is kept with its revision id, and found only under that id.
    #[test]
    fn a_tree_listing_round_trips_under_its_revision_only() {
        let t = tempfile::tempdir().unwrap();
        let cache = Cache::open(t.path(), "id").unwrap();
        let mut table = cache.table(t.path(), Source::Tree);
        let items = vec![
            ("app.py".to_string(), vec![1; 20]),
            ("docs/é.md".to_string(), vec![2; 20]),
        ];
        table.set_listing(&[7; 20], items.clone());
        cache.save(&table);
        let again = cache.table(t.path(), Source::Tree);
        assert_eq!(again.listing(&[7; 20]), Some(&items[..]));
        assert_eq!(again.listing(&[8; 20]), None);
        // Every flipped bit of a file with a listing is refused too.
        let good = encode(&table, &cache.identity);
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0x01;
            let loaded = decode(&bad, &cache.identity, Source::Tree, &table.repo);
            assert!(!matches!(loaded, Loaded::Entries(..)), "byte {i}");
        }
    }

    #[test]
    fn every_damaged_file_is_ignored_without_panic() {
        let t = tempfile::tempdir().unwrap();
        let cache = Cache::open(t.path(), "id").unwrap();
        let mut table = cache.table(t.path(), Source::Files);
        table.record_file("app.py", stamp(1), [9; 16], stored(), i64::MAX);
        let good = encode(&table, &cache.identity);
        let id = cache.identity;
        let repo = table.repo.clone();
        let load = |d: &[u8]| decode(d, &id, Source::Files, &repo);
        assert!(matches!(load(&good), Loaded::Entries(e, _) if e.len() == 1));
        // Every truncation, and every single flipped bit, is refused.
        for n in 0..good.len() {
            assert!(matches!(
                load(&good[..n]),
                Loaded::Corrupt | Loaded::Invalidated
            ));
        }
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0x10;
            assert!(!matches!(load(&bad), Loaded::Entries(..)), "byte {i}");
        }
        assert!(matches!(load(b"garbage"), Loaded::Corrupt));
        let other = Sha256::digest(b"other").into();
        assert!(matches!(
            decode(&good, &other, Source::Files, &repo),
            Loaded::Invalidated
        ));
        assert!(matches!(
            decode(&good, &id, Source::Tree, &repo),
            Loaded::Invalidated
        ));
    }

    #[test]
    fn only_entries_seen_in_this_run_are_written_back() {
        let t = tempfile::tempdir().unwrap();
        let cache = Cache::open(t.path(), "id").unwrap();
        let mut table = cache.table(t.path(), Source::Files);
        table.record_file(
            "kept.py",
            stamp(1),
            [1; 16],
            CachedOutcome::default(),
            i64::MAX,
        );
        table.record_file(
            "gone.py",
            stamp(1),
            [2; 16],
            CachedOutcome::default(),
            i64::MAX,
        );
        cache.save(&table);
        let mut table = cache.table(t.path(), Source::Files);
        assert!(table.file_hit("kept.py", &stamp(1)).is_some());
        cache.save(&table);
        let mut table = cache.table(t.path(), Source::Files);
        assert!(table.file_hit("kept.py", &stamp(1)).is_some());
        assert!(table.file_hit("gone.py", &stamp(1)).is_none());
        let written = || {
            let mut s = CacheStats::default();
            cache.count_into(&mut s);
            s.files_written
        };
        assert_eq!(written(), 2);
        // Unchanged and all seen: nothing to write.
        cache.save(&table);
        assert_eq!(written(), 2);
    }
    /// More repositories in flight than tables kept open: a table written back early
    /// and loaded again keeps what this run recorded before, and nothing is lost.
    #[test]
    fn tables_evicted_while_in_use_lose_nothing() {
        let t = tempfile::tempdir().unwrap();
        let cache = Cache::open(&t.path().join("c"), "id").unwrap();
        for repo in ["a", "b"] {
            fs::create_dir(t.path().join(repo)).unwrap();
        }
        let stored = CachedOutcome::default();
        let tables = WorkTreeCaches::new(&cache, t.path(), 1);
        tables.record_file("a", "1.py", stamp(1), [1; 16], stored.clone());
        tables.record_file("b", "1.py", stamp(1), [1; 16], stored.clone());
        // `a` was written back when `b` came; it comes back with its entry.
        assert!(tables.file_hit("a", "1.py", &stamp(1)).is_some());
        tables.record_file("a", "2.py", stamp(1), [2; 16], stored.clone());
        tables.finish();
        let tables = WorkTreeCaches::new(&cache, t.path(), 8);
        for (repo, path) in [("a", "1.py"), ("a", "2.py"), ("b", "1.py")] {
            assert!(
                tables.file_hit(repo, path, &stamp(1)).is_some(),
                "{repo}/{path}"
            );
        }
    }
}
