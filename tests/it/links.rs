//! Agent-to-agent links (issue 17): the exact links of the `agent-org` fixture, found
//! the same whether its folders are one repository or an organisation of repositories,
//! and again after its shards are merged. Each assertion names the edge, so a
//! regression says which link went missing or appeared.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use aiscout::inventory::{Inventory, LinkEnd};

use crate::common;
use crate::common::Scan;

/// `(from, to, protocol)` with units named by their unit path (or repository name for
/// a root unit) and external ends by what the caller names.
fn edges(inv: &Inventory) -> BTreeSet<(String, String, String)> {
    let name = |id: &str| {
        let u = inv.units.iter().find(|u| u.id == id).expect("a unit id");
        if u.path == "." {
            u.name.clone()
        } else {
            u.path.rsplit('/').next().unwrap_or(&u.path).to_string()
        }
    };
    inv.links
        .iter()
        .map(|l| {
            let to = match &l.to {
                LinkEnd::Unit(id) => name(id),
                LinkEnd::External { external } => format!("external:{external}"),
            };
            (name(&l.from), to, l.protocol.clone())
        })
        .collect()
}

fn expected() -> BTreeSet<(String, String, String)> {
    [
        // A2A: the concierge's RemoteA2aAgent reaches the billing agent's card URL …
        ("concierge", "billing-agent", "a2a"),
        // … and a carrier's agent outside the organisation.
        (
            "concierge",
            "external:https://agents.parcelco.example/.well-known/agent-card.json",
            "a2a",
        ),
        ("concierge", "concierge", "sub-agent"),
        // MCP: the package `npx -y @acme/mcp-tickets` launches, from code and an editor.
        ("support-agent", "mcp-tickets", "mcp"),
        (".cursor", "mcp-tickets", "mcp"),
        (".cursor", "external:@upstash/context7-mcp", "mcp"),
        ("support-agent", "support-agent", "handoff"),
        // HTTP through the compose service name; gateway-api is no agent: no link.
        ("orchestrator", "research-agent", "http"),
        ("orchestrator", "orchestrator", "subgraph"),
    ]
    .into_iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect()
}

fn assert_edges(inv: &Inventory, what: &str) {
    let got = edges(inv);
    let want = expected();
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what}: missing links {missing:?}, unexpected links {extra:?}"
    );
}

#[test]
fn issue_17_the_org_fixture_has_exactly_its_links() {
    let inv = common::scan(&["test-repos/agent-org"]);
    assert_edges(&inv, "one repository");
    // Every end is a unit of the inventory and every link cites a fact of its caller.
    for l in &inv.links {
        assert!(l.evidence.iter().any(|e| e.unit == l.from), "{l:?}");
        if let Some(to) = l.to.unit() {
            assert!(inv.units.iter().any(|u| u.id == to), "{l:?}");
        }
    }
    let handoff = inv.links.iter().find(|l| l.protocol == "handoff").unwrap();
    assert_eq!(handoff.names, ["billing_agent", "refund_agent"]);
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// The fixture as an organisation: every folder with a manifest a git repository of
/// its own, the compose file and the editor config in the organisation's own folder.
fn org(dir: &Path) {
    copy_dir(Path::new("test-repos/agent-org"), dir);
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('.') {
            let r = git2::Repository::init(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            r.remote("origin", &format!("https://github.com/acme/{name}.git"))
                .unwrap();
        }
    }
}

#[test]
fn issue_17_links_cross_repositories_and_survive_a_merge() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("acme");
    org(&dir);
    let root = dir.display().to_string();
    let whole = Scan::of(&[&root]).run();
    assert!(whole.repositories.len() >= 8, "{:?}", whole.repositories);
    assert_edges(&whole, "an organisation of repositories");
    // Three shards, each only part of the organisation, merged: the links are matched
    // again over all units, from the facts the units keep.
    let parts: Vec<(String, Inventory)> = (1..=3)
        .map(|index| {
            let mut scan = Scan::of(&[&root]);
            scan.0.shard = Some(aiscout::source::repo::Shard { index, count: 3 });
            (format!("shard-{index}"), scan.run())
        })
        .collect();
    assert!(parts
        .iter()
        .all(|(_, inv)| inv.repositories.len() < whole.repositories.len()));
    let merged = aiscout::inventory::merge::merge(parts).unwrap();
    assert_edges(&merged, "merged shards");
    assert_eq!(merged.links, whole.links);
}

