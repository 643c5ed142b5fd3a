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
