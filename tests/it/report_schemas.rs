//! Every machine-readable format validates against its published schema: the
//! inventory JSON against docs/inventory.schema.json (every fixture), SARIF 2.1.0 and
//! CycloneDX 1.6 against the official schemas vendored in tests/schemas/ (see its
//! README for sources and licences), on fixtures and on a tree with secrets, models
//! and several units.

use crate::common;
use crate::common::Scan;

use std::fs;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use aiscout::inventory::policy::Policy;
use aiscout::report::{self, Format, ReportOptions};

/// A fake OpenAI project key of the real shape, made fresh for each run so no key
/// literal lives in the test source.
fn fake_openai_key() -> String {
    // No vowels and no x, so a random body never spells a placeholder word.
    const ALPHABET: &[u8] = b"BCDFGHJKLMNPQRSTVWYZbcdfghjklmnpqrstvwyz0123456789";
    let mut x = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut part = |n: usize| -> String {
        (0..n)
            .map(|_| {
                // xorshift64: enough to make every run's key different.
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                ALPHABET[(x % ALPHABET.len() as u64) as usize] as char
            })
            .collect()
    };
    format!("sk-proj-{}T3BlbkFJ{}", part(74), part(74))
}

fn load(path: &str) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// A compiled schema; `extra` are (url, file) pairs the main schema references.
struct Validator {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Validator {
    fn new(url: &str, file: &str, extra: &[(&str, &str)]) -> Validator {
        let mut schemas = boon::Schemas::new();
        let mut c = boon::Compiler::new();
        c.enable_format_assertions();
        c.add_resource(url, load(file)).unwrap();
        for (u, f) in extra {
            c.add_resource(u, load(f)).unwrap();
        }
        let index = c
            .compile(url, &mut schemas)
            .unwrap_or_else(|e| panic!("{file}: {e:#}"));
        Validator { schemas, index }
    }

    fn check(&self, what: &str, doc: &serde_json::Value) {
        if let Err(e) = self.schemas.validate(doc, self.index) {
            panic!("{what} does not validate:\n{e:#}");
        }
    }
}

fn inventory_schema() -> Validator {
    Validator::new(
        "urn:aiscout:schema:inventory:1",
        "docs/inventory.schema.json",
        &[],
    )
}

fn sarif_schema() -> Validator {
    Validator::new(
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "tests/schemas/sarif-schema-2.1.0.json",
        &[],
    )
}

fn cyclonedx_schema() -> Validator {
    Validator::new(
        "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "tests/schemas/bom-1.6.SNAPSHOT.schema.json",
        &[
            (
                "http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json",
                "tests/schemas/spdx.SNAPSHOT.schema.json",
            ),
            (
                "http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json",
                "tests/schemas/jsf-0.82.SNAPSHOT.schema.json",
            ),
        ],
    )
}

fn render(
    format: Format,
    inv: &aiscout::inventory::Inventory,
    fail_on: &[Policy],
) -> serde_json::Value {
    let mut buf = Vec::new();
    let opts = ReportOptions {
        fail_on: fail_on.to_vec(),
        ..ReportOptions::default()
    };
    report::write(format, inv, &opts, &mut buf).unwrap();
    serde_json::from_slice(&buf).unwrap()
}

fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir("test-repos")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| format!("test-repos/{}", e.file_name().to_string_lossy()))
        .collect();
    names.sort();
    names
}

#[test]
fn every_fixture_validates_in_every_json_format() {
    let (inv_s, sarif_s, cdx_s) = (inventory_schema(), sarif_schema(), cyclonedx_schema());
    for dir in fixtures() {
        let inv = common::scan(&[&dir]);
        inv_s.check(
            &format!("{dir} inventory"),
            &serde_json::from_str(&common::json(&inv)).unwrap(),
        );
        sarif_s.check(
            &format!("{dir} sarif"),
            &render(Format::Sarif, &inv, &[Policy::Shadow]),
        );
        cdx_s.check(
            &format!("{dir} cyclonedx"),
            &render(Format::Cyclonedx, &inv, &[]),
        );
    }
}

