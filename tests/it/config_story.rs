//! One config story (issue #16, item 4): path excludes from `--exclude` and the
//! operator's `[scan] exclude`, in work trees, refs and staged changes, counted as
//! skips; a scanned repository's own excludes never hide its files; `config show`
//! names every setting's source; an owner declaration never fails a scan.

use std::fs;
use std::path::Path;

use git2::Repository;
use serde_json::Value;

use crate::common::{self, commit, fake_key};

fn json(args: &[&str], cwd: &Path) -> Value {
    let out = common::run_env(args, cwd, &[]);
    assert!(
        out.status.code() == Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The paths of every reported key, sorted.
fn key_paths(v: &Value) -> Vec<String> {
    let mut paths: Vec<String> = common::all_units(v)
        .iter()
        .flat_map(|u| u["secrets"].as_array().unwrap().iter())
        .map(|s| s["path"].as_str().unwrap().to_string())
        .collect();
    paths.sort();
    paths
}

fn excluded(v: &Value) -> u64 {
    v["stats"]["skipped"]["excluded"].as_u64().unwrap_or(0)
}

/// A repository with a key at the root, one under `vendor/` and one in a `.py` file
/// deeper down, all committed.
fn repo_with_keys() -> (tempfile::TempDir, Repository) {
    let t = tempfile::tempdir().unwrap();
    let repo = Repository::init(t.path()).unwrap();
    let files = [
        ("app.js", format!("const k = \"{}\";\n", fake_key())),
        (
            "vendor/lib/k.js",
            format!("const k = \"{}\";\n", fake_key()),
        ),
        ("svc/deep/k.py", format!("K = \"{}\"\n", fake_key())),
    ];
    let files: Vec<(&str, Option<&str>)> =
        files.iter().map(|(p, c)| (*p, Some(c.as_str()))).collect();
    commit(&repo, &files, "init", 1_700_000_000);
    (t, repo)
}

#[test]
fn exclude_flags_hide_paths_in_the_work_tree_and_count_them() {
    let (t, _repo) = repo_with_keys();
    let root = t.path().to_str().unwrap();
    let all = json(&["scan", root, "-f", "json"], t.path());
    assert_eq!(
        key_paths(&all),
        ["app.js", "svc/deep/k.py", "vendor/lib/k.js"]
    );
    assert_eq!(excluded(&all), 0);

    let some = json(
        &[
            "scan",
            root,
            "-f",
            "json",
            "--exclude",
            "vendor/",
            "--exclude",
            "*.py",
        ],
        t.path(),
    );
    assert_eq!(key_paths(&some), ["app.js"]);
    // The pruned directory counts once, the file once.
    assert_eq!(excluded(&some), 2, "{}", some["stats"]);

    // A negation re-includes what an earlier pattern excluded, as in .gitignore.
    let back = json(
        &[
            "scan",
            root,
            "-f",
            "json",
            "--exclude",
            "*.py",
            "--exclude",
            "!svc/**",
        ],
        t.path(),
    );
    assert_eq!(
        key_paths(&back),
        ["app.js", "svc/deep/k.py", "vendor/lib/k.js"]
    );
}

#[test]
fn excludes_apply_to_refs_and_staged_changes() {
    let (t, repo) = repo_with_keys();
    let root = t.path().to_str().unwrap();
    let at_ref = json(
        &[
            "scan",
            root,
            "--ref",
            "HEAD",
            "-f",
            "json",
            "--exclude",
            "vendor/",
        ],
        t.path(),
    );
    assert_eq!(key_paths(&at_ref), ["app.js", "svc/deep/k.py"]);
    assert!(excluded(&at_ref) >= 1, "{}", at_ref["stats"]);

    // Staged: a new key in an excluded path is not reported, one elsewhere is.
    fs::write(
        t.path().join("vendor/lib/new.js"),
        format!("const k = \"{}\";\n", fake_key()),
    )
    .unwrap();
    fs::write(
        t.path().join("new.js"),
        format!("const k = \"{}\";\n", fake_key()),
    )
    .unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("vendor/lib/new.js")).unwrap();
    index.add_path(Path::new("new.js")).unwrap();
    index.write().unwrap();
    let staged = json(
        &[
            "scan",
            root,
            "--staged",
            "-f",
            "json",
            "--exclude",
            "vendor/",
        ],
        t.path(),
    );
    assert_eq!(key_paths(&staged), ["new.js"]);
    assert_eq!(excluded(&staged), 1, "{}", staged["stats"]);
}

/// The operator's `aiscout.toml` (`--config`, or where the scan starts) excludes; a
/// scanned repository's own `[scan] exclude` does not, or a repository could hide its
/// keys from the org scan — unless the operator trusts it.
#[test]
fn only_the_operators_config_excludes() {
    let (t, _repo) = repo_with_keys();
    let repo_root = t.path().to_str().unwrap();
    let operator = tempfile::tempdir().unwrap();
    let cfg = operator.path().join("ops.toml");
    fs::write(&cfg, "[scan]\nexclude = [\"vendor/\"]\n").unwrap();
    let v = json(
        &[
            "scan",
            repo_root,
            "-f",
            "json",
            "--config",
            cfg.to_str().unwrap(),
        ],
        operator.path(),
    );
    assert_eq!(key_paths(&v), ["app.js", "svc/deep/k.py"]);

    // The repository's own config, scanned from elsewhere: not read.
    fs::write(t.path().join("aiscout.toml"), "[scan]\nexclude = [\"*\"]\n").unwrap();
    let v = json(&["scan", repo_root, "-f", "json"], operator.path());
    assert_eq!(
        key_paths(&v),
        ["app.js", "svc/deep/k.py", "vendor/lib/k.js"]
    );
    assert_eq!(excluded(&v), 0);
    // Trusted: it applies.
    let v = json(
        &["scan", repo_root, "-f", "json", "--trust-repo-config"],
        operator.path(),
    );
    assert_eq!(key_paths(&v), Vec::<String>::new());
    assert!(excluded(&v) >= 1);
}

/// A folder inside a work tree is scanned as part of its repository: excludes match
/// its paths from the repository's root (as the report shows them) or from the folder.
#[test]
fn excludes_in_a_subfolder_scan_match_paths_from_the_repository_root() {
    let (t, _repo) = repo_with_keys();
    let v = json(
        &["scan", "svc", "-f", "json", "--exclude", "/svc/deep/"],
        t.path(),
    );
    assert_eq!(key_paths(&v), Vec::<String>::new());
    assert_eq!(excluded(&v), 1, "{}", v["stats"]);
    let v = json(
        &["scan", "svc", "-f", "json", "--exclude", "/deep/"],
        t.path(),
    );
    assert_eq!(key_paths(&v), Vec::<String>::new());
    let v = json(
        &["scan", "svc", "-f", "json", "--exclude", "/vendor/"],
        t.path(),
    );
    assert_eq!(key_paths(&v), ["svc/deep/k.py"]);
}

#[test]
fn a_bad_exclude_pattern_is_a_usage_error_naming_it() {
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("app.py"), "import openai\n").unwrap();
    let out = common::run_env(
        &["scan", t.path().to_str().unwrap(), "--exclude", "src/{a"],
        t.path(),
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("exclude pattern `src/{a`"), "{stderr}");
    assert!(out.stdout.is_empty());
}

