//! A cheap look before a parse. The prefilter selects rules by keyword, and many
//! keywords are ordinary words (`vertex` in graph code, `arize` in "summarize", `meta.`
//! in `self.meta.client`, `amazon.` in every AWS documentation link, `Bedrock` in AWS
//! service models): on a virtualenv most selected files hold no AI at all. A file is
//! parsed only when, for some rule it selected, the text shows what the parse could
//! turn into evidence. Code, before tree-sitter:
//!
//! - an import: the module's name, standing as a word, on a line that imports (Python),
//!   or inside a quoted specifier (JavaScript and TypeScript), or anywhere as a word
//!   in the languages whose imports or constant paths are plain names;
//! - a call: the method of an `*.method` pattern written as a call; a qualified callee
//!   needs its root imported (the import check) or, in Ruby and PHP, written;
//! - a literal: a quoted string around one of the rule's keywords that the rule's
//!   model, endpoint or environment-variable pattern accepts.
//!
//! Configuration, before its reader: a key path's, image's or resource type's names
//! written in the text, or a value around a keyword that the rule's model, endpoint or
//! environment-variable pattern accepts.
//!
//! The check only ever says "maybe": when a file passes, every selected rule runs on
//! the parse exactly as before, so a parsed file's evidence does not change.

use std::cell::OnceCell;

use memchr::memmem;

use super::code::lang::Lang;
use super::literals;
use crate::model::LangFamily;
use crate::rules::{CallPattern, Rule};

/// Could parsing `bytes` as `lang` give evidence for any of `wanted`?
pub(super) fn code(lang: Lang, bytes: &[u8], wanted: &[&Rule]) -> bool {
    let strings = OnceCell::new();
    wanted.iter().any(|r| may_match(lang, bytes, r, &strings))
}

/// Could reading `bytes` as configuration give evidence for any of `wanted`?
pub(super) fn config(bytes: &[u8], wanted: &[&Rule]) -> bool {
    wanted.iter().any(|r| config_may_match(bytes, r))
}

fn config_may_match(bytes: &[u8], rule: &Rule) -> bool {
    // Workflow steps compare case-insensitively, and a secret regex that reaches the
    // reader only looks at decoded values: both are rare, so they always read.
    if !rule.actions.is_empty() || rule.regex.is_some() {
        return true;
    }
    let written = |glob: &str| {
        glob.split(['*', '.'])
            .map(|s| s.trim_end_matches("[]"))
            .filter(|s| !s.is_empty())
            .all(|s| memmem::find(bytes, s.as_bytes()).is_some())
    };
    rule.keys.iter().any(|g| written(g))
        || rule.images.iter().any(|g| {
            g.split('*')
                .filter(|s| !s.is_empty())
                .all(|s| memmem::find(bytes, s.as_bytes()).is_some())
        })
        || rule
            .resources
            .iter()
            // `kong:ai-proxy` is a plugin named `ai-proxy`; `AWS::Bedrock::Agent` ends
            // in its written last name too.
            .any(|(ty, _)| {
                let name = ty.rsplit(':').next().unwrap_or(ty);
                memmem::find(bytes, name.as_bytes()).is_some()
            })
        || ((rule.wants_literals() || !rule.env.is_empty()) && may_hold_value(bytes, rule))
}

/// Could a configuration value around one of the rule's keywords be one the rule
/// accepts? A value is bounded by quotes, white space and the punctuation around
/// values (`,` `[` `]` `=`; not braces: `https://runtime.{Region}.…` is one URL); a
/// value with white space is also tried token by token, as the reader does.
fn may_hold_value(bytes: &[u8], rule: &Rule) -> bool {
    if rule.keywords.is_empty() {
        return true;
    }
    let bound = |b: &u8| {
        b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'`' | b',' | b'[' | b']' | b'=')
    };
    rule.keywords.iter().any(|k| {
        let inner = k.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        let Some(lead) = k.find(inner) else {
            return true;
        };
        memmem::find_iter(bytes, k.as_bytes()).any(|at| {
            let at = at + lead;
            let start = bytes[..at].iter().rposition(bound).map_or(0, |i| i + 1);
            let end = at
                + inner.len()
                + bytes[at + inner.len()..]
                    .iter()
                    .position(bound)
                    .unwrap_or(bytes.len() - at - inner.len());
            let Ok(value) = std::str::from_utf8(&bytes[start..end]) else {
                return false;
            };
            let value = value.trim_end_matches([':', ';', '.']);
            literal_matches(rule, value)
                || literals::tokens(value.as_bytes()).any(|t| literal_matches(rule, t.value))
                || (!rule.env.is_empty() && env_name_around(bytes, at, inner.len(), rule))
        })
    })
}

