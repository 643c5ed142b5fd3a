//! Python imports: `import a.b [as x]`, `from a.b import c [as d]`, `from a import *`,
//! `__import__("a")` and `importlib.import_module("a")` / `import_module("a")`.
//! Relative imports (`from . import x`) name the project's own modules and are skipped.

use std::collections::HashMap;

use tree_sitter::{Node, Tree};

use super::{resolve, text, unquote, Call, Facts, Import, StrContext, StrLit};

/// Most string literals kept per file: data tables are not where model ids hide.
const MAX_STRINGS: usize = 10_000;

/// Longest callee text copied; longer ones are call chains, kept by last name only.
const MAX_CALLEE_BYTES: usize = 256;

/// Calls through imported names (aliases followed) and string literals.
pub fn facts(tree: &Tree, src: &[u8]) -> Facts {
    let mut bindings: HashMap<String, String> = HashMap::new();
    let mut raw_calls: Vec<(String, Option<String>, usize)> = Vec::new();
    let mut strings = Vec::new();
    // The walk hands over ancestors: `Node::parent` walks down from the root each
    // time, which was quadratic on deep trees (a 100k-term concatenation took minutes).
    super::preorder(tree, |node, ancestors| {
        match node.kind() {
            "import_statement" | "import_from_statement" => bind(node, src, &mut bindings),
            "call" => {
                if let Some(func) = node.child_by_field_name("function") {
                    // A long callee is a chain (`x.a().b().c()…`): copying it for every
                    // call would be quadratic; only its last name can matter.
                    let mut written = if func.byte_range().len() > MAX_CALLEE_BYTES {
                        String::from("(…)")
                    } else {
                        squash(text(func, src))
                    };
                    // A chained receiver (`boto3.Session(p).client`) keeps only its
                    // method, for `*.method` patterns.
                    if !is_dotted(&written) && func.kind() == "attribute" {
                        if let Some(attr) = func.child_by_field_name("attribute") {
                            written = format!("(…).{}", text(attr, src));
                        }
                    }
                    if is_dotted(&written) || written.starts_with("(…).") {
                        let first = node
                            .child_by_field_name("arguments")
                            .and_then(|a| first_string_arg(a, src));
                        raw_calls.push((written, first, func.start_byte()));
                    }
                }
            }
            "string" if strings.len() < MAX_STRINGS => {
                if let Some(lit) = literal(node, ancestors.last().copied(), src) {
                    strings.push(lit);
                }
            }
            _ => {}
        }
        node.kind() != "string"
    });
    let calls = raw_calls
        .into_iter()
        .map(|(written, first_arg, offset)| Call {
            qualified: resolve(&written, &bindings, "."),
            written,
            first_arg,
            offset,
        })
        .collect();
    Facts { calls, strings }
}

/// The first positional argument when it is a plain string, else the first keyword
/// argument's plain string value (`client(service_name="bedrock-runtime")`).
fn first_string_arg(args: Node, src: &[u8]) -> Option<String> {
    let first = args.named_child(0)?;
    if first.kind() == "string" {
        return string_value(first, src).map(|(v, _)| v);
    }
    let mut c = args.walk();
    let kw = args
        .named_children(&mut c)
        .find(|a| a.kind() == "keyword_argument")?
        .child_by_field_name("value")
        .filter(|v| v.kind() == "string")?;
    string_value(kw, src).map(|(v, _)| v)
}

/// Records the names an import statement binds.
fn bind(node: Node, src: &[u8], bindings: &mut HashMap<String, String>) {
    let from = node
        .child_by_field_name("module_name")
        .filter(|m| m.kind() == "dotted_name")
        .map(|m| squash(text(m, src)));
    if node.kind() == "import_from_statement" && from.is_none() {
        return; // relative import: the project's own code
    }
    let mut c = node.walk();
    for name in node.children_by_field_name("name", &mut c) {
        let (target, alias) = if name.kind() == "aliased_import" {
            (
                name.child_by_field_name("name"),
                name.child_by_field_name("alias")
                    .map(|a| text(a, src).to_string()),
            )
        } else {
            (Some(name), None)
        };
        let Some(target) = target else { continue };
        let target = squash(text(target, src));
        match (&from, alias) {
            // from m import n [as k]
            (Some(m), alias) => {
                let local = alias.unwrap_or_else(|| target.clone());
                bindings.insert(local, format!("{m}.{target}"));
            }
            // import a.b as k
            (None, Some(alias)) => {
                bindings.insert(alias, target);
            }
            // import a.b binds `a`
            (None, None) => {
                let root = target.split('.').next().unwrap_or(&target).to_string();
                bindings.insert(root.clone(), root);
            }
        }
    }
}

