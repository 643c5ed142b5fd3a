//! The tree driver: working trees and plain folders, walked in parallel. Each walked
//! file goes to the blob worker; each directory with a `.git` is a repository of its
//! own, and a bare mirror met on the way is read through git by the thread that met it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;

use super::threads::side_by_side;
use super::worker::{BlobWorker, Classified, Slot};
use super::{git, Run, ScanConfig};
use crate::cache::{Stamp, WorkTreeCaches};
use crate::inventory::RepoScan;
use crate::model::{Blob, Evidence, Fault, Origin, ScanStats, SkipReason};
use crate::source::filekind::shapes_units;
use crate::source::git::GitError;
use crate::source::repo::{
    describe, enclosing, remote_identity, Enclosing, RepoRoots, Revision, Shard,
};
use crate::source::walk::{walk, DirKind, Visitor, WalkOptions};

/// What one root's walk found: its stats and its repositories.
pub(super) type RootScan = (ScanStats, Vec<RepoScan>);

/// Walks the roots among `paths` concurrently when there are several (a `--repos-from`
/// list of clones): each on one thread, as many at once as there are threads. One
/// parallel walk per root in turn would leave threads idle at the end of every root
/// (measured: 200 clones took 2.3 s one after the other, 1.6 s so). Returns each
/// walked root's result at its index; `None` for the others and for a single root,
/// which the caller walks with every thread.
pub(super) fn walk_many(
    paths: &[std::path::PathBuf],
    config: &ScanConfig,
    run: Run,
    opts: &WalkOptions,
) -> Vec<Option<RootScan>> {
    let mut out: Vec<Option<RootScan>> = paths.iter().map(|_| None).collect();
    let roots: Vec<usize> = (0..paths.len())
        .filter(|&i| super::is_walked(&paths[i], config))
        .collect();
    if roots.len() < 2 || opts.threads < 2 {
        return out;
    }
    let done = side_by_side(roots.len(), opts.threads, |k, threads| {
        let path = &paths[roots[k]];
        let one = WalkOptions {
            threads,
            ..opts.clone()
        };
        let run = Run { threads, ..run };
        scan_root(path, &display_root(path), run, &one, config)
    });
    for (k, r) in done.into_iter().enumerate() {
        out[roots[k]] = Some(r);
    }
    out
}

/// A bare mirror read during a walk: root-relative path, shown path, what it gave.
type Mirror = (String, String, Result<(ScanStats, RepoScan), String>);

/// What all threads of one root's walk found.
#[derive(Default)]
struct RootFindings {
    stats: ScanStats,
    /// (repo root, evidence with repo-relative path).
    evidence: Vec<(String, Evidence)>,
    /// (repo root, repo-relative unit manifest).
    manifests: Vec<(String, String)>,
    /// (repo root, repo-relative Helm chart directory).
    charts: Vec<(String, String)>,
    /// Repo roots that are git repositories.
    git: Vec<String>,
    /// Bare repositories found (root-relative), each read through git by the walk
    /// thread that met it: (root-relative path, shown path, what reading it gave).
    bare: Vec<Mirror>,
    /// Files attributed to each repo root.
    files: BTreeMap<String, u64>,
}

impl RootFindings {
    fn absorb(&mut self, other: RootFindings) {
        self.stats.merge(other.stats);
        self.evidence.extend(other.evidence);
        self.manifests.extend(other.manifests);
        self.charts.extend(other.charts);
        self.git.extend(other.git);
        self.bare.extend(other.bare);
        for (k, v) in other.files {
            *self.files.entry(k).or_default() += v;
        }
    }
}

/// `--shard`: which repositories of one scan root are in this run.
struct ShardFilter {
    shard: Shard,
    root: std::path::PathBuf,
    given: String,
    /// The root's identity when it lies inside a work tree (a subfolder scan).
    enclosing: Option<String>,
    /// Repository root (root-relative) → selected.
    members: Mutex<BTreeMap<String, bool>>,
}

