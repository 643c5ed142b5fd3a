//! A report a reviewer acts on: named owners apart from hints (and `owner_hints`),
//! teams apart from people, MCP servers and side-effecting tools as named lists,
//! evidence strongest first with links to the web host, why and fix per agent, the
//! HTML script allowed by its CSP hash, the `--previous` trend, and escaping of
//! hostile names in all of it.

use std::fs;
use std::path::Path;

use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common;

fn write(dir: &Path, rel: &str, body: &str) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, body).unwrap();
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A Python agent at `services/<name>`: a manifest (with `authors` when given) and
/// code that calls OpenAI on line 3.
fn agent(dir: &Path, name: &str, authors: Option<&str>) {
    let authors = authors.map_or(String::new(), |a| format!("authors = [\"{a}\"]\n"));
    write(
        dir,
        &format!("services/{name}/pyproject.toml"),
        &format!("[project]\nname = \"{name}\"\n{authors}dependencies = [\"openai>=1.0\"]\n"),
    );
    write(
        dir,
        &format!("services/{name}/src/app.py"),
        "import openai\n\nclient = openai.OpenAI()\nclient.chat.completions.create(model=\"gpt-4o\", messages=[])\n",
    );
}

/// A GitHub checkout with four agents: one whose only owner is its package's author
/// (a hint), one owned by a team, one by a person, and one by a hostile declared name.
fn repo(dir: &Path) {
    let r = git2::Repository::init(dir).unwrap();
    r.remote("origin", "https://github.com/acme/agents.git")
        .unwrap();
    agent(dir, "hinted", Some("Jane Doe"));
    agent(dir, "team", None);
    agent(dir, "solo", None);
    agent(dir, "hostile", None);
    write(
        dir,
        ".github/CODEOWNERS",
        "/services/team/ @acme/ai-platform\n/services/solo/ @jdoe\n",
    );
    write(
        dir,
        "services/hostile/aiscout.yaml",
        "owner: \"evil<script>alert(1)</script>\"\n",
    );
}

fn scan(dir: &Path, format: &str, extra: &[&str]) -> String {
    let mut args = vec!["scan", ".", "-f", format];
    args.extend_from_slice(extra);
    let o = common::run_env(&args, dir, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    text(&o.stdout)
}

fn unit<'a>(v: &'a Value, path: &str) -> &'a Value {
    v["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["path"] == path)
        .unwrap_or_else(|| panic!("no unit {path}"))
}

