//! Keyed secret fingerprints (issue #8): where the key comes from, that reports name
//! it only by its id, and that inventories and baselines made with different keys are
//! never compared. Keys and key texts are generated per run.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::common::run_env;

fn run(args: &[&str], cwd: &Path) -> Output {
    run_env(args, cwd, &[])
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A random key text: 32 hex digits from the random hasher, different every run.
fn key_text() -> String {
    let k = common::fake_key();
    k[8..40].to_string()
}

/// A repository holding one generated key; returns (dir, key value).
fn repo_with_a_key(root: &Path, name: &str) -> (String, String) {
    let dir = root.join(name);
    fs::create_dir_all(&dir).unwrap();
    let key = common::fake_key();
    fs::write(
        dir.join("app.py"),
        format!("import openai\nK = \"{key}\"\n"),
    )
    .unwrap();
    (dir.to_str().unwrap().to_string(), key)
}

/// `scan DIR -f json EXTRA…`: the inventory, after asserting the exit code.
fn scan_json(dir: &str, cwd: &Path, extra: &[&str], env: &[(&str, &str)]) -> Value {
    let mut args = vec!["scan", dir, "-f", "json"];
    args.extend_from_slice(extra);
    let o = run_env(&args, cwd, env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn key_id(inv: &Value) -> &str {
    inv["scanner"]["fingerprint_key_id"].as_str().unwrap()
}

fn fingerprint(inv: &Value) -> &str {
    common::all_units(inv)[0]["secrets"][0]["fingerprint"]
        .as_str()
        .unwrap()
}

#[test]
fn issue_8_the_key_comes_from_flag_env_or_config_first_found_wins() {
    let t = tempfile::tempdir().unwrap();
    let (dir, _) = repo_with_a_key(t.path(), "r");
    let (k1, k2, k3, k4) = (key_text(), key_text(), key_text(), key_text());
    let f1 = t.path().join("k1");
    let f2 = t.path().join("k2");
    fs::write(&f1, format!("{k1}\n")).unwrap();
    fs::write(&f2, &k2).unwrap();
    // `[scan] fingerprint_key_file` of the operator's aiscout.toml (where the scan
    // starts, outside the scanned tree), relative to that file.
    fs::write(t.path().join("k4"), &k4).unwrap();
    let toml = t.path().join("aiscout.toml");
    let f1s = f1.to_str().unwrap();
    let f2s = f2.to_str().unwrap();

    let default = scan_json(&dir, t.path(), &[], &[]);
    assert_eq!(key_id(&default), "default");
    let flag = scan_json(&dir, t.path(), &["--fingerprint-key-file", f1s], &[]);
    let env_file = scan_json(
        &dir,
        t.path(),
        &[],
        &[("AISCOUT_FINGERPRINT_KEY_FILE", f1s)],
    );
    let env_key = scan_json(&dir, t.path(), &[], &[("AISCOUT_FINGERPRINT_KEY", &k1)]);
    // The same key by three routes (a trailing newline is not part of it).
    assert_eq!(key_id(&flag).len(), 8);
    assert_eq!(key_id(&flag), key_id(&env_file));
    assert_eq!(key_id(&flag), key_id(&env_key));
    assert_eq!(fingerprint(&flag), fingerprint(&env_key));
    assert_ne!(fingerprint(&flag), fingerprint(&default), "keyed differs");

    // Precedence: flag > key file variable > key variable > aiscout.toml > default.
    fs::write(&toml, "[scan]\nfingerprint_key_file = \"k4\"\n").unwrap();
    let from_toml = scan_json(&dir, t.path(), &[], &[]);
    assert_ne!(key_id(&from_toml), "default");
    let all = [
        ("AISCOUT_FINGERPRINT_KEY_FILE", f2s),
        ("AISCOUT_FINGERPRINT_KEY", k3.as_str()),
    ];
    let by_flag = scan_json(&dir, t.path(), &["--fingerprint-key-file", f1s], &all);
    assert_eq!(key_id(&by_flag), key_id(&flag));
    let by_env_file = scan_json(&dir, t.path(), &[], &all);
    let only_f2 = scan_json(&dir, t.path(), &["--fingerprint-key-file", f2s], &[]);
    assert_eq!(key_id(&by_env_file), key_id(&only_f2));
    let by_env_key = scan_json(&dir, t.path(), &[], &all[1..]);
    assert_ne!(key_id(&by_env_key), key_id(&from_toml));
    let ids = [
        key_id(&default),
        key_id(&flag),
        key_id(&only_f2),
        key_id(&by_env_key),
        key_id(&from_toml),
    ];
    for (i, a) in ids.iter().enumerate() {
        for b in &ids[i + 1..] {
            assert_ne!(a, b, "{ids:?}");
        }
    }
}

#[test]
fn issue_8_an_empty_short_or_unreadable_key_is_an_error_not_a_fallback() {
    let t = tempfile::tempdir().unwrap();
    let (dir, _) = repo_with_a_key(t.path(), "r");
    let empty = t.path().join("empty");
    fs::write(&empty, "\n").unwrap();
    let short = t.path().join("short");
    let short_text = "hunter2-pass";
    fs::write(&short, short_text).unwrap();
    let missing = t.path().join("missing");
    let e = empty.to_str().unwrap();
    /// (flags, environment, what the error says)
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (vec!["--fingerprint-key-file", e], vec![], "empty"),
        (
            vec!["--fingerprint-key-file", short.to_str().unwrap()],
            vec![],
            "at least 16",
        ),
        (
            vec!["--fingerprint-key-file", missing.to_str().unwrap()],
            vec![],
            "missing",
        ),
        (
            vec!["--fingerprint-key-file", t.path().to_str().unwrap()],
            vec![],
            "not a regular file",
        ),
        (vec![], vec![("AISCOUT_FINGERPRINT_KEY_FILE", e)], "empty"),
        // An unset CI secret expands to an empty variable.
        (vec![], vec![("AISCOUT_FINGERPRINT_KEY", "")], "empty"),
        (
            vec![],
            vec![("AISCOUT_FINGERPRINT_KEY", short_text)],
            "at least 16",
        ),
    ];
    for (extra, env, says) in cases {
        let mut args = vec!["scan", &dir, "-f", "json"];
        args.extend_from_slice(&extra);
        let o = run_env(&args, t.path(), &env);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{extra:?} {env:?}: {err}");
        assert!(o.stdout.is_empty(), "no report with the wrong key");
        assert!(err.contains(says), "{extra:?} {env:?}: {err}");
        assert!(!err.contains(short_text), "the key is never shown: {err}");
    }
    fs::write(
        t.path().join("aiscout.toml"),
        "[scan]\nfingerprint_key_file = \"nowhere\"\n",
    )
    .unwrap();
    let o = run(&["scan", &dir], t.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("aiscout.toml"), "{}", stderr(&o));
}

#[test]
fn issue_8_merge_refuses_shards_fingerprinted_with_different_keys() {
    let t = tempfile::tempdir().unwrap();
    let (a_dir, _) = repo_with_a_key(t.path(), "org/a");
    let (b_dir, _) = repo_with_a_key(t.path(), "org/b");
    let (ka, kb) = (t.path().join("ka"), t.path().join("kb"));
    fs::write(&ka, key_text()).unwrap();
    fs::write(&kb, key_text()).unwrap();
    let scan_to = |dir: &str, key: &Path, out: &str| {
        let out = t.path().join(out);
        let o = run(
            &[
                "scan",
                dir,
                "--fingerprint-key-file",
                key.to_str().unwrap(),
                "-f",
                "json",
                "-o",
                out.to_str().unwrap(),
            ],
            t.path(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        out.to_str().unwrap().to_string()
    };
    let a = scan_to(&a_dir, &ka, "a.json");
    let b_same = scan_to(&b_dir, &ka, "b-same.json");
    let b_other = scan_to(&b_dir, &kb, "b-other.json");
    let o = run(&["merge", &a, &b_same, "-o", "/dev/null"], t.path());
    assert_eq!(o.status.code(), Some(0), "one key merges: {}", stderr(&o));
    let o = run(&["merge", &a, &b_other, "-o", "/dev/null"], t.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("fingerprint key"), "{err}");
    let id = |p: &str| -> String {
        let v: Value = serde_json::from_str(&fs::read_to_string(p).unwrap()).unwrap();
        key_id(&v).to_string()
    };
    assert!(
        err.contains(&id(&a)) && err.contains(&id(&b_other)),
        "names both keys: {err}"
    );
    // `diff` compares secrets by fingerprint: refused too.
    let o = run(&["diff", &a, &b_other], t.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("fingerprint key"), "{}", stderr(&o));
}

#[test]
fn issue_8_a_baseline_made_with_another_key_is_an_error() {
    let t = tempfile::tempdir().unwrap();
    let (dir, key) = repo_with_a_key(t.path(), "r");
    let (ka, kb) = (t.path().join("ka"), t.path().join("kb"));
    fs::write(&ka, key_text()).unwrap();
    fs::write(&kb, key_text()).unwrap();
    let (ka, kb) = (ka.to_str().unwrap(), kb.to_str().unwrap());
    let base = t.path().join("baseline.json");
    let b = base.to_str().unwrap();
    let o = run(
        &[
            "baseline",
            "create",
            &dir,
            "--fingerprint-key-file",
            ka,
            "-o",
            b,
        ],
        t.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&fs::read_to_string(&base).unwrap()).unwrap();
    let id = v["fingerprint_key_id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 8);
    assert!(!fs::read_to_string(&base).unwrap().contains(&key[8..24]));
    // The same key: the finding is accepted.
    let scan = |key: Option<&str>, base: &str| {
        let mut args = vec!["scan", &dir, "--fail-on", "secret", "--baseline", base];
        if let Some(k) = key {
            args.extend(["--fingerprint-key-file", k]);
        }
        run(&args, t.path())
    };
    assert_eq!(scan(Some(ka), b).status.code(), Some(0));
    // Another key, or none: a clear error before any scanning.
    for other in [Some(kb), None] {
        let o = scan(other, b);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{other:?}: {err}");
        assert!(o.stdout.is_empty());
        assert!(
            err.contains("baseline made with fingerprint key") && err.contains(&id),
            "{err}"
        );
    }
    // A baseline without an id was made with the built-in key.
    let old = t.path().join("old.json");
    fs::write(
        &old,
        r#"{"aiscout_baseline": 1, "fingerprints": ["00000000000000000000000000000000"]}"#,
    )
    .unwrap();
    let old = old.to_str().unwrap();
    assert_eq!(
        scan(None, old).status.code(),
        Some(1),
        "loaded; key not in it"
    );
    let o = scan(Some(ka), old);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("key default"), "{}", stderr(&o));
}
