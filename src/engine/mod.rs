//! The engine: one scan, from a [`ScanConfig`] to an [`Inventory`].
//!
//! It reads what the configuration names — working trees and plain folders (walked),
//! bare mirrors and revisions (read through git), the staged change, the history,
//! config-store exports — through one blob worker per thread, then builds the
//! inventory. It never prints and never exits: trouble with one file or repository is
//! a fault in the stats, trouble with the scan as a whole a [`ScanError`].

mod git;
mod progress;
mod threads;
mod tree;
mod worker;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub use progress::{NoProgress, Progress};

use crate::cache::{Cache, CacheError};
use crate::detect::{DetectOptions, Detector};
use crate::inventory::{self, Inventory, Registry, RepoScan, ScannerInfo, StatusRule};
use crate::model::{
    mask_credentials, time, Blob, Fault, FingerprintKey, Origin, ScanStats, SkipReason,
};
use crate::rules::{RuleError, RuleSet};
use crate::source::exclude::Excludes;
use crate::source::git::{GitError, HistoryOptions};
use crate::source::limits::DEFAULT_MAX_FILE_SIZE;
use crate::source::repo::Shard;
use crate::source::walk::WalkOptions;
use worker::{BlobWorker, Slot};

/// What of each repository is read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ReadFrom {
    /// The working tree (bare repositories: the tree of `HEAD`).
    #[default]
    WorkTree,
    /// What the next commit would contain: the index against `HEAD`, findings on
    /// added or changed lines only.
    Staged,
    /// The tree of this revision, without a checkout.
    Revision(String),
}

/// Everything one scan needs. The CLI builds it from flags and the operator's
/// configuration; tests and other programs build it directly.
#[derive(Clone, Debug)]
pub struct ScanConfig {
    /// Directories to scan: repositories, or folders holding many.
    pub paths: Vec<PathBuf>,
    /// Config-store exports (Consul, SSM, Vault, a Kubernetes List), each read as a
    /// repository of its own whatever its name.
    pub config_stores: Vec<PathBuf>,
    /// What of each repository is read.
    pub read: ReadFrom,
    /// Also read every unique blob of the history for secrets.
    pub history: Option<HistoryOptions>,
    /// Also read files that `.gitignore` / `.ignore` exclude.
    pub no_ignore: bool,
    /// Files and blobs larger than this are skipped unread.
    pub max_file_size: u64,
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Only the repositories of this shard.
    pub shard: Option<Shard>,
    /// Rule packs added to the built-in one.
    pub rule_dirs: Vec<PathBuf>,
    /// Keys the secret fingerprints.
    pub fingerprint_key: FingerprintKey,
    /// Fingerprints of accepted findings: still reported, marked baselined.
    pub baseline: Option<BTreeSet<String>>,
    /// A cache directory: what was classified before and has not changed is not read
    /// again.
    pub cache: Option<PathBuf>,
    /// What governed and shadow mean.
    pub status: StatusRule,
    /// The scanned repositories are not trusted (`--untrusted`): inline
    /// `aiscout:allow` suppressions are ignored, and owners and signals a repository
    /// only declares about itself are marked `self_declared`.
    pub untrusted: bool,
    /// Paths the operator leaves out (`--exclude`, `[scan] exclude`).
    pub exclude: Excludes,
    /// The scan time, Unix seconds (the CLI takes it from `SOURCE_DATE_EPOCH`);
    /// `None`: now.
    pub scanned_at: Option<i64>,
    /// Directories the upward search for the work tree around a scanned folder never
    /// enters (the CLI takes them from `GIT_CEILING_DIRECTORIES`).
    pub git_ceilings: Vec<PathBuf>,
    /// The sanctioned registry to reconcile the units with (`--registry`).
    pub registry: Option<Registry>,
}

impl ScanConfig {
    /// A scan of `paths` with every default: the working tree, the built-in rules and
    /// fingerprint key, all cores, no cache.
    pub fn new(paths: Vec<PathBuf>) -> ScanConfig {
        ScanConfig {
            paths,
            config_stores: Vec::new(),
            read: ReadFrom::WorkTree,
            history: None,
            no_ignore: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            shard: None,
            rule_dirs: Vec::new(),
            fingerprint_key: FingerprintKey::default(),
            baseline: None,
            cache: None,
            status: StatusRule::default(),
            untrusted: false,
            exclude: Excludes::default(),
            scanned_at: None,
            git_ceilings: Vec::new(),
            registry: None,
        }
    }
}