fn is_dotted(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'))
}

/// The value of a plain string literal (no interpolation) and its offset.
fn string_value(node: Node, src: &[u8]) -> Option<(String, usize)> {
    let mut c = node.walk();
    let mut start = None;
    let mut end = None;
    for child in node.children(&mut c) {
        match child.kind() {
            "string_start" => start = Some(child.end_byte()),
            "string_end" => end = Some(child.start_byte()),
            "interpolation" => return None,
            _ => {}
        }
    }
    let (start, end) = (start?, end?);
    let value = std::str::from_utf8(src.get(start..end)?).ok()?;
    Some((value.to_string(), start))
}

fn literal(node: Node, parent: Option<Node>, src: &[u8]) -> Option<StrLit> {
    let parent = parent?;
    let context = match parent.kind() {
        // A bare string statement is a docstring or a comment in disguise.
        "expression_statement" => return None,
        "argument_list" => StrContext::Argument,
        "keyword_argument" => {
            StrContext::Named(text(parent.child_by_field_name("name")?, src).to_string())
        }
        "assignment" | "augmented_assignment"
            if parent
                .child_by_field_name("right")
                .is_some_and(|r| r.id() == node.id()) =>
        {
            let left = parent.child_by_field_name("left")?;
            let name = match left.kind() {
                "attribute" => text(left.child_by_field_name("attribute")?, src),
                _ => text(left, src),
            };
            StrContext::Named(name.to_string())
        }
        "pair"
            if parent
                .child_by_field_name("value")
                .is_some_and(|v| v.id() == node.id()) =>
        {
            let key = parent.child_by_field_name("key")?;
            let name = match key.kind() {
                "string" => string_value(key, src).map(|(v, _)| v).unwrap_or_default(),
                _ => text(key, src).to_string(),
            };
            StrContext::Named(name)
        }
        _ => StrContext::Other,
    };
    let (value, offset) = string_value(node, src)?;
    Some(StrLit {
        value,
        context,
        offset,
    })
}

/// Every absolute import in `tree`.
pub fn imports(tree: &Tree, src: &[u8]) -> Vec<Import> {
    let mut out = Vec::new();
    super::preorder(tree, |node, _| visit(node, src, &mut out));
    out
}

/// Records imports at `node`; returns whether to descend into it.
fn visit(node: Node, src: &[u8], out: &mut Vec<Import>) -> bool {
    match node.kind() {
        "import_statement" => {
            let mut c = node.walk();
            for name in node.children_by_field_name("name", &mut c) {
                let dotted = if name.kind() == "aliased_import" {
                    name.child_by_field_name("name")
                } else {
                    Some(name)
                };
                if let Some(d) = dotted {
                    out.push(Import {
                        module: squash(text(d, src)),
                        name: None,
                        offset: d.start_byte(),
                    });
                }
            }
            false
        }
        "import_from_statement" => {
            let Some(module) = node.child_by_field_name("module_name") else {
                return false;
            };
            if module.kind() != "dotted_name" {
                return false; // relative import
            }
            let module_text = squash(text(module, src));
            let mut c = node.walk();
            let mut any = false;
            for name in node.children_by_field_name("name", &mut c) {
                let n = if name.kind() == "aliased_import" {
                    name.child_by_field_name("name")
                } else {
                    Some(name)
                };
                if let Some(n) = n {
                    any = true;
                    out.push(Import {
                        module: module_text.clone(),
                        name: Some(squash(text(n, src))),
                        offset: module.start_byte(),
                    });
                }
            }
            if !any {
                // `from m import *`
                out.push(Import {
                    module: module_text,
                    name: None,
                    offset: module.start_byte(),
                });
            }
            false
        }
        "call" => {
            if let Some(import) = dynamic_import(node, src) {
                out.push(import);
            }
            true
        }
        _ => true,
    }
}

