//! Issue 17, item 3: reconciliation with the sanctioned registry. The registries in
//! `tests/registry/` (YAML, JSON, CSV and a Backstage catalog export, the same five
//! agents) are reconciled with `test-repos/governed-monorepo` (four units) and
//! `test-repos/monorepo-two-agents` (two): three units registered, three unregistered,
//! one entry missing, one in a repository the scan did not cover. `aiscout register`
//! is run on a temp repository.

use crate::common;
use crate::common::Scan;

use std::fs;
use std::path::Path;

use aiscout::inventory::{Inventory, Registration};

const REPOS: [&str; 2] = [
    "test-repos/governed-monorepo",
    "test-repos/monorepo-two-agents",
];

const FORMATS: [(&str, &str); 4] = [
    ("tests/registry/sanctioned.yaml", "yaml"),
    ("tests/registry/sanctioned.json", "json"),
    ("tests/registry/sanctioned.csv", "csv"),
    ("tests/registry/catalog-export.yaml", "backstage"),
];

/// (repository's last segment, unit path, registry state, registered name).
fn states(inv: &Inventory) -> Vec<(String, String, Option<Registration>, Option<String>)> {
    inv.units
        .iter()
        .map(|u| {
            (
                u.repo.rsplit('/').next().unwrap().to_string(),
                u.path.clone(),
                u.registry,
                u.registered_as.as_ref().map(|r| r.name.clone()),
            )
        })
        .collect()
}

fn expected() -> Vec<(String, String, Option<Registration>, Option<String>)> {
    use Registration::{Registered as R, Unregistered as U};
    [
        (
            "governed-monorepo",
            "services/chat",
            R,
            Some("chat-assistant"),
        ),
        ("governed-monorepo", "services/legacy", U, None),
        ("governed-monorepo", "services/ops-bot", U, None),
        (
            "governed-monorepo",
            "services/research",
            R,
            Some("research-assistant"),
        ),
        ("monorepo-two-agents", "services/research-agent", U, None),
        (
            "monorepo-two-agents",
            "services/support-agent",
            R,
            Some("support-agent"),
        ),
    ]
    .into_iter()
    .map(|(r, p, s, n)| (r.into(), p.into(), Some(s), n.map(str::to_string)))
    .collect()
}

/// Issue 17: every format gives the same exact registered / unregistered / missing.
#[test]
fn issue_17_registry_is_exact_in_every_format() {
    for (file, format) in FORMATS {
        let inv = Scan::of(&REPOS).registry(file).run();
        assert_eq!(states(&inv), expected(), "{file}");
        let summary = inv.registry.as_ref().expect("a registry summary");
        assert_eq!(summary.format, format);
        assert_eq!(
            (
                summary.entries,
                summary.found,
                summary.missing,
                summary.not_scanned,
                summary.unregistered
            ),
            (5, 3, 1, 1, 3),
            "{file}"
        );
        let missing = inv.registry_missing.as_ref().unwrap();
        assert_eq!(missing.len(), 1, "{file}");
        assert_eq!(
            (missing[0].name.as_str(), missing[0].path.as_str()),
            ("billing-bot", "services/billing")
        );
        // Not-agents never take a registry state.
        assert!(inv.not_agents.iter().all(|u| u.registry.is_none()));
    }
}

/// Issue 17: without a registry the inventory says nothing about one.
#[test]
fn issue_17_no_registry_no_registry_fields() {
    let v: serde_json::Value =
        serde_json::from_str(&common::json(&common::scan(&REPOS[..1]))).unwrap();
    assert!(v.get("registry").is_none() && v.get("registry_missing").is_none());
    assert!(v["units"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u.get("registry").is_none()));
}

/// Issue 17: a shard judges only its own repositories; merged shards give what one scan
/// of both gives (the missing entry once, the uncovered one not scanned).
#[test]
fn issue_17_merged_shards_reconcile_like_one_scan() {
    let file = FORMATS[0].0;
    let whole = Scan::of(&REPOS).registry(file).run();
    let a = Scan::of(&REPOS[..1]).registry(file).run();
    let b = Scan::of(&REPOS[1..]).registry(file).run();
    // Alone, the second repository's shard counts the first's entries as not scanned.
    let bs = b.registry.as_ref().unwrap();
    assert_eq!((bs.found, bs.missing, bs.not_scanned), (1, 0, 4));
    let merged = aiscout::inventory::merge::merge(vec![("a".into(), a), ("b".into(), b)]).unwrap();
    assert_eq!(merged.registry, whole.registry);
    assert_eq!(merged.registry_missing, whole.registry_missing);
    assert_eq!(states(&merged), expected());
    // Shards reconciled with different files do not merge.
    let other = Scan::of(&REPOS[1..]).registry(FORMATS[2].0).run();
    let a = Scan::of(&REPOS[..1]).registry(file).run();
    let err =
        aiscout::inventory::merge::merge(vec![("a".into(), a), ("c".into(), other)]).unwrap_err();
    assert!(err.to_string().contains("--registry"), "{err}");
}