fn may_match(lang: Lang, bytes: &[u8], rule: &Rule, strings: &OnceCell<Vec<Span>>) -> bool {
    let family = lang.family();
    rule.imports(family)
        .iter()
        .any(|p| names_module(family, bytes, &p.name, p.prefix))
        || rule
            .calls(family)
            .iter()
            .any(|c| may_call(family, bytes, c))
        || (lang.has_facts()
            && (rule.wants_literals() || !rule.env.is_empty())
            && may_hold_literal(family, bytes, rule, strings))
}

/// The part of a module name that is written wherever the module is imported: its
/// first segment where an import may name a parent and list members apart (`from
/// llama_index.llms import openai`, `use a::{b}`), the whole path where the import
/// statement spells it out (Go paths, JVM and .NET namespaces).
fn written_part(family: LangFamily, name: &str) -> &str {
    match family {
        LangFamily::Go | LangFamily::Java | LangFamily::CSharp => name,
        _ => {
            // A scoped npm package's scope is no module: keep `@scope/name` whole.
            let from = if name.starts_with('@') {
                name.find('/').map_or(name.len(), |i| i + 1)
            } else {
                0
            };
            let end = name[from..]
                .find(['.', '/', ':', '\\'])
                .map_or(name.len(), |i| from + i);
            &name[..end]
        }
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Offsets where `word` stands alone: no name character just before it, nor just
/// after it unless `prefix` (a pattern such as `langgraph*` also names
/// `langgraph_sdk`).
fn words<'a>(bytes: &'a [u8], word: &'a str, prefix: bool) -> impl Iterator<Item = usize> + 'a {
    let w = word.as_bytes();
    let check_before = w.first().is_some_and(|&b| is_word_byte(b));
    let check_after = !prefix && w.last().is_some_and(|&b| is_word_byte(b));
    memmem::find_iter(bytes, w).filter(move |&at| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + w.len()).copied();
        let joined_before = check_before && before.is_some_and(is_word_byte);
        let joined_after = check_after && after.is_some_and(is_word_byte);
        !joined_before && !joined_after
    })
}

/// The line around `at`, and the line before it (a continued import).
fn line_around(bytes: &[u8], at: usize) -> &[u8] {
    let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let start = if start > 0 {
        memchr::memrchr(b'\n', &bytes[..start - 1]).map_or(0, |i| i + 1)
    } else {
        start
    };
    let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
    &bytes[start..end]
}

/// Is the module `name` (or its written part) imported in `bytes`, as far as the
/// text can tell?
fn names_module(family: LangFamily, bytes: &[u8], name: &str, prefix: bool) -> bool {
    let part = written_part(family, name);
    if part.is_empty() {
        return true;
    }
    words(bytes, part, prefix).any(|at| match family {
        // `import m`, `from m import x`, `importlib.import_module("m")`.
        LangFamily::Python => memmem::find(line_around(bytes, at), b"import").is_some(),
        // `from "m"`, `require("m")`, `import("m")`.
        LangFamily::JavaScript => at > 0 && matches!(bytes[at - 1], b'"' | b'\'' | b'`'),
        _ => true,
    })
}

/// Could a call of `c` stand in `bytes`?
fn may_call(family: LangFamily, bytes: &[u8], c: &CallPattern) -> bool {
    if c.any_receiver {
        return words(bytes, &c.callee, false).any(|at| {
            // Ruby calls need no parentheses.
            family == LangFamily::Ruby || {
                let rest = &bytes[at + c.callee.len()..];
                let rest = rest.trim_ascii_start();
                rest.first() == Some(&b'(')
            }
        });
    }
    let root = c.callee.split(['.', ':', '\\', '/']).next().unwrap_or("");
    match family {
        // A qualified callee is resolved through its imported root only.
        LangFamily::Python | LangFamily::JavaScript => {
            names_module(family, bytes, root, c.prefix && root == c.callee)
        }
        _ => root.is_empty() || words(bytes, root, c.prefix).next().is_some(),
    }
}

