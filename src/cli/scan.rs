//! `aiscout scan PATH…`: flags and the operator's configuration to a [`ScanConfig`],
//! the scan (`aiscout::scan`), then the report, the policy lines and the exit code.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use super::progress::Progress;
use super::{parse_size, GlobalArgs, Outcome, RulesArgs};
use crate::engine::{ReadFrom, ScanConfig};
use crate::inventory::Inventory;
use crate::model::{Fault, ScanStats};
use crate::report::{Format, ReportOptions};
use crate::source::git::HistoryOptions;
use crate::source::repo::Shard;

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
    /// Print the table with every column and every value in full, however wide the
    /// terminal is [default: fit it to $COLUMNS, else the terminal; in full to a pipe].
    #[arg(long)]
    pub wide: bool,
    /// Also scan files that .gitignore / .ignore exclude.
    #[arg(long)]
    pub no_ignore: bool,
    /// Leave out paths matching GLOB (`.gitignore` syntax, relative to each repository
    /// or to the scanned path; repeatable; added to `[scan] exclude`). Counted as
    /// `excluded` skips.
    #[arg(long = "exclude", value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Skip files larger than this, without reading them (bytes; K, M, G suffixes;
    /// at least 1).
    #[arg(long, value_name = "SIZE", default_value = "16M", value_parser = parse_max_file_size)]
    pub max_file_size: u64,
    /// Worker threads, 1 to 1024; 0 means the default [default: number of cores].
    #[arg(long, short = 'j', value_name = "N", value_parser = parse_threads)]
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
    /// fail_on` of the operator's config (see --config), else nothing].
    #[arg(long, value_delimiter = ',', value_enum, value_name = "POLICY")]
    pub fail_on: Vec<Policy>,
    /// A saved inventory (`--format json`) to compare with: `--fail-on new-agent` fails
    /// on any unit whose id it does not hold.
    #[arg(long, value_name = "OLD.json")]
    pub baseline_inventory: Option<PathBuf>,
    /// The sanctioned registry of agents (YAML or JSON `agents: [{name, owner, repo,
    /// path}]`, CSV `name,owner,repo,path`, or a Backstage catalog export): each unit is
    /// marked registered or unregistered, and registered agents the scan did not find are
    /// listed [default: `[scan] registry` of the operator's config].
    #[arg(long, value_name = "FILE")]
    pub registry: Option<PathBuf>,
    /// A previous inventory (`--format json`): the Markdown and HTML reports show the
    /// change in coverage per control and the agents added and removed since.
    #[arg(long, value_name = "PREVIOUS.json")]
    pub previous: Option<PathBuf>,
    /// Fingerprints of accepted findings (`aiscout baseline create`): still reported,
    /// marked baselined, never fail a policy.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Keep what each file and blob yielded in DIR (created if missing) and reuse it
    /// next time for whatever has not changed: git blobs by id, working-tree files by
    /// stat and content hash. Written by another version, rule set or option, it is
    /// ignored and rebuilt; safe to delete. Must lie outside every scanned path.
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Key secret fingerprints with the key in FILE (HMAC-SHA256), so a report does not
    /// confirm a guessed key to its readers; shards and baselines must share it
    /// [default: $AISCOUT_FINGERPRINT_KEY_FILE, $AISCOUT_FINGERPRINT_KEY, `[scan]
    /// fingerprint_key_file` of the operator's config, else a public built-in key].
    #[arg(long, value_name = "FILE")]
    pub fingerprint_key_file: Option<PathBuf>,
    /// The operator's configuration (`[scan]`, `[status]`) [default: aiscout.toml or
    /// .aiscout.toml in the current directory, unless the current directory lies inside
    /// a scanned path other than as its root (there it is that repository's)].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Also apply the aiscout.toml of each scanned path (policy, status rule,
    /// fingerprint key) and honour inline `aiscout:allow`: for a team scanning its own
    /// repository. Never applies to repositories listed in --repos-from.
    #[arg(long, conflicts_with = "untrusted")]
    pub trust_repo_config: bool,
    /// The scanned repositories are untrusted: their configs are never read (not even
    /// at the current directory), inline `aiscout:allow` suppressions are ignored, and
    /// owners and signals a repository only declares about itself are marked
    /// `self_declared` [default: on for folders of repositories, bare mirrors and
    /// --repos-from].
    #[arg(long)]
    pub untrusted: bool,
    /// Rule packs to add.
    #[command(flatten)]
    pub rules: RulesArgs,
}

pub use crate::inventory::policy::Policy;

/// Most worker threads `-j` takes: more is a typo (each thread holds parsers and
/// buffers), not a machine.
pub const MAX_THREADS: usize = 1024;

