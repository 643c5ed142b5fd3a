//! Git sources: `--staged`, `--history`, bare repositories, the pre-commit hook and
//! baselines (issue #4). Every repository is built here in a temp dir with git2; no
//! nested `.git` is committed, and no key-shaped literal lives in this file: keys are
//! generated per run.

use crate::common;

use std::fs;
use std::path::Path;

use git2::Repository;

use crate::common::{commit, fake_key, sig, Scan};

fn secrets(inv: &aiscout::inventory::Inventory) -> Vec<&aiscout::model::Evidence> {
    inv.all_units()
        .flat_map(|u| &u.evidence)
        .filter(|e| e.kind == aiscout::model::Kind::Secret)
        .collect()
}

#[test]
fn a_key_added_then_removed_is_found_only_with_history() {
    let t = tempfile::tempdir().unwrap();
    let repo = Repository::init(t.path()).unwrap();
    let key = fake_key();
    commit(
        &repo,
        &[("app.py", Some("import openai\n"))],
        "init",
        1_700_000_000,
    );
    let added = commit(
        &repo,
        &[("config.py", Some(&format!("KEY = \"{key}\"\n")))],
        "add key",
        1_700_086_400,
    );
    commit(&repo, &[("config.py", None)], "remove key", 1_700_172_800);
    let dir = t.path().to_str().unwrap();
    assert!(secrets(&common::scan(&[dir])).is_empty());
    let inv = Scan::of(&[dir]).history().run();
    let s = secrets(&inv);
    assert_eq!(s.len(), 1, "{s:#?}");
    let h = s[0].history.as_ref().expect("history info");
    assert_eq!(h.commit, added.to_string());
    assert_eq!(h.path, "config.py");
    assert_eq!(h.date, "2023-11-15");
    assert!(!h.at_head);
    assert!(!common::json(&inv).contains(&key[10..40]));
}

#[test]
fn history_covers_merges_other_branches_and_renames() {
    let t = tempfile::tempdir().unwrap();
    let repo = Repository::init(t.path()).unwrap();
    let (k1, k2, k3) = (fake_key(), fake_key(), fake_key());
    let base = commit(&repo, &[("a.py", Some("x = 1\n"))], "base", 1_700_000_000);
    // A branch that is never merged holds k1.
    let base_commit = repo.find_commit(base).unwrap();
    repo.branch("feature", &base_commit, false).unwrap();
    repo.set_head("refs/heads/feature").unwrap();
    commit(
        &repo,
        &[("f.py", Some(&format!("K = '{k1}'\n")))],
        "feature key",
        1_700_000_100,
    );
    // Back on the default branch: a side branch merged with a merge commit that adds k2.
    let default = repo
        .find_reference("refs/heads/master")
        .or_else(|_| repo.find_reference("refs/heads/main"))
        .unwrap();
    let default_name = default.name().unwrap().to_string();
    repo.set_head(&default_name).unwrap();
    repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .unwrap();
    let side_parent = commit(
        &repo,
        &[("side.py", Some("y = 2\n"))],
        "side",
        1_700_000_200,
    );
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    let mut index = repo.index().unwrap();
    fs::write(t.path().join("merge.env"), format!("OPENAI_API_KEY={k2}\n")).unwrap();
    index.add_path(Path::new("merge.env")).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let other = repo.find_commit(base).unwrap();
    let merge = repo
        .commit(
            Some("HEAD"),
            &sig(1_700_000_300),
            &sig(1_700_000_300),
            "merge",
            &tree,
            &[&head, &other],
        )
        .unwrap();
    assert_ne!(merge, side_parent);
    // k3 added, then the file renamed: introduced once, under its first name.
    let intro3 = commit(
        &repo,
        &[("old.py", Some(&format!("K3 = \"{k3}\"\n")))],
        "k3",
        1_700_000_400,
    );
    let content = fs::read_to_string(t.path().join("old.py")).unwrap();
    commit(
        &repo,
        &[("old.py", None), ("new.py", Some(&content))],
        "rename",
        1_700_000_500,
    );

    let inv = Scan::of(&[t.path().to_str().unwrap()]).history().run();
    let s = secrets(&inv);
    assert_eq!(s.len(), 3, "{s:#?}");
    let by_path = |p: &str| {
        s.iter()
            .find(|e| e.history.as_ref().unwrap().path == p)
            .copied()
    };
    assert!(by_path("f.py").is_some(), "key on an unmerged branch");
    let m = by_path("merge.env").expect("key added in a merge commit");
    assert_eq!(m.history.as_ref().unwrap().commit, merge.to_string());
    let r = by_path("old.py").expect("renamed key keeps its introduction");
    assert_eq!(r.history.as_ref().unwrap().commit, intro3.to_string());
    assert!(
        r.history.as_ref().unwrap().at_head,
        "still at HEAD as new.py"
    );
    // --branch bounds the walk to the default branch: the feature key is gone.
    let inv = Scan::of(&[t.path().to_str().unwrap()])
        .history()
        .branch("HEAD")
        .run();
    assert_eq!(secrets(&inv).len(), 2);
    // --since skips what the given revision already has.
    // --since skips what the given revision already has: k3 is then first seen under
    // its new name, in the rename commit.
    let inv = Scan::of(&[t.path().to_str().unwrap()])
        .history()
        .branch("HEAD")
        .since(&intro3.to_string())
        .run();
    let s = secrets(&inv);
    let k3_hist: Vec<&str> = s
        .iter()
        .filter_map(|e| e.history.as_ref())
        .map(|h| h.path.as_str())
        .collect();
    assert_eq!(k3_hist, ["new.py"], "{s:#?}");
}

