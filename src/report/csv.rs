//! The CSV reporter: one row per agent unit, for spreadsheets. RFC 4180: comma
//! separated, CRLF line ends, a cell quoted when it holds a comma, quote or line
//! break, quotes doubled. A cell that a spreadsheet would run as a formula (starting
//! with `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with `'`, so a
//! scanned path cannot inject one (OWASP "CSV injection").

use std::io::{self, Write};

use super::summary;
use super::ReportOptions;
use crate::inventory::{Inventory, Signal};

/// The header row.
pub const COLUMNS: [&str; 28] = [
    "id",
    "repository",
    "commit",
    "branch",
    "path",
    "name",
    "kind",
    "status",
    "owner",
    "owner_source",
    "monitoring",
    "evals",
    "containment",
    "languages",
    "providers",
    "frameworks",
    "transitive",
    "models",
    "mcp_servers",
    "tools",
    "secrets",
    "secret_fingerprints",
    "strongest",
    "evidence",
    "risk",
    "risk_reasons",
    "registry",
    "registered_as",
];

/// One cell, neutralised and quoted as needed.
pub fn cell(s: &str) -> String {
    let guarded = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn row(w: &mut dyn Write, cells: &[String]) -> io::Result<()> {
    let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    w.write_all(line.join(",").as_bytes())?;
    w.write_all(b"\r\n")
}

fn signal(s: &Signal) -> String {
    if s.present {
        s.names.join("; ")
    } else {
        String::new()
    }
}

/// Writes `inv` as CSV.
pub fn write(inv: &Inventory, _opts: &ReportOptions, w: &mut dyn Write) -> io::Result<()> {
    let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    row(w, &header)?;
    for u in &inv.units {
        // Two checkouts of one remote share an identity; the first one's commit is shown.
        let repo = inv.repositories.iter().find(|r| r.identity == u.repo);
        let kind = serde_json::to_value(u.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        row(
            w,
            &[
                u.id.clone(),
                u.repo.clone(),
                repo.and_then(|r| r.commit.clone()).unwrap_or_default(),
                repo.and_then(|r| r.branch.clone()).unwrap_or_default(),
                u.path.clone(),
                u.name.clone(),
                kind,
                u.status.as_str().to_string(),
                u.owner.as_ref().map_or(String::new(), |o| o.value.clone()),
                u.owner.as_ref().map_or(String::new(), |o| o.source.clone()),
                signal(&u.monitoring),
                signal(&u.evals),
                signal(&u.containment),
                u.languages.join("; "),
                u.providers.join("; "),
                u.frameworks.join("; "),
                u.transitive.join("; "),
                u.models
                    .iter()
                    .map(|m| m.id.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                u.mcp_servers
                    .iter()
                    .map(|m| format!("{} ({})", m.name, m.role))
                    .collect::<Vec<_>>()
                    .join("; "),
                u.tools
                    .iter()
                    .map(|t| format!("{} ({})", t.name, t.risk))
                    .collect::<Vec<_>>()
                    .join("; "),
                u.secrets.len().to_string(),
                u.secrets
                    .iter()
                    .map(|s| s.fingerprint.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                u.strongest.as_str().to_string(),
                summary::evidence_places(u)
                    .iter()
                    .map(summary::Place::label)
                    .collect::<Vec<_>>()
                    .join("; "),
                u.risk
                    .as_ref()
                    .map_or(String::new(), |r| r.level.as_str().to_string()),
                summary::risk_reasons(u).join("; "),
                u.registry.map_or(String::new(), |r| r.as_str().to_string()),
                u.registered_as
                    .as_ref()
                    .map_or(String::new(), |r| match &r.owner {
                        Some(o) => format!("{} ({o})", r.name),
                        None => r.name.clone(),
                    }),
            ],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_guarded() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("a=b"), "a=b");
    }
}
