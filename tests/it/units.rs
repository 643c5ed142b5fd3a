//! Units as people draw them (issue 12): which folders are agents, which are listed as
//! not agents and why, and where the AI of a repository's shared parts goes. Each test
//! writes a small tree shaped like a real repository's and scans it through the library.

use crate::common;
use crate::common::Scan;

use std::fs;
use std::path::Path;

use aiscout::inventory::{Inventory, NotAgent};

fn write(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
}

fn scan(files: &[(&str, &str)]) -> Inventory {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), files);
    Scan::of(&[t.path().to_str().unwrap()]).run()
}

fn agents(inv: &Inventory) -> Vec<&str> {
    inv.units.iter().map(|u| u.path.as_str()).collect()
}

fn not_agents(inv: &Inventory) -> Vec<(&str, NotAgent)> {
    inv.not_agents
        .iter()
        .map(|u| (u.path.as_str(), u.not_agent.unwrap()))
        .collect()
}

const OPENAI: &str = "from openai import OpenAI\nclient = OpenAI()\n";

#[test]
fn each_sample_of_a_collection_is_a_unit() {
    let inv = scan(&[
        ("pyproject.toml", "[project]\nname = \"cookbook\"\n"),
        ("examples/support_bot/bot.py", OPENAI),
        ("examples/support_bot/tests/test_bot.py", OPENAI),
        ("examples/rag/app/server.py", OPENAI),
        ("examples/rag/frontend/chat.py", OPENAI),
    ]);
    assert_eq!(agents(&inv), ["examples/rag", "examples/support_bot"]);
}

#[test]
fn a_hidden_folder_of_copies_is_not_an_agent_but_client_configs_are_units() {
    let inv = scan(&[
        ("agent.py", OPENAI),
        ("requirements.txt", "openai\n"),
        (".version-backups/0.9/agent.py", OPENAI),
        (
            ".claude/mcp.json",
            r#"{"mcpServers": {"docs": {"command": "npx", "args": ["docs-mcp"]}}}"#,
        ),
        (
            "opencode.json",
            r#"{"mcp": {"github": {"type": "local", "command": ["node", "gh.mjs"]}}}"#,
        ),
    ]);
    assert_eq!(agents(&inv), [".", ".claude", "opencode.json"]);
    assert_eq!(not_agents(&inv), [(".version-backups", NotAgent::Hidden)]);
}

#[test]
fn tests_at_a_bare_root_belong_to_the_one_agent_they_serve() {
    let inv = scan(&[
        ("service/requirements.txt", "openai\n"),
        ("service/agent.py", OPENAI),
        ("tests/test_agent.py", OPENAI),
    ]);
    assert_eq!(agents(&inv), ["service"]);
    assert!(inv.not_agents.is_empty());
    let service = &inv.units[0];
    assert!(service
        .evidence
        .iter()
        .any(|e| e.path == "tests/test_agent.py"));
}

#[test]
fn tests_at_a_bare_root_serving_several_agents_are_shared() {
    let inv = scan(&[
        ("billing/requirements.txt", "openai\n"),
        ("billing/agent.py", OPENAI),
        ("triage/requirements.txt", "openai\n"),
        ("triage/agent.py", OPENAI),
        ("tests/test_both.py", OPENAI),
    ]);
    assert_eq!(agents(&inv), ["billing", "triage"]);
    assert_eq!(not_agents(&inv), [(".", NotAgent::Shared)]);
}

/// An integration-test folder serves the repository as `tests/` does, under a root
/// manifest that only aggregates the samples (a Maven parent).
#[test]
fn an_integration_testing_folder_at_a_root_serving_several_agents_is_shared() {
    let inv = scan(&[
        (
            "pom.xml",
            "<project><modules><module>billing</module></modules></project>",
        ),
        ("billing/requirements.txt", "openai\n"),
        ("billing/agent.py", OPENAI),
        ("triage/requirements.txt", "openai\n"),
        ("triage/agent.py", OPENAI),
        (
            "integration-testing/scripts/run_all.py",
            "import os\nos.environ[\"OPENAI_API_KEY\"]\nfrom openai import OpenAI\n",
        ),
    ]);
    assert_eq!(agents(&inv), ["billing", "triage"]);
    assert_eq!(not_agents(&inv), [(".", NotAgent::Shared)]);
}

#[test]
fn a_script_at_a_bare_root_is_the_roots_own_agent() {
    let inv = scan(&[
        ("billing/requirements.txt", "openai\n"),
        ("billing/agent.py", OPENAI),
        ("scripts/compare_models.py", OPENAI),
    ]);
    assert_eq!(agents(&inv), [".", "billing"]);
}

#[test]
fn a_script_folder_with_its_own_manifest_and_nothing_above_is_a_unit() {
    let inv = scan(&[
        ("script/go.mod", "module example.com/notify\n\nrequire github.com/sashabaranov/go-openai v1.20.0\n"),
        (
            "script/main.go",
            "package main\n\nimport openai \"github.com/sashabaranov/go-openai\"\n\nfunc main() { _ = openai.NewClient(\"\") }\n",
        ),
        ("tofu/main.tf", "resource \"github_actions_secret\" \"k\" {}\n"),
    ]);
    assert_eq!(agents(&inv), ["script"]);
}

