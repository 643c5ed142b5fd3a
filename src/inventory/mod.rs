//! The inventory: evidence grouped into repositories and agent units.
//!
//! An agent unit is the nearest directory, at or above a file with evidence, that has
//! its own manifest (`package.json`, `pyproject.toml`, `go.mod`, …), else the
//! repository root. Unit ids hash the repository identity and the unit path, so the
//! same unit has the same id on every machine and in every run. Everything here is
//! sorted: the same evidence always gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub mod baseline;
pub mod diff;
pub mod merge;
pub mod owner;
pub mod policy;
pub mod saved;

use crate::model::ScanStats;
use crate::model::{hex, Evidence, FileRole, Kind, Method};

/// Version of the JSON layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole scan's result. JSON of this is the lossless format every command reads back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    /// [`SCHEMA_VERSION`] at the time of writing.
    pub schema_version: u32,
    /// What produced it.
    pub scanner: ScannerInfo,
    /// The paths scanned, as given.
    pub sources: Vec<String>,
    /// What the scan read and skipped.
    pub stats: ScanStats,
    /// Every repository scanned, with or without AI.
    pub repositories: Vec<Repository>,
    /// Every agent unit found.
    pub units: Vec<Unit>,
}

/// The scanner and rules that produced an inventory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScannerInfo {
    /// Always `aiscout`.
    pub name: String,
    /// The crate version.
    pub version: String,
    /// Digest of the compiled rule set.
    pub rules_digest: String,
    /// Number of rules.
    pub rules: usize,
    /// The id of the key that made the secret fingerprints
    /// ([`crate::model::FingerprintKey::id`]): `default` for the built-in, public key.
    /// Fingerprints compare only between inventories with the same id. Absent in
    /// inventories written before keyed fingerprints.
    #[serde(default = "default_key_id")]
    pub fingerprint_key_id: String,
}

fn default_key_id() -> String {
    crate::model::FingerprintKey::DEFAULT_ID.to_string()
}

/// A scanned repository.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Repository {
    /// Remote URL (without credentials), else its path.
    pub identity: String,
    /// Where it was found on disk, as the user named it.
    pub path: String,
    /// Has a `.git`.
    pub git: bool,
    /// Number of agent units in it.
    pub units: usize,
}

/// What a unit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Code with its own manifest, or a repository root.
    Code,
    /// AI that lives only in infrastructure: Terraform, CloudFormation, Kubernetes,
    /// Helm, compose, an AI gateway's configuration.
    Infrastructure,
    /// MCP servers configured for an AI assistant or editor.
    McpConfig,
}

/// A unit's governance status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A named owner, monitoring and evals.
    Governed,
    /// Some but not all of them.
    Partial,
    /// No named owner and no monitoring.
    Shadow,
}

impl Status {
    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Governed => "governed",
            Status::Partial => "partial",
            Status::Shadow => "shadow",
        }
    }
}

/// Where a signal or item was seen.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    /// Path in the repository.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// The rule that saw it.
    pub rule_id: String,
}

/// A governance signal of a unit: monitoring, evals or containment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    /// At least one piece of evidence.
    pub present: bool,
    /// What provides it (`langsmith`, `promptfoo`, `human-approval`, …).
    pub names: Vec<String>,
    /// What kinds of control those are (`llm-tracing`, `eval-framework`, `ci-job`,
    /// `loop-limit`, …; docs/governance.md), so one kind can be weighed against another.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// `unit` when the unit's own files show it, `repository` when only
    /// repository-wide files do (a root `.env`, a CI workflow); absent when missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Where.
    pub evidence: Vec<Location>,
}

/// Who owns a unit, and how we know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// The owner(s) as written (`@acme/ai-platform`, `team:payments`).
    pub value: String,
    /// `aiscout` (an explicit declaration), `codeowners`, `backstage`, or `package`
    /// (package metadata authors: weaker).
    pub source: String,
    /// Where.
    pub evidence: Location,
}

/// An MCP server a unit uses or serves.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct McpServer {
    /// Server name, command or URL as configured, or the SDK that serves one.
    pub name: String,
    /// `used` (configured as a client) or `served` (defined in code).
    pub role: String,
    /// Where.
    pub evidence: Location,
}

/// A tool with side effects the unit's agents can call.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ToolUse {
    /// `shell`, `code-exec`, `file-write`, `http`, `sql`, `browser`.
    pub risk: String,
    /// What was matched (`ShellTool`, `langchain_community.tools.ShellTool`).
    pub name: String,
    /// Where.
    pub evidence: Location,
}

