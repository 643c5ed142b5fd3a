//! The git sources of `aiscout scan`: the staged change (`--staged`), the tree of a
//! revision or a bare repository, and the history of every ref (`--history`).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use crate::detect::{BlobOutcome, Detector, Scratch};
use crate::inventory::RepoScan;
use crate::model::{Evidence, HistoryInfo, Kind};
use crate::scan::{Fault, ScanStats, SkipDetail};
use crate::source::git::{self, GitError, HistoryOptions};
use crate::source::limits::BINARY_SNIFF_LEN;
use crate::source::{decode_utf16, is_unit_manifest, SkipReason};

/// Is `path` a bare repository (no work tree: `HEAD`, `objects/` and `refs/` in it)?
pub fn is_bare(path: &Path) -> bool {
    path.join("HEAD").is_file()
        && path.join("objects").is_dir()
        && path.join("refs").is_dir()
        && !path.join(".git").exists()
}

/// Shared by every git source: one blob through the detector, skips counted.
struct BlobScanner<'a> {
    detector: &'a Detector,
    max_file_size: u64,
    scratch: Scratch,
    outcome: BlobOutcome,
}

impl<'a> BlobScanner<'a> {
    fn new(detector: &'a Detector, max_file_size: u64) -> Self {
        BlobScanner {
            detector,
            max_file_size,
            scratch: Scratch::default(),
            outcome: BlobOutcome::default(),
        }
    }

    /// Scans the blob `oid` at `path`; returns its evidence, or `None` when skipped.
    fn scan(
        &mut self,
        repo: &git2::Repository,
        repo_path: &Path,
        path: &str,
        oid: git2::Oid,
        stats: &mut ScanStats,
        shown: &str,
    ) -> Option<Vec<Evidence>> {
        stats.files_seen += 1;
        let bytes = match git::read_blob(repo, repo_path, oid, self.max_file_size) {
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
        let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
        let bytes = if sniff.contains(&0) {
            match decode_utf16(&bytes) {
                Some(t) => t,
                None => {
                    *stats.skipped.entry(SkipReason::Binary).or_default() += 1;
                    return None;
                }
            }
        } else {
            bytes
        };
        stats.files_scanned += 1;
        stats.bytes_scanned += bytes.len() as u64;
        self.detector
            .scan(path, &bytes, &mut self.scratch, &mut self.outcome);
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
        Some(std::mem::take(&mut self.outcome.evidence))
    }
}

fn manifest_dirs<'p>(paths: impl Iterator<Item = &'p str>) -> BTreeSet<String> {
    paths
        .filter_map(|p| {
            let (dir, name) = p.rsplit_once('/').unwrap_or(("", p));
            is_unit_manifest(name).then(|| dir.to_string())
        })
        .collect()
}

