//! The one file classifier: what a file is — its language and grammar, manifest kind,
//! configuration format, whether it is a notebook, configuration text, test code, a
//! unit's manifest, infrastructure or an MCP client's configuration — decided from its
//! path (and, for encoded configuration, its bytes). Every stage asks this module;
//! none looks at a file name to guess. A new language, manifest or configuration
//! format starts here.

use crate::model::{Ecosystem, FileClass, FileRole, Lang};

/// Everything the classifier says about one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileKind {
    /// What evidence found in it records: language, ecosystem, role.
    pub class: FileClass,
    /// The grammar its code is parsed with (`None` for notebooks: their cells are
    /// Python, parsed one by one).
    pub lang: Option<Lang>,
    /// A Jupyter notebook (`.ipynb`).
    pub notebook: bool,
    /// A dependency manifest or lockfile that is parsed.
    pub manifest: Option<ManifestKind>,
    /// A configuration format that is parsed structurally.
    pub config: Option<ConfigFormat>,
    /// Configuration text whose tokens may hold endpoints and model ids (not prose,
    /// code or lockfiles).
    pub config_text: bool,
    /// Test code or fixtures (`tests/`, `*_test.go`, `*.spec.ts`, …).
    pub test: bool,
    /// A manifest that makes its directory an agent-unit candidate.
    pub unit_manifest: bool,
    /// A Helm chart's `Chart.yaml`: its directory is a chart (templates, not an agent).
    pub helm_chart: bool,
    /// Third-party code installed into the tree (`node_modules/`, `site-packages/`).
    pub vendored: bool,
}

impl FileKind {
    /// Classifies the file at `path` (repo-relative, `/`-separated).
    pub fn of(path: &str) -> FileKind {
        let name = path.rsplit('/').next().unwrap_or(path);
        let notebook = path.ends_with(".ipynb");
        let lang = lang_of(path);
        let manifest = ManifestKind::from_path(path);
        let class = FileClass {
            language: if notebook {
                Some(Lang::Python)
            } else {
                lang.or_else(|| manifest.and_then(|m| m.language(name)))
            },
            fallback_language: (name == "package.json").then_some(Lang::JavaScript),
            ecosystem: if notebook {
                Some(Ecosystem::Pypi)
            } else {
                manifest.map(ManifestKind::ecosystem)
            },
            role: role_of(path),
        };
        FileKind {
            class,
            lang,
            notebook,
            manifest,
            config: ConfigFormat::from_path(path),
            config_text: is_config_text(path),
            test: is_test_path(path),
            unit_manifest: Self::unit_manifest_at(path),
            helm_chart: Self::helm_chart_at(path),
            vendored: vendored_root(path).is_some(),
        }
    }

    /// Whether the file at `path` is a manifest that starts a unit ([`FileKind::unit_manifest`]),
    /// without classifying the rest: a cached file needs only this and
    /// [`FileKind::helm_chart_at`].
    pub fn unit_manifest_at(path: &str) -> bool {
        is_unit_manifest(path.rsplit('/').next().unwrap_or(path))
    }

    /// Whether the file at `path` is a Helm chart's `Chart.yaml` ([`FileKind::helm_chart`]).
    pub fn helm_chart_at(path: &str) -> bool {
        path.rsplit('/').next().unwrap_or(path) == "Chart.yaml"
    }

    /// A YAML/JSON file that stores values base64-encoded: a Kubernetes Secret (alone or in
    /// a `kubectl get -o yaml|json` export) or a Consul KV export.
    pub fn holds_encoded_values(&self, bytes: &[u8]) -> bool {
        if !matches!(self.config, Some(ConfigFormat::Yaml | ConfigFormat::Json)) {
            return false;
        }
        // Loose on purpose (any quoting, spacing, tag or line break between `kind` and
        // `Secret`): a false yes costs one parse, a false no would hide a key. But near
        // each other: an AWS service model says "kind" and "SecretAccessKey" somewhere
        // in 2 MB, and parsing 14 MB of those took a tenth of a virtualenv's scan.
        near(bytes, b"kind", b"Secret") || near(bytes, b"\"flags\"", b"\"value\"")
    }
}

