//! The SARIF 2.1.0 reporter, for code-scanning UIs: every secret and every agent unit
//! short of governed becomes a result with a stable fingerprint (the secret's
//! fingerprint, the unit's id), so an alert survives re-scans and line moves. A
//! result is `error` when the `--fail-on` policy in force fails on it, otherwise
//! `warning` (secrets, shadow agents) or `note`. Locations are repository-relative
//! URIs under `%SRCROOT%` (a scanned subfolder's too: from its repository's root);
//! with several repositories in one scan they are relative to the scan root. Columns
//! are omitted: ours count bytes, SARIF's count characters. The run carries its audit
//! anchors: the scan time (`invocations`), and per repository with a remote the
//! commit and branch read (`versionControlProvenance`).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::summary;
use super::ReportOptions;
use crate::inventory::policy::Policy;
use crate::inventory::{Inventory, ReasonKind, Registration, Status, Unit};
use crate::model::{Evidence, Kind, Method};

/// The schema the output follows (OASIS SARIF 2.1.0, errata 01).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base every artifact URI is relative to.
pub const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    version_control_provenance: Vec<VersionControl>,
    results: Vec<SarifResult>,
    column_kind: &'static str,
}

/// When the scan ran, and whether it read everything.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_time_utc: Option<String>,
    execution_successful: bool,
}

/// The commit of one repository the results were found at.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VersionControl {
    repository_uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    revision_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    branch: Option<String>,
    /// The folder of the repository under `%SRCROOT%`, when it is not the root.
    #[serde(skip_serializing_if = "Option::is_none")]
    mapped_to: Option<ArtifactLocation>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: String,
    version: String,
    semantic_version: String,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Message,
    full_description: Message,
    help_uri: &'static str,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

/// A rule's help: what a result means and how to fix it, as text and as Markdown.
#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    /// GitHub code scanning ranks security results by this CVSS-like score
    /// (0.1–10.0, a string): 9.0 and above is critical, 7.0 high, 4.0 medium.
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: BTreeMap<&'static str, serde_json::Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
}

/// One SARIF rule: what a result means, the policy that fails on it, its default
/// level when no policy does.
struct RuleDef {
    id: &'static str,
    name: &'static str,
    short: &'static str,
    full: &'static str,
    help: &'static str,
    help_uri: &'static str,
    /// The `--fail-on` policy that fails on it, if one does.
    policy: Option<Policy>,
    default_level: &'static str,
    tags: &'static [&'static str],
    /// `security-severity`: a leaked key is critical; an agent nobody owns or watches
    /// medium; a missing eval low.
    severity: &'static str,
}

const NIST_AI_RMF: &str = "https://www.nist.gov/itl/ai-risk-management-framework";

