//! The figures the governance reports (Markdown, HTML) open with: how many agents have
//! an owner, monitoring, evals and containment, next to what industry surveys report,
//! and agents by status, provider and team. Counting only: no judgement is added
//! here that the inventory does not hold.

use std::collections::BTreeMap;

use crate::inventory::diff::{Diff, UnitBrief};
use crate::inventory::owner;
use crate::inventory::{
    Control as StatusControl, Inventory, ReasonKind, RegistrySummary, RiskLevel, SecretRef, Status,
    Unit, UnitKind,
};
use crate::model::{Evidence, Kind, Method};

/// A published survey the industry references come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source {
    /// Publisher and title, as a reader would look it up.
    pub name: &'static str,
    /// Where it is published, when we can name the page precisely.
    pub url: Option<&'static str>,
}

/// Every source an industry reference cites, numbered from 1 in reports (footnotes).
pub const SOURCES: [Source; 1] = [Source {
    name: "LangChain, State of Agent Engineering (survey of 1,340 professionals, \
           November–December 2025)",
    url: Some("https://www.langchain.com/state-of-agent-engineering"),
}];

/// What a published survey reports for one control. Surveys count organisations, not
/// agents, so this is a reference point, not a target; controls no survey we can cite
/// measures have none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Industry {
    /// The share the survey reports, drawn beside the bar.
    pub percent: u32,
    /// The reference as words, e.g. `89% of organisations surveyed have observability`.
    pub text: &'static str,
    /// Its source: an index into [`SOURCES`].
    pub source: usize,
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
    /// What a cited survey reports, if one does.
    pub industry: Option<Industry>,
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
    /// Agents per team their named owner names (`@org/team`, a Backstage group, a
    /// declared team), most first, then by name; a unit of two teams counts for each.
    pub by_team: Vec<(String, usize)>,
    /// Agents whose named owner names only people (`@user`, an e-mail address), per
    /// owner: individuals are not teams.
    pub by_individual: Vec<(String, usize)>,
    /// Agents with no named owner.
    pub unowned: usize,
    /// Of those, agents with an owner hint (package authors).
    pub hinted: usize,
    /// Secrets found (baselined ones included).
    pub secrets: usize,
    /// Secrets not accepted in a baseline.
    pub secrets_open: usize,
    /// Agents per risk level, highest first (all four, zeros included); units of an
    /// inventory written before risk count as `none`.
    pub by_risk: Vec<(RiskLevel, usize)>,
}

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
        // What the inventory's status rule counts, so coverage and statuses agree.
        let rule = &inv.status_rule;
        let controls = vec![
            control("Owner", count(&|u| rule.has(u, StatusControl::Owner)), None),
            control(
                "Monitoring",
                count(&|u| rule.has(u, StatusControl::Monitoring)),
                Some(Industry {
                    percent: 89,
                    text: "89% of organisations surveyed have observability for their agents",
                    source: 0,
                }),
            ),
            control(
                "Evals",
                count(&|u| rule.has(u, StatusControl::Evals)),
                Some(Industry {
                    percent: 52,
                    text: "52% of organisations surveyed run offline evals",
                    source: 0,
                }),
            ),
            control(
                "Containment",
                count(&|u| rule.has(u, StatusControl::Containment)),
                None,
            ),
        ];
        let by_status = [Status::Governed, Status::Partial, Status::Shadow]
            .into_iter()
            .map(|s| (s, count(&|u| u.status == s)))
            .collect();
        let mut providers: BTreeMap<String, usize> = BTreeMap::new();
        let mut teams: BTreeMap<String, usize> = BTreeMap::new();
        let mut individuals: BTreeMap<String, usize> = BTreeMap::new();
        for u in units {
            for p in &u.providers {
                *providers.entry(p.clone()).or_default() += 1;
            }
            let Some(o) = &u.owner else { continue };
            let named = owner::teams(o);
            if named.is_empty() {
                *individuals.entry(o.value.clone()).or_default() += 1;
            }
            for t in named {
                *teams.entry(t).or_default() += 1;
            }
        }
        // Keys count wherever they sit: one in a folder that is not an agent is still a
        // leaked credential.
        let secrets = inv.all_units().map(|u| u.secrets.len()).sum();
        let secrets_open = inv
            .all_units()
            .flat_map(|u| &u.secrets)
            .filter(|s| !s.baselined)
            .count();
        let level = |u: &Unit| u.risk.as_ref().map_or(RiskLevel::None, |r| r.level);
        let by_risk = [
            RiskLevel::High,
            RiskLevel::Medium,
            RiskLevel::Low,
            RiskLevel::None,
        ]
        .into_iter()
        .map(|l| (l, count(&|u| level(u) == l)))
        .collect();
        Summary {
            units: n,
            by_risk,
            repositories: inv.repositories.len(),
            repositories_with_ai: inv.repositories.iter().filter(|r| r.units > 0).count(),
            controls,
            by_status,
            by_provider: ranked(providers),
            by_team: ranked(teams),
            by_individual: ranked(individuals),
            unowned: count(&|u| u.owner.is_none()),
            hinted: count(&|u| u.owner.is_none() && u.owner_hint.is_some()),
            secrets,
            secrets_open,
        }
    }
}

