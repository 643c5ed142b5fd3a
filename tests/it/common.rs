//! Helpers shared by the integration tests: scan through the library, or run the
//! binary as a user would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use aiscout::engine::{ReadFrom, ScanConfig};
use aiscout::inventory::Inventory;
use aiscout::source::git::HistoryOptions;

/// A scan through the library (`aiscout::scan`), set up one option at a time.
pub struct Scan(pub ScanConfig);

impl Scan {
    /// A scan of `paths` with every default, at the fixed [`SCANNED_AT`] and under
    /// [`git_ceilings`], as [`run_env`] runs the binary.
    pub fn of(paths: &[&str]) -> Scan {
        let mut config = ScanConfig::new(paths.iter().map(PathBuf::from).collect());
        config.scanned_at = Some(SCANNED_AT.parse().expect("a number"));
        config.git_ceilings = git_ceilings();
        Scan(config)
    }

    /// On `n` threads.
    pub fn threads(mut self, n: usize) -> Scan {
        self.0.threads = n;
        self
    }

    /// With a cache directory.
    pub fn cache(mut self, dir: &str) -> Scan {
        self.0.cache = Some(PathBuf::from(dir));
        self
    }

    /// With a rule pack added.
    pub fn rules(mut self, dir: &str) -> Scan {
        self.0.rule_dirs.push(PathBuf::from(dir));
        self
    }

    /// Also every unique blob of the history of every ref.
    pub fn history(mut self) -> Scan {
        self.0.history = Some(HistoryOptions::default());
        self
    }

    /// With `--history`, only this branch.
    pub fn branch(mut self, rev: &str) -> Scan {
        let h = self.0.history.get_or_insert_with(HistoryOptions::default);
        h.branches.push(rev.to_string());
        self
    }

    /// With `--history`, not what is reachable from `rev`.
    pub fn since(mut self, rev: &str) -> Scan {
        let h = self.0.history.get_or_insert_with(HistoryOptions::default);
        h.since = Some(rev.to_string());
        self
    }

    /// Only what the next commit would contain.
    pub fn staged(mut self) -> Scan {
        self.0.read = ReadFrom::Staged;
        self
    }

    /// Also files that ignore files exclude.
    pub fn no_ignore(mut self) -> Scan {
        self.0.no_ignore = true;
        self
    }

    /// Skip files larger than `bytes`.
    pub fn max_file_size(mut self, bytes: u64) -> Scan {
        self.0.max_file_size = bytes;
        self
    }

    /// Also a config-store export.
    pub fn config_store(mut self, file: &str) -> Scan {
        self.0.config_stores.push(PathBuf::from(file));
        self
    }

    /// Findings with these fingerprints are accepted.
    pub fn baseline(mut self, fingerprints: impl IntoIterator<Item = String>) -> Scan {
        self.0.baseline = Some(fingerprints.into_iter().collect());
        self
    }

    /// Reconciled with the registry file at `file`.
    pub fn registry(mut self, file: &str) -> Scan {
        let text = std::fs::read_to_string(file).expect("registry file");
        self.0.registry =
            Some(aiscout::inventory::Registry::parse(file, &text).expect("a valid registry"));
        self
    }

    /// Runs it.
    pub fn run(&self) -> Inventory {
        aiscout::scan(&self.0).expect("scan runs")
    }
}

/// A scan of `paths` with every default.
pub fn scan(paths: &[&str]) -> Inventory {
    Scan::of(paths).run()
}

/// The inventory as the JSON reporter writes it.
pub fn json(inv: &Inventory) -> String {
    let mut buf = Vec::new();
    aiscout::report::write(
        aiscout::report::Format::Json,
        inv,
        &aiscout::report::ReportOptions::default(),
        &mut buf,
    )
    .unwrap();
    String::from_utf8(buf).unwrap()
}

/// The scan time every test pins (`SOURCE_DATE_EPOCH`), so expected outputs stay
/// stable: 2025-12-06T14:03:11Z.
pub const SCANNED_AT: &str = "1765029791";

/// [`SCANNED_AT`] as inventories write it.
pub const SCANNED_AT_ISO: &str = "2025-12-06T14:03:11Z";