/// Does `b` occur within [`NEAR`] bytes of an occurrence of `a` (either side)?
fn near(bytes: &[u8], a: &[u8], b: &[u8]) -> bool {
    const NEAR: usize = 64;
    let b = memchr::memmem::Finder::new(b);
    memchr::memmem::find_iter(bytes, a).any(|at| {
        let from = at.saturating_sub(NEAR + b.needle().len());
        let to = (at + a.len() + NEAR + b.needle().len()).min(bytes.len());
        b.find(&bytes[from..to]).is_some()
    })
}

/// Folders of third-party code installed into a tree.
const VENDORED: &[&str] = &[
    "node_modules",
    "site-packages",
    "dist-packages",
    "vendor",
    "third_party",
    "third-party",
    "bower_components",
    ".venv",
    "venv",
];

/// The folder of third-party code that `path` (a file or folder) lies in, if any: the
/// path up to and including the first vendored folder.
pub fn vendored_root(path: &str) -> Option<&str> {
    let mut at = 0;
    for part in path.split('/') {
        at += part.len();
        if VENDORED.contains(&part) {
            return Some(&path[..at]);
        }
        at += 1;
    }
    None
}

/// The grammar of `path`, by extension (or, for Ruby's build files, by name).
fn lang_of(path: &str) -> Option<Lang> {
    let name = path.rsplit('/').next().unwrap_or(path);
    // Bundler's and Rake's files are Ruby programs without an extension.
    if matches!(name, "Gemfile" | "Rakefile" | "Guardfile" | "Capfile") {
        return Some(Lang::Ruby);
    }
    let ext = name.rsplit_once('.')?.1;
    Some(match ext {
        "py" | "pyi" => Lang::Python,
        "js" | "jsx" | "mjs" | "cjs" => Lang::JavaScript,
        "ts" | "mts" | "cts" => Lang::TypeScript,
        "tsx" => Lang::Tsx,
        "go" => Lang::Go,
        "java" => Lang::Java,
        "kt" | "kts" => Lang::Kotlin,
        "cs" => Lang::CSharp,
        "rs" => Lang::Rust,
        "rb" | "rake" | "gemspec" | "ru" => Lang::Ruby,
        "php" => Lang::Php,
        _ => return None,
    })
}

/// The manifest and lockfile formats we read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManifestKind {
    /// `requirements*.txt`, `*-requirements.txt`, `requirements/*.txt`.
    Requirements,
    /// `pyproject.toml` (PEP 621, Poetry, uv, PDM, dependency groups).
    Pyproject,
    /// `Pipfile`.
    Pipfile,
    /// `setup.cfg` (`install_requires`, `extras_require`).
    SetupCfg,
    /// `setup.py` (literal `install_requires` lists).
    SetupPy,
    /// Conda `environment.yml` / `environment.yaml`.
    CondaEnv,
    /// `poetry.lock`.
    PoetryLock,
    /// `uv.lock`.
    UvLock,
    /// `Pipfile.lock`.
    PipfileLock,
    /// `package.json`.
    PackageJson,
    /// `package-lock.json` / `npm-shrinkwrap.json`.
    PackageLock,
    /// `pnpm-lock.yaml`.
    PnpmLock,
    /// `yarn.lock`.
    YarnLock,
    /// `go.mod`.
    GoMod,
    /// `go.sum`.
    GoSum,
    /// `pom.xml`.
    Pom,
    /// `build.gradle` / `build.gradle.kts`.
    Gradle,
    /// A Gradle version catalog, `gradle/libs.versions.toml`.
    VersionCatalog,
    /// `*.csproj`, `*.fsproj`, `*.vbproj`, `Directory.Packages.props`.
    MsBuild,
    /// `packages.config`.
    PackagesConfig,
    /// `Cargo.toml`.
    CargoToml,
    /// `Cargo.lock`.
    CargoLock,
    /// `Gemfile` (or Bundler's other name for it, `gems.rb`).
    Gemfile,
    /// `Gemfile.lock` (or `gems.locked`).
    GemfileLock,
    /// `*.gemspec`.
    Gemspec,
    /// `composer.json`.
    ComposerJson,
    /// `composer.lock`.
    ComposerLock,
}