#[test]
fn keys_alone_attach_to_the_agent_above_them() {
    let key = format!("OPENAI_API_KEY={}\n", common::fake_key());
    let inv = scan(&[
        ("requirements.txt", "openai\n"),
        ("app.py", OPENAI),
        ("config/dev/settings.env", &key),
    ]);
    assert_eq!(agents(&inv), ["."]);
    assert!(inv.not_agents.is_empty(), "{:?}", not_agents(&inv));
    assert_eq!(inv.units[0].secrets.len(), 1);
}

#[test]
fn a_front_end_of_ai_client_hooks_is_not_an_agent() {
    let inv = scan(&[
        ("web/package.json", r#"{"dependencies": {"@ai-sdk/react": "1.0.0"}}"#),
        (
            "web/app/chat.tsx",
            "import { useChat } from '@ai-sdk/react';\nexport function Chat() { return useChat(); }\n",
        ),
        ("api/requirements.txt", "openai\n"),
        ("api/main.py", OPENAI),
    ]);
    assert_eq!(agents(&inv), ["api"]);
    assert_eq!(not_agents(&inv), [("web", NotAgent::Frontend)]);
}

const REVIEW: &str = r#"name: review
on: [pull_request]
permissions:
  contents: read
jobs:
  review:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      pull-requests: write
      id-token: none
    steps:
      - uses: actions/checkout@v4
      - uses: anthropics/claude-code-action@v1
        with:
          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}
          github_token: ${{ secrets.GITHUB_TOKEN }}
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: openai/codex-action@main
        env:
          OPENAI_API_KEY: ${{ secrets.OPENAI_KEY }}
"#;

#[test]
fn an_ai_action_in_a_workflow_is_ai_in_ci_with_its_grants_not_a_unit() {
    let inv = scan(&[
        ("src/app.py", "print('hello')\n"),
        ("requirements.txt", "flask\n"),
        (".github/workflows/review.yml", REVIEW),
    ]);
    assert!(inv.units.is_empty(), "{:?}", agents(&inv));
    assert!(inv.not_agents.is_empty(), "{:?}", not_agents(&inv));
    let ci: Vec<(&str, &str)> = inv
        .ai_in_ci
        .iter()
        .map(|c| (c.path.as_str(), c.action.as_str()))
        .collect();
    assert_eq!(
        ci,
        [
            (".github/workflows/review.yml", "claude-code"),
            (".github/workflows/review.yml", "codex"),
        ]
    );
    let claude = &inv.ai_in_ci[0];
    assert_eq!(claude.uses, ["anthropics/claude-code-action@v1"]);
    // The job's own grants replace the workflow's; `none` grants nothing.
    assert_eq!(
        claude.permissions,
        [
            "permissions.contents: write",
            "permissions.pull-requests: write"
        ]
    );
    // The job's token is GitHub's own, not a secret the repository handed out.
    assert_eq!(claude.secrets, ["ANTHROPIC_API_KEY"]);
    let codex = &inv.ai_in_ci[1];
    // A job with no permissions of its own gets the workflow's.
    assert_eq!(codex.permissions, ["permissions.contents: read"]);
    assert_eq!(codex.secrets, ["OPENAI_KEY"]);
}

#[test]
fn a_key_written_into_a_workflow_stays_a_finding_of_the_repository() {
    // A body with a key's entropy, made here so no key sits in the source.
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut x: u32 = 12345;
    let body: String = (0..93)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            ALPHABET[(x >> 16) as usize % ALPHABET.len()] as char
        })
        .collect();
    let key = format!("sk-ant-api03-{body}AA");
    let workflow = REVIEW.replace("${{ secrets.ANTHROPIC_API_KEY }}", &key);
    let inv = scan(&[
        (
            "agent.py",
            "import anthropic\nclient = anthropic.Anthropic()\n",
        ),
        ("requirements.txt", "anthropic\n"),
        (".github/workflows/review.yml", &workflow),
    ]);
    assert_eq!(inv.ai_in_ci.len(), 2);
    assert_eq!(agents(&inv), ["."]);
    let keys: Vec<&str> = inv.units[0]
        .secrets
        .iter()
        .map(|k| k.path.as_str())
        .collect();
    assert_eq!(keys, [".github/workflows/review.yml"]);
    assert!(inv.ai_in_ci.iter().all(|c| c
        .evidence
        .iter()
        .all(|e| e.kind != aiscout::model::Kind::Secret)));
}

/// A unit that names no provider reaches the one of its configured model, else its
/// framework's default; a provider the code names wins over both.
#[test]
fn a_unit_without_a_provider_of_its_own_reaches_its_models_or_frameworks_default() {
    let crew =
        "from crewai import Agent, Crew\nresearcher = Agent(role='r', goal='g', backstory='b')\n";
    let inv = scan(&[
        ("crew/pyproject.toml", "[project]\nname = \"crew\"\n"),
        ("crew/src/crew.py", crew),
        ("gemini/pyproject.toml", "[project]\nname = \"gemini\"\n"),
        (
            "gemini/agent.py",
            "from crewai import Agent\nAgent(role='r', goal='g', backstory='b', llm='gemini-2.0-flash')\n",
        ),
        ("named/pyproject.toml", "[project]\nname = \"named\"\n"),
        (
            "named/agent.py",
            "from crewai import Agent\nfrom anthropic import Anthropic\nclient = Anthropic()\n",
        ),
    ]);
    let providers = |p: &str| {
        inv.units
            .iter()
            .find(|u| u.path == p)
            .map(|u| u.providers.clone())
            .unwrap_or_else(|| panic!("no unit {p} in {:?}", agents(&inv)))
    };
    assert_eq!(providers("crew"), ["openai"]);
    assert_eq!(providers("gemini"), ["google-gemini"]);
    assert_eq!(providers("named"), ["anthropic"]);
}

