//! Links between agent units: who calls whom, over which protocol, with the evidence.
//!
//! The detectors record *link facts* (`Kind::Link` evidence, `rules/links.yaml`): what a
//! unit serves (an A2A card's name and URL, an MCP server's package or port, a port or
//! route it listens on, the compose service that builds it) and what it calls (a remote
//! agent's URL, an MCP server's command line or URL, an HTTP URL). [`links`] matches the
//! calls of every unit of a whole inventory against what the others serve — across all
//! its repositories, and again after `aiscout merge`, since it reads only what the JSON
//! keeps: the units' evidence.
//!
//! Precision first. A call is linked only to a *unique* unit, in this order:
//! 1. an A2A card's own URL (host and port, path prefix) or name;
//! 2. a compose service name as host (the service's build folder is the unit);
//! 3. a unit's name (folder or repository) as host, narrowed by port when several;
//! 4. for `localhost`-like or templated hosts, the port, narrowed by path prefix (a
//!    route the unit serves) or by the protocol the unit serves;
//! 5. for MCP command lines, a served package name (`npx @acme/mcp-tickets`, `uvx x`),
//!    or the unit a script path (`node ../tickets/dist/index.js`) lies in.
//!
//! A call that matches no unit is kept as an external node when it is an A2A or MCP
//! endpoint on another host (an agent or tool server outside the scan, a package a
//! client launches); an unmatched HTTP URL or `localhost` endpoint links nothing: it is
//! as likely a database or a model server as an agent. A unit's own structure
//! (handoffs, sub-agents, agents as tools, crews, group chats, subgraphs) is a link
//! from the unit to itself, with the names. Never touches evidence, only reads it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{Location, Unit};
use crate::model::{Evidence, Kind, Method};

/// Most units in the folder a `localhost` client and its server share: more, and the
/// folder is a collection of separate projects, not one system of agents.
const LOCAL_SCOPE: usize = 4;

/// One link: `from` calls `to` over `protocol`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Link {
    /// The calling unit's id.
    pub from: String,
    /// The unit called, or an endpoint outside the scan.
    pub to: LinkEnd,
    /// `a2a`, `mcp` or `http`; for a unit's own structure `handoff`, `sub-agent`,
    /// `agent-tool`, `crew`, `group-chat` or `subgraph` (then `to` is `from`).
    pub protocol: String,
    /// What the caller names: a URL, a package, a command line (the first, sorted, when
    /// several facts give the same link). Absent for structure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// How the endpoint was matched to the unit: `card-url`, `card-name`, `service`,
    /// `unit-name`, `port`, `port+path`, `package`, `script`. Absent for external ends
    /// and structure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// For structure: the agents named (`billing_agent`, `refund_agent`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// The caller's facts, then the called unit's fact that matched, if any.
    pub evidence: Vec<LinkEvidence>,
}

/// Where a link was seen: a fact in a unit's evidence.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LinkEvidence {
    /// The unit whose evidence holds it.
    pub unit: String,
    /// Path in that unit's repository, line and rule.
    #[serde(flatten)]
    pub at: Location,
}

/// The called end of a link.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LinkEnd {
    /// A unit of the inventory, by id.
    Unit(String),
    /// An endpoint no scanned unit serves.
    External {
        /// Its URL or package, as the caller names it.
        external: String,
    },
}

impl LinkEnd {
    /// The unit id, if the end is a unit.
    pub fn unit(&self) -> Option<&str> {
        match self {
            LinkEnd::Unit(id) => Some(id),
            LinkEnd::External { .. } => None,
        }
    }
}

/// The service, the key below it and the value of a compose link fact
/// (`services.api.build.context=./api` → `api`, `build.context`, `./api`).
pub(super) fn compose_fact(matched: &str) -> Option<(&str, &str, &str)> {
    let (key, value) = matched.split_once('=')?;
    let rest = key.strip_prefix("services.")?;
    let (svc, below) = rest.split_once('.')?;
    Some((svc, below, value))
}

