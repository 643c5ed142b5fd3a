//! Every fixture repository in `test-repos/<name>/` is scanned and its inventory is
//! compared in full with `test-repos/<name>.expected.json` (outside the scanned tree).
//! `AISCOUT_BLESS=1 cargo test --test it fixtures` rewrites the expected files; review
//! the diff before committing it.

use crate::common;
use crate::common::Scan;

use std::fs;
use std::path::Path;

/// Fields that change with every release or rule edit, not with detection: versions,
/// and the prefilter's work counters (a new keyword changes how many files it
/// passes on, not what is found).
fn normalise(json: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["stats"]["prefilter_hits"] = 0.into();
    v["stats"]["files_parsed"] = 0.into();
    v["scanner"]["version"] = "<version>".into();
    v["scanner"]["rules_digest"] = "<digest>".into();
    v["scanner"]["rules"] = 0.into();
    serde_json::to_string_pretty(&v).unwrap() + "\n"
}

#[test]
fn every_fixture_matches_its_expected_inventory() {
    let bless = std::env::var_os("AISCOUT_BLESS").is_some();
    let mut names: Vec<String> = fs::read_dir("test-repos")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.len() >= 8,
        "expected at least 8 fixtures, found {names:?}"
    );
    let mut failures = Vec::new();
    for name in &names {
        let dir = format!("test-repos/{name}");
        let one = common::json(&Scan::of(&[&dir]).threads(1).run());
        let many = common::json(&common::scan(&[&dir]));
        assert_eq!(
            one, many,
            "{name}: output differs between -j1 and the default"
        );
        let got = normalise(&one);
        let expected_path = format!("test-repos/{name}.expected.json");
        if bless {
            fs::write(&expected_path, &got).unwrap();
            continue;
        }
        match fs::read_to_string(&expected_path) {
            Ok(expected) if expected == got => {}
            Ok(expected) => failures.push(format!(
                "{name}: inventory differs from {expected_path}\n{}",
                first_difference(&expected, &got)
            )),
            Err(_) => failures.push(format!(
                "{name}: {expected_path} is missing (run with AISCOUT_BLESS=1)"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn first_difference(expected: &str, got: &str) -> String {
    for (i, (e, g)) in expected.lines().zip(got.lines()).enumerate() {
        if e != g {
            return format!("line {}:\n  expected: {e}\n  got:      {g}", i + 1);
        }
    }
    format!(
        "lengths differ: expected {} lines, got {}",
        expected.lines().count(),
        got.lines().count()
    )
}

/// Fixtures that hold no AI must yield no unit at all: mentions in comments,
/// docstrings, strings and prose are not AI use.
#[test]
fn fixtures_without_ai_yield_nothing() {
    for name in ["no-ai-webapp", "mentions-only"] {
        let dir = format!("test-repos/{name}");
        assert!(Path::new(&dir).is_dir(), "{dir} missing");
        let inv = common::scan(&[&dir]);
        assert!(inv.units.is_empty(), "{name}: {:#?}", inv.units);
        assert_eq!(inv.repositories.len(), 1);
    }
}

/// The monorepo gives one unit per agent service, none for the AI-free library.
#[test]
fn monorepo_has_one_unit_per_agent() {
    let inv = common::scan(&["test-repos/monorepo-two-agents"]);
    let paths: Vec<&str> = inv.units.iter().map(|u| u.path.as_str()).collect();
    assert_eq!(paths, ["services/research-agent", "services/support-agent"]);
    let support = &inv.units[1];
    assert_eq!(support.languages, ["python"]);
    assert_eq!(support.providers, ["anthropic"]);
    assert_eq!(support.frameworks, ["langchain", "langgraph"]);
}

/// issue_6: owner, monitoring, evals, containment and status per unit, with their
/// sources and scopes (CODEOWNERS last match, an aiscout.yaml declaration, a CI eval
/// job that counts for the whole repository).
#[test]
fn governed_monorepo_has_one_unit_per_status() {
    let inv = common::scan(&["test-repos/governed-monorepo"]);
    type Row<'a> = (
        &'a str,
        &'a str,
        Option<(&'a str, &'a str)>,
        bool,
        bool,
        Option<&'a str>,
    );
    let got: Vec<Row> = inv
        .units
        .iter()
        .map(|u| {
            (
                u.path.as_str(),
                u.status.as_str(),
                u.owner
                    .as_ref()
                    .map(|o| (o.value.as_str(), o.source.as_str())),
                u.monitoring.present,
                u.containment.present,
                u.evals.scope.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "services/chat",
                "governed",
                Some(("@acme/chat-team @dana", "codeowners")),
                true,
                true,
                Some("unit")
            ),
            (
                "services/legacy",
                "shadow",
                None,
                false,
                false,
                Some("repository")
            ),
            (
                "services/ops-bot",
                "partial",
                Some(("@acme/services", "codeowners")),
                false,
                false,
                Some("repository")
            ),
            (
                "services/research",
                "governed",
                Some(("@acme/research", "aiscout")),
                true,
                false,
                Some("repository")
            ),
        ]
    );
}
