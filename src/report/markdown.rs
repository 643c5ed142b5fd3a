//! The Markdown reporter: a governance review. A summary first (owner, monitoring,
//! evals and containment as bars beside the cited industry references; the trend
//! since a previous inventory; agents by status, provider and team), then one row per
//! agent with why it has its status and the fix, its MCP servers and side-effecting
//! tools, and its evidence strongest first (linked to the file when the repository has
//! a known web host), then the secrets (redacted). Everything printed from the inventory is escaped, so a
//! path or snippet cannot inject markup or break the tables.

use std::io::{self, Write};

use super::summary::{self, percent, Summary, Trend};
use super::{links, ReportOptions};
use crate::inventory::{Inventory, Registration};
use crate::model::shown;

/// Width of a bar, in cells (one cell is 5%).
const BAR_CELLS: u32 = 20;

/// Escapes text for a Markdown table cell: first as [`shown`] (controls, line breaks,
/// bidi controls and CI log commands escaped, as in every text format), then Markdown
/// punctuation is backslash-escaped and `<`, `>` and `&` become entities (renderers
/// pass raw HTML through).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in shown(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A text bar of `pct` percent.
pub fn bar(pct: u32) -> String {
    let filled = ((pct.min(100) * BAR_CELLS + 50) / 100) as usize;
    "█".repeat(filled) + &"░".repeat(BAR_CELLS as usize - filled)
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "-".into()
    } else {
        escape(&v.join(", "))
    }
}

/// The links between units, and each unit's own structure, as a table.
fn write_links(inv: &Inventory, w: &mut dyn Write) -> io::Result<()> {
    if inv.links.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    writeln!(w, "## Links")?;
    writeln!(w)?;
    writeln!(
        w,
        "| From | To | Protocol | Endpoint or names | Matched by | Evidence |"
    )?;
    writeln!(w, "|---|---|---|---|---|---|")?;
    for l in &inv.links {
        let to = if super::graph::is_structure(l) {
            "(itself)".to_string()
        } else {
            escape(&super::graph::end_name(inv, &l.to))
        };
        let what = match &l.endpoint {
            Some(e) => escape(e),
            None => list(&l.names),
        };
        let evidence: Vec<String> = l
            .evidence
            .iter()
            .map(|e| escape(&format!("{}:{}", e.at.path, e.at.line)))
            .collect();
        writeln!(
            w,
            "| {} | {to} | {} | {what} | {} | {} |",
            escape(&super::graph::unit_name(inv, &l.from)),
            escape(&l.protocol),
            escape(l.via.as_deref().unwrap_or("-")),
            evidence.join("<br>"),
        )?;
    }
    Ok(())
}

/// The keys found, in agent units and outside them, redacted.
fn write_secrets(inv: &Inventory, s: &Summary, w: &mut dyn Write) -> io::Result<()> {
    if s.secrets > 0 {
        writeln!(w)?;
        writeln!(
            w,
            "## Secrets ({} found, {} not baselined)",
            s.secrets, s.secrets_open
        )?;
        writeln!(w)?;
        writeln!(
            w,
            "Values are never shown: a short prefix and a fingerprint only."
        )?;
        writeln!(w)?;
        writeln!(w, "| Unit | Place | Provider | Key | Fingerprint | Note |")?;
        writeln!(w, "|---|---|---|---|---|---|")?;
        for u in inv.all_units() {
            for k in &u.secrets {
                writeln!(
                    w,
                    "| {} | {}:{} | {} | {} | {} | {} |",
                    escape(&summary::key_holder(u)),
                    escape(&k.path),
                    k.line,
                    escape(&k.provider),
                    escape(&k.shown),
                    escape(&k.fingerprint),
                    escape(&summary::key_note(k)),
                )?;
            }
        }
    }
    Ok(())
}

