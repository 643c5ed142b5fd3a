//! The CycloneDX 1.6 reporter: the inventory as an AI bill of materials. Each agent
//! unit is an `application` component (its governance in `aiscout:*` properties);
//! the providers it calls are `services`; its frameworks and SDKs are `library`
//! components, with a purl when a manifest names the package (the ecosystem comes
//! from the manifest's file name); its model ids are `machine-learning-model`
//! components. `dependencies` ties each unit to what it uses, and the scan
//! (`metadata.component`) to its units; a unit's links add the units it calls, and
//! endpoints outside the scan as `services`, its own structure (handoffs, sub-agents)
//! is a `structure:*` property. No secret value or prefix is included: only
//! a count per unit.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use serde::Serialize;

use super::ReportOptions;
use crate::inventory::{Inventory, Link, LinkEnd, Repository, Signal, Unit};
use crate::model::{Ecosystem, Kind, Method};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Bom {
    bom_format: &'static str,
    spec_version: &'static str,
    version: u32,
    metadata: Metadata,
    components: Vec<Component>,
    services: Vec<Service>,
    dependencies: Vec<Dependency>,
}

#[derive(Serialize)]
struct Metadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<String>,
    tools: Tools,
    component: Component,
    properties: Vec<Property>,
}

#[derive(Serialize)]
struct Tools {
    components: Vec<Component>,
}

