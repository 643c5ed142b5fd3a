//! Where agent units begin, as people draw them: a directory with its own manifest, and
//! — where a repository collects self-contained projects without manifests (samples,
//! cookbooks, a course's notebook folders, sandbox projects) — each project folder that
//! holds its own AI code. Folders that serve a unit (its tests, evals, deployment,
//! library code) belong to the unit above them.
//!
//! Decided from paths only: the manifests, .NET entry files and Helm charts the sources
//! saw, and the directories where code calls or imports an AI SDK. Never from a file's
//! contents.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Evidence, Kind, Method};
use crate::source::filekind::{is_dotnet_entry, vendored_root};

/// Folders that collect self-contained projects: each child folder with its own AI code
/// is a unit of its own.
const COLLECTIONS: &[&str] = &[
    "examples",
    "example",
    "samples",
    "sample",
    "cookbook",
    "cookbooks",
    "recipes",
    "notebooks",
    "tutorials",
    "tutorial",
    "courses",
    "course",
    "lessons",
    "demos",
    "demo",
    "workshops",
    "workshop",
    "labs",
    "quickstarts",
    "quickstart",
    "playground",
    "playgrounds",
    "sandbox",
    "sandboxes",
    "use-cases",
    "use_cases",
    "usecases",
    "exercises",
    "chapters",
    "starters",
];

/// Folders that serve the unit around them rather than being projects of their own:
/// these, and the tests and infrastructure of [`TESTS_AND_INFRA`].
const SERVING: &[&str] = &[
    "src", "lib", "libs", "pkg", "internal", "scripts", "script", "bin", "utils", "util",
    "helpers", "common", "shared", "core", "charts", "docs", "doc", "config", "configs",
];

fn is_serving(dir: &str) -> bool {
    SERVING.contains(&dir) || TESTS_AND_INFRA.contains(&dir) || COPIES.contains(&dir)
}

/// Translated copies of a repository's lessons and docs (`translations/ar/01-intro/`):
/// they serve the repository as its docs do, and are no projects of their own, however
/// many languages repeat each lesson.
const COPIES: &[&str] = &["translations", "translated", "i18n"];

/// Folders that are parts of one project (its front-end, back-end, functions,
/// routes): a project with AI code in several of them is still one project, and
/// collection names below them (`app/examples/…`) are routes, not collections.
const PARTS: &[&str] = &[
    "app",
    "frontend",
    "backend",
    "client",
    "server",
    "api",
    "web",
    "ui",
    "functions",
    "lambda",
    "lambdas",
    "pages",
    "components",
    "routes",
];

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn name(dir: &str) -> &str {
    dir.rsplit('/').next().unwrap_or(dir)
}

/// A manifest that makes its folder a unit. Not one in a hidden folder (`.venv`, a
/// tool's backups such as `.version-backups/`) or in vendored code, and not a
/// `setup.py` inside a source tree, which is a module of that name.
fn counts_as_manifest(path: &str) -> bool {
    let dir = parent(path);
    if hidden_root(dir).is_some() || vendored_root(dir).is_some() {
        return false;
    }
    !(path.ends_with("setup.py") && dir.split('/').any(|p| p == "src"))
}