/// What changed since a previous inventory (`--previous`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trend {
    /// Per control, in [`Summary::controls`] order: its name, the share before and now.
    pub controls: Vec<(&'static str, u32, u32)>,
    /// Agents before and now.
    pub units: (usize, usize),
    /// Agents now that the previous inventory does not hold: `repo: path`.
    pub new_agents: Vec<String>,
    /// Agents the previous inventory held that are gone: `repo: path`.
    pub removed_agents: Vec<String>,
}

impl Trend {
    /// The trend from `previous` to `now`, agents matched by unit id.
    pub fn between(previous: &Inventory, now: &Inventory) -> Trend {
        let (was, is) = (Summary::of(previous), Summary::of(now));
        let controls = was
            .controls
            .iter()
            .zip(&is.controls)
            .map(|(a, b)| (b.name, a.percent, b.percent))
            .collect();
        let d = Diff::between(previous, now);
        let label = |u: &UnitBrief| format!("{}: {}", u.repo, u.path);
        Trend {
            controls,
            units: (was.units, is.units),
            new_agents: d.new_units.iter().map(label).collect(),
            removed_agents: d.removed_units.iter().map(label).collect(),
        }
    }
}

/// A change in percentage points as a reader sees it: `+5`, `-12`, `±0`.
pub fn points(was: u32, is: u32) -> String {
    match is.cmp(&was) {
        std::cmp::Ordering::Greater => format!("+{}", is - was),
        std::cmp::Ordering::Less => format!("-{}", was - is),
        std::cmp::Ordering::Equal => "±0".into(),
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

/// What the secrets tables note about a key: baselined, in a test, where it entered
/// history (and whether it is still at `HEAD`), `; `-separated.
pub fn key_note(k: &SecretRef) -> String {
    let mut note = Vec::new();
    if k.baselined {
        note.push("baselined".to_string());
    }
    if k.in_test {
        note.push("in test".to_string());
    }
    if let Some(h) = &k.history {
        note.push(format!(
            "history: {} {}{}",
            h.commit.get(..12).unwrap_or(&h.commit),
            h.date,
            if h.at_head { "" } else { ", not at HEAD" }
        ));
    }
    note.join("; ")
}

/// The registry's one-line account, as the Markdown and HTML reviews print it
/// (unescaped).
pub fn registry_sentence(r: &RegistrySummary) -> String {
    format!(
        "{} ({} entries, {}): {} found, {} missing, {} in repositories this scan did not \
         cover; {} agent(s) unregistered.",
        r.file, r.entries, r.format, r.found, r.missing, r.not_scanned, r.unregistered
    )
}

/// Where a key sits, for the secrets tables: the unit's label, and for a folder that
/// is not an agent, why not.
pub fn key_holder(u: &Unit) -> String {
    match u.not_agent {
        Some(reason) => format!("{} (not an agent: {})", unit_label(u), reason.as_str()),
        None => unit_label(u),
    }
}

/// How strongly a piece of evidence shows what it names; lower is stronger. Code that
/// calls or imports comes first, then a key in the tree, an endpoint or configuration,
/// a model id, then a file's name or a pattern in text, and last what a manifest or
/// lockfile declares (it may be unused) and a package's own metadata. Governance
/// evidence (monitoring, evals, owners) follows the AI use of the same strength.
pub fn strength(e: &Evidence) -> (u8, u8) {
    let method = match (e.kind, e.method) {
        (_, Method::Call) => 0,
        (_, Method::Import) => 1,
        (Kind::Secret, _) => 2,
        (_, Method::Endpoint) => 3,
        (_, Method::Config) => 4,
        (_, Method::Literal) => 5,
        (_, Method::File) => 6,
        (_, Method::Pattern) => 7,
        (_, Method::Dependency) => 8,
        (_, Method::Lockfile) => 9,
        (_, Method::Package) => 10,
    };
    let governance = matches!(
        e.kind,
        Kind::Monitoring | Kind::Eval | Kind::Guardrail | Kind::Owner
    );
    (method, u8::from(governance))
}

/// A unit's evidence, strongest first ([`strength`]), then by place.
pub fn ordered_evidence(u: &Unit) -> Vec<&Evidence> {
    let mut v: Vec<&Evidence> = u.evidence.iter().collect();
    // Stable: equal strength keeps the inventory's sorted order (path, line).
    v.sort_by_key(|e| strength(e));
    v
}

/// The evidence of a unit in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place<'a> {
    /// The file's path in the repository.
    pub path: &'a str,
    /// For notebooks: the code cell (lines count within it).
    pub cell: Option<u32>,
    /// Lines with evidence, ascending.
    pub lines: Vec<u32>,
}

impl Place<'_> {
    /// `path:line,line…` (notebooks: `path[cell N]:line…`).
    pub fn label(&self) -> String {
        let lines: Vec<String> = self.lines.iter().map(u32::to_string).collect();
        match self.cell {
            Some(c) => format!("{}[cell {c}]:{}", self.path, lines.join(",")),
            None => format!("{}:{}", self.path, lines.join(",")),
        }
    }
}