/// Could a string literal of `bytes` match `rule`'s models, endpoints or environment
/// variable names? Every literal a rule accepts holds one of its keywords (that is
/// how the prefilter found it), so only the quoted strings around keywords are tried.
fn may_hold_literal(
    family: LangFamily,
    bytes: &[u8],
    rule: &Rule,
    strings: &OnceCell<Vec<Span>>,
) -> bool {
    if rule.keywords.is_empty() {
        return true;
    }
    // Python strings span lines (`"""…"""`), and a data table written as one (a JSON
    // document in a module, 4 MB of IAM policies in moto) quotes every value inside
    // it: its inner quotes are not literals, the whole string is. Lexed once per file.
    let python = family == LangFamily::Python;
    // Each string is tried once per rule: one long string holds many keywords.
    let mut tried = std::collections::HashSet::new();
    let is_quote = |c: char| matches!(c, '"' | '\'' | '`');
    rule.keywords.iter().any(|k| {
        // A keyword may spell the quotes around a short id (`"o1"`).
        let inner = k.trim_start_matches(is_quote);
        let lead = k.len() - inner.len();
        let inner = inner.trim_end_matches(is_quote);
        memmem::find_iter(bytes, k.as_bytes()).any(|at| {
            let at = at + lead;
            let literal = if python {
                let spans = strings.get_or_init(|| python_strings(bytes));
                python_string_around(spans, at)
                    .filter(|&i| tried.insert(i))
                    .and_then(|i| std::str::from_utf8(&bytes[spans[i].0..spans[i].1]).ok())
            } else {
                quoted_around(bytes, at, inner.len())
            };
            literal.is_some_and(|s| literal_matches(rule, s))
                || (!rule.env.is_empty() && env_name_around(bytes, at, inner.len(), rule))
        })
    })
}

/// An environment variable read by name rather than through a string
/// (`process.env.LANGSMITH_API_KEY`, `import.meta.env.X`): the name around the keyword.
fn env_name_around(bytes: &[u8], at: usize, len: usize, rule: &Rule) -> bool {
    let start = bytes[..at]
        .iter()
        .rposition(|&b| !is_word_byte(b))
        .map_or(0, |i| i + 1);
    let end = at
        + len
        + bytes[at + len..]
            .iter()
            .position(|&b| !is_word_byte(b))
            .unwrap_or(bytes.len() - at - len);
    std::str::from_utf8(&bytes[start..end])
        .is_ok_and(|name| rule.env.iter().any(|g| crate::rules::wildcard(g, name)))
}

/// The quoted string on one line that holds `bytes[at..at + len]`, if any.
fn quoted_around(bytes: &[u8], at: usize, len: usize) -> Option<&str> {
    let is_quote = |b: &u8| matches!(b, b'"' | b'\'' | b'`');
    let open = bytes[..at]
        .iter()
        .rposition(|b| is_quote(b) || *b == b'\n')?;
    let close = at
        + len
        + bytes[at + len..]
            .iter()
            .position(|b| is_quote(b) || *b == b'\n')?;
    if !is_quote(&bytes[open]) || !is_quote(&bytes[close]) {
        return None;
    }
    std::str::from_utf8(&bytes[open + 1..close]).ok()
}

/// The content of a Python string literal: from after its opening quote(s) to before
/// its closing one(s), as tree-sitter's `string_start` and `string_end` bound it.
type Span = (usize, usize);

/// Every string literal of Python source, in order, found by a lexer that knows only
/// comments, quotes, triple quotes and backslashes. It only has to agree with the parse
/// on where strings are; where it cannot (an unterminated string), the string runs to
/// the end of its line or, triple-quoted, of the file.
fn python_strings(bytes: &[u8]) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr::memchr3(b'#', b'"', b'\'', &bytes[i..]) {
        let at = i + off;
        let q = bytes[at];
        if q == b'#' {
            i = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |n| at + n + 1);
            continue;
        }
        let triple = bytes.get(at + 1) == Some(&q) && bytes.get(at + 2) == Some(&q);
        let start = at + if triple { 3 } else { 1 };
        let mut j = start;
        let end = loop {
            let Some(&c) = bytes.get(j) else {
                break bytes.len();
            };
            let closes = c == q
                && (!triple || (bytes.get(j + 1) == Some(&q) && bytes.get(j + 2) == Some(&q)));
            if c == b'\\' {
                j += 2;
            } else if closes || (c == b'\n' && !triple) {
                break j;
            } else {
                j += 1;
            }
        };
        let end = end.min(bytes.len());
        spans.push((start.min(end), end));
        i = end + if triple { 3 } else { 1 };
        if i >= bytes.len() {
            break;
        }
    }
    spans
}

/// The index of the Python string literal that holds offset `at`, if any.
fn python_string_around(spans: &[Span], at: usize) -> Option<usize> {
    let i = spans
        .partition_point(|&(start, _)| start <= at)
        .checked_sub(1)?;
    (at < spans[i].1).then_some(i)
}

