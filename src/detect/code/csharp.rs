//! C# namespaces: `using A.B;`, `using static A.B.C;`, `using X = A.B.C;`,
//! `global using A.B;`, at file level or inside a namespace block.
//!
//! The module is the namespace (or type) text with whitespace removed, a leading
//! `global::` stripped and generic arguments cut (`using L = System.Collections.Generic.
//! List<int>;` gives `System.Collections.Generic.List`). Only `using_directive` nodes
//! are read: a `using` in a comment, a string or a `using (var x = …)` statement is
//! never an import. Fully qualified names in code (`new OpenAI.Chat.ChatClient(…)`) are
//! not reported: in the tree they are member accesses, indistinguishable from
//! `variable.Property.Method` without name resolution.

use tree_sitter::{Node, Tree};

use super::{text, Import};

/// Every namespace import in `tree`.
pub fn imports(tree: &Tree, src: &[u8]) -> Vec<Import> {
    let mut out = Vec::new();
    super::preorder(tree, |node, _| visit(node, src, &mut out));
    out
}

/// Records the import at `node`; returns whether to descend into it.
fn visit(node: Node, src: &[u8], out: &mut Vec<Import>) -> bool {
    match node.kind() {
        "using_directive" => {
            // The target is the last named child that is not the alias (`name` field).
            let alias = node.child_by_field_name("name");
            let mut c = node.walk();
            let target = node
                .named_children(&mut c)
                .filter(|n| Some(*n) != alias && n.kind() != "comment")
                .last();
            if let Some(target) = target {
                if let Some((module, offset)) = namespace(target, src) {
                    out.push(Import {
                        module,
                        name: None,
                        offset,
                    });
                }
            }
            false
        }
        // Directives sit at file level or in namespace blocks, never inside types or
        // members; not descending there keeps the walk short on large files.
        "class_declaration"
        | "struct_declaration"
        | "interface_declaration"
        | "record_declaration"
        | "enum_declaration"
        | "global_statement" => false,
        _ => true,
    }
}

/// The namespace named by `target` and the byte offset where it starts.
fn namespace(target: Node, src: &[u8]) -> Option<(String, usize)> {
    let raw = text(target, src);
    let mut offset = target.start_byte();
    let mut s = raw;
    if let Some(rest) = s.strip_prefix("global") {
        let trimmed = rest.trim_start();
        if let Some(after) = trimmed.strip_prefix("::") {
            let after_ws = after.trim_start();
            offset += raw.len() - after_ws.len();
            s = after_ws;
        }
    }
    let s = s.split('<').next().unwrap_or("");
    let module: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let valid = !module.is_empty()
        && module
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '@');
    valid.then_some((module, offset))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::code::lang::{parse, Lang};
    use std::time::Duration;

    fn imports_of(src: &str) -> Vec<Import> {
        let tree = parse(Lang::CSharp, src.as_bytes(), Duration::from_secs(5)).unwrap();
        imports(&tree, src.as_bytes())
    }

    fn mods(src: &str) -> Vec<String> {
        imports_of(src).into_iter().map(|i| i.module).collect()
    }

    #[test]
    fn finds_every_using_form_and_nothing_else() {
        let src = r#"
global using System.Net.Http;
using System;
using OpenAI.Chat;
using static Microsoft.SemanticKernel.KernelArguments;
using AzureOpenAI = Azure.AI.OpenAI;
using Gen = System.Collections.Generic.List<int>;
using global::ModelContextProtocol.Server;
// using Anthropic.SDK;
/* using OllamaSharp; */

namespace Acme.Bot
{
    using Microsoft.Extensions.AI;

    public class Chat
    {
        const string S = "using Mscc.GenerativeAI;";
        public void Run()
        {
            using (var http = new HttpClient()) { }
            using var stream = File.OpenRead("x");
        }
    }
}
"#;
        assert_eq!(
            mods(src),
            vec![
                "System.Net.Http",
                "System",
                "OpenAI.Chat",
                "Microsoft.SemanticKernel.KernelArguments",
                "Azure.AI.OpenAI",
                "System.Collections.Generic.List",
                "ModelContextProtocol.Server",
                "Microsoft.Extensions.AI",
            ]
        );
    }

    #[test]
    fn file_scoped_namespace_and_offsets() {
        let src = "namespace Acme;\n\nusing global::Google.GenAI;\nusing Amazon.BedrockRuntime;\n";
        let found = imports_of(src);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(src[found[0].offset..].starts_with("Google.GenAI;"));
        assert!(src[found[1].offset..].starts_with("Amazon.BedrockRuntime;"));
    }
}