/// `-j N`: 0 (the default: every core) to [`MAX_THREADS`].
fn parse_threads(s: &str) -> Result<usize, String> {
    let n: usize = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of threads"))?;
    if n > MAX_THREADS {
        return Err(format!(
            "{n} threads is more than {MAX_THREADS}: give a number of cores (0 = all)"
        ));
    }
    Ok(n)
}

/// `--max-file-size SIZE`: a size of at least one byte (0 would skip every file and
/// report a clean, empty inventory).
fn parse_max_file_size(s: &str) -> Result<u64, String> {
    match parse_size(s)? {
        0 => Err("0 would skip every file: give a size of at least 1 (e.g. 16M)".into()),
        n => Ok(n),
    }
}

/// Refuses a `--cache` directory in (or equal to) a scanned path: aiscout never writes
/// into a tree it scans. Paths are compared resolved (symlinks, `..`), the cache's
/// through its nearest existing ancestor, since it may not exist yet.
fn check_cache_outside(cache: &Path, scanned: &[PathBuf]) -> anyhow::Result<()> {
    let cache_at = resolved(cache);
    for root in scanned {
        let Ok(root_at) = root.canonicalize() else {
            continue; // The scan reports a missing path itself.
        };
        if cache_at.starts_with(&root_at) {
            anyhow::bail!(
                "--cache {} is inside the scanned path {}: aiscout never writes into a tree \
                 it scans; put the cache elsewhere",
                crate::model::shown(&cache.display().to_string()),
                crate::model::shown(&root.display().to_string())
            );
        }
    }
    Ok(())
}

/// `path` with its longest existing prefix canonicalised and the rest appended.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut here = absolute.as_path();
    loop {
        if let Ok(real) = here.canonicalize() {
            // What does not exist yet is created as written: `..` steps back up.
            return rest.iter().rev().fold(real, |mut p: PathBuf, c| {
                if c == ".." {
                    p.pop();
                } else {
                    p.push(c);
                }
                p
            });
        }
        let Some(parent) = here.parent() else {
            return absolute;
        };
        rest.push(match here.file_name() {
            Some(name) => name.to_os_string(),
            None => "..".into(),
        });
        here = parent;
    }
}

/// Every violation of `policies` in `inv`, one line each (`new-agent` needs the
/// baseline inventory: see [`crate::inventory::policy::violations`]).
pub fn violations(inv: &Inventory, policies: &[Policy]) -> Vec<String> {
    crate::inventory::policy::violations(inv, policies, None)
}

/// Whose settings a scan runs under: the configurations in force and whether the
/// scanned repositories are trusted. A scanned repository never loosens what the
/// operator set: its own config is read only with `--trust-repo-config` (or when it
/// is the operator's own, at the current directory), never for `--repos-from`.
#[derive(Debug, Default)]
pub struct Settings {
    /// The operator's config (`--config`, else the current directory's), then, with
    /// `--trust-repo-config`, each scanned path's.
    pub configs: Vec<super::config::Loaded>,
    /// Inline suppressions ignored and self-declarations marked.
    pub untrusted: bool,
    /// Configs found but not usable: each a fault of the scan, which goes on under
    /// the operator's settings.
    pub faults: Vec<Fault>,
}

/// The paths named on the command line (the default `.` only when nothing else names
/// what to scan), without the `--repos-from` list.
fn named_paths(args: &ScanArgs) -> Vec<PathBuf> {
    if (args.repos_from.is_some() || !args.config_stores.is_empty())
        && args.paths == [PathBuf::from(".")]
    {
        Vec::new()
    } else {
        args.paths.clone()
    }
}

/// Is `root` a folder of repositories (not one itself, holding one within two
/// levels)? Such a folder is an organisation's, and what it holds is not vouched for.
fn is_org_folder(root: &Path) -> bool {
    use crate::source::git::is_bare;
    // Enough for any real organisation folder's top levels; bounded so a huge plain
    // tree costs no more than this many directory entries.
    const MAX_LOOK: usize = 20_000;
    let is_repo = |p: &Path| p.join(".git").symlink_metadata().is_ok() || is_bare(p);
    if is_repo(root) {
        return false;
    }
    let mut looked = 0;
    let mut level = vec![root.to_path_buf()];
    for _ in 0..2 {
        let mut next = Vec::new();
        for dir in level {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                looked += 1;
                if looked > MAX_LOOK {
                    return false;
                }
                // Never through a symlink: the walk does not follow one either.
                if !e.file_type().is_ok_and(|t| t.is_dir()) {
                    continue;
                }
                let p = e.path();
                if is_repo(&p) {
                    return true;
                }
                next.push(p);
            }
        }
        level = next;
    }
    false
}

