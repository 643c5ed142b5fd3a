//! The binary end to end: exit codes, output shapes, rule packs from the user.

use crate::common;

use std::fs;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn scan_prints_a_table_of_units() {
    let out = common::run(&["scan", "test-repos/monorepo-two-agents"], root());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // The prefilter's work counters change with every new keyword, not with findings.
    let filters = vec![
        (r"aiscout \d+\.\d+\.\d+", "aiscout [VERSION]"),
        // The rule digest changes with every rule edit.
        (r"rules [0-9a-f]{16}", "rules [DIGEST]"),
        (
            r"\d+ prefilter hits, \d+ parsed",
            "[N] prefilter hits, [N] parsed",
        ),
    ];
    insta::with_settings!({filters => filters}, {
        insta::assert_snapshot!(stdout);
    });
}

#[test]
fn scan_lists_ai_in_ci_under_the_table_with_its_grants() {
    let out = common::run(&["scan", "test-repos/ci-ai-actions"], root());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let ci: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("AI in CI"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(ci.len(), 2, "{stdout}");
    assert!(ci[0].contains("claude-code") && ci[0].contains("permissions.contents: write"));
    assert!(ci[1].contains("codex") && ci[1].contains("secrets OPENAI_API_KEY"));
}

#[test]
fn scan_writes_versioned_json_to_a_file() {
    let t = tempfile::tempdir().unwrap();
    let out_path = t.path().join("inv.json");
    let out = common::run(
        &[
            "scan",
            "test-repos/python-openai-chatbot",
            "--format",
            "json",
            "-o",
            out_path.to_str().unwrap(),
        ],
        root(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "report went to the file, not stdout");
    let v: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&out_path).unwrap()).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["units"][0]["providers"][0], "openai");
    // Round trip: the JSON reads back into the same inventory.
    let inv: aiscout::inventory::Inventory = serde_json::from_value(v).unwrap();
    assert_eq!(common::json(&inv), fs::read_to_string(&out_path).unwrap());
}

#[test]
fn scanning_a_missing_path_is_a_usage_error() {
    let out = common::run(&["scan", "no/such/dir"], root());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no/such/dir: not a directory"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn rules_list_and_keywords() {
    let out = common::run(&["rules", "list"], root());
    assert_eq!(out.status.code(), Some(0));
    let s = text(&out.stdout);
    assert!(s.contains("provider.openai"), "{s}");
    assert!(s.contains("framework.langchain"), "{s}");
    let out = common::run(&["rules", "list", "--keywords"], root());
    let kws: Vec<String> = text(&out.stdout).lines().map(str::to_string).collect();
    assert!(kws.iter().any(|k| k == "openai"), "{kws:?}");
    let mut sorted = kws.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(kws, sorted, "keywords are sorted and unique");
}

#[test]
fn rules_test_passes_on_the_builtin_pack() {
    let out = common::run(&["rules", "test"], root());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains(" 0 failed"));
}