/// A secret found in a unit, redacted.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SecretRef {
    /// Path in the repository.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// The provider the key belongs to.
    pub provider: String,
    /// The rule.
    pub rule_id: String,
    /// Short prefix, never the value.
    pub shown: String,
    /// Fingerprint.
    pub fingerprint: String,
    /// In test code or fixtures.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_test: bool,
    /// Accepted in a baseline.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub baselined: bool,
    /// Where it entered history (`--history`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<crate::model::HistoryInfo>,
}

/// One agent unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Stable id: hash of repository identity and unit path.
    pub id: String,
    /// Directory name (the repository's name for a root unit).
    pub name: String,
    /// Repository identity.
    pub repo: String,
    /// Path inside the repository (`.` for the root).
    pub path: String,
    /// What it is.
    pub kind: UnitKind,
    /// Languages of its files with evidence.
    pub languages: Vec<String>,
    /// Providers it uses: named by code, a declared dependency, an endpoint or a
    /// configuration (lockfile-only names are in `transitive`).
    pub providers: Vec<String>,
    /// Frameworks and SDKs it uses (lockfile-only names are in `transitive`).
    pub frameworks: Vec<String>,
    /// Providers and frameworks seen only in lockfiles: pulled in by another package,
    /// not an integration of the unit's own.
    #[serde(default)]
    pub transitive: Vec<String>,
    /// How strongly each provider and framework is shown: `call` (code calls it),
    /// `import` (imported only), `endpoint`, `dependency` (declared, maybe unused), …
    #[serde(default)]
    pub usage: BTreeMap<String, Method>,
    /// Model ids found in code and configuration, with the provider serving them.
    #[serde(default)]
    pub models: Vec<ModelUse>,
    /// How strongly AI use is shown: `import` when any code imports it, else
    /// `dependency` (declared, maybe unused), else `file` / `pattern`.
    pub strongest: Method,
    /// MCP servers used (client configs) or served (code).
    #[serde(default)]
    pub mcp_servers: Vec<McpServer>,
    /// Tools with side effects.
    #[serde(default)]
    pub tools: Vec<ToolUse>,
    /// Monitoring / tracing.
    #[serde(default)]
    pub monitoring: Signal,
    /// Offline evaluation.
    #[serde(default)]
    pub evals: Signal,
    /// Containment: guardrails, human approval, bounded loops, budgets, kill switches.
    #[serde(default)]
    pub containment: Signal,
    /// The named owner, if any source names one.
    #[serde(default)]
    pub owner: Option<Owner>,
    /// `governed`, `partial` or `shadow` (see docs/governance.md).
    pub status: Status,
    /// AI keys found in the unit, redacted.
    #[serde(default)]
    pub secrets: Vec<SecretRef>,
    /// Every piece of evidence, paths relative to the repository root.
    pub evidence: Vec<Evidence>,
}

/// A model id and the provider it is attributed to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ModelUse {
    /// The id as written (`gpt-4o-mini`, `anthropic.claude-3-5-sonnet-20240620-v1:0`).
    pub id: String,
    /// The provider its rule attributes it to.
    pub provider: String,
}

/// One repository's scan result, input to [`build`].
#[derive(Clone, Debug, Default)]
pub struct RepoScan {
    /// Identity (remote URL or path).
    pub identity: String,
    /// Display path.
    pub path: String,
    /// Has a `.git`.
    pub git: bool,
    /// Directories (repo-relative, `""` for the root) that hold a unit manifest.
    pub manifest_dirs: BTreeSet<String>,
    /// Evidence, paths repo-relative.
    pub evidence: Vec<Evidence>,
}

/// Stable unit id.
pub fn unit_id(repo: &str, path: &str) -> String {
    let mut h = Sha256::new();
    h.update(repo.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    hex(&h.finalize()[..8])
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The unit directory of a repo-relative file path.
fn unit_dir<'a>(file: &str, manifest_dirs: &'a BTreeSet<String>) -> &'a str {
    let mut dir = parent(file);
    loop {
        if let Some(d) = manifest_dirs.get(dir) {
            return d;
        }
        if dir.is_empty() {
            return "";
        }
        dir = parent(dir);
    }
}

fn last_segment(s: &str) -> &str {
    let s = s.trim_end_matches('/');
    let s = s.strip_suffix(".git").unwrap_or(s);
    s.rsplit(['/', ':', '\\']).next().unwrap_or(s)
}