/// Where the search for a work tree around a scanned folder stops: this crate's own
/// checkout (the fixtures in test-repos/ lie inside it, and so may the whole build)
/// and the temp directory, so no test ever sees the checkout as its repository.
pub fn git_ceilings() -> Vec<PathBuf> {
    vec![
        PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        std::env::temp_dir(),
    ]
}

/// Runs the real binary (with no fingerprint key from the environment).
pub fn run(args: &[&str], cwd: &Path) -> Output {
    run_env(args, cwd, &[])
}

/// Runs the real binary with exactly `env` as its fingerprint-key environment, at the
/// fixed [`SCANNED_AT`] and under [`git_ceilings`] unless `env` sets them, and with no
/// `COLUMNS` unless `env` sets it (a table fitted to the developer's terminal would make
/// every table test depend on it).
pub fn run_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aiscout"));
    let ceilings = std::env::join_paths(git_ceilings()).expect("paths without separators");
    cmd.args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", SCANNED_AT)
        .env("GIT_CEILING_DIRECTORIES", ceilings)
        .env_remove("COLUMNS")
        .env_remove("AISCOUT_FINGERPRINT_KEY")
        .env_remove("AISCOUT_FINGERPRINT_KEY_FILE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("binary runs")
}

/// The binary, copied once to a world-readable temp location, so that it can be run as
/// an unprivileged user even when the build tree is not readable by that user (CI may
/// build under a private home directory).
pub fn unprivileged_bin() -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    static BIN: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("aiscout-unpriv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let dest = dir.join("aiscout");
        std::fs::copy(env!("CARGO_BIN_EXE_aiscout"), &dest).unwrap();
        std::fs::set_permissions(&dest, std::fs::Permissions::from_mode(0o755)).unwrap();
        dest
    })
    .clone()
}

/// A random OpenAI-project-shaped key (the shape only; never a real key), made per
/// run so no key-shaped literal lives in the test sources.
pub fn fake_key() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    // No vowels and no x: a random body must never spell a placeholder word
    // (`fake`, `your`, `xxxx`…), which the secret filter rightly drops.
    const ALPHA: &[u8] = b"BCDFGHJKLMNPQRSTVWYZbcdfghjklmnpqrstvwyz0123456789";
    let mut body = String::new();
    let mut h = RandomState::new().build_hasher();
    for i in 0..148u64 {
        h.write_u64(i);
        body.push(ALPHA[(h.finish() % ALPHA.len() as u64) as usize] as char);
    }
    format!("sk-proj-{}T3BlbkFJ{}", &body[..74], &body[74..])
}

pub fn sig(t: i64) -> git2::Signature<'static> {
    git2::Signature::new("Dev", "dev@example.com", &git2::Time::new(t, 0)).unwrap()
}

/// Writes `files` into the work tree, stages exactly them, and commits on HEAD.
pub fn commit(
    repo: &git2::Repository,
    files: &[(&str, Option<&str>)],
    msg: &str,
    t: i64,
) -> git2::Oid {
    let root = repo.workdir().unwrap();
    let mut index = repo.index().unwrap();
    for (path, content) in files {
        match content {
            Some(c) => {
                let p = root.join(path);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, c).unwrap();
                index.add_path(std::path::Path::new(path)).unwrap();
            }
            None => {
                let _ = std::fs::remove_file(root.join(path));
                index.remove_path(std::path::Path::new(path)).unwrap();
            }
        }
    }
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let parents: Vec<git2::Commit> = repo
        .head()
        .ok()
        .and_then(|h| h.peel_to_commit().ok())
        .into_iter()
        .collect();
    let refs: Vec<&git2::Commit> = parents.iter().collect();
    repo.commit(Some("HEAD"), &sig(t), &sig(t), msg, &tree, &refs)
        .unwrap()
}

/// A bare clone of the repository at `work` at `dest` (a mirror, as `git clone --mirror`
/// leaves it for a scan).
pub fn mirror(work: &Path, dest: &Path) -> git2::Repository {
    git2::build::RepoBuilder::new()
        .bare(true)
        .clone(work.to_str().unwrap(), dest)
        .unwrap()
}

/// Every unit of an inventory's JSON: agent units, then directories that are not agents
/// (a key with no agent around it is one of those).
pub fn all_units(v: &serde_json::Value) -> Vec<&serde_json::Value> {
    ["units", "not_agents"]
        .iter()
        .flat_map(|k| v[*k].as_array().into_iter().flatten())
        .collect()
}
