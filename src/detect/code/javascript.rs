//! JavaScript / TypeScript / TSX imports: static `import … from "m"`, bare
//! `import "m"`, `export … from "m"`, `require("m")`, dynamic `import("m")` and
//! TypeScript's `import x = require("m")`. Relative specifiers (`./x`, `../x`, `/x`)
//! name the project's own files and are skipped.

use tree_sitter::{Node, Tree};

use super::{unquote, Import};

/// Every package import in `tree`.
pub fn imports(tree: &Tree, src: &[u8]) -> Vec<Import> {
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        visit(node, src, &mut out);
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}

fn text<'a>(node: Node, src: &'a [u8]) -> &'a str {
    std::str::from_utf8(&src[node.byte_range()]).unwrap_or("")
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

fn visit(node: Node, src: &[u8], out: &mut Vec<Import>) {
    match node.kind() {
        "import_statement" | "export_statement" => {
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
        assert_eq!(mods(Lang::TypeScript, ts), vec!["ai", "cohere-ai"]);
        let tsx = r#"
import { useChat } from "@ai-sdk/react";
export default function Page() { return <div>{"import x from 'openai'"}</div>; }
"#;
        assert_eq!(mods(Lang::Tsx, tsx), vec!["@ai-sdk/react"]);
    }
}