/// .NET, as people draw it: a solution (`*.sln`) of one application (a project with a
/// `Program.cs` beside its project file) and libraries with AI code (projects without
/// one) is one unit at the solution's folder; with several applications, each stays a
/// unit and the libraries belong to the solution's folder. A solution of libraries and
/// test projects alone (no `Program.cs`), or whose libraries hold no AI code, keeps
/// each project a unit. `ai_dirs`: the folders whose files hold AI code.
fn fold_solutions(found: &mut BTreeSet<&str>, paths: &BTreeSet<String>, ai_dirs: &BTreeSet<&str>) {
    let counted = |p: &&String| counts_as_manifest(p);
    let entries: BTreeSet<&str> = paths
        .iter()
        .filter(|p| is_dotnet_entry(name(p)))
        .map(|p| parent(p))
        .collect();
    let projects: BTreeSet<&str> = paths
        .iter()
        .filter(counted)
        .filter(|p| {
            [".csproj", ".fsproj", ".vbproj"]
                .iter()
                .any(|x| p.ends_with(x))
        })
        .map(|p| parent(p))
        .collect();
    for sln in paths.iter().filter(counted).filter(|p| p.ends_with(".sln")) {
        let dir = parent(sln);
        let inside = |d: &str| {
            d != dir && (dir.is_empty() || d.strip_prefix(dir).is_some_and(|r| r.starts_with('/')))
        };
        let (apps, libs): (Vec<&str>, Vec<&str>) = projects
            .iter()
            .copied()
            .filter(|d| inside(d))
            .partition(|d| entries.contains(d));
        let with_ai = |lib: &&str| {
            ai_dirs
                .iter()
                .any(|a| a == lib || a.strip_prefix(*lib).is_some_and(|r| r.starts_with('/')))
        };
        let libs: Vec<&str> = libs.into_iter().filter(with_ai).collect();
        if apps.is_empty() || libs.is_empty() {
            continue;
        }
        for lib in libs {
            found.remove(lib);
        }
        if let [app] = apps[..] {
            found.remove(app);
        }
    }
}

/// Is `dir` a folder that serves the unit around it (`tests/` with its own
/// `requirements.txt`, `evals/pyproject.toml`), given the folders with manifests? A
/// serving folder with nothing above it that has a manifest is a project of its own.
fn serves_a_unit_above(dir: &str, manifests: &BTreeSet<&str>) -> bool {
    if dir.is_empty() || !is_serving(name(dir)) {
        return false;
    }
    let mut up = parent(dir);
    loop {
        if manifests.contains(up) {
            return true;
        }
        if up.is_empty() {
            return false;
        }
        up = parent(up);
    }
}

/// Is `dir` the JavaScript bundle of a project in another language above it: a folder
/// whose only manifest is a `package.json`, below a part or serving folder
/// (`app/javascript/blocks/`, `resources/js/`, `static/`) of a project whose own manifest
/// is not a `package.json` (a Rails, Django, Laravel or Spring app)? Its UI is that
/// app's, not a project of its own.
/// `names`: the unit manifests' file names by folder.
fn is_bundle_of(dir: &str, names: &BTreeMap<&str, Vec<&str>>, projects: &BTreeSet<&str>) -> bool {
    let in_dir = |d: &str| names.get(d).map_or(&[][..], Vec::as_slice);
    if dir.is_empty() || !in_dir(dir).iter().all(|n| *n == "package.json") {
        return false;
    }
    let mut up = parent(dir);
    let mut between = vec![name(dir)];
    loop {
        if projects.contains(up) {
            let other_language = in_dir(up).iter().any(|n| *n != "package.json");
            let through_part = between[1..]
                .iter()
                .any(|d| PARTS.contains(d) || is_serving(d) || BUNDLE_HOMES.contains(d));
            return other_language && through_part;
        }
        if up.is_empty() {
            return false;
        }
        between.push(name(up));
        up = parent(up);
    }
}

/// Folders where web frameworks keep their front-end sources.
const BUNDLE_HOMES: &[&str] = &["javascript", "resources", "static", "assets", "frontend"];

/// Is `dir` a numbered step (`01_Create_Grafana_Agent`, `2-solar-panel`) of the project
/// in the folder above it, which has a manifest of its own (not a solution file)? Such
/// steps build the parts of one project, each with its own requirements. Not below a
/// repository's root manifest, which may be only a workspace's.
fn is_step_of(dir: &str, projects: &BTreeSet<&str>) -> bool {
    let up = parent(dir);
    !up.is_empty() && projects.contains(up) && is_numbered_step(name(dir))
}

/// A folder named as a numbered step: one or two digits, then `_`, `-`, `.` or a space.
fn is_numbered_step(name: &str) -> bool {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits)
        && matches!(name.as_bytes().get(digits), Some(b'_' | b'-' | b'.' | b' '))
}