/// Issue 17: `--fail-on unregistered` exits 1 on unregistered agents and names the fix;
/// without a registry it is a usage error; a broken registry is exit 2 naming the entry.
#[test]
fn issue_17_fail_on_unregistered_and_bad_registries() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = common::run(
        &[
            "scan",
            REPOS[0],
            REPOS[1],
            "--registry",
            FORMATS[0].0,
            "--fail-on",
            "unregistered",
            "-f",
            "json",
        ],
        root,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let failed: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("policy failed: unregistered"))
        .collect();
    assert_eq!(failed.len(), 3, "{err}");
    assert!(failed
        .iter()
        .any(|l| l.contains("aiscout register services/legacy --owner TEAM")));
    // Every unit of the repository registered: clean.
    let t = tempfile::tempdir().unwrap();
    let all = t.path().join("all.csv");
    fs::write(
        &all,
        "name,owner,repo,path\nr,@a,monorepo-two-agents,services/research-agent\n\
         s,@a,monorepo-two-agents,services/support-agent\n",
    )
    .unwrap();
    let out = common::run(
        &[
            "scan",
            REPOS[1],
            "--registry",
            all.to_str().unwrap(),
            "--fail-on",
            "unregistered",
            "-q",
        ],
        root,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // No registry to judge by.
    let out = common::run(&["scan", REPOS[1], "--fail-on", "unregistered"], root);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--registry"));
    // An entry without a path, and a file that is no registry.
    for (name, text, says) in [
        (
            "bad.yaml",
            "agents:\n  - {name: a, repo: acme/a}\n",
            "agents[0]: no `path`",
        ),
        (
            "bad.csv",
            "name,owner,repo,path\na,b,c\n",
            "line 2: no `path`",
        ),
        ("bad.json", "[1, 2]", "agents[0]: not a mapping"),
        ("bad2.json", "{\"teams\": []}", "neither"),
    ] {
        let f = t.path().join(name);
        fs::write(&f, text).unwrap();
        let out = common::run(&["scan", REPOS[1], "--registry", f.to_str().unwrap()], root);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
}

/// Issue 17: `aiscout register` writes the declaration and the entry, is idempotent,
/// refuses a conflicting owner, and the next scan finds the unit owned and registered.
#[test]
fn issue_17_register_writes_once_and_refuses_another_owner() {
    let t = tempfile::tempdir().unwrap();
    let repo = t.path().join("bots");
    let r = git2::Repository::init(&repo).unwrap();
    r.remote("origin", "git@github.com:Acme/bots.git").unwrap();
    let unit = repo.join("services/triage");
    fs::create_dir_all(&unit).unwrap();
    fs::write(unit.join("requirements.txt"), "anthropic==0.60.0\n").unwrap();
    fs::write(
        unit.join("bot.py"),
        "import anthropic\nclient = anthropic.Anthropic()\n",
    )
    .unwrap();
    let registry = t.path().join("agents.yaml");
    fs::write(
        &registry,
        "agents:\n  - name: other\n    owner: \"@acme/x\"\n    repo: acme/other\n    path: .\n",
    )
    .unwrap();
    let reg = registry.to_str().unwrap();
    let args = [
        "register",
        "services/triage",
        "--owner",
        "@acme/triage",
        "--registry",
        reg,
    ];
    let out = common::run(&args, &repo);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("wrote") && said.contains("added to registry"),
        "{said}"
    );
    let declaration = fs::read_to_string(unit.join("aiscout.yaml")).unwrap();
    assert!(
        declaration.contains("owner: \"@acme/triage\""),
        "{declaration}"
    );
    let after_once = fs::read_to_string(&registry).unwrap();
    // Again: nothing changes.
    let out = common::run(&args, &repo);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("unchanged"));
    assert_eq!(fs::read_to_string(&registry).unwrap(), after_once);
    assert_eq!(
        fs::read_to_string(unit.join("aiscout.yaml")).unwrap(),
        declaration
    );
    // Another owner: refused, nothing written.
    let out = common::run(
        &[
            "register",
            "services/triage",
            "--owner",
            "@acme/else",
            "--registry",
            reg,
        ],
        &repo,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(fs::read_to_string(&registry).unwrap(), after_once);
    assert_eq!(
        fs::read_to_string(unit.join("aiscout.yaml")).unwrap(),
        declaration
    );
    // The next scan: owned by the declaration, registered under the entry it wrote.
    let inv = Scan::of(&[repo.to_str().unwrap()]).registry(reg).run();
    let u = inv
        .units
        .iter()
        .find(|u| u.path == "services/triage")
        .expect("the unit");
    assert_eq!(
        u.owner.as_ref().map(|o| o.value.as_str()),
        Some("@acme/triage")
    );
    assert_eq!(u.registry, Some(Registration::Registered));
    assert_eq!(u.registered_as.as_ref().unwrap().entry, 2);
    assert_eq!(inv.registry.as_ref().unwrap().not_scanned, 1);
}