#[test]
fn bare_repositories_are_scanned_at_head_and_in_history() {
    let t = tempfile::tempdir().unwrap();
    let work = t.path().join("work");
    let repo = Repository::init(&work).unwrap();
    let key = fake_key();
    commit(
        &repo,
        &[("app.py", Some("from anthropic import Anthropic\n"))],
        "init",
        1_700_000_000,
    );
    commit(
        &repo,
        &[("k.py", Some(&format!("K = \"{key}\"\n")))],
        "key",
        1_700_000_100,
    );
    commit(&repo, &[("k.py", None)], "rm", 1_700_000_200);
    let bare = t.path().join("mirror.git");
    common::mirror(&work, &bare);
    let b = bare.to_str().unwrap();
    let inv = common::scan(&[b]);
    assert_eq!(inv.units.len(), 1);
    assert_eq!(inv.units[0].providers, ["anthropic"]);
    assert!(secrets(&inv).is_empty());
    assert_eq!(secrets(&Scan::of(&[b]).history().run()).len(), 1);
}

#[test]
fn staged_reports_only_added_lines_of_staged_files() {
    let t = tempfile::tempdir().unwrap();
    let repo = Repository::init(t.path()).unwrap();
    let (committed, staged, unstaged) = (fake_key(), fake_key(), fake_key());
    commit(
        &repo,
        &[("old.py", Some(&format!("A = \"{committed}\"\n")))],
        "init",
        1_700_000_000,
    );
    // Staged: a new line in a file that already holds a committed key.
    fs::write(
        t.path().join("old.py"),
        format!("A = \"{committed}\"\nB = \"{staged}\"\n"),
    )
    .unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("old.py")).unwrap();
    index.write().unwrap();
    // Unstaged: only in the work tree.
    fs::write(t.path().join("wip.py"), format!("C = \"{unstaged}\"\n")).unwrap();
    let inv = Scan::of(&[t.path().to_str().unwrap()]).staged().run();
    let s = secrets(&inv);
    assert_eq!(s.len(), 1, "{s:#?}");
    assert_eq!((s[0].path.as_str(), s[0].line), ("old.py", 2));
}