/// A URL taken apart, lower-cased host; `None` host when it is a placeholder.
#[derive(Debug, PartialEq, Eq)]
struct Url {
    host: Option<String>,
    port: Option<u16>,
    path: String,
}

fn parse_url(s: &str) -> Option<Url> {
    let (_, rest) = s.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.is_empty() && !h.ends_with(']') || p.parse::<u16>().is_ok() => {
            (h, p.parse::<u16>().ok())
        }
        _ => (authority, None),
    };
    let templated = |t: &str| t.contains(['{', '$', '<', '%']) || t.is_empty();
    Some(Url {
        host: (!templated(host)).then(|| host.to_ascii_lowercase()),
        port,
        path: path.split(['?', '#']).next().unwrap_or("").to_string(),
    })
}

/// A host that names the machine the caller runs on, not a service.
fn is_local(host: &str) -> bool {
    matches!(
        host,
        "localhost" | "127.0.0.1" | "0.0.0.0" | "host.docker.internal" | "[::1]" | "::1"
    )
}

/// The first label of a host (`billing.agents.svc.cluster.local` → `billing`).
fn host_name(host: &str) -> &str {
    host.split('.').next().unwrap_or(host)
}

/// The value of a fact: after `key=` for configuration, else as matched.
fn value(e: &Evidence) -> &str {
    if e.method == Method::Config {
        e.matched.split_once('=').map_or("", |(_, v)| v)
    } else {
        &e.matched
    }
}

/// A port number a value publishes: `8000`, compose `8000:80` (the host side) or
/// `127.0.0.1:8000:80`.
fn port_of(v: &str) -> Option<u16> {
    let v = v.trim().trim_matches('"');
    let v = v.split('/').next()?;
    let parts: Vec<&str> = v.split(':').collect();
    let p = match parts.len() {
        1 => parts[0],
        2 => parts[0],
        _ => parts[parts.len() - 2],
    };
    p.parse().ok().filter(|&p: &u16| p > 0)
}

/// Package names compare as registries do: case-insensitive, `_` and `.` as `-`, the
/// version dropped (`@acme/mcp-tickets@1.2` → `@acme/mcp-tickets`).
fn package_key(p: &str) -> String {
    let p = p.trim().trim_matches(['"', '\'']);
    let p = match p.strip_prefix('@') {
        Some(rest) => match rest.split_once('@') {
            Some((name, _)) => format!("@{name}"),
            None => p.to_string(),
        },
        None => p
            .split(['@', '=', '>', '<', '~', '['])
            .next()
            .unwrap_or(p)
            .to_string(),
    };
    p.to_ascii_lowercase().replace(['_', '.'], "-")
}

/// What a unit serves, from its facts.
#[derive(Debug, Default)]
struct Serves<'u> {
    a2a: bool,
    mcp: bool,
    ports: BTreeSet<u16>,
    routes: BTreeSet<String>,
    card_urls: Vec<(Url, &'u Evidence)>,
    card_names: BTreeSet<String>,
    packages: BTreeSet<String>,
}