/// A virtualenv or `node_modules` inside the tree (scanned with `--no-ignore`, or
/// committed) holds the libraries' own code: LangSmith's tracing, LangChain's loop
/// limits and evaluators are theirs, not the project's. Only a key left there counts.
#[test]
fn vendored_code_is_read_for_keys_only() {
    let key = common::fake_key();
    let inv = scan(&[
        ("app.py", OPENAI),
        ("requirements.txt", "openai\n"),
        (
            ".venv/lib/python3.11/site-packages/langsmith/run_helpers.py",
            "from langsmith import Client\nfrom langsmith.run_helpers import traceable\n\n@traceable\ndef f():\n    return Client()\n",
        ),
        (
            ".venv/lib/python3.11/site-packages/langchain/agents/executor.py",
            "from langchain_openai import ChatOpenAI\nllm = ChatOpenAI(model=\"gpt-4o\")\nmax_iterations = 15\n",
        ),
        (
            "node_modules/leaky/config.js",
            &format!("module.exports = {{ apiKey: \"{key}\" }};\n"),
        ),
    ]);
    assert_eq!(agents(&inv), ["."]);
    let root = &inv.units[0];
    assert!(!root.monitoring.present, "{:?}", root.monitoring);
    assert!(!root.containment.present, "{:?}", root.containment);
    assert!(!root.frameworks.contains(&"langchain".to_string()));
    // The key is the repository's leak, kept with the unit around it.
    let keys: Vec<&str> = root.secrets.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(keys, ["node_modules/leaky/config.js"]);
    let vendored: Vec<_> = inv
        .units
        .iter()
        .chain(&inv.not_agents)
        .flat_map(|u| &u.evidence)
        .filter(|e| e.path.starts_with(".venv") || e.path.starts_with("node_modules"))
        .map(|e| e.kind)
        .collect();
    assert!(
        vendored.iter().all(|k| *k == aiscout::model::Kind::Secret),
        "{vendored:?}"
    );
}

/// A key as a folder's name is found, and every file under it shows the folder
/// redacted — however many files share the folder (its name is judged once per
/// folder, not once per file) and however deep they lie.
#[test]
fn a_key_as_a_folder_name_is_redacted_in_every_file_under_it() {
    let key = common::fake_key();
    let inv = scan(&[
        ("app.py", OPENAI),
        (&format!("keys/{key}/a.py"), OPENAI),
        (&format!("keys/{key}/b.py"), OPENAI),
        (&format!("keys/{key}/deep/c.py"), OPENAI),
        ("index.crates.io-1949cf8c6b5b557f/d.py", OPENAI),
    ]);
    let json = common::json(&inv);
    assert!(!json.contains(&key[8..40]), "the key leaked");
    let paths: Vec<&str> = inv
        .units
        .iter()
        .chain(&inv.not_agents)
        .flat_map(|u| &u.evidence)
        .map(|e| e.path.as_str())
        .filter(|p| p.starts_with("keys/"))
        .collect();
    assert!(paths.len() >= 3, "{paths:?}");
    let secrets: usize = inv.units.iter().map(|u| u.secrets.len()).sum();
    assert!(secrets >= 1);
}

/// A Backstage template's `skeleton` and a cookiecutter folder are what others generate
/// projects from: listed as templates, not agents; the real agent beside them stays.
#[test]
fn a_project_template_is_not_an_agent() {
    let inv = scan(&[
        ("agent/requirements.txt", "openai\n"),
        ("agent/main.py", OPENAI),
        (
            "templates/ai-assistant/template.yaml",
            "kind: Template\nspec:\n  steps:\n    - action: fetch:template\n      input: {url: ./skeleton}\n",
        ),
        ("templates/ai-assistant/skeleton/requirements.txt", "openai\n"),
        ("templates/ai-assistant/skeleton/app.py", OPENAI),
        ("{{cookiecutter.project_slug}}/requirements.txt", "openai\n"),
        ("{{cookiecutter.project_slug}}/bot.py", OPENAI),
    ]);
    assert_eq!(agents(&inv), ["agent"]);
    assert_eq!(
        not_agents(&inv),
        [
            ("templates/ai-assistant/skeleton", NotAgent::Template),
            ("{{cookiecutter.project_slug}}", NotAgent::Template),
        ]
    );
}

