//! Audit anchors: when a scan ran (`SOURCE_DATE_EPOCH` pins it), and which commit and
//! branch of each repository it read, in every format; a subfolder scanned as part of
//! its repository. Repositories are built in temp dirs with git2; the harness pins the
//! time and sets `GIT_CEILING_DIRECTORIES` (common::run_env), which tests here override
//! where they test it.

use std::fs;
use std::path::Path;
use std::process::Output;

use git2::Repository;

use crate::common::{commit, run_env, SCANNED_AT_ISO};

const REMOTE: &str = "https://github.com/acme/support-bot.git";

/// A repository with a remote, one commit on `main`, and an agent in
/// `services/agent` (its own manifest) with no owner and no monitoring.
fn agent_repo(dir: &Path) -> (Repository, String) {
    let repo = Repository::init(dir).unwrap();
    repo.set_head("refs/heads/main").unwrap();
    repo.remote("origin", REMOTE).unwrap();
    let id = commit(
        &repo,
        &[
            ("README.md", Some("# bot\n")),
            ("services/agent/requirements.txt", Some("openai==1.40.0\n")),
            (
                "services/agent/app.py",
                Some("from openai import OpenAI\nclient = OpenAI()\n"),
            ),
        ],
        "init",
        1_700_000_000,
    );
    (repo, id.to_string())
}