const USER_RULE: &str = r##"
rules:
  - id: provider.acme-llm
    name: ACME internal LLM client
    kind: provider
    identifies: acme-llm
    keywords: [acme_llm]
    match:
      imports:
        python: [acme_llm]
    description: The in-house LLM gateway client.
    references: [https://example.com/acme-llm]
    examples:
      - path: a.py
        text: |
          import acme_llm
    negative_examples:
      # only a comment
      - path: a.py
        text: |
          # acme_llm
"##;

#[test]
fn a_user_rule_pack_adds_to_the_builtin_one() {
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("acme.yaml"), USER_RULE).unwrap();
    let repo = t.path().join("repo");
    fs::create_dir(&repo).unwrap();
    fs::write(repo.join("bot.py"), "import acme_llm\nimport openai\n").unwrap();
    let out = common::run(
        &[
            "scan",
            repo.to_str().unwrap(),
            "--rules",
            t.path().to_str().unwrap(),
            "-f",
            "json",
        ],
        root(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["units"][0]["providers"],
        serde_json::json!(["acme-llm", "openai"])
    );
    let out = common::run(&["rules", "test", t.path().to_str().unwrap()], root());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn rules_test_reports_missing_and_noisy_with_id_and_index() {
    let t = tempfile::tempdir().unwrap();
    let broken = USER_RULE
        .replace("          import acme_llm", "          x = 'acme_llm'")
        .replace("          # acme_llm", "          from acme_llm import x");
    fs::write(t.path().join("acme.yaml"), broken).unwrap();
    let out = common::run(
        &["rules", "test", t.path().to_str().unwrap(), "--only"],
        root(),
    );
    assert_eq!(out.status.code(), Some(1));
    let s = text(&out.stdout);
    assert!(
        s.contains("provider.acme-llm: Missing: positive example #1 (a.py)"),
        "{s}"
    );
    assert!(
        s.contains("provider.acme-llm: Noisy: negative example #1 (a.py:1)"),
        "{s}"
    );
    assert!(s.contains("1 rules, 2 examples: 0 passed, 2 failed"), "{s}");
}

#[test]
fn a_bad_rule_pack_names_file_rule_and_field() {
    let t = tempfile::tempdir().unwrap();
    let bad = USER_RULE.replace("    references:", "    refrences:");
    fs::write(t.path().join("acme.yaml"), bad).unwrap();
    let out = common::run(
        &[
            "scan",
            "test-repos/no-ai-webapp",
            "--rules",
            t.path().to_str().unwrap(),
        ],
        root(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("acme.yaml: rule `provider.acme-llm`: refrences: unknown field"),
        "{err}"
    );
    fs::write(t.path().join("acme.yaml"), "rules:\n  - id: [unclosed\n").unwrap();
    let out = common::run(
        &["rules", "list", "--rules", t.path().to_str().unwrap()],
        root(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("acme.yaml: not a rule pack"),
        "{}",
        text(&out.stderr)
    );
}

/// Runs the binary as an unprivileged user when we are root (permissions do not stop
/// root), so an unreadable directory really is unreadable.
fn run_unprivileged(args: &[&str]) -> std::process::Output {
    let bin = env!("CARGO_BIN_EXE_aiscout");
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| text(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let mut cmd = if is_root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        c.arg(common::unprivileged_bin());
        c
    } else {
        std::process::Command::new(bin)
    };
    // A directory every user may enter; all paths given are absolute.
    cmd.args(args)
        .current_dir(std::env::temp_dir())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn an_unreadable_directory_is_a_fault_with_exit_2_after_the_report() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    fs::set_permissions(t.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::write(t.path().join("ok.py"), "import openai\n").unwrap();
    let locked = t.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("x.py"), "import cohere\n").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let out = run_unprivileged(&["scan", t.path().to_str().unwrap(), "-f", "json"]);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("report written first");
    assert_eq!(v["units"][0]["providers"], serde_json::json!(["openai"]));
    let fault = &v["stats"]["faults"][0];
    assert!(
        fault["path"].as_str().unwrap().ends_with("/locked"),
        "{fault}"
    );
    assert!(
        fault["message"]
            .as_str()
            .unwrap()
            .contains("Permission denied"),
        "{fault}"
    );
    assert!(
        text(&out.stderr).contains("fault:"),
        "{}",
        text(&out.stderr)
    );
}

/// `--repos-from FILE` scans every listed path (blank lines and `#` comments aside)
/// instead of the default `.`, as if each were named on the command line.
#[test]
fn repos_from_scans_every_listed_path() {
    let t = tempfile::tempdir().unwrap();
    let list = t.path().join("repos.txt");
    let a = root().join("test-repos/python-openai-chatbot");
    let b = root().join("test-repos/monorepo-two-agents");
    fs::write(
        &list,
        format!("# the org\n{}\n\n  {}  \n", a.display(), b.display()),
    )
    .unwrap();
    let out = common::run(
        &["scan", "--repos-from", list.to_str().unwrap(), "-f", "json"],
        t.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let listed = aiscout::inventory::saved::from_json(&text(&out.stdout)).unwrap();
    let named = common::scan(&[a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(listed.sources, named.sources);
    assert_eq!(listed.units, named.units);
    assert_eq!(listed.units.len(), 3);
}

/// `aiscout completions SHELL` writes a script for each shell clap_complete knows, built
/// from the same clap definition: it offers the subcommands and their flags.
#[test]
fn completions_for_every_shell_offer_scan_and_fail_on() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = common::run(&["completions", shell], root());
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        assert!(script.contains("scan"), "{shell}: no `scan`");
        assert!(script.contains("fail-on"), "{shell}: no `--fail-on`");
    }
    let out = common::run(&["completions", "tcsh"], root());
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

/// `aiscout man` writes a roff page with the sections man(7) expects; `--dir` writes one
/// page per command.
#[test]
fn man_page_is_roff_with_a_name_section() {
    let out = common::run(&["man"], root());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq"),
        "roff preamble:\n{page}"
    );
    assert!(page.contains(".TH aiscout 1"), "title line");
    assert!(page.contains(".SH NAME\naiscout"), "NAME section:\n{page}");
    assert!(page.contains(".SH SYNOPSIS"), "SYNOPSIS section");
    assert!(page.contains("scan"), "lists the subcommands");

    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("man1");
    let out = common::run(&["man", "--dir", dir.to_str().unwrap()], root());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let scan = fs::read_to_string(dir.join("aiscout-scan.1")).unwrap();
    assert!(
        scan.contains(".SH NAME") && scan.contains("fail\\-on"),
        "{scan}"
    );
    assert!(dir.join("aiscout.1").is_file());
}