/// What kind of unit a file's AI evidence makes on its own: MCP client configuration
/// (any file with MCP-server evidence, or a known client config name), infrastructure
/// and CI files, else code.
fn file_class(e: &Evidence, mcp_files: &BTreeSet<&str>) -> UnitKind {
    if mcp_files.contains(e.path.as_str()) {
        return UnitKind::McpConfig;
    }
    match e.file.role {
        FileRole::McpClientConfig => UnitKind::McpConfig,
        FileRole::Infrastructure => UnitKind::Infrastructure,
        FileRole::Code => UnitKind::Code,
    }
}

/// A governance control a status rule can require.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Control {
    /// A named owner.
    Owner,
    /// Monitoring / tracing.
    Monitoring,
    /// Offline evals.
    Evals,
    /// Containment.
    Containment,
}

/// The status rule (docs/governance.md), configurable in `aiscout.toml` `[status]`:
/// `governed` when every control in `governed` is present; `shadow` when every
/// control in `shadow` is missing; `partial` otherwise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StatusRule {
    /// Controls a governed unit has.
    pub governed: Vec<Control>,
    /// Controls whose absence, all together, makes a unit shadow AI.
    pub shadow: Vec<Control>,
}

impl Default for StatusRule {
    fn default() -> Self {
        StatusRule {
            governed: vec![Control::Owner, Control::Monitoring, Control::Evals],
            shadow: vec![Control::Owner, Control::Monitoring],
        }
    }
}

impl StatusRule {
    /// The status of a unit with these controls present.
    pub fn status(&self, has: impl Fn(Control) -> bool) -> Status {
        if self.governed.iter().all(|&c| has(c)) {
            Status::Governed
        } else if !self.shadow.is_empty() && self.shadow.iter().all(|&c| !has(c)) {
            Status::Shadow
        } else {
            Status::Partial
        }
    }
}

fn location(e: &Evidence) -> Location {
    Location {
        path: e.path.clone(),
        line: e.line,
        rule_id: e.rule_id.clone(),
    }
}

fn pick<'a>(list: &[&'a Evidence], kind: Kind) -> Vec<&'a Evidence> {
    list.iter().copied().filter(|e| e.kind == kind).collect()
}

fn signal(own: &[&Evidence], repo_wide: &[&Evidence], kind: Kind) -> Signal {
    let (found, scope) = match pick(own, kind) {
        v if !v.is_empty() => (v, "unit"),
        _ => (pick(repo_wide, kind), "repository"),
    };
    if found.is_empty() {
        return Signal::default();
    }
    let names: BTreeSet<String> = found.iter().map(|e| e.identifies.clone()).collect();
    let kinds: BTreeSet<String> = found.iter().filter_map(|e| e.category.clone()).collect();
    let mut evidence: Vec<Location> = found.iter().map(|e| location(e)).collect();
    evidence.sort();
    evidence.dedup();
    Signal {
        present: true,
        names: names.into_iter().collect(),
        kinds: kinds.into_iter().collect(),
        scope: Some(scope.to_string()),
        evidence,
    }
}

fn is_governance(k: Kind) -> bool {
    matches!(
        k,
        Kind::Owner | Kind::Monitoring | Kind::Eval | Kind::Guardrail
    )
}

/// Groups evidence into units, attaches governance signals and owners, and
/// assembles the inventory.
pub fn build(
    scanner: ScannerInfo,
    sources: Vec<String>,
    stats: ScanStats,
    repos: Vec<RepoScan>,
) -> Inventory {
    build_with(scanner, sources, stats, repos, &StatusRule::default())
}

