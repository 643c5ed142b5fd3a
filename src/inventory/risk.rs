//! Blast radius: what an agent unit can do if it goes wrong, summarised as a
//! [`Risk`] (`level` and `reasons`) per agent unit (docs/governance.md, "Risk").
//!
//! The inputs are what the unit already holds — its side-effecting tools, the MCP servers
//! it uses (and, when a unit of the same inventory serves one by that name, that unit's
//! tools), the credentials in its reach (keys found and secret references by name) and its
//! containment kinds — so this never reads a file and costs nothing on the pre-commit
//! path. It never judges governance: the status is the status rule's.
//!
//! Invariant: reasons are sorted (most severe kind first, then name, then place), so the
//! same units always give the same bytes.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{Location, Unit};
use crate::model::{Kind, Method};

/// How much an agent can break, from its tools and what covers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// No side-effecting tool, MCP server or credential seen.
    None,
    /// Only credentials in reach: it can spend or read with them, but takes no action
    /// we can see.
    Low,
    /// A side-effecting tool (files, HTTP, SQL, a browser, e-mail), an MCP server, or
    /// a shell, code-execution or payments tool that a control covers.
    Medium,
    /// A shell or code-execution tool that no guardrail, human approval or loop limit
    /// covers, or a payments tool that no guardrail or human approval covers.
    High,
}

impl RiskLevel {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::None => "none",
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
        }
    }
}

/// What a reason is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReasonKind {
    /// A shell or code-execution tool that nothing covers.
    UnguardedExec,
    /// A shell or code-execution tool that a guardrail, human approval or loop limit covers.
    GuardedExec,
    /// Any other tool with side effects (`file-write`, `http`, `sql`, `browser`, `email`,
    /// `payments`), covered or not (`covered_by`).
    SideEffect,
    /// An MCP server the unit uses: its tools act outside the unit.
    McpServer,
    /// A credential in reach: a key found in the unit, or a secret it references by name.
    Credential,
}

impl ReasonKind {
    /// The kebab-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonKind::UnguardedExec => "unguarded-exec",
            ReasonKind::GuardedExec => "guarded-exec",
            ReasonKind::SideEffect => "side-effect",
            ReasonKind::McpServer => "mcp-server",
            ReasonKind::Credential => "credential",
        }
    }
}

/// One thing that makes up a unit's blast radius.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RiskReason {
    /// What it is about.
    pub kind: ReasonKind,
    /// For a tool its risk class (`shell`, `code-exec`, `file-write`, `http`, `sql`,
    /// `browser`, `email`, `payments`); for a credential `key` (a value found) or
    /// `reference` (a secret named in configuration or code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// The tool (`ShellTool`), the MCP server as configured, the variable name
    /// (`OPENAI_API_KEY`), or a key as `provider shown-prefix` (never its value).
    pub name: String,
    /// For a tool: the containment kinds of the unit that cover its class.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covered_by: Vec<String>,
    /// Where the cover was seen: `unit` (the unit's own files) or `repository`
    /// (repository-wide configuration only: weaker, shown as such).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// For an MCP server that a unit of the same inventory serves: that unit's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served_by: Option<String>,
    /// For an MCP server served in the same inventory: the tools of the unit serving
    /// it, as `class: name`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<String>,
    /// Where it was seen (the first place, for a credential named several times).
    pub at: Location,
}

/// A unit's blast radius: its level and every reason behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Risk {
    /// The highest level any reason gives.
    pub level: RiskLevel,
    /// Why, most severe first.
    pub reasons: Vec<RiskReason>,
}

impl Risk {
    /// Whether a shell or code-execution tool runs with nothing to stop it
    /// (`--fail-on unbounded-exec`).
    pub fn unbounded_exec(&self) -> bool {
        self.reasons
            .iter()
            .any(|r| r.kind == ReasonKind::UnguardedExec)
    }
}

/// Tool classes that run commands or code.
const EXEC: &[&str] = &["shell", "code-exec"];