/// Every link of the units in `units` (agent units: what is not an agent calls or
/// serves nothing), sorted.
pub fn links(units: &[Unit]) -> Vec<Link> {
    let serves: Vec<Serves> = units.iter().map(serves_of).collect();
    let index = Index::new(units, &serves);
    let mut found: BTreeMap<(String, LinkEnd, String), Link> = BTreeMap::new();
    let mut add = |from: &Unit,
                   end: LinkEnd,
                   protocol: &str,
                   endpoint: Option<&str>,
                   via: Option<&str>,
                   ev: Vec<LinkEvidence>,
                   names: Vec<String>| {
        let key = (from.id.clone(), end.clone(), protocol.to_string());
        let link = found.entry(key).or_insert_with(|| Link {
            from: from.id.clone(),
            to: end,
            protocol: protocol.to_string(),
            endpoint: None,
            via: None,
            names: Vec::new(),
            evidence: Vec::new(),
        });
        if let Some(e) = endpoint {
            if link.endpoint.as_deref().is_none_or(|old| e < old) {
                link.endpoint = Some(e.to_string());
                link.via = via.map(str::to_string);
            }
        }
        link.names.extend(names);
        link.names.sort();
        link.names.dedup();
        link.evidence.extend(ev);
        link.evidence.sort();
        link.evidence.dedup();
    };
    // The called unit as a link end, with the caller's fact and the one it matched.
    let unit_end = |j: usize, there: Option<&Evidence>, at: LinkEvidence| {
        let mut ev = vec![at];
        ev.extend(there.map(|t| LinkEvidence {
            unit: units[j].id.clone(),
            at: super::unit::location_of(t),
        }));
        (LinkEnd::Unit(units[j].id.clone()), ev)
    };
    for (i, u) in units.iter().enumerate() {
        let has_a2a = u.frameworks.iter().any(|f| f == "a2a")
            || u.evidence.iter().any(|e| e.identifies == "a2a.client");
        for e in u.evidence.iter().filter(|e| e.kind == Kind::Link) {
            let at = LinkEvidence {
                unit: u.id.clone(),
                at: super::unit::location_of(e),
            };
            let v = value(e);
            match e.identifies.as_str() {
                "a2a.client" | "mcp.client" | "http.client" => {
                    let hint: &'static str = match e.identifies.as_str() {
                        "a2a.client" => "a2a",
                        "mcp.client" => "mcp",
                        _ => "http",
                    };
                    let found = if v.contains("://") {
                        let url = &v[v.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(0)..];
                        let url = url.rsplit(' ').find(|t| t.contains("://")).unwrap_or(url);
                        index.url(i, (&u.repo, &e.path), url, hint, has_a2a)
                    } else if hint == "mcp" {
                        index.command(i, e, v)
                    } else {
                        None
                    };
                    // A stdio client's argument list reads as the command line it is.
                    let shown = if v.contains("://") {
                        v.to_string()
                    } else {
                        v.split([' ', ','])
                            .map(|t| t.trim().trim_matches(['"', '\'', '`']))
                            .filter(|t| !t.is_empty())
                            .collect::<Vec<_>>()
                            .join(" ")
                    };
                    let v = shown.as_str();
                    match found {
                        Some(Found::Unit(j, protocol, via, there)) => {
                            let (end, ev) = unit_end(j, there, at);
                            add(u, end, protocol, Some(v), Some(via), ev, Vec::new());
                        }
                        Some(Found::External(end, protocol)) => {
                            add(
                                u,
                                LinkEnd::External {
                                    external: end.clone(),
                                },
                                protocol,
                                Some(&end),
                                None,
                                vec![at],
                                Vec::new(),
                            );
                        }
                        None => {}
                    }
                }
                "service" => {
                    // The URLs a compose service's environment gives it: its calls.
                    let Some((_, key, val)) = compose_fact(&e.matched) else {
                        continue;
                    };
                    if !key.starts_with("environment") {
                        continue;
                    }
                    let Some(url) = val.split_once("://").map(|_| {
                        let s = val.find("http").unwrap_or(0);
                        &val[s..]
                    }) else {
                        continue;
                    };
                    if let Some(Found::Unit(j, protocol, via, there)) =
                        index.url(i, (&u.repo, &e.path), url, "http", has_a2a)
                    {
                        let (end, ev) = unit_end(j, there, at);
                        add(u, end, protocol, Some(url), Some(via), ev, Vec::new());
                    }
                }
                "handoff" | "sub-agent" | "agent-tool" | "crew" | "group-chat" | "subgraph" => {
                    let names = structure_names(v);
                    if !names.is_empty() {
                        add(
                            u,
                            LinkEnd::Unit(u.id.clone()),
                            &e.identifies,
                            None,
                            None,
                            vec![at],
                            names,
                        );
                    }
                }
                _ => {}
            }
        }
    }
    found.into_values().collect()
}