fn literal_matches(rule: &Rule, s: &str) -> bool {
    rule.endpoints.iter().any(|h| h.matches_url(s))
        || rule
            .models
            .as_ref()
            .and_then(|m| m.get())
            .is_some_and(|m| m.is_match(s))
        || rule.env.iter().any(|g| crate::rules::wildcard(g, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_stand_as_words_on_import_lines() {
        let py = LangFamily::Python;
        assert!(names_module(py, b"import openai\n", "openai", false));
        assert!(names_module(
            py,
            b"from llama_index.llms import openai\n",
            "llama_index.llms.openai",
            false
        ));
        assert!(names_module(
            py,
            b"from x import (\n  a,\n)\nimport os, \\\n  arize\n",
            "arize",
            false
        ));
        assert!(!names_module(
            py,
            b"def summarize(x):\n    return x\n",
            "arize",
            false
        ));
        assert!(!names_module(py, b"graph.vertex(3)\n", "vertexai", false));
        assert!(!names_module(
            py,
            b"x = vertexai.init()\n",
            "vertexai",
            false
        ));
        let js = LangFamily::JavaScript;
        assert!(names_module(
            js,
            b"import OpenAI from 'openai';",
            "openai",
            false
        ));
        assert!(names_module(
            js,
            b"const a = require(\"@ai-sdk/openai\")",
            "@ai-sdk/openai",
            false
        ));
        assert!(!names_module(
            js,
            b"// uses openai\nconst openai = 1;",
            "openai",
            false
        ));
        assert_eq!(written_part(js, "@ai-sdk/openai/x"), "@ai-sdk/openai");
        assert_eq!(
            written_part(LangFamily::Go, "github.com/a/b"),
            "github.com/a/b"
        );
    }

    #[test]
    fn prefix_patterns_name_longer_modules() {
        let py = LangFamily::Python;
        assert!(names_module(
            py,
            b"from langgraph_sdk import get_client\n",
            "langgraph",
            true
        ));
        assert!(!names_module(
            py,
            b"from langgraph_sdk import get_client\n",
            "langgraph",
            false
        ));
        let js = LangFamily::JavaScript;
        assert!(names_module(
            js,
            b"import { P } from \"@langchain/core/prompts\";",
            "@langchain/",
            true
        ));
    }

    #[test]
    fn literals_are_the_quoted_strings_around_a_keyword() {
        let s = b"url = \"https://docs.aws.amazon.com/x\"\nm = 'amazon.titan-text'\n";
        assert_eq!(
            quoted_around(s, 20, 7),
            Some("https://docs.aws.amazon.com/x")
        );
        let m = memmem::find(s, b"amazon.titan").unwrap();
        assert_eq!(quoted_around(s, m, 7), Some("amazon.titan-text"));
        assert_eq!(quoted_around(b"# amazon. in a comment\n", 2, 7), None);
    }

    #[test]
    fn python_literals_are_whole_strings_even_across_lines() {
        let set = crate::rules::RuleSet::builtin().unwrap();
        let bedrock = set
            .rules()
            .iter()
            .find(|r| r.id == "model.aws-bedrock")
            .unwrap();
        let py = |src: &str| code(Lang::Python, src.as_bytes(), &[bedrock]);
        // A module holding a JSON document in one string (moto's IAM policies): the
        // quotes inside it are not literals.
        let table =
            "data = \"\"\"\n{\"Resource\": \"anthropic.claude-3-haiku-20240307-v1:0\"}\n\"\"\"\n";
        assert!(!py(table));
        assert!(py("m = \"anthropic.claude-3-haiku-20240307-v1:0\"\n"));
        assert!(py("m = '''anthropic.claude-3-haiku-20240307-v1:0'''\n"));
        // After a string that holds the other quote and an escaped one.
        assert!(py(
            "a = \"it's \\\" here\"; m = 'anthropic.claude-3-haiku-20240307-v1:0'\n"
        ));
        assert!(!py("# m = \"anthropic.claude-3-haiku-20240307-v1:0\"\n"));
        assert_eq!(
            python_strings(b"x = 'a' # 'b'\ny = \"\"\"c\n'd'\"\"\" + 'e"),
            vec![(5, 6), (21, 26), (33, 34)]
        );
    }

    #[test]
    fn config_values_are_bounded_like_values_not_like_code() {
        let set = crate::rules::RuleSet::builtin().unwrap();
        let rule = |id: &str| set.rules().iter().find(|r| r.id == id).unwrap();
        let sagemaker = rule("provider.aws-sagemaker.endpoint");
        let url = b"{\"url\": \"https://runtime.sagemaker.{Region}.amazonaws.com\"}";
        assert!(config(url, &[sagemaker]));
        let docs = b"{\"doc\": \"see runtime.sagemaker. in the guide\"}";
        assert!(!config(docs, &[sagemaker]));
        let kong = rule("provider.kong-ai-gateway");
        assert!(config(b"plugin: ai-proxy-advanced\n", &[kong]));
    }
}