/// The containment kinds that cover a tool of `class`: a guardrail, a human approval
/// and a loop limit all bound what model-written commands or code can do; money and
/// mail leave the organisation on the first call, so only a guardrail or a human
/// approval covers them (a loop limit bounds how often, not whether).
fn covering(class: &str) -> &'static [&'static str] {
    match class {
        "payments" | "email" => &["guardrail", "human-approval"],
        _ => &["guardrail", "human-approval", "loop-limit"],
    }
}

/// Names too common to tie a configured MCP server to a unit serving it.
const GENERIC_NAMES: &[&str] = &[
    "agent",
    "agents",
    "app",
    "apps",
    "dist",
    "index",
    "main",
    "mcp",
    "mcp-server",
    "server",
    "servers",
    "service",
    "src",
    "tools",
];

/// The tokens of a configured MCP server (`name: command args`): words of letters,
/// digits, `-` and `_`, lower-cased.
fn tokens(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Whether an evidence's name is a credential's: a segment `KEY`, `TOKEN`, `SECRET`,
/// `PASSWORD` (or `PASSWD`, `CREDENTIAL(S)`) of a name split at `_`, `-` and `.`
/// (`OPENAI_API_KEY`, `spring.ai.openai.api-key`, `AWS_BEARER_TOKEN_BEDROCK`), or a
/// name ending in `APIKEY`.
pub fn is_credential_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if !upper
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '*'))
    {
        return false;
    }
    upper.ends_with("APIKEY")
        || upper.split(['_', '-', '.']).any(|s| {
            matches!(
                s,
                "KEY" | "TOKEN" | "SECRET" | "PASSWORD" | "PASSWD" | "CREDENTIAL" | "CREDENTIALS"
            )
        })
}

/// Gives every unit of `units` its [`Risk`]. `units` is the whole inventory's agent
/// units, so an MCP server one of them serves can be tied to another that uses it.
pub fn assess(units: &mut [Unit]) {
    // Units serving MCP, by the name a client configuration would use for them.
    let mut serving: BTreeMap<String, Vec<(String, Vec<String>)>> = BTreeMap::new();
    for u in units.iter() {
        if !u.mcp_servers.iter().any(|m| m.role == "served") {
            continue;
        }
        let name = u.name.to_ascii_lowercase();
        if name.len() < 4 || GENERIC_NAMES.contains(&name.as_str()) {
            continue;
        }
        let tools: BTreeSet<String> = u
            .tools
            .iter()
            .map(|t| format!("{}: {}", t.risk, t.name))
            .collect();
        serving
            .entry(name)
            .or_default()
            .push((u.id.clone(), tools.into_iter().collect()));
    }
    for u in units.iter_mut() {
        let risk = of(u, &serving);
        u.risk = Some(risk);
    }
}

