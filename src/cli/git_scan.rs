//! The git sources of `aiscout scan`: the staged change (`--staged`), the tree of a
//! revision or a bare repository, and the history of every ref (`--history`).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};

use super::progress::Progress;
use crate::cache::{Cache, Source, Stored, Table};
use crate::detect::{BlobOutcome, Detector, Scratch};
use crate::inventory::RepoScan;
use crate::model::SkipReason;
use crate::model::{Evidence, HistoryInfo, Kind};
use crate::model::{Fault, ScanStats, SkipDetail};
use crate::source::decode_utf16;
use crate::source::filekind::FileKind;
use crate::source::git::{self, GitError, HistoryOptions};
use crate::source::limits::BINARY_SNIFF_LEN;

/// Is `path` a bare repository (no work tree: `HEAD`, `objects/` and `refs/` in it)?
pub fn is_bare(path: &Path) -> bool {
    path.join("HEAD").is_file()
        && path.join("objects").is_dir()
        && path.join("refs").is_dir()
        && !path.join(".git").exists()
}

/// How every git source reads and classifies blobs.
#[derive(Clone, Copy, Debug)]
pub struct Blobs<'a> {
    /// The detectors.
    pub detector: &'a Detector,
    /// Blobs larger than this are skipped unread (`--max-file-size`).
    pub max_file_size: u64,
    /// `--cache`: blobs already classified at the same path are not read again.
    pub cache: Option<&'a Cache>,
    /// Threads reading and classifying the blobs of one repository (at least 1).
    pub threads: usize,
    /// The progress line, counting every blob classified.
    pub progress: &'a Progress,
}

/// A repository's cache table while threads share it; written back by [`Shared::save`].
struct Shared<'a> {
    cache: &'a Cache,
    table: Mutex<Table>,
}

impl<'a> Shared<'a> {
    fn new(blobs: Blobs<'a>, repo_path: &Path, source: Source) -> Option<Self> {
        blobs.cache.map(|cache| Shared {
            cache,
            table: Mutex::new(cache.table(repo_path, source)),
        })
    }

    fn save(self) {
        // A poisoned lock means a worker panicked; what it recorded is still sound.
        let table = self.table.into_inner().unwrap_or_else(|e| e.into_inner());
        self.cache.save(&table);
    }
}

/// A thread's handle on a repository, opened only when a blob must be read: a rescan
/// whose blobs are all in the cache opens nothing more (opening reads the config).
struct Handle<'p> {
    path: &'p Path,
    repo: Option<git2::Repository>,
}

impl<'p> Handle<'p> {
    fn new(path: &'p Path, repo: Option<git2::Repository>) -> Self {
        Handle { path, repo }
    }

    fn get(&mut self) -> Result<&git2::Repository, GitError> {
        if self.repo.is_none() {
            self.repo = Some(git::open(self.path)?);
        }
        Ok(self.repo.as_ref().expect("just opened"))
    }
}

/// Below this many blobs per thread, one more thread costs more than it saves.
const MIN_BLOBS_PER_THREAD: usize = 64;

/// How many threads to give `blobs` blobs.
fn workers(threads: usize, blobs: usize) -> usize {
    threads.clamp(1, blobs.div_ceil(MIN_BLOBS_PER_THREAD).max(1))
}

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

/// Shared by every git source: one blob through the detector, skips counted. With
/// `--cache`, a blob id already classified at the same path is not even read.
struct BlobScanner<'a> {
    detector: &'a Detector,
    max_file_size: u64,
    scratch: Scratch,
    outcome: BlobOutcome,
    table: Option<&'a Mutex<Table>>,
    progress: &'a Progress,
}

impl<'a> BlobScanner<'a> {
    /// A scanner for blobs of one repository, recording in its cache table if any.
    fn new(blobs: Blobs<'a>, shared: Option<&'a Shared<'a>>) -> Self {
        BlobScanner {
            detector: blobs.detector,
            max_file_size: blobs.max_file_size,
            scratch: Scratch::default(),
            outcome: BlobOutcome::default(),
            table: shared.map(|s| &s.table),
            progress: blobs.progress,
        }
    }