impl ShardFilter {
    fn new(shard: Shard, root: &Path, given: &str, enclosing: Option<&Enclosing>) -> Self {
        let f = ShardFilter {
            shard,
            root: root.to_path_buf(),
            given: given.to_string(),
            enclosing: enclosing.map(|e| e.remote.clone().unwrap_or_else(|| given.to_string())),
            members: Mutex::new(BTreeMap::new()),
        };
        f.decide("");
        f
    }

    /// Decides (once) whether the repository at `rel` is in this shard.
    fn decide(&self, rel: &str) -> bool {
        let mut m = self.members.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&v) = m.get(rel) {
            return v;
        }
        let identity = match (&self.enclosing, rel) {
            (Some(id), "") => id.clone(),
            _ => repo_identity(&self.root, &self.given, rel, true),
        };
        let v = self.shard.selects(&identity);
        m.insert(rel.to_string(), v);
        v
    }
}

/// The identity of the repository at `rel` below `root`: its remote when it is a git
/// repository with one, else the path (as given for the root, relative for others).
pub(super) fn repo_identity(root: &Path, given: &str, rel: &str, is_git: bool) -> String {
    is_git
        .then(|| remote_identity(&root.join(rel)))
        .flatten()
        .unwrap_or_else(|| {
            if rel.is_empty() {
                given.to_string()
            } else {
                rel.to_string()
            }
        })
}

/// One walk thread: hands files to its blob worker and sorts what they gave by
/// repository.
struct TreeVisitor<'a> {
    shard: Option<&'a ShardFilter>,
    roots: &'a RepoRoots,
    given: &'a str,
    found: &'a Mutex<RootFindings>,
    local: RootFindings,
    worker: BlobWorker<'a>,
    /// `--cache`: the tables of this root's repositories.
    cache: Option<&'a WorkTreeCaches<'a>>,
    /// The cache directory, root-relative, when it lies inside this root: never walked.
    cache_dir: Option<&'a str>,
    /// The stat of the file `cached` just missed, to record its outcome once read.
    pending: Option<Stamp>,
    /// How a bare mirror met by the walk is read (on the thread that met it).
    run: Run<'a>,
    /// A subfolder scan: the folder's path in its enclosing work tree, so excludes
    /// match paths from the repository's root as the report shows them.
    within: Option<&'a str>,
}

impl TreeVisitor<'_> {
    /// Whether the operator left the entry at `rel` (root-relative) out.
    fn excluded(&self, rel: &str, is_dir: bool) -> bool {
        if self.run.exclude.is_empty() {
            return false;
        }
        match (self.roots.resolve(rel), self.within) {
            (("", in_repo), Some(prefix)) => {
                let in_repo = format!("{prefix}/{in_repo}");
                self.run.exclude.excludes(&in_repo, rel, is_dir)
            }
            ((_, in_repo), _) => self.run.exclude.excludes(in_repo, rel, is_dir),
        }
    }

    /// Takes what the worker made of the file at `rel`.
    fn take(&mut self, rel: &str, classified: Classified) {
        let Classified::Text(evidence) = classified else {
            return;
        };
        let (repo, path) = self.roots.resolve(rel);
        // No key allocated per file: the repository is almost always counted already.
        match self.local.files.get_mut(repo) {
            Some(n) => *n += 1,
            None => {
                self.local.files.insert(repo.to_string(), 1);
            }
        }
        let (layout, chart) = shapes_units(path);
        if layout {
            self.local
                .manifests
                .push((repo.to_string(), path.to_string()));
        }
        if chart {
            let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
            self.local.charts.push((repo.to_string(), dir.to_string()));
        }
        for ev in evidence {
            self.local.evidence.push((repo.to_string(), ev));
        }
    }
}

