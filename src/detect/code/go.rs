//! Go imports: `import "path"`, `import alias "path"`, `import _ "path"`,
//! `import . "path"` and grouped `import ( … )`.
//!
//! The module is the import path exactly as written between the quotes, and the offset
//! points at its first byte (inside the quotes). Only `import_spec` nodes are read, so a
//! path in a comment or in an ordinary string literal is never an import. Paths with
//! escape sequences (legal, never seen in practice) are skipped rather than decoded.

use tree_sitter::{Node, Tree};

use super::{text, unquote, Import};

/// Every package import in `tree`.
pub fn imports(tree: &Tree, src: &[u8]) -> Vec<Import> {
    let mut out = Vec::new();
    super::preorder(tree, |node, _| visit(node, src, &mut out));
    out
}

/// Records the import at `node`; returns whether to descend into it.
fn visit(node: Node, src: &[u8], out: &mut Vec<Import>) -> bool {
    match node.kind() {
        "import_spec" => {
            if let Some(path) = node.child_by_field_name("path") {
                if let Some(module) = unquote(text(path, src)) {
                    if !module.is_empty() && !module.contains('\\') {
                        out.push(Import {
                            module: module.to_string(),
                            name: None,
                            offset: path.start_byte() + 1,
                        });
                    }
                }
            }
            false
        }
        // Import paths never sit inside expressions, types or function bodies; not
        // descending there keeps the walk short on large files.
        "function_declaration" | "method_declaration" | "type_declaration" => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::code::lang::{parse, Lang};
    use std::time::Duration;

    fn imports_of(src: &str) -> Vec<Import> {
        let tree = parse(Lang::Go, src.as_bytes(), Duration::from_secs(5)).unwrap();
        imports(&tree, src.as_bytes())
    }

    fn mods(src: &str) -> Vec<String> {
        imports_of(src).into_iter().map(|i| i.module).collect()
    }

    #[test]
    fn finds_every_import_form_and_nothing_else() {
        let src = r#"package main

import "fmt"
import oa "github.com/sashabaranov/go-openai"
import _ "github.com/lib/pq"
import . "github.com/onsi/gomega"
import (
	"context"

	"github.com/openai/openai-go/v3"
	opt "github.com/openai/openai-go/v3/option"
	// "github.com/anthropics/anthropic-sdk-go"
	_ "embed"
	raw `github.com/tmc/langchaingo/llms`
)

/* import "google.golang.org/genai" */

func main() {
	s := "github.com/mark3labs/mcp-go"
	fmt.Println(s, `import "github.com/ollama/ollama/api"`)
}
"#;
        assert_eq!(
            mods(src),
            vec![
                "fmt",
                "github.com/sashabaranov/go-openai",
                "github.com/lib/pq",
                "github.com/onsi/gomega",
                "context",
                "github.com/openai/openai-go/v3",
                "github.com/openai/openai-go/v3/option",
                "embed",
                "github.com/tmc/langchaingo/llms",
            ]
        );
    }

    #[test]
    fn offset_is_the_path_inside_the_quotes() {
        let src = "package x\n\nimport (\n\tai \"github.com/cloudwego/eino/schema\"\n)\n";
        let found = imports_of(src);
        assert_eq!(found.len(), 1);
        assert!(src[found[0].offset..].starts_with("github.com/cloudwego/eino/schema\""));
    }

    #[test]
    fn broken_source_yields_what_parses() {
        // tree-sitter recovers; an unterminated group still gives its complete specs.
        let src = "package x\nimport (\n\t\"github.com/tmc/langchaingo\"\n\t\"oops\n";
        assert!(mods(src).contains(&"github.com/tmc/langchaingo".to_string()));
    }
}