impl ManifestKind {
    /// The manifest kind of `path` (repo-relative, `/`-separated), by name.
    pub fn from_path(path: &str) -> Option<ManifestKind> {
        let (dir, name) = match path.rsplit_once('/') {
            Some((d, n)) => (d, n),
            None => ("", path),
        };
        Some(match name {
            "pyproject.toml" => ManifestKind::Pyproject,
            "Pipfile" => ManifestKind::Pipfile,
            "setup.cfg" => ManifestKind::SetupCfg,
            "setup.py" => ManifestKind::SetupPy,
            "environment.yml" | "environment.yaml" => ManifestKind::CondaEnv,
            "poetry.lock" => ManifestKind::PoetryLock,
            "uv.lock" => ManifestKind::UvLock,
            "Pipfile.lock" => ManifestKind::PipfileLock,
            "package.json" => ManifestKind::PackageJson,
            "package-lock.json" | "npm-shrinkwrap.json" => ManifestKind::PackageLock,
            "pnpm-lock.yaml" => ManifestKind::PnpmLock,
            "yarn.lock" => ManifestKind::YarnLock,
            "go.mod" => ManifestKind::GoMod,
            "go.sum" => ManifestKind::GoSum,
            "pom.xml" => ManifestKind::Pom,
            "build.gradle" | "build.gradle.kts" => ManifestKind::Gradle,
            "libs.versions.toml" => ManifestKind::VersionCatalog,
            "Directory.Packages.props" => ManifestKind::MsBuild,
            "packages.config" => ManifestKind::PackagesConfig,
            "Cargo.toml" => ManifestKind::CargoToml,
            "Cargo.lock" => ManifestKind::CargoLock,
            "Gemfile" | "gems.rb" => ManifestKind::Gemfile,
            "Gemfile.lock" | "gems.locked" => ManifestKind::GemfileLock,
            "composer.json" => ManifestKind::ComposerJson,
            "composer.lock" => ManifestKind::ComposerLock,
            _ if name.ends_with(".gemspec") => ManifestKind::Gemspec,
            _ if name.ends_with(".csproj")
                || name.ends_with(".fsproj")
                || name.ends_with(".vbproj") =>
            {
                ManifestKind::MsBuild
            }
            _ if name.ends_with(".txt")
                && (name.starts_with("requirements")
                    || name.ends_with("-requirements.txt")
                    || name.ends_with("_requirements.txt")
                    || dir == "requirements"
                    || dir.ends_with("/requirements")) =>
            {
                ManifestKind::Requirements
            }
            _ => return None,
        })
    }

    /// The ecosystem its package names belong to.
    pub fn ecosystem(self) -> Ecosystem {
        use ManifestKind::*;
        match self {
            Requirements | Pyproject | Pipfile | SetupCfg | SetupPy | CondaEnv | PoetryLock
            | UvLock | PipfileLock => Ecosystem::Pypi,
            PackageJson | PackageLock | PnpmLock | YarnLock => Ecosystem::Npm,
            GoMod | GoSum => Ecosystem::Go,
            Pom | Gradle | VersionCatalog => Ecosystem::Maven,
            MsBuild | PackagesConfig => Ecosystem::Nuget,
            CargoToml | CargoLock => Ecosystem::Cargo,
            Gemfile | GemfileLock | Gemspec => Ecosystem::Rubygems,
            ComposerJson | ComposerLock => Ecosystem::Composer,
        }
    }
}

impl ManifestKind {
    /// The language a manifest named `name` implies, when it implies only one: a
    /// `package.json` or a Gradle build serves several.
    fn language(self, name: &str) -> Option<Lang> {
        Some(match self.ecosystem() {
            Ecosystem::Pypi => Lang::Python,
            Ecosystem::Npm => return None,
            Ecosystem::Go => Lang::Go,
            // Gradle builds and catalogs serve Java and Kotlin alike: the code decides.
            Ecosystem::Maven if name == "pom.xml" => Lang::Java,
            Ecosystem::Maven => return None,
            Ecosystem::Nuget => Lang::CSharp,
            Ecosystem::Cargo => Lang::Rust,
            Ecosystem::Rubygems => Lang::Ruby,
            Ecosystem::Composer => Lang::Php,
        })
    }
}