impl Visitor for TreeVisitor<'_> {
    fn dir(&mut self, path: &Path, rel: &str, kind: DirKind) -> bool {
        if self.cache_dir == Some(rel) {
            return false;
        }
        if !rel.is_empty() && self.excluded(rel, true) {
            self.worker.excluded_dir();
            return false;
        }
        match kind {
            DirKind::Repo => {
                if !rel.is_empty() {
                    self.roots.add(rel);
                }
                if self.shard.is_none_or(|f| f.decide(rel)) {
                    self.run.progress.repos_found(1);
                }
                self.local.git.push(rel.to_string());
            }
            DirKind::Bare if !rel.is_empty() => {
                // A bare mirror inside an organisation folder: read at HEAD through git,
                // on this walk thread, while the other threads go on walking (a mirror
                // phase after the walk would be serial work at its end).
                if self.shard.is_none_or(|f| f.decide(rel)) {
                    let shown = join(self.given, rel);
                    let read = match git::tree(path, &shown, self.run, None) {
                        // Only shaped like one: git cannot open it, so it is files.
                        Err(GitError::Open { .. }) => return true,
                        read => read.map_err(|e| e.to_string()),
                    };
                    self.run.progress.repos_found(1);
                    self.run.progress.repos_done(1);
                    self.local.bare.push((rel.to_string(), shown, read));
                }
                return false;
            }
            DirKind::Bare | DirKind::Plain => {}
        }
        true
    }

    fn ignore_skipped(&mut self, rel: &str, message: String) {
        let path = join(self.given, rel);
        self.worker.ignore_skipped(path, message);
    }

    fn wants(&mut self, rel: &str) -> bool {
        if self
            .shard
            .is_some_and(|f| !f.decide(self.roots.resolve(rel).0))
        {
            return false;
        }
        if self.excluded(rel, false) {
            self.worker.skipped(SkipReason::Excluded);
            return false;
        }
        true
    }

    fn uses_stat(&self) -> bool {
        self.cache.is_some()
    }

    fn cached(&mut self, rel: &str, meta: &std::fs::Metadata) -> bool {
        let Some(tables) = self.cache else {
            return false;
        };
        let stamp = Stamp::of(meta);
        let (repo, path) = self.roots.resolve(rel);
        let slot = Slot::File {
            tables,
            repo,
            stamp,
        };
        let given = self.given;
        match self.worker.cached(path, &slot, &|| join(given, rel)) {
            Some(classified) => {
                self.take(rel, classified);
                true
            }
            None => {
                self.pending = Some(stamp);
                false
            }
        }
    }

    fn file(&mut self, rel: &str, bytes: &[u8]) {
        let (repo, path) = self.roots.resolve(rel);
        let slot = match (self.cache, self.pending.take()) {
            (Some(tables), Some(stamp)) => Slot::File {
                tables,
                repo,
                stamp,
            },
            _ => Slot::None,
        };
        let blob = Blob {
            bytes,
            path,
            origin: Origin::WorkTree,
        };
        let given = self.given;
        let classified = self.worker.process(&blob, &slot, &|| join(given, rel));
        self.take(rel, classified);
    }

    fn skip(&mut self, _rel: &str, reason: SkipReason) {
        self.pending = None;
        self.worker.skipped(reason);
    }

    fn fault(&mut self, path: String, message: String) {
        self.pending = None;
        self.worker.fault(path, message);
    }
}

impl Drop for TreeVisitor<'_> {
    fn drop(&mut self) {
        let mut local = std::mem::take(&mut self.local);
        local.stats = std::mem::take(&mut self.worker.stats);
        // A poisoned lock means another worker panicked; keep what we have anyway.
        let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
        found.absorb(local);
    }
}