/// A workspace root whose lockfile pins its members' AI packages, with only an example
/// `.env` and a workflow of its own, serves its members: shared, not an agent. A root
/// manifest that declares the package itself still makes the root a project.
#[test]
fn a_workspace_roots_lockfile_does_not_make_it_an_agent() {
    let members = [
        (
            "pyproject.toml",
            "[project]\nname = \"forge\"\n[tool.uv.workspace]\nmembers = [\"apps/*\"]\n",
        ),
        (
            "uv.lock",
            "[[package]]\nname = \"openai\"\nversion = \"1.40.0\"\n",
        ),
        (
            ".env.example",
            "OPENAI_API_KEY=\nOPENAI_MODEL=gpt-4o-mini\n",
        ),
        (
            "apps/api/pyproject.toml",
            "[project]\nname = \"api\"\ndependencies = [\"openai\"]\n",
        ),
        ("apps/api/main.py", OPENAI),
        (
            "apps/worker/pyproject.toml",
            "[project]\nname = \"worker\"\ndependencies = [\"openai\"]\n",
        ),
        ("apps/worker/run.py", OPENAI),
    ];
    let inv = scan(&members);
    assert_eq!(agents(&inv), ["apps/api", "apps/worker"]);
    assert_eq!(not_agents(&inv), [(".", NotAgent::Shared)]);

    let mut declared = members.to_vec();
    declared[0] = (
        "pyproject.toml",
        "[project]\nname = \"forge\"\ndependencies = [\"openai\"]\n",
    );
    let inv = scan(&declared);
    assert_eq!(agents(&inv), [".", "apps/api", "apps/worker"]);
}

