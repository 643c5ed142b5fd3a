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
pub mod ci;
pub mod diff;
mod layout;
pub mod links;
pub mod merge;
pub mod owner;
pub mod policy;
pub mod registry;
pub mod risk;
pub mod saved;
mod status;
mod unit;

pub use status::{Control, Explanation, StatusRule};

use crate::model::ScanStats;
use crate::model::{hex, Evidence, Method};
use crate::source::repo::Revision;
pub use ci::CiUse;
pub use links::{Link, LinkEnd, LinkEvidence};
pub use registry::{RegisteredAs, Registration, Registry, RegistryEntry, RegistrySummary};
pub use risk::{ReasonKind, Risk, RiskLevel, RiskReason};

/// Version of the JSON layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole scan's result. JSON of this is the lossless format every command reads back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    /// [`SCHEMA_VERSION`] at the time of writing.
    pub schema_version: u32,
    /// What produced it.
    pub scanner: ScannerInfo,
    /// When the scan started, UTC, ISO 8601 to the second (`2026-12-06T14:03:11Z`);
    /// `SOURCE_DATE_EPOCH` pins it. A merge keeps the earliest. Absent in inventories
    /// written before audit anchors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scanned_at: Option<String>,
    /// The paths scanned, as given.
    pub sources: Vec<String>,
    /// What the scan read and skipped.
    pub stats: ScanStats,
    /// Every repository scanned, with or without AI.
    pub repositories: Vec<Repository>,
    /// Every agent unit found.
    pub units: Vec<Unit>,
    /// Directories with AI evidence that are not agents (a Helm chart, an SDK's own
    /// source, a front-end, a table of model names, a gateway, vendored code, keys with
    /// no agent around them), each with [`Unit::not_agent`] saying why. Their keys and
    /// evidence are kept.
    #[serde(default)]
    pub not_agents: Vec<Unit>,
    /// Third-party AI actions that CI workflows run, with the permissions and secrets
    /// their jobs give them: AI in CI, not agents of the repository.
    #[serde(default)]
    pub ai_in_ci: Vec<CiUse>,
    /// The status rule the statuses were given by (`[status]`), so a saved inventory
    /// explains them as the scan decided them. Absent when it is the built-in rule.
    #[serde(default, skip_serializing_if = "StatusRule::is_default")]
    pub status_rule: StatusRule,
    /// Links between units across the whole inventory (A2A, MCP, HTTP) and each unit's
    /// own structure (handoffs, sub-agents, …), sorted; [`links::links`] recomputes them
    /// from the units' evidence, so a merge has them too. Absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// What reconciling with the sanctioned registry (`--registry FILE`) found, as
    /// counts. Absent when no registry was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<RegistrySummary>,
    /// Registered agents whose repository was scanned but that no agent unit matched.
    /// Present (maybe empty) exactly when `registry` is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_missing: Option<Vec<RegistryEntry>>,
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
    /// Has a `.git`, or lies inside a git work tree (a subfolder scan).
    pub git: bool,
    /// Full hex id of the commit scanned: `HEAD`, or the revision `--ref` names.
    /// Absent outside git and in a repository with no commit yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The branch scanned, short (`main`); absent when `HEAD` is detached or the
    /// revision is not a branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
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

/// Why a directory with AI evidence is not an agent unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotAgent {
    /// Third-party code installed into the tree (`node_modules`, `site-packages`).
    Vendored,
    /// A Helm chart: templates and values that deploy something, not an agent.
    HelmChart,
    /// The source of an AI SDK or framework itself, not a use of one.
    SdkSource,
    /// A front-end whose AI libraries only talk to the project's own backend.
    Frontend,
    /// Model ids in a table (pricing, a tokenizer's registry, an allow-list), no use.
    ModelTable,
    /// An AI gateway or proxy that forwards to providers.
    Gateway,
    /// AI keys with no agent around them.
    KeysOnly,
    /// A hidden folder: a tool's copies, caches or backups (`.version-backups/`).
    Hidden,
    /// Tests, scripts and configuration at a repository's root that serve its units.
    Shared,
    /// A project template that others generate projects from (a Backstage skeleton, a
    /// cookiecutter or copier folder): no agent runs from it as it stands.
    Template,
    /// A notebook that only installs AI packages and sets keys: no code uses them.
    SetupOnly,
    /// Workflows of a framework that needs a model named in code (Mastra, Genkit), with
    /// no provider or model anywhere in the unit: nothing there calls a model.
    NoModel,
    /// A library published for other code to import (PyPI classifiers for developers,
    /// npm `files`) that names no model of its own and serves no MCP tools.
    Library,
}

