//! JavaScript / TypeScript / TSX imports: static `import … from "m"`, bare
//! `import "m"`, `export … from "m"`, `require("m")`, dynamic `import("m")` and
//! TypeScript's `import x = require("m")`. Relative specifiers (`./x`, `../x`, `/x`)
//! name the project's own files and are skipped.

use std::collections::HashMap;

use tree_sitter::{Node, Tree};

use super::{resolve, text, unquote, Call, Facts, Import, StrContext, StrLit};

/// Most string literals kept per file.
const MAX_STRINGS: usize = 10_000;

/// Calls and `new` through imported names (aliases and destructuring followed) and
/// string literals with their context.
pub fn facts(tree: &Tree, src: &[u8]) -> Facts {
    let mut bindings: HashMap<String, String> = HashMap::new();
    let mut raw_calls: Vec<(String, Option<String>, usize)> = Vec::new();
    let mut strings = Vec::new();
    // The walk hands over ancestors: `Node::parent` walks down from the root each
    // time, quadratic on deep trees.
    super::preorder(tree, |node, ancestors| {
        match node.kind() {
            "import_statement" => bind_import(node, src, &mut bindings),
            "import_require_clause" => {
                if let (Some(name), Some(source)) = (
                    node.named_child(0).filter(|n| n.kind() == "identifier"),
                    node.child_by_field_name("source"),
                ) {
                    if let Some(m) = module_of(source, src) {
                        bindings.insert(text(name, src).to_string(), m);
                    }
                }
            }
            "variable_declarator" => bind_require(node, src, &mut bindings),
            "call_expression" | "new_expression" => {
                let field = if node.kind() == "call_expression" {
                    "function"
                } else {
                    "constructor"
                };
                if let Some(func) = node.child_by_field_name(field) {
                    // A long callee is a chain (`x.a().b()…`): copying it for every call
                    // would be quadratic, and it cannot be a dotted name anyway.
                    let written: String = if func.byte_range().len() > 256 {
                        String::new()
                    } else {
                        text(func, src)
                            .chars()
                            .filter(|c| !c.is_whitespace())
                            .collect()
                    };
                    if is_dotted(&written) {
                        let first = node
                            .child_by_field_name("arguments")
                            .and_then(|a| a.named_child(0))
                            .filter(|a| a.kind() == "string")
                            .and_then(|a| string_value(a, src).map(|(v, _)| v));
                        raw_calls.push((written, first, func.start_byte()));
                    }
                }
            }
            // `process.env.OPENAI_API_KEY` reads a variable by name, like a literal.
            "member_expression" if strings.len() < MAX_STRINGS => {
                if let (Some(obj), Some(prop)) = (
                    node.child_by_field_name("object"),
                    node.child_by_field_name("property"),
                ) {
                    if matches!(
                        text(obj, src),
                        "process.env" | "import.meta.env" | "Deno.env"
                    ) {
                        strings.push(StrLit {
                            value: text(prop, src).to_string(),
                            context: StrContext::Other,
                            offset: prop.start_byte(),
                        });
                    }
                }
            }
            "string" | "template_string" if strings.len() < MAX_STRINGS => {
                let parent = ancestors.last().copied();
                let grandparent = ancestors.len().checked_sub(2).map(|i| ancestors[i]);
                if let Some(lit) = literal(node, parent, grandparent, src) {
                    strings.push(lit);
                }
            }
            _ => {}
        }
        !matches!(node.kind(), "string" | "template_string")
    });
    let calls = raw_calls
        .into_iter()
        .map(|(written, first_arg, offset)| Call {
            qualified: resolve(&written, &bindings, "/"),
            written,
            first_arg,
            offset,
        })
        .collect();
    Facts { calls, strings }
}

fn is_dotted(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        })
}

/// The package a specifier string names, or `None` for relative paths and builtins.
fn module_of(node: Node, src: &[u8]) -> Option<String> {
    let mut v = Vec::new();
    push(node, src, &mut v);
    v.pop().map(|i| i.module)
}