/// The agent names of a structure fact (`[billing_agent, refund_agent]`,
/// `"research"`): identifiers, without `self.` or call arguments.
fn structure_names(v: &str) -> Vec<String> {
    let mut names: Vec<String> = v
        .split(',')
        .map(|n| n.trim().trim_matches(['"', '\'', '[', ']']).trim())
        .map(|n| n.strip_prefix("self.").unwrap_or(n))
        // `handoff(escalation_agent)`: the agent inside the wrapper.
        .map(|n| match n.split_once('(') {
            Some((_, inner)) => inner.trim_end_matches(')').trim(),
            None => n,
        })
        .filter(|n| {
            !n.is_empty()
                && n.len() <= 80
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
        })
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

fn serves_of(u: &Unit) -> Serves<'_> {
    let mut s = Serves {
        a2a: u.frameworks.iter().any(|f| f == "a2a"),
        mcp: u.mcp_servers.iter().any(|m| m.role == "served"),
        ..Serves::default()
    };
    for e in u.evidence.iter().filter(|e| e.kind == Kind::Link) {
        let v = value(e);
        match e.identifies.as_str() {
            "a2a.server" => {
                s.a2a = true;
                if let Some(url) = parse_url(v) {
                    s.ports.extend(url.port);
                    s.card_urls.push((url, e));
                } else if let Ok(p) = v.parse::<u16>() {
                    s.ports.insert(p);
                } else if !v.is_empty() {
                    s.card_names.insert(v.trim().to_ascii_lowercase());
                }
            }
            "mcp.server" => {
                s.mcp = true;
                match v.parse::<u16>() {
                    Ok(p) => {
                        s.ports.insert(p);
                    }
                    Err(_) => {
                        s.packages.insert(package_key(v));
                    }
                }
            }
            "http.server" => {
                if v.starts_with('/') {
                    s.routes.insert(v.to_string());
                } else if let Ok(p) = v.parse::<u16>() {
                    s.ports.insert(p);
                }
            }
            "service" => {
                if let Some((_, key, val)) = compose_fact(&e.matched) {
                    if key == "ports[]" || key == "expose[]" {
                        s.ports.extend(port_of(val));
                    }
                }
            }
            _ => {}
        }
    }
    s
}