impl NotAgent {
    /// The kebab-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            NotAgent::Vendored => "vendored",
            NotAgent::HelmChart => "helm-chart",
            NotAgent::SdkSource => "sdk-source",
            NotAgent::Frontend => "frontend",
            NotAgent::ModelTable => "model-table",
            NotAgent::Gateway => "gateway",
            NotAgent::KeysOnly => "keys-only",
            NotAgent::Hidden => "hidden",
            NotAgent::Shared => "shared",
            NotAgent::Template => "template",
            NotAgent::SetupOnly => "setup-only",
            NotAgent::NoModel => "no-model",
            NotAgent::Library => "library",
        }
    }
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
    /// Shown only by what the repository says of itself (a switch in an example env
    /// file, kind `declared`), in a scan of untrusted repositories (`--untrusted`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub self_declared: bool,
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
    /// Only the repository's own word (an `aiscout.yaml` / `.aiscout.toml`
    /// declaration) in a scan of untrusted repositories (`--untrusted`): nobody but
    /// the repository vouches for it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub self_declared: bool,
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
    /// The named owner, if a declaration, CODEOWNERS or Backstage names one.
    #[serde(default)]
    pub owner: Option<Owner>,
    /// A hint at the owner when nothing names one: the authors of its package
    /// metadata. Not an owner unless the status rule says so (`owner_hints`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_hint: Option<Owner>,
    /// `governed`, `partial` or `shadow` (see docs/governance.md).
    pub status: Status,
    /// The blast radius: side-effecting tools, MCP servers and credentials in reach,
    /// and what covers them ([`risk`]). Every agent unit has one; absent in
    /// `not_agents` and in inventories written before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<Risk>,
    /// `registered` or `unregistered` in the sanctioned registry (`--registry`);
    /// absent when no registry was given, and in `not_agents`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<Registration>,
    /// The registry entry it matched: its position, name and owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_as: Option<RegisteredAs>,
    /// AI keys found in the unit, redacted.
    #[serde(default)]
    pub secrets: Vec<SecretRef>,
    /// In [`Inventory::not_agents`]: why this directory is not an agent unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_agent: Option<NotAgent>,
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
    /// The commit and branch read.
    pub revision: Revision,
    /// When a folder inside a work tree was scanned: its path from the work tree's
    /// root. [`RepoScan::place_within`] puts it in front of every path.
    pub within: Option<String>,
    /// The files that shape units, repo-relative paths: unit manifests (`package.json`,
    /// `pyproject.toml`, …) and .NET programs' entry files (`Program.cs`).
    pub manifests: BTreeSet<String>,
    /// Directories (repo-relative) of Helm charts: they hold a `Chart.yaml`.
    pub charts: BTreeSet<String>,
    /// Evidence, paths repo-relative.
    pub evidence: Vec<Evidence>,
}

impl RepoScan {
    /// Makes the paths of a subfolder scan relative to the repository's root, as a
    /// scan of the whole repository gives them, so units keep their ids and findings
    /// their places.
    pub fn place_within(&mut self) {
        let Some(prefix) = &self.within else {
            return;
        };
        let placed = |p: &str| {
            if p.is_empty() {
                prefix.clone()
            } else {
                format!("{prefix}/{p}")
            }
        };
        self.manifests = self.manifests.iter().map(|p| placed(p)).collect();
        self.charts = self.charts.iter().map(|p| placed(p)).collect();
        for e in &mut self.evidence {
            e.path = placed(&e.path);
        }
    }
}

/// Stable unit id of the unit at `path` (of `kind`) in the repository `repo` names:
/// its identity, or [`checkout_key`] when several checkouts share that identity.
pub fn unit_id(repo: &str, path: &str, kind: UnitKind) -> String {
    let mut h = Sha256::new();
    h.update(repo.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    // Code units keep the ids they always had; other kinds at the same path differ.
    if kind != UnitKind::Code {
        h.update(format!("#{kind:?}").as_bytes());
    }
    hex(&h.finalize()[..8])
}

/// What unit ids hash for a checkout at `path` of a repository whose `identity`
/// another checkout in the same inventory shares: two clones of one remote (a fork's
/// working copy beside the original, one repository checked out twice) are distinct
/// repositories with distinct units, and the identity alone would give them the same
/// ids. The path is the checkout's as the scan named it.
pub fn checkout_key(identity: &str, path: &str) -> String {
    format!("{identity}\0checkout:{path}")
}

/// Gives the units of checkouts that share an identity (with another checkout, in
/// `repositories`) ids keyed by their checkout's path ([`checkout_key`]). A unit whose
/// identity only one checkout has keeps its plain id. `repositories` must be the ones
/// `units` came from: a unit's checkout is the one repository of its identity there.
pub(crate) fn key_shared_checkouts(
    units: &mut [Unit],
    own: &[Repository],
    shared: &BTreeSet<String>,
) {
    for u in units {
        if !shared.contains(&u.repo) {
            continue;
        }
        let mut paths = own.iter().filter(|r| r.identity == u.repo).map(|r| &r.path);
        if let (Some(path), None) = (paths.next(), paths.next()) {
            u.id = unit_id(&checkout_key(&u.repo, path), &u.path, u.kind);
        }
    }
}

/// The identities held by more than one distinct checkout (path) in `repositories`.
pub(crate) fn shared_identities<'a>(
    repositories: impl Iterator<Item = &'a Repository>,
) -> BTreeSet<&'a str> {
    let mut paths: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in repositories {
        paths.entry(&r.identity).or_default().insert(&r.path);
    }
    paths
        .into_iter()
        .filter(|(_, p)| p.len() > 1)
        .map(|(i, _)| i)
        .collect()
}