/// The risk of one unit; `serving` maps names to the units serving MCP under them.
fn of(u: &Unit, serving: &BTreeMap<String, Vec<(String, Vec<String>)>>) -> Risk {
    let mut reasons = Reasons::default();
    let kinds: BTreeSet<&str> = u.containment.kinds.iter().map(String::as_str).collect();
    let scope = u.containment.scope.clone();
    for t in &u.tools {
        let covered_by: Vec<String> = covering(&t.risk)
            .iter()
            .filter(|k| kinds.contains(**k))
            .map(|k| k.to_string())
            .collect();
        let exec = EXEC.contains(&t.risk.as_str());
        let kind = match (exec, covered_by.is_empty()) {
            (true, true) => ReasonKind::UnguardedExec,
            (true, false) => ReasonKind::GuardedExec,
            (false, _) => ReasonKind::SideEffect,
        };
        reasons.add(RiskReason {
            kind,
            class: Some(t.risk.clone()),
            name: t.name.clone(),
            scope: (!covered_by.is_empty()).then(|| scope.clone()).flatten(),
            covered_by,
            served_by: None,
            tools: Vec::new(),
            at: t.evidence.clone(),
        });
    }
    for m in u.mcp_servers.iter().filter(|m| m.role == "used") {
        let words = tokens(&m.name);
        let served: Vec<&(String, Vec<String>)> = serving
            .iter()
            .filter(|(name, _)| words.contains(*name))
            .flat_map(|(_, v)| v)
            .filter(|(id, _)| *id != u.id)
            .collect();
        let (served_by, tools) = match served.as_slice() {
            [] => (None, Vec::new()),
            list => {
                let ids: Vec<&str> = list.iter().map(|(id, _)| id.as_str()).collect();
                let tools: BTreeSet<String> =
                    list.iter().flat_map(|(_, t)| t.iter().cloned()).collect();
                (Some(ids.join(" ")), tools.into_iter().collect())
            }
        };
        reasons.add(RiskReason {
            kind: ReasonKind::McpServer,
            class: None,
            name: m.name.clone(),
            covered_by: Vec::new(),
            scope: None,
            served_by,
            tools,
            at: m.evidence.clone(),
        });
    }
    // Credentials: one reason per key and per name referenced, at its first place.
    let mut credentials: BTreeMap<(&str, String), Location> = BTreeMap::new();
    for s in &u.secrets {
        let at = Location {
            path: s.path.clone(),
            line: s.line,
            rule_id: s.rule_id.clone(),
        };
        let name = format!("{} {}", s.provider, s.shown);
        let e = credentials
            .entry(("key", name))
            .or_insert_with(|| at.clone());
        if at < *e {
            *e = at;
        }
    }
    for e in u
        .evidence
        .iter()
        .filter(|e| e.method == Method::Config && e.kind != Kind::Secret)
        .filter(|e| is_credential_name(&e.matched))
    {
        let at = Location {
            path: e.path.clone(),
            line: e.line,
            rule_id: e.rule_id.clone(),
        };
        let slot = credentials
            .entry(("reference", e.matched.clone()))
            .or_insert_with(|| at.clone());
        if at < *slot {
            *slot = at;
        }
    }
    for ((class, name), at) in credentials {
        reasons.add(RiskReason {
            kind: ReasonKind::Credential,
            class: Some(class.to_string()),
            name,
            covered_by: Vec::new(),
            scope: None,
            served_by: None,
            tools: Vec::new(),
            at,
        });
    }
    let reasons: Vec<RiskReason> = reasons.0.into_values().collect();
    let level = reasons
        .iter()
        .map(|r| match r.kind {
            ReasonKind::UnguardedExec => RiskLevel::High,
            ReasonKind::SideEffect
                if r.class.as_deref() == Some("payments") && r.covered_by.is_empty() =>
            {
                RiskLevel::High
            }
            ReasonKind::GuardedExec | ReasonKind::SideEffect | ReasonKind::McpServer => {
                RiskLevel::Medium
            }
            ReasonKind::Credential => RiskLevel::Low,
        })
        .max()
        .unwrap_or(RiskLevel::None);
    Risk { level, reasons }
}

/// Reasons by what they name (kind, class, name): a tool used in three files is one
/// reason, at its first place.
#[derive(Default)]
struct Reasons(BTreeMap<(ReasonKind, Option<String>, String), RiskReason>);

impl Reasons {
    fn add(&mut self, r: RiskReason) {
        let key = (r.kind, r.class.clone(), r.name.clone());
        match self.0.get(&key) {
            Some(have) if have.at <= r.at => {}
            _ => {
                self.0.insert(key, r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_names_are_told_by_their_segments() {
        for yes in [
            "OPENAI_API_KEY",
            "spring.ai.openai.api-key",
            "AWS_BEARER_TOKEN_BEDROCK",
            "LANGFUSE_SECRET_KEY",
            "HF_TOKEN",
            "DB_PASSWORD",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "cohereApiKey",
        ] {
            assert!(is_credential_name(yes), "{yes}");
        }
        for no in [
            "OPENAI_API_BASE",
            "OPENAI_MODEL",
            "LANGCHAIN_TRACING_V2",
            "MONKEY_MODE",
            "TOKENIZER_PATH",
            "gpt-4o",
            "npx -y @modelcontextprotocol/server-github",
        ] {
            assert!(!is_credential_name(no), "{no}");
        }
    }

    #[test]
    fn server_tokens_split_paths_and_commands() {
        let t = tokens("weather: node ../weather-mcp/dist/index.js --port 3000");
        assert!(t.contains("weather-mcp"));
        assert!(t.contains("weather"));
        assert!(!t.contains("../weather-mcp"));
    }
}