/// Is the file at `path` something that serves a repository rather than a project of
/// it: its tests, evals, infrastructure and CI anywhere, and its configuration (not
/// code) at the root or in hidden configuration folders?
pub(super) fn serves_repository(path: &str, is_code: bool) -> bool {
    let dirs: Vec<&str> = parent(path).split('/').filter(|p| !p.is_empty()).collect();
    // A CI pipeline's folder serves the repository like its tests do.
    if dirs
        .iter()
        .any(|d| TESTS_AND_INFRA.contains(d) || COPIES.contains(d) || *d == "workflows")
    {
        return true;
    }
    !is_code
        && dirs
            .iter()
            .all(|d| CONFIG_DIRS.contains(d) || *d == "workflows")
}

/// Folders that check, deploy or run a repository's projects without being one.
const TESTS_AND_INFRA: &[&str] = &[
    "test",
    "tests",
    "testing",
    "spec",
    "specs",
    "e2e",
    "e2e-tests",
    "e2e_tests",
    "integration-tests",
    "integration_tests",
    "integration-testing",
    "smoke-tests",
    "eval",
    "evals",
    "evaluation",
    "evaluations",
    "deploy",
    "deployment",
    "deployments",
    "infra",
    "infrastructure",
    "terraform",
    "k8s",
    "kubernetes",
    "helm",
    "docker",
];

/// Hidden folders that hold configuration the repository means: CI, editors' and
/// assistants' settings. Any other hidden folder holds a tool's copies or caches.
const CONFIG_DIRS: &[&str] = &[
    ".github",
    ".gitlab",
    ".circleci",
    ".buildkite",
    ".azure-pipelines",
    ".vscode",
    ".cursor",
    ".claude",
    ".gemini",
    ".windsurf",
    ".zed",
    ".continue",
    ".codex",
    ".ai",
    ".devcontainer",
    ".config",
    ".idea",
    ".kiro",
    ".amazonq",
    ".roo",
    ".clinerules",
];

/// The hidden folder (a tool's copies, caches, backups) that the folder `dir` is or
/// lies in, if any.
pub(super) fn hidden_root(dir: &str) -> Option<&str> {
    let path = dir;
    let mut at = 0;
    for part in path.split('/') {
        at += part.len();
        if part.starts_with('.') && part.len() > 1 && !CONFIG_DIRS.contains(&part) {
            return Some(&path[..at]);
        }
        at += 1;
    }
    None
}

/// Is the file at `path` configuration of the whole repository: at its root, or in
/// root-level folders that serve it (`.github/`, `deploy/`, `evals/`, `config/`)? A file
/// deep in another project's folder is not, even where no unit claims it.
pub(super) fn repository_wide(path: &str) -> bool {
    let dir = parent(path);
    dir.is_empty()
        || dir
            .split('/')
            .all(|p| CONFIG_DIRS.contains(&p) || is_serving(p) || p == "workflows")
}

/// Evidence that code in this file uses AI itself: an import or call of a provider,
/// framework or MCP SDK, or a model id it names, in code (or a notebook).
pub(super) fn is_ai_code(e: &Evidence) -> bool {
    e.file.language.is_some()
        && match e.kind {
            Kind::Provider | Kind::Framework | Kind::Mcp => {
                matches!(e.method, Method::Import | Method::Call)
            }
            Kind::Model => e.method == Method::Literal,
            _ => false,
        }
}

/// The unit folders of one repository.
#[derive(Debug)]
pub(super) struct Layout {
    manifests: BTreeSet<String>,
    /// Folders whose own files hold AI code.
    direct: BTreeSet<String>,
    /// Folders with AI code anywhere below them (themselves included).
    below: BTreeSet<String>,
    /// Top-level folders with AI code below them that no manifest below the root claims.
    loose_top: BTreeSet<String>,
    /// A course of numbered lessons at the root: no AI code of its own, AI code below two
    /// or more numbered top-level folders.
    lessons: bool,
    /// Folder → its unit, decided once.
    memo: std::cell::RefCell<BTreeMap<String, String>>,
}