/// Scans what the next commit would contain: the staged version of every changed file,
/// keeping only findings on added or changed lines.
pub fn staged(
    repo_path: &Path,
    shown: &str,
    detector: &Detector,
    max_file_size: u64,
) -> Result<(ScanStats, RepoScan), GitError> {
    let repo = git::open(repo_path)?;
    let (files, paths) = git::staged_with_paths(&repo, repo_path)?;
    let mut stats = ScanStats::default();
    let mut scan = RepoScan {
        identity: crate::source::repo::remote_identity(repo_path)
            .unwrap_or_else(|| shown.to_string()),
        path: shown.to_string(),
        git: true,
        // Units come from the manifests of the whole index, not only the changed files.
        manifest_dirs: manifest_dirs(paths.iter().map(String::as_str)),
        ..RepoScan::default()
    };
    let mut scanner = BlobScanner::new(detector, max_file_size);
    for f in files {
        let shown_path = format!("{shown}/{}", f.path);
        let Some(evidence) =
            scanner.scan(&repo, repo_path, &f.path, f.oid, &mut stats, &shown_path)
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
    Ok((stats, scan))
}

/// Scans the tree of `rev` (default `HEAD`) of a repository without a checkout.
pub fn tree(
    repo_path: &Path,
    shown: &str,
    detector: &Detector,
    max_file_size: u64,
    rev: Option<&str>,
) -> Result<(ScanStats, RepoScan), GitError> {
    let repo = git::open(repo_path)?;
    let blobs = git::tree_blobs(&repo, repo_path, rev)?;
    let mut stats = ScanStats::default();
    let mut scan = RepoScan {
        identity: crate::source::repo::remote_identity(repo_path)
            .unwrap_or_else(|| shown.to_string()),
        path: shown.to_string(),
        git: true,
        manifest_dirs: manifest_dirs(blobs.iter().map(|(p, _)| p.as_str())),
        ..RepoScan::default()
    };
    let mut scanner = BlobScanner::new(detector, max_file_size);
    for (path, oid) in &blobs {
        let shown_path = format!("{shown}/{path}");
        if let Some(ev) = scanner.scan(&repo, repo_path, path, *oid, &mut stats, &shown_path) {
            scan.evidence.extend(ev);
        }
    }
    Ok((stats, scan))
}

/// Adds the secrets of every unique blob of the repository's history to `scan`: each
/// with the commit, date and path where it first appeared and whether it is still in
/// `HEAD`. A secret already found in the current tree gets its history attached.
pub fn history(
    repo_path: &Path,
    shown: &str,
    detector: &Detector,
    max_file_size: u64,
    opts: &HistoryOptions,
    scan: &mut RepoScan,
    stats: &mut ScanStats,
) -> Result<(), GitError> {
    let repo = git::open(repo_path)?;
    let head: HashSet<git2::Oid> = git::tree_blobs(&repo, repo_path, None)
        .map(|b| b.into_iter().map(|(_, oid)| oid).collect())
        .unwrap_or_default();
    let mut scanner = BlobScanner::new(detector, max_file_size);
    // (rule, fingerprint) → first finding, oldest commit first.
    let mut first: BTreeMap<(String, String), Evidence> = BTreeMap::new();
    let mut at_head: HashSet<(String, String)> = HashSet::new();
    let mut hist_stats = ScanStats::default();
    git::history(&repo, repo_path, opts, |oid, intro| {
        let shown_path = format!("{shown}/{} @ {}", intro.path, &intro.commit[..12]);
        let Some(evidence) = scanner.scan(
            &repo,
            repo_path,
            &intro.path,
            oid,
            &mut hist_stats,
            &shown_path,
        ) else {
            return;
        };
        for mut e in evidence.into_iter().filter(|e| e.kind == Kind::Secret) {
            let Some(fp) = e.secret.as_ref().map(|s| s.fingerprint.clone()) else {
                continue;
            };
            let key = (e.rule_id.clone(), fp);
            if head.contains(&oid) {
                at_head.insert(key.clone());
            }
            first.entry(key).or_insert_with(|| {
                e.history = Some(HistoryInfo {
                    commit: intro.commit.clone(),
                    date: intro.date.clone(),
                    path: intro.path.clone(),
                    at_head: false,
                });
                e
            });
        }
    })?;
    // History blobs are counted apart from the current tree's files.
    stats.faults.extend(hist_stats.faults);
    for (k, v) in hist_stats.skipped {
        *stats.skipped.entry(k).or_default() += v;
    }
    for (key, mut e) in first {
        let present = at_head.contains(&key);
        if let Some(h) = e.history.as_mut() {
            h.at_head = present;
        }
        // The same secret in the current tree: attach where it came from.
        let current = scan.evidence.iter_mut().find(|c| {
            c.rule_id == key.0 && c.secret.as_ref().is_some_and(|s| s.fingerprint == key.1)
        });
        match current {
            Some(c) => c.history = e.history,
            None => scan.evidence.push(e),
        }
    }
    Ok(())
}