    fn table(&self) -> Option<std::sync::MutexGuard<'a, Table>> {
        self.table
            .map(|t| t.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Scans the blob `oid` at `path`; returns its evidence, or `None` when skipped.
    fn scan(
        &mut self,
        repo: &mut Handle,
        path: &str,
        oid: git2::Oid,
        stats: &mut ScanStats,
        shown: &str,
    ) -> Option<Vec<Evidence>> {
        stats.files_seen += 1;
        let hit = self
            .table()
            .and_then(|mut t| t.blob_hit(oid.as_bytes(), path));
        if let Some((size, stored)) = hit {
            // The size check an uncached scan makes on the object header.
            if size > self.max_file_size {
                *stats.skipped.entry(SkipReason::TooLarge).or_default() += 1;
                return None;
            }
            stats.cache.hits += 1;
            stats.cache.hit_bytes += size;
            if stored.binary {
                *stats.skipped.entry(SkipReason::Binary).or_default() += 1;
                return None;
            }
            stats.files_scanned += 1;
            stats.bytes_scanned += stored.scanned;
            stored.replay(&mut self.outcome);
            return Some(self.absorb(stats, shown, stored.scanned));
        }
        let repo_path = repo.path;
        let read = repo
            .get()
            .and_then(|r| git::read_blob(r, repo_path, oid, self.max_file_size));
        let bytes = match read {
            Ok(Some(b)) => b,
            Ok(None) => {
                *stats.skipped.entry(SkipReason::TooLarge).or_default() += 1;
                return None;
            }
            Err(e) => {
                stats.faults.push(Fault {
                    path: shown.to_string(),
                    message: e.to_string(),
                });
                return None;
            }
        };
        let size = bytes.len() as u64;
        let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
        let bytes = if sniff.contains(&0) {
            match decode_utf16(&bytes) {
                Some(t) => t,
                None => {
                    *stats.skipped.entry(SkipReason::Binary).or_default() += 1;
                    self.record(oid, path, size, Stored::binary(), stats);
                    return None;
                }
            }
        } else {
            bytes
        };
        stats.files_scanned += 1;
        stats.bytes_scanned += bytes.len() as u64;
        self.detector.scan(
            &FileKind::of(path),
            path,
            &bytes,
            &mut self.scratch,
            &mut self.outcome,
        );
        if self.table.is_some() {
            let stored = Stored::of(bytes.len(), &self.outcome);
            self.record(oid, path, size, stored, stats);
        }
        Some(self.absorb(stats, shown, bytes.len() as u64))
    }

    fn record(
        &mut self,
        oid: git2::Oid,
        path: &str,
        size: u64,
        stored: Stored,
        stats: &mut ScanStats,
    ) {
        if let Some(mut t) = self.table() {
            stats.cache.misses += 1;
            t.record_blob(oid.as_bytes(), path, size, stored);
        }
    }

    /// Counts the detectors' outcome (fresh or replayed) and hands over its evidence.
    fn absorb(&mut self, stats: &mut ScanStats, shown: &str, scanned: u64) -> Vec<Evidence> {
        self.progress.file(scanned, self.outcome.evidence.len());
        stats.prefilter_hits += u64::from(self.outcome.prefilter_hit);
        stats.files_parsed += u64::from(self.outcome.parsed);
        stats.suppressed += self.outcome.suppressed;
        for skip in self.outcome.skips.drain(..) {
            *stats.skipped.entry(skip.reason).or_default() += 1;
            stats.skip_details.push(SkipDetail {
                path: shown.to_string(),
                reason: skip.reason,
                message: skip.message,
            });
        }
        std::mem::take(&mut self.outcome.evidence)
    }
}

fn manifest_dirs<'p>(paths: impl Iterator<Item = &'p str>) -> BTreeSet<String> {
    paths
        .filter_map(|p| {
            let dir = p.rsplit_once('/').map_or("", |(d, _)| d);
            FileKind::of(p).unit_manifest.then(|| dir.to_string())
        })
        .collect()
}