/// What the file at `path` says about where units begin: (a unit manifest or a .NET
/// program's entry file, a Helm chart's `Chart.yaml`). From the name alone, without classifying the file: the hook
/// asks it of every path of a 50,000-file index.
pub fn shapes_units(path: &str) -> (bool, bool) {
    let name = path.rsplit('/').next().unwrap_or(path);
    (
        is_unit_manifest(name) || is_dotnet_entry(name),
        name == "Chart.yaml",
    )
}

/// A .NET program's entry file: the project beside it is an application, not a library.
pub fn is_dotnet_entry(file_name: &str) -> bool {
    matches!(file_name, "Program.cs" | "Program.fs" | "Program.vb")
}

/// The file names that make a directory an agent-unit candidate (its own manifest).
/// An owner declaration (`aiscout.yaml`) is one: it says "this folder is an agent".
fn is_unit_manifest(file_name: &str) -> bool {
    matches!(
        file_name,
        "package.json"
            | "aiscout.yaml"
            | "aiscout.yml"
            | "pyproject.toml"
            | "requirements.txt"
            | "setup.py"
            | "setup.cfg"
            | "Pipfile"
            | "environment.yml"
            | "go.mod"
            | "pom.xml"
            | "build.gradle"
            | "build.gradle.kts"
            | "Cargo.toml"
            | "composer.json"
            | "Gemfile"
            | "gems.rb"
            | "deno.json"
    ) || file_name.ends_with(".csproj")
        || file_name.ends_with(".gemspec")
        || file_name.ends_with(".sln")
}

/// The configuration formats read structurally.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigFormat {
    /// `.env`, `.env.*`, `*.env`, `.envrc`.
    Env,
    /// A template of one (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`,
    /// `example.env`): it lists what a developer may set, so a variable left empty or
    /// holding a placeholder is not a declaration the unit makes.
    EnvTemplate,
    /// `*.yaml`, `*.yml`: compose, Kubernetes, Helm, CI, CloudFormation, LiteLLM,
    /// Spring `application.yml`, Continue `config.yaml`, …
    Yaml,
    /// `*.json`, `*.jsonc`, `*.tfstate`: MCP client configs, tfstate and plans,
    /// CloudFormation, config-store exports, …
    Json,
    /// `*.toml` (Codex `config.toml`, …).
    Toml,
    /// `*.tf`, `*.tfvars`, `*.hcl`.
    Hcl,
    /// `*.properties`.
    Properties,
    /// `Dockerfile`, `Dockerfile.*`, `*.dockerfile`, `Containerfile`.
    Dockerfile,
    /// `Jenkinsfile`, `*.jenkinsfile`.
    Jenkinsfile,
}

impl ConfigFormat {
    /// The format of `path` (repo-relative, `/`-separated), by name. Dependency
    /// manifests and lockfiles are not configuration: they keep their own detector.
    pub fn from_path(path: &str) -> Option<ConfigFormat> {
        let name = path.rsplit('/').next().unwrap_or(path);
        if ManifestKind::from_path(path).is_some() {
            return None;
        }
        if name == ".env" || name.starts_with(".env.") || name.ends_with(".env") || name == ".envrc"
        {
            let template = ["example", "sample", "template", "tmpl", "dist"]
                .iter()
                .any(|w| name.contains(w));
            return Some(if template {
                ConfigFormat::EnvTemplate
            } else {
                ConfigFormat::Env
            });
        }
        if name == "Dockerfile"
            || name.starts_with("Dockerfile.")
            || name.ends_with(".dockerfile")
            || name == "Containerfile"
        {
            return Some(ConfigFormat::Dockerfile);
        }
        if name == "Jenkinsfile" || name.ends_with(".jenkinsfile") || name.ends_with(".Jenkinsfile")
        {
            return Some(ConfigFormat::Jenkinsfile);
        }
        if name.ends_with(".tfstate.backup") {
            return Some(ConfigFormat::Json);
        }
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "yaml" | "yml" => ConfigFormat::Yaml,
            "json" | "jsonc" | "tfstate" => ConfigFormat::Json,
            "toml" => ConfigFormat::Toml,
            "tf" | "tfvars" | "hcl" => ConfigFormat::Hcl,
            "properties" => ConfigFormat::Properties,
            _ => return None,
        })
    }
}