#[test]
fn hints_are_not_owners_unless_the_rule_says_so() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("repo");
    repo(&dir);
    let v: Value = serde_json::from_str(&scan(&dir, "json", &[])).unwrap();
    let hinted = unit(&v, "services/hinted");
    assert!(hinted["owner"].is_null());
    assert_eq!(hinted["owner_hint"]["value"], "Jane Doe");
    assert_eq!(hinted["status"], "shadow");
    assert!(
        v.get("status_rule").is_none(),
        "the built-in rule is left out"
    );
    let md = scan(&dir, "markdown", &[]);
    // Named: team, solo, hostile; the hint does not count.
    assert!(md.contains("| Owner | 3 of 4 | 75% |"), "{md}");
    assert!(md.contains("hint: Jane Doe (package authors)"), "{md}");
    assert!(md.contains("1 more agent(s) have just a hint"), "{md}");

    // The organisation counts hints: the hint is the owner everywhere.
    let config = t.path().join("org.toml");
    fs::write(&config, "[status]\nowner_hints = true\n").unwrap();
    let cfg = config.to_str().unwrap();
    let v: Value = serde_json::from_str(&scan(&dir, "json", &["--config", cfg])).unwrap();
    let hinted = unit(&v, "services/hinted");
    assert_eq!(hinted["owner"]["value"], "Jane Doe");
    assert_eq!(hinted["owner"]["source"], "package");
    assert!(hinted.get("owner_hint").is_none());
    assert_eq!(v["status_rule"]["owner_hints"], true);
    let md = scan(&dir, "markdown", &["--config", cfg]);
    assert!(md.contains("| Owner | 4 of 4 | 100% |"), "{md}");
    assert!(
        md.contains("Jane Doe (package authors, counted as owner)"),
        "{md}"
    );
    // `--fail-on unowned` agrees with the coverage.
    let o = common::run_env(
        &["scan", ".", "--config", cfg, "--fail-on", "unowned", "-q"],
        &dir,
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let o = common::run_env(&["scan", ".", "--fail-on", "unowned", "-q"], &dir, &[]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn teams_are_grouped_apart_from_people() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("repo");
    repo(&dir);
    let md = scan(&dir, "markdown", &[]);
    let team = md.split("### Agents by team").nth(1).unwrap();
    let team = &team[..team.find("## Agents").unwrap()];
    assert!(team.contains("| @acme/ai-platform | 1 |"), "{team}");
    assert!(
        team.contains("| @jdoe (individual, not a team) | 1 |"),
        "{team}"
    );
    assert!(team.contains("| (no named owner) | 1 |"), "{team}");
    assert!(!team.contains("| @jdoe | 1 |"), "{team}");
    let html = scan(&dir, "html", &[]);
    assert!(html.contains("<td>@acme/ai-platform</td>"));
    assert!(html.contains("<td>@jdoe (individual, not a team)</td>"));
}

#[test]
fn mcp_servers_and_tools_are_named_lists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = common::run_env(
        &["scan", "test-repos/mcp-client-configs", "-f", "markdown"],
        root,
        &[],
    );
    let md = text(&o.stdout);
    let row = md
        .lines()
        .find(|l| l.starts_with("| claude\\_desktop\\_config.json (mcp) |"))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(
        row.contains("| mcpServers.filesystem (used), mcpServers.sentry (used) |"),
        "{row}"
    );
    assert!(
        row.contains("| file-write: \"@modelcontextprotocol/server-filesystem\" |"),
        "{row}"
    );
    let o = common::run_env(
        &["scan", "test-repos/mcp-client-configs", "-f", "html"],
        root,
        &[],
    );
    let html = text(&o.stdout);
    assert!(html.contains(
        "<span class=\"lab\">MCP servers:</span> mcpServers.filesystem (used), mcpServers.sentry (used)"
    ));
    assert!(html.contains("<span class=\"lab\">Side-effecting tools:</span> file-write:"));
}

#[test]
fn evidence_comes_strongest_first_with_links() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("repo");
    repo(&dir);
    let md = scan(&dir, "markdown", &[]);
    let row = md
        .lines()
        .find(|l| l.starts_with("| services/team |"))
        .unwrap();
    // By path the manifest (`pyproject.toml`) would come before `src/app.py`; the
    // code that calls the model is the stronger evidence.
    let code = row
        .find("[services/team/src/app.py:1,3,4](https://github.com/acme/agents/blob/HEAD/services/team/src/app.py#L1)")
        .unwrap_or_else(|| panic!("{row}"));
    let manifest = row
        .find("[services/team/pyproject.toml:")
        .unwrap_or_else(|| panic!("{row}"));
    assert!(code < manifest, "{row}");
    let html = scan(&dir, "html", &[]);
    assert!(html.contains(
        "<a href=\"https://github.com/acme/agents/blob/HEAD/services/team/src/app.py#L3\" rel=\"noreferrer\">services/team/src/app.py:3</a>"
    ));
}

#[test]
fn each_agent_says_why_and_the_fix() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("repo");
    repo(&dir);
    let md = scan(&dir, "markdown", &[]);
    let row = |p: &str| {
        md.lines()
            .find(|l| l.starts_with(&format!("| {p} |")))
            .unwrap()
            .to_string()
    };
    assert!(row("services/hinted").contains(
        "| shadow: no named owner (package authors are only a hint), no monitoring. Fix: no named owner (package authors are only a hint): confirm it in CODEOWNERS or an owner declaration (aiscout register services/hinted --owner TEAM) |"
    ));
    assert!(row("services/team").contains(
        "| partial: has owner; no monitoring, no evals. Fix: no monitoring: add tracing (Langfuse, LangSmith, OpenTelemetry …) |"
    ));
    let html = scan(&dir, "html", &[]);
    assert!(html.contains(
        "<td class=\"why\">partial: has owner; no monitoring, no evals<br><b>Fix:</b> no monitoring: add tracing"
    ));
}