/// Scans one root; returns its stats and one [`RepoScan`] per repository in it.
pub(super) fn scan_root(
    root: &Path,
    given: &str,
    run: Run,
    opts: &WalkOptions,
    config: &ScanConfig,
) -> RootScan {
    let roots = RepoRoots::default();
    let found = Mutex::new(RootFindings::default());
    // A folder inside a work tree is scanned as part of that repository: its paths
    // from the repository's root, its identity and commit the repository's.
    let enclosing = if root.join(".git").symlink_metadata().is_ok() {
        None
    } else {
        enclosing(root, &config.git_ceilings)
    };
    let filter = config
        .shard
        .map(|s| ShardFilter::new(s, root, given, enclosing.as_ref()));
    // A few repositories per thread are in flight at once (each thread walks one
    // repository depth-first and steals others' work only when idle).
    let tables = run
        .cache
        .map(|c| WorkTreeCaches::new(c, root, (4 * opts.threads).max(16)));
    let cache_dir = run.cache.and_then(|c| c.inside(root));
    walk(root, opts, || TreeVisitor {
        shard: filter.as_ref(),
        roots: &roots,
        given,
        found: &found,
        local: RootFindings::default(),
        worker: BlobWorker::new(run.detector, run.progress, run.max_file_size),
        cache: tables.as_ref(),
        cache_dir: cache_dir.as_deref(),
        pending: None,
        run: Run { threads: 1, ..run },
        within: enclosing.as_ref().map(|e| e.prefix.as_str()),
    });
    if let Some(t) = tables {
        t.finish();
    }
    let found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    let git: BTreeSet<String> = found.git.into_iter().collect();
    // The working trees are done with the walk; the mirrors follow one by one.
    run.progress.repos_done(
        git.iter()
            .filter(|r| filter.as_ref().is_none_or(|f| f.decide(r)))
            .count() as u64,
    );
    let mut by_repo: BTreeMap<String, RepoScan> = BTreeMap::new();
    for rel in roots.all() {
        let is_git = git.contains(&rel);
        let has_files = found.files.get(&rel).copied().unwrap_or(0) > 0;
        let around = enclosing.as_ref().filter(|_| rel.is_empty() && !is_git);
        if !is_git && !has_files && around.is_none() {
            // A plain folder that only holds other repositories is not one itself.
            continue;
        }
        if let Some(f) = &filter {
            if !f.decide(&rel) {
                continue;
            }
        }
        let by_path = || {
            if rel.is_empty() {
                given.to_string()
            } else {
                rel.clone()
            }
        };
        let (identity, revision, within) = match around {
            Some(e) => (
                e.remote.clone().unwrap_or_else(by_path),
                e.revision.clone(),
                Some(e.prefix.clone()),
            ),
            None => match is_git.then(|| describe(&root.join(&rel))).flatten() {
                Some((remote, revision)) => (remote.unwrap_or_else(by_path), revision, None),
                None => (by_path(), Revision::default(), None),
            },
        };
        by_repo.insert(
            rel.clone(),
            RepoScan {
                identity,
                path: join(given, &rel),
                git: is_git || within.is_some(),
                revision,
                within,
                ..RepoScan::default()
            },
        );
    }
    for (repo, path) in found.manifests {
        if let Some(r) = by_repo.get_mut(&repo) {
            r.manifests.insert(path);
        }
    }
    for (repo, dir) in found.charts {
        if let Some(r) = by_repo.get_mut(&repo) {
            r.charts.insert(dir);
        }
    }
    for (repo, ev) in found.evidence {
        if let Some(r) = by_repo.get_mut(&repo) {
            r.evidence.push(ev);
        }
    }
    if let Some(r) = by_repo.get_mut("") {
        r.place_within();
    }
    let mut stats = found.stats;
    let mut repos: Vec<RepoScan> = by_repo.into_values().collect();
    let mut bare = found.bare;
    bare.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, shown, r) in bare {
        match r {
            Ok((st, repo)) => {
                stats.merge(st);
                repos.push(repo);
            }
            Err(message) => stats.faults.push(Fault {
                path: shown,
                message,
            }),
        }
    }
    (stats, repos)
}

/// The scan root as the user named it, without a trailing separator.
pub(super) fn display_root(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let s = s.trim_end_matches('/');
    let s = s.strip_prefix("./").unwrap_or(s);
    if s.is_empty() {
        ".".into()
    } else {
        s.to_string()
    }
}

/// `rel` below the root shown as `given`.
pub(super) fn join(given: &str, rel: &str) -> String {
    match (given, rel) {
        (g, "") => g.to_string(),
        (".", r) => r.to_string(),
        (g, r) => format!("{g}/{r}"),
    }
}
