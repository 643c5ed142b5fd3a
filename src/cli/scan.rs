//! `aiscout scan PATH…`: walk, detect, build the inventory, report.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use super::progress::Progress;
use super::{git_scan, parse_size, GlobalArgs, Outcome, RulesArgs};
use crate::cache::{self, Cache, Stamp, Stored, TreeTables};
use crate::detect::{BlobOutcome, DetectOptions, Detector, Scratch};
use crate::inventory::{self, Inventory, RepoScan, ScannerInfo};
use crate::model::Evidence;
use crate::model::SkipReason;
use crate::model::{Fault, ScanStats, SkipDetail};
use crate::report::{Format, ReportOptions};
use crate::rules::RuleSet;
use crate::source::filekind::FileKind;
use crate::source::git::HistoryOptions;
use crate::source::repo::{remote_identity, RepoRoots, Shard};
use crate::source::walk::{walk, Visitor, WalkOptions};

/// `aiscout scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Directories to scan: repositories, or folders holding many.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also scan files that .gitignore / .ignore exclude.
    #[arg(long)]
    pub no_ignore: bool,
    /// Skip files larger than this, without reading them (bytes; K, M, G suffixes).
    #[arg(long, value_name = "SIZE", default_value = "16M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Worker threads [default: number of cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Print throughput (files/s, MB/s, wall time) on stderr at the end.
    #[arg(long)]
    pub stats: bool,
    /// Scan only what the next commit would contain (the index against HEAD),
    /// reporting findings on added or changed lines only.
    #[arg(long, conflicts_with_all = ["history", "git_ref"])]
    pub staged: bool,
    /// Also scan every unique blob of the git history (all refs) for secrets, with the
    /// commit that introduced each and whether it is still at HEAD.
    #[arg(long)]
    pub history: bool,
    /// Scan only the repositories of shard I of N (by a stable hash of each
    /// repository's identity); `aiscout merge` combines the shards' inventories.
    #[arg(long, value_name = "I/N", value_parser = Shard::parse)]
    pub shard: Option<Shard>,
    /// Also scan the repositories listed in FILE (one path per line; `#` comments).
    #[arg(long, value_name = "FILE")]
    pub repos_from: Option<PathBuf>,
    /// Also scan FILE as a config-store export (Consul KV, `aws ssm get-parameters`,
    /// Vault `kv get`, a Kubernetes List; JSON or YAML), whatever its name (repeatable).
    #[arg(long = "config-store", value_name = "FILE")]
    pub config_stores: Vec<PathBuf>,
    /// With --history: skip commits reachable from REV.
    #[arg(long, value_name = "REV", requires = "history")]
    pub since: Option<String>,
    /// With --history: walk only these branches or revisions (repeatable).
    #[arg(long = "branch", value_name = "REF", requires = "history")]
    pub branches: Vec<String>,
    /// Scan the tree of this revision instead of the working tree (bare repositories
    /// are always read this way, at HEAD by default).
    #[arg(long = "ref", value_name = "REV")]
    pub git_ref: Option<String>,
    /// Exit 1 when the scan finds any of these (comma-separated) [default: `[scan]
    /// fail_on` in the scanned path's aiscout.toml, else nothing].
    #[arg(long, value_delimiter = ',', value_enum, value_name = "POLICY")]
    pub fail_on: Vec<Policy>,
    /// A saved inventory (`--format json`) to compare with: `--fail-on new-agent` fails
    /// on any unit whose id it does not hold.
    #[arg(long, value_name = "OLD.json")]
    pub baseline_inventory: Option<PathBuf>,
    /// Fingerprints of accepted findings (`aiscout baseline create`): still reported,
    /// marked baselined, never fail a policy.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Keep what each file and blob yielded in DIR (created if missing) and reuse it
    /// next time for whatever has not changed: git blobs by id, working-tree files by
    /// stat and content hash. Written by another version, rule set or option, it is
    /// ignored and rebuilt; safe to delete. Never scanned, even inside a scanned tree.
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Key secret fingerprints with the key in FILE (HMAC-SHA256), so a report does not
    /// confirm a guessed key to its readers; shards and baselines must share it
    /// [default: $AISCOUT_FINGERPRINT_KEY_FILE, $AISCOUT_FINGERPRINT_KEY, `[scan]
    /// fingerprint_key_file` in aiscout.toml, else a public built-in key].
    #[arg(long, value_name = "FILE")]
    pub fingerprint_key_file: Option<PathBuf>,
    /// Rule packs to add.
    #[command(flatten)]
    pub rules: RulesArgs,
}