#[test]
fn the_csp_hash_allows_exactly_the_inline_script() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("repo");
    repo(&dir);
    let html = scan(&dir, "html", &[]);
    let start = html.find("<script>").unwrap() + "<script>".len();
    let end = html[start..].find("</script>").unwrap() + start;
    let digest = Sha256::digest(&html.as_bytes()[start..end]);
    let hash = base64::engine::general_purpose::STANDARD.encode(digest);
    assert!(
        html.contains(&format!("script-src 'sha256-{hash}';")),
        "the CSP does not allow the script it carries"
    );
    // Without script the page is whole: the filters are hidden, every agent is there.
    assert!(html.contains("<div id=\"filters\" hidden>"));
    assert_eq!(html.matches("<tr data-status=").count(), 4);
    assert!(
        html.contains("#filter="),
        "the script restores a #filter= fragment"
    );
}

#[test]
fn previous_shows_the_trend() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("repo");
    repo(&dir);
    let prev = t.path().join("prev.json");
    fs::write(&prev, scan(&dir, "json", &[])).unwrap();
    // Since then: one agent gone, one new, and the hinted one got a team.
    fs::remove_dir_all(dir.join("services/solo")).unwrap();
    agent(&dir, "fresh", None);
    write(
        &dir,
        ".github/CODEOWNERS",
        "/services/team/ @acme/ai-platform\n/services/hinted/ @acme/ai-platform\n",
    );
    let p = prev.to_str().unwrap();
    let md = scan(&dir, "markdown", &["--previous", p]);
    assert!(md.contains("### Since the previous inventory"), "{md}");
    assert!(md.contains("| Owner | 75% | 75% | ±0 pts |"), "{md}");
    assert!(md.contains("| Agents | 4 | 4 | ±0 |"), "{md}");
    assert!(md.contains("New agents (1):\n\n- "), "{md}");
    assert!(
        md.contains("- https://github.com/acme/agents.git: services/fresh"),
        "{md}"
    );
    assert!(md.contains("Removed agents (1):"), "{md}");
    assert!(
        md.contains("- https://github.com/acme/agents.git: services/solo"),
        "{md}"
    );
    // `report` renders the same trend from a saved inventory.
    let now = t.path().join("now.json");
    fs::write(&now, scan(&dir, "json", &[])).unwrap();
    let o = common::run_env(
        &[
            "report",
            now.to_str().unwrap(),
            "-f",
            "html",
            "--previous",
            p,
        ],
        t.path(),
        &[],
    );
    let html = text(&o.stdout);
    assert!(
        html.contains("<h2>Since the previous inventory</h2>"),
        "{html}"
    );
    assert!(html.contains("<h3>New agents (1)</h3>"));
    // Without --previous there is no trend.
    assert!(!scan(&dir, "markdown", &[]).contains("Since the previous"));
}

#[test]
fn hostile_owner_names_stay_text() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("repo");
    repo(&dir);
    let html = scan(&dir, "html", &[]);
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(html.contains("evil&lt;script&gt;alert(1)&lt;/script&gt;"));
    let md = scan(&dir, "markdown", &[]);
    assert!(!md.contains("<script>"));
    assert!(md.contains("evil&lt;script&gt;alert(1)&lt;/script&gt;"));
    let csv = scan(&dir, "csv", &[]);
    assert!(csv.contains("evil<script>alert(1)</script>"), "CSV is data");
}

/// The reviewer sees what was read and what was not: files, bytes, skips by reason and
/// faults close both the Markdown and the HTML report.
#[test]
fn issue_16_reports_end_with_scan_coverage() {
    let t = tempfile::tempdir().unwrap();
    agent(t.path(), "bot", None);
    fs::write(t.path().join("blob.bin"), b"\x00\x01openai\x00").unwrap();
    let dir = t.path().to_str().unwrap();
    for format in ["markdown", "html"] {
        let out = common::run(&["scan", dir, "-f", format], t.path());
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let page = text(&out.stdout);
        let at = page
            .find("Scan coverage")
            .unwrap_or_else(|| panic!("{format}: no coverage section"));
        let section = &page[at..];
        for row in ["files read", "bytes read", "skipped: binary", "faults"] {
            assert!(section.contains(row), "{format}: no {row} in\n{section}");
        }
        // Last: after the agents.
        assert!(page.find("services/bot").unwrap() < at, "{format}");
    }
}
