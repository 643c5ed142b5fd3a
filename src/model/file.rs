//! What a file is, in the words evidence is told in: its language, the package
//! ecosystem it declares, and the role it plays (code, infrastructure, an MCP client's
//! configuration). `source::filekind` is the one place that decides them from a path;
//! evidence records them when it is made, so no later stage looks at a path to guess.

use serde::Deserialize;

/// A language we parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// Python (`.py`, `.pyi`).
    Python,
    /// JavaScript (`.js`, `.jsx`, `.mjs`, `.cjs`).
    JavaScript,
    /// TypeScript (`.ts`, `.mts`, `.cts`).
    TypeScript,
    /// TSX (`.tsx`).
    Tsx,
    /// Go (`.go`).
    Go,
    /// Java (`.java`).
    Java,
    /// Kotlin (`.kt`, `.kts`).
    Kotlin,
    /// C# (`.cs`).
    CSharp,
    /// Rust (`.rs`).
    Rust,
    /// Ruby (`.rb`, `.rake`, `.gemspec`, `.ru`, `Gemfile`, `Rakefile`).
    Ruby,
    /// PHP (`.php`).
    Php,
}

const LANGS: [Lang; 11] = [
    Lang::Python,
    Lang::JavaScript,
    Lang::TypeScript,
    Lang::Tsx,
    Lang::Go,
    Lang::Java,
    Lang::Kotlin,
    Lang::CSharp,
    Lang::Rust,
    Lang::Ruby,
    Lang::Php,
];

impl Lang {
    /// The family whose import patterns apply.
    pub fn family(self) -> LangFamily {
        match self {
            Lang::Python => LangFamily::Python,
            Lang::JavaScript | Lang::TypeScript | Lang::Tsx => LangFamily::JavaScript,
            Lang::Go => LangFamily::Go,
            Lang::Java | Lang::Kotlin => LangFamily::Java,
            Lang::CSharp => LangFamily::CSharp,
            Lang::Rust => LangFamily::Rust,
            Lang::Ruby => LangFamily::Ruby,
            Lang::Php => LangFamily::Php,
        }
    }

    /// Whether calls and string literals are extracted for this language (not only
    /// imports).
    pub fn has_facts(self) -> bool {
        matches!(
            self,
            Lang::Python | Lang::JavaScript | Lang::TypeScript | Lang::Tsx | Lang::Ruby | Lang::Php
        )
    }

    /// Name shown in inventories.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Python => "python",
            Lang::JavaScript => "javascript",
            Lang::TypeScript | Lang::Tsx => "typescript",
            Lang::Go => "go",
            Lang::Java => "java",
            Lang::Kotlin => "kotlin",
            Lang::CSharp => "csharp",
            Lang::Rust => "rust",
            Lang::Ruby => "ruby",
            Lang::Php => "php",
        }
    }

    /// How many languages there are.
    pub const COUNT: usize = LANGS.len();

    /// Every language, in registry order.
    pub fn all() -> &'static [Lang] {
        &LANGS
    }

    /// Its position in [`Lang::all`].
    pub fn index(self) -> usize {
        LANGS.iter().position(|&l| l == self).unwrap_or(0)
    }
}

/// The language families an import or call pattern targets (keys of a rule's
/// `match.imports` and `match.calls`): languages that name modules the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LangFamily {
    /// Python (and notebook code cells).
    Python,
    /// JavaScript, TypeScript, TSX.
    JavaScript,
    /// Go import paths.
    Go,
    /// Java and Kotlin imports (JVM package names).
    Java,
    /// C# `using` namespaces.
    CSharp,
    /// Rust `use` paths and `extern crate`.
    Rust,
    /// Ruby: `require` paths for imports, constant paths (`OpenAI::Client`) for calls.
    Ruby,
    /// PHP namespaces (`use LLPhant\Chat\OpenAIChat;`).
    Php,
}

impl LangFamily {
    /// The separator between a name and its members in a qualified name (a call's
    /// callee, `OpenAI::Client`), and between a module and its submodules in an
    /// import unless [`LangFamily::import_separator`] says otherwise.
    pub fn separator(self) -> &'static str {
        match self {
            LangFamily::Python | LangFamily::Java | LangFamily::CSharp => ".",
            LangFamily::JavaScript | LangFamily::Go => "/",
            LangFamily::Rust | LangFamily::Ruby => "::",
            LangFamily::Php => "\\",
        }
    }

    /// The separator between a module and its submodules in an import. Only Ruby's
    /// differ from its qualified names: `require "omniai/openai"` names a file path of
    /// a gem, while its code names the constant `OmniAI::OpenAI`.
    pub fn import_separator(self) -> &'static str {
        match self {
            LangFamily::Ruby => "/",
            other => other.separator(),
        }
    }
}

/// The package ecosystems (keys of a rule's `match.packages`): whose names a manifest
/// or lockfile declares, and how they compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    /// PyPI (names compared after PEP 503 normalisation).
    Pypi,
    /// npm.
    Npm,
    /// Go modules (module paths).
    Go,
    /// Maven (`group:artifact`), for Maven and Gradle builds.
    Maven,
    /// NuGet (case-insensitive).
    Nuget,
    /// crates.io (`-` and `_` are the same).
    Cargo,
    /// RubyGems (case-insensitive).
    Rubygems,
    /// Packagist, for Composer (`vendor/name`, case-insensitive).
    Composer,
}

/// The part a file plays for the inventory, besides its language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileRole {
    /// Code, manifests and everything else.
    #[default]
    Code,
    /// Infrastructure and CI: Terraform, CloudFormation, Kubernetes, Helm, compose,
    /// Dockerfiles, AI gateway configuration, CI pipelines.
    Infrastructure,
    /// The configuration file of an AI assistant or editor that lists MCP servers.
    McpClientConfig,
}

/// What the classifier said about the file a piece of evidence was found in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileClass {
    /// The language of its code, or the one its manifest implies (`pyproject.toml`:
    /// Python, `pom.xml`: Java); `None` for configuration, prose, and manifests shared
    /// by several languages (`package.json`, Gradle builds).
    pub language: Option<Lang>,
    /// The language a unit is assumed to be in when nothing else of it names one:
    /// JavaScript for a `package.json`, which does not say JavaScript or TypeScript.
    pub fallback_language: Option<Lang>,
    /// The ecosystem of the packages it declares: a manifest's or lockfile's, PyPI for a
    /// notebook's `pip install` lines.
    pub ecosystem: Option<Ecosystem>,
    /// Its role for the inventory.
    pub role: FileRole,
}