/// A collection of samples (a2a-samples): every sample listens on the same few
/// `localhost` ports, so a host in one sample and an agent in another share a port by
/// convention, not by design — no link. Inside one multi-agent sample (a host and its
/// remote agents in one folder) the port is the link. A sample that launches its own
/// MCP script or package links nowhere.
#[test]
fn localhost_links_stay_inside_one_project() {
    let t = tempfile::tempdir().unwrap();
    let card = |port: u16| {
        format!(
            "from a2a.types import AgentCard\nfrom openai import OpenAI\nc = OpenAI()\n\
             card = AgentCard(name=\"A{port}\", url=\"http://localhost:{port}/\")\n"
        )
    };
    let client = |port: u16| {
        format!(
            "from google.adk.agents.remote_a2a_agent import RemoteA2aAgent\n\
             from openai import OpenAI\nc = OpenAI()\n\
             r = RemoteA2aAgent(name=\"r\", agent_card=\"http://localhost:{port}/.well-known/agent-card.json\")\n"
        )
    };
    let mut files: Vec<(String, String)> = vec![
        ("samples/hosts/cli/main.py".into(), client(10002)),
        ("samples/agents/currency/agent.py".into(), card(10002)),
        ("samples/agents/multi/host/main.py".into(), client(10001)),
        (
            "samples/agents/multi/remote/tool/agent.py".into(),
            card(10001),
        ),
    ];
    for name in ["weather", "travel", "recipes", "calendar"] {
        files.push((format!("samples/agents/{name}/agent.py"), card(9000)));
    }
    for (rel, text) in &files {
        let p = t.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        for dir in p
            .parent()
            .unwrap()
            .ancestors()
            .take_while(|d| d.starts_with(t.path().join("samples/")))
        {
            let manifest = dir.join("requirements.txt");
            if dir.parent() == Some(&t.path().join("samples/agents"))
                || dir.parent() == Some(&t.path().join("samples/hosts"))
                || dir.ends_with("multi/host")
                || dir.ends_with("remote/tool")
            {
                fs::write(manifest, "openai\na2a-sdk\n").unwrap();
            }
        }
        fs::write(p, text).unwrap();
    }
    let inv = Scan::of(&[t.path().to_str().unwrap()]).run();
    let cross: BTreeSet<_> = edges(&inv).into_iter().filter(|(a, b, _)| a != b).collect();
    let want: BTreeSet<_> = [("host", "tool", "a2a")]
        .into_iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(
        cross,
        want,
        "units: {:?}",
        inv.units.iter().map(|u| &u.path).collect::<Vec<_>>()
    );
}

/// HTTP through a Kubernetes Service's name (short, or the cluster's full name): the
/// Service belongs to the unit whose folder holds its manifest. A name no Service and
/// no unit answers to links nothing.
#[test]
fn http_links_follow_kubernetes_service_names() {
    let t = tempfile::tempdir().unwrap();
    let files = [
        ("agents/research/requirements.txt", "openai\nfastapi\n"),
        (
            "agents/research/app.py",
            "from fastapi import FastAPI\nfrom openai import OpenAI\napp = FastAPI()\nclient = OpenAI()\n\n@app.post(\"/run\")\ndef run(task: dict):\n    return client.responses.create(model=\"gpt-4o\", input=task[\"q\"])\n",
        ),
        (
            "agents/research/k8s/service.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: research-svc\n  labels:\n    app: research\nspec:\n  ports:\n    - name: http\n      port: 8000\n",
        ),
        ("agents/planner/requirements.txt", "openai\nhttpx\n"),
        (
            "agents/planner/plan.py",
            "import httpx\nfrom openai import OpenAI\nclient = OpenAI()\n\ndef research(q):\n    return httpx.post(\"http://research-svc.agents.svc.cluster.local:8000/run\", json={\"q\": q})\n\ndef other(q):\n    return httpx.post(\"http://billing-svc:9000/run\", json={\"q\": q})\n",
        ),
    ];
    for (rel, text) in files {
        let p = t.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    let inv = Scan::of(&[t.path().to_str().unwrap()]).run();
    let cross: BTreeSet<_> = edges(&inv).into_iter().filter(|(a, b, _)| a != b).collect();
    let want: BTreeSet<_> = [("planner", "research", "http")]
        .into_iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(cross, want);
}