#[test]
fn allow_comments_and_baselines_suppress_findings() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = (fake_key(), fake_key());
    fs::write(
        t.path().join("x.py"),
        format!("A = \"{a}\"  # aiscout:allow test double\nB = \"{b}\"\n"),
    )
    .unwrap();
    let dir = t.path().to_str().unwrap();
    let inv = common::scan(&[dir]);
    assert_eq!(secrets(&inv).len(), 1);
    assert_eq!(inv.stats.suppressed, 1);
    let base = t.path().join("baseline.json");
    let out = common::run(
        &["baseline", "create", dir, "-o", base.to_str().unwrap()],
        t.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let text = fs::read_to_string(&base).unwrap();
    assert!(
        !text.contains(&b[..12]),
        "a baseline holds fingerprints, never values"
    );
    let out = common::run(&["scan", dir, "--fail-on", "secret", "-q"], t.path());
    assert_eq!(out.status.code(), Some(1));
    let out = common::run(
        &[
            "scan",
            dir,
            "--fail-on",
            "secret",
            "--baseline",
            base.to_str().unwrap(),
            "-f",
            "json",
        ],
        t.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(common::all_units(&v)[0]["evidence"][0]["baselined"], true);
}

#[test]
fn hook_install_refuses_foreign_hooks_and_blocks_keys() {
    let t = tempfile::tempdir().unwrap();
    let repo = Repository::init(t.path()).unwrap();
    commit(&repo, &[("a.py", Some("x = 1\n"))], "init", 1_700_000_000);
    let hook = t.path().join(".git/hooks/pre-commit");
    fs::create_dir_all(hook.parent().unwrap()).unwrap();
    fs::write(&hook, "#!/bin/sh\necho theirs\n").unwrap();
    let dir = t.path().to_str().unwrap();
    let out = common::run(&["hook", "install", dir], t.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(
        fs::read_to_string(&hook).unwrap(),
        "#!/bin/sh\necho theirs\n"
    );
    let out = common::run(&["hook", "install", dir, "--force"], t.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(fs::read_to_string(&hook).unwrap().contains("hook run"));
    assert!(t
        .path()
        .join(".git/hooks/pre-commit.aiscout-backup")
        .exists());

    // Clean staged change: the hook passes silently.
    fs::write(t.path().join("b.py"), "import openai\n").unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("b.py")).unwrap();
    index.write().unwrap();
    let out = common::run(&["hook", "run", dir], t.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A staged key blocks with file:line, provider and the redacted value only.
    let key = fake_key();
    fs::write(t.path().join("c.env"), format!("OPENAI_API_KEY={key}\n")).unwrap();
    index.add_path(Path::new("c.env")).unwrap();
    index.write().unwrap();
    let out = common::run(&["hook", "run", dir], t.path());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("c.env:1  openai key sk-proj-"), "{err}");
    assert!(!err.contains(&key[8..30]), "{err}");
    // aiscout.toml can turn the secret policy off.
    fs::write(t.path().join("aiscout.toml"), "[hook]\nfail_on = []\n").unwrap();
    assert_eq!(
        common::run(&["hook", "run", dir], t.path()).status.code(),
        Some(0)
    );
    fs::write(t.path().join("aiscout.toml"), "[hook]\nfail_om = []\n").unwrap();
    let out = common::run(&["hook", "run", dir], t.path());
    assert_eq!(out.status.code(), Some(2), "a bad config fails closed");
}

#[test]
fn an_org_folder_with_clones_and_bare_mirrors_is_one_inventory() {
    let t = tempfile::tempdir().unwrap();
    let work = t.path().join("src/bot");
    let repo = Repository::init(&work).unwrap();
    repo.remote("origin", "https://github.com/acme/bot.git")
        .unwrap();
    commit(
        &repo,
        &[("app.py", Some("import openai\n"))],
        "init",
        1_700_000_000,
    );
    let mirrors = t.path().join("mirrors");
    fs::create_dir_all(&mirrors).unwrap();
    common::mirror(&work, &mirrors.join("bot-mirror.git"));
    // An empty bare repository (no HEAD yet) is a reported fault; the rest completes.
    Repository::init_bare(mirrors.join("empty.git")).unwrap();
    let out = common::run(
        &["scan", t.path().to_str().unwrap(), "-f", "json"],
        t.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let repos: Vec<(&str, &str)> = v["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["path"].as_str().unwrap(), r["identity"].as_str().unwrap()))
        .collect();
    let root = t.path().to_str().unwrap();
    assert!(
        repos.contains(&(
            &format!("{root}/src/bot"),
            "https://github.com/acme/bot.git"
        )),
        "{repos:?}"
    );
    // The mirror's origin is the local clone it came from.
    assert!(
        repos
            .iter()
            .any(|(p, _)| p.ends_with("mirrors/bot-mirror.git")),
        "{repos:?}"
    );
    assert_eq!(v["units"].as_array().unwrap().len(), 2);
    assert!(v["stats"]["faults"][0]["path"]
        .as_str()
        .unwrap()
        .ends_with("empty.git"));
}

/// `git commit -a` hands the hook a temporary index in GIT_INDEX_FILE: the hook must
/// scan that one, or `commit -a` lets keys through.
#[test]
fn hook_reads_the_index_git_names_in_git_index_file() {
    if std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_err()
    {
        return; // needs the git CLI to run a real commit
    }
    let t = tempfile::tempdir().unwrap();
    let repo = Repository::init(t.path()).unwrap();
    commit(&repo, &[("app.py", Some("x = 1\n"))], "init", 1_700_000_000);
    let dir = t.path().to_str().unwrap();
    let out = common::run(&["hook", "install", dir], t.path());
    assert_eq!(out.status.code(), Some(0));
    // Modify a tracked file without staging it, then `commit -a`.
    fs::write(
        t.path().join("app.py"),
        format!("x = 1\nKEY = \"{}\"\n", fake_key()),
    )
    .unwrap();
    let commit = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-a",
            "-q",
            "-m",
            "oops",
        ])
        .current_dir(t.path())
        .output()
        .unwrap();
    assert!(
        !commit.status.success(),
        "the hook must block `commit -a`: {}",
        String::from_utf8_lossy(&commit.stderr)
    );
    assert!(String::from_utf8_lossy(&commit.stderr).contains("app.py:2"));
}

/// The cache-tree fast path of `--staged` agrees with libgit2's full diff, for index
/// versions 2, 3 and 4 written by git itself.
#[test]
fn staged_fast_path_agrees_with_the_full_diff() {
    if std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_err()
    {
        return;
    }
    for version in ["2", "3", "4"] {
        let t = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            let o = std::process::Command::new("git")
                .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
                .args(args)
                .current_dir(t.path())
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "git {args:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        };
        git(&["init", "-q"]);
        for d in ["a", "a/b", "c", "d/e/f"] {
            fs::create_dir_all(t.path().join(d)).unwrap();
            for n in 0..3 {
                fs::write(
                    t.path().join(format!("{d}/f{n}.py")),
                    format!("x = {n}\ny = 2\n"),
                )
                .unwrap();
            }
        }
        git(&["add", "-A"]);
        git(&["commit", "-q", "-m", "init"]);
        git(&["update-index", "--index-version", version]);
        fs::write(t.path().join("a/b/f1.py"), "x = 1\nNEW = 3\ny = 2\n").unwrap();
        fs::write(t.path().join("d/e/f/new.py"), "import openai\n").unwrap();
        fs::write(t.path().join("c/f0.py"), "unstaged = 1\n").unwrap();
        git(&["add", "a/b/f1.py", "d/e/f/new.py"]);
        let repo = aiscout::source::git::open(t.path()).unwrap();
        let (fast, paths) =
            aiscout::source::git::staged_fast(&repo).expect("the fast path reads this index");
        let slow = aiscout::source::git::staged(&repo, t.path()).unwrap();
        let key = |v: &[aiscout::source::git::StagedFile]| {
            let mut k: Vec<(String, Vec<u32>)> = v
                .iter()
                .map(|f| (f.path.clone(), f.added_lines.clone()))
                .collect();
            k.sort();
            k
        };
        assert_eq!(key(&fast), key(&slow), "index v{version}");
        assert_eq!(
            key(&fast),
            vec![
                ("a/b/f1.py".into(), vec![2]),
                ("d/e/f/new.py".into(), vec![1])
            ]
        );
        assert_eq!(paths.len(), 13);
    }
}

/// A mirror large enough to be read by several threads gives, with `-j1` and `-j4`,
/// the same inventory byte for byte — tree and history — and every key in it: the
/// first commit of each, and the same place in the tree when one key is in two files.
#[test]
fn bare_mirrors_read_on_many_threads_give_the_one_thread_inventory() {
    let t = tempfile::tempdir().unwrap();
    let work = t.path().join("work");
    let repo = Repository::init(&work).unwrap();
    let keys: Vec<String> = (0..6).map(|_| fake_key()).collect();
    // 400 files over 4 commits; keys spread so each thread is likely to meet some,
    // one key in two files, two keys only in history.
    for c in 0..4 {
        let files: Vec<(String, String)> = (0..100)
            .map(|i| {
                let n = c * 100 + i;
                let text = match n {
                    7 | 393 => format!("from openai import OpenAI\nK = \"{}\"\n", keys[0]),
                    n if n % 97 == 0 => format!("K = \"{}\"\n", keys[1 + n / 97 % 5]),
                    _ => format!("def f{n}():\n    return {n}\n"),
                };
                (format!("pkg{}/m{n}.py", n % 7), text)
            })
            .collect();
        let refs: Vec<(&str, Option<&str>)> = files
            .iter()
            .map(|(p, s)| (p.as_str(), Some(s.as_str())))
            .collect();
        commit(
            &repo,
            &refs,
            &format!("c{c}"),
            1_700_000_000 + c as i64 * 100,
        );
    }
    // Two keys leave the tree: history only.
    commit(
        &repo,
        &[("pkg0/m0.py", None), ("pkg6/m97.py", None)],
        "rm",
        1_700_001_000,
    );
    let bare = t.path().join("mirror.git");
    common::mirror(&work, &bare);
    let b = bare.to_str().unwrap();
    for history in [false, true] {
        let run = |j: usize| {
            let s = Scan::of(&[b]).threads(j);
            common::json(&if history { s.history() } else { s }.run())
        };
        let one = run(1);
        assert_eq!(one, run(4), "history: {history}");
        assert_eq!(one, run(3), "history: {history}");
        let inv = Scan::of(&[b]).threads(4).run();
        let files: std::collections::BTreeSet<&str> =
            secrets(&inv).iter().map(|e| e.path.as_str()).collect();
        // pkg0/m7.py holds keys[0] (as does pkg1/m393.py), m194, m291 and m388 the
        // others still at HEAD.
        assert_eq!(files.len(), 5, "{files:?}");
    }
    let hist = Scan::of(&[b]).history().threads(4).run();
    let s = secrets(&hist);
    let distinct: std::collections::BTreeSet<&str> = s
        .iter()
        .map(|e| e.secret.as_ref().unwrap().fingerprint.as_str())
        .collect();
    assert_eq!(distinct.len(), 6, "every key, history-only ones included");
    let gone: Vec<_> = s
        .iter()
        .filter(|e| e.history.as_ref().is_some_and(|h| !h.at_head))
        .collect();
    assert_eq!(gone.len(), 2, "{gone:#?}");
}