#[derive(Serialize, Clone)]
struct Component {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref")]
    bom_ref: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    components: Vec<Component>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Service {
    #[serde(rename = "bom-ref")]
    bom_ref: String,
    provider: Entity,
    name: String,
    description: String,
}

#[derive(Serialize)]
struct Entity {
    name: String,
}

#[derive(Serialize, Clone)]
struct Property {
    name: String,
    value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dependency {
    #[serde(rename = "ref")]
    reference: String,
    depends_on: Vec<String>,
}

fn prop(name: &str, value: impl Into<String>) -> Property {
    Property {
        name: format!("aiscout:{name}"),
        value: value.into(),
    }
}

/// Percent-encodes one purl segment: letters, digits and `.-_~` stay.
fn purl_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"._-~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn segments(parts: &str) -> String {
    parts
        .split('/')
        .map(purl_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// The package URL of `name` in `eco` (no version: the inventory does not hold one).
pub fn purl(eco: Ecosystem, name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    Some(match eco {
        Ecosystem::Pypi => {
            // PEP 503 normalisation, as the purl spec asks.
            let mut n = String::new();
            for c in name.to_ascii_lowercase().chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !n.ends_with('-') {
                        n.push('-');
                    }
                } else {
                    n.push(c);
                }
            }
            format!("pkg:pypi/{}", purl_segment(&n))
        }
        Ecosystem::Npm => match name.strip_prefix('@').and_then(|s| s.split_once('/')) {
            Some((scope, pkg)) => {
                format!("pkg:npm/%40{}/{}", purl_segment(scope), purl_segment(pkg))
            }
            None => format!("pkg:npm/{}", purl_segment(name)),
        },
        Ecosystem::Go => format!("pkg:golang/{}", segments(&name.to_ascii_lowercase())),
        Ecosystem::Maven => {
            let (group, artifact) = name.split_once(':')?;
            format!(
                "pkg:maven/{}/{}",
                purl_segment(group),
                purl_segment(artifact)
            )
        }
        Ecosystem::Nuget => format!("pkg:nuget/{}", purl_segment(name)),
        Ecosystem::Cargo => format!("pkg:cargo/{}", purl_segment(name)),
        Ecosystem::Rubygems => format!("pkg:gem/{}", purl_segment(name)),
        Ecosystem::Composer => {
            let (vendor, package) = name.split_once('/')?;
            format!(
                "pkg:composer/{}/{}",
                purl_segment(vendor),
                purl_segment(package)
            )
        }
    })
}

fn signal_props(out: &mut Vec<Property>, name: &str, s: &Signal) {
    out.push(prop(name, if s.present { "true" } else { "false" }));
    if s.present {
        out.push(prop(&format!("{name}:names"), s.names.join(",")));
        if let Some(scope) = &s.scope {
            out.push(prop(&format!("{name}:scope"), scope.clone()));
        }
    }
}

fn unit_component(u: &Unit, links: &[Link]) -> Component {
    let mut properties = vec![
        prop("unit:id", u.id.clone()),
        prop("unit:repository", u.repo.clone()),
        prop("unit:path", u.path.clone()),
        prop(
            "unit:kind",
            serde_json::to_value(u.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        ),
        prop("status", u.status.as_str()),
    ];
    match &u.owner {
        Some(o) => {
            properties.push(prop("owner", o.value.clone()));
            properties.push(prop("owner:source", o.source.clone()));
        }
        None => properties.push(prop("owner", "")),
    }
    signal_props(&mut properties, "monitoring", &u.monitoring);
    signal_props(&mut properties, "evals", &u.evals);
    signal_props(&mut properties, "containment", &u.containment);
    if !u.languages.is_empty() {
        properties.push(prop("languages", u.languages.join(",")));
    }
    for m in &u.mcp_servers {
        properties.push(prop(&format!("mcp:{}", m.role), m.name.clone()));
    }
    for t in &u.tools {
        properties.push(prop(&format!("tool:{}", t.risk), t.name.clone()));
    }
    properties.push(prop("secrets", u.secrets.len().to_string()));
    for l in links
        .iter()
        .filter(|l| l.from == u.id && l.to.unit() == Some(&u.id))
    {
        properties.push(prop(
            &format!("structure:{}", l.protocol),
            l.names.join(","),
        ));
    }
    if let Some(r) = &u.risk {
        properties.push(prop("risk", r.level.as_str()));
        for reason in super::summary::risk_reasons(u) {
            properties.push(prop("risk:reason", reason));
        }
    }
    if let Some(reg) = u.registry {
        properties.push(prop("registry", reg.as_str()));
    }
    if let Some(r) = &u.registered_as {
        properties.push(prop("registry:name", r.name.clone()));
        if let Some(o) = &r.owner {
            properties.push(prop("registry:owner", o.clone()));
        }
    }
    Component {
        kind: "application",
        bom_ref: format!("unit:{}", u.id),
        name: u.name.clone(),
        version: None,
        publisher: None,
        description: Some(format!("AI agent unit {} in {}", u.path, u.repo)),
        purl: None,
        properties,
        components: Vec::new(),
    }
}

/// Who runs an external link end: a URL's host, else the package's scope or name.
fn link_provider(end: &str) -> String {
    match end.split_once("://") {
        Some((_, rest)) => rest.split(['/', ':']).next().unwrap_or(rest).to_string(),
        None => end.split('/').next().unwrap_or(end).to_string(),
    }
}

/// A scanned repository, a part of the scan's root component, with the commit and
/// branch read: the audit anchor of the units found in it.
fn repository_component(r: &Repository) -> Component {
    let mut properties = vec![
        prop("repository:identity", r.identity.clone()),
        prop("repository:path", r.path.clone()),
    ];
    if let Some(c) = &r.commit {
        properties.push(prop("repository:commit", c.clone()));
    }
    if let Some(b) = &r.branch {
        properties.push(prop("repository:branch", b.clone()));
    }
    Component {
        kind: "application",
        bom_ref: format!("repository:{}", r.path),
        name: r.identity.clone(),
        version: None,
        publisher: None,
        description: Some("A repository scanned".into()),
        purl: None,
        properties,
        components: Vec::new(),
    }
}

/// Writes `inv` as a CycloneDX 1.6 JSON BOM.
pub fn write(inv: &Inventory, _opts: &ReportOptions, w: &mut dyn Write) -> io::Result<()> {
    let mut units = Vec::new();
    // bom-ref → component, so a library or model used by several units is listed once.
    let mut shared: BTreeMap<String, Component> = BTreeMap::new();
    let mut services: BTreeMap<String, Service> = BTreeMap::new();
    let mut dependencies = Vec::new();
    for u in &inv.units {
        units.push(unit_component(u, &inv.links));
        let mut uses: BTreeSet<String> = BTreeSet::new();
        for p in &u.providers {
            let r = format!("service:{p}");
            services.entry(r.clone()).or_insert_with(|| Service {
                bom_ref: r.clone(),
                provider: Entity { name: p.clone() },
                name: p.clone(),
                description: format!("AI provider API: {p}"),
            });
            uses.insert(r);
        }
        // Packages named by a manifest or lockfile: a purl when the ecosystem is known.
        let mut packaged: BTreeSet<&str> = BTreeSet::new();
        for e in u.evidence.iter().filter(|e| {
            matches!(e.kind, Kind::Provider | Kind::Framework)
                && matches!(e.method, Method::Dependency | Method::Lockfile)
        }) {
            let purl = e.file.ecosystem.and_then(|eco| purl(eco, &e.matched));
            let r = match &purl {
                Some(p) => p.clone(),
                None => format!("package:{}", e.matched),
            };
            shared.entry(r.clone()).or_insert_with(|| Component {
                kind: "library",
                bom_ref: r.clone(),
                name: e.matched.clone(),
                version: None,
                publisher: None,
                description: None,
                purl,
                properties: vec![prop("identifies", e.identifies.clone())],
                components: Vec::new(),
            });
            packaged.insert(e.identifies.as_str());
            uses.insert(r);
        }
        // Frameworks seen only in code: named, with no package to point at.
        for f in u
            .frameworks
            .iter()
            .filter(|f| !packaged.contains(f.as_str()))
        {
            let r = format!("framework:{f}");
            shared.entry(r.clone()).or_insert_with(|| Component {
                kind: "library",
                bom_ref: r.clone(),
                name: f.clone(),
                version: None,
                publisher: None,
                description: None,
                purl: None,
                properties: vec![prop("identifies", f.clone())],
                components: Vec::new(),
            });
            uses.insert(r);
        }
        for m in &u.models {
            let r = format!("model:{}/{}", m.provider, m.id);
            shared.entry(r.clone()).or_insert_with(|| Component {
                kind: "machine-learning-model",
                bom_ref: r.clone(),
                name: m.id.clone(),
                version: None,
                publisher: Some(m.provider.clone()),
                description: None,
                purl: None,
                properties: vec![prop("provider", m.provider.clone())],
                components: Vec::new(),
            });
            uses.insert(r);
        }
        // Links: the unit depends on each unit it calls; an endpoint outside the scan
        // (an A2A agent, an MCP server) is a service of its own.
        for l in inv.links.iter().filter(|l| l.from == u.id) {
            match &l.to {
                LinkEnd::Unit(to) if *to != u.id => {
                    uses.insert(format!("unit:{to}"));
                }
                LinkEnd::Unit(_) => {}
                LinkEnd::External { external } => {
                    let r = format!("link:{}:{external}", l.protocol);
                    services.entry(r.clone()).or_insert_with(|| Service {
                        bom_ref: r.clone(),
                        provider: Entity {
                            name: link_provider(external),
                        },
                        name: external.clone(),
                        description: format!(
                            "{} endpoint outside the scan",
                            l.protocol.to_ascii_uppercase()
                        ),
                    });
                    uses.insert(r);
                }
            }
        }
        dependencies.push(Dependency {
            reference: format!("unit:{}", u.id),
            depends_on: uses.into_iter().collect(),
        });
    }
    let root = Component {
        kind: "application",
        bom_ref: "aiscout:scan".into(),
        name: inv.sources.join(", "),
        version: None,
        publisher: None,
        description: Some("The code and configuration scanned by aiscout".into()),
        purl: None,
        properties: Vec::new(),
        components: inv.repositories.iter().map(repository_component).collect(),
    };
    dependencies.insert(
        0,
        Dependency {
            reference: root.bom_ref.clone(),
            depends_on: inv.units.iter().map(|u| format!("unit:{}", u.id)).collect(),
        },
    );
    let mut components = units;
    components.extend(shared.into_values());
    let bom = Bom {
        bom_format: "CycloneDX",
        spec_version: "1.6",
        version: 1,
        metadata: Metadata {
            timestamp: inv.scanned_at.clone(),
            tools: Tools {
                components: vec![Component {
                    kind: "application",
                    bom_ref: "aiscout:tool".into(),
                    name: inv.scanner.name.clone(),
                    version: Some(inv.scanner.version.clone()),
                    publisher: None,
                    description: None,
                    purl: None,
                    properties: Vec::new(),
                    components: Vec::new(),
                }],
            },
            component: root,
            properties: {
                let mut p = vec![
                    prop("schema_version", inv.schema_version.to_string()),
                    prop("rules_digest", inv.scanner.rules_digest.clone()),
                ];
                if let Some(r) = &inv.registry {
                    p.push(prop("registry:file", r.file.clone()));
                    p.push(prop("registry:digest", r.digest.clone()));
                    p.push(prop("registry:missing", r.missing.to_string()));
                    p.push(prop("registry:not_scanned", r.not_scanned.to_string()));
                    for e in inv.registry_missing.iter().flatten() {
                        p.push(prop(
                            "registry:missing:entry",
                            format!("{} ({} {})", e.name, e.repo, e.path),
                        ));
                    }
                }
                p
            },
        },
        components,
        services: services.into_values().collect(),
        dependencies,
    };
    serde_json::to_writer_pretty(&mut *w, &bom)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_follow_each_ecosystem() {
        assert_eq!(
            purl(Ecosystem::Pypi, "Llama_Index.Core").as_deref(),
            Some("pkg:pypi/llama-index-core")
        );
        assert_eq!(
            purl(Ecosystem::Npm, "@langchain/openai").as_deref(),
            Some("pkg:npm/%40langchain/openai")
        );
        assert_eq!(
            purl(Ecosystem::Maven, "dev.langchain4j:langchain4j").as_deref(),
            Some("pkg:maven/dev.langchain4j/langchain4j")
        );
        assert_eq!(
            purl(Ecosystem::Go, "github.com/tmc/langchaingo").as_deref(),
            Some("pkg:golang/github.com/tmc/langchaingo")
        );
        assert_eq!(purl(Ecosystem::Maven, "no-colon"), None);
        assert_eq!(
            purl(Ecosystem::Rubygems, "ruby-openai").as_deref(),
            Some("pkg:gem/ruby-openai")
        );
        assert_eq!(
            purl(Ecosystem::Composer, "openai-php/client").as_deref(),
            Some("pkg:composer/openai-php/client")
        );
        assert_eq!(purl(Ecosystem::Composer, "php"), None);
        assert_eq!(
            purl(Ecosystem::Cargo, "rig-core").as_deref(),
            Some("pkg:cargo/rig-core")
        );
    }
}
