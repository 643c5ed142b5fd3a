//! The git drivers: the staged change (`--staged`), the tree of a revision or a bare
//! mirror, and the history of every ref (`--history`). Each lists blobs and hands them
//! to the blob worker; reading a blob that git cannot give is a fault with its path.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};

use super::threads::on_threads;
use super::worker::{BlobWorker, Slot};
use super::Run;
use crate::cache::{Cache, RepoCache, Source};
use crate::inventory::RepoScan;
use crate::model::{Blob, Evidence, Fault, HistoryInfo, Kind, Origin, ScanStats, SkipReason};
use crate::source::filekind::shapes_units;
use crate::source::git::{self, GitError, HistoryOptions};
use crate::source::repo::revision_of;

/// A repository's cache table while threads share it; written back by
/// [`RepoTable::save`].
struct RepoTable<'a> {
    cache: &'a Cache,
    table: Mutex<RepoCache>,
}

impl<'a> RepoTable<'a> {
    fn open(run: Run<'a>, repo_path: &Path, source: Source) -> Option<Self> {
        run.cache.map(|cache| RepoTable {
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

/// A thread's repository, opened only when a blob must be read: a rescan whose blobs
/// are all in the cache opens nothing more (opening reads the config).
struct LazyRepo<'p> {
    path: &'p Path,
    repo: Option<git2::Repository>,
}

impl<'p> LazyRepo<'p> {
    fn new(path: &'p Path, repo: Option<git2::Repository>) -> Self {
        LazyRepo { path, repo }
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

/// Reads one blob through the worker: from the cache when it knows the blob id at this
/// path, else from the object database. Returns its evidence, `None` when skipped or
/// unreadable (a fault).
fn read_one(
    worker: &mut BlobWorker,
    repo: &mut LazyRepo,
    table: Option<&RepoTable>,
    blob: (&str, git2::Oid, Origin),
    max_file_size: u64,
    shown: &dyn Fn() -> String,
) -> Option<Vec<Evidence>> {
    let (path, oid, origin) = blob;
    let slot = match table {
        Some(t) => Slot::Blob {
            table: &t.table,
            oid: oid.as_bytes(),
        },
        None => Slot::None,
    };
    if let Some(c) = worker.cached(path, &slot, shown) {
        return c.evidence();
    }
    let repo_path = repo.path;
    match repo
        .get()
        .and_then(|r| git::read_blob(r, repo_path, oid, max_file_size))
    {
        Ok(Some(bytes)) => {
            let blob = Blob {
                bytes: &bytes,
                path,
                origin,
            };
            worker.process(&blob, &slot, shown).evidence()
        }
        Ok(None) => {
            worker.skipped(SkipReason::TooLarge);
            None
        }
        Err(e) => {
            // Seen, not scanned: the fault says why.
            worker.stats.files_seen += 1;
            worker.fault(shown(), e.to_string());
            None
        }
    }
}

/// The unit manifests and Helm chart directories among `paths`: what shapes units.
fn layout<'p>(paths: impl Iterator<Item = &'p str>) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut manifests, mut charts) = (BTreeSet::new(), BTreeSet::new());
    for p in paths {
        let (manifest, chart) = shapes_units(p);
        if manifest {
            manifests.insert(p.to_string());
        }
        if chart {
            charts.insert(p.rsplit_once('/').map_or("", |(d, _)| d).to_string());
        }
    }
    (manifests, charts)
}

/// Scans what the next commit would contain: the staged version of every changed file,
/// keeping only findings on added or changed lines.
pub(crate) fn staged(
    repo_path: &Path,
    shown: &str,
    run: Run,
) -> Result<(ScanStats, RepoScan), GitError> {
    let repo = git::open(repo_path)?;
    let (files, paths) = git::staged_with_paths(&repo, repo_path)?;
    // Units come from the manifests of the whole index, not only the changed files.
    let (manifests, charts) = layout(paths.iter().map(String::as_str));
    let mut scan = RepoScan {
        identity: crate::source::repo::remote_identity_of(&repo)
            .unwrap_or_else(|| shown.to_string()),
        path: shown.to_string(),
        git: true,
        // What the change is staged on.
        revision: revision_of(&repo, None),
        manifests,
        charts,
        ..RepoScan::default()
    };
    let mut repo = LazyRepo::new(repo_path, Some(repo));
    let table = RepoTable::open(run, repo_path, Source::Staged);
    let mut worker = BlobWorker::new(run.detector, run.progress, run.max_file_size);
    for f in files {
        if run.exclude.excludes(&f.path, &f.path, false) {
            worker.skipped(SkipReason::Excluded);
            continue;
        }
        let shown_path = || format!("{shown}/{}", f.path);
        let blob = (f.path.as_str(), f.oid, Origin::Staged);
        let Some(evidence) = read_one(
            &mut worker,
            &mut repo,
            table.as_ref(),
            blob,
            run.max_file_size,
            &shown_path,
        ) else {
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
    if let Some(t) = table {
        t.save();
    }
    Ok((worker.stats, scan))
}

/// Scans the tree of `rev` (default `HEAD`) of a repository without a checkout, on
/// `run.threads` threads, each with its own handle on the repository.
pub(crate) fn tree(
    repo_path: &Path,
    shown: &str,
    run: Run,
    rev: Option<&str>,
) -> Result<(ScanStats, RepoScan), GitError> {
    let repo = git::open(repo_path)?;
    let table = RepoTable::open(run, repo_path, Source::Tree);
    // With --cache, the listing of an unchanged `HEAD` is not walked again: the revision
    // id names the tree, and resolving `HEAD` reads refs only.
    let id = match git::rev_id(&repo, repo_path, rev) {
        Ok(id) => id,
        Err(e) if rev.is_none() => return Ok(unreadable_head(&repo, shown, e)),
        Err(e) => return Err(e),
    };
    let listed = table.as_ref().and_then(|t| {
        let table = t.table.lock().unwrap_or_else(|e| e.into_inner());
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
            let entries = match git::tree_blobs_at(&repo, repo_path, id, rev.unwrap_or("HEAD")) {
                Ok(entries) => entries,
                Err(e) if rev.is_none() => return Ok(unreadable_head(&repo, shown, e)),
                Err(e) => return Err(e),
            };
            if let Some(t) = &table {
                let items = entries
                    .iter()
                    .map(|(p, o)| (p.clone(), o.as_bytes().to_vec()))
                    .collect();
                let mut table = t.table.lock().unwrap_or_else(|e| e.into_inner());
                table.set_listing(id.as_bytes(), items);
            }
            entries
        }
    };
    let mut stats = ScanStats::default();
    let mut entries = entries;
    if !run.exclude.is_empty() {
        let before = entries.len();
        entries.retain(|(p, _)| !run.exclude.excludes(p, p, false));
        let n = (before - entries.len()) as u64;
        if n > 0 {
            stats.files_seen += n;
            *stats.skipped.entry(SkipReason::Excluded).or_default() += n;
        }
    }
    let (manifests, charts) = layout(entries.iter().map(|(p, _)| p.as_str()));
    let mut scan = RepoScan {
        identity: crate::source::repo::remote_identity_of(&repo)
            .unwrap_or_else(|| shown.to_string()),
        path: shown.to_string(),
        git: true,
        revision: revision_of(&repo, rev),
        manifests,
        charts,
        ..RepoScan::default()
    };
    // The first thread takes this handle; the others open their own when they must.
    let first = Mutex::new(Some(repo));
    let next = AtomicUsize::new(0);
    let parts = on_threads(workers(run.threads, entries.len()), || {
        let taken = first.lock().unwrap_or_else(|e| e.into_inner()).take();
        let mut repo = LazyRepo::new(repo_path, taken);
        let mut worker = BlobWorker::new(run.detector, run.progress, run.max_file_size);
        let mut found = Vec::new();
        // Each thread takes the next blob in turn, so a few large blobs do not leave
        // the other threads idle.
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((path, oid)) = entries.get(i) else {
                break;
            };
            let shown_path = || format!("{shown}/{path}");
            let blob = (path.as_str(), *oid, Origin::Tree);
            if let Some(ev) = read_one(
                &mut worker,
                &mut repo,
                table.as_ref(),
                blob,
                run.max_file_size,
                &shown_path,
            ) {
                found.push((i, ev));
            }
        }
        (worker.stats, found)
    });
    if let Some(t) = table {
        t.save();
    }
    let mut found = Vec::new();
    for (st, f) in parts {
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

/// A repository whose `HEAD` (or its tree) cannot be read, an empty one included: a
/// fault naming it, and a repository with nothing in its tree, so that `--history`
/// still walks its other refs (issue #14: one broken ref never hides the rest).
fn unreadable_head(repo: &git2::Repository, shown: &str, e: GitError) -> (ScanStats, RepoScan) {
    let mut stats = ScanStats::default();
    stats.faults.push(Fault {
        path: shown.to_string(),
        message: e.to_string(),
    });
    let scan = RepoScan {
        identity: crate::source::repo::remote_identity_of(repo)
            .unwrap_or_else(|| shown.to_string()),
        path: shown.to_string(),
        git: true,
        revision: revision_of(repo, None),
        ..RepoScan::default()
    };
    (stats, scan)
}

/// Adds the secrets of every unique blob of the repository's history to `scan`: each
/// with the commit, date and path where it first appeared and whether it is still in
/// `HEAD`. A secret already found in the current tree gets its history attached.
pub(crate) fn history(
    repo_path: &Path,
    shown: &str,
    run: Run,
    opts: &HistoryOptions,
    scan: &mut RepoScan,
    stats: &mut ScanStats,
) -> Result<(), GitError> {
    let repo = git::open(repo_path)?;
    let head: HashSet<git2::Oid> = git::tree_blobs(&repo, repo_path, None)
        .map(|b| b.into_iter().map(|(_, oid)| oid).collect())
        .unwrap_or_default();
    let table = RepoTable::open(run, repo_path, Source::History);
    let n = run.threads.max(1);
    // The walk (commits and tree diffs) stays on this thread and hands each new blob,
    // numbered in walk order (oldest commit first), to the readers; the bounded queue
    // keeps memory flat however long the history. Each reader opens its own handle
    // when it first reads a blob (a failure there is a fault of that blob; the reader
    // goes on taking work, so the walk never blocks).
    let (tx, rx) = mpsc::sync_channel::<(usize, git2::Oid, git::Introduced)>(n * 64);
    let rx = Mutex::new(rx);
    let (walked, parts) = std::thread::scope(|s| {
        let readers: Vec<_> = (0..n)
            .map(|_| {
                let (rx, table) = (&rx, table.as_ref());
                s.spawn(move || {
                    let mut repo = LazyRepo::new(repo_path, None);
                    let mut worker = BlobWorker::new(run.detector, run.progress, run.max_file_size)
                        .secrets_only();
                    // (walk order, blob, where it came in, a secret it holds)
                    let mut found = Vec::new();
                    loop {
                        let next = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        let Ok((seq, oid, intro)) = next else { break };
                        let shown_path =
                            || format!("{shown}/{} @ {}", intro.path, &intro.commit[..12]);
                        let origin = Origin::History {
                            commit: &intro.commit,
                        };
                        let blob = (intro.path.as_str(), oid, origin);
                        let Some(evidence) = read_one(
                            &mut worker,
                            &mut repo,
                            table,
                            blob,
                            run.max_file_size,
                            &shown_path,
                        ) else {
                            continue;
                        };
                        for e in evidence.into_iter().filter(|e| e.kind == Kind::Secret) {
                            found.push((seq, oid, intro.clone(), e));
                        }
                    }
                    (worker.stats, found)
                })
            })
            .collect();
        let mut seq = 0;
        let walked = git::history(&repo, repo_path, opts, |oid, intro| {
            if run.exclude.excludes(&intro.path, &intro.path, false) {
                return;
            }
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
    if let Some(t) = table {
        t.save();
    }
    // What the walk could not read is named; everything around it was still walked.
    for e in walked?.faults {
        stats.faults.push(Fault {
            path: shown.to_string(),
            message: e.to_string(),
        });
    }
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