/// Why a scan could not run at all. Trouble with one file or repository is not an
/// error: it is a fault in the inventory's stats, and the scan goes on.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The rules could not be loaded.
    #[error("loading rules: {0}")]
    Rules(#[from] RuleError),
    /// The cache directory cannot be used.
    #[error(transparent)]
    Cache(#[from] CacheError),
    /// A path to scan is not a directory.
    #[error("{0}: not a directory (give a repository or a folder of repositories)")]
    NotADirectory(String),
    /// `--staged` on something that is not a git work tree.
    #[error("--staged needs a git work tree: {0}")]
    Staged(GitError),
    /// A repository named to be read through git could not be.
    #[error(transparent)]
    Git(#[from] GitError),
    /// A config-store export could not be read.
    #[error("--config-store {path}: {message}")]
    ConfigStore {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
}

/// What every driver of one scan shares: the detectors, limits, cache and progress.
#[derive(Clone, Copy)]
pub(crate) struct Run<'a> {
    detector: &'a Detector,
    max_file_size: u64,
    cache: Option<&'a Cache>,
    /// Threads one repository may use (at least 1).
    threads: usize,
    progress: &'a dyn Progress,
    exclude: &'a Excludes,
}

/// Scans what `config` names and builds the inventory.
pub fn scan(config: &ScanConfig) -> Result<Inventory, ScanError> {
    scan_with(config, &NoProgress)
}

/// [`scan`], telling `progress` how it goes.
pub fn scan_with(config: &ScanConfig, progress: &dyn Progress) -> Result<Inventory, ScanError> {
    // Taken before anything is read: the anchor says from when the findings are.
    let scanned_at = time::iso8601(config.scanned_at.unwrap_or_else(time::now));
    let rules = RuleSet::with_dirs(&config.rule_dirs)?;
    let scanner = ScannerInfo {
        name: "aiscout".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        rules_digest: rules.digest(),
        rules: rules.len(),
        fingerprint_key_id: config.fingerprint_key.id().to_string(),
    };
    let opts = DetectOptions {
        fingerprint_key: config.fingerprint_key.clone(),
        inline_allow: !config.untrusted,
        ..DetectOptions::default()
    };
    let detector = Detector::new(rules, opts);
    let cache = match &config.cache {
        Some(dir) => Some(Cache::open(dir, &detector.cache_identity())?),
        None => None,
    };
    let threads = config.threads.max(1);
    let run = Run {
        detector: &detector,
        max_file_size: config.max_file_size,
        cache: cache.as_ref(),
        threads,
        progress,
        exclude: &config.exclude,
    };
    let walk_opts = WalkOptions {
        no_ignore: config.no_ignore,
        max_file_size: config.max_file_size,
        threads,
    };
    let paths = &config.paths;
    for p in paths {
        if !p.is_dir() {
            return Err(ScanError::NotADirectory(p.display().to_string()));
        }
    }
    let mut stats = ScanStats::default();
    let mut repos = Vec::new();
    let mut sources = Vec::new();
    let mut walked = tree::walk_many(paths, config, run, &walk_opts);
    for (i, path) in paths.iter().enumerate() {
        let given = tree::display_root(path);
        let (root_stats, mut root_repos) = if let Some(done) = walked[i].take() {
            done
        } else if config.read == ReadFrom::Staged {
            progress.repos_found(1);
            let (st, repo) = git::staged(path, &given, run).map_err(ScanError::Staged)?;
            progress.repos_done(1);
            (st, vec![repo])
        } else if !is_walked(path, config)
            && config
                .shard
                .is_some_and(|sh| !sh.selects(&tree::repo_identity(path, &given, "", true)))
        {
            // A repository named directly (a mirror in a `--repos-from` list) is in
            // one shard only, like one found inside an organisation folder.
            (ScanStats::default(), Vec::new())
        } else if !is_walked(path, config) {
            progress.repos_found(1);
            let rev = match &config.read {
                ReadFrom::Revision(r) => Some(r.as_str()),
                _ => None,
            };
            let (st, repo) = git::tree(path, &given, run, rev)?;
            progress.repos_done(1);
            (st, vec![repo])
        } else {
            tree::scan_root(path, &given, run, &walk_opts, config)
        };
        stats.merge(root_stats);
        if let Some(opts) = &config.history {
            progress.phase("history");
            // A subfolder's history is its whole repository's: not read for a part.
            for repo in root_repos
                .iter_mut()
                .filter(|r| r.git && r.within.is_none())
            {
                let repo_path = PathBuf::from(&repo.path);
                let shown = repo.path.clone();
                if let Err(e) = git::history(&repo_path, &shown, run, opts, repo, &mut stats) {
                    stats.faults.push(Fault {
                        path: shown,
                        message: e.to_string(),
                    });
                }
            }
        }
        repos.extend(root_repos);
        sources.push(given);
    }
    for file in &config.config_stores {
        let (st, repo) = config_store(file, run)?;
        stats.merge(st);
        repos.push(repo);
        sources.push(tree::display_root(file));
    }
    if let Some(accepted) = &config.baseline {
        for e in repos.iter_mut().flat_map(|r| r.evidence.iter_mut()) {
            if e.secret
                .as_ref()
                .is_some_and(|s| accepted.contains(&s.fingerprint))
            {
                e.baselined = true;
            }
        }
    }
    if let Some(c) = &cache {
        c.count_into(&mut stats.cache);
    }
    // A name can hold a key: skip and fault lines show it masked, as evidence does.
    for (path, message) in stats
        .faults
        .iter_mut()
        .map(|f| (&mut f.path, &mut f.message))
        .chain(
            stats
                .skip_details
                .iter_mut()
                .map(|s| (&mut s.path, &mut s.message)),
        )
    {
        // Only what the name holds is masked in the message: object ids and other hex
        // there name what failed.
        let masked = mask_credentials(path);
        if masked != *path {
            for (was, is) in path.split('/').zip(masked.split('/')) {
                if was != is {
                    *message = message.replace(was, is);
                }
            }
            *path = masked;
        }
    }
    let mut inv = inventory::build_with(scanner, sources, stats, repos, &config.status);
    inv.scanned_at = Some(scanned_at);
    if config.untrusted {
        inv.mark_self_declared();
    }
    if let Some(registry) = &config.registry {
        inventory::registry::reconcile(&mut inv, registry);
    }
    Ok(inv)
}

/// Is `path` read by walking it (not through git: `--staged`, a revision, a bare
/// mirror)?
fn is_walked(path: &Path, config: &ScanConfig) -> bool {
    config.read == ReadFrom::WorkTree && !crate::source::git::is_bare(path)
}

/// Scans one config-store export: read as JSON or YAML by its first byte, whatever its
/// file name, as a repository of its own.
fn config_store(file: &Path, run: Run) -> Result<(ScanStats, RepoScan), ScanError> {
    let fail = |message: String| ScanError::ConfigStore {
        path: file.display().to_string(),
        message,
    };
    let meta = std::fs::metadata(file).map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() {
        return Err(fail("not a file".into()));
    }
    let shown = tree::display_root(file);
    let name = file
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let mut repo = RepoScan {
        identity: shown.clone(),
        path: shown.clone(),
        ..RepoScan::default()
    };
    let mut worker = BlobWorker::new(run.detector, run.progress, run.max_file_size);
    if meta.len() > run.max_file_size {
        worker.skipped(SkipReason::TooLarge);
        return Ok((worker.stats, repo));
    }
    let bytes = std::fs::read(file).map_err(|e| fail(format!("reading: {e}")))?;
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    // The detectors choose a parser by name: give the content the name of its shape.
    let as_path = format!(
        "{name}.{}",
        if matches!(first, Some(b'{' | b'[')) {
            "json"
        } else {
            "yaml"
        }
    );
    let blob = Blob {
        bytes: &bytes,
        path: &as_path,
        origin: Origin::WorkTree,
    };
    if let Some(evidence) = worker
        .process(&blob, &Slot::None, &|| shown.clone())
        .evidence()
    {
        for mut e in evidence {
            e.path.clone_from(&name);
            repo.evidence.push(e);
        }
    }
    Ok((worker.stats, repo))
}
