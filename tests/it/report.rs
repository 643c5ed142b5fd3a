//! Issue 6 "Reports": every output format from real scans — the Markdown review
//! (snapshot), HTML escaping and self-containment, CSV quoting, the `report`
//! round trip, `diff` across two scans, and the `--fail-on` governance policies.

use crate::common;
use crate::common::Scan;

use std::fs;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

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

fn write(dir: &Path, rel: &str, body: &str) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, body).unwrap();
}

/// An agent unit in `dir/services/<name>`: a Python manifest and a call, with an
/// owner declaration when `owner` is given.
fn python_agent(dir: &Path, name: &str, owner: Option<&str>, model: &str) {
    write(
        dir,
        &format!("services/{name}/pyproject.toml"),
        "[project]\nname = \"x\"\ndependencies = [\"openai>=1.0\", \"langchain\"]\n",
    );
    write(
        dir,
        &format!("services/{name}/app.py"),
        &format!(
            "import openai\n\nclient = openai.OpenAI()\nresp = client.chat.completions.create(model=\"{model}\", messages=[])\n"
        ),
    );
    if let Some(o) = owner {
        write(
            dir,
            &format!("services/{name}/aiscout.yaml"),
            &format!("owner: \"{o}\"\n"),
        );
    }
}

fn scan_to(dir: &Path, out: &Path) {
    let inv = Scan::of(&[dir.to_str().unwrap()]).threads(1).run();
    fs::write(out, common::json(&inv)).unwrap();
}