/// Decides whose configuration applies to the scan `args` ask for (see [`Settings`]).
pub fn settings(args: &ScanArgs) -> anyhow::Result<Settings> {
    use super::config::{load, load_file, path_in, Loaded};
    let named = named_paths(args);
    let untrusted = args.untrusted
        || (!args.trust_repo_config
            && (args.repos_from.is_some()
                || named
                    .iter()
                    .any(|p| crate::source::git::is_bare(p) || is_org_folder(p))));
    let mut out = Settings {
        untrusted,
        ..Settings::default()
    };
    // A config that cannot be used is a fault whether or not it would apply: the
    // repository meant something by it, and the operator should hear it was ignored.
    let found = |root: &Path, out: &mut Settings, apply: bool| {
        let Some(path) = path_in(root) else { return };
        match load(root) {
            Ok(config) if apply => out.configs.push(Loaded { path, config }),
            Ok(_) => {}
            Err(e) => out.faults.push(Fault {
                path: path.display().to_string(),
                message: format!("{e:#}; the scan goes on under the operator's settings"),
            }),
        }
    };
    let cwd = std::env::current_dir().context("the current directory")?;
    let here = cwd.canonicalize().unwrap_or_else(|_| cwd.clone());
    let real = |p: &Path| p.canonicalize().ok();
    let mut cwd_is_operators = false;
    if let Some(file) = &args.config {
        out.configs.push(Loaded {
            path: file.clone(),
            config: load_file(file)?,
        });
    } else {
        // The directory the scan starts in is the operator's, unless it lies inside a
        // scanned repository (then the config there is that repository's) — or is a
        // scanned root the operator called untrusted.
        let inside = named
            .iter()
            .filter_map(|p| real(p))
            .filter(|r| here.starts_with(r))
            .max_by_key(|r| r.components().count());
        cwd_is_operators = match inside {
            None => true,
            Some(root) => root == here && !args.untrusted,
        };
        if cwd_is_operators {
            found(&cwd, &mut out, true);
        }
    }
    // Each named root's own config: applied only when trusted, checked always. A
    // `--repos-from` list's repositories are never read.
    for root in &named {
        if cwd_is_operators && real(root).as_ref() == Some(&here) {
            continue; // Already read, as the operator's.
        }
        found(root, &mut out, args.trust_repo_config);
    }
    Ok(out)
}