/// Several units, an owner, models, a generated key (and the same key baselined in
/// a second run): the shapes the fixtures do not all reach.
#[test]
fn a_tree_with_secrets_models_and_several_units_validates() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("org");
    let key = fake_openai_key();
    let w = |rel: &str, body: &str| {
        let p = dir.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, body).unwrap();
    };
    w(
        "agents/support/pyproject.toml",
        "[project]\nname = \"support\"\ndependencies = [\"openai\", \"langchain-openai\", \"langfuse\"]\n",
    );
    w(
        "agents/support/bot.py",
        &format!(
            "import openai\nfrom langfuse import observe\nclient = openai.OpenAI(api_key=\"{key}\")\nclient.chat.completions.create(model=\"gpt-4o-mini\", messages=[])\n"
        ),
    );
    w("agents/support/aiscout.yaml", "owner: \"@acme/support\"\n");
    w(
        "agents/web/package.json",
        "{\"name\": \"web\", \"dependencies\": {\"@anthropic-ai/sdk\": \"^0.30.0\", \"ai\": \"^4\"}}\n",
    );
    w(
        "agents/web/index.ts",
        "import Anthropic from \"@anthropic-ai/sdk\";\nconst c = new Anthropic();\nawait c.messages.create({ model: \"claude-3-5-sonnet-latest\", max_tokens: 10, messages: [] });\n",
    );
    w("my dir/.env", &format!("OPENAI_API_KEY={key}\n"));
    let d = dir.to_str().unwrap();
    let inv = common::scan(&[d]);
    assert!(inv.units.len() >= 2, "{:#?}", inv.units);
    assert!(
        inv.units.iter().any(|u| !u.secrets.is_empty()),
        "the key is found"
    );
    assert!(
        inv.units.iter().any(|u| !u.models.is_empty()),
        "models are found"
    );
    let sarif = render(Format::Sarif, &inv, &[Policy::Secret, Policy::Unowned]);
    sarif_schema().check("sarif", &sarif);
    let cdx = render(Format::Cyclonedx, &inv, &[]);
    cyclonedx_schema().check("cyclonedx", &cdx);
    inventory_schema().check(
        "inventory",
        &serde_json::from_str(&common::json(&inv)).unwrap(),
    );
    for (what, doc) in [("sarif", &sarif), ("cyclonedx", &cdx)] {
        assert!(!doc.to_string().contains(&key[8..]), "{what} leaks the key");
    }

    // SARIF: rules with metadata, fingerprints, locations, policy levels.
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in rules {
        assert!(r["id"].is_string() && r["shortDescription"]["text"].is_string());
        assert!(r["helpUri"].as_str().unwrap().starts_with("https://"));
    }
    let results = run["results"].as_array().unwrap();
    let secrets: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r["ruleId"] == "secret.ai-key")
        .collect();
    assert!(!secrets.is_empty());
    for s in &secrets {
        assert_eq!(s["level"], "error", "--fail-on secret makes secrets errors");
        assert_eq!(
            s["partialFingerprints"]["aiscoutSecret/v2"]
                .as_str()
                .unwrap()
                .len(),
            32
        );
        let loc = &s["locations"][0]["physicalLocation"];
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.contains(' '), "{uri}");
    }
    assert!(
        secrets.iter().any(
            |s| s["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "my%20dir/.env"
        ),
        "{secrets:#?}"
    );
    let unowned: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r["ruleId"] == "governance.unowned")
        .collect();
    assert!(unowned.iter().all(|r| r["level"] == "error"));
    let evals: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r["ruleId"] == "governance.no-evals")
        .collect();
    assert!(!evals.is_empty() && evals.iter().all(|r| r["level"] == "note"));
    for r in results.iter().filter(|r| r["ruleId"] != "secret.ai-key") {
        let id = r["partialFingerprints"]["aiscoutUnit/v1"].as_str().unwrap();
        assert!(inv.units.iter().any(|u| u.id == id));
    }

    // CycloneDX: units, services, libraries with purls, models.
    let comps = cdx["components"].as_array().unwrap();
    let of = |t: &str| comps.iter().filter(|c| c["type"] == t).count();
    assert_eq!(of("application"), inv.units.len());
    assert!(of("machine-learning-model") >= 2, "{comps:#?}");
    let purls: Vec<&str> = comps.iter().filter_map(|c| c["purl"].as_str()).collect();
    assert!(purls.contains(&"pkg:pypi/openai"), "{purls:?}");
    assert!(purls.contains(&"pkg:npm/%40anthropic-ai/sdk"), "{purls:?}");
    let services: Vec<&str> = cdx["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(
        services.contains(&"openai") && services.contains(&"anthropic"),
        "{services:?}"
    );
    let props: Vec<&str> = comps
        .iter()
        .flat_map(|c| c["properties"].as_array().into_iter().flatten())
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in [
        "aiscout:status",
        "aiscout:owner",
        "aiscout:monitoring",
        "aiscout:evals",
    ] {
        assert!(props.contains(&p), "{p} missing");
    }

    // Baselined secrets are still valid SARIF, suppressed and never errors.
    let base = t.path().join("baseline.json");
    let o = common::run(
        &["baseline", "create", d, "-o", base.to_str().unwrap()],
        t.path(),
    );
    assert_eq!(o.status.code(), Some(0));
    let accepted = aiscout::inventory::baseline::Baseline::accepted(
        &fs::read_to_string(&base).unwrap(),
        &aiscout::model::FingerprintKey::default(),
    )
    .unwrap();
    let inv = Scan::of(&[d]).baseline(accepted).run();
    let sarif = render(Format::Sarif, &inv, &[Policy::Secret]);
    sarif_schema().check("baselined sarif", &sarif);
    for r in sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "secret.ai-key")
    {
        assert_eq!(r["level"], "note");
        assert_eq!(r["suppressions"][0]["kind"], "external");
    }
    let _ = Path::new(d);
}