/// Writes `inv` as a Markdown governance review.
pub fn write(inv: &Inventory, opts: &ReportOptions, w: &mut dyn Write) -> io::Result<()> {
    let s = Summary::of(inv);
    writeln!(w, "# AI agent inventory")?;
    writeln!(w)?;
    writeln!(
        w,
        "{} {} · {} agent unit(s) in {} of {} repositor{} · scanned: {}",
        escape(&inv.scanner.name),
        escape(&inv.scanner.version),
        s.units,
        s.repositories_with_ai,
        s.repositories,
        if s.repositories == 1 { "y" } else { "ies" },
        escape(&inv.sources.join(", ")),
    )?;
    writeln!(w)?;
    writeln!(
        w,
        "{}",
        escape(&super::anchors::line(inv, super::anchors::DOCUMENT_WIDTH))
    )?;
    writeln!(w)?;
    writeln!(w, "## Governance summary")?;
    writeln!(w)?;
    if s.units == 0 {
        let none = if s.secrets > 0 {
            "No agent units found."
        } else {
            "No AI usage found."
        };
        writeln!(w, "{none}")?;
        // A key in a project with no agent is still a leaked credential.
        return write_secrets(inv, &s, w);
    }
    writeln!(w, "| Control | Agents | Share | | Industry reference |")?;
    writeln!(w, "|---|---:|---:|---|---|")?;
    for c in &s.controls {
        let industry = c.industry.map_or("-".to_string(), |i| {
            format!("{} \\[{}\\]", i.text, i.source + 1)
        });
        writeln!(
            w,
            "| {} | {} of {} | {}% | {} | {industry} |",
            c.name,
            c.count,
            s.units,
            c.percent,
            bar(c.percent),
        )?;
    }
    writeln!(w)?;
    for (i, src) in summary::SOURCES.iter().enumerate() {
        match src.url {
            Some(url) => writeln!(w, "\\[{}\\] {} <{url}>  ", i + 1, escape(src.name))?,
            None => writeln!(w, "\\[{}\\] {}  ", i + 1, escape(src.name))?,
        }
    }
    writeln!(
        w,
        "Surveys count organisations, not agents: a reference point, not a target."
    )?;
    writeln!(w)?;
    if s.hinted > 0 {
        writeln!(
            w,
            "Owner counts named owners (a declaration, CODEOWNERS, a catalog) only; {} more \
             agent(s) have just a hint (package authors), shown as `hint:` below.",
            s.hinted
        )?;
        writeln!(w)?;
    }
    if let Some(prev) = &opts.previous {
        let t = Trend::between(prev, inv);
        writeln!(w, "### Since the previous inventory")?;
        writeln!(w)?;
        writeln!(w, "| Control | Before | Now | Change |")?;
        writeln!(w, "|---|---:|---:|---:|")?;
        writeln!(
            w,
            "| Agents | {} | {} | {} |",
            t.units.0,
            t.units.1,
            summary::points(t.units.0 as u32, t.units.1 as u32)
        )?;
        for (name, was, is) in &t.controls {
            writeln!(
                w,
                "| {name} | {was}% | {is}% | {} pts |",
                summary::points(*was, *is)
            )?;
        }
        writeln!(w)?;
        for (title, list) in [
            ("New agents", &t.new_agents),
            ("Removed agents", &t.removed_agents),
        ] {
            writeln!(w, "{title} ({}):", list.len())?;
            writeln!(w)?;
            if list.is_empty() {
                writeln!(w, "- none")?;
            }
            for a in list {
                writeln!(w, "- {}", escape(a))?;
            }
            writeln!(w)?;
        }
    }
    writeln!(
        w,
        "Status: **governed** = a named owner, monitoring and evals; **shadow** = no named \
         owner and no monitoring; **partial** = in between. Containment (guardrails, \
         approvals, budgets, kill switches) is shown beside the status."
    )?;
    writeln!(w)?;
    writeln!(w, "### Agents by status")?;
    writeln!(w)?;
    writeln!(w, "| Status | Agents | Share |")?;
    writeln!(w, "|---|---:|---:|")?;
    for (status, n) in &s.by_status {
        writeln!(
            w,
            "| {} | {n} | {}% |",
            status.as_str(),
            percent(*n, s.units)
        )?;
    }
    writeln!(w)?;
    writeln!(w, "### Agents by risk")?;
    writeln!(w)?;
    writeln!(
        w,
        "Blast radius: `high` runs shell commands or code (or moves money) with no guardrail, \
         human approval or loop limit around it; `medium` has other side-effecting tools, a \
         covered one, or MCP servers; `low` only holds credentials (docs/governance.md)."
    )?;
    writeln!(w)?;
    writeln!(w, "| Risk | Agents |")?;
    writeln!(w, "|---|---:|")?;
    for (level, n) in &s.by_risk {
        writeln!(w, "| {} | {n} |", level.as_str())?;
    }
    writeln!(w)?;
    writeln!(w, "### Agents by provider")?;
    writeln!(w)?;
    if s.by_provider.is_empty() {
        writeln!(w, "No provider named.")?;
    } else {
        writeln!(w, "| Provider | Agents |")?;
        writeln!(w, "|---|---:|")?;
        for (p, n) in &s.by_provider {
            writeln!(w, "| {} | {n} |", escape(p))?;
        }
    }
    writeln!(w)?;
    writeln!(w, "### Agents by team")?;
    writeln!(w)?;
    writeln!(w, "| Team | Agents |")?;
    writeln!(w, "|---|---:|")?;
    for (t, n) in &s.by_team {
        writeln!(w, "| {} | {n} |", escape(t))?;
    }
    for (t, n) in &s.by_individual {
        writeln!(w, "| {} (individual, not a team) | {n} |", escape(t))?;
    }
    writeln!(w, "| (no named owner) | {} |", s.unowned)?;
    writeln!(w)?;
    writeln!(w, "## Agents")?;
    writeln!(w)?;
    let registry = inv.registry.is_some();
    writeln!(
        w,
        "| Unit | Repository | Status | Risk | {}Why and fix | Owner | Monitoring | Evals \
         | Containment | Providers | Frameworks | Models | MCP servers | Side-effecting tools \
         | Keys | Evidence |",
        if registry { "Registry | " } else { "" }
    )?;
    writeln!(
        w,
        "|---|---|---|---|{}---|---|---|---|---|---|---|---|---|---|---:|---|",
        if registry { "---|" } else { "" }
    )?;
    for u in &inv.units {
        let owner = summary::owner_text(u).map_or("-".to_string(), |o| escape(&o));
        let models: Vec<String> = u.models.iter().map(|m| m.id.clone()).collect();
        let commit = links::scanned_commit(inv, &u.repo);
        let evidence: Vec<String> = summary::evidence_places(u)
            .iter()
            .map(|p| {
                let label = escape(&p.label());
                match links::file_line(&u.repo, commit, p.path, p.lines[0]) {
                    Some(url) => format!("[{label}]({url})"),
                    None => label,
                }
            })
            .collect();
        let x = inv.status_rule.explain(u);
        let mut why = match &x.fix {
            Some(fix) => format!("{}. Fix: {}", escape(&x.why), escape(fix)),
            None => escape(&x.why),
        };
        if u.registry == Some(Registration::Unregistered) {
            why.push_str(&format!(
                ". Not in the registry: {}",
                escape(&summary::register_fix(u))
            ));
        }
        let reasons = summary::risk_reasons(u);
        let risk = if reasons.is_empty() {
            summary::risk_level(u).to_string()
        } else {
            format!("**{}**: {}", summary::risk_level(u), list(&reasons))
        };
        let reg = match summary::registry_text(u) {
            Some(t) if registry => format!("{} | ", escape(&t)),
            _ if registry => "- | ".to_string(),
            _ => String::new(),
        };
        writeln!(
            w,
            "| {} | {} | {} | {risk} | {reg}{why} | {owner} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            escape(&summary::unit_label(u)),
            escape(&u.repo),
            u.status.as_str(),
            escape(&summary::signal_cell(&u.monitoring)),
            escape(&summary::signal_cell(&u.evals)),
            escape(&summary::signal_cell(&u.containment)),
            list(&u.providers),
            list(&u.frameworks),
            list(&models),
            list(&summary::mcp_names(u)),
            list(&summary::tool_names(u)),
            u.secrets.len(),
            evidence.join("<br>"),
        )?;
    }
    write_links(inv, w)?;
    if let Some(r) = &inv.registry {
        writeln!(w)?;
        writeln!(w, "## Registry")?;
        writeln!(w)?;
        writeln!(w, "{}", escape(&summary::registry_sentence(r)))?;
        let missing = inv.registry_missing.as_deref().unwrap_or_default();
        if !missing.is_empty() {
            writeln!(w)?;
            writeln!(w, "Registered agents the scan did not find:")?;
            writeln!(w)?;
            writeln!(w, "| Entry | Name | Owner | Repository | Path | Found as |")?;
            writeln!(w, "|---:|---|---|---|---|---|")?;
            for e in missing {
                writeln!(
                    w,
                    "| {} | {} | {} | {} | {} | {} |",
                    e.entry,
                    escape(&e.name),
                    e.owner.as_deref().map_or("-".to_string(), escape),
                    escape(&e.repo),
                    escape(&e.path),
                    e.found_as.as_deref().map_or("-".to_string(), escape),
                )?;
            }
        }
    }
    if !inv.ai_in_ci.is_empty() {
        writeln!(w)?;
        writeln!(w, "## AI in CI")?;
        writeln!(w)?;
        writeln!(
            w,
            "Third-party AI actions that workflows run: not agents of the repository, \
             but they act with what their jobs give them."
        )?;
        writeln!(w)?;
        writeln!(
            w,
            "| Workflow | Repository | Action | Uses | Permissions | Secrets |"
        )?;
        writeln!(w, "|---|---|---|---|---|---|")?;
        for c in &inv.ai_in_ci {
            let permissions = if c.permissions.is_empty() {
                vec!["repository default".to_string()]
            } else {
                c.permissions.clone()
            };
            writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} |",
                escape(&c.path),
                escape(&c.repo),
                escape(&c.action),
                list(&c.uses),
                list(&permissions),
                list(&c.secrets),
            )?;
        }
    }
    write_secrets(inv, &s, w)?;
    writeln!(w)?;
    writeln!(w, "## Scan coverage")?;
    writeln!(w)?;
    writeln!(w, "| What | Count |")?;
    writeln!(w, "|---|---:|")?;
    for (what, n) in summary::scan_coverage(inv) {
        writeln!(w, "| {} | {} |", escape(&what), escape(&n))?;
    }
    if !inv.stats.faults.is_empty() {
        writeln!(w)?;
        writeln!(w, "Faults:")?;
        writeln!(w)?;
        for f in &inv.stats.faults {
            writeln!(w, "- {}: {}", escape(&f.path), escape(&f.message))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_neutralises_markup_and_table_breaks() {
        assert_eq!(
            escape("a|b <script>&`x`\n__init__\x1b"),
            "a\\|b &lt;script&gt;&amp;\\`x\\`\\\\x0a\\_\\_init\\_\\_\\\\x1b"
        );
    }

    #[test]
    fn bars_have_a_fixed_width() {
        assert_eq!(bar(0), "░".repeat(20));
        assert_eq!(bar(100), "█".repeat(20));
        assert_eq!(bar(50).chars().filter(|&c| c == '█').count(), 10);
        assert_eq!(bar(250).chars().count(), 20);
    }
}
