//! Helpers shared by the integration tests: run the CLI in-process or as a binary.

use std::path::Path;
use std::process::{Command, Output};

use aiscout::cli::{Cli, Command as Sub};
use aiscout::inventory::Inventory;
use clap::Parser;

/// Scans with the given command-line words (after `aiscout scan`), in-process.
pub fn scan(words: &[&str]) -> Inventory {
    let mut argv = vec!["aiscout", "scan"];
    argv.extend_from_slice(words);
    let cli = Cli::try_parse_from(argv).expect("valid arguments");
    let Sub::Scan(args) = cli.command else {
        unreachable!("parsed a scan command")
    };
    aiscout::cli::scan::inventory(&args).expect("scan runs").0
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

/// Runs the real binary (with no fingerprint key from the environment).
pub fn run(args: &[&str], cwd: &Path) -> Output {
    run_env(args, cwd, &[])
}

/// Runs the real binary with exactly `env` as its fingerprint-key environment.
pub fn run_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aiscout"));
    cmd.args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
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