const RULES: [RuleDef; 8] = [
    RuleDef {
        id: "secret.ai-key",
        name: "AiCredential",
        short: "AI provider credential in code or configuration",
        full: "A key for an AI provider's API is committed to the repository. Anyone who can \
               read the repository (or its history) can spend on the account and read its data.",
        help: "Remove the key, read it from the environment or a secret store, and rotate it at \
               the provider. A placeholder or test key can be accepted with an `aiscout:allow` \
               comment or in a baseline (`aiscout baseline create`).",
        help_uri: "https://cwe.mitre.org/data/definitions/798.html",
        policy: Some(Policy::Secret),
        default_level: "warning",
        tags: &["security", "secret", "ai"],
        severity: "9.0",
    },
    RuleDef {
        id: "governance.shadow",
        name: "ShadowAgent",
        short: "Shadow AI agent: no named owner and no monitoring",
        full: "This agent unit uses AI, but nothing in the repository names who owns it and \
               nothing monitors or traces its calls.",
        help: "Name an owner (an `aiscout.yaml` with `owner:` in the unit's directory, a \
               CODEOWNERS entry or a Backstage catalog-info.yaml) and add tracing (e.g. \
               OpenTelemetry, Langfuse, LangSmith). See docs/governance.md.",
        help_uri: NIST_AI_RMF,
        policy: Some(Policy::Shadow),
        default_level: "warning",
        tags: &["ai-governance"],
        severity: "5.0",
    },
    RuleDef {
        id: "governance.partial",
        name: "PartlyGovernedAgent",
        short: "AI agent partly governed: owner, monitoring or evals missing",
        full: "This agent unit has some governance (an owner or monitoring) but not all of a \
               named owner, monitoring and offline evals.",
        help: "Add what is missing; the other results for this unit say which. See \
               docs/governance.md.",
        help_uri: NIST_AI_RMF,
        policy: None,
        default_level: "note",
        tags: &["ai-governance"],
        severity: "3.0",
    },
    RuleDef {
        id: "governance.unowned",
        name: "UnownedAgent",
        short: "AI agent without a named owner",
        full: "No explicit declaration, CODEOWNERS entry or Backstage catalog names who owns \
               this agent unit.",
        help: "Add an `aiscout.yaml` with `owner: \"@team\"` in the unit's directory, or a \
               CODEOWNERS pattern that covers it. See docs/governance.md.",
        help_uri: NIST_AI_RMF,
        policy: Some(Policy::Unowned),
        default_level: "note",
        tags: &["ai-governance"],
        severity: "4.0",
    },
    RuleDef {
        id: "governance.unmonitored",
        name: "UnmonitoredAgent",
        short: "AI agent without monitoring",
        full: "No tracing or monitoring of this agent unit's model calls was found in its own \
               files or the repository's shared configuration.",
        help: "Trace the unit's model calls (OpenTelemetry GenAI, Langfuse, LangSmith, Helicone, \
               …) so its behaviour and cost can be watched.",
        help_uri: NIST_AI_RMF,
        policy: Some(Policy::Unmonitored),
        default_level: "note",
        tags: &["ai-governance"],
        severity: "4.0",
    },
    RuleDef {
        id: "governance.no-evals",
        name: "AgentWithoutEvals",
        short: "AI agent without offline evals",
        full: "No offline evaluation (promptfoo, DeepEval, Ragas, OpenAI evals, …) of this agent \
               unit was found.",
        help: "Add an offline eval suite and run it in CI, so a prompt or model change is tested \
               before it ships.",
        help_uri: NIST_AI_RMF,
        policy: Some(Policy::NoEvals),
        default_level: "note",
        tags: &["ai-governance"],
        severity: "2.0",
    },
    RuleDef {
        id: "risk.unbounded-exec",
        name: "UnboundedExecTool",
        short: "Agent tool runs shell commands or code with nothing to stop it",
        full: "This agent can run shell commands or model-written code (a shell or \
               code-execution tool), and no guardrail, human approval or loop limit was found \
               in its own files or the repository's shared configuration.",
        help: "Require human approval for the tool's calls, put a guardrail in front of it, or \
               bound the agent loop (max turns, iterations or steps); run the code in a \
               sandbox. See docs/governance.md, \"Risk\".",
        help_uri: "https://genai.owasp.org/llmrisk/llm062025-excessive-agency/",
        policy: Some(Policy::UnboundedExec),
        default_level: "warning",
        tags: &["security", "ai-governance", "excessive-agency"],
        severity: "8.0",
    },
    RuleDef {
        id: "governance.unregistered",
        name: "UnregisteredAgent",
        short: "AI agent not in the sanctioned registry",
        full: "No entry of the organisation's registry of agents (`--registry`) names this \
               agent unit's repository and path.",
        help: "Register it: `aiscout register PATH --owner TEAM --registry FILE` writes the \
               owner declaration and the registry entry. See docs/registry.md.",
        help_uri: NIST_AI_RMF,
        policy: Some(Policy::Unregistered),
        default_level: "note",
        tags: &["ai-governance"],
        severity: "4.0",
    },
];

/// A rule's help: what a result means, then how to fix it.
fn help(r: &RuleDef) -> Help {
    Help {
        text: format!("{}\n\nHow to fix: {}\n\nSee {}", r.full, r.help, r.help_uri),
        markdown: format!(
            "**{}**\n\n{}\n\n**How to fix:** {}\n\n[More about this rule]({})",
            r.short, r.full, r.help, r.help_uri
        ),
    }
}