/// [`build`] with the organisation's status rule.
pub fn build_with(
    scanner: ScannerInfo,
    sources: Vec<String>,
    mut stats: ScanStats,
    repos: Vec<RepoScan>,
    status_rule: &StatusRule,
) -> Inventory {
    stats.finish();
    let mut repositories = Vec::new();
    let mut units = Vec::new();
    for repo in repos {
        let owners = owner::OwnerSources::from_evidence(
            repo.evidence.iter().filter(|e| e.kind == Kind::Owner),
        );
        let mut gov_by_dir: BTreeMap<String, Vec<&Evidence>> = BTreeMap::new();
        for e in repo
            .evidence
            .iter()
            .filter(|e| is_governance(e.kind) && e.kind != Kind::Owner)
        {
            gov_by_dir
                .entry(unit_dir(&e.path, &repo.manifest_dirs).to_string())
                .or_default()
                .push(e);
        }
        // AI evidence by the nearest manifest directory; infrastructure-only and
        // MCP-config-only groups split into units of their own.
        let mut by_dir: BTreeMap<&str, Vec<&Evidence>> = BTreeMap::new();
        for e in repo.evidence.iter().filter(|e| !is_governance(e.kind)) {
            by_dir
                .entry(unit_dir(&e.path, &repo.manifest_dirs))
                .or_default()
                .push(e);
        }
        // A file that configures MCP servers is an MCP client config, whatever its name.
        let mcp_files: BTreeSet<&str> = repo
            .evidence
            .iter()
            .filter(|e| e.kind == Kind::Mcp && e.method == Method::Config)
            .map(|e| e.path.as_str())
            .collect();
        let mut groups: BTreeMap<(String, UnitKind, String), Vec<&Evidence>> = BTreeMap::new();
        for (dir, evs) in by_dir {
            if evs
                .iter()
                .any(|e| file_class(e, &mcp_files) == UnitKind::Code)
            {
                groups
                    .entry((dir.to_string(), UnitKind::Code, dir.to_string()))
                    .or_default()
                    .extend(evs);
            } else {
                for e in evs {
                    let parent = e.path.rsplit_once('/').map_or("", |(d, _)| d);
                    // A root-level file is its own unit path, so it cannot collide with
                    // the repository's code unit at `.`.
                    let path = if parent.is_empty() {
                        e.path.clone()
                    } else {
                        parent.to_string()
                    };
                    groups
                        .entry((path, file_class(e, &mcp_files), dir.to_string()))
                        .or_default()
                        .push(e);
                }
            }
        }
        let empty = Vec::new();
        let repo_wide: &Vec<&Evidence> = gov_by_dir.get("").unwrap_or(&empty);
        let mut count = 0;
        for ((upath, kind, own_dir), evs) in groups {
            let own_gov: &Vec<&Evidence> = gov_by_dir.get(&own_dir).unwrap_or(&empty);
            let repo_scope: &[&Evidence] = if own_dir.is_empty() { &[] } else { repo_wide };
            let mut evidence: Vec<Evidence> = evs.iter().map(|e| (*e).clone()).collect();
            if kind == UnitKind::Code {
                evidence.extend(own_gov.iter().map(|e| (*e).clone()));
            }
            evidence.sort();
            evidence.dedup();
            count += 1;
            units.push(make_unit(
                &repo,
                &owners,
                &upath,
                kind,
                &own_dir,
                evidence,
                own_gov,
                repo_scope,
                status_rule,
            ));
        }
        repositories.push(Repository {
            identity: repo.identity.clone(),
            path: repo.path.clone(),
            git: repo.git,
            units: count,
        });
    }
    repositories.sort();
    units.sort_by(|a, b| (&a.repo, &a.path, a.kind).cmp(&(&b.repo, &b.path, b.kind)));
    Inventory {
        schema_version: SCHEMA_VERSION,
        scanner,
        sources,
        stats,
        repositories,
        units,
    }
}