/// `import X from "m"`, `import * as X from "m"`, `import { A, B as C } from "m"`.
fn bind_import(node: Node, src: &[u8], bindings: &mut HashMap<String, String>) {
    let Some(module) = node
        .child_by_field_name("source")
        .and_then(|s| module_of(s, src))
    else {
        return;
    };
    let mut c = node.walk();
    for child in node.named_children(&mut c) {
        if child.kind() != "import_clause" {
            continue;
        }
        let mut c2 = child.walk();
        for part in child.named_children(&mut c2) {
            match part.kind() {
                "identifier" => {
                    bindings.insert(text(part, src).to_string(), module.clone());
                }
                "namespace_import" => {
                    if let Some(id) = part.named_child(0) {
                        bindings.insert(text(id, src).to_string(), module.clone());
                    }
                }
                "named_imports" => {
                    let mut c3 = part.walk();
                    for spec in part.named_children(&mut c3) {
                        if spec.kind() != "import_specifier" {
                            continue;
                        }
                        let Some(name) = spec.child_by_field_name("name") else {
                            continue;
                        };
                        let local = spec.child_by_field_name("alias").unwrap_or(name);
                        bindings.insert(
                            text(local, src).to_string(),
                            format!("{module}/{}", text(name, src)),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

/// `const X = require("m")`, `const { A, B: C } = require("m")`, and the same with
/// `await import("m")`.
fn bind_require(node: Node, src: &[u8], bindings: &mut HashMap<String, String>) {
    let (Some(name), Some(mut value)) = (
        node.child_by_field_name("name"),
        node.child_by_field_name("value"),
    ) else {
        return;
    };
    if value.kind() == "await_expression" {
        match value.named_child(0) {
            Some(v) => value = v,
            None => return,
        }
    }
    if value.kind() != "call_expression" {
        return;
    }
    let is_loader = value.child_by_field_name("function").is_some_and(|f| {
        f.kind() == "import" || (f.kind() == "identifier" && text(f, src) == "require")
    });
    if !is_loader {
        return;
    }
    let Some(module) = value
        .child_by_field_name("arguments")
        .and_then(|a| a.named_child(0))
        .and_then(|a| module_of(a, src))
    else {
        return;
    };
    match name.kind() {
        "identifier" => {
            bindings.insert(text(name, src).to_string(), module);
        }
        "object_pattern" => {
            let mut c = name.walk();
            for prop in name.named_children(&mut c) {
                match prop.kind() {
                    "shorthand_property_identifier_pattern" => {
                        let n = text(prop, src);
                        bindings.insert(n.to_string(), format!("{module}/{n}"));
                    }
                    "pair_pattern" => {
                        if let (Some(k), Some(v)) = (
                            prop.child_by_field_name("key"),
                            prop.child_by_field_name("value"),
                        ) {
                            if v.kind() == "identifier" {
                                bindings.insert(
                                    text(v, src).to_string(),
                                    format!("{module}/{}", text(k, src)),
                                );
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// The value of a plain string or substitution-free template literal, and its offset.
fn string_value(node: Node, src: &[u8]) -> Option<(String, usize)> {
    if node.kind() == "template_string" {
        let mut c = node.walk();
        if node
            .named_children(&mut c)
            .any(|n| n.kind() == "template_substitution")
        {
            return None;
        }
    }
    let start = node.start_byte() + 1;
    let end = node.end_byte().checked_sub(1)?;
    if end < start {
        return None;
    }
    let value = std::str::from_utf8(src.get(start..end)?).ok()?;
    Some((value.to_string(), start))
}

fn literal(
    node: Node,
    parent: Option<Node>,
    grandparent: Option<Node>,
    src: &[u8],
) -> Option<StrLit> {
    let parent = parent?;
    let is = |field: &str| {
        parent
            .child_by_field_name(field)
            .is_some_and(|v| v.id() == node.id())
    };
    let context = match parent.kind() {
        // Module specifiers are imports, not literals.
        "import_statement" | "export_statement" | "import_require_clause" => return None,
        "arguments" => {
            let callee_is_loader = grandparent
                .and_then(|c| c.child_by_field_name("function"))
                .is_some_and(|f| {
                    f.kind() == "import" || (f.kind() == "identifier" && text(f, src) == "require")
                });
            if callee_is_loader {
                return None;
            }
            StrContext::Argument
        }
        "pair" if is("value") => {
            let key = parent.child_by_field_name("key")?;
            let name = match key.kind() {
                "string" => string_value(key, src).map(|(v, _)| v).unwrap_or_default(),
                _ => text(key, src).to_string(),
            };
            StrContext::Named(name)
        }
        "variable_declarator" if is("value") => {
            StrContext::Named(text(parent.child_by_field_name("name")?, src).to_string())
        }
        "assignment_expression" if is("right") => {
            let left = parent.child_by_field_name("left")?;
            let name = match left.kind() {
                "member_expression" => text(left.child_by_field_name("property")?, src),
                _ => text(left, src),
            };
            StrContext::Named(name.to_string())
        }
        // JSX attribute values: <Chat model="gpt-4o" />
        "jsx_attribute" => StrContext::Named(text(parent.named_child(0)?, src).to_string()),
        _ => StrContext::Other,
    };
    let (value, offset) = string_value(node, src)?;
    Some(StrLit {
        value,
        context,
        offset,
    })
}

/// Every package import in `tree`.
pub fn imports(tree: &Tree, src: &[u8]) -> Vec<Import> {
    let mut out = Vec::new();
    super::preorder(tree, |node, _| {
        visit(node, src, &mut out);
        true
    });
    out
}

fn push(node: Node, src: &[u8], out: &mut Vec<Import>) {
    if node.kind() != "string" {
        return;
    }
    let Some(spec) = unquote(text(node, src)) else {
        return;
    };
    if spec.is_empty() || spec.starts_with('.') || spec.starts_with('/') {
        return;
    }
    // `node:fs`-style builtins and URLs are not packages.
    if spec.starts_with("node:") || spec.contains("://") {
        return;
    }
    // Deno and Bun name registry packages as `npm:openai@4` / `jsr:@std/x`.
    let spec = match spec
        .strip_prefix("npm:")
        .or_else(|| spec.strip_prefix("jsr:"))
    {
        Some(rest) => strip_version(rest),
        None => spec,
    };
    out.push(Import {
        module: spec.to_string(),
        name: None,
        offset: node.start_byte() + 1,
    });
}

/// `openai@4/resources` → `openai/resources`; `@scope/pkg@1` → `@scope/pkg`.
fn strip_version(spec: &str) -> &str {
    let scoped = spec.starts_with('@');
    let search_from = if scoped { 1 } else { 0 };
    match spec[search_from..].find('@') {
        Some(i) => {
            let at = search_from + i;
            // Keep only what precedes the version; a subpath after it is dropped.
            &spec[..at]
        }
        None => spec,
    }
}

/// TypeScript's `import type { X } from "m"` (or every name marked `type`): erased
/// when compiled, so the module is not used at run time.
fn type_only(node: Node) -> bool {
    let mut c = node.walk();
    let children: Vec<Node> = node.children(&mut c).collect();
    if children.iter().any(|n| !n.is_named() && n.kind() == "type") {
        return true;
    }
    let Some(clause) = children.iter().find(|n| n.kind() == "import_clause") else {
        return false;
    };
    let mut c = clause.walk();
    let parts: Vec<Node> = clause.named_children(&mut c).collect();
    let [names] = parts[..] else {
        return false;
    };
    let mut c = names.walk();
    let specs: Vec<Node> = names
        .named_children(&mut c)
        .filter(|n| n.kind() == "import_specifier")
        .collect();
    names.kind() == "named_imports"
        && !specs.is_empty()
        && specs.iter().all(|spec| {
            let mut c = spec.walk();
            // Bound first: the children borrow the cursor past the expression.
            let typed = spec
                .children(&mut c)
                .any(|n| !n.is_named() && n.kind() == "type");
            typed
        })
}

fn visit(node: Node, src: &[u8], out: &mut Vec<Import>) {
    match node.kind() {
        "import_statement" | "export_statement" => {
            if type_only(node) {
                return;
            }
            if let Some(source) = node.child_by_field_name("source") {
                push(source, src, out);
            }
        }
        // TypeScript `import x = require("m")`.
        "import_require_clause" => {
            if let Some(source) = node.child_by_field_name("source") {
                push(source, src, out);
            }
        }
        "call_expression" => {
            let Some(func) = node.child_by_field_name("function") else {
                return;
            };
            let is_import = match func.kind() {
                "import" => true,
                "identifier" => text(func, src) == "require",
                _ => false,
            };
            if !is_import {
                return;
            }
            if let Some(args) = node.child_by_field_name("arguments") {
                if let Some(first) = args.named_child(0) {
                    push(first, src, out);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::code::lang::{parse, Lang};
    use std::time::Duration;

    fn mods(lang: Lang, src: &str) -> Vec<String> {
        let tree = parse(lang, src.as_bytes(), Duration::from_secs(5)).unwrap();
        imports(&tree, src.as_bytes())
            .into_iter()
            .map(|i| i.module)
            .collect()
    }

    fn facts_of(lang: Lang, src: &str) -> Facts {
        let tree = parse(lang, src.as_bytes(), Duration::from_secs(5)).unwrap();
        facts(&tree, src.as_bytes())
    }

    /// A type-only import is erased when compiled: no use of the module at run time.
    #[test]
    fn type_only_imports_are_not_uses() {
        let src = r#"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { type Tool, type Prompt } from "@modelcontextprotocol/sdk/types.js";
export type { Message } from "openai";
import { type ChatModel, ChatOpenAI } from "@langchain/openai";
import Anthropic from "@anthropic-ai/sdk";
"#;
        assert_eq!(
            mods(Lang::TypeScript, src),
            ["@langchain/openai", "@anthropic-ai/sdk"]
        );
    }

    #[test]
    fn calls_resolve_through_imports_requires_and_aliases() {
        let src = r#"
import OpenAI from "openai";
import * as ai from "ai";
import { createOpenAI as mk } from "@ai-sdk/openai";
const { Anthropic: Client } = require("@anthropic-ai/sdk");
const { Mistral } = await import("@mistralai/mistralai");
const client = new OpenAI({ baseURL: "http://localhost:11434/v1" });
const c2 = new Client();
const p = mk({ apiKey });
await ai.generateText({ model: "gpt-4o" });
const m = new Mistral();
local();
"#;
        let calls: Vec<String> = facts_of(Lang::TypeScript, src)
            .calls
            .into_iter()
            .filter_map(|c| c.qualified)
            .collect();
        assert_eq!(
            calls,
            vec![
                "openai",
                "@anthropic-ai/sdk/Anthropic",
                "@ai-sdk/openai/createOpenAI",
                "ai/generateText",
                "@mistralai/mistralai/Mistral",
            ]
        );
    }

    #[test]
    fn strings_carry_context_and_specifiers_are_not_literals() {
        let src = r#"
import x from "openai";
const y = require("ai");
const API_URL = "https://api.openai.com/v1";
fetch("https://api.anthropic.com/v1/messages", { method: "POST" });
const cfg = { model: `claude-sonnet-4-5`, other: `x${v}` };
// "gpt-4o" in a comment
"#;
        let got: Vec<(String, StrContext)> = facts_of(Lang::JavaScript, src)
            .strings
            .into_iter()
            .map(|s| (s.value, s.context))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "https://api.openai.com/v1".into(),
                    StrContext::Named("API_URL".into())
                ),
                (
                    "https://api.anthropic.com/v1/messages".into(),
                    StrContext::Argument
                ),
                ("POST".into(), StrContext::Named("method".into())),
                (
                    "claude-sonnet-4-5".into(),
                    StrContext::Named("model".into())
                ),
            ]
        );
    }

    #[test]
    fn finds_every_import_form_and_nothing_else() {
        let src = r#"
import OpenAI from "openai";
import { streamText } from 'ai';
import "dotenv/config";
export { foo } from "@langchain/core/messages";
const { Anthropic } = require("@anthropic-ai/sdk");
const m = await import("@mistralai/mistralai");
import local from "./local";
const fs = require("node:fs");
// import x from "cohere-ai";
const s = "require('groq-sdk')";
import Groq from "npm:groq-sdk@0.9";
import { z } from "jsr:@std/zod@1/mod.ts";
"#;
        assert_eq!(
            mods(Lang::JavaScript, src),
            vec![
                "openai",
                "ai",
                "dotenv/config",
                "@langchain/core/messages",
                "@anthropic-ai/sdk",
                "@mistralai/mistralai",
                "groq-sdk",
                "@std/zod",
            ]
        );
    }

    #[test]
    fn typescript_and_tsx_forms() {
        let ts = r#"
import type { Message } from "ai";
import cohere = require("cohere-ai");
"#;
        // A type-only import is erased (type_only_imports_are_not_uses).
        assert_eq!(mods(Lang::TypeScript, ts), vec!["cohere-ai"]);
        let tsx = r#"
import { useChat } from "@ai-sdk/react";
export default function Page() { return <div>{"import x from 'openai'"}</div>; }
"#;
        assert_eq!(mods(Lang::Tsx, tsx), vec!["@ai-sdk/react"]);
    }
}
