//! Tests that evaluate the model: a test file (Python, JavaScript/TypeScript, Java,
//! Kotlin or Go) that
//! imports code of its own project, asserts on what comes back, and lets nothing stand
//! in for the model — no mock or patch of the client, no fake chat model, no recorded
//! cassette or intercepted HTTP. Such a file is a candidate *live-output test*; the
//! inventory keeps it only when one of the modules it imports is code of the same
//! unit that calls a model (a structural judgement no keyword rule can make).
//!
//! Read as text, line by line: imports at the start of a line, assertions, and the
//! names of the mocking tools. Never parses; never runs on vendored code.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::model::{Evidence, FileClass, Kind, Lang, Method};

/// The rule id of a live-output test candidate (a built-in, structural detector).
pub const RULE_ID: &str = "eval.live-output-test";

/// In a candidate's `matched`: the test calls the project's own service on this machine.
pub const SERVICE: &str = "@service";

/// URLs of a service running on the test's own machine.
const LOCAL_SERVICE: &[&str] = &[
    "http://localhost:",
    "http://127.0.0.1:",
    "ws://localhost:",
    "ws://127.0.0.1:",
];

/// What fakes a model or its API whatever it is aimed at: fake chat models, recorded
/// cassettes, intercepted HTTP. With any of these, the test does not evaluate the
/// model's real output.
const FAKES: &[&str] = &[
    // Python
    "FakeListLLM",
    "FakeListChatModel",
    "FakeChatModel",
    "FakeLLM",
    "FakeMessagesListChatModel",
    "GenericFakeChatModel",
    "FakeEmbeddings",
    "TestModel",
    "FunctionModel",
    "MockLLM",
    "respx",
    "responses.activate",
    "requests_mock",
    "httpretty",
    "vcr",
    "cassette",
    "pytest_recording",
    // JavaScript / TypeScript
    "nock(",
    "msw",
    "MockLanguageModel",
    "simulateReadableStream",
    "FakeStreamingChatModel",
    "@pollyjs",
    // Playwright answering the page's API calls itself
    "route.fulfill",
    // JVM
    "WireMock",
    "MockWebServer",
    "MockRestServiceServer",
    // Go
    "httptest.NewServer",
];

/// General mocking tools: a stand-in for the model only when what they replace (on
/// the same line, or the declaration after an annotation) is a model or its client. A
/// mocked database or booking service leaves the model real.
const MOCKS: &[&str] = &[
    "mock",
    "Mock",
    "patch(",
    "@patch",
    "monkeypatch",
    "mocker.",
    "jest.fn(",
    "jest.spyOn(",
    "vi.fn(",
    "vi.spyOn(",
    "sinon.",
    "gomock",
];

/// Words that name a model or its client.
const MODEL_WORDS: &[&str] = &[
    "model",
    "llm",
    "chat",
    "openai",
    "anthropic",
    "claude",
    "gemini",
    "bedrock",
    "completion",
    "embedding",
    "client",
    "agent",
    "genai",
    "ollama",
    "mistral",
    "cohere",
    "groq",
];

/// Does something in `text` stand in for the model? One pass for the fakes, one for
/// the mocking tools (every test file of a virtualenv is looked at).
fn stands_in(text: &str) -> bool {
    static FAKE: LazyLock<AhoCorasick> =
        LazyLock::new(|| AhoCorasick::new(FAKES).expect("fixed literals"));
    static MOCK: LazyLock<AhoCorasick> =
        LazyLock::new(|| AhoCorasick::new(MOCKS).expect("fixed literals"));
    if FAKE.is_match(text) {
        return true;
    }
    let bytes = text.as_bytes();
    MOCK.find_iter(text).any(|m| {
        // The mock's line and the next one (a declaration after an annotation).
        let start = memchr::memrchr(b'\n', &bytes[..m.start()]).map_or(0, |i| i + 1);
        let line_end =
            memchr::memchr(b'\n', &bytes[m.start()..]).map_or(bytes.len(), |i| m.start() + i);
        let end = bytes
            .get(line_end + 1..)
            .and_then(|rest| memchr::memchr(b'\n', rest))
            .map_or(bytes.len(), |i| line_end + 1 + i);
        let aim = text[start..end].to_ascii_lowercase();
        MODEL_WORDS.iter().any(|w| aim.contains(w))
    })
}

