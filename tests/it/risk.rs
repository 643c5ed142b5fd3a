//! Issue 17, item 2: blast radius per agent. `test-repos/risky-tools` holds an unguarded
//! shell tool, a shell tool and a code-execution tool behind human approval, one behind a
//! loop limit, an
//! e-mail tool whose loop is bounded (which does not cover mail), and a Stripe toolkit;
//! risk must flag exactly the unguarded exec tool, and `--fail-on unbounded-exec` must
//! fail on it alone.

use crate::common;

use std::path::Path;

use aiscout::inventory::{Inventory, ReasonKind, RiskLevel, Unit};

fn unit<'a>(inv: &'a Inventory, path: &str) -> &'a Unit {
    inv.units
        .iter()
        .find(|u| u.path == path)
        .unwrap_or_else(|| panic!("no unit {path}"))
}

fn kinds(u: &Unit) -> Vec<(ReasonKind, String)> {
    u.risk
        .as_ref()
        .expect("every agent unit has a risk")
        .reasons
        .iter()
        .map(|r| (r.kind, r.class.clone().unwrap_or_default()))
        .collect()
}

/// Issue 17: every unguarded shell or code-execution tool is flagged, no guarded one.
#[test]
fn issue_17_risk_flags_every_unguarded_exec_tool_and_no_guarded_one() {
    let inv = common::scan(&["test-repos/risky-tools"]);
    let level = |p: &str| unit(&inv, p).risk.as_ref().unwrap().level;
    let unguarded: Vec<&str> = inv
        .units
        .iter()
        .filter(|u| u.risk.as_ref().is_some_and(|r| r.unbounded_exec()))
        .map(|u| u.path.as_str())
        .collect();
    assert_eq!(unguarded, ["ops-shell"]);
    assert_eq!(level("ops-shell"), RiskLevel::High);
    assert_eq!(
        kinds(unit(&inv, "ops-shell")),
        [(ReasonKind::UnguardedExec, "shell".to_string())]
    );
    // Human approval and a loop limit cover code execution: medium, with the cover named.
    for (path, cover) in [
        ("approved-coder", "human-approval"),
        ("bounded-analyst", "loop-limit"),
        ("reviewed-shell", "human-approval"),
    ] {
        let u = unit(&inv, path);
        let r = u.risk.as_ref().unwrap();
        assert_eq!(r.level, RiskLevel::Medium, "{path}");
        let exec: Vec<_> = r
            .reasons
            .iter()
            .filter(|r| r.kind == ReasonKind::GuardedExec)
            .collect();
        assert!(!exec.is_empty(), "{path}: {:?}", r.reasons);
        assert!(exec.iter().all(|r| r.covered_by == [cover]), "{path}");
        assert_eq!(exec[0].scope.as_deref(), Some("unit"), "{path}");
    }
    // A loop limit does not cover e-mail: the reason says nothing covers it.
    let mail = unit(&inv, "mailer");
    assert!(mail.containment.kinds.contains(&"loop-limit".to_string()));
    let r = mail.risk.as_ref().unwrap();
    assert_eq!(r.level, RiskLevel::Medium);
    assert!(r
        .reasons
        .iter()
        .any(|x| x.class.as_deref() == Some("email") && x.covered_by.is_empty()));
    // Money moved with nothing in front of it is high, though no exec tool is there.
    assert_eq!(level("billing"), RiskLevel::High);
    assert!(kinds(unit(&inv, "billing"))
        .iter()
        .all(|(k, c)| *k == ReasonKind::SideEffect && c == "payments"));
    // The cron script's subprocess call is no agent's tool.
    assert!(inv.units.iter().all(|u| !u.path.starts_with("scripts")));
}

/// Issue 17: the e-mail rule needs a tool definition in the same file: a web app's own
/// transactional mail is not a tool a model decides to call.
#[test]
fn issue_17_mail_outside_a_tool_file_is_no_email_tool() {
    let t = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = t.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("requirements.txt", "openai==1.99.0\n");
    write(
        "app/chat.py",
        "from openai import OpenAI\nclient = OpenAI()\n",
    );
    write(
        "app/accounts.py",
        "import smtplib\n\ndef reset(user):\n    smtplib.SMTP('localhost').sendmail('a', [user], 'x')\n",
    );
    let inv = common::scan(&[t.path().to_str().unwrap()]);
    assert_eq!(inv.units.len(), 1);
    assert!(inv.units[0].tools.is_empty(), "{:?}", inv.units[0].tools);
    assert_eq!(inv.units[0].risk.as_ref().unwrap().level, RiskLevel::None);
}