fn dynamic_import(node: Node, src: &[u8]) -> Option<Import> {
    let func = node.child_by_field_name("function")?;
    let name = match func.kind() {
        "identifier" => text(func, src),
        "attribute" => text(func.child_by_field_name("attribute")?, src),
        _ => return None,
    };
    if name != "__import__" && name != "import_module" {
        return None;
    }
    let args = node.child_by_field_name("arguments")?;
    let first = args.named_child(0)?;
    if first.kind() != "string" {
        return None;
    }
    let module = unquote(text(first, src))?;
    if module.is_empty() || module.starts_with('.') {
        return None;
    }
    Some(Import {
        module: module.to_string(),
        name: None,
        offset: first.start_byte() + 1,
    })
}

/// `a . b` is legal Python; compare without the spaces.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::code::lang::{parse, Lang};
    use std::time::Duration;

    fn mods(src: &str) -> Vec<(String, Option<String>)> {
        let tree = parse(Lang::Python, src.as_bytes(), Duration::from_secs(5)).unwrap();
        imports(&tree, src.as_bytes())
            .into_iter()
            .map(|i| (i.module, i.name))
            .collect()
    }

    fn facts_of(src: &str) -> Facts {
        let tree = parse(Lang::Python, src.as_bytes(), Duration::from_secs(5)).unwrap();
        facts(&tree, src.as_bytes())
    }

    #[test]
    fn calls_resolve_through_aliases() {
        let src = r#"
import openai as oa
from anthropic import Anthropic as Client
import boto3
import google.genai
client = oa.OpenAI(api_key=key)
c2 = Client()
br = boto3.client("bedrock-runtime", region_name="us-east-1")
g = google.genai.Client()
kw = boto3.client(service_name="bedrock-agent-runtime")
local_thing()
x.y()
"#;
        let calls: Vec<(String, Option<String>)> = facts_of(src)
            .calls
            .into_iter()
            .filter_map(|c| Some((c.qualified?, c.first_arg)))
            .collect();
        assert_eq!(
            calls,
            vec![
                ("openai.OpenAI".to_string(), None),
                ("anthropic.Anthropic".to_string(), None),
                (
                    "boto3.client".to_string(),
                    Some("bedrock-runtime".to_string())
                ),
                ("google.genai.Client".to_string(), None),
                (
                    "boto3.client".to_string(),
                    Some("bedrock-agent-runtime".to_string())
                ),
            ]
        );
    }

    #[test]
    fn strings_carry_their_context_and_docstrings_are_skipped() {
        let src = r#"
"""Module docstring mentioning gpt-4o."""
def f():
    """Function docstring: https://api.openai.com"""
    client = OpenAI(base_url="http://localhost:11434/v1")
    API_URL = "https://api.anthropic.com/v1/messages"
    cfg = {"model": "claude-sonnet-4-5"}
    requests.post("https://api.openai.com/v1/chat", json={})
    models = ["gpt-4o", f"gpt-{v}"]
"#;
        let got: Vec<(String, StrContext)> = facts_of(src)
            .strings
            .into_iter()
            .map(|s| (s.value, s.context))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "http://localhost:11434/v1".into(),
                    StrContext::Named("base_url".into())
                ),
                (
                    "https://api.anthropic.com/v1/messages".into(),
                    StrContext::Named("API_URL".into())
                ),
                ("model".into(), StrContext::Other),
                (
                    "claude-sonnet-4-5".into(),
                    StrContext::Named("model".into())
                ),
                (
                    "https://api.openai.com/v1/chat".into(),
                    StrContext::Argument
                ),
                ("gpt-4o".into(), StrContext::Other),
            ]
        );
    }

    #[test]
    fn finds_every_import_form_and_nothing_else() {
        let src = r#"
import os, openai as oa
import google.genai
from langchain_openai import ChatOpenAI, OpenAI as O
from llama_index.core import *
from . import local
from .pkg import thing
x = __import__("anthropic")
y = importlib.import_module('cohere')
# import mistralai
s = "import groq"
def f():
    """from crewai import Agent"""
    import dspy
"#;
        assert_eq!(
            mods(src),
            vec![
                ("os".into(), None),
                ("openai".into(), None),
                ("google.genai".into(), None),
                ("langchain_openai".into(), Some("ChatOpenAI".into())),
                ("langchain_openai".into(), Some("OpenAI".into())),
                ("llama_index.core".into(), None),
                ("anthropic".into(), None),
                ("cohere".into(), None),
                ("dspy".into(), None),
            ]
        );
    }
}