/// Each git repository with a remote, at the commit scanned. SARIF wants an absolute
/// URI: a remote in scp form (`git@host:org/repo.git`) is written as `ssh://`; a
/// repository known only by its path has no provenance to give.
fn provenance(inv: &Inventory, prefixes: &BTreeMap<&str, String>) -> Vec<VersionControl> {
    let mut out: Vec<VersionControl> = Vec::new();
    for r in inv.repositories.iter().filter(|r| r.commit.is_some()) {
        let Some(uri) = repository_uri(&r.identity) else {
            continue;
        };
        if out.iter().any(|v| v.repository_uri == uri) {
            continue;
        }
        let prefix = prefixes.get(r.identity.as_str()).map_or("", |p| p.as_str());
        out.push(VersionControl {
            repository_uri: uri,
            revision_id: r.commit.clone(),
            branch: r.branch.clone(),
            mapped_to: (!prefix.is_empty()).then(|| ArtifactLocation {
                uri: format!("{}/", uri_path(prefix)),
                uri_base_id: SRCROOT,
            }),
        });
    }
    out
}

/// A remote as an absolute URI, `None` for a path.
fn repository_uri(identity: &str) -> Option<String> {
    let is_scheme = |s: &str| {
        s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    };
    if let Some((scheme, rest)) = identity.split_once("://") {
        return (is_scheme(scheme) && !rest.is_empty() && !identity.contains(char::is_whitespace))
            .then(|| identity.to_string());
    }
    // scp form: [user@]host:path, where the host has no slash (and is no drive letter).
    let (host, path) = identity.split_once(':')?;
    if host.len() < 2
        || host.contains('/')
        || path.is_empty()
        || identity.contains(char::is_whitespace)
    {
        return None;
    }
    Some(format!("ssh://{host}/{}", path.trim_start_matches('/')))
}

fn rule_index(id: &str) -> usize {
    RULES
        .iter()
        .position(|r| r.id == id)
        .expect("every result names one of RULES")
}

/// Percent-encodes a repository path for a URI reference: unreserved characters, `/`
/// and sub-delimiters stay; anything else (space, `%`, `#`, `?`, non-ASCII) is encoded.
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where each repository lies under its scan root (`""` when it is the root).
fn repo_prefixes(inv: &Inventory) -> BTreeMap<&str, String> {
    let mut out = BTreeMap::new();
    for r in &inv.repositories {
        let prefix = inv
            .sources
            .iter()
            .find_map(|s| {
                if r.path == *s {
                    Some(String::new())
                } else if s == "." {
                    Some(r.path.clone())
                } else {
                    r.path
                        .strip_prefix(s.as_str())
                        .and_then(|p| p.strip_prefix('/'))
                        .map(str::to_string)
                }
            })
            .unwrap_or_default();
        out.entry(r.identity.as_str()).or_insert(prefix);
    }
    out
}

fn location(prefix: &str, path: &str, line: u32, notebook: bool) -> Location {
    let full = if prefix.is_empty() {
        path.to_string()
    } else {
        format!("{prefix}/{path}")
    };
    Location {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri_path(&full),
                uri_base_id: SRCROOT,
            },
            // A notebook's line counts within a cell, not within the file.
            region: (!notebook).then_some(Region {
                start_line: line.max(1),
            }),
        },
    }
}

/// The evidence a unit's results point at: its manifest when it declares AI, else
/// its first AI evidence.
fn anchor(u: &Unit) -> Option<&Evidence> {
    let ai = |e: &&Evidence| {
        !matches!(
            e.kind,
            Kind::Owner | Kind::Monitoring | Kind::Eval | Kind::Guardrail
        )
    };
    u.evidence
        .iter()
        .filter(ai)
        .find(|e| e.method == Method::Dependency)
        .or_else(|| u.evidence.iter().find(ai))
        .or_else(|| u.evidence.first())
}