/// Issue 17: an MCP server that a unit of the same scan serves is tied to it by name,
/// and the reason lists the serving unit's tools.
#[test]
fn issue_17_an_mcp_server_served_in_the_scan_shows_its_tools() {
    let t = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = t.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "ops-mcp/requirements.txt",
        "mcp==1.12.0\nlangchain-community==0.3.27\n",
    );
    write(
        "ops-mcp/server.py",
        "from mcp.server.fastmcp import FastMCP\nfrom langchain_community.tools import ShellTool\n\
         mcp = FastMCP('ops')\n",
    );
    write(
        ".cursor/mcp.json",
        r#"{"mcpServers": {"ops-mcp": {"command": "python", "args": ["../ops-mcp/server.py"]}}}"#,
    );
    let inv = common::scan(&[t.path().to_str().unwrap()]);
    let server = unit(&inv, "ops-mcp");
    let client = inv
        .units
        .iter()
        .find(|u| u.mcp_servers.iter().any(|m| m.role == "used"))
        .expect("the editor's MCP config is a unit");
    let reason = client
        .risk
        .as_ref()
        .unwrap()
        .reasons
        .iter()
        .find(|r| r.kind == ReasonKind::McpServer)
        .expect("an mcp-server reason");
    assert_eq!(reason.served_by.as_deref(), Some(server.id.as_str()));
    assert_eq!(reason.tools, ["shell: langchain_community.tools.ShellTool"]);
}

/// Issue 17: `--fail-on unbounded-exec` exits 1 on the unguarded shell tool alone, and 0
/// where every exec tool is covered.
#[test]
fn issue_17_fail_on_unbounded_exec_exit_codes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = common::run(
        &[
            "scan",
            "test-repos/risky-tools",
            "--fail-on",
            "unbounded-exec",
            "-f",
            "json",
        ],
        root,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("policy failed: unbounded-exec"))
        .collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("ops-shell") && lines[0].contains("ShellTool"));
    let out = common::run(
        &[
            "scan",
            "test-repos/governed-monorepo",
            "--fail-on",
            "unbounded-exec",
            "-q",
        ],
        root,
    );
    assert_eq!(out.status.code(), Some(0));
}

/// Issue 17: `aiscout diff` lists a unit whose risk changed, with the level it had.
#[test]
fn issue_17_diff_lists_a_risk_change() {
    let new = common::scan(&["test-repos/risky-tools"]);
    let mut old = new.clone();
    for u in old.units.iter_mut().filter(|u| u.path == "ops-shell") {
        let r = u.risk.as_mut().unwrap();
        r.reasons.clear();
        r.level = RiskLevel::Low;
    }
    let d = aiscout::inventory::diff::Diff::between(&old, &new);
    assert_eq!(d.changed_units.len(), 1);
    let c = &d.changed_units[0];
    assert_eq!(c.unit.path, "ops-shell");
    assert_eq!(c.risk_was, Some(RiskLevel::Low));
    assert!(aiscout::inventory::diff::change_words(c).contains("risk low → high"));
}

/// Issue 17: the table has a RISK column that no width hides, and the human formats name
/// the unguarded tool.
#[test]
fn issue_17_risk_shows_in_the_table_at_any_width_and_in_markdown() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for cols in ["200", "60"] {
        let out = common::run_env(
            &["scan", "test-repos/risky-tools"],
            root,
            &[("COLUMNS", cols)],
        );
        let table = String::from_utf8_lossy(&out.stdout);
        let header = table
            .lines()
            .find(|l| l.contains("STATUS"))
            .unwrap_or_else(|| panic!("{table}"));
        assert!(header.contains("RISK"), "{cols}: {table}");
        let row = table.lines().find(|l| l.contains("ops-shell")).unwrap();
        assert!(row.contains("high"), "{cols}: {row}");
        if cols == "60" {
            assert!(table.lines().all(|l| l.chars().count() <= 60), "{table}");
        }
    }
    let out = common::run(&["scan", "test-repos/risky-tools", "-f", "markdown"], root);
    let md = String::from_utf8_lossy(&out.stdout);
    let row = md.lines().find(|l| l.starts_with("| ops-shell |")).unwrap();
    assert!(row.contains("**high**: unguarded-exec shell"), "{row}");
    assert!(md.contains("| high | 2 |"), "{md}");
}