/// `config show` prints each effective setting with its source, and changes with the
/// flags and files that set it.
#[test]
fn config_show_names_each_settings_source() {
    let t = tempfile::tempdir().unwrap();
    let keyfile = t.path().join("fp.key");
    fs::write(&keyfile, "0123456789abcdef0123456789abcdef\n").unwrap();
    fs::write(
        t.path().join("aiscout.toml"),
        "[scan]\nfail_on = [\"secret\"]\nexclude = [\"vendor/\"]\n\
         [status]\ngoverned = [\"owner\", \"monitoring\"]\n",
    )
    .unwrap();
    let line = |text: &str, name: &str| -> String {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no {name} line in\n{text}"))
            .to_string()
    };
    let show = |args: &[&str]| -> String {
        let mut all = vec!["config", "show", "."];
        all.extend_from_slice(args);
        let out = common::run_env(&all, t.path(), &[]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };

    let text = show(&[]);
    assert!(line(&text, "config").contains("aiscout.toml"), "{text}");
    let fail_on = line(&text, "fail_on");
    assert!(
        fail_on.contains("secret") && fail_on.contains("[scan] fail_on of"),
        "{fail_on}"
    );
    let status = line(&text, "status");
    assert!(
        status.contains("governed = all of [owner, monitoring]") && status.contains("[status] of"),
        "{status}"
    );
    let exclude = line(&text, "exclude");
    assert!(
        exclude.contains("vendor/") && exclude.contains("[scan] exclude of"),
        "{exclude}"
    );
    assert!(
        line(&text, "fingerprint_key").contains("built-in"),
        "{text}"
    );

    let text = show(&[
        "--fail-on",
        "shadow",
        "--exclude",
        "*.ipynb",
        "--fingerprint-key-file",
        keyfile.to_str().unwrap(),
    ]);
    let fail_on = line(&text, "fail_on");
    assert!(
        fail_on.contains("shadow") && fail_on.contains("(--fail-on)"),
        "{fail_on}"
    );
    // Excludes add up: the config's, then the flag's, each with its source.
    assert!(
        text.contains("vendor/") && text.contains("*.ipynb"),
        "{text}"
    );
    assert!(text.contains("(--exclude)"), "{text}");
    let fp = line(&text, "fingerprint_key");
    assert!(!fp.contains("built-in") && fp.contains("fp.key"), "{fp}");
    assert!(!text.contains("0123456789abcdef0123456789abcdef"), "{text}");
}

/// The documented owner declaration is the repository's word; a broken one names
/// nobody and never fails the scan (exit 0, a report written).
#[test]
fn an_owner_declaration_never_fails_a_scan() {
    for (name, body, owner) in [
        (
            "aiscout.yaml",
            "owner: \"@acme/bots\"\n",
            Some("@acme/bots"),
        ),
        (
            "svc/aiscout.yaml",
            "name: x\nowner: team-x\n",
            Some("team-x"),
        ),
        ("aiscout.yaml", "owner: [unclosed\n\t: :\n", None),
        ("aiscout.yaml", "\u{feff}owner:\n  - @a\n", None),
        ("aiscout.yaml", "\u{0}\u{1}owner", None),
    ] {
        let t = tempfile::tempdir().unwrap();
        let dir = Path::new(name).parent().unwrap();
        fs::create_dir_all(t.path().join(dir)).unwrap();
        fs::write(t.path().join(dir).join("app.py"), "import openai\n").unwrap();
        fs::write(t.path().join(name), body).unwrap();
        let v = json(
            &["scan", t.path().to_str().unwrap(), "-f", "json"],
            t.path(),
        );
        let units = v["units"].as_array().unwrap();
        assert_eq!(units.len(), 1, "{name}: {body:?}");
        assert_eq!(
            units[0]["owner"]["value"].as_str(),
            owner,
            "{name}: {body:?}"
        );
        assert_eq!(v["stats"]["faults"].as_array().unwrap().len(), 0);
    }
}