/// Scans what the next commit would contain: the staged version of every changed file,
/// keeping only findings on added or changed lines.
pub fn staged(
    repo_path: &Path,
    shown: &str,
    blobs: Blobs,
) -> Result<(ScanStats, RepoScan), GitError> {
    let repo = git::open(repo_path)?;
    let (files, paths) = git::staged_with_paths(&repo, repo_path)?;
    let mut stats = ScanStats::default();
    let mut scan = RepoScan {
        identity: crate::source::repo::remote_identity_of(&repo)
            .unwrap_or_else(|| shown.to_string()),
        path: shown.to_string(),
        git: true,
        // Units come from the manifests of the whole index, not only the changed files.
        manifest_dirs: manifest_dirs(paths.iter().map(String::as_str)),
        ..RepoScan::default()
    };
    let mut handle = Handle::new(repo_path, Some(repo));
    let shared = Shared::new(blobs, repo_path, Source::Staged);
    let mut scanner = BlobScanner::new(blobs, shared.as_ref());
    for f in files {
        let shown_path = format!("{shown}/{}", f.path);
        let Some(evidence) = scanner.scan(&mut handle, &f.path, f.oid, &mut stats, &shown_path)
        else {
            continue;
        };
        let added: HashSet<u32> = f.added_lines.iter().copied().collect();
        // Notebook cells number their own lines: keep them when the file changed.
        scan.evidence.extend(
            evidence
                .into_iter()
                .filter(|e| e.cell.is_some() || added.contains(&e.line)),
        );
    }
    drop(scanner);
    if let Some(s) = shared {
        s.save();
    }
    Ok((stats, scan))
}

/// Scans the tree of `rev` (default `HEAD`) of a repository without a checkout, on
/// `blobs.threads` threads, each with its own handle on the repository.
pub fn tree(
    repo_path: &Path,
    shown: &str,
    blobs: Blobs,
    rev: Option<&str>,
) -> Result<(ScanStats, RepoScan), GitError> {
    let repo = git::open(repo_path)?;
    let shared = Shared::new(blobs, repo_path, Source::Tree);
    // With --cache, the listing of an unchanged `HEAD` is not walked again: the revision
    // id names the tree, and resolving `HEAD` reads refs only.
    let id = git::rev_id(&repo, repo_path, rev)?;
    let listed = shared.as_ref().and_then(|s| {
        let table = s.table.lock().unwrap_or_else(|e| e.into_inner());
        table.listing(id.as_bytes()).map(|items| {
            items
                .iter()
                .filter_map(|(p, o)| Some((p.clone(), git2::Oid::from_bytes(o).ok()?)))
                .collect::<Vec<_>>()
        })
    });
    let entries = match listed {
        Some(entries) => entries,
        None => {
            let entries = git::tree_blobs_at(&repo, repo_path, id, rev.unwrap_or("HEAD"))?;
            if let Some(s) = &shared {
                let items = entries
                    .iter()
                    .map(|(p, o)| (p.clone(), o.as_bytes().to_vec()))
                    .collect();
                let mut table = s.table.lock().unwrap_or_else(|e| e.into_inner());
                table.set_listing(id.as_bytes(), items);
            }
            entries
        }
    };
    let mut stats = ScanStats::default();
    let mut scan = RepoScan {
        identity: crate::source::repo::remote_identity_of(&repo)
            .unwrap_or_else(|| shown.to_string()),
        path: shown.to_string(),
        git: true,
        manifest_dirs: manifest_dirs(entries.iter().map(|(p, _)| p.as_str())),
        ..RepoScan::default()
    };
    // The first thread takes this handle; the others open their own when they must.
    let first = Mutex::new(Some(repo));
    let next = AtomicUsize::new(0);
    let parts = on_threads(workers(blobs.threads, entries.len()), || {
        let taken = first.lock().unwrap_or_else(|e| e.into_inner()).take();
        let mut repo = Handle::new(repo_path, taken);
        let mut scanner = BlobScanner::new(blobs, shared.as_ref());
        let mut stats = ScanStats::default();
        let mut found = Vec::new();
        // Each thread takes the next blob in turn, so a few large blobs do not leave
        // the other threads idle.
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((path, oid)) = entries.get(i) else {
                break;
            };
            let shown_path = format!("{shown}/{path}");
            if let Some(ev) = scanner.scan(&mut repo, path, *oid, &mut stats, &shown_path) {
                found.push((i, ev));
            }
        }
        Ok::<_, GitError>((stats, found))
    });
    if let Some(s) = shared {
        s.save();
    }
    let mut found = Vec::new();
    for part in parts {
        let (st, f) = part?;
        stats.merge(st);
        found.extend(f);
    }
    // Tree order, whichever thread read which blob: later steps (`--history` attaching
    // to the first matching secret) must not depend on thread timing.
    found.sort_unstable_by_key(|(i, _)| *i);
    scan.evidence
        .extend(found.into_iter().flat_map(|(_, ev)| ev));
    Ok((stats, scan))
}