/// The validators are not vacuous: each rejects a document one field off.
#[test]
fn the_schemas_reject_broken_documents() {
    let inv = common::scan(&["test-repos/polyglot-monorepo"]);
    let mut sarif = render(Format::Sarif, &inv, &[]);
    sarif["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(sarif_schema()
        .schemas
        .validate(&sarif, sarif_schema().index)
        .is_err());
    let mut cdx = render(Format::Cyclonedx, &inv, &[]);
    cdx["components"][0]["type"] = "agent".into();
    let v = cyclonedx_schema();
    assert!(v.schemas.validate(&cdx, v.index).is_err());
    let mut json: serde_json::Value = serde_json::from_str(&common::json(&inv)).unwrap();
    json["units"][0]["surprise"] = true.into();
    let v = inventory_schema();
    assert!(v.schemas.validate(&json, v.index).is_err());
}

/// Issue 14, item 7: what an untrusted scan marks `self_declared` (an owner from the
/// repository's own declaration, monitoring only an example env file shows) is in the
/// published schema.
#[test]
fn issue_14_self_declared_owners_and_signals_validate() {
    let t = tempfile::tempdir().unwrap();
    for (rel, body) in [
        ("app.py", "import openai\n"),
        ("aiscout.yaml", "owner: \"@acme/bots\"\n"),
        (".env.example", "LANGFUSE_HOST=https://cloud.langfuse.com\n"),
    ] {
        fs::write(t.path().join(rel), body).unwrap();
    }
    let mut config = aiscout::engine::ScanConfig::new(vec![t.path().to_path_buf()]);
    config.untrusted = true;
    let inv = aiscout::engine::scan(&config).unwrap();
    let unit = &inv.units[0];
    assert!(unit.owner.as_ref().is_some_and(|o| o.self_declared));
    assert!(unit.monitoring.self_declared);
    let json: serde_json::Value = serde_json::from_str(&common::json(&inv)).unwrap();
    inventory_schema().check("an untrusted scan", &json);
}

#[test]
fn audit_anchors_of_a_git_repository_validate() {
    // A remote in scp form, a commit on a branch, the repository and a subfolder of it:
    // every anchor field (scanned_at, commit, branch, versionControlProvenance,
    // metadata.timestamp, repository components) is present and valid.
    let t = tempfile::tempdir().unwrap();
    let repo = git2::Repository::init(t.path()).unwrap();
    repo.set_head("refs/heads/main").unwrap();
    repo.remote("origin", "git@github.com:acme/bot.git")
        .unwrap();
    common::commit(
        &repo,
        &[(
            "agent/app.py",
            Some("from openai import OpenAI\nOpenAI()\n"),
        )],
        "init",
        1_700_000_000,
    );
    let (inv_s, sarif_s, cdx_s) = (inventory_schema(), sarif_schema(), cyclonedx_schema());
    for dir in [t.path().to_path_buf(), t.path().join("agent")] {
        let inv = Scan::of(&[dir.to_str().unwrap()]).run();
        let r = &inv.repositories[0];
        assert!(
            r.commit.is_some() && r.branch.as_deref() == Some("main"),
            "{r:?}"
        );
        let json: serde_json::Value = serde_json::from_str(&common::json(&inv)).unwrap();
        inv_s.check("anchored inventory", &json);
        let sarif = render(Format::Sarif, &inv, &[]);
        assert_eq!(
            sarif["runs"][0]["versionControlProvenance"][0]["repositoryUri"],
            "ssh://git@github.com/acme/bot.git"
        );
        sarif_s.check("anchored SARIF", &sarif);
        let bom = render(Format::Cyclonedx, &inv, &[]);
        assert!(bom["metadata"]["timestamp"].is_string());
        cdx_s.check("anchored CycloneDX", &bom);
    }
}

/// Issue 17: risk reasons of every kind, a registry summary, `registry_missing`, and the
/// SARIF results of `unbounded-exec` and `unregistered` are in the published schemas.
#[test]
fn issue_17_risk_and_registry_validate_in_every_json_format() {
    let inv = common::Scan::of(&[
        "test-repos/risky-tools",
        "test-repos/governed-monorepo",
        "test-repos/mcp-client-configs",
        "test-repos/config-store-exports",
    ])
    .registry("tests/registry/sanctioned.yaml")
    .run();
    assert!(inv.registry_missing.as_ref().is_some_and(|m| !m.is_empty()));
    let json: serde_json::Value = serde_json::from_str(&common::json(&inv)).unwrap();
    inventory_schema().check("a reconciled scan", &json);
    let sarif = render(
        Format::Sarif,
        &inv,
        &[Policy::UnboundedExec, Policy::Unregistered],
    );
    let rules: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] == "error")
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"risk.unbounded-exec") && rules.contains(&"governance.unregistered"));
    sarif_schema().check("a reconciled scan's sarif", &sarif);
    cyclonedx_schema().check(
        "a reconciled scan's cyclonedx",
        &render(Format::Cyclonedx, &inv, &[]),
    );
}