/// A price list names every vendor's model routes (in one JSON file, or one YAML per
/// vendor) and a test names the routes it expects back: neither calls a model. The
/// script beside them that does call one is the unit.
#[test]
fn model_route_tables_and_tests_naming_routes_are_not_agents() {
    let routes: String = [
        "openai/gpt-4o",
        "anthropic/claude-3-5-sonnet",
        "mistral/mistral-large",
        "deepseek/deepseek-chat",
        "xai/grok-2",
    ]
    .iter()
    .map(|r| format!("{{\"id\": \"{r}\", \"input\": 1.0}}"))
    .collect::<Vec<_>>()
    .join(", ");
    let inv = scan(&[
        ("prices/data.json", &format!("[{routes}]")),
        ("prices/providers/deepseek.yml", "models:\n  - id: deepseek/deepseek-chat\n  - id: deepseek/deepseek-reasoner\n"),
        ("prices/providers/mistral.yml", "models:\n  - id: mistral/mistral-large\n"),
        ("packages/js/package.json", r#"{"name": "prices"}"#),
        ("packages/js/src/index.ts", "export function price(id: string) { return 0; }\n"),
        (
            "packages/js/src/__tests__/price.test.ts",
            "import { price } from '../index';\ntest('route', () => { expect(price('openai/gpt-4o')).toBe(0); });\n",
        ),
        ("refresh/requirements.txt", "openai\n"),
        ("refresh/update.py", OPENAI),
    ]);
    assert_eq!(agents(&inv), ["refresh"]);
    let listed = not_agents(&inv);
    // `prices/` has no manifest of its own: the root holds it.
    assert!(listed.contains(&(".", NotAgent::ModelTable)), "{listed:?}");
    assert!(
        listed.contains(&("packages/js", NotAgent::ModelTable)),
        "{listed:?}"
    );
}

/// A chat front-end that parses the backend's streamed JSON with LangChain's output
/// parsers calls no model.
#[test]
fn a_front_end_parsing_streamed_output_is_not_an_agent() {
    let inv = scan(&[
        (
            "package.json",
            r#"{"dependencies": {"@langchain/core": "0.3.0", "@langchain/langgraph-sdk": "0.0.50"}}"#,
        ),
        (
            "src/messages.tsx",
            "import { parsePartialJson } from '@langchain/core/output_parsers';\nimport { useStream } from '@langchain/langgraph-sdk/react';\nexport const parse = (s: string) => parsePartialJson(s);\n",
        ),
    ]);
    assert!(agents(&inv).is_empty(), "{:?}", agents(&inv));
    assert_eq!(not_agents(&inv), [(".", NotAgent::Frontend)]);
}

/// Evals at a root that is no agent (`evals/`, beside the one service in `src/backend`)
/// are that service's, as its tests would be; with two services they are neither's.
#[test]
fn root_evals_serve_the_one_agent_of_the_repository() {
    let one = [
        ("pyproject.toml", "[project]\nname = \"rag\"\n"),
        ("src/backend/pyproject.toml", "[project]\nname = \"backend\"\ndependencies = [\"openai\"]\n"),
        ("src/backend/app.py", OPENAI),
        ("evals/requirements.txt", "azure-ai-evaluation\n"),
        (
            "evals/evaluate.py",
            "from azure.ai.evaluation import evaluate, GroundednessEvaluator\n\nresult = evaluate(data=\"ground_truth.jsonl\", evaluators={\"g\": GroundednessEvaluator(model_config)})\n",
        ),
    ];
    let inv = scan(&one);
    assert_eq!(agents(&inv), ["src/backend"]);
    assert!(inv.units[0].evals.present, "{:#?}", inv.units[0].evals);
    assert!(inv.units[0]
        .evals
        .evidence
        .iter()
        .any(|e| e.path.starts_with("evals/")));

    let mut two = one.to_vec();
    two.push((
        "src/worker/pyproject.toml",
        "[project]\nname = \"worker\"\ndependencies = [\"openai\"]\n",
    ));
    two.push(("src/worker/run.py", OPENAI));
    let inv = scan(&two);
    assert_eq!(agents(&inv), ["src/backend", "src/worker"]);
    assert!(inv.units.iter().all(|u| !u.evals.present));
}

/// A front-end whose only AI is the model id its chat hook or picker sends to its own
/// backend is a front-end; the backend that calls the model is the unit.
#[test]
fn a_model_picker_in_ui_code_is_a_front_end() {
    let inv = scan(&[
        ("plugins/chat/package.json", r#"{"name": "chat", "dependencies": {"react": "18.3.1"}}"#),
        (
            "plugins/chat/src/components/ChatPage/useChat.ts",
            "export function useChat() {\n  return fetch('/api/chat', { method: 'POST', body: JSON.stringify({ model: 'claude-sonnet-4-5' }) });\n}\n",
        ),
        (
            "plugins/chat/src/Picker.tsx",
            "export const MODELS = ['gpt-4o-mini'];\n",
        ),
        ("plugins/chat-backend/package.json", r#"{"name": "chat-backend", "dependencies": {"@anthropic-ai/sdk": "0.39.0"}}"#),
        (
            "plugins/chat-backend/src/router.ts",
            "import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic();\nexport const reply = (m: string) => client.messages.create({ model: m, max_tokens: 512, messages: [] });\n",
        ),
    ]);
    assert_eq!(agents(&inv), ["plugins/chat-backend"]);
    assert_eq!(not_agents(&inv), [("plugins/chat", NotAgent::Frontend)]);
}

/// Issue 12's generated organisation: Helicone through a base URL is monitoring in
/// every language, not only where calls and strings are parsed (Python, JS): Java, Go,
/// Rust and C# string literals are read for endpoints. A URL in a comment is not one.
#[test]
fn a_monitoring_proxy_base_url_counts_in_every_language() {
    const URL: &str = "https://oai.helicone.ai/v1";
    let inv = scan(&[
        (
            "java/pom.xml",
            "<project><dependencies><dependency><groupId>com.openai</groupId><artifactId>openai-java</artifactId></dependency></dependencies></project>",
        ),
        (
            "java/src/main/java/App.java",
            &format!("import com.openai.client.okhttp.OpenAIOkHttpClient;\nclass App {{ Object c = OpenAIOkHttpClient.builder().baseUrl(\"{URL}\").build(); }}\n"),
        ),
        ("go/go.mod", "module example.com/bot\nrequire github.com/sashabaranov/go-openai v1.20.0\n"),
        (
            "go/main.go",
            &format!("package main\nimport openai \"github.com/sashabaranov/go-openai\"\nfunc main() {{ cfg := openai.DefaultConfig(\"k\"); cfg.BaseURL = `{URL}`; _ = openai.NewClientWithConfig(cfg) }}\n"),
        ),
        ("rust/Cargo.toml", "[package]\nname = \"bot\"\n[dependencies]\nasync-openai = \"0.20\"\n"),
        (
            "rust/src/main.rs",
            &format!("use async_openai::{{config::OpenAIConfig, Client}};\nfn main() {{ let _c = Client::with_config(OpenAIConfig::new().with_api_base(\"{URL}\")); }}\n"),
        ),
        ("cs/Bot.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><PackageReference Include=\"OpenAI\" Version=\"2.0.0\" /></ItemGroup></Project>"),
        (
            "cs/Program.cs",
            &format!("using OpenAI;\nvar client = new OpenAIClient(cred, new OpenAIClientOptions {{ Endpoint = new Uri(\"{URL}\") }});\n"),
        ),
        ("kt/build.gradle.kts", "dependencies { implementation(\"com.openai:openai-java:2.0.0\") }\n"),
        (
            "kt/src/main/kotlin/Bot.kt",
            &format!("import com.openai.client.okhttp.OpenAIOkHttpClient\n// TODO route through {URL} later\nval client = OpenAIOkHttpClient.builder().build()\n"),
        ),
    ]);
    let monitored: Vec<(&str, bool)> = inv
        .units
        .iter()
        .map(|u| (u.path.as_str(), u.monitoring.present))
        .collect();
    assert_eq!(
        monitored,
        [
            ("cs", true),
            ("go", true),
            ("java", true),
            ("kt", false),
            ("rust", true)
        ]
    );
}

/// CODEOWNERS is asked about the agent's own code, not the file that sorts first: a
/// workflow under `/.github/ @acme/devops` does not make the pipeline team the owner
/// of the agent that `* @acme/ai-team` owns.
#[test]
fn codeowners_are_asked_about_the_agents_code_not_its_workflow() {
    let inv = scan(&[
        (".github/CODEOWNERS", "* @acme/ai-team\n/.github/ @acme/devops\n"),
        (
            ".github/workflows/ci.yml",
            "name: ci\non: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    env:\n      OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}\n    steps:\n      - run: pytest\n",
        ),
        ("app/main.py", OPENAI),
    ]);
    assert_eq!(agents(&inv), ["."]);
    let owner = inv.units[0].owner.as_ref().expect("an owner");
    assert_eq!(
        (owner.value.as_str(), owner.source.as_str()),
        ("@acme/ai-team", "codeowners")
    );
}

/// Package authors are an owner hint in every ecosystem the units come from, not only
/// npm and Python: Cargo, Maven, .NET, npm maintainers (never a named owner).
#[test]
fn package_authors_hint_at_owners_in_every_ecosystem() {
    let inv = scan(&[
        ("rs/Cargo.toml", "[package]\nname = \"d\"\nauthors = [\"Di Roe <di@acme.io>\"]\n[dependencies]\nasync-openai = \"0.20\"\n"),
        ("rs/src/main.rs", "use async_openai::Client;\nfn main() { let _c = Client::new(); }\n"),
        (
            "jv/pom.xml",
            "<project><developers><developer><name>Ed Poe</name></developer></developers><dependencies><dependency><groupId>dev.langchain4j</groupId><artifactId>langchain4j-open-ai</artifactId></dependency></dependencies></project>",
        ),
        (
            "cs/Bot.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><Authors>Fay Moe</Authors></PropertyGroup><ItemGroup><PackageReference Include=\"OpenAI\" Version=\"2.0.0\" /></ItemGroup></Project>",
        ),
        (
            "js/package.json",
            r#"{"name": "g", "maintainers": [{"name": "Gus Ray"}], "dependencies": {"openai": "^4"}}"#,
        ),
        ("js/index.js", "import OpenAI from 'openai';\nconst c = new OpenAI();\n"),
    ]);
    let hints: Vec<(&str, Option<&str>, bool)> = inv
        .units
        .iter()
        .map(|u| {
            (
                u.path.as_str(),
                u.owner_hint.as_ref().map(|o| o.value.as_str()),
                u.owner.is_none(),
            )
        })
        .collect();
    assert_eq!(
        hints,
        [
            ("cs", Some("Fay Moe"), true),
            ("js", Some("Gus Ray"), true),
            ("jv", Some("Ed Poe"), true),
            ("rs", Some("Di Roe <di@acme.io>"), true),
        ]
    );
}

/// A proxy written from scratch (no SDK: a table of provider base URLs it forwards to)
/// is a gateway; an app that reaches as many providers through their SDKs is an agent.
#[test]
fn a_router_of_provider_base_urls_without_sdks_is_a_gateway() {
    const ROUTES: &str = r#"export const PROVIDERS = {
  openai: { baseURL: "https://api.openai.com/v1" },
  anthropic: { baseURL: "https://api.anthropic.com/v1" },
  groq: { baseURL: "https://api.groq.com/openai/v1" },
  mistral: { baseURL: "https://api.mistral.ai/v1" },
};
export async function forward(provider: string, req: Request) {
  return fetch(PROVIDERS[provider].baseURL + new URL(req.url).pathname, req);
}
"#;
    let inv = scan(&[
        ("proxy/package.json", r#"{"name": "proxy"}"#),
        ("proxy/src/routes.ts", ROUTES),
        // Its integration tests call it the way its users do, through a client SDK.
        (
            "proxy/tests/integration/chat.test.ts",
            "import Portkey from \"portkey-ai\";\nconst client = new Portkey({ baseURL: \"http://localhost:8787/v1\" });\n",
        ),
        ("app/package.json", r#"{"name": "app"}"#),
        ("app/src/routes.ts", ROUTES),
        (
            "app/src/chat.ts",
            "import OpenAI from \"openai\";\nconst client = new OpenAI();\n",
        ),
    ]);
    assert_eq!(agents(&inv), ["app"]);
    assert_eq!(not_agents(&inv), [("proxy", NotAgent::Gateway)]);
}

const SK: &str = "using Microsoft.SemanticKernel;\nvar kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion(\"gpt-4o\", key).Build();\n";
const SK_PROJECT: &str = r#"<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Microsoft.SemanticKernel" Version="1.0.0" /></ItemGroup></Project>"#;

/// A .NET solution of one application and its libraries is one unit at the solution's
/// folder; with two applications, each is a unit and the libraries go to the solution;
/// a solution of test projects alone keeps each project.
#[test]
fn a_dotnet_solution_is_drawn_as_its_applications() {
    let inv = scan(&[
        // One application (Program.cs) and two libraries.
        ("eval/Eval.sln", ""),
        ("eval/Eval.App/Eval.App.csproj", SK_PROJECT),
        ("eval/Eval.App/Program.cs", SK),
        ("eval/Eval.Core/Eval.Core.csproj", SK_PROJECT),
        ("eval/Eval.Core/Judge.cs", SK),
        ("eval/Eval.Data/Eval.Data.csproj", SK_PROJECT),
        ("eval/Eval.Data/Store.cs", SK),
        // Two applications and a library.
        ("chat/Chat.sln", ""),
        ("chat/Console/Console.csproj", SK_PROJECT),
        ("chat/Console/Program.cs", SK),
        ("chat/Web/Web.csproj", SK_PROJECT),
        ("chat/Web/Program.cs", SK),
        ("chat/Shared/Shared.csproj", SK_PROJECT),
        ("chat/Shared/Prompts.cs", SK),
        // Test projects alone: no application.
        ("tests/Tests.sln", ""),
        ("tests/Evaluation/Evaluation.csproj", SK_PROJECT),
        ("tests/Evaluation/Examples.cs", SK),
        ("tests/Reporting/Reporting.csproj", SK_PROJECT),
        ("tests/Reporting/Examples.cs", SK),
        // An evals project under a solution file alone is a project of its own, not a
        // part of the solution's folder.
        ("api/Examples.sln", ""),
        ("api/evaluation/Evaluation.csproj", SK_PROJECT),
        ("api/evaluation/Examples.cs", SK),
        ("api/reporting/Reporting.csproj", SK_PROJECT),
        ("api/reporting/Examples.cs", SK),
    ]);
    assert_eq!(
        agents(&inv),
        [
            "api/evaluation",
            "api/reporting",
            "chat",
            "chat/Console",
            "chat/Web",
            "eval",
            "tests/Evaluation",
            "tests/Reporting"
        ]
    );
}

/// An SDK's monorepo: the SDK's own source declares its package, and its sibling
/// packages (a CLI, an evals library) reach into the SDK's private modules. Both are
/// the SDK, not agents; the examples that use its public API are.
#[test]
fn packages_reaching_into_an_sdks_private_modules_are_that_sdk() {
    let inv = scan(&[
        (
            "pydantic_ai_slim/pyproject.toml",
            "[project]\nname = \"pydantic-ai-slim\"\n",
        ),
        (
            "pydantic_ai_slim/pydantic_ai/agent.py",
            "from openai import AsyncOpenAI\n",
        ),
        ("clai/pyproject.toml", "[project]\nname = \"clai\"\n"),
        (
            "clai/clai/__main__.py",
            "from pydantic_ai._cli import cli_exit\n\ncli_exit('clai')\n",
        ),
        (
            "examples/pyproject.toml",
            "[project]\nname = \"examples\"\n",
        ),
        (
            "examples/bank.py",
            "from pydantic_ai import Agent\n\nagent = Agent('openai:gpt-4o')\n",
        ),
    ]);
    assert_eq!(agents(&inv), ["examples"]);
    assert_eq!(
        not_agents(&inv),
        [
            ("clai", NotAgent::SdkSource),
            ("pydantic_ai_slim", NotAgent::SdkSource)
        ]
    );
}

/// A notebook of `%pip install` and key cells sets up an agent that is not there; the
/// notebook beside it that builds the crew is one.
#[test]
fn a_notebook_that_only_installs_and_sets_keys_is_not_an_agent() {
    let cell = |src: &str| {
        format!(
            "{{\"cells\":[{{\"cell_type\":\"code\",\"metadata\":{{}},\"source\":[{}]}}],\"metadata\":{{}},\"nbformat\":4,\"nbformat_minor\":5}}",
            serde_json::to_string(src).unwrap()
        )
    };
    let setup = cell(
        "%pip install crewai crewai-tools\nimport os\nos.environ['OPENAI_API_KEY'] = getpass()\n",
    );
    let crew = cell(
        "from crewai import Agent, Crew\nwriter = Agent(role='writer', goal='g', backstory='b')\n",
    );
    let inv = scan(&[
        ("notebooks/Landing Page/landing.ipynb", &setup),
        ("notebooks/QA Crew/qa.ipynb", &crew),
    ]);
    assert_eq!(agents(&inv), ["notebooks/QA Crew"]);
    // The setup notebook is no project folder (no AI code), so it falls to the root.
    assert_eq!(not_agents(&inv), [(".", NotAgent::SetupOnly)]);
}

/// Mastra and Genkit call only a model named in code: a workflow project with neither a
/// provider nor a model calls none. A project that names its provider, or serves MCP
/// tools, is a unit.
#[test]
fn framework_workflows_with_no_model_are_not_agents() {
    let inv = scan(&[
        (
            "workflows/package.json",
            "{\"name\":\"wf\",\"dependencies\":{\"@mastra/core\":\"1.0.0\"}}",
        ),
        (
            "workflows/src/mastra/index.ts",
            "import { Mastra } from \"@mastra/core/mastra\";\nimport { createWorkflow } from \"@mastra/core/workflows\";\nexport const mastra = new Mastra({});\n",
        ),
        (
            "agent/package.json",
            "{\"name\":\"agent\",\"dependencies\":{\"@mastra/core\":\"1.0.0\",\"@ai-sdk/openai\":\"2.0.0\"}}",
        ),
        (
            "agent/src/agent.ts",
            "import { Agent } from \"@mastra/core/agent\";\nimport { openai } from \"@ai-sdk/openai\";\nexport const a = new Agent({ name: \"a\", model: openai(\"gpt-4o\") });\n",
        ),
        (
            "mcp-server/go.mod",
            "module example.com/fs\n\nrequire github.com/firebase/genkit/go v1.0.0\n",
        ),
        (
            "mcp-server/main.go",
            "package main\n\nimport (\n\t\"github.com/firebase/genkit/go/genkit\"\n\t\"github.com/firebase/genkit/go/plugins/mcp\"\n)\n",
        ),
    ]);
    assert_eq!(agents(&inv), ["agent", "mcp-server"]);
    assert_eq!(not_agents(&inv), [("workflows", NotAgent::NoModel)]);
}

/// A package published for developers (PyPI classifiers, npm `files`) whose own code
/// names no model is a library agents use: a price calculator that counts tokens with a
/// provider's API, its usage examples aside. A published package that names its model,
/// serves MCP tools, or is marked private stays a unit.
#[test]
fn a_published_library_naming_no_model_is_not_an_agent() {
    const CLASSIFIERS: &str =
        "classifiers = [\n    \"License :: OSI Approved :: MIT License\",\n]\n";
    let inv = scan(&[
        (
            "pricer/pyproject.toml",
            &format!("[project]\nname = \"pricer\"\n{CLASSIFIERS}"),
        ),
        (
            "pricer/pricer/costs.py",
            "import anthropic\n\ndef count(text):\n    return anthropic.Anthropic().messages.count_tokens(messages=[text])\n",
        ),
        // Price data it ships names a model or two: data, not its choice.
        (
            "pricer/pricer/prices.json",
            r#"{"rates": [{"model": "gemini-1.5-pro", "input": 1.25}]}"#,
        ),
        (
            "pricer/examples/demo.py",
            "from pricer import cost\n\nprint(cost('hello', model='gpt-4o'))\n",
        ),
        (
            "bot/pyproject.toml",
            &format!("[project]\nname = \"bot\"\n{CLASSIFIERS}"),
        ),
        (
            "bot/bot/main.py",
            "from openai import OpenAI\n\nOpenAI().responses.create(model='gpt-4o-mini', input='hi')\n",
        ),
        (
            "tools-mcp/pyproject.toml",
            &format!("[project]\nname = \"tools-mcp\"\n{CLASSIFIERS}"),
        ),
        (
            "tools-mcp/server.py",
            "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('tools')\n",
        ),
        (
            "svc/pyproject.toml",
            &format!("[project]\nname = \"svc\"\n{CLASSIFIERS}"),
        ),
        (
            "svc/svc/run.py",
            "from openai import OpenAI\n\nclient = OpenAI()\n",
        ),
        // Its model is chosen in its configuration.
        ("svc/config.yaml", "llm:\n  model: gpt-4o-mini\n"),
        (
            "web/package.json",
            r#"{"name": "web", "private": true, "files": ["dist"], "dependencies": {"openai": "4.0.0"}}"#,
        ),
        (
            "web/src/chat.ts",
            "import OpenAI from \"openai\";\nexport const client = new OpenAI();\n",
        ),
        (
            "prices-js/package.json",
            r#"{"name": "@acme/prices", "main": "dist/index.js", "files": ["dist"], "dependencies": {"openai": "4.0.0"}}"#,
        ),
        (
            "prices-js/src/usage.ts",
            "import type { ChatCompletion } from \"openai/resources\";\nimport OpenAI from \"openai\";\nexport const parse = (c: ChatCompletion) => c.usage;\nexport const ping = () => new OpenAI();\n",
        ),
    ]);
    assert_eq!(agents(&inv), ["bot", "svc", "tools-mcp", "web"]);
    assert_eq!(
        not_agents(&inv),
        [
            ("pricer", NotAgent::Library),
            ("prices-js", NotAgent::Library)
        ]
    );
}

/// A workspace folder below the root whose manifests only declare its members' AI
/// packages is their shared part; a folder whose manifest declares a package and has
/// no members below it stays a project (its code may be in a language not read).
#[test]
fn a_workspace_folder_declaring_its_members_packages_is_shared() {
    let inv = scan(&[
        (
            "samples/python/pyproject.toml",
            "[project]\nname = \"samples\"\ndependencies = [\"openai\", \"a2a-sdk\"]\n[tool.uv.workspace]\nmembers = [\"agents/*\"]\n",
        ),
        (
            "samples/python/agents/weather/pyproject.toml",
            "[project]\nname = \"weather\"\ndependencies = [\"openai\"]\n",
        ),
        ("samples/python/agents/weather/agent.py", OPENAI),
        (
            "samples/python/agents/travel/pyproject.toml",
            "[project]\nname = \"travel\"\ndependencies = [\"openai\"]\n",
        ),
        ("samples/python/agents/travel/agent.py", OPENAI),
        ("tools/lone/requirements.txt", "openai\n"),
    ]);
    assert_eq!(
        agents(&inv),
        [
            "samples/python/agents/travel",
            "samples/python/agents/weather",
            "tools/lone"
        ]
    );
    assert_eq!(not_agents(&inv), [("samples/python", NotAgent::Shared)]);
}

/// A course's lesson folders are units; the translated copies of its lessons
/// (`translations/ar/01-intro/`) serve the repository, however many languages repeat
/// them, and make no units of their own.
#[test]
fn translated_copies_of_lessons_are_not_units() {
    let inv = scan(&[
        ("01-intro/code_samples/agent.py", OPENAI),
        ("02-tools/code_samples/tools.py", OPENAI),
        ("translations/ar/01-intro/code_samples/agent.py", OPENAI),
        ("translations/fr/01-intro/code_samples/agent.py", OPENAI),
        ("translations/fr/02-tools/code_samples/tools.py", OPENAI),
    ]);
    assert_eq!(agents(&inv), ["01-intro", "02-tools"]);
    assert_eq!(not_agents(&inv), [(".", NotAgent::Shared)]);
}

/// A course whose root `requirements.txt` sets up every numbered lesson: each lesson is
/// a unit, and the root (the shared environment, translated copies) is their shared
/// part, not an agent of its own.
#[test]
fn a_course_root_manifest_is_shared_by_its_lessons() {
    let inv = scan(&[
        ("requirements.txt", "openai\nsemantic-kernel\n"),
        ("01-intro-to-ai-agents/code_samples/agent.py", OPENAI),
        (
            "02-explore-agentic-frameworks/code_samples/agent.py",
            OPENAI,
        ),
        (
            "translations/fr/01-intro-to-ai-agents/code_samples/agent.py",
            OPENAI,
        ),
    ]);
    assert_eq!(
        agents(&inv),
        ["01-intro-to-ai-agents", "02-explore-agentic-frameworks"]
    );
    assert_eq!(not_agents(&inv), [(".", NotAgent::Shared)]);
}