fn scan_json(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> serde_json::Value {
    let o = run_env(args, cwd, env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What `git rev-parse HEAD` says, to check our reading of it against git's own.
fn git_head(dir: &Path) -> String {
    let o = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o).trim().to_string()
}

#[test]
fn source_date_epoch_pins_the_scan_time_and_a_bad_value_exits_2() {
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("app.py"), "import openai\n").unwrap();
    let v = scan_json(&["scan", ".", "--format", "json"], t.path(), &[]);
    assert_eq!(v["scanned_at"], SCANNED_AT_ISO);
    let v = scan_json(
        &["scan", ".", "--format", "json"],
        t.path(),
        &[("SOURCE_DATE_EPOCH", "951868799")],
    );
    assert_eq!(v["scanned_at"], "2000-02-29T23:59:59Z");
    for bad in ["yesterday", "-5", "1.5"] {
        let o = run_env(
            &["scan", ".", "--format", "json"],
            t.path(),
            &[("SOURCE_DATE_EPOCH", bad)],
        );
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stdout(&o));
        assert!(o.stdout.is_empty(), "{bad}: no report on a bad time");
        assert!(
            stderr(&o).contains("SOURCE_DATE_EPOCH") && !stderr(&o).contains("panicked"),
            "{bad}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn commit_and_branch_of_each_repository_are_in_the_json() {
    let t = tempfile::tempdir().unwrap();
    let (repo, head) = agent_repo(t.path());
    assert_eq!(head, git_head(t.path()));
    let v = scan_json(&["scan", ".", "--format", "json"], t.path(), &[]);
    let r = &v["repositories"][0];
    assert_eq!(r["identity"], REMOTE);
    assert_eq!(r["commit"], head.as_str());
    assert_eq!(r["branch"], "main");

    // Detached: the commit still, no branch.
    repo.set_head_detached(repo.head().unwrap().target().unwrap())
        .unwrap();
    let v = scan_json(&["scan", ".", "--format", "json"], t.path(), &[]);
    let r = &v["repositories"][0];
    assert_eq!(r["commit"], head.as_str());
    assert!(r.get("branch").is_none(), "{r}");

    // A plain folder: neither.
    let plain = tempfile::tempdir().unwrap();
    fs::write(plain.path().join("app.py"), "import openai\n").unwrap();
    let v = scan_json(&["scan", ".", "--format", "json"], plain.path(), &[]);
    let r = &v["repositories"][0];
    assert_eq!(r["git"], false);
    assert!(
        r.get("commit").is_none() && r.get("branch").is_none(),
        "{r}"
    );
}

#[test]
fn a_ref_scan_anchors_the_commit_it_read() {
    let t = tempfile::tempdir().unwrap();
    let (repo, first) = agent_repo(t.path());
    let second = commit(
        &repo,
        &[("services/agent/more.py", Some("import anthropic\n"))],
        "more",
        1_700_086_400,
    );
    let v = scan_json(
        &["scan", ".", "--ref", &first, "--format", "json"],
        t.path(),
        &[],
    );
    assert_eq!(v["repositories"][0]["commit"], first.as_str());
    let v = scan_json(
        &["scan", ".", "--ref", "main", "--format", "json"],
        t.path(),
        &[],
    );
    assert_eq!(v["repositories"][0]["commit"], second.to_string().as_str());
    assert_eq!(v["repositories"][0]["branch"], "main");
}

#[test]
fn sarif_carries_the_time_the_provenance_and_rated_rules_with_help() {
    let t = tempfile::tempdir().unwrap();
    let (_repo, head) = agent_repo(t.path());
    let o = run_env(&["scan", ".", "--format", "sarif"], t.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let run = &v["runs"][0];
    assert_eq!(run["invocations"][0]["startTimeUtc"], SCANNED_AT_ISO);
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    let vcs = &run["versionControlProvenance"][0];
    assert_eq!(vcs["repositoryUri"], REMOTE);
    assert_eq!(vcs["revisionId"], head.as_str());
    assert_eq!(vcs["branch"], "main");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(!rules.is_empty());
    for r in rules {
        let sev: f64 = r["properties"]["security-severity"]
            .as_str()
            .unwrap_or_else(|| panic!("{}: security-severity is a string", r["id"]))
            .parse()
            .unwrap();
        assert!((0.1..=10.0).contains(&sev), "{}: {sev}", r["id"]);
        for form in ["text", "markdown"] {
            assert!(
                r["help"][form].as_str().is_some_and(|h| h.len() > 40),
                "{}: help.{form}",
                r["id"]
            );
        }
    }
    let severity = |id: &str| {
        rules.iter().find(|r| r["id"] == id).unwrap()["properties"]["security-severity"].clone()
    };
    assert_eq!(severity("secret.ai-key"), "9.0");
    assert_eq!(severity("governance.shadow"), "5.0");
    // Every result's location is repository-relative.
    let uris: Vec<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["locations"].as_array().unwrap())
        .map(|l| {
            l["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(!uris.is_empty());
    assert!(
        uris.iter().all(|u| u.starts_with("services/agent/")),
        "{uris:?}"
    );
}

#[test]
fn csv_cyclonedx_and_the_human_formats_show_the_anchors() {
    let t = tempfile::tempdir().unwrap();
    let (_repo, head) = agent_repo(t.path());
    let o = run_env(&["scan", ".", "--format", "csv"], t.path(), &[]);
    let csv = stdout(&o);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(&header[1..4], ["repository", "commit", "branch"]);
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(&row[1..4], [REMOTE, head.as_str(), "main"]);

    let o = run_env(&["scan", ".", "--format", "cyclonedx"], t.path(), &[]);
    let bom: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(bom["metadata"]["timestamp"], SCANNED_AT_ISO);
    let repo = &bom["metadata"]["component"]["components"][0];
    let prop = |name: &str| {
        repo["properties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["value"].clone())
    };
    assert_eq!(
        prop("aiscout:repository:commit"),
        Some(head.as_str().into())
    );
    assert_eq!(prop("aiscout:repository:branch"), Some("main".into()));

    let line = format!(
        "scanned {SCANNED_AT_ISO} · aiscout {} · rules ",
        env!("CARGO_PKG_VERSION")
    );
    let at = format!("github.com/acme/support-bot@{} (main)", &head[..7]);
    for format in ["table", "markdown", "html"] {
        let o = run_env(&["scan", ".", "--format", format], t.path(), &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        let l = out
            .lines()
            .find(|l| l.contains(&line))
            .unwrap_or_else(|| panic!("{format}: no anchors line in\n{out}"));
        assert!(l.contains(&at), "{format}: {l}");
        if format == "table" {
            assert!(l.chars().count() <= 120, "{l}");
        }
    }
}

#[test]
fn a_subfolder_is_scanned_as_part_of_its_repository() {
    let t = tempfile::tempdir().unwrap();
    let (_repo, head) = agent_repo(t.path());
    let whole = scan_json(&["scan", ".", "--format", "json"], t.path(), &[]);
    let part = scan_json(
        &["scan", "services/agent", "--format", "json"],
        t.path(),
        &[],
    );
    let r = &part["repositories"][0];
    assert_eq!(r["identity"], REMOTE);
    assert_eq!(r["path"], "services/agent");
    assert_eq!(r["git"], true);
    assert_eq!(r["commit"], head.as_str());
    assert_eq!(r["branch"], "main");
    let u = &part["units"][0];
    assert_eq!(u["path"], "services/agent");
    let paths: Vec<&str> = u["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"services/agent/app.py"), "{paths:?}");
    assert!(
        paths.iter().all(|p| p.starts_with("services/agent/")),
        "{paths:?}"
    );
    // The same unit, the same id, as a scan of the whole repository gives it.
    assert_eq!(u["id"], whole["units"][0]["id"]);

    // A ceiling at the work tree's root: the search never enters it.
    let ceiling = t.path().to_str().unwrap();
    let fenced = scan_json(
        &["scan", "services/agent", "--format", "json"],
        t.path(),
        &[("GIT_CEILING_DIRECTORIES", ceiling)],
    );
    let r = &fenced["repositories"][0];
    assert_eq!(r["git"], false, "{r}");
    assert!(r.get("commit").is_none(), "{r}");
    assert_eq!(fenced["units"][0]["evidence"][0]["path"], "app.py");
}

#[test]
fn merge_keeps_the_earliest_scan_time() {
    let t = tempfile::tempdir().unwrap();
    let a = t.path().join("a");
    let b = t.path().join("b");
    for d in [&a, &b] {
        fs::create_dir(d).unwrap();
        fs::write(d.join("app.py"), "import openai\n").unwrap();
    }
    let later = run_env(
        &["scan", "a", "--format", "json", "-o", "a.json"],
        t.path(),
        &[("SOURCE_DATE_EPOCH", "1765029800")],
    );
    assert_eq!(later.status.code(), Some(0), "{}", stderr(&later));
    let earlier = run_env(
        &["scan", "b", "--format", "json", "-o", "b.json"],
        t.path(),
        &[("SOURCE_DATE_EPOCH", "1765029700")],
    );
    assert_eq!(earlier.status.code(), Some(0), "{}", stderr(&earlier));
    for order in [["a.json", "b.json"], ["b.json", "a.json"]] {
        let o = run_env(
            &["merge", order[0], order[1], "-o", "m.json"],
            t.path(),
            &[],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v: serde_json::Value =
            serde_json::from_slice(&fs::read(t.path().join("m.json")).unwrap()).unwrap();
        assert_eq!(v["scanned_at"], "2025-12-06T14:01:40Z", "{order:?}");
    }
}
