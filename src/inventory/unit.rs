//! What one unit is made of: its evidence grouped by where units begin (`layout`),
//! then providers, frameworks, models, MCP servers, tools, keys, governance signals by
//! scope, owner and status. Directories whose AI evidence does not make an agent (a
//! Helm chart, an SDK's own source, a front-end, a table of model names, a gateway,
//! vendored code) are assembled the same way and set apart with the reason.

use std::collections::{BTreeMap, BTreeSet};

use super::layout::{hidden_root, is_ai_code, repository_wide, serves_repository, Layout};
use super::status::StatusRule;
use super::{
    owner, unit_id, Location, McpServer, ModelUse, NotAgent, RepoScan, SecretRef, Signal, Status,
    ToolUse, Unit, UnitKind,
};
use crate::model::{Evidence, FileRole, Kind, Method};
use crate::source::filekind::{is_test_path, vendored_root};

/// The rule id of a live-output test candidate (`detect::live`).
const LIVE_OUTPUT_TEST: &str = crate::detect::live::RULE_ID;

/// The file of `all_code` (files of the test's unit that call a model) that a test at
/// `test` reaches through the modules it imports (`matched`: space-separated; `.` when
/// the test calls a model itself), if any.
fn reached(test: &str, matched: &str, all_code: &BTreeSet<&str>) -> Option<String> {
    let dir = test.rsplit_once('/').map_or("", |(d, _)| d);
    // What a test imports must be the unit's own code: a `conftest.py` or a test helper
    // that sets up a client (or its mock) is the test's scaffolding.
    let code: BTreeSet<&str> = all_code
        .iter()
        .copied()
        .filter(|f| !is_test_path(f))
        .collect();
    for m in matched.split(' ') {
        if m == "." {
            return all_code.contains(test).then(|| test.to_string());
        }
        // An end-to-end test of the unit's own running service reaches whatever code of
        // the unit calls a model.
        if m == crate::detect::live::SERVICE {
            if let Some(f) = code.iter().next() {
                return Some(f.to_string());
            }
            continue;
        }
        let hit = if m == "./" {
            // A Go test: the code of its own folder.
            code.iter()
                .find(|f| f.rsplit_once('/').map_or("", |(d, _)| d) == dir)
        } else if let Some(package) = m.strip_suffix(".*") {
            // A JVM test's own package: any class of it, in any source root.
            let pkg = package.replace('.', "/");
            code.iter().find(|f| {
                let d = f.rsplit_once('/').map_or("", |(d, _)| d);
                d == pkg || d.ends_with(&format!("/{pkg}"))
            })
        } else if m.starts_with("./") || m.starts_with("../") {
            // A JavaScript relative import: that file, with any extension, or its index.
            let path = join_relative(dir, m)?;
            code.iter().find(|f| {
                f.strip_prefix(path.as_str()).is_some_and(|rest| {
                    ["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"]
                        .iter()
                        .any(|x| rest == format!(".{x}") || rest == format!("/index.{x}"))
                })
            })
        } else {
            // A Python module: `a.b` is `a/b.py` (below any source root) or a package's
            // `__init__.py`; leading dots climb from the test's own folder.
            let dots = m.len() - m.trim_start_matches('.').len();
            let rest = m.trim_start_matches('.').replace('.', "/");
            let module = if dots > 0 {
                let mut base = dir;
                for _ in 1..dots {
                    base = base.rsplit_once('/').map_or("", |(d, _)| d);
                }
                if base.is_empty() {
                    rest
                } else {
                    format!("{base}/{rest}")
                }
            } else {
                rest
            };
            // A JVM import `a.b.C` is `a/b/C.java` (or `.kt`) below a source root.
            let files = [
                format!("{module}.py"),
                format!("{module}/__init__.py"),
                format!("{module}.java"),
                format!("{module}.kt"),
            ];
            code.iter().find(|f| {
                files
                    .iter()
                    .any(|file| **f == *file || (dots == 0 && f.ends_with(&format!("/{file}"))))
            })
        };
        if let Some(f) = hit {
            return Some(f.to_string());
        }
    }
    None
}