/// What a call was matched to.
enum Found<'u> {
    /// A unit (index), the protocol, how it matched, the unit's fact that matched.
    Unit(usize, &'static str, &'static str, Option<&'u Evidence>),
    /// Nothing scanned: the endpoint and protocol.
    External(String, &'static str),
}

/// What the units serve, by the names calls reach them by.
struct Index<'u, 's> {
    units: &'u [Unit],
    serves: &'s [Serves<'u>],
    /// Compose service or Kubernetes Service name → units whose build (or manifest) it
    /// is, with the fact.
    services: BTreeMap<String, Vec<(usize, &'u Evidence)>>,
    /// Unit name (folder, or repository for a root unit) → units.
    names: BTreeMap<String, Vec<usize>>,
}

impl<'u, 's> Index<'u, 's> {
    fn new(units: &'u [Unit], serves: &'s [Serves<'u>]) -> Index<'u, 's> {
        let mut services: BTreeMap<String, Vec<(usize, &Evidence)>> = BTreeMap::new();
        let mut names: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, u) in units.iter().enumerate() {
            names
                .entry(u.name.to_ascii_lowercase())
                .or_default()
                .push(i);
            // A Kubernetes Service's name is the host its own unit is called by.
            for e in u.evidence.iter().filter(|e| e.identifies == "k8s.service") {
                let list = services.entry(value(e).to_ascii_lowercase()).or_default();
                if !list.iter().any(|(j, _)| *j == i) {
                    list.push((i, e));
                }
            }
            for e in u.evidence.iter().filter(|e| e.identifies == "service") {
                if let Some((svc, key, _)) = compose_fact(&e.matched) {
                    if key == "build" || key == "build.context" || key == "hostname" {
                        let name = if key == "hostname" { value(e) } else { svc };
                        let list = services.entry(name.to_ascii_lowercase()).or_default();
                        if !list.iter().any(|(j, _)| *j == i) {
                            list.push((i, e));
                        }
                    }
                }
            }
        }
        Index {
            units,
            serves,
            services,
            names,
        }
    }

    /// Could a client written at `at` (a path in `from`'s repository) reach unit `j` on
    /// `localhost`? Only inside one project: the same repository, and the folder both
    /// lie in holds at most [`LOCAL_SCOPE`] units. Every sample of a collection listens
    /// on the same few ports (a2a-samples: a dozen agents on `localhost:10002`), so a
    /// port alone says nothing across projects.
    fn near(&self, (repo, at): (&str, &str), j: usize) -> bool {
        let target = &self.units[j];
        if target.repo != repo {
            return false;
        }
        let dir = at.rsplit_once('/').map_or("", |(d, _)| d);
        let unit_path = if target.path == "." {
            ""
        } else {
            target.path.as_str()
        };
        let common: Vec<&str> = dir
            .split('/')
            .zip(unit_path.split('/'))
            .take_while(|(a, b)| a == b && !a.is_empty())
            .map(|(a, _)| a)
            .collect();
        let scope = common.join("/");
        let within = |p: &str| {
            scope.is_empty()
                || p == scope
                || p.strip_prefix(scope.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        };
        self.units
            .iter()
            .filter(|u| u.repo == repo && within(if u.path == "." { "" } else { &u.path }))
            .count()
            <= LOCAL_SCOPE
    }

    /// The one unit other than `from` that `url` reaches, else an external end.
    fn url(
        &self,
        from: usize,
        at: (&str, &str),
        url: &str,
        hint: &'static str,
        caller_a2a: bool,
    ) -> Option<Found<'u>> {
        let parsed = parse_url(url)?;
        let others =
            |list: Vec<usize>| -> Vec<usize> { list.into_iter().filter(|&j| j != from).collect() };
        let protocol = |j: usize| -> &'static str {
            let s = &self.serves[j];
            let path = parsed.path.to_ascii_lowercase();
            if hint == "a2a" || (s.a2a && (caller_a2a || path.contains(".well-known/agent"))) {
                "a2a"
            } else if hint == "mcp"
                || (s.mcp
                    && (path.ends_with("/mcp") || path.ends_with("/sse") || path.contains("/mcp/")))
            {
                "mcp"
            } else {
                "http"
            }
        };
        let unit = |j: usize, via: &'static str, fact: Option<&'u Evidence>| {
            Some(Found::Unit(j, protocol(j), via, fact))
        };
        // 1. An agent card's own URL: same host (or both local) and port.
        if let Some(host) = &parsed.host {
            let mut hits: Vec<(usize, &Evidence)> = Vec::new();
            for (j, s) in self.serves.iter().enumerate().filter(|(j, _)| *j != from) {
                for (card, e) in &s.card_urls {
                    let same_host = card.host.as_deref().is_some_and(|h| {
                        if is_local(host) {
                            is_local(h) && self.near(at, j)
                        } else {
                            h == host
                        }
                    });
                    if same_host
                        && card.port == parsed.port
                        && parsed.path.starts_with(card.path.trim_end_matches('/'))
                        && !hits.iter().any(|(k, _)| *k == j)
                    {
                        hits.push((j, e));
                    }
                }
            }
            if let [(j, e)] = hits[..] {
                return unit(j, "card-url", Some(e));
            }
            // 2. A compose service or Kubernetes Service name.
            if let Some(list) = self.services.get(host_name(host)) {
                let list: Vec<&(usize, &Evidence)> =
                    list.iter().filter(|(j, _)| *j != from).collect();
                if let [(j, e)] = list[..] {
                    return unit(*j, "service", Some(e));
                }
            }
            // 3. A unit's name, narrowed by port.
            if !is_local(host) {
                if let Some(list) = self.names.get(host_name(host)) {
                    let mut list = others(list.clone());
                    if list.len() > 1 {
                        if let Some(p) = parsed.port {
                            list.retain(|&j| self.serves[j].ports.contains(&p));
                        }
                    }
                    if let [j] = list[..] {
                        return unit(j, "unit-name", None);
                    }
                }
            }
        }
        // 4. A local or templated host: the port, narrowed by path and protocol.
        if parsed.host.as_deref().is_none_or(is_local) {
            if let Some(p) = parsed.port {
                let mut list: Vec<usize> = (0..self.units.len())
                    .filter(|&j| j != from && self.serves[j].ports.contains(&p) && self.near(at, j))
                    .collect();
                let mut via = "port";
                if list.len() > 1 {
                    let routed: Vec<usize> = list
                        .iter()
                        .copied()
                        .filter(|&j| {
                            self.serves[j]
                                .routes
                                .iter()
                                .any(|r| r != "/" && parsed.path.starts_with(r.as_str()))
                        })
                        .collect();
                    if !routed.is_empty() {
                        list = routed;
                        via = "port+path";
                    }
                }
                if list.len() > 1 && hint != "http" {
                    list.retain(|&j| {
                        if hint == "a2a" {
                            self.serves[j].a2a
                        } else {
                            self.serves[j].mcp
                        }
                    });
                }
                if let [j] = list[..] {
                    return unit(j, via, None);
                }
            }
        }
        // 5. Nothing scanned serves it.
        // Only an A2A or MCP endpoint is an agent or tool server by itself; an HTTP URL
        // no unit serves (a database API, a model server) links no agent.
        let remote = parsed.host.as_deref().is_some_and(|h| !is_local(h));
        match hint {
            "a2a" if remote => Some(Found::External(url.to_string(), "a2a")),
            "mcp" if remote => Some(Found::External(url.to_string(), "mcp")),
            _ => None,
        }
    }

    /// The unit an MCP command line launches: a served package (`npx -y pkg`, `uvx
    /// pkg`, `python -m pkg`), else the unit a script path lies in; an unmatched
    /// package is an external end.
    fn command(&self, from: usize, fact: &Evidence, v: &str) -> Option<Found<'u>> {
        const RUNNERS: &[&str] = &[
            "npx", "uvx", "bunx", "pnpx", "pnpm", "dlx", "yarn", "node", "python", "python3", "uv",
            "run", "pipx", "deno", "bun", "tsx", "ts-node", "-m", "--from",
        ];
        let tokens: Vec<&str> = v
            .split([' ', ','])
            .map(|t| t.trim().trim_matches(['"', '\'', '`']))
            .filter(|t| !t.is_empty() && !t.starts_with('-') && !RUNNERS.contains(t))
            // An environment variable passed along (`-e PERPLEXITY_API_KEY`, `X=1`) is no
            // package.
            .filter(|t| {
                !t.contains('=')
                    && !t
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            })
            .collect();
        // A container: the image is what runs (`docker run -i --rm -e X image`).
        if matches!(v.split_whitespace().next(), Some("docker" | "podman")) {
            let image = v.split_whitespace().last()?;
            return is_package(image).then(|| Found::External(image.to_string(), "mcp"));
        }
        let first = *tokens.first()?;
        let script = |t: &str| {
            t.contains('/') && !t.starts_with('@')
                || [".js", ".mjs", ".cjs", ".ts", ".py"]
                    .iter()
                    .any(|x| t.ends_with(x))
        };
        if !script(first) {
            let key = package_key(first);
            // A unit that launches its own package (`uv run a2a-mcp`) links nowhere.
            if self.serves[from].packages.contains(&key) {
                return None;
            }
            let hits: Vec<usize> = (0..self.units.len())
                .filter(|&j| j != from && self.serves[j].packages.contains(&key))
                .collect();
            if let [j] = hits[..] {
                let there = self.units[j]
                    .evidence
                    .iter()
                    .find(|e| e.identifies == "mcp.server" && package_key(value(e)) == key);
                return Some(Found::Unit(j, "mcp", "package", there));
            }
            return (hits.is_empty() && is_package(first))
                .then(|| Found::External(first.to_string(), "mcp"));
        }
        // A script: relative to the config's folder, in the caller's repository.
        let caller = &self.units[from];
        let dir = fact.path.rsplit_once('/').map_or("", |(d, _)| d);
        let target = super::unit::join_relative(dir, first)?;
        // The deepest unit the script lies in: the caller's own folder (a server next
        // to the agent that launches it) is no link, nor is an enclosing unit.
        let deepest = (0..self.units.len())
            .filter(|&j| self.units[j].repo == caller.repo && self.units[j].path != ".")
            .filter(|&j| {
                target
                    .strip_prefix(self.units[j].path.as_str())
                    .is_some_and(|r| r.starts_with('/'))
            })
            .max_by_key(|&j| self.units[j].path.len())?;
        (deepest != from).then_some(Found::Unit(deepest, "mcp", "script", None))
    }
}