/// Extensions and names of configuration text (not prose, not code, not lockfiles).
fn is_config_text(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    // Issue and PR templates are prose with placeholders; link-checker configs list
    // URLs to check, not to call.
    if path.contains(".github/ISSUE_TEMPLATE/")
        || path.contains("PULL_REQUEST_TEMPLATE")
        || name.starts_with("lychee")
        || name == ".markdownlint.json"
    {
        return false;
    }
    if matches!(
        name,
        "package-lock.json"
            | "npm-shrinkwrap.json"
            | "pnpm-lock.yaml"
            | "yarn.lock"
            | "composer.lock"
    ) {
        return false;
    }
    if name.starts_with(".env")
        || name.ends_with(".env")
        || name == ".envrc"
        || name == "Dockerfile"
    {
        return true;
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some(
            "yaml"
                | "yml"
                | "json"
                | "jsonc"
                | "toml"
                | "ini"
                | "cfg"
                | "conf"
                | "env"
                | "properties"
                | "tf"
                | "tfvars"
                | "hcl"
                | "xml"
        )
    )
}

/// True when the file at `path` is test code or fixtures: a secret there is still
/// reported, but marked so policy can treat it differently.
pub fn is_test_path(path: &str) -> bool {
    let mut parts = path.split('/');
    let name = parts.next_back().unwrap_or("");
    let in_test_dir = path.split('/').rev().skip(1).any(|d| {
        matches!(
            d,
            "test"
                | "tests"
                | "__tests__"
                | "spec"
                | "specs"
                | "testdata"
                | "test-data"
                | "fixtures"
                | "__fixtures__"
                | "mocks"
                | "__mocks__"
                | "e2e"
        )
    });
    in_test_dir
        || name.starts_with("test_")
        || name == "conftest.py"
        || name.ends_with("_test.go")
        || name.ends_with("_test.py")
        || name.contains(".test.")
        || name.contains(".spec.")
        || name.ends_with("Test.java")
        || name.ends_with("Tests.cs")
        || name.ends_with("_spec.rb")
        || name.ends_with("_test.rb")
        || name.ends_with("Test.php")
}