/// Adds the secrets of every unique blob of the repository's history to `scan`: each
/// with the commit, date and path where it first appeared and whether it is still in
/// `HEAD`. A secret already found in the current tree gets its history attached.
pub fn history(
    repo_path: &Path,
    shown: &str,
    blobs: Blobs,
    opts: &HistoryOptions,
    scan: &mut RepoScan,
    stats: &mut ScanStats,
) -> Result<(), GitError> {
    let repo = git::open(repo_path)?;
    let head: HashSet<git2::Oid> = git::tree_blobs(&repo, repo_path, None)
        .map(|b| b.into_iter().map(|(_, oid)| oid).collect())
        .unwrap_or_default();
    let shared = Shared::new(blobs, repo_path, Source::History);
    let n = blobs.threads.max(1);
    // One handle per reader, opened when it first reads a blob (a failure there is a
    // fault of that blob; the reader goes on taking work, so the walk never blocks).
    let handles: Vec<Handle> = (0..n).map(|_| Handle::new(repo_path, None)).collect();
    // The walk (commits and tree diffs) stays on this thread and hands each new blob,
    // numbered in walk order (oldest commit first), to the readers; the bounded queue
    // keeps memory flat however long the history.
    let (tx, rx) = mpsc::sync_channel::<(usize, git2::Oid, git::Introduced)>(n * 64);
    let rx = Mutex::new(rx);
    let (walked, parts) = std::thread::scope(|s| {
        let readers: Vec<_> = handles
            .into_iter()
            .map(|mut repo| {
                let (rx, shared) = (&rx, shared.as_ref());
                s.spawn(move || {
                    let mut scanner = BlobScanner::new(blobs, shared);
                    let mut stats = ScanStats::default();
                    // (walk order, blob, where it came in, a secret it holds)
                    let mut found = Vec::new();
                    loop {
                        let next = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        let Ok((seq, oid, intro)) = next else { break };
                        let shown_path =
                            format!("{shown}/{} @ {}", intro.path, &intro.commit[..12]);
                        let Some(evidence) =
                            scanner.scan(&mut repo, &intro.path, oid, &mut stats, &shown_path)
                        else {
                            continue;
                        };
                        for e in evidence.into_iter().filter(|e| e.kind == Kind::Secret) {
                            found.push((seq, oid, intro.clone(), e));
                        }
                    }
                    (stats, found)
                })
            })
            .collect();
        let mut seq = 0;
        let walked = git::history(&repo, repo_path, opts, |oid, intro| {
            // Fails only when every reader is gone, i.e. has panicked (re-raised below).
            let _ = tx.send((seq, oid, intro.clone()));
            seq += 1;
        });
        drop(tx);
        let parts: Vec<_> = readers
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect();
        (walked, parts)
    });
    // What was classified before a failure is still worth keeping.
    if let Some(s) = shared {
        s.save();
    }
    walked?;
    let mut hist_stats = ScanStats::default();
    let mut found = Vec::new();
    for (st, f) in parts {
        hist_stats.merge(st);
        found.extend(f);
    }
    found.sort_by_key(|(seq, ..)| *seq);
    // (rule, fingerprint) → first finding, oldest commit first.
    let mut first: BTreeMap<(String, String), Evidence> = BTreeMap::new();
    let mut at_head: HashSet<(String, String)> = HashSet::new();
    for (_, oid, intro, mut e) in found {
        let Some(fp) = e.secret.as_ref().map(|s| s.fingerprint.clone()) else {
            continue;
        };
        let key = (e.rule_id.clone(), fp);
        if head.contains(&oid) {
            at_head.insert(key.clone());
        }
        first.entry(key).or_insert_with(|| {
            e.history = Some(HistoryInfo {
                commit: intro.commit,
                date: intro.date,
                path: intro.path,
                at_head: false,
            });
            e
        });
    }
    // History blobs are counted apart from the current tree's files; what the cache
    // saved is counted with the rest.
    stats.cache.merge(hist_stats.cache);
    stats.faults.extend(hist_stats.faults);
    for (k, v) in hist_stats.skipped {
        *stats.skipped.entry(k).or_default() += v;
    }
    for (key, mut e) in first {
        let present = at_head.contains(&key);
        if let Some(h) = e.history.as_mut() {
            h.at_head = present;
        }
        // The same secret in the current tree: attach where it came from (to its first
        // place by path and line when it is in several, whatever order they were found).
        let current = scan
            .evidence
            .iter_mut()
            .filter(|c| {
                c.rule_id == key.0 && c.secret.as_ref().is_some_and(|s| s.fingerprint == key.1)
            })
            .min_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        match current {
            Some(c) => c.history = e.history,
            None => scan.evidence.push(e),
        }
    }
    Ok(())
}