#[allow(clippy::too_many_arguments)]
fn make_unit(
    repo: &RepoScan,
    owners: &owner::OwnerSources,
    upath: &str,
    kind: UnitKind,
    own_dir: &str,
    evidence: Vec<Evidence>,
    own_gov: &[&Evidence],
    repo_wide: &[&Evidence],
    status_rule: &StatusRule,
) -> Unit {
    let path = if upath.is_empty() { "." } else { upath };
    let mut languages = BTreeSet::new();
    let mut providers = BTreeSet::new();
    let mut frameworks = BTreeSet::new();
    let mut locked = BTreeSet::new();
    let mut usage: BTreeMap<String, Method> = BTreeMap::new();
    let mut models = BTreeSet::new();
    let mut mcp = BTreeSet::new();
    let mut tools = BTreeSet::new();
    let mut secrets = BTreeSet::new();
    for ev in &evidence {
        if !is_governance(ev.kind) {
            if let Some(l) = ev.file.language {
                languages.insert(l.as_str());
            }
        }
        match ev.kind {
            Kind::Provider | Kind::Framework if ev.method == Method::Lockfile => {
                locked.insert(ev.identifies.clone());
            }
            Kind::Provider | Kind::Framework => {
                if ev.kind == Kind::Provider {
                    providers.insert(ev.identifies.clone());
                } else {
                    frameworks.insert(ev.identifies.clone());
                    // A unit that builds on an MCP SDK in code serves MCP.
                    if ev.identifies == "mcp" && matches!(ev.method, Method::Call | Method::Import)
                    {
                        mcp.insert(McpServer {
                            name: ev.matched.clone(),
                            role: "served".into(),
                            evidence: location(ev),
                        });
                    }
                }
                let e = usage.entry(ev.identifies.clone()).or_insert(ev.method);
                *e = (*e).min(ev.method);
            }
            Kind::Model => {
                models.insert(ModelUse {
                    id: ev.matched.clone(),
                    provider: ev.identifies.clone(),
                });
            }
            Kind::Mcp => {
                mcp.insert(McpServer {
                    name: ev.matched.clone(),
                    role: "used".into(),
                    evidence: location(ev),
                });
            }
            Kind::Tool => {
                tools.insert(ToolUse {
                    risk: ev.identifies.clone(),
                    name: ev.matched.clone(),
                    evidence: location(ev),
                });
            }
            Kind::Secret => {
                if let Some(r) = &ev.secret {
                    secrets.insert(SecretRef {
                        path: ev.path.clone(),
                        line: ev.line,
                        provider: ev.identifies.clone(),
                        rule_id: ev.rule_id.clone(),
                        shown: r.shown.clone(),
                        fingerprint: r.fingerprint.clone(),
                        in_test: ev.in_test,
                        baselined: ev.baselined,
                        history: ev.history.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    let transitive: Vec<String> = locked
        .into_iter()
        .filter(|n| !providers.contains(n) && !frameworks.contains(n))
        .collect();
    // A package.json alone does not say JavaScript or TypeScript.
    if languages.is_empty() {
        if let Some(l) = evidence.iter().find_map(|e| e.file.fallback_language) {
            languages.insert(l.as_str());
        }
    }
    let strongest = evidence
        .iter()
        .filter(|e| !is_governance(e.kind))
        .map(|e| e.method)
        .min()
        .unwrap_or(Method::Pattern);
    let name = if upath.is_empty() {
        last_segment(&repo.identity).to_string()
    } else {
        last_segment(upath).to_string()
    };
    // CODEOWNERS is probed with a file of the unit: its manifest when it has one.
    let probe = evidence
        .iter()
        .find(|e| e.method == Method::Dependency)
        .or_else(|| evidence.first())
        .map(|e| e.path.clone())
        .unwrap_or_default();
    let owner = owners.resolve(own_dir, &probe);
    let monitoring = signal(own_gov, repo_wide, Kind::Monitoring);
    let evals = signal(own_gov, repo_wide, Kind::Eval);
    let containment = signal(own_gov, repo_wide, Kind::Guardrail);
    let status = status_rule.status(|c| match c {
        Control::Owner => owner.is_some(),
        Control::Monitoring => monitoring.present,
        Control::Evals => evals.present,
        Control::Containment => containment.present,
    });
    let id_path = if kind == UnitKind::Code {
        path.to_string()
    } else {
        format!("{path}#{kind:?}")
    };
    Unit {
        id: unit_id(&repo.identity, &id_path),
        name,
        repo: repo.identity.clone(),
        path: path.to_string(),
        kind,
        languages: languages.into_iter().map(str::to_string).collect(),
        providers: providers.into_iter().collect(),
        frameworks: frameworks.into_iter().collect(),
        transitive,
        usage,
        models: models.into_iter().collect(),
        strongest,
        mcp_servers: mcp.into_iter().collect(),
        tools: tools.into_iter().collect(),
        monitoring,
        evals,
        containment,
        owner,
        status,
        secrets: secrets.into_iter().collect(),
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_is_nearest_manifest_dir_else_root() {
        let dirs: BTreeSet<String> = ["services/a", "services/a/sub", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(unit_dir("services/a/src/x.py", &dirs), "services/a");
        assert_eq!(unit_dir("services/a/sub/y.py", &dirs), "services/a/sub");
        assert_eq!(unit_dir("tools/z.py", &dirs), "");
        let none = BTreeSet::new();
        assert_eq!(unit_dir("a/b/c.py", &none), "");
    }

    #[test]
    fn unit_ids_are_stable_and_distinct() {
        assert_eq!(unit_id("r", "a"), unit_id("r", "a"));
        assert_ne!(unit_id("r", "a"), unit_id("r", "b"));
        assert_ne!(unit_id("r1", "a"), unit_id("r", "1a"));
    }

    #[test]
    fn names_come_from_the_last_segment() {
        assert_eq!(last_segment("https://github.com/org/bot.git"), "bot");
        assert_eq!(last_segment("git@github.com:org/bot.git"), "bot");
        assert_eq!(last_segment("test-repos/x/"), "x");
    }
}