/// Issue 17: a registered directory the scan found, but not as an agent, is missing and
/// says what it was found as.
#[test]
fn issue_17_a_registered_not_agent_is_missing_and_says_why() {
    let t = tempfile::tempdir().unwrap();
    let file = t.path().join("r.csv");
    fs::write(
        &file,
        "name,owner,repo,path\nllm-gateway,@acme/platform,infra-repo,helm/llm-gateway\n",
    )
    .unwrap();
    let inv = Scan::of(&["test-repos/infra-repo"])
        .registry(file.to_str().unwrap())
        .run();
    let missing = inv.registry_missing.as_ref().unwrap();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].found_as.as_deref(), Some("helm-chart"));
    assert!(inv
        .units
        .iter()
        .all(|u| u.registry == Some(Registration::Unregistered)));
}

/// Issue 17: a hook configured to block unregistered agents reads `[scan] registry`, and
/// blocks a staged agent the registry does not list until it is registered.
#[test]
fn issue_17_the_hook_blocks_an_unregistered_agent() {
    let t = tempfile::tempdir().unwrap();
    let repo = git2::Repository::init(t.path()).unwrap();
    repo.remote("origin", "https://github.com/acme/bots.git")
        .unwrap();
    fs::write(
        t.path().join("aiscout.toml"),
        "[hook]\nfail_on = [\"unregistered\"]\n\n[scan]\nregistry = \"agents.csv\"\n",
    )
    .unwrap();
    fs::write(t.path().join("agents.csv"), "name,owner,repo,path\n").unwrap();
    fs::create_dir_all(t.path().join("svc")).unwrap();
    fs::write(t.path().join("svc/requirements.txt"), "openai==1.99.0\n").unwrap();
    fs::write(t.path().join("svc/bot.py"), "import openai\n").unwrap();
    let mut index = repo.index().unwrap();
    for f in ["svc/requirements.txt", "svc/bot.py"] {
        index.add_path(Path::new(f)).unwrap();
    }
    index.write().unwrap();
    let dir = t.path().to_str().unwrap();
    let out = common::run(&["hook", "run", dir], t.path());
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("aiscout register svc"));
    let out = common::run(&["register", "svc", "--owner", "@acme/bots"], t.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = common::run(&["hook", "run", dir], t.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Issue 17, item 4: the multi-agent org fixture against a registry that lists only some
/// of its agents — exactly those are registered, the rest unregistered, and the two
/// entries with no agent behind them missing.
#[test]
fn issue_17_agent_org_registry_lists_only_some_agents() {
    let inv = Scan::of(&["test-repos/agent-org"])
        .registry("tests/registry/agent-org.yaml")
        .run();
    let registered: Vec<(&str, &str)> = inv
        .units
        .iter()
        .filter(|u| u.registry == Some(Registration::Registered))
        .map(|u| {
            let name = u.registered_as.as_ref().map_or("", |r| r.name.as_str());
            (u.path.as_str(), name)
        })
        .collect();
    assert_eq!(
        registered,
        [
            ("concierge", "concierge"),
            ("ops-bot", "ops-bot"),
            ("orchestrator", "orchestrator")
        ]
    );
    let unregistered: Vec<&str> = inv
        .units
        .iter()
        .filter(|u| u.registry == Some(Registration::Unregistered))
        .map(|u| u.path.as_str())
        .collect();
    assert_eq!(
        unregistered,
        [
            ".cursor",
            "billing-agent",
            "mcp-tickets",
            "research-agent",
            "support-agent"
        ]
    );
    let missing: Vec<&str> = inv
        .registry_missing
        .as_deref()
        .unwrap()
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(missing, ["api-gateway", "legacy-summarizer"]);
    let summary = inv.registry.as_ref().unwrap();
    assert_eq!((summary.entries, summary.found, summary.missing), (5, 3, 2));
    assert_eq!(summary.unregistered, 5);
}