pub use crate::report::policy::Policy;

/// Every violation of `policies` in `inv`, one line each (`new-agent` needs the
/// baseline inventory: see [`crate::report::policy::violations`]).
pub fn violations(inv: &Inventory, policies: &[Policy]) -> Vec<String> {
    crate::report::policy::violations(inv, policies, None)
}

/// The policy in force: `--fail-on` when given, else the union of `[scan] fail_on`
/// in the `aiscout.toml` of each scanned path.
pub fn effective_policy(args: &ScanArgs) -> anyhow::Result<Vec<Policy>> {
    let mut out: Vec<Policy> = if args.fail_on.is_empty() {
        let mut v = Vec::new();
        for p in &args.paths {
            v.extend(super::config::load(p)?.scan.fail_on);
        }
        v
    } else {
        args.fail_on.clone()
    };
    out.sort();
    out.dedup();
    if out.contains(&Policy::NewAgent) && args.baseline_inventory.is_none() {
        anyhow::bail!(
            "the new-agent policy needs --baseline-inventory OLD.json (a saved `--format json` \
             inventory to compare with)"
        );
    }
    Ok(out)
}

/// Runs a scan and writes the report.
pub fn run(args: &ScanArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let fail_on = effective_policy(args)?;
    let known_units: Option<BTreeSet<String>> = match &args.baseline_inventory {
        Some(p) => Some(
            super::report::load(p)?
                .units
                .into_iter()
                .map(|u| u.id)
                .collect(),
        ),
        None => None,
    };
    let progress = Progress::new(global.quiet);
    let (inv, threads) = inventory_with(args, &progress)?;
    progress.finish();
    let opts = ReportOptions {
        color: match &args.output {
            Some(_) => false,
            None => global.color.enabled(super::stdout_is_terminal()),
        },
        verbose: global.verbose > 0,
        fail_on: fail_on.clone(),
    };
    write_report(args, &inv, &opts)?;
    let failed = crate::report::policy::violations(&inv, &fail_on, known_units.as_ref());
    if !global.quiet {
        for v in &failed {
            eprintln!("aiscout: policy failed: {v}");
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    if !global.quiet {
        for f in &inv.stats.faults {
            eprintln!("aiscout: fault: {}: {}", f.path, f.message);
        }
    }
    if args.stats {
        let s = &inv.stats;
        eprintln!(
            "aiscout: {} files, {:.1} MB in {:.2}s ({:.0} files/s, {:.1} MB/s, {} threads)",
            s.files_scanned,
            s.bytes_scanned as f64 / 1e6,
            elapsed,
            s.files_scanned as f64 / elapsed.max(1e-9),
            s.bytes_scanned as f64 / 1e6 / elapsed.max(1e-9),
            threads
        );
    }
    if let Some(dir) = &args.cache {
        let summary = args.stats || global.verbose > 0;
        report_cache(dir, &inv.stats, summary, global.quiet);
    }
    Ok(if !inv.stats.faults.is_empty() {
        Outcome::Faults
    } else if !failed.is_empty() {
        Outcome::Failed
    } else {
        Outcome::Clean
    })
}

/// What `--cache` did, on stderr: a summary line with `--stats` or `-v`, and (unless
/// `-q`) a warning when cache files were corrupt or could not be written.
fn report_cache(dir: &Path, stats: &ScanStats, summary: bool, quiet: bool) {
    let c = &stats.cache;
    if summary {
        eprintln!(
            "aiscout: cache {}: {} files not read ({:.1} MB), {} read again unchanged, {} read \
             and classified; cache files: {} loaded, {} written, {} invalidated, {} corrupt",
            dir.display(),
            c.hits,
            c.hit_bytes as f64 / 1e6,
            c.verified,
            c.misses,
            c.files_loaded,
            c.files_written,
            c.files_invalidated,
            c.files_corrupt
        );
    }
    if quiet {
        return;
    }
    if c.files_corrupt > 0 {
        eprintln!(
            "aiscout: warning: cache {}: {} corrupt cache files ignored and rebuilt",
            dir.display(),
            c.files_corrupt
        );
    }
    for e in &c.write_errors {
        eprintln!("aiscout: warning: cache not written: {e}");
    }
    if c.write_error_count > c.write_errors.len() as u64 {
        eprintln!(
            "aiscout: warning: cache: {} more writes failed",
            c.write_error_count - c.write_errors.len() as u64
        );
    }
}

/// Scans `args.paths` and returns the inventory (and the thread count used), without
/// writing anything. Tests and other commands call this in-process.
pub fn inventory(args: &ScanArgs) -> anyhow::Result<(Inventory, usize)> {
    inventory_with(args, &Progress::hidden())
}

/// [`inventory`], drawing `progress` as it goes.
pub fn inventory_with(args: &ScanArgs, progress: &Progress) -> anyhow::Result<(Inventory, usize)> {
    let rules = RuleSet::with_dirs(&args.rules.rules).context("loading rules")?;
    let key = super::config::fingerprint_key(args.fingerprint_key_file.as_deref(), &args.paths)?;
    // Before the scan: a baseline made with another key would match nothing.
    let accepted = match &args.baseline {
        Some(file) => Some(super::baseline::load(file, &key)?),
        None => None,
    };
    let scanner = ScannerInfo {
        name: "aiscout".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        rules_digest: rules.digest(),
        rules: rules.len(),
        fingerprint_key_id: key.id().to_string(),
    };
    let opts = DetectOptions {
        fingerprint_key: key,
        ..DetectOptions::default()
    };
    let detector = Detector::new(rules, opts);
    let cache = match &args.cache {
        Some(dir) => Some(Cache::open(dir, &detector.cache_identity())?),
        None => None,
    };
    let cache = cache.as_ref();
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let blobs = git_scan::Blobs {
        detector: &detector,
        max_file_size: args.max_file_size,
        cache,
        threads,
        progress,
    };
    let walk_opts = WalkOptions {
        no_ignore: args.no_ignore,
        max_file_size: args.max_file_size,
        threads,
    };
    let mut paths = args.paths.clone();
    // The default `.` stands only when nothing else names what to scan.
    if (args.repos_from.is_some() || !args.config_stores.is_empty())
        && args.paths == [PathBuf::from(".")]
    {
        paths.clear();
    }
    if let Some(list) = &args.repos_from {
        let text = std::fs::read_to_string(list)
            .with_context(|| format!("reading --repos-from {}", list.display()))?;
        paths.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(PathBuf::from),
        );
    }
    for p in &paths {
        if !p.is_dir() {
            anyhow::bail!(
                "{}: not a directory (give a repository or a folder of repositories)",
                p.display()
            );
        }
    }
    let history_opts = HistoryOptions {
        branches: args.branches.clone(),
        since: args.since.clone(),
    };
    let mut stats = ScanStats::default();
    let mut repos = Vec::new();
    let mut sources = Vec::new();
    let mut walked = walk_many(&paths, args, blobs, &walk_opts);
    for (i, path) in paths.iter().enumerate() {
        let given = display_root(path);
        let (root_stats, mut root_repos) = if let Some(done) = walked[i].take() {
            done
        } else if args.staged {
            progress.repos_found(1);
            let (st, repo) =
                git_scan::staged(path, &given, blobs).context("--staged needs a git work tree")?;
            progress.repos_done(1);
            (st, vec![repo])
        } else if (args.git_ref.is_some() || git_scan::is_bare(path))
            && args
                .shard
                .is_some_and(|sh| !sh.selects(&repo_identity(path, &given, "", true)))
        {
            // A repository named directly (a mirror in a `--repos-from` list) is in
            // one shard only, like one found inside an organisation folder.
            (ScanStats::default(), Vec::new())
        } else if args.git_ref.is_some() || git_scan::is_bare(path) {
            progress.repos_found(1);
            let (st, repo) = git_scan::tree(path, &given, blobs, args.git_ref.as_deref())?;
            progress.repos_done(1);
            (st, vec![repo])
        } else {
            scan_root(path, &given, blobs, &walk_opts, args.shard)
        };
        stats.merge(root_stats);
        if args.history {
            progress.phase("history");
            for repo in root_repos.iter_mut().filter(|r| r.git) {
                let repo_path = PathBuf::from(&repo.path);
                let shown = repo.path.clone();
                if let Err(e) =
                    git_scan::history(&repo_path, &shown, blobs, &history_opts, repo, &mut stats)
                {
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
    for file in &args.config_stores {
        let (st, repo) = scan_config_store(file, &detector, args.max_file_size)?;
        stats.merge(st);
        repos.push(repo);
        sources.push(display_root(file));
    }
    if let Some(accepted) = &accepted {
        for e in repos.iter_mut().flat_map(|r| r.evidence.iter_mut()) {
            if e.secret
                .as_ref()
                .is_some_and(|s| accepted.contains(&s.fingerprint))
            {
                e.baselined = true;
            }
        }
    }
    if let Some(c) = cache {
        c.count_into(&mut stats.cache);
    }
    // The status rule of the first scanned repository's aiscout.toml, if any.
    let status_rule = match paths.first() {
        Some(p) => super::config::load(p)?.status,
        None => inventory::StatusRule::default(),
    };
    Ok((
        inventory::build_with(scanner, sources, stats, repos, &status_rule),
        threads,
    ))
}

fn write_report(args: &ScanArgs, inv: &Inventory, opts: &ReportOptions) -> anyhow::Result<()> {
    super::report::write_to(args.format, inv, opts, args.output.as_deref())
}

/// Scans one config-store export named with `--config-store`: read as JSON or YAML by
/// its first byte, whatever its file name, as a repository of its own.
fn scan_config_store(
    file: &Path,
    detector: &Detector,
    max: u64,
) -> anyhow::Result<(ScanStats, RepoScan)> {
    let meta =
        std::fs::metadata(file).with_context(|| format!("--config-store {}", file.display()))?;
    anyhow::ensure!(
        meta.is_file(),
        "--config-store {}: not a file",
        file.display()
    );
    let mut stats = ScanStats {
        files_seen: 1,
        ..ScanStats::default()
    };
    let shown = display_root(file);
    let name = file
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let mut repo = RepoScan {
        identity: shown.clone(),
        path: shown.clone(),
        ..RepoScan::default()
    };
    if meta.len() > max {
        *stats.skipped.entry(SkipReason::TooLarge).or_default() += 1;
        return Ok((stats, repo));
    }
    let bytes = std::fs::read(file)
        .with_context(|| format!("reading --config-store {}", file.display()))?;
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
    let (mut scratch, mut out) = (Scratch::default(), BlobOutcome::default());
    detector.scan(
        &FileKind::of(&as_path),
        &as_path,
        &bytes,
        &mut scratch,
        &mut out,
    );
    stats.files_scanned = 1;
    stats.bytes_scanned = bytes.len() as u64;
    stats.prefilter_hits = u64::from(out.prefilter_hit);
    stats.suppressed = out.suppressed;
    for skip in out.skips.drain(..) {
        *stats.skipped.entry(skip.reason).or_default() += 1;
        stats.skip_details.push(SkipDetail {
            path: shown.clone(),
            reason: skip.reason,
            message: skip.message,
        });
    }
    for mut e in out.evidence.drain(..) {
        e.path.clone_from(&name);
        repo.evidence.push(e);
    }
    Ok((stats, repo))
}

/// The scan root as the user named it, without a trailing separator.
fn display_root(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let s = s.trim_end_matches('/');
    let s = s.strip_prefix("./").unwrap_or(s);
    if s.is_empty() {
        ".".into()
    } else {
        s.to_string()
    }
}

fn join(given: &str, rel: &str) -> String {
    match (given, rel) {
        (g, "") => g.to_string(),
        (".", r) => r.to_string(),
        (g, r) => format!("{g}/{r}"),
    }
}

/// What one root's walk found: its stats and its repositories.
type Walked = (ScanStats, Vec<RepoScan>);

/// Is `path` read by walking it (not through git: `--staged`, `--ref`, a bare mirror)?
fn is_walked(path: &Path, args: &ScanArgs) -> bool {
    !args.staged && args.git_ref.is_none() && !git_scan::is_bare(path)
}

/// Walks the roots among `paths` concurrently when there are several (a `--repos-from`
/// list of clones): each on one thread, as many at once as there are threads. One
/// parallel walk per root in turn would leave threads idle at the end of every root
/// (measured: 200 clones took 2.3 s one after the other, 1.6 s so). Returns each
/// walked root's result at its index; `None` for the others and for a single root,
/// which the caller walks with every thread.
fn walk_many(
    paths: &[PathBuf],
    args: &ScanArgs,
    blobs: git_scan::Blobs,
    opts: &WalkOptions,
) -> Vec<Option<Walked>> {
    let mut out: Vec<Option<Walked>> = paths.iter().map(|_| None).collect();
    let roots: Vec<usize> = (0..paths.len())
        .filter(|&i| is_walked(&paths[i], args))
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
        let blobs = git_scan::Blobs { threads, ..blobs };
        scan_root(path, &display_root(path), blobs, &one, args.shard)
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
struct Found {
    stats: ScanStats,
    /// (repo root, evidence with repo-relative path).
    evidence: Vec<(String, Evidence)>,
    /// (repo root, repo-relative directory holding a unit manifest).
    manifests: Vec<(String, String)>,
    /// Repo roots that are git repositories.
    git: Vec<String>,
    /// Bare repositories found (root-relative), each read through git by the walk
    /// thread that met it: (root-relative path, shown path, what reading it gave).
    bare: Vec<Mirror>,
    /// Files attributed to each repo root.
    files: BTreeMap<String, u64>,
}

impl Found {
    fn absorb(&mut self, other: Found) {
        self.stats.merge(other.stats);
        self.evidence.extend(other.evidence);
        self.manifests.extend(other.manifests);
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
    root: PathBuf,
    given: String,
    /// Repository root (root-relative) → selected.
    members: Mutex<BTreeMap<String, bool>>,
}

impl ShardFilter {
    fn new(shard: Shard, root: &Path, given: &str) -> Self {
        let f = ShardFilter {
            shard,
            root: root.to_path_buf(),
            given: given.to_string(),
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
        let identity = repo_identity(&self.root, &self.given, rel, true);
        let v = self.shard.selects(&identity);
        m.insert(rel.to_string(), v);
        v
    }
}

/// The identity of the repository at `rel` below `root`: its remote when it is a git
/// repository with one, else the path (as given for the root, relative for others).
fn repo_identity(root: &Path, given: &str, rel: &str, is_git: bool) -> String {
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

struct ScanVisitor<'a> {
    detector: &'a Detector,
    shard: Option<&'a ShardFilter>,
    roots: &'a RepoRoots,
    given: &'a str,
    shared: &'a Mutex<Found>,
    local: Found,
    scratch: Scratch,
    outcome: BlobOutcome,
    /// `--cache`: the tables of this root's repositories.
    cache: Option<&'a TreeTables<'a>>,
    /// The cache directory, root-relative, when it lies inside this root: never walked.
    cache_dir: Option<&'a str>,
    /// The stamp of the file `cached` just missed, to record its outcome once read.
    pending: Option<Stamp>,
    progress: &'a Progress,
    /// How a bare mirror met by the walk is read (on the thread that met it).
    blobs: git_scan::Blobs<'a>,
    root: &'a Path,
}

impl ScanVisitor<'_> {
    /// Counts a classified file (read now, or known from the cache) and takes the
    /// outcome in `self.outcome`.
    fn classified(&mut self, rel: &str, scanned: u64) {
        self.progress.file(scanned, self.outcome.evidence.len());
        let s = &mut self.local.stats;
        s.files_seen += 1;
        s.files_scanned += 1;
        s.bytes_scanned += scanned;
        s.prefilter_hits += u64::from(self.outcome.prefilter_hit);
        s.files_parsed += u64::from(self.outcome.parsed);
        s.suppressed += self.outcome.suppressed;
        let (repo, path) = self.roots.resolve(rel);
        // No key allocated per file: the repository is almost always counted already.
        match self.local.files.get_mut(repo) {
            Some(n) => *n += 1,
            None => {
                self.local.files.insert(repo.to_string(), 1);
            }
        }
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        if FileKind::of(path).unit_manifest {
            self.local
                .manifests
                .push((repo.to_string(), dir.to_string()));
        }
        for skip in self.outcome.skips.drain(..) {
            *s.skipped.entry(skip.reason).or_default() += 1;
            s.skip_details.push(SkipDetail {
                path: join(self.given, rel),
                reason: skip.reason,
                message: skip.message,
            });
        }
        for ev in self.outcome.evidence.drain(..) {
            self.local.evidence.push((repo.to_string(), ev));
        }
    }
}

impl Visitor for ScanVisitor<'_> {
    fn dir(&mut self, path: &Path, rel: &str, is_repo: bool) -> bool {
        if self.cache_dir == Some(rel) {
            return false;
        }
        if is_repo {
            if !rel.is_empty() {
                self.roots.add(rel);
            }
            if self.shard.is_none_or(|f| f.decide(rel)) {
                self.progress.repos_found(1);
            }
            self.local.git.push(rel.to_string());
        } else if !rel.is_empty() && git_scan::is_bare(path) {
            // A bare mirror inside an organisation folder: read at HEAD through git, on
            // this walk thread, while the other threads go on walking (a mirror phase
            // after the walk would be serial work at its end).
            if self.shard.is_none_or(|f| f.decide(rel)) {
                self.progress.repos_found(1);
                let shown = join(self.given, rel);
                let read = git_scan::tree(&self.root.join(rel), &shown, self.blobs, None)
                    .map_err(|e| e.to_string());
                self.progress.repos_done(1);
                self.local.bare.push((rel.to_string(), shown, read));
            }
            return false;
        }
        true
    }

    fn wants(&mut self, rel: &str) -> bool {
        match self.shard {
            Some(f) => f.decide(self.roots.resolve(rel).0),
            None => true,
        }
    }

    fn cached(&mut self, rel: &str, meta: &std::fs::Metadata) -> bool {
        let Some(tables) = self.cache else {
            return false;
        };
        let stamp = Stamp::of(meta);
        let (repo, path) = self.roots.resolve(rel);
        let Some(stored) = tables.file_hit(repo, path, &stamp) else {
            self.pending = Some(stamp);
            return false;
        };
        self.local.stats.cache.hits += 1;
        self.local.stats.cache.hit_bytes += stamp.size;
        if stored.binary {
            self.skip(rel, SkipReason::Binary);
        } else {
            stored.replay(&mut self.outcome);
            self.classified(rel, stored.scanned);
        }
        true
    }

    fn file(&mut self, rel: &str, bytes: &[u8]) {
        let (repo, path) = self.roots.resolve(rel);
        match (self.cache, self.pending.take()) {
            (Some(tables), Some(stamp)) => {
                let content = cache::content_hash(bytes);
                let stored = match tables.file_unchanged(repo, path, &content) {
                    Some(stored) => {
                        self.local.stats.cache.verified += 1;
                        stored.replay(&mut self.outcome);
                        stored
                    }
                    None => {
                        self.local.stats.cache.misses += 1;
                        self.detector.scan(
                            &FileKind::of(path),
                            path,
                            bytes,
                            &mut self.scratch,
                            &mut self.outcome,
                        );
                        Stored::of(bytes.len(), &self.outcome)
                    }
                };
                tables.record_file(repo, path, stamp, content, stored);
            }
            _ => self.detector.scan(
                &FileKind::of(path),
                path,
                bytes,
                &mut self.scratch,
                &mut self.outcome,
            ),
        }
        self.classified(rel, bytes.len() as u64);
    }

    fn skip(&mut self, rel: &str, reason: SkipReason) {
        if let (Some(tables), Some(stamp)) = (self.cache, self.pending.take()) {
            if reason == SkipReason::Binary {
                self.local.stats.cache.misses += 1;
                let (repo, path) = self.roots.resolve(rel);
                tables.record_file(repo, path, stamp, [0; 16], Stored::binary());
            }
        }
        self.local.stats.files_seen += 1;
        *self.local.stats.skipped.entry(reason).or_default() += 1;
    }

    fn fault(&mut self, path: String, message: String) {
        self.pending = None;
        self.local.stats.faults.push(Fault { path, message });
    }
}

impl Drop for ScanVisitor<'_> {
    fn drop(&mut self) {
        let local = std::mem::take(&mut self.local);
        // A poisoned lock means another worker panicked; keep what we have anyway.
        let mut shared = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        shared.absorb(local);
    }
}

/// Scans one root; returns its stats and one [`RepoScan`] per repository in it.
fn scan_root(
    root: &Path,
    given: &str,
    blobs: git_scan::Blobs,
    opts: &WalkOptions,
    shard: Option<Shard>,
) -> (ScanStats, Vec<RepoScan>) {
    let (detector, cache) = (blobs.detector, blobs.cache);
    let roots = RepoRoots::default();
    let shared = Mutex::new(Found::default());
    let filter = shard.map(|s| ShardFilter::new(s, root, given));
    // A few repositories per thread are in flight at once (each thread walks one
    // repository depth-first and steals others' work only when idle).
    let tables = cache.map(|c| TreeTables::new(c, root, (4 * opts.threads).max(16)));
    let cache_dir = cache.and_then(|c| c.inside(root));
    walk(root, opts, || ScanVisitor {
        detector,
        shard: filter.as_ref(),
        roots: &roots,
        given,
        shared: &shared,
        local: Found::default(),
        scratch: Scratch::default(),
        outcome: BlobOutcome::default(),
        cache: tables.as_ref(),
        cache_dir: cache_dir.as_deref(),
        pending: None,
        progress: blobs.progress,
        blobs: git_scan::Blobs {
            threads: 1,
            ..blobs
        },
        root,
    });
    if let Some(t) = tables {
        t.finish();
    }
    let found = shared.into_inner().unwrap_or_else(|e| e.into_inner());
    let git: BTreeSet<String> = found.git.into_iter().collect();
    // The working trees are done with the walk; the mirrors follow one by one.
    blobs.progress.repos_done(
        git.iter()
            .filter(|r| filter.as_ref().is_none_or(|f| f.decide(r)))
            .count() as u64,
    );
    let mut by_repo: BTreeMap<String, RepoScan> = BTreeMap::new();
    for rel in roots.all() {
        let is_git = git.contains(&rel);
        let has_files = found.files.get(&rel).copied().unwrap_or(0) > 0;
        if !is_git && !has_files {
            // A plain folder that only holds other repositories is not one itself.
            continue;
        }
        if let Some(f) = &filter {
            if !f.decide(&rel) {
                continue;
            }
        }
        let identity = repo_identity(root, given, &rel, is_git);
        by_repo.insert(
            rel.clone(),
            RepoScan {
                identity,
                path: join(given, &rel),
                git: is_git,
                ..RepoScan::default()
            },
        );
    }
    for (repo, dir) in found.manifests {
        if let Some(r) = by_repo.get_mut(&repo) {
            r.manifest_dirs.insert(dir);
        }
    }
    for (repo, ev) in found.evidence {
        if let Some(r) = by_repo.get_mut(&repo) {
            r.evidence.push(ev);
        }
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

/// Runs `work(i, threads)` for every `i < n`, as many at once as there are `threads`
/// (each given its share of them), and returns the results in index order.
fn side_by_side<T: Send>(
    n: usize,
    threads: usize,
    work: impl Fn(usize, usize) -> T + Sync,
) -> Vec<T> {
    let workers = threads.clamp(1, n.max(1));
    let each = (threads / workers).max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, T)> = git_scan::on_threads(workers, || {
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if i >= n {
                break mine;
            }
            mine.push((i, work(i, each)));
        }
    })
    .into_iter()
    .flatten()
    .collect();
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}
