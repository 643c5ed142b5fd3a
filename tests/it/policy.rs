//! Issue 14, items 7 and 8: the operator sets policy, not the scanned repository; and
//! a repository's identity never merges two checkouts into one. Every tree is built in
//! a temp dir and scanned by the real binary; keys are generated per run.

use crate::common;

use std::fs;
use std::path::Path;

use serde_json::Value;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

/// A git work tree at `dir` whose `origin` is `remote`, holding `files`.
fn checkout(dir: &Path, remote: &str, files: &[(&str, &str)]) {
    let r = git2::Repository::init(dir).unwrap();
    r.remote("origin", remote).unwrap();
    for (rel, text) in files {
        write(dir, rel, text);
    }
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn unit_ids(v: &Value) -> Vec<String> {
    common::all_units(v)
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect()
}

fn fingerprints(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = common::all_units(v)
        .iter()
        .flat_map(|u| u["secrets"].as_array().unwrap().iter())
        .map(|s| s["fingerprint"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

// ---------------------------------------------------------------------------------
// Item 8: identity

/// Issue 14, item 8: two clones of one remote (here with a different key each) are
/// two repositories: distinct unit ids, both keys reported.
#[test]
fn issue_14_two_checkouts_of_one_remote_stay_distinct() {
    let t = tempfile::tempdir().unwrap();
    let remote = "https://github.com/acme/bot.git";
    let (k1, k2) = (common::fake_key(), common::fake_key());
    checkout(
        &t.path().join("org/bot"),
        remote,
        &[(
            "app.py",
            &format!("import openai\nOPENAI_API_KEY = \"{k1}\"\n"),
        )],
    );
    checkout(
        &t.path().join("org/bot-fork"),
        remote,
        &[(
            "app.py",
            &format!("import openai\nOPENAI_API_KEY = \"{k2}\"\n"),
        )],
    );
    let out = common::run(&["scan", "org", "-f", "json"], t.path());
    let v = json_of(&out);
    let ids = unit_ids(&v);
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_ne!(ids[0], ids[1]);
    assert_eq!(fingerprints(&v).len(), 2);
}

/// Issue 14, item 8: inventories of separate scans of two clones of one remote merge
/// into both units (as one scan of both gives them), never the first one only.
#[test]
fn issue_14_merge_keeps_both_checkouts_of_one_remote() {
    let t = tempfile::tempdir().unwrap();
    let remote = "https://github.com/acme/bot.git";
    let (k1, k2) = (common::fake_key(), common::fake_key());
    checkout(
        &t.path().join("a/bot"),
        remote,
        &[(
            "app.py",
            &format!("import openai\nOPENAI_API_KEY = \"{k1}\"\n"),
        )],
    );
    checkout(
        &t.path().join("b/bot"),
        remote,
        &[(
            "app.py",
            &format!("import openai\nOPENAI_API_KEY = \"{k2}\"\n"),
        )],
    );
    for (dir, out) in [("a/bot", "one.json"), ("b/bot", "two.json")] {
        let o = common::run(&["scan", dir, "-f", "json", "-o", out], t.path());
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let merged = common::run(&["merge", "one.json", "two.json", "-o", "m.json"], t.path());
    assert_eq!(
        merged.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&merged.stderr)
    );
    let v: Value = serde_json::from_slice(&fs::read(t.path().join("m.json")).unwrap()).unwrap();
    let mut ids = unit_ids(&v);
    ids.dedup();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_eq!(fingerprints(&v).len(), 2, "a key was dropped");
    // The same ids as one scan of both checkouts.
    let whole = json_of(&common::run(
        &["scan", "a/bot", "b/bot", "-f", "json"],
        t.path(),
    ));
    let mut whole_ids = unit_ids(&whole);
    whole_ids.sort();
    ids.sort();
    assert_eq!(ids, whole_ids);
}

/// Issue 14, item 8: one repository scanned twice with different content cannot be
/// merged without losing one of the two: merge says so and writes nothing.
#[test]
fn issue_14_merge_refuses_two_different_units_under_one_id() {
    let t = tempfile::tempdir().unwrap();
    checkout(
        &t.path().join("bot"),
        "https://github.com/acme/bot.git",
        &[("app.py", "import openai\n")],
    );
    let o = common::run(&["scan", "bot", "-f", "json", "-o", "one.json"], t.path());
    assert_eq!(o.status.code(), Some(0));
    write(
        &t.path().join("bot"),
        "app.py",
        &format!(
            "import openai\nOPENAI_API_KEY = \"{}\"\n",
            common::fake_key()
        ),
    );
    let o = common::run(&["scan", "bot", "-f", "json", "-o", "two.json"], t.path());
    assert_eq!(o.status.code(), Some(0));
    let merged = common::run(&["merge", "one.json", "two.json", "-o", "m.json"], t.path());
    assert_eq!(merged.status.code(), Some(2));
    assert!(!t.path().join("m.json").exists());
    let err = String::from_utf8_lossy(&merged.stderr);
    assert!(err.contains("different content"), "{err}");
    // The same inventory twice loses nothing: it merges.
    let same = common::run(&["merge", "one.json", "one.json", "-o", "m.json"], t.path());
    assert_eq!(same.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&fs::read(t.path().join("m.json")).unwrap()).unwrap();
    assert_eq!(unit_ids(&v).len(), 1);
}

// ---------------------------------------------------------------------------------
// Item 7: the operator sets policy, not the scanned repository

/// A repository's own config that would loosen everything it can: no policy, a status
/// rule under which every unit is governed, its own fingerprint key.
fn loosening_config(repo: &Path) {
    write(repo.parent().unwrap(), "repo-key", &"k".repeat(40));
    write(
        repo,
        "aiscout.toml",
        "[scan]\nfail_on = []\nfingerprint_key_file = \"../repo-key\"\n\n\
         [status]\ngoverned = []\nshadow = []\n",
    );
}

fn code(out: &std::process::Output) -> Option<i32> {
    out.status.code()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Issue 14, item 7: `[status] governed = []` in a scanned repository's aiscout.toml
/// made `--fail-on shadow` pass, and its `[scan]` chose the fingerprint key. Scanned
/// from elsewhere, its config is not read; only `--trust-repo-config` applies it.
#[test]
fn issue_14_a_repository_config_never_loosens_the_operators_policy() {
    let t = tempfile::tempdir().unwrap();
    let repo = t.path().join("repo");
    write(&repo, "app.py", "import openai\n");
    loosening_config(&repo);
    let out = common::run(
        &["scan", "repo", "--fail-on", "shadow", "-f", "json"],
        t.path(),
    );
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    let v = json_of(&out);
    assert_eq!(v["units"][0]["status"], "shadow");
    assert_eq!(v["scanner"]["fingerprint_key_id"], "default");
    // The operator's policy, where the scan starts, is not the repository's to undo.
    write(t.path(), "aiscout.toml", "[scan]\nfail_on = [\"shadow\"]\n");
    let out = common::run(&["scan", "repo", "-q"], t.path());
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    // The same operator's config named with --config, from anywhere.
    fs::rename(t.path().join("aiscout.toml"), t.path().join("ops.toml")).unwrap();
    let out = common::run(&["scan", "repo", "-q", "--config", "ops.toml"], t.path());
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    // A team scanning its own repository opts in.
    let out = common::run(
        &[
            "scan",
            "repo",
            "--trust-repo-config",
            "--fail-on",
            "shadow",
            "-f",
            "json",
        ],
        t.path(),
    );
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let v = json_of(&out);
    assert_eq!(v["units"][0]["status"], "governed");
    assert_ne!(v["scanner"]["fingerprint_key_id"], "default");
}

/// Issue 14, item 7: with `--repos-from`, the first listed repository's config
/// governed the whole organisation's scan. A listed repository's config is never
/// read, not even with `--trust-repo-config`.
#[test]
fn issue_14_repos_from_never_reads_a_listed_repositorys_config() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = (t.path().join("org/a"), t.path().join("org/b"));
    write(&a, "app.py", "import openai\n");
    write(&b, "app.py", "import anthropic\n");
    loosening_config(&a);
    write(t.path(), "list.txt", "org/a\norg/b\n");
    for extra in [None, Some("--trust-repo-config")] {
        let mut args = vec!["scan", "--repos-from", "list.txt", "--fail-on", "shadow"];
        args.extend(["-f", "json"]);
        args.extend(extra);
        let out = common::run(&args, t.path());
        assert_eq!(code(&out), Some(1), "{extra:?}: {}", stderr(&out));
        let v = json_of(&out);
        let units = common::all_units(&v);
        assert_eq!(units.len(), 2);
        assert!(units.iter().all(|u| u["status"] == "shadow"), "{extra:?}");
        assert_eq!(v["scanner"]["fingerprint_key_id"], "default");
    }
}

/// Issue 14, item 7: an invalid `aiscout.toml` (or the documented root
/// `.aiscout.toml` declaration, `owner = …`) stopped the scan with no report. A
/// declaration is valid; a broken config is a named fault (exit 2) after a report
/// made under the operator's settings.
#[test]
fn issue_14_a_broken_repository_config_is_a_fault_and_the_scan_goes_on() {
    let t = tempfile::tempdir().unwrap();
    let repo = t.path().join("repo");
    write(&repo, "app.py", "import openai\n");
    write(&repo, "aiscout.toml", "[scan]\nfail_on = [\"nonsense\"\n");
    // Scanned where it stands (its config taken as the operator's), from elsewhere
    // with its config trusted, and from elsewhere untrusted (ignored, but said).
    for (cwd, args) in [
        (repo.clone(), vec!["scan", ".", "-f", "json"]),
        (
            t.path().to_path_buf(),
            vec!["scan", "repo", "--trust-repo-config", "-f", "json"],
        ),
        (t.path().to_path_buf(), vec!["scan", "repo", "-f", "json"]),
        (
            t.path().to_path_buf(),
            vec!["scan", "repo", "--untrusted", "-f", "json"],
        ),
    ] {
        let out = common::run(&args, &cwd);
        assert_eq!(code(&out), Some(2), "{args:?}: {}", stderr(&out));
        let v = json_of(&out);
        assert_eq!(common::all_units(&v).len(), 1, "the scan went on");
        let faults = v["stats"]["faults"].as_array().unwrap();
        assert_eq!(faults.len(), 1, "{faults:?}");
        assert!(faults[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("aiscout.toml"));
        assert!(
            stderr(&out).contains("invalid aiscout config"),
            "{}",
            stderr(&out)
        );
    }
    // The documented declaration is no error, and it names the owner.
    fs::remove_file(repo.join("aiscout.toml")).unwrap();
    write(&repo, ".aiscout.toml", "owner = \"@acme/bots\"\n");
    let out = common::run(&["scan", ".", "-f", "json"], &repo);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert_eq!(json_of(&out)["units"][0]["owner"]["value"], "@acme/bots");
}

/// Issue 14, item 7: in a scan of untrusted repositories (`--untrusted`, and by
/// default an organisation folder or a bare mirror) an inline `aiscout:allow` hides
/// nothing, and an owner the repository only declares itself is marked so.
#[test]
fn issue_14_untrusted_ignores_inline_allow_and_marks_self_declared_owners() {
    let t = tempfile::tempdir().unwrap();
    let work = t.path().join("org/bot");
    let r = git2::Repository::init(&work).unwrap();
    let key = common::fake_key();
    let app = format!("import openai\nOPENAI_API_KEY = \"{key}\"  # aiscout:allow\n");
    common::commit(
        &r,
        &[
            ("app.py", Some(app.as_str())),
            ("aiscout.yaml", Some("owner: \"@acme/bots\"\n")),
            // Monitoring only an example env file mentions: declared, not seen.
            (
                ".env.example",
                Some("LANGFUSE_HOST=https://cloud.langfuse.com\n"),
            ),
        ],
        "init",
        1_700_000_000,
    );
    let scan = |args: &[&str]| {
        let out = common::run(args, t.path());
        assert_eq!(code(&out), Some(0), "{args:?}: {}", stderr(&out));
        json_of(&out)
    };
    // The repository alone, as its own team scans it: the suppression holds.
    let trusted = scan(&["scan", "org/bot", "-f", "json"]);
    assert_eq!(fingerprints(&trusted).len(), 0);
    assert_eq!(trusted["stats"]["suppressed"], 1);
    let owner = &trusted["units"][0]["owner"];
    assert_eq!(owner["value"], "@acme/bots");
    assert!(owner.get("self_declared").is_none(), "{owner}");
    let monitoring = &trusted["units"][0]["monitoring"];
    assert_eq!(
        monitoring["kinds"],
        serde_json::json!(["declared"]),
        "{monitoring}"
    );
    assert!(monitoring.get("self_declared").is_none(), "{monitoring}");
    let mirror = t.path().join("mirrors/bot.git");
    common::mirror(&work, &mirror);
    for args in [
        vec!["scan", "org/bot", "--untrusted", "-f", "json"],
        vec!["scan", "org", "-f", "json"],
        vec!["scan", "mirrors/bot.git", "-f", "json"],
        vec!["scan", "mirrors", "-f", "json"],
    ] {
        let v = scan(&args);
        assert_eq!(fingerprints(&v).len(), 1, "{args:?}: the key was hidden");
        let owner = &v["units"][0]["owner"];
        assert_eq!(owner["value"], "@acme/bots", "{args:?}");
        assert_eq!(owner["self_declared"], true, "{args:?}");
        let monitoring = &v["units"][0]["monitoring"];
        assert_eq!(monitoring["self_declared"], true, "{args:?}: {monitoring}");
    }
    // The team's opt-in trusts its repository again, in a folder too.
    let v = scan(&["scan", "org", "--trust-repo-config", "-f", "json"]);
    assert_eq!(fingerprints(&v).len(), 0);
}

/// Issue 14, item 7: the config where the scan starts is the operator's — including a
/// repository's own when the scan starts in it (`aiscout scan .`) — unless the
/// operator says the scanned tree is untrusted.
#[test]
fn issue_14_the_config_where_the_scan_starts_is_the_operators_unless_untrusted() {
    let t = tempfile::tempdir().unwrap();
    let repo = t.path().join("repo");
    write(&repo, "app.py", "import openai\n");
    loosening_config(&repo);
    let out = common::run(&["scan", ".", "--fail-on", "shadow", "-q"], &repo);
    assert_eq!(code(&out), Some(0), "its own team's scan: {}", stderr(&out));
    let out = common::run(
        &["scan", ".", "--untrusted", "--fail-on", "shadow", "-q"],
        &repo,
    );
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    // Started inside a scanned tree (not at its root), the config there is the
    // repository's.
    let out = common::run(&["scan", "..", "--fail-on", "shadow", "-q"], &repo);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
}