/// Where a unit's evidence is, one entry per file (per notebook cell), files in the
/// order of their strongest evidence ([`ordered_evidence`]).
pub fn evidence_places(u: &Unit) -> Vec<Place<'_>> {
    let mut files: Vec<Place<'_>> = Vec::new();
    for e in ordered_evidence(u) {
        match files
            .iter_mut()
            .find(|p| p.path == e.path && p.cell == e.cell)
        {
            Some(p) if p.lines.contains(&e.line) => {}
            Some(p) => p.lines.push(e.line),
            None => files.push(Place {
                path: &e.path,
                cell: e.cell,
                lines: vec![e.line],
            }),
        }
    }
    for p in &mut files {
        p.lines.sort_unstable();
    }
    files
}

/// MCP servers of a unit as `name (served)` / `name (used)`, in inventory order.
pub fn mcp_names(u: &Unit) -> Vec<String> {
    let mut v: Vec<String> = u
        .mcp_servers
        .iter()
        .map(|m| format!("{} ({})", m.name, m.role))
        .collect();
    v.dedup();
    v
}

/// Side-effecting tools of a unit as `risk: name`, one entry per distinct pair.
pub fn tool_names(u: &Unit) -> Vec<String> {
    let mut v: Vec<String> = u
        .tools
        .iter()
        .map(|t| format!("{}: {}", t.risk, t.name))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// A unit's risk level as a word (`high`), `-` for an inventory written before risk.
pub fn risk_level(u: &Unit) -> &'static str {
    u.risk.as_ref().map_or("-", |r| r.level.as_str())
}