/// `rel` (`./x`, `../y/z`) from the folder `dir`, without `.` or `..` segments.
pub(super) fn join_relative(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// A file naming more distinct model ids than this is a table of them (pricing, a
/// tokenizer's registry, an allow-list), not models the unit uses.
const MODEL_TABLE: usize = 8;

/// A data file naming the models or endpoints of this many providers lists them (a
/// price list, a model picker's allow-list).
const ROUTE_TABLE: usize = 4;

/// Front-end libraries that only talk to the project's own backend: a unit whose AI
/// evidence is only these is a front-end, not an agent.
const CLIENT_UI: &[&str] = &[
    "@langchain/core/messages",
    "@langchain/core/output_parsers",
    "@langchain/langgraph/web",
    "@ai-sdk/react",
    "@ai-sdk/vue",
    "@ai-sdk/svelte",
    "@ai-sdk/solid",
    "@ai-sdk/ui-utils",
    "ai/react",
    "ai/svelte",
    "ai/vue",
    "ai/solid",
    "@langchain/langgraph-sdk",
    "@assistant-ui/react",
    "@copilotkit/react-core",
    "@copilotkit/react-ui",
];

/// Rules that see an AI gateway deployed (its configuration or image), not used.
const GATEWAY_RULES: &[&str] = &[
    "provider.litellm.proxy-config",
    "provider.litellm.image",
    "provider.portkey.config",
    "provider.kong-ai-gateway",
    "provider.envoy-ai-gateway",
];

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

fn is_governance(k: Kind) -> bool {
    matches!(
        k,
        Kind::Owner | Kind::Monitoring | Kind::Eval | Kind::Guardrail
    )
}

/// Evidence that an agent lives here: a provider, framework, MCP server or tool it
/// uses, not only pinned by a lockfile. Text that a pattern finds in a manifest or
/// lockfile (a tool's package name among a workspace's) is not a use.
fn shows_agent(e: &Evidence) -> bool {
    matches!(
        e.kind,
        Kind::Provider | Kind::Framework | Kind::Mcp | Kind::Tool
    ) && !matches!(e.method, Method::Lockfile | Method::Package)
        && !(e.method == Method::Pattern && e.file.ecosystem.is_some())
}

fn client_ui(e: &Evidence) -> bool {
    CLIENT_UI.iter().any(|m| {
        e.matched == *m
            || e.matched
                .strip_prefix(m)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// Evidence that names a provider without using it: an entry of a model table (routes
/// like `openai/gpt-4o` by the hundred; only importing or calling uses one), the route a
/// test expects back, a route or endpoint in a data file (a folder of per-provider price
/// lists, one YAML per vendor: nothing there calls a model).
fn names_only(e: &Evidence, tables: &BTreeSet<&str>) -> bool {
    (tables.contains(e.path.as_str())
        && !matches!(e.method, Method::Import | Method::Call | Method::Dependency))
        || (e.method == Method::Literal && is_test_path(&e.path))
        || (matches!(e.method, Method::Literal | Method::Endpoint)
            && e.file.language.is_none()
            && e.file.role == FileRole::Code)
}

/// Whether the file at `path` is user-interface code: a component (`.tsx`, `.jsx`,
/// `.vue`, `.svelte`), a file under `components/`, `hooks/`, `pages/` or `views/`, or a
/// React hook (`useChat.ts`).
fn is_ui_code(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map_or("", |(_, x)| x);
    if matches!(ext, "tsx" | "jsx" | "vue" | "svelte") {
        return true;
    }
    let script = matches!(ext, "ts" | "js" | "mjs" | "mts");
    let hook = name
        .strip_prefix("use")
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_uppercase()));
    script
        && (hook
            || path
                .split('/')
                .any(|d| matches!(d, "components" | "hooks" | "pages" | "views")))
}

/// Whether the folder `upath` lies in a project template: a Backstage template's
/// `skeleton`, or a folder named with template syntax (`{{cookiecutter.name}}`,
/// `${{ values.name }}`).
fn is_template(upath: &str) -> bool {
    upath
        .split('/')
        .any(|d| d == "skeleton" || d.contains("{{") || d.contains("{%"))
}

/// What deciding whether a folder is an agent needs to know of its whole repository.
struct RepoFacts<'e> {
    /// Files that list model ids rather than use them.
    tables: BTreeSet<&'e str>,
    /// The AI packages whose own source the repository holds.
    sdks: BTreeSet<&'e str>,
    /// Folders whose manifest publishes a library for other code to import.
    libraries: BTreeSet<&'e str>,
}

impl<'e> RepoFacts<'e> {
    fn of(evidence: &'e [Evidence]) -> RepoFacts<'e> {
        let sdks = evidence
            .iter()
            .filter(|e| e.method == Method::Package)
            .map(|e| e.identifies.as_str())
            .collect();
        let manifests_saying = |what: &str| -> BTreeSet<&'e str> {
            evidence
                .iter()
                .filter(|e| e.kind == Kind::Link && e.identifies == what)
                .map(|e| e.path.as_str())
                .collect()
        };
        let private = manifests_saying("package.private");
        let libraries = manifests_saying("package.library")
            .into_iter()
            .filter(|p| !private.contains(p))
            .map(|p| p.rsplit_once('/').map_or("", |(d, _)| d))
            .collect();
        RepoFacts {
            tables: model_tables(evidence.iter()),
            sdks,
            libraries,
        }
    }
}

/// Does the evidence `e` of the unit at `upath` show the unit choosing a model: a model
/// id in its own code or configuration, outside tests, model tables, JSON data (a price
/// list a library ships) and the usage examples a library ships (`examples/`)?
fn names_its_model(e: &Evidence, upath: &str, tables: &BTreeSet<&str>) -> bool {
    let named = e.kind == Kind::Model || (e.kind == Kind::Provider && e.method == Method::Literal);
    let rel = if upath.is_empty() {
        e.path.as_str()
    } else {
        e.path
            .strip_prefix(upath)
            .map_or(e.path.as_str(), |r| r.trim_start_matches('/'))
    };
    named
        && !tables.contains(e.path.as_str())
        && !e.path.ends_with(".json")
        && !is_test_path(&e.path)
        && !rel.split('/').any(|d| matches!(d, "examples" | "example"))
}

/// Why a group of evidence at `upath` is not an agent unit, if it is not.
fn not_agent(
    repo: &RepoScan,
    (upath, kind): (&str, UnitKind),
    evs: &[&Evidence],
    facts: &RepoFacts,
) -> Option<NotAgent> {
    let (tables, sdks) = (&facts.tables, &facts.sdks);
    if vendored_root(upath).is_some() {
        return Some(NotAgent::Vendored);
    }
    let in_chart = |p: &str| {
        repo.charts.iter().any(|c| {
            c.is_empty()
                || p == c
                || p.strip_prefix(c.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        })
    };
    // An MCP client's configuration is meant wherever it hides; code is not.
    if kind == UnitKind::Code && hidden_root(upath).is_some() {
        return Some(NotAgent::Hidden);
    }
    if evs.iter().all(|e| in_chart(&e.path)) {
        return Some(NotAgent::HelmChart);
    }
    if is_template(upath) {
        return Some(NotAgent::Template);
    }
    if evs.iter().any(|e| e.method == Method::Package) {
        return Some(NotAgent::SdkSource);
    }
    // A package that reaches into the private modules of an SDK whose source is in the
    // same repository (`pydantic_ai._utils`) is one of that SDK's own packages: its CLI,
    // its evals library, a partner integration. Users import the public API.
    if evs.iter().any(|e| {
        e.method == Method::Import
            && sdks.contains(e.identifies.as_str())
            && imports_private_module(&e.matched)
    }) {
        return Some(NotAgent::SdkSource);
    }
    // A library published for developers (PyPI classifiers, npm `files`) that names no
    // model of its own and serves no MCP tools: agents import it (a price calculator, a
    // token counter, a framework's adapters); it chooses and calls no model itself.
    if facts.libraries.contains(upath)
        && !evs.iter().any(|e| {
            names_its_model(e, upath, tables)
                || e.kind == Kind::Mcp
                || (e.kind == Kind::Framework && e.identifies == "mcp")
        })
    {
        return Some(NotAgent::Library);
    }
    // Code that names a model calls one, through whatever wrapper.
    let agent: Vec<&&Evidence> = evs
        .iter()
        .filter(|e| {
            (shows_agent(e) && !names_only(e, tables))
                || (e.kind == Kind::Model
                    && e.file.language.is_some()
                    && !tables.contains(e.path.as_str())
                    && !is_test_path(&e.path))
        })
        .collect();
    if agent.is_empty() {
        return Some(if evs.iter().any(|e| e.kind == Kind::Secret) {
            NotAgent::KeysOnly
        } else {
            NotAgent::ModelTable
        });
    }
    // A notebook's `%pip install` and a key set in a cell, with no code that uses what
    // they set up: the notebook prepares an agent that is not there.
    let installs = |e: &Evidence| e.method == Method::Dependency && e.path.ends_with(".ipynb");
    if agent.iter().any(|e| installs(e))
        && agent
            .iter()
            .all(|e| installs(e) || e.method == Method::Config)
    {
        return Some(NotAgent::SetupOnly);
    }
    // Workflows and tools of a framework that only calls a model named in code (a
    // provider plugin, a `provider/model` route): with none in the unit, and no provider
    // it configures, nothing there calls a model.
    if agent
        .iter()
        .all(|e| e.kind == Kind::Framework && NEEDS_A_MODEL.contains(&e.identifies.as_str()))
        && !evs
            .iter()
            .any(|e| matches!(e.kind, Kind::Provider | Kind::Model) && !names_only(e, tables))
    {
        return Some(NotAgent::NoModel);
    }
    // A front-end's model picker: model ids in UI code alone (components, React hooks)
    // are what it asks its own backend for.
    if agent
        .iter()
        .all(|e| e.kind == Kind::Model && is_ui_code(&e.path))
    {
        return Some(NotAgent::Frontend);
    }
    // A front-end: its code only imports client libraries that talk to the project's
    // own backend (what its manifest declares aside).
    let code: Vec<&&&Evidence> = agent
        .iter()
        .filter(|e| matches!(e.method, Method::Import | Method::Call))
        .collect();
    if !code.is_empty()
        && code.iter().all(|e| client_ui(e))
        && agent
            .iter()
            .all(|e| client_ui(e) || e.method == Method::Dependency)
    {
        return Some(NotAgent::Frontend);
    }
    if agent
        .iter()
        .any(|e| GATEWAY_RULES.contains(&e.rule_id.as_str()))
        && !evs.iter().any(|e| is_ai_code(e))
    {
        return Some(NotAgent::Gateway);
    }
    // A gateway written from scratch: the base URLs of many providers and no SDK or
    // framework of any. It forwards other applications' calls; an agent that talks to
    // several providers does so through their SDKs or one framework. Its tests may call
    // it through a client SDK, as its users do.
    let routed: BTreeSet<&str> = evs
        .iter()
        .filter(|e| e.kind == Kind::Provider && e.method == Method::Endpoint)
        .map(|e| e.identifies.as_str())
        .collect();
    if routed.len() >= ROUTED_PROVIDERS
        && !evs.iter().any(|e| {
            matches!(e.kind, Kind::Provider | Kind::Framework | Kind::Mcp)
                && matches!(e.method, Method::Import | Method::Call)
                && !is_test_path(&e.path)
        })
    {
        return Some(NotAgent::Gateway);
    }
    None
}

/// A unit with the base URLs of this many providers and no SDK routes between them.
const ROUTED_PROVIDERS: usize = 4;

/// Frameworks whose agents call only a model named in the code: a provider plugin
/// (`@ai-sdk/openai`, Genkit's `googleAI()`) or a `provider/model` route.
const NEEDS_A_MODEL: &[&str] = &["mastra", "genkit"];

/// Does the imported path `pydantic_ai._cli.cli` name a private module or member (a
/// segment with one leading underscore; dunders such as `__future__` are public)?
fn imports_private_module(path: &str) -> bool {
    path.split(['.', '/'])
        .skip(1)
        .any(|seg| seg.starts_with('_') && !seg.starts_with("__"))
}

/// The units of one repository: its agent units, and the directories with AI evidence
/// that are not agents.
pub(super) fn units_of(repo: &RepoScan, status_rule: &StatusRule) -> (Vec<Unit>, Vec<Unit>) {
    let owners =
        owner::OwnerSources::from_evidence(repo.evidence.iter().filter(|e| e.kind == Kind::Owner));
    let facts = RepoFacts::of(&repo.evidence);
    let tables = &facts.tables;
    let layout = Layout::new(&repo.manifests, repo.evidence.iter(), tables);
    // Code that calls a model, by unit: what a live-output test must reach. An MCP
    // server's code serves tools and a settings module names a model: neither calls one.
    let mut ai_code: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for e in repo
        .evidence
        .iter()
        .filter(|e| is_ai_code(e) && !(e.kind == Kind::Framework && e.identifies == "mcp"))
        .filter(|e| matches!(e.kind, Kind::Provider | Kind::Framework))
    {
        ai_code
            .entry(layout.unit_of(&e.path))
            .or_default()
            .insert(e.path.as_str());
    }
    let live: BTreeMap<(&str, u32), String> = repo
        .evidence
        .iter()
        .filter(|e| e.rule_id == LIVE_OUTPUT_TEST)
        .filter_map(|e| {
            let code = ai_code.get(&layout.unit_of(&e.path))?;
            let reached = reached(&e.path, &e.matched, code)?;
            Some(((e.path.as_str(), e.line), reached))
        })
        .collect();
    // Governance evidence by unit. A monitoring or eval package that only a lockfile
    // pins is pulled in by another package: no control of the unit's own.
    let mut gov_by_dir: BTreeMap<String, Vec<&Evidence>> = BTreeMap::new();
    for e in repo
        .evidence
        .iter()
        .filter(|e| is_governance(e.kind) && e.kind != Kind::Owner && e.method != Method::Lockfile)
    {
        // A test is an eval only when it reaches code of its unit that calls a model.
        if e.rule_id == LIVE_OUTPUT_TEST && !live.contains_key(&(e.path.as_str(), e.line)) {
            continue;
        }
        gov_by_dir
            .entry(layout.unit_of(&e.path))
            .or_default()
            .push(e);
    }
    // AI evidence by unit; infrastructure-only and MCP-config-only groups split into
    // units of their own.
    let mut by_dir: BTreeMap<String, Vec<&Evidence>> = BTreeMap::new();
    for e in repo
        .evidence
        .iter()
        .filter(|e| !is_governance(e.kind) && e.kind != Kind::Link)
    {
        // A hidden folder's copies stay apart from the unit around them.
        let dir = match hidden_root(e.path.rsplit_once('/').map_or("", |(d, _)| d)) {
            Some(h) if file_class(e, &BTreeSet::new()) == UnitKind::Code => h.to_string(),
            _ => layout.unit_of(&e.path),
        };
        by_dir.entry(dir).or_default().push(e);
    }
    // A file that configures MCP servers is an MCP client config, whatever its name.
    let mcp_files: BTreeSet<&str> = repo
        .evidence
        .iter()
        .filter(|e| e.kind == Kind::Mcp && e.method == Method::Config)
        .map(|e| e.path.as_str())
        .collect();
    // A CI pipeline serves the repository's code: where the repository has code that
    // calls a model, the pipeline's AI (a job that runs its evals with a key) is that
    // code's, never a unit of its own; with no such code it is infrastructure.
    let pipelines_serve = repo.evidence.iter().any(|e| {
        shows_agent(e)
            && !super::ci::is_pipeline(&e.path)
            && file_class(e, &mcp_files) == UnitKind::Code
    });
    let class = |e: &Evidence| {
        if pipelines_serve && super::ci::is_pipeline(&e.path) {
            UnitKind::Code
        } else {
            file_class(e, &mcp_files)
        }
    };
    let mut groups: BTreeMap<(String, UnitKind, String), Vec<&Evidence>> = BTreeMap::new();
    for (dir, evs) in by_dir {
        // An MCP client's configuration (an editor's, an assistant's) is a unit of its
        // own wherever it lies: it configures that client, not the code beside it.
        let (mcp, evs): (Vec<&Evidence>, Vec<&Evidence>) = evs
            .into_iter()
            .partition(|e| class(e) == UnitKind::McpConfig);
        let has_code = evs.iter().any(|e| class(e) == UnitKind::Code);
        let (code, evs) = if has_code {
            (evs, Vec::new())
        } else {
            (Vec::new(), evs)
        };
        if !code.is_empty() {
            groups
                .entry((dir.clone(), UnitKind::Code, dir.clone()))
                .or_default()
                .extend(code);
        }
        {
            for e in mcp.into_iter().chain(evs) {
                let parent = e.path.rsplit_once('/').map_or("", |(d, _)| d);
                // A root-level file is its own unit path, so it cannot collide with
                // the repository's code unit at `.`.
                let path = if parent.is_empty() {
                    e.path.clone()
                } else {
                    parent.to_string()
                };
                groups
                    .entry((path, class(e), dir.clone()))
                    .or_default()
                    .push(e);
            }
        }
    }
    // Keys found where no agent lives belong to the nearest agent unit above them;
    // only keys with no such unit stay a unit of their own.
    let mut reasons: BTreeMap<(String, UnitKind, String), NotAgent> = BTreeMap::new();
    for (key, evs) in &groups {
        if let Some(r) = not_agent(repo, (&key.0, key.1), evs, &facts) {
            reasons.insert(key.clone(), r);
        }
    }
    let agents: Vec<(String, UnitKind, String)> = groups
        .keys()
        .filter(|k| !reasons.contains_key(*k) && k.1 == UnitKind::Code)
        .cloned()
        .collect();
    // A root whose AI lies only in what serves the repository (its tests, scripts,
    // infrastructure, CI, an example `.env`) is no agent of its own: it belongs to the
    // one agent unit it serves, or, serving several, is their shared part. A root
    // manifest that declares an AI package makes the root a project of its own.
    let root = (String::new(), UnitKind::Code, String::new());
    let serving = !reasons.contains_key(&root)
        && groups.get(&root).is_some_and(|evs| {
            // Declared in the manifest itself: a workspace's lockfile at the root pins
            // its members' packages too. A course's root manifest sets up its lessons.
            let declares = layout.root_has_manifest()
                && !layout.lessons_at_root()
                && evs
                    .iter()
                    .any(|e| e.method == Method::Dependency && !e.path.contains('/'));
            !declares
                && evs
                    .iter()
                    .filter(|e| (shows_agent(e) || e.kind == Kind::Model) && !names_only(e, tables))
                    .all(|e| {
                        let code = e.file.language.is_some() && e.file.ecosystem.is_none();
                        serves_repository(&e.path, code)
                    })
        });
    let others: Vec<_> = agents.iter().filter(|a| **a != root).cloned().collect();
    if serving && others.len() == 1 {
        let moved = groups.remove(&root).unwrap_or_default();
        groups.entry(others[0].clone()).or_default().extend(moved);
    } else if serving && others.len() > 1 {
        reasons.insert(root.clone(), NotAgent::Shared);
    }
    // A workspace's folder below the root (`samples/python/` with a `pyproject.toml` and
    // `uv.lock` for its members) whose AI is only what its manifests declare, with its
    // members' agent units below it: the members use the packages, the folder does not.
    for key in &others {
        let declares_only = groups.get(key).is_some_and(|evs| {
            evs.iter().all(|e| {
                matches!(e.method, Method::Lockfile)
                    || (e.method == Method::Dependency
                        && e.file.ecosystem.is_some()
                        && !e.path.ends_with(".ipynb"))
            })
        });
        let members = others.iter().any(|a| {
            a.0.strip_prefix(key.0.as_str())
                .is_some_and(|r| r.starts_with('/'))
        });
        if declares_only && members {
            reasons.insert(key.clone(), NotAgent::Shared);
        }
    }
    for (key, reason) in reasons.clone() {
        if reason != NotAgent::KeysOnly {
            continue;
        }
        let above = agents.iter().filter(|a| {
            a.0 != key.0
                && (a.0.is_empty()
                    || key
                        .0
                        .strip_prefix(a.0.as_str())
                        .is_some_and(|r| r.starts_with('/')))
        });
        if let Some(host) = above.max_by_key(|a| a.0.len()).cloned() {
            let moved = groups.remove(&key).unwrap_or_default();
            groups.entry(host).or_default().extend(moved);
            reasons.remove(&key);
        }
    }
    // The evals, tests and deployment at a root that is no agent serve the one agent
    // unit the repository has, as its AI code would (`evals/` beside `src/backend`).
    let root_is_agent = groups.contains_key(&root) && !reasons.contains_key(&root);
    let mut code_agents = groups
        .keys()
        .filter(|k| k.1 == UnitKind::Code && !reasons.contains_key(*k));
    if let (false, Some(only), None) = (root_is_agent, code_agents.next(), code_agents.next()) {
        let target = only.2.clone();
        if let Some(root_gov) = gov_by_dir.get_mut("").filter(|_| !target.is_empty()) {
            let (moved, kept): (Vec<&Evidence>, Vec<&Evidence>) =
                root_gov.drain(..).partition(|e| {
                    let code = e.file.language.is_some() && e.file.ecosystem.is_none();
                    serves_repository(&e.path, code)
                });
            *root_gov = kept;
            gov_by_dir.entry(target).or_default().extend(moved);
        }
    }
    place_links(repo, &layout, &mut groups, &reasons);
    let empty = Vec::new();
    // What counts for every unit of the repository: configuration of the repository as
    // a whole (a CI workflow, a root `.env`, a root eval config). Code outside the units
    // is a shared library: that it supports a guardrail does not put one around each
    // unit; a file deep in a folder no unit claims is not the repository's either.
    let repo_wide: Vec<&Evidence> = gov_by_dir
        .get("")
        .unwrap_or(&empty)
        .iter()
        .copied()
        .filter(|e| e.file.language.is_none() && repository_wide(&e.path))
        .collect();
    let (mut units, mut others) = (Vec::new(), Vec::new());
    for (key, evs) in groups {
        let (upath, kind, own_dir) = &key;
        let own_gov: &Vec<&Evidence> = gov_by_dir.get(own_dir).unwrap_or(&empty);
        let repo_scope: &[&Evidence] = if own_dir.is_empty() { &[] } else { &repo_wide };
        let mut evidence: Vec<Evidence> = evs.iter().map(|e| (*e).clone()).collect();
        if *kind == UnitKind::Code {
            evidence.extend(own_gov.iter().map(|e| {
                let mut e = (*e).clone();
                if let Some(reached) = live.get(&(e.path.as_str(), e.line)) {
                    // What the test reaches, not everything it imports.
                    e.matched.clone_from(reached);
                }
                e
            }));
        }
        evidence.sort();
        evidence.dedup();
        let mut unit = make_unit(
            repo,
            &owners,
            upath,
            *kind,
            own_dir,
            evidence,
            own_gov,
            repo_scope,
            status_rule,
        );
        match reasons.get(&key) {
            Some(r) => {
                unit.not_agent = Some(*r);
                others.push(unit);
            }
            None => units.push(unit),
        }
    }
    (units, others)
}

/// Puts each link fact (`Kind::Link`, which never makes a unit) with the unit it
/// tells about, so it is kept in that unit's evidence for `inventory::links`: a compose
/// service's facts with the unit the service builds; any other fact with the unit that
/// holds other evidence of its file, else the unit of its folder, else the nearest
/// agent unit above it. A fact no unit takes is dropped: it could link nothing.
fn place_links<'e>(
    repo: &'e RepoScan,
    layout: &Layout,
    groups: &mut BTreeMap<(String, UnitKind, String), Vec<&'e Evidence>>,
    reasons: &BTreeMap<(String, UnitKind, String), NotAgent>,
) {
    // What a manifest says of its own package (`package.library`) decides whether the
    // folder is an agent; it links nothing.
    let facts: Vec<&Evidence> = repo
        .evidence
        .iter()
        .filter(|e| e.kind == Kind::Link && !e.identifies.starts_with("package."))
        .collect();
    if facts.is_empty() {
        return;
    }
    let agents: Vec<(String, UnitKind, String)> = groups
        .keys()
        .filter(|k| k.1 == UnitKind::Code && !reasons.contains_key(*k))
        .cloned()
        .collect();
    let agent_at = |dir: &str| agents.iter().find(|k| k.2 == dir).cloned();
    // Compose services → the folder each builds (`services.api.build[.context]=./api`).
    let mut builds: BTreeMap<(&str, &str), String> = BTreeMap::new();
    for e in &facts {
        let Some((svc, key, value)) = super::links::compose_fact(&e.matched) else {
            continue;
        };
        if key == "build" || key == "build.context" {
            let dir = e.path.rsplit_once('/').map_or("", |(d, _)| d);
            if let Some(target) = join_relative(dir, value) {
                builds.insert((e.path.as_str(), svc), target);
            }
        }
    }
    for e in facts {
        let built = super::links::compose_fact(&e.matched)
            .and_then(|(svc, _, _)| builds.get(&(e.path.as_str(), svc)))
            .and_then(|dir| {
                let probe = if dir.is_empty() {
                    "-".to_string()
                } else {
                    format!("{dir}/-")
                };
                agent_at(&layout.unit_of(&probe))
            });
        let same_file = || {
            groups
                .iter()
                .filter(|(_, evs)| evs.iter().any(|x| x.path == e.path))
                .min_by_key(|(k, _)| reasons.contains_key(*k))
                .map(|(k, _)| k.clone())
        };
        let above = || {
            agents
                .iter()
                .filter(|a| {
                    a.2.is_empty()
                        || e.path
                            .strip_prefix(a.2.as_str())
                            .is_some_and(|r| r.starts_with('/'))
                })
                .max_by_key(|a| a.2.len())
                .cloned()
        };
        let host = if super::links::compose_fact(&e.matched).is_some() {
            built
        } else {
            same_file()
                .or_else(|| agent_at(&layout.unit_of(&e.path)))
                .or_else(above)
        };
        if let Some(k) = host {
            groups.entry(k).or_default().push(e);
        }
    }
}

/// Where a piece of evidence is, as signals and links cite it.
pub(super) fn location_of(e: &Evidence) -> Location {
    location(e)
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
        self_declared: false,
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
    let tables = model_tables(evidence.iter());
    for ev in &evidence {
        if !is_governance(ev.kind) && ev.kind != Kind::Link {
            if let Some(l) = ev.file.language {
                languages.insert(l.as_str());
            }
        }
        match ev.kind {
            // Publishing a package is not using it.
            _ if ev.method == Method::Package => {}
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
            Kind::Model if !tables.contains(ev.path.as_str()) => {
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
    // A unit that names no provider still reaches one: the provider of the models it
    // configures, else its framework's documented default (a crew or an Agents SDK agent
    // with no model of its own calls OpenAI).
    if providers.is_empty() {
        providers.extend(models.iter().map(|m| m.provider.clone()));
    }
    if providers.is_empty() {
        providers.extend(frameworks.iter().filter_map(|f| {
            FRAMEWORK_DEFAULT_PROVIDER
                .iter()
                .find(|(name, _)| name == f)
                .map(|(_, p)| p.to_string())
        }));
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
        .filter(|e| !is_governance(e.kind) && e.kind != Kind::Link && e.method != Method::Package)
        .map(|e| e.method)
        .min()
        .unwrap_or(Method::Pattern);
    let name = if upath.is_empty() {
        last_segment(&repo.identity).to_string()
    } else {
        last_segment(upath).to_string()
    };
    // CODEOWNERS is probed with a file of the unit: its manifest when it has one, else
    // its code that imports or calls a model, never first a CI workflow or a test that
    // merely sorts first (`/.github/ @org/devops` owns the pipeline, not the agent).
    let probe = evidence
        .iter()
        .find(|e| e.method == Method::Dependency)
        .or_else(|| {
            evidence.iter().find(|e| {
                matches!(e.method, Method::Import | Method::Call) && !is_test_path(&e.path)
            })
        })
        .or_else(|| evidence.first())
        .map(|e| e.path.clone())
        .unwrap_or_default();
    let mut owner = owners.resolve(own_dir, &probe);
    let mut owner_hint = owner.is_none().then(|| owners.hint(own_dir)).flatten();
    // The organisation counts hints: then the hint is the owner everywhere (coverage,
    // policies, SARIF, diffs, the JSON), still marked by its `package` source.
    if status_rule.owner_hints && owner.is_none() {
        owner = owner_hint.take();
    }
    let monitoring = signal(own_gov, repo_wide, Kind::Monitoring);
    let evals = signal(own_gov, repo_wide, Kind::Eval);
    let containment = signal(own_gov, repo_wide, Kind::Guardrail);
    let mut unit = Unit {
        id: unit_id(&repo.identity, path, kind),
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
        owner_hint,
        status: Status::Shadow,
        risk: None,
        registry: None,
        registered_as: None,
        secrets: secrets.into_iter().collect(),
        not_agent: None,
        evidence,
    };
    unit.status = status_rule.status_of(&unit);
    unit
}

/// Frameworks whose agents call a provider when the code names no model: CrewAI's `LLM`
/// defaults to OpenAI (<https://docs.crewai.com/concepts/llms>), as does the OpenAI Agents
/// SDK (<https://openai.github.io/openai-agents-python/models/>).
const FRAMEWORK_DEFAULT_PROVIDER: &[(&str, &str)] =
    &[("crewai", "openai"), ("openai-agents", "openai")];

/// Files that list models rather than use them: more than [`MODEL_TABLE`] distinct
/// model ids, or data files (no code) with the model routes and endpoints of
/// [`ROUTE_TABLE`] providers or more (a pricing table's `openai/gpt-4o`,
/// `anthropic/claude-…`, …, on one line of JSON).
fn model_tables<'e>(evidence: impl Iterator<Item = &'e Evidence>) -> BTreeSet<&'e str> {
    let mut ids: BTreeMap<&str, (BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
    for e in evidence {
        let named = matches!(
            (e.kind, e.method),
            (Kind::Model, _) | (Kind::Provider, Method::Literal | Method::Endpoint)
        );
        if !named {
            continue;
        }
        let (models, providers) = ids.entry(e.path.as_str()).or_default();
        if e.kind == Kind::Model {
            models.insert(e.matched.as_str());
        }
        // Code that names several vendors' models may call each (a fallback chain).
        // Model ids alone are a configuration's choice (the assistants it seeds).
        if e.file.language.is_none() && e.kind == Kind::Provider {
            providers.insert(e.identifies.as_str());
        }
    }
    ids.into_iter()
        .filter(|(_, (models, providers))| {
            models.len() > MODEL_TABLE || providers.len() >= ROUTE_TABLE
        })
        .map(|(path, _)| path)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12: a test reaches the unit's model-calling code through what it imports:
    /// Python modules below any source root or relative to the test, JavaScript relative
    /// imports with any extension or an index file; a sibling module without AI does not.
    #[test]
    fn issue_12_a_live_output_test_reaches_model_code_through_imports() {
        let code: BTreeSet<&str> = ["src/app/agent.py", "web/lib/chat.ts", "tests/test_live.py"]
            .into_iter()
            .collect();
        let r = |test: &str, m: &str| reached(test, m, &code);
        assert_eq!(
            r("tests/test_a.py", "app.agent app.agent.answer").as_deref(),
            Some("src/app/agent.py")
        );
        assert_eq!(
            r("src/app/test_a.py", ".agent").as_deref(),
            Some("src/app/agent.py")
        );
        assert_eq!(r("tests/test_a.py", "app app.utils"), None);
        assert_eq!(
            r("web/test/chat.test.ts", "../lib/chat").as_deref(),
            Some("web/lib/chat.ts")
        );
        assert_eq!(r("web/test/chat.test.ts", "../lib/format"), None);
        assert_eq!(
            r("tests/test_live.py", ".").as_deref(),
            Some("tests/test_live.py")
        );
        assert_eq!(r("tests/test_other.py", "."), None);
    }

    /// An end-to-end test of the unit's running service reaches the unit's model-calling
    /// code; in a unit with none, it reaches nothing.
    #[test]
    fn issue_12_an_end_to_end_test_reaches_the_units_service() {
        let code: BTreeSet<&str> = ["src/main/java/dev/example/chat/ChatAgent.java"]
            .into_iter()
            .collect();
        let m = format!("it.dev.example.* {}", crate::detect::live::SERVICE);
        assert_eq!(
            reached("src/test/java/it/dev/example/ChatServiceIT.java", &m, &code).as_deref(),
            Some("src/main/java/dev/example/chat/ChatAgent.java")
        );
        assert_eq!(
            reached(
                "src/test/java/it/dev/example/ChatServiceIT.java",
                &m,
                &BTreeSet::new()
            ),
            None
        );
    }

    /// A test reaches the unit's own code, never the test scaffolding beside it: a
    /// `conftest.py` that builds the client (or its mock) is not what the test checks.
    #[test]
    fn issue_12_a_test_helper_is_not_the_code_a_test_reaches() {
        let code: BTreeSet<&str> = ["tests/conftest.py", "tests/test_live.py", "app/agent.py"]
            .into_iter()
            .collect();
        assert_eq!(reached("tests/test_db.py", "tests.conftest", &code), None);
        assert_eq!(
            reached("tests/test_db.py", "tests.conftest app.agent", &code).as_deref(),
            Some("app/agent.py")
        );
        // A test that calls a model itself still counts.
        assert_eq!(
            reached("tests/test_live.py", ".", &code).as_deref(),
            Some("tests/test_live.py")
        );
    }

    #[test]
    fn names_come_from_the_last_segment() {
        assert_eq!(last_segment("https://github.com/org/bot.git"), "bot");
        assert_eq!(last_segment("git@github.com:org/bot.git"), "bot");
        assert_eq!(last_segment("test-repos/x/"), "x");
    }
}