/// The first assertion of a test file, as (byte offset of its line).
fn first_assertion(text: &str, lang: Lang) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let hit = match lang {
            Lang::Python => {
                t.starts_with("assert ")
                    || t.starts_with("assert(")
                    || t.starts_with("self.assert")
                    || t.contains("pytest.approx(")
            }
            Lang::Java | Lang::Kotlin => {
                t.contains("assertThat(")
                    || t.contains("assertEquals(")
                    || t.contains("assertTrue(")
                    || t.contains("assertNotNull(")
                    || t.contains("assertThrows(")
                    || t.contains("Assertions.")
                    || t.contains(" shouldBe ")
                    || t.contains(" shouldContain ")
                    || t.starts_with("assert ")
                    || t.starts_with("assert(")
            }
            Lang::Go => {
                t.starts_with("t.Error")
                    || t.starts_with("t.Fatal")
                    || t.starts_with("assert.")
                    || t.starts_with("require.")
            }
            _ => {
                t.contains("expect(")
                    || t.starts_with("assert.")
                    || t.starts_with("assert(")
                    || t.contains("t.is(")
                    || t.contains("t.true(")
            }
        };
        if hit {
            return Some(offset + (line.len() - t.len()));
        }
        offset += line.len();
    }
    None
}

/// Modules of its own project that a test imports: relative imports (`./agent`,
/// `from .agent import`), and in Python any `from x.y import` / `import x.y` (the
/// inventory decides which are the project's by looking for them among its files).
fn local_imports(text: &str, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        match lang {
            Lang::Python => {
                if let Some(rest) = t.strip_prefix("from ") {
                    // `from m import a, b`: the module, and each name (a submodule?).
                    let Some((m, names)) = rest.split_once(" import ") else {
                        continue;
                    };
                    let m = m.trim();
                    out.push(m.to_string());
                    let join = if m.ends_with('.') { "" } else { "." };
                    for n in names.trim_matches(['(', ')', ' ']).split(',') {
                        let n = n.split_whitespace().next().unwrap_or("");
                        if !n.is_empty() && n != "*" && n != "(" {
                            out.push(format!("{m}{join}{n}"));
                        }
                    }
                } else if let Some(rest) = t.strip_prefix("import ") {
                    for m in rest.split(',') {
                        if let Some(m) = m.split_whitespace().next() {
                            out.push(m.to_string());
                        }
                    }
                }
            }
            Lang::Java | Lang::Kotlin => {
                // The test's own package (its classes need no import), and imports.
                let stmt = t.trim_end_matches(';').trim();
                if let Some(p) = stmt.strip_prefix("package ") {
                    out.push(format!("{}.*", p.trim()));
                } else if let Some(i) = stmt.strip_prefix("import ") {
                    let i = i.trim_start_matches("static ").trim();
                    let i = i.split(" as ").next().unwrap_or(i).trim();
                    if !i.is_empty() {
                        out.push(i.to_string());
                    }
                }
            }
            Lang::Go => {
                // A Go test is in its package's own folder: it reaches that folder's code.
                if t.starts_with("package ") && out.is_empty() {
                    out.push("./".to_string());
                }
            }
            _ => {
                // `import … from "./x"`, `require("../x")`, `import("./x")`.
                for quote in ['"', '\''] {
                    let mut rest = t;
                    while let Some(i) = rest.find(quote) {
                        let after = &rest[i + 1..];
                        let Some(j) = after.find(quote) else { break };
                        let spec = &after[..j];
                        if (spec.starts_with("./") || spec.starts_with("../"))
                            && (t.starts_with("import ")
                                || t.contains("require(")
                                || t.contains("import(")
                                || t.starts_with("export "))
                        {
                            out.push(spec.to_string());
                        }
                        rest = &after[j + 1..];
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The live-output test candidate of the test file at `path`, if it is one: no stand-in
/// for the model, an assertion, and imports of its own project's modules (listed,
/// space-separated, in `matched`). `calls_ai`: the file itself calls or imports an AI
/// SDK (then it reaches the model directly, `.` in `matched`).
pub fn candidate(path: &str, lang: Lang, bytes: &[u8], calls_ai: bool) -> Option<Evidence> {
    let text = std::str::from_utf8(bytes).ok()?;
    let at = first_assertion(text, lang)?;
    let mut modules = local_imports(text, lang);
    if calls_ai {
        modules.insert(0, ".".into());
    }
    // An end-to-end test calls the project's own running service (`localhost:9080/chat`)
    // and asserts on its answer: it reaches the service's model-calling code.
    if LOCAL_SERVICE.iter().any(|u| text.contains(u)) {
        modules.push(SERVICE.into());
    }
    // Last, as the costliest look: every test file of a virtualenv comes here.
    if modules.is_empty() || stands_in(text) {
        return None;
    }
    let (line, column, span) = crate::model::locate(bytes, at);
    Some(Evidence {
        path: path.to_string(),
        cell: None,
        line,
        column,
        rule_id: RULE_ID.into(),
        kind: Kind::Eval,
        identifies: "live-output-test".into(),
        category: Some("live-output-test".into()),
        method: Method::Call,
        matched: modules.join(" "),
        snippet: crate::model::redacted_snippet(&bytes[span], &[]),
        secret: None,
        in_test: false,
        history: None,
        baselined: false,
        file: FileClass::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_that_calls_the_project_and_asserts_is_a_candidate() {
        let text = b"from app.agent import answer\n\ndef test_capital():\n    out = answer(\"capital of France?\")\n    assert \"Paris\" in out\n";
        let e = candidate("tests/test_agent.py", Lang::Python, text, false).unwrap();
        assert_eq!(e.line, 5);
        assert_eq!(e.matched, "app.agent app.agent.answer");
        assert_eq!(e.category.as_deref(), Some("live-output-test"));
    }

    /// An end-to-end test calls the project's service on this machine and asserts on its
    /// answer; one whose page answers the API calls itself (Playwright) does not.
    #[test]
    fn an_end_to_end_test_of_the_local_service_is_a_candidate() {
        let java = b"package it.dev.example;\nclass ModelResourceIT {\n  String baseUrl = \"http://localhost:9080/api/model/\";\n  @Test void language() { assertTrue(answer(baseUrl).contains(\"2018\")); }\n}\n";
        let e = candidate(
            "src/test/java/it/dev/example/ModelResourceIT.java",
            Lang::Java,
            java,
            false,
        )
        .unwrap();
        assert!(e.matched.split(' ').any(|m| m == SERVICE), "{}", e.matched);
        let mocked = b"import { test, expect } from '@playwright/test';\ntest('chat', async ({ page }) => {\n  await page.route('**/chat', (route) => route.fulfill({ body: '{}' }));\n  await page.goto('http://localhost:5173/');\n  await expect(page.locator('.answer')).toBeVisible();\n});\n";
        assert!(candidate("tests/e2e.spec.ts", Lang::TypeScript, mocked, false).is_none());
    }

    #[test]
    fn a_test_with_a_stand_in_for_the_model_is_not() {
        for stand_in in [
            "from unittest.mock import patch\n@patch(\"app.agent.client\")\n",
            "from langchain_core.language_models import FakeListLLM\n",
            "import respx\n",
            "@pytest.mark.vcr\n",
        ] {
            let text = format!(
                "{stand_in}from app.agent import answer\ndef test_a():\n    assert answer('x')\n"
            );
            assert!(
                candidate("tests/test_a.py", Lang::Python, text.as_bytes(), false).is_none(),
                "{stand_in}"
            );
        }
        let js = b"import { run } from '../src/agent';\nvi.mock('openai');\ntest('x', async () => { expect(await run('hi')).toContain('hello'); });\n";
        assert!(candidate("src/agent.test.ts", Lang::TypeScript, js, false).is_none());
        // A mocked service that is not the model leaves the model real.
        let java = b"package com.acme.bot;\nclass BotIT {\n  @MockitoBean\n  BookingService bookings;\n  @Test void answers() { assertThat(bot.ask(\"hi\")).contains(\"hello\"); }\n}\n";
        let e = candidate(
            "src/test/java/com/acme/bot/BotIT.java",
            Lang::Java,
            java,
            false,
        )
        .unwrap();
        assert_eq!(e.matched, "com.acme.bot.*");
        let mocked = b"package com.acme.bot;\nclass BotIT {\n  @MockitoBean\n  ChatModel model;\n  @Test void answers() { assertThat(bot.ask(\"hi\")).contains(\"hello\"); }\n}\n";
        assert!(candidate(
            "src/test/java/com/acme/bot/BotIT.java",
            Lang::Java,
            mocked,
            false
        )
        .is_none());
    }

    #[test]
    fn a_test_without_an_assertion_or_a_project_import_is_not() {
        let no_assert = b"from app.agent import answer\ndef test_a():\n    answer('x')\n";
        assert!(candidate("tests/test_a.py", Lang::Python, no_assert, false).is_none());
        let js = b"import { describe, it, expect } from 'vitest';\nit('adds', () => expect(1 + 1).toBe(2));\n";
        assert!(candidate("src/math.test.ts", Lang::TypeScript, js, false).is_none());
        let js_local = b"import { run } from '../src/agent';\nit('runs', async () => expect(await run('hi')).toMatch(/hello/i));\n";
        let e = candidate("test/agent.test.ts", Lang::TypeScript, js_local, false).unwrap();
        assert_eq!(e.matched, "../src/agent");
    }
}