/// The policy in force: `--fail-on` when given, else the union of `[scan] fail_on`
/// of the configurations in force ([`Settings`]).
pub fn effective_policy(args: &ScanArgs, settings: &Settings) -> anyhow::Result<Vec<Policy>> {
    let mut out: Vec<Policy> = if args.fail_on.is_empty() {
        settings
            .configs
            .iter()
            .flat_map(|c| c.config.scan.fail_on.iter().copied())
            .collect()
    } else {
        args.fail_on.clone()
    };
    out.sort();
    out.dedup();
    if out.contains(&Policy::Unregistered)
        && super::config::registry_file(args.registry.as_deref(), &settings.configs)?.is_none()
    {
        anyhow::bail!(
            "the unregistered policy needs --registry FILE (the sanctioned registry of agents) \
             or [scan] registry in the operator's config"
        );
    }
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
    let settings = settings(args)?;
    let fail_on = effective_policy(args, &settings)?;
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
    // Read before scanning: a bad file is a usage error, not a wasted scan.
    let previous = args
        .previous
        .as_deref()
        .map(super::report::load)
        .transpose()?;
    let progress = Progress::new(global.quiet);
    let (inv, threads) = inventory_with(args, &settings, &progress)?;
    progress.finish();
    let opts = ReportOptions {
        color: match &args.output {
            Some(_) => false,
            None => global.color.enabled(super::stdout_is_terminal()),
        },
        verbose: global.verbose > 0,
        fail_on: fail_on.clone(),
        previous,
        width: super::table_width(args.wide, args.output.is_some()),
    };
    write_report(args, &inv, &opts)?;
    let failed = crate::inventory::policy::violations(&inv, &fail_on, known_units.as_ref());
    if !global.quiet {
        for v in &failed {
            super::say(&format!("aiscout: policy failed: {v}"));
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    if !global.quiet {
        for f in &inv.stats.faults {
            super::say(&format!("aiscout: fault: {}: {}", f.path, f.message));
        }
        // Exit 2 outranks exit 1: say that the policy failed too, so a fault never
        // hides a policy failure from whoever reads only the last line of a CI log.
        if !inv.stats.faults.is_empty() && !failed.is_empty() {
            super::say(&format!(
                "aiscout: exit 2: {} fault(s) while scanning, and the --fail-on policy failed \
                 too ({} violation(s) above)",
                inv.stats.faults.len(),
                failed.len()
            ));
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
        super::say(&format!(
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
        ));
    }
    if quiet {
        return;
    }
    if c.files_corrupt > 0 {
        super::say(&format!(
            "aiscout: warning: cache {}: {} corrupt cache files ignored and rebuilt",
            dir.display(),
            c.files_corrupt
        ));
    }
    for e in &c.write_errors {
        super::say(&format!("aiscout: warning: cache not written: {e}"));
    }
    if c.write_error_count > c.write_errors.len() as u64 {
        super::say(&format!(
            "aiscout: warning: cache: {} more writes failed",
            c.write_error_count - c.write_errors.len() as u64
        ));
    }
}

/// The scan `args` ask for under `settings`: flags, the fingerprint key, the baseline
/// and the status rule resolved into a [`ScanConfig`].
pub fn config(args: &ScanArgs, settings: &Settings) -> anyhow::Result<ScanConfig> {
    let fingerprint_key =
        super::config::fingerprint_key(args.fingerprint_key_file.as_deref(), &settings.configs)?;
    // Before the scan: a baseline made with another key would match nothing.
    let baseline = match &args.baseline {
        Some(file) => Some(super::config::load_baseline(file, &fingerprint_key)?),
        None => None,
    };
    // Before the scan: a bad registry is a usage error, not a wasted scan.
    let registry = match super::config::registry_file(args.registry.as_deref(), &settings.configs)?
    {
        Some((file, _)) => Some(super::config::load_registry(&file)?),
        None => None,
    };
    let mut paths = named_paths(args);
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
    if let Some(cache) = &args.cache {
        check_cache_outside(cache, &paths)?;
    }
    // The operator's rule; a trusted repository's only when the operator set none.
    let status = settings
        .configs
        .iter()
        .find_map(|c| c.config.status.clone())
        .unwrap_or_default();
    let read = if args.staged {
        ReadFrom::Staged
    } else if let Some(rev) = &args.git_ref {
        ReadFrom::Revision(rev.clone())
    } else {
        ReadFrom::WorkTree
    };
    let history = args.history.then(|| HistoryOptions {
        branches: args.branches.clone(),
        since: args.since.clone(),
    });
    let mut config = ScanConfig::new(paths);
    config.config_stores.clone_from(&args.config_stores);
    config.read = read;
    config.history = history;
    config.no_ignore = args.no_ignore;
    config.max_file_size = args.max_file_size;
    // 0 keeps the default (every core), as `rg -j0` does.
    if let Some(n) = args.threads.filter(|&n| n > 0) {
        config.threads = n;
    }
    config.shard = args.shard;
    config.rule_dirs.clone_from(&args.rules.rules);
    config.fingerprint_key = fingerprint_key;
    config.baseline = baseline;
    config.cache.clone_from(&args.cache);
    config.status = status;
    config.untrusted = settings.untrusted;
    config.registry = registry;
    config.exclude = crate::source::exclude::Excludes::new(&excludes(args, settings))?;
    anchor_from_env(&mut config)?;
    Ok(config)
}

/// What the environment says about the audit anchors: a pinned scan time
/// (`SOURCE_DATE_EPOCH`) and where the search for an enclosing work tree stops
/// (`GIT_CEILING_DIRECTORIES`), as git reads it.
pub fn anchor_from_env(config: &mut ScanConfig) -> anyhow::Result<()> {
    config.scanned_at = crate::model::time::source_date_epoch()?;
    if let Some(dirs) = std::env::var_os("GIT_CEILING_DIRECTORIES") {
        config.git_ceilings = std::env::split_paths(&dirs)
            .filter(|p| p.is_absolute())
            .collect();
    }
    Ok(())
}

/// The exclusions in force: each configuration's `[scan] exclude`, then `--exclude`.
pub fn excludes(args: &ScanArgs, settings: &Settings) -> Vec<String> {
    settings
        .configs
        .iter()
        .flat_map(|c| c.config.scan.exclude.iter().cloned())
        .chain(args.exclude.iter().cloned())
        .collect()
}

/// Scans as `args` ask and returns the inventory (and the thread count used), without
/// writing anything.
pub fn inventory(args: &ScanArgs) -> anyhow::Result<(Inventory, usize)> {
    inventory_with(args, &settings(args)?, &Progress::hidden())
}

/// [`inventory`] under `settings`, drawing `progress` as it goes; configs that could
/// not be used are faults of the inventory.
pub fn inventory_with(
    args: &ScanArgs,
    settings: &Settings,
    progress: &Progress,
) -> anyhow::Result<(Inventory, usize)> {
    let config = config(args, settings)?;
    let mut inv = crate::engine::scan_with(&config, progress)?;
    if !settings.faults.is_empty() {
        inv.stats.faults.extend(settings.faults.iter().cloned());
        inv.stats.finish();
    }
    Ok((inv, config.threads))
}

fn write_report(args: &ScanArgs, inv: &Inventory, opts: &ReportOptions) -> anyhow::Result<()> {
    super::report::write_to(args.format, inv, opts, args.output.as_deref())
}