impl Inventory {
    /// Marks what the repositories merely declare about themselves as
    /// `self_declared`: owners from an aiscout declaration, and governance signals
    /// shown only by declared switches. For scans of untrusted repositories, where the
    /// operator must be able to tell a repository's claims from what was seen.
    pub fn mark_self_declared(&mut self) {
        for u in self.units.iter_mut().chain(self.not_agents.iter_mut()) {
            for o in u.owner.iter_mut().chain(u.owner_hint.iter_mut()) {
                o.self_declared = o.source == owner::DECLARED;
            }
            for s in [&mut u.monitoring, &mut u.evals, &mut u.containment] {
                s.self_declared = s.present && s.kinds.iter().all(|k| k == "declared");
            }
        }
    }

    /// Every unit: the agent units, then the directories that are not agents. What
    /// concerns keys (policies, baselines, SARIF, diffs) looks at all of them: a key
    /// where no agent lives is still a key.
    pub fn all_units(&self) -> impl Iterator<Item = &Unit> {
        self.units.iter().chain(&self.not_agents)
    }
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
    let (mut units, mut not_agents, mut ai_in_ci) = (Vec::new(), Vec::new(), Vec::new());
    let checkouts: Vec<Repository> = repos
        .iter()
        .map(|r| Repository {
            identity: r.identity.clone(),
            path: r.path.clone(),
            git: r.git,
            commit: r.revision.commit.clone(),
            branch: r.revision.branch.clone(),
            units: 0,
        })
        .collect();
    let shared: BTreeSet<String> = shared_identities(checkouts.iter())
        .into_iter()
        .map(str::to_string)
        .collect();
    for mut repo in repos {
        ai_in_ci.extend(ci::split(&mut repo));
        let (mut agents, mut others) = unit::units_of(&repo, status_rule);
        if shared.contains(&repo.identity) {
            for u in agents.iter_mut().chain(others.iter_mut()) {
                u.id = unit_id(&checkout_key(&repo.identity, &repo.path), &u.path, u.kind);
            }
        }
        repositories.push(Repository {
            identity: repo.identity.clone(),
            path: repo.path.clone(),
            git: repo.git,
            commit: repo.revision.commit.clone(),
            branch: repo.revision.branch.clone(),
            units: agents.len(),
        });
        units.extend(agents);
        not_agents.extend(others);
    }
    repositories.sort();
    let order = |a: &Unit, b: &Unit| (&a.repo, &a.path, a.kind).cmp(&(&b.repo, &b.path, b.kind));
    units.sort_by(order);
    not_agents.sort_by(order);
    risk::assess(&mut units);
    ai_in_ci.sort_by(|a, b| a.order().cmp(&b.order()));
    let links = links::links(&units);
    Inventory {
        schema_version: SCHEMA_VERSION,
        scanner,
        scanned_at: None,
        sources,
        stats,
        repositories,
        units,
        not_agents,
        links,
        ai_in_ci,
        status_rule: status_rule.clone(),
        registry: None,
        registry_missing: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_ids_are_stable_and_distinct() {
        let code = UnitKind::Code;
        assert_eq!(unit_id("r", "a", code), unit_id("r", "a", code));
        assert_ne!(unit_id("r", "a", code), unit_id("r", "b", code));
        assert_ne!(unit_id("r1", "a", code), unit_id("r", "1a", code));
        assert_ne!(
            unit_id("r", "a", code),
            unit_id("r", "a", UnitKind::McpConfig)
        );
        assert_ne!(
            unit_id(&checkout_key("r", "x/one"), "a", code),
            unit_id(&checkout_key("r", "x/two"), "a", code)
        );
    }
}