/// A unit's risk reasons in words, most severe first: `unguarded-exec shell ShellTool
/// (agent/tools.py:3)`, `guarded-exec code-exec CodeAgent (covered by loop-limit)`,
/// `mcp-server github … (serves shell: ShellTool)`, `credential reference
/// OPENAI_API_KEY`.
pub fn risk_reasons(u: &Unit) -> Vec<String> {
    let Some(risk) = &u.risk else {
        return Vec::new();
    };
    risk.reasons
        .iter()
        .map(|r| {
            let mut s = r.kind.as_str().to_string();
            if let Some(c) = &r.class {
                s.push(' ');
                s.push_str(c);
            }
            s.push(' ');
            s.push_str(&r.name);
            if r.kind != ReasonKind::Credential && r.kind != ReasonKind::McpServer {
                s.push_str(&format!(" ({}:{})", r.at.path, r.at.line));
            }
            if !r.covered_by.is_empty() {
                let scope = match r.scope.as_deref() {
                    Some("repository") => ", repository-wide only",
                    _ => "",
                };
                s.push_str(&format!(" (covered by {}{scope})", r.covered_by.join(", ")));
            }
            if !r.tools.is_empty() {
                s.push_str(&format!(" (serves {})", r.tools.join(", ")));
            }
            s
        })
        .collect()
}

/// A unit's place in the registry: `registered as NAME (OWNER)`, `unregistered`, or
/// None when no registry was given.
pub fn registry_text(u: &Unit) -> Option<String> {
    let reg = u.registry?;
    Some(match &u.registered_as {
        Some(r) => match &r.owner {
            Some(o) => format!("registered as {} ({o})", r.name),
            None => format!("registered as {}", r.name),
        },
        None => reg.as_str().to_string(),
    })
}

/// The one-command fix for a unit the registry does not list.
pub fn register_fix(u: &Unit) -> String {
    format!("aiscout register {} --owner TEAM --registry FILE", u.path)
}

/// How a unit's owner reads: the named owner with its source, else the hint
/// labelled as one (`hint: Jane Doe (package authors)`), else None.
pub fn owner_text(u: &Unit) -> Option<String> {
    if let Some(o) = &u.owner {
        let source = if o.source == "package" {
            "package authors, counted as owner".to_string()
        } else {
            o.source.clone()
        };
        let declared = if o.self_declared {
            ", self-declared"
        } else {
            ""
        };
        return Some(format!("{} ({source}{declared})", o.value));
    }
    u.owner_hint
        .as_ref()
        .map(|h| format!("hint: {} (package authors)", h.value))
}

/// `named`, `hint` or `none`: the owner filter's value for a unit.
pub fn owner_class(u: &Unit) -> &'static str {
    match (&u.owner, &u.owner_hint) {
        (Some(o), _) if o.source == "package" => "hint",
        (Some(_), _) => "named",
        (None, Some(_)) => "hint",
        (None, None) => "none",
    }
}

/// A signal as a short cell: its names, or `-`.
pub fn signal_cell(s: &crate::inventory::Signal) -> String {
    match (s.present, s.scope.as_deref()) {
        (false, _) => "-".into(),
        (true, Some("repository")) => format!("{} (repo-wide)", s.names.join(", ")),
        (true, _) => s.names.join(", "),
    }
}

/// What the scan read and what it did not, as `(what, how many)` rows: a reviewer
/// weighs "no agent found" by how much was read. Skips by reason, then faults.
pub fn scan_coverage(inv: &Inventory) -> Vec<(String, String)> {
    let s = &inv.stats;
    let mut rows = vec![
        (
            "files read".to_string(),
            format!("{} of {} seen", s.files_scanned, s.files_seen),
        ),
        (
            "bytes read".to_string(),
            format!("{:.1} MB", s.bytes_scanned as f64 / 1e6),
        ),
        (
            "files with an AI keyword".to_string(),
            s.prefilter_hits.to_string(),
        ),
        ("files parsed".to_string(), s.files_parsed.to_string()),
    ];
    if s.suppressed > 0 {
        rows.push((
            "findings suppressed inline".to_string(),
            s.suppressed.to_string(),
        ));
    }
    for (reason, n) in &s.skipped {
        rows.push((format!("skipped: {}", reason.as_str()), n.to_string()));
    }
    rows.push(("faults".to_string(), s.faults.len().to_string()));
    rows
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
