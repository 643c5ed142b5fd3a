//! The figures the governance reports (Markdown, HTML) open with: how many agents have
//! an owner, monitoring, evals and containment, next to what industry surveys report,
//! and agents by status, provider and team. Counting only: no judgement is added
//! here that the inventory does not hold.

use std::collections::BTreeMap;

use crate::inventory::{Inventory, Status, Unit, UnitKind};

/// What industry surveys report for one control. Deliberately coarse: the surveys
/// differ in method and population, so a reader gets an order of magnitude.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Industry {
    /// A rough share to draw beside the bar, when surveys give one.
    pub percent: Option<u32>,
    /// The reference as words, e.g. `industry surveys: ~50% of agents are monitored`.
    pub text: &'static str,
}

/// One governance control and how many agents have it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Control {
    /// `Owner`, `Monitoring`, `Evals`, `Containment`.
    pub name: &'static str,
    /// Agents that have it.
    pub count: usize,
    /// `count` as a whole percentage of all agents (0 when there are none).
    pub percent: u32,
    /// What surveys report.
    pub industry: Industry,
}

/// The summary of an inventory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Agent units.
    pub units: usize,
    /// Repositories scanned.
    pub repositories: usize,
    /// Repositories with at least one unit.
    pub repositories_with_ai: usize,
    /// Owner, monitoring, evals, containment, in that order.
    pub controls: Vec<Control>,
    /// Governed, partial, shadow (all three, zeros included).
    pub by_status: Vec<(Status, usize)>,
    /// Agents per provider, most first, then by name.
    pub by_provider: Vec<(String, usize)>,
    /// Agents per owner (`(no owner)` for none), most first, then by name.
    pub by_team: Vec<(String, usize)>,
    /// Secrets found (baselined ones included).
    pub secrets: usize,
    /// Secrets not accepted in a baseline.
    pub secrets_open: usize,
}

/// The label of units without an owner in `by_team`.
pub const NO_OWNER: &str = "(no owner)";

/// Whole percentage of `n` in `total`, rounded half up.
pub fn percent(n: usize, total: usize) -> u32 {
    if total == 0 {
        0
    } else {
        ((n * 200 + total) / (total * 2)) as u32
    }
}

fn ranked(counts: BTreeMap<String, usize>) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

impl Summary {
    /// Counts `inv`.
    pub fn of(inv: &Inventory) -> Summary {
        let units = &inv.units;
        let n = units.len();
        let count = |f: &dyn Fn(&Unit) -> bool| units.iter().filter(|u| f(u)).count();
        let control = |name, count: usize, industry| Control {
            name,
            count,
            percent: percent(count, n),
            industry,
        };
        let controls = vec![
            control(
                "Owner",
                count(&|u| u.owner.is_some()),
                Industry {
                    percent: None,
                    text: "industry surveys: few agents have a named owner before an incident",
                },
            ),
            control(
                "Monitoring",
                count(&|u| u.monitoring.present),
                Industry {
                    percent: Some(50),
                    text: "industry surveys: ~50% of agents are monitored",
                },
            ),
            control(
                "Evals",
                count(&|u| u.evals.present),
                Industry {
                    percent: Some(50),
                    text: "industry surveys: ~50% of organisations run offline evals",
                },
            ),
            control(
                "Containment",
                count(&|u| u.containment.present),
                Industry {
                    percent: None,
                    text: "industry surveys: most can watch an agent but cannot stop it",
                },
            ),
        ];
        let by_status = [Status::Governed, Status::Partial, Status::Shadow]
            .into_iter()
            .map(|s| (s, count(&|u| u.status == s)))
            .collect();
        let mut providers: BTreeMap<String, usize> = BTreeMap::new();
        let mut teams: BTreeMap<String, usize> = BTreeMap::new();
        for u in units {
            for p in &u.providers {
                *providers.entry(p.clone()).or_default() += 1;
            }
            let team = u.owner.as_ref().map_or(NO_OWNER, |o| o.value.as_str());
            *teams.entry(team.to_string()).or_default() += 1;
        }
        let secrets = units.iter().map(|u| u.secrets.len()).sum();
        let secrets_open = units
            .iter()
            .flat_map(|u| &u.secrets)
            .filter(|s| !s.baselined)
            .count();
        Summary {
            units: n,
            repositories: inv.repositories.len(),
            repositories_with_ai: inv.repositories.iter().filter(|r| r.units > 0).count(),
            controls,
            by_status,
            by_provider: ranked(providers),
            by_team: ranked(teams),
            secrets,
            secrets_open,
        }
    }
}

/// A unit's name as a reader sees it: its path, marked when it is not code.
pub fn unit_label(u: &Unit) -> String {
    match u.kind {
        UnitKind::Code => u.path.clone(),
        UnitKind::Infrastructure => format!("{} (infra)", u.path),
        UnitKind::McpConfig => format!("{} (mcp)", u.path),
    }
}

/// Where a unit's evidence is, one entry per file: `path:line,line…` (notebooks:
/// `path[cell N]:line…`), files and lines in evidence order.
pub fn evidence_places(u: &Unit) -> Vec<String> {
    let mut files: Vec<(String, Vec<u32>)> = Vec::new();
    for e in &u.evidence {
        let file = match e.cell {
            Some(c) => format!("{}[cell {c}]", e.path),
            None => e.path.clone(),
        };
        match files.iter_mut().find(|(f, _)| *f == file) {
            Some((_, lines)) if lines.contains(&e.line) => {}
            Some((_, lines)) => lines.push(e.line),
            None => files.push((file, vec![e.line])),
        }
    }
    files
        .into_iter()
        .map(|(f, lines)| {
            let lines: Vec<String> = lines.iter().map(u32::to_string).collect();
            format!("{f}:{}", lines.join(","))
        })
        .collect()
}

/// A signal as a short cell: its names, or `-`.
pub fn signal_cell(s: &crate::inventory::Signal) -> String {
    match (s.present, s.scope.as_deref()) {
        (false, _) => "-".into(),
        (true, Some("repository")) => format!("{} (repo-wide)", s.names.join(", ")),
        (true, _) => s.names.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_up_and_survive_zero() {
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(1, 2), 50);
        assert_eq!(percent(1, 8), 13);
    }
}