impl Layout {
    /// The layout of a repository with these manifests (paths) and evidence; files in
    /// `tables` list model ids rather than use them.
    pub(super) fn new<'e>(
        manifests: &BTreeSet<String>,
        evidence: impl Iterator<Item = &'e Evidence>,
        tables: &BTreeSet<&str>,
    ) -> Layout {
        let ai_code: Vec<&Evidence> = evidence
            .filter(|e| {
                is_ai_code(e)
                    && !tables.contains(e.path.as_str())
                    && hidden_root(parent(&e.path)).is_none()
            })
            .collect();
        let mut found: BTreeSet<&str> = manifests
            .iter()
            .filter(|p| counts_as_manifest(p) && !is_dotnet_entry(name(p)))
            .map(|p| parent(p))
            .collect();
        let ai_dirs: BTreeSet<&str> = ai_code.iter().map(|e| parent(&e.path)).collect();
        fold_solutions(&mut found, manifests, &ai_dirs);
        // A solution file only groups projects: a tests or evals project under it is a
        // project of its own (a shared library still belongs to the solution).
        let mut names: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for p in manifests.iter().filter(|p| counts_as_manifest(p)) {
            names.entry(parent(p)).or_default().push(name(p));
        }
        let projects_above: BTreeSet<&str> = manifests
            .iter()
            .filter(|p| counts_as_manifest(p) && !is_dotnet_entry(name(p)) && !p.ends_with(".sln"))
            .map(|p| parent(p))
            .filter(|d| found.contains(d))
            .collect();
        let manifests: BTreeSet<String> = found
            .iter()
            .filter(|d| {
                let above = if TESTS_AND_INFRA.contains(&name(d)) {
                    &projects_above
                } else {
                    &found
                };
                !serves_a_unit_above(d, above)
                    && !is_step_of(d, &projects_above)
                    && !is_bundle_of(d, &names, &projects_above)
            })
            .map(|d| d.to_string())
            .collect();
        let mut direct = BTreeSet::new();
        let mut below = BTreeSet::new();
        let mut loose_top = BTreeSet::new();
        for e in ai_code {
            let dir = parent(&e.path);
            direct.insert(dir.to_string());
            let mut m = dir;
            while !m.is_empty() && !manifests.contains(m) {
                m = parent(m);
            }
            if m.is_empty() && !dir.is_empty() {
                loose_top.insert(dir.split('/').next().unwrap_or(dir).to_string());
            }
            let mut d = dir;
            loop {
                if !below.insert(d.to_string()) {
                    break;
                }
                if d.is_empty() {
                    break;
                }
                d = parent(d);
            }
        }
        let lessons = !direct.contains("")
            && below
                .iter()
                .filter(|d| !d.is_empty() && !d.contains('/') && is_numbered_step(d))
                .nth(1)
                .is_some();
        Layout {
            manifests,
            direct,
            below,
            loose_top,
            lessons,
            memo: Default::default(),
        }
    }

    /// Does the repository root hold a unit manifest?
    pub(super) fn root_has_manifest(&self) -> bool {
        self.manifests.contains("")
    }

    /// The unit folder of the file at `path` (`""`: the repository root).
    pub(super) fn unit_of(&self, path: &str) -> String {
        let dir = parent(path);
        if let Some(u) = self.memo.borrow().get(dir) {
            return u.clone();
        }
        let unit = self.unit_of_dir(dir);
        self.memo.borrow_mut().insert(dir.to_string(), unit.clone());
        unit
    }

    fn unit_of_dir(&self, dir: &str) -> String {
        // The nearest folder with a manifest, else the root.
        let mut base = dir;
        while !base.is_empty() && !self.manifests.contains(base) {
            base = parent(base);
        }
        let rest: Vec<&str> = match dir.strip_prefix(base) {
            Some(r) => r
                .trim_start_matches('/')
                .split('/')
                .filter(|s| !s.is_empty())
                .collect(),
            None => Vec::new(),
        };
        // A course whose root manifest sets up every lesson (`requirements.txt` beside
        // `01-intro-to-ai-agents/`, `02-explore-agentic-frameworks/`): each numbered
        // lesson folder is a unit.
        if base.is_empty() && self.manifests.contains("") && self.lessons_at_root() {
            if let Some(lesson) = rest.first().filter(|p| is_numbered_step(p)) {
                return (*lesson).to_string();
            }
        }
        // Where the projects are collected: a collection folder on the way down, the
        // manifest's own folder when it is named as one, or a root without a manifest
        // that holds several project folders with AI code.
        // A manifest folder named as a collection that holds one project only (the
        // package of `examples/pyproject.toml`) is that project.
        let start = if COLLECTIONS.contains(&name(base))
            && !base.is_empty()
            && self.projects_below(base) >= 2
            || (base.is_empty() && !self.manifests.contains("") && self.root_collects())
        {
            Some(0)
        } else {
            // Only above the project's own code: `src/.../example/` is a package.
            rest.iter()
                .take_while(|p| !is_serving(p) && !PARTS.contains(p))
                .position(|p| COLLECTIONS.contains(p))
                .map(|i| i + 1)
        };
        let Some(mut i) = start else {
            return base.to_string();
        };
        let join = |n: usize| -> String {
            let tail = rest[..n].join("/");
            match (base.is_empty(), tail.is_empty()) {
                (_, true) => base.to_string(),
                (true, false) => tail,
                (false, false) => format!("{base}/{tail}"),
            }
        };
        // The project folder below the collection, if this file is in one with AI code;
        // the collection's own files and serving folders belong to the unit around it.
        if i >= rest.len() || is_serving(rest[i]) || !self.below.contains(&join(i + 1)) {
            return base.to_string();
        }
        i += 1;
        // A folder without AI code of its own that groups several projects with AI code
        // (`examples/realtime/{app,cli}`) gives way to them.
        while i < rest.len() {
            let here = join(i);
            if self.direct.contains(&here) || is_serving(rest[i]) {
                break;
            }
            let projects = self.projects_below(&here);
            let next = join(i + 1);
            if projects < 2 || !self.below.contains(&next) {
                break;
            }
            i += 1;
        }
        join(i)
    }

    /// Child folders of `dir` with AI code below them, serving folders and the parts
    /// of a project aside.
    fn projects_below(&self, dir: &str) -> usize {
        let prefix = format!("{dir}/");
        self.below
            .range(prefix.clone()..)
            .take_while(|d| d.starts_with(&prefix))
            .filter(|d| {
                let child = &d[prefix.len()..];
                !child.contains('/') && !is_serving(child) && !PARTS.contains(&child)
            })
            .count()
    }

    /// Is the root a course of numbered lessons?
    pub(super) fn lessons_at_root(&self) -> bool {
        self.lessons
    }

    /// A root without a manifest collects projects when two or more of its top-level
    /// folders (serving folders, a project's parts and hidden folders aside) hold AI
    /// code that no manifest claims.
    fn root_collects(&self) -> bool {
        self.loose_top
            .iter()
            .filter(|d| !is_serving(d) && !PARTS.contains(&d.as_str()))
            .filter(|d| !d.starts_with('.'))
            .count()
            >= 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileClass, Lang};

    /// An import of `openai` in the Python file at `path`.
    fn import(path: &str) -> Evidence {
        Evidence {
            path: path.into(),
            cell: None,
            line: 1,
            column: 1,
            rule_id: "provider.openai".into(),
            kind: Kind::Provider,
            identifies: "openai".into(),
            category: None,
            method: Method::Import,
            matched: "openai".into(),
            snippet: String::new(),
            secret: None,
            in_test: false,
            history: None,
            baselined: false,
            file: FileClass {
                language: Some(Lang::Python),
                ..FileClass::default()
            },
        }
    }

    fn layout(manifests: &[&str], code: &[&str]) -> Layout {
        let manifests = manifests.iter().map(|s| s.to_string()).collect();
        let evidence: Vec<Evidence> = code.iter().map(|p| import(p)).collect();
        Layout::new(&manifests, evidence.iter(), &BTreeSet::new())
    }

    #[test]
    fn a_unit_is_the_nearest_manifest_folder_else_the_root() {
        let l = layout(
            &["services/a/pyproject.toml", "services/a/sub/package.json"],
            &["services/a/src/x.py", "services/a/sub/y.ts", "tools/z.py"],
        );
        assert_eq!(l.unit_of("services/a/src/x.py"), "services/a");
        assert_eq!(l.unit_of("services/a/sub/y.ts"), "services/a/sub");
        assert_eq!(l.unit_of("tools/z.py"), "");
        assert_eq!(layout(&[], &["a/b/c.py"]).unit_of("a/b/c.py"), "");
    }

    /// Issue 12: a manifest folder named as a collection collects the projects below
    /// it, but one that holds a single project (its own package) is that project.
    #[test]
    fn issue_12_a_collection_manifest_of_one_package_is_that_package() {
        let one = layout(
            &["examples/pyproject.toml"],
            &[
                "examples/pkg_examples/bank.py",
                "examples/pkg_examples/chat/app.py",
            ],
        );
        assert_eq!(one.unit_of("examples/pkg_examples/bank.py"), "examples");
        assert_eq!(one.unit_of("examples/pkg_examples/chat/app.py"), "examples");
        let two = layout(
            &["examples/pyproject.toml"],
            &["examples/bank/main.py", "examples/chat/app.py"],
        );
        assert_eq!(two.unit_of("examples/bank/main.py"), "examples/bank");
        assert_eq!(two.unit_of("examples/chat/app.py"), "examples/chat");
    }

    /// Issue 12: a course whose root manifest sets up every lesson (paths as in
    /// microsoft/ai-agents-for-beginners): each numbered lesson folder is a unit; the
    /// root keeps what is not a lesson. A root with AI code of its own stays one project.
    #[test]
    fn issue_12_a_courses_numbered_lessons_under_a_root_manifest_are_units() {
        let l = layout(
            &["requirements.txt"],
            &[
                "01-intro-to-ai-agents/code_samples/01-python-agent-framework.ipynb",
                "08-multi-agent/code_samples/workflows-agent-framework/python/01.basic.ipynb",
                "13-agent-memory/13-agent-memory.ipynb",
                "translations/ar/01-intro-to-ai-agents/code_samples/01-python-agent-framework.ipynb",
                "tools/check.py",
            ],
        );
        assert_eq!(
            l.unit_of("01-intro-to-ai-agents/code_samples/01-python-agent-framework.ipynb"),
            "01-intro-to-ai-agents"
        );
        assert_eq!(
            l.unit_of(
                "08-multi-agent/code_samples/workflows-agent-framework/python/01.basic.ipynb"
            ),
            "08-multi-agent"
        );
        assert_eq!(
            l.unit_of("13-agent-memory/13-agent-memory.ipynb"),
            "13-agent-memory"
        );
        assert_eq!(
            l.unit_of("translations/ar/01-intro-to-ai-agents/code_samples/01-python-agent-framework.ipynb"),
            ""
        );
        assert_eq!(l.unit_of("tools/check.py"), "");
        let app = layout(
            &["pyproject.toml"],
            &["main.py", "01_ingest/load.py", "02_train/fit.py"],
        );
        assert_eq!(app.unit_of("01_ingest/load.py"), "");
    }

    /// Issue 12: the JavaScript bundle inside a Rails (or Django, Laravel) app is that
    /// app's UI; a package beside it, or in a JavaScript workspace, stays a project.
    #[test]
    fn issue_12_a_js_bundle_inside_an_app_in_another_language_is_that_app() {
        let l = layout(
            &[
                "Gemfile",
                "app/javascript/blocks/package.json",
                "tools/cli/package.json",
            ],
            &[
                "app/javascript/blocks/services/speech_service.js",
                "app/services/ai_backend/open_ai.rb",
                "tools/cli/index.js",
            ],
        );
        assert_eq!(
            l.unit_of("app/javascript/blocks/services/speech_service.js"),
            ""
        );
        assert_eq!(l.unit_of("tools/cli/index.js"), "tools/cli");
        let js = layout(
            &["package.json", "app/ui/package.json"],
            &["app/ui/chat.js", "server.js"],
        );
        assert_eq!(js.unit_of("app/ui/chat.js"), "app/ui");
    }

    /// Issue 12: numbered steps with their own requirements build the parts of the
    /// project above them when it has a manifest of its own; under a solution file or a
    /// repository's root manifest (a workspace's), or unnumbered, they stay projects.
    #[test]
    fn issue_12_numbered_steps_belong_to_the_project_above() {
        let l = layout(
            &[
                "agents/devops/requirements.txt",
                "agents/devops/01_Create_Grafana_Agent/requirements.txt",
                "agents/devops/2-github-agent/requirements.txt",
                "agents/devops/monitor/requirements.txt",
                "build/Build.sln",
                "build/01 - Hello/Hello.csproj",
                "package.json",
                "00-first-agent/package.json",
            ],
            &[
                "agents/devops/01_Create_Grafana_Agent/lambda.py",
                "agents/devops/2-github-agent/create.py",
                "agents/devops/monitor/app.py",
                "build/01 - Hello/Program.cs",
                "00-first-agent/src/agent.ts",
            ],
        );
        assert_eq!(
            l.unit_of("agents/devops/01_Create_Grafana_Agent/lambda.py"),
            "agents/devops"
        );
        assert_eq!(
            l.unit_of("agents/devops/2-github-agent/create.py"),
            "agents/devops"
        );
        assert_eq!(
            l.unit_of("agents/devops/monitor/app.py"),
            "agents/devops/monitor"
        );
        assert_eq!(l.unit_of("build/01 - Hello/Program.cs"), "build/01 - Hello");
        assert_eq!(l.unit_of("00-first-agent/src/agent.ts"), "00-first-agent");
        assert!(
            is_numbered_step("4.2_invoke")
                && !is_numbered_step("2024-report")
                && !is_numbered_step("v1-api")
        );
    }

    /// Issue 12: manifests that do not make a unit — backups in hidden folders, vendored
    /// packages, a folder that serves its unit, and a module named `setup.py`.
    #[test]
    fn issue_12_manifests_that_make_no_unit() {
        let l = layout(
            &[
                "pom.xml",
                ".version-backups/1.0/pom.xml",
                "node_modules/openai/package.json",
                "tests/requirements.txt",
                "src/agents/tracing/setup.py",
            ],
            &[
                ".version-backups/1.0/A.py",
                "tests/t.py",
                "src/agents/tracing/setup.py",
            ],
        );
        assert_eq!(l.unit_of(".version-backups/1.0/A.py"), "");
        assert_eq!(l.unit_of("node_modules/openai/index.js"), "");
        assert_eq!(l.unit_of("tests/t.py"), "");
        assert_eq!(l.unit_of("src/agents/tracing/setup.py"), "");
    }

    /// Issue 12: a serving folder's manifest makes a unit only where nothing above it
    /// has one (`script/go.mod` in a repository of CI and infrastructure); hidden
    /// configuration folders are not a tool's copies, other hidden folders are.
    #[test]
    fn issue_12_serving_folders_and_hidden_folders() {
        let alone = layout(&["script/go.mod"], &["script/main.go"]);
        assert_eq!(alone.unit_of("script/main.go"), "script");
        let under = layout(&["go.mod", "script/go.mod"], &["script/main.go"]);
        assert_eq!(under.unit_of("script/main.go"), "");
        let tool = layout(&[".ai/mcp/package.json"], &[".ai/mcp/launchers/github.mjs"]);
        assert_eq!(tool.unit_of(".ai/mcp/launchers/github.mjs"), ".ai/mcp");
        assert_eq!(hidden_root(".ai/mcp"), None);
        assert_eq!(
            hidden_root(".version-backups/1.0/src"),
            Some(".version-backups")
        );
        assert_eq!(hidden_root(""), None);
    }

    /// Issue 12: what serves a repository — its tests, evals, infrastructure, CI, and
    /// configuration at the root — as against code at the root or in `scripts/`.
    #[test]
    fn issue_12_what_serves_a_repository() {
        assert!(serves_repository("tests/test_agent.py", true));
        assert!(serves_repository("deploy/k8s/agent.yaml", false));
        assert!(serves_repository(".github/workflows/eval.yml", false));
        assert!(serves_repository(".env.example", false));
        assert!(!serves_repository("main.py", true));
        assert!(!serves_repository("scripts/compare_models.py", true));
    }

    /// Issue 12: each project folder of a collection (samples, a course's modules) with
    /// its own AI code is a unit; a folder that only groups projects gives way to them;
    /// a folder that serves them does not become one.
    #[test]
    fn issue_12_project_folders_of_a_collection_are_units() {
        let l = layout(
            &["pyproject.toml"],
            &[
                "src/sdk/client.py",
                "examples/basic/hello.py",
                "examples/basic/more/deep.py",
                "examples/realtime/app/server.py",
                "examples/realtime/cli/demo.py",
                "examples/realtime/twilio/server.py",
                "examples/voice/only/one.py",
                "examples/house/frontend/chat.ts",
                "examples/house/functions/api/handler.py",
                "examples/utils/shared.py",
            ],
        );
        assert_eq!(l.unit_of("src/sdk/client.py"), "");
        assert_eq!(l.unit_of("examples/basic/hello.py"), "examples/basic");
        assert_eq!(l.unit_of("examples/basic/more/deep.py"), "examples/basic");
        assert_eq!(l.unit_of("examples/basic/README.md"), "examples/basic");
        assert_eq!(
            l.unit_of("examples/realtime/app/server.py"),
            "examples/realtime/app"
        );
        assert_eq!(
            l.unit_of("examples/realtime/cli/demo.py"),
            "examples/realtime/cli"
        );
        assert_eq!(l.unit_of("examples/voice/only/one.py"), "examples/voice");
        // A project's parts are not projects of their own.
        assert_eq!(
            l.unit_of("examples/house/frontend/chat.ts"),
            "examples/house"
        );
        assert_eq!(
            l.unit_of("examples/house/functions/api/handler.py"),
            "examples/house"
        );
        assert_eq!(l.unit_of("examples/utils/shared.py"), "");
        assert_eq!(l.unit_of("examples/run_all.py"), "");
    }

    /// Issue 12: a root without a manifest whose top-level folders hold AI code (a
    /// course's modules) has a unit per folder; with one such folder, the root is the
    /// unit (a `scripts/` folder serves the repository).
    #[test]
    fn issue_12_a_root_without_a_manifest_collects_its_modules() {
        let course = layout(&[], &["fundamentals/01.ipynb", "tool_use/02.ipynb", "x.py"]);
        assert_eq!(course.unit_of("fundamentals/01.ipynb"), "fundamentals");
        assert_eq!(course.unit_of("tool_use/02.ipynb"), "tool_use");
        assert_eq!(course.unit_of("x.py"), "");
        let one = layout(&["svc/package.json"], &["scripts/compare.py", "svc/a.ts"]);
        assert_eq!(one.unit_of("scripts/compare.py"), "");
        assert_eq!(one.unit_of("svc/a.ts"), "svc");
        let served = layout(&[], &["scripts/a.py", "src/b.py"]);
        assert_eq!(served.unit_of("scripts/a.py"), "");
    }
}