fn level(def: &RuleDef, fail_on: &[Policy]) -> &'static str {
    if def.policy.is_some_and(|p| fail_on.contains(&p)) {
        "error"
    } else {
        def.default_level
    }
}

fn unit_result(
    def: &RuleDef,
    u: &Unit,
    prefix: &str,
    fail_on: &[Policy],
    what: &str,
) -> SarifResult {
    let mut uses: Vec<String> = Vec::new();
    if !u.providers.is_empty() {
        uses.push(format!("providers: {}", u.providers.join(", ")));
    }
    if !u.frameworks.is_empty() {
        uses.push(format!("frameworks: {}", u.frameworks.join(", ")));
    }
    let text = format!(
        "Agent unit {} in {} {what}.{}",
        summary::unit_label(u),
        u.repo,
        if uses.is_empty() {
            String::new()
        } else {
            format!(" It uses {}.", uses.join("; "))
        }
    );
    let locations = anchor(u)
        .map(|e| vec![location(prefix, &e.path, e.line, e.cell.is_some())])
        .unwrap_or_default();
    let mut properties = BTreeMap::new();
    properties.insert("unitId", u.id.clone().into());
    properties.insert("unitPath", u.path.clone().into());
    properties.insert("repository", u.repo.clone().into());
    properties.insert("status", u.status.as_str().into());
    if let Some(r) = &u.risk {
        properties.insert("risk", r.level.as_str().into());
    }
    if let Some(r) = u.registry {
        properties.insert("registry", r.as_str().into());
    }
    SarifResult {
        rule_id: def.id,
        rule_index: rule_index(def.id),
        level: level(def, fail_on),
        message: Message { text },
        locations,
        partial_fingerprints: BTreeMap::from([("aiscoutUnit/v1", u.id.clone())]),
        baseline_state: None,
        suppressions: Vec::new(),
        properties,
    }
}