/// A token that names a package, not a path, flag or placeholder.
fn is_package(t: &str) -> bool {
    let t = t.strip_prefix('@').unwrap_or(t);
    // An identifier (`serverPath`, a variable the arguments come from) is no package:
    // a package name with capitals still has a separator (`@Acme/MCP-Tickets`).
    let identifier = t.bytes().any(|b| b.is_ascii_uppercase())
        && !t.bytes().any(|b| matches!(b, b'-' | b'/' | b'.' | b'@'));
    !t.is_empty()
        && !identifier
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./@:=<>~[]".contains(c))
        && t.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_come_apart_with_placeholders_as_unknown_hosts() {
        let u = parse_url("http://research-agent:8000/run").unwrap();
        assert_eq!(
            u,
            Url {
                host: Some("research-agent".into()),
                port: Some(8000),
                path: "/run".into()
            }
        );
        let u = parse_url("http://{host}:{port}/").unwrap();
        assert_eq!((u.host, u.port), (None, None));
        let u = parse_url("http://localhost:10002").unwrap();
        assert_eq!(
            (u.host.as_deref(), u.port, u.path.as_str()),
            (Some("localhost"), Some(10002), "")
        );
    }

    #[test]
    fn ports_and_packages_compare_as_published() {
        assert_eq!(port_of("8000:80"), Some(8000));
        assert_eq!(port_of("127.0.0.1:9000:80/tcp"), Some(9000));
        assert_eq!(port_of("3001"), Some(3001));
        assert_eq!(port_of("${PORT}"), None);
        assert_eq!(package_key("@Acme/MCP-Tickets@latest"), "@acme/mcp-tickets");
        assert_eq!(package_key("mcp_server.fetch==1.2"), "mcp-server-fetch");
        assert!(is_package("@Acme/MCP-Tickets") && is_package("mcp-server-git"));
        assert!(!is_package("serverPath") && !is_package("PERPLEXITY_API_KEY"));
    }

    #[test]
    fn structure_names_are_identifiers() {
        assert_eq!(
            structure_names(" billing_agent, self.refund , handoff(escalation_agent) "),
            vec!["billing_agent", "escalation_agent", "refund"]
        );
        assert_eq!(structure_names("\"research\""), vec!["research"]);
    }
}