/// The role of `path` by its name and directories: a known MCP client configuration,
/// infrastructure or CI, else code. (The inventory also counts any file that configures
/// MCP servers as an MCP client configuration, whatever its name.)
fn role_of(path: &str) -> FileRole {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let dirs: Vec<&str> = path.split('/').rev().skip(1).collect();
    if matches!(
        name,
        "claude_desktop_config.json"
            | ".mcp.json"
            | "mcp.json"
            | "mcp_config.json"
            | "opencode.json"
            | "cline_mcp_settings.json"
            | "mcp_settings.json"
    ) || (dirs.first().is_some_and(|d| {
        matches!(
            *d,
            ".cursor" | ".vscode" | ".windsurf" | ".continue" | ".zed"
        )
    }) && matches!(
        name,
        "mcp.json" | "settings.json" | "config.json" | "config.yaml"
    )) {
        return FileRole::McpClientConfig;
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let infra_dir = dirs.iter().any(|d| {
        matches!(
            *d,
            "k8s"
                | "kubernetes"
                | "manifests"
                | "helm"
                | "charts"
                | "deploy"
                | "deployment"
                | "deployments"
                | "infra"
                | "infrastructure"
                | "terraform"
                | "cloudformation"
                | "kustomize"
                | "iac"
                | "ops"
                | "compose"
                | "gateway"
                | "gateways"
                | "workflows"
                | ".circleci"
                | "pipelines"
        )
    });
    if matches!(
        lower.as_str(),
        ".gitlab-ci.yml" | "azure-pipelines.yml" | "jenkinsfile" | "bitbucket-pipelines.yml"
    ) {
        return FileRole::Infrastructure;
    }
    if matches!(ext, "tf" | "tfvars" | "tfstate" | "hcl")
        || lower.starts_with("docker-compose")
        || lower.starts_with("compose.")
        || lower == "dockerfile"
        || lower.contains("litellm")
        || lower == "chart.yaml"
        || lower.starts_with("values") && matches!(ext, "yaml" | "yml")
        || (infra_dir && matches!(ext, "yaml" | "yml" | "json"))
    {
        return FileRole::Infrastructure;
    }
    FileRole::Code
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Kubernetes Secret is read however its `kind` is written; an API model that
    /// says "kind" and "Secret" far apart is not.
    #[test]
    fn encoded_values_by_kind_near_secret() {
        let yaml = FileKind::of("k8s/secret.yaml");
        for text in [
            "apiVersion: v1\nkind: Secret\ndata:\n  k: dg==\n",
            "kind:   !!str   Secret\n",
            "? kind\n: \"Secret\"\n",
            "{\"kind\" : \"Secret\"}",
        ] {
            assert!(yaml.holds_encoded_values(text.as_bytes()), "{text}");
        }
        let json = FileKind::of("botocore/data/service-2.json");
        let far = format!(
            "{{\"kind\": \"structure\", \"doc\": \"{}\", \"SecretAccessKey\": 1}}",
            "x".repeat(100)
        );
        assert!(!json.holds_encoded_values(far.as_bytes()));
        let consul = r#"[{"key": "app/token", "flags": 0, "value": "c2stYWJj"}]"#;
        assert!(json.holds_encoded_values(consul.as_bytes()));
        assert!(!FileKind::of("notes.txt").holds_encoded_values(b"kind: Secret"));
    }

    #[test]
    fn manifest_kinds_by_name() {
        assert_eq!(
            ManifestKind::from_path("a/requirements-dev.txt"),
            Some(ManifestKind::Requirements)
        );
        assert_eq!(
            ManifestKind::from_path("requirements/base.txt"),
            Some(ManifestKind::Requirements)
        );
        assert_eq!(ManifestKind::from_path("notes.txt"), None);
        assert_eq!(
            ManifestKind::from_path("web/package.json"),
            Some(ManifestKind::PackageJson)
        );
        assert_eq!(
            ManifestKind::from_path("src/Bot/Bot.csproj"),
            Some(ManifestKind::MsBuild)
        );
        assert_eq!(
            ManifestKind::from_path("app/build.gradle.kts"),
            Some(ManifestKind::Gradle)
        );
        assert_eq!(
            ManifestKind::from_path("Gemfile"),
            Some(ManifestKind::Gemfile)
        );
        assert_eq!(
            ManifestKind::from_path("bot/Gemfile.lock"),
            Some(ManifestKind::GemfileLock)
        );
        assert_eq!(
            ManifestKind::from_path("support_bot.gemspec"),
            Some(ManifestKind::Gemspec)
        );
        assert_eq!(
            ManifestKind::from_path("web/composer.lock"),
            Some(ManifestKind::ComposerLock)
        );
        assert_eq!(ManifestKind::from_path("Gemfile.bak"), None);
    }

    #[test]
    fn ruby_and_php_files() {
        let kind = FileKind::of;
        for ruby in [
            "app/models/chat.rb",
            "lib/tasks/llm.rake",
            "bot.gemspec",
            "Gemfile",
            "Rakefile",
            "config.ru",
        ] {
            assert_eq!(kind(ruby).lang, Some(Lang::Ruby), "{ruby}");
        }
        assert_eq!(kind("Gemfile.lock").lang, None);
        assert_eq!(kind("Gemfile.lock").class.language, Some(Lang::Ruby));
        assert_eq!(kind("src/Chat.php").lang, Some(Lang::Php));
        assert_eq!(kind("composer.json").class.language, Some(Lang::Php));
        assert_eq!(
            kind("composer.json").class.ecosystem,
            Some(Ecosystem::Composer)
        );
        assert_eq!(kind("composer.json").config, None);
        assert_eq!(kind("Gemfile").class.ecosystem, Some(Ecosystem::Rubygems));
        assert!(kind("Gemfile").unit_manifest);
        assert!(kind("svc/bot/aiscout.yaml").unit_manifest);
        assert!(!kind("aiscout.toml").unit_manifest);
        assert!(kind("gems/bot/bot.gemspec").unit_manifest);
        assert!(kind("composer.json").unit_manifest);
        assert!(!kind("Gemfile.lock").unit_manifest);
        assert!(!kind("composer.lock").unit_manifest);
        assert!(kind("spec/models/chat_spec.rb").test);
        assert!(kind("test/chat_test.rb").test);
        assert!(kind("src/ChatTest.php").test);
    }

    #[test]
    fn formats_by_name() {
        let cases = [
            (".env.local", Some(ConfigFormat::Env)),
            (".env.example", Some(ConfigFormat::EnvTemplate)),
            ("deploy/values.yaml", Some(ConfigFormat::Yaml)),
            (".vscode/mcp.json", Some(ConfigFormat::Json)),
            ("infra/terraform.tfstate", Some(ConfigFormat::Json)),
            ("infra/main.tf", Some(ConfigFormat::Hcl)),
            (
                "src/main/resources/application.properties",
                Some(ConfigFormat::Properties),
            ),
            ("docker/Dockerfile.gpu", Some(ConfigFormat::Dockerfile)),
            ("Jenkinsfile", Some(ConfigFormat::Jenkinsfile)),
            ("package.json", None),
            ("environment.yml", None),
            ("pyproject.toml", None),
            ("README.md", None),
        ];
        for (path, want) in cases {
            assert_eq!(ConfigFormat::from_path(path), want, "{path}");
        }
    }

    #[test]
    fn test_paths() {
        assert!(is_test_path("tests/test_client.py"));
        assert!(is_test_path("pkg/client_test.go"));
        assert!(is_test_path("src/__tests__/chat.ts"));
        assert!(is_test_path("web/chat.spec.ts"));
        assert!(!is_test_path("src/contest/app.py"));
        assert!(!is_test_path("latest.py"));
    }

    #[test]
    fn config_text_names() {
        assert!(is_config_text("deploy/values.yaml"));
        assert!(is_config_text(".env.production"));
        assert!(!is_config_text("README.md"));
        assert!(!is_config_text("web/package-lock.json"));
    }

    #[test]
    fn languages_and_ecosystems_of_files() {
        let class = |p: &str| FileKind::of(p).class;
        assert_eq!(class("a/b.tsx").language, Some(Lang::Tsx));
        assert_eq!(class("nb/x.ipynb").language, Some(Lang::Python));
        assert_eq!(class("nb/x.ipynb").ecosystem, Some(Ecosystem::Pypi));
        assert_eq!(class("svc/pom.xml").language, Some(Lang::Java));
        assert_eq!(class("svc/build.gradle").language, None);
        assert_eq!(class("svc/build.gradle.kts").language, Some(Lang::Kotlin));
        assert_eq!(class("web/package.json").language, None);
        assert_eq!(
            class("web/package.json").fallback_language,
            Some(Lang::JavaScript)
        );
        assert_eq!(class("web/yarn.lock").ecosystem, Some(Ecosystem::Npm));
        assert_eq!(class("web/yarn.lock").fallback_language, None);
        assert_eq!(class("README.md"), FileClass::default());
        assert_eq!(class(".vscode/mcp.json").role, FileRole::McpClientConfig);
        assert_eq!(class("deploy/k8s/app.yaml").role, FileRole::Infrastructure);
        assert_eq!(class("Dockerfile").role, FileRole::Infrastructure);
        assert_eq!(class("app/main.py").role, FileRole::Code);
    }
}