/// Writes `inv` as a SARIF 2.1.0 log.
pub fn write(inv: &Inventory, opts: &ReportOptions, w: &mut dyn Write) -> io::Result<()> {
    let prefixes = repo_prefixes(inv);
    let rule = |id: &str| &RULES[rule_index(id)];
    let mut results = Vec::new();
    for u in inv.all_units() {
        let prefix = prefixes.get(u.repo.as_str()).map_or("", |p| p.as_str());
        for s in &u.secrets {
            let def = rule("secret.ai-key");
            let notebook = u
                .evidence
                .iter()
                .any(|e| e.path == s.path && e.line == s.line && e.cell.is_some());
            let mut properties = BTreeMap::new();
            properties.insert("detectionRule", s.rule_id.clone().into());
            properties.insert("provider", s.provider.clone().into());
            properties.insert("unitId", u.id.clone().into());
            if s.in_test {
                properties.insert("inTest", true.into());
            }
            let mut text = format!(
                "{} key {} (fingerprint {}) found by rule {}",
                s.provider, s.shown, s.fingerprint, s.rule_id
            );
            if let Some(h) = &s.history {
                text.push_str(&format!(
                    "; entered history in commit {} ({}){}",
                    h.commit.get(..12).unwrap_or(&h.commit),
                    h.date,
                    if h.at_head {
                        ""
                    } else {
                        ", no longer at HEAD: rotate it"
                    }
                ));
            }
            text.push('.');
            results.push(SarifResult {
                rule_id: def.id,
                rule_index: rule_index(def.id),
                level: if s.baselined {
                    "note"
                } else {
                    level(def, &opts.fail_on)
                },
                message: Message { text },
                locations: vec![location(prefix, &s.path, s.line, notebook)],
                partial_fingerprints: BTreeMap::from([("aiscoutSecret/v2", s.fingerprint.clone())]),
                baseline_state: s.baselined.then_some("unchanged"),
                suppressions: if s.baselined {
                    vec![Suppression {
                        kind: "external",
                        status: "accepted",
                        justification: "accepted in the aiscout baseline",
                    }]
                } else {
                    Vec::new()
                },
                properties,
            });
        }
        if u.not_agent.is_some() {
            continue;
        }
        match u.status {
            Status::Governed => {}
            Status::Shadow => results.push(unit_result(
                rule("governance.shadow"),
                u,
                prefix,
                &opts.fail_on,
                "is shadow: no named owner and no monitoring",
            )),
            Status::Partial => results.push(unit_result(
                rule("governance.partial"),
                u,
                prefix,
                &opts.fail_on,
                "is partly governed",
            )),
        }
        if u.owner.is_none() {
            results.push(unit_result(
                rule("governance.unowned"),
                u,
                prefix,
                &opts.fail_on,
                "has no named owner",
            ));
        }
        if !u.monitoring.present {
            results.push(unit_result(
                rule("governance.unmonitored"),
                u,
                prefix,
                &opts.fail_on,
                "has no monitoring",
            ));
        }
        if !u.evals.present {
            results.push(unit_result(
                rule("governance.no-evals"),
                u,
                prefix,
                &opts.fail_on,
                "has no offline evals",
            ));
        }
        if u.registry == Some(Registration::Unregistered) {
            let fix = summary::register_fix(u);
            results.push(unit_result(
                rule("governance.unregistered"),
                u,
                prefix,
                &opts.fail_on,
                &format!("is not in the registry (fix: {fix})"),
            ));
        }
        // One result per unguarded tool, at the tool: each is its own fix.
        for r in u.risk.iter().flat_map(|r| &r.reasons) {
            if r.kind != ReasonKind::UnguardedExec {
                continue;
            }
            let class = r.class.as_deref().unwrap_or("exec");
            let mut result = unit_result(
                rule("risk.unbounded-exec"),
                u,
                prefix,
                &opts.fail_on,
                &format!(
                    "can run {} through {} with no guardrail, human approval or loop limit",
                    if class == "shell" {
                        "shell commands"
                    } else {
                        "code"
                    },
                    r.name
                ),
            );
            result.locations = vec![location(prefix, &r.at.path, r.at.line, false)];
            result.partial_fingerprints = BTreeMap::from([(
                "aiscoutTool/v1",
                format!("{}:{}:{}", u.id, r.at.rule_id, r.name),
            )]);
            result.properties.insert("tool", r.name.clone().into());
            result.properties.insert("toolClass", class.into());
            results.push(result);
        }
    }
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: inv.scanner.name.clone(),
                    version: inv.scanner.version.clone(),
                    semantic_version: inv.scanner.version.clone(),
                    rules: RULES
                        .iter()
                        .map(|r| Rule {
                            id: r.id,
                            name: r.name,
                            short_description: Message {
                                text: r.short.into(),
                            },
                            full_description: Message {
                                text: r.full.into(),
                            },
                            help_uri: r.help_uri,
                            help: help(r),
                            default_configuration: Configuration {
                                level: r.default_level,
                            },
                            properties: RuleProperties {
                                tags: r.tags.to_vec(),
                                security_severity: r.severity,
                            },
                        })
                        .collect(),
                },
            },
            invocations: vec![Invocation {
                start_time_utc: inv.scanned_at.clone(),
                execution_successful: inv.stats.faults.is_empty(),
            }],
            version_control_provenance: provenance(inv, &prefixes),
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    serde_json::to_writer_pretty(&mut *w, &log)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_are_percent_encoded() {
        assert_eq!(uri_path("src/app.py"), "src/app.py");
        assert_eq!(uri_path("my dir/a#b?.py"), "my%20dir/a%23b%3F.py");
        assert_eq!(uri_path("é"), "%C3%A9");
    }

    #[test]
    fn remotes_become_absolute_uris() {
        assert_eq!(
            repository_uri("https://github.com/o/r.git").as_deref(),
            Some("https://github.com/o/r.git")
        );
        assert_eq!(
            repository_uri("git@github.com:o/r.git").as_deref(),
            Some("ssh://git@github.com/o/r.git")
        );
        assert_eq!(repository_uri("test-repos/app"), None);
        assert_eq!(repository_uri("C:/src/app"), None);
    }

    #[test]
    fn rule_ids_are_unique() {
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(rule_index(r.id), i);
        }
    }
}