#[test]
fn markdown_review_of_a_fixture() {
    let out = common::run(
        &["scan", "test-repos/monorepo-two-agents", "-f", "markdown"],
        root(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let filters = vec![
        (r"aiscout \d+\.\d+\.\d+", "aiscout [VERSION]"),
        (r"rules [0-9a-f]{16}", "rules [DIGEST]"),
    ];
    insta::with_settings!({filters => filters}, {
        insta::assert_snapshot!(text(&out.stdout));
    });
}

#[test]
fn report_renders_a_saved_inventory_like_scan_does() {
    let t = tempfile::tempdir().unwrap();
    let inv = t.path().join("inv.json");
    for fixture in [
        "test-repos/polyglot-monorepo",
        "test-repos/monorepo-two-agents",
    ] {
        let o = common::run(
            &["scan", fixture, "-f", "json", "-o", inv.to_str().unwrap()],
            root(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        for format in [
            "markdown",
            "html",
            "csv",
            "sarif",
            "cyclonedx",
            "json",
            "table",
        ] {
            let scanned = common::run(&["scan", fixture, "-f", format], root());
            let reported = common::run(&["report", inv.to_str().unwrap(), "-f", format], root());
            assert_eq!(
                reported.status.code(),
                Some(0),
                "{}",
                text(&reported.stderr)
            );
            assert_eq!(
                text(&scanned.stdout),
                text(&reported.stdout),
                "{fixture} {format}: report differs from scan"
            );
        }
    }
}

#[test]
fn report_refuses_another_schema_version() {
    let t = tempfile::tempdir().unwrap();
    let inv = common::scan(&["test-repos/python-openai-chatbot"]);
    let mut v: serde_json::Value = serde_json::from_str(&common::json(&inv)).unwrap();
    v["schema_version"] = 999.into();
    let p = t.path().join("future.json");
    fs::write(&p, v.to_string()).unwrap();
    let o = common::run(&["report", p.to_str().unwrap(), "-f", "markdown"], root());
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("schema_version 999"), "{err}");
    assert!(err.contains("reads version 1"), "{err}");
    fs::write(&p, "{\"units\": []}").unwrap();
    let o = common::run(&["report", p.to_str().unwrap()], root());
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("not an aiscout inventory"));
}

#[test]
fn html_escapes_everything_and_loads_nothing() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("repo");
    let unit = "svc<script>alert(1)</script>&co";
    write(
        &dir,
        &format!("{unit}/pyproject.toml"),
        "[project]\nname = \"x\"\ndependencies = [\"openai\"]\n",
    );
    write(
        &dir,
        &format!("{unit}/app.py"),
        "import openai  # <script>alert(\"x\")</script> & <b>bold</b>\nopenai.OpenAI()\n",
    );
    let o = common::run(&["scan", dir.to_str().unwrap(), "-f", "html"], t.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let html = text(&o.stdout);
    assert!(
        html.contains("svc&lt;script&gt;alert(1)&lt;/script&gt;&amp;co"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;"));
    let lower = html.to_ascii_lowercase();
    for banned in [
        "<b>bold", "<link", "<img", "<iframe", "src=", "url(", "@import", "http:",
    ] {
        assert!(!lower.contains(banned), "HTML contains `{banned}`");
    }
    // One script, ours; links only within the page or to the cited survey (a local
    // repository gets no links to a web host).
    assert_eq!(lower.matches("<script").count(), 1);
    assert!(html.contains(&format!(
        "<script>{}</script>",
        aiscout::report::html::SCRIPT
    )));
    for href in html.split("href=\"").skip(1) {
        let target = &href[..href.find('"').unwrap()];
        assert!(
            target.starts_with('#')
                || target == "https://www.langchain.com/state-of-agent-engineering",
            "{target}"
        );
    }
    assert!(html
        .contains("content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"));
    // Markdown escapes the same unit.
    let o = common::run(&["scan", dir.to_str().unwrap(), "-f", "markdown"], t.path());
    let md = text(&o.stdout);
    assert!(!md.contains("<script>"), "{md}");
    assert!(md.contains("&lt;script&gt;"), "{md}");
}

#[test]
fn csv_quotes_cells_and_blocks_formulas() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("repo");
    python_agent(&dir, "=1+2,\"q\"", None, "gpt-4o");
    python_agent(&dir, "a,b \"c\"", Some("@acme/team, two"), "gpt-4o-mini");
    let o = common::run(&["scan", dir.to_str().unwrap(), "-f", "csv"], t.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(o.stdout.ends_with(b"\r\n"), "RFC 4180 line ends");
    let mut r = csv::Reader::from_reader(&o.stdout[..]);
    let headers = r.headers().unwrap().clone();
    assert_eq!(headers.len(), aiscout::report::csv::COLUMNS.len());
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    let paths: Vec<&str> = rows.iter().map(|r| &r[col("path")]).collect();
    assert_eq!(paths, ["services/=1+2,\"q\"", "services/a,b \"c\""]);
    let owner: Vec<&str> = rows.iter().map(|r| &r[col("owner")]).collect();
    assert_eq!(owner, ["", "'@acme/team, two"], "a leading @ is guarded");
    let names: Vec<&str> = rows.iter().map(|r| &r[col("name")]).collect();
    assert_eq!(names, ["'=1+2,\"q\"", "a,b \"c\""]);
    for row in &rows {
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "unguarded cell {cell:?}"
            );
        }
    }
}

#[test]
fn diff_across_two_scans() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("repo");
    python_agent(&dir, "kept", Some("@acme/kept"), "gpt-4o");
    python_agent(&dir, "loses-owner", Some("@acme/payments"), "gpt-4o");
    python_agent(&dir, "removed", None, "gpt-4o");
    let old = t.path().join("old.json");
    scan_to(&dir, &old);
    fs::remove_dir_all(dir.join("services/removed")).unwrap();
    fs::remove_file(dir.join("services/loses-owner/aiscout.yaml")).unwrap();
    python_agent(&dir, "added", None, "claude-sonnet-4-5");
    let key = fake_openai_key();
    write(
        &dir,
        "services/kept/settings.py",
        &format!("OPENAI_API_KEY = \"{key}\"\nMODEL = \"gpt-4.1-mini\"\n"),
    );
    let new = t.path().join("new.json");
    scan_to(&dir, &new);
    let (o, n) = (old.to_str().unwrap(), new.to_str().unwrap());

    let out = common::run(&["diff", o, n, "-f", "json"], t.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let d: aiscout::inventory::diff::Diff = serde_json::from_slice(&out.stdout).unwrap();
    let paths = |v: &[aiscout::inventory::diff::UnitBrief]| -> Vec<String> {
        v.iter().map(|u| u.path.clone()).collect()
    };
    assert_eq!(paths(&d.new_units), ["services/added"]);
    assert_eq!(paths(&d.removed_units), ["services/removed"]);
    let lost = d
        .changed_units
        .iter()
        .find(|c| c.unit.path == "services/loses-owner")
        .expect("the unit that lost its owner is listed");
    assert_eq!(lost.lost, ["owner"]);
    assert_eq!(lost.owner_was, Some(Some("@acme/payments".to_string())));
    assert!(lost.regression);
    let kept = d
        .changed_units
        .iter()
        .find(|c| c.unit.path == "services/kept")
        .expect("the unit with a new model is listed");
    assert_eq!(kept.new_models, ["gpt-4.1-mini"]);
    assert!(!kept.regression);
    assert_eq!(d.new_secrets.len(), 1, "{:#?}", d.new_secrets);
    assert_eq!(d.new_secrets[0].path, "services/kept/settings.py");

    for format in ["table", "markdown", "json"] {
        let out = common::run(&["diff", o, n, "-f", format], t.path());
        let s = text(&out.stdout);
        assert!(!s.contains(&key[8..]), "{format} leaks the key");
        if format != "json" {
            assert!(s.contains("services/added"), "{s}");
            assert!(s.contains("owner @acme/payments → none"), "{s}");
        }
    }
    let out = common::run(
        &[
            "diff",
            o,
            n,
            "--fail-on",
            "new-agent,new-secret,status-regression",
        ],
        t.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("new-agent: "), "{err}");
    assert!(err.contains("new-secret: "), "{err}");
    assert!(
        err.contains("status-regression: ") && err.contains("lost owner"),
        "{err}"
    );
    assert!(!err.contains(&key[8..]), "stderr leaks the key");
    let same = common::run(
        &["diff", n, n, "--fail-on", "new-agent,new-secret"],
        t.path(),
    );
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(text(&same.stdout), "no changes\n");
}

#[test]
fn governance_policies_fail_the_scan() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("repo");
    python_agent(&dir, "owned", Some("@acme/ai"), "gpt-4o");
    python_agent(&dir, "orphan", None, "gpt-4o");
    let d = dir.to_str().unwrap();
    let o = common::run(
        &["scan", d, "-f", "json", "--fail-on", "unowned,shadow"],
        t.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with("aiscout: policy failed: shadow: ")
            && lines[0].contains("services/orphan")
    );
    assert!(
        lines[1].starts_with("aiscout: policy failed: unowned: ")
            && lines[1].contains("services/orphan")
    );
    let o = common::run(&["scan", d, "--fail-on", "no-evals"], t.path());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o.stderr).lines().count(), 2, "both agents lack evals");
    let o = common::run(&["scan", d, "--fail-on", "unmonitored", "-q"], t.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stderr.is_empty());

    // new-agent needs the baseline inventory, and passes against itself.
    let o = common::run(&["scan", d, "--fail-on", "new-agent"], t.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--baseline-inventory"));
    let base = t.path().join("base.json");
    scan_to(&dir, &base);
    let b = base.to_str().unwrap();
    let o = common::run(
        &[
            "scan",
            d,
            "--fail-on",
            "new-agent",
            "--baseline-inventory",
            b,
        ],
        t.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    python_agent(&dir, "newcomer", Some("@acme/ai"), "gpt-4o");
    let o = common::run(
        &[
            "scan",
            d,
            "--fail-on",
            "new-agent",
            "--baseline-inventory",
            b,
        ],
        t.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("new-agent: ") && err.contains("services/newcomer"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    // A team's defaults in its aiscout.toml apply, when it trusts its own repository's
    // config, and --fail-on is not given.
    write(&dir, "aiscout.toml", "[scan]\nfail_on = [\"unowned\"]\n");
    let o = common::run(&["scan", d, "--trust-repo-config"], t.path());
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("unowned: "));
    let o = common::run(&["scan", d, "--fail-on", "secret"], t.path());
    assert_eq!(o.status.code(), Some(0), "--fail-on overrides the file");
}

/// A key in a folder that is not an agent (a settings file in a project with no AI
/// code) is listed by every human format, with no agent around it and next to agents,
/// and never shown in full.
#[test]
fn a_key_outside_agent_units_is_listed_by_every_format() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("repo");
    let key = fake_openai_key();
    write(
        &dir,
        "billing/settings.py",
        &format!("OPENAI_API_KEY = \"{key}\"\n"),
    );
    write(&dir, "billing/models.py", "class Invoice:\n    pass\n");
    let d = dir.to_str().unwrap();
    for agents in [false, true] {
        if agents {
            python_agent(&dir, "helper", None, "gpt-4o");
        }
        for format in ["table", "markdown", "html"] {
            let out = common::run(&["scan", d, "-q", "-f", format], t.path());
            let s = text(&out.stdout);
            assert!(!s.contains(&key[8..]), "{format} leaks the key");
            assert!(
                s.contains("billing/settings.py") || s.contains("billing/settings\\.py"),
                "{format} (agents: {agents}) does not list the key:\n{s}"
            );
            assert!(!s.contains("No AI usage found"), "{format}:\n{s}");
            assert!(!s.contains("no AI usage found"), "{format}:\n{s}");
        }
    }
}
