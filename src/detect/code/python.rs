//! Python imports: `import a.b [as x]`, `from a.b import c [as d]`, `from a import *`,
//! `__import__("a")` and `importlib.import_module("a")` / `import_module("a")`.
//! Relative imports (`from . import x`) name the project's own modules and are skipped.

use tree_sitter::{Node, Tree};

use super::{unquote, Import};

/// Every absolute import in `tree`.
pub fn imports(tree: &Tree, src: &[u8]) -> Vec<Import> {
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    // Iterative pre-order walk: deeply nested input cannot overflow the stack.
    loop {
        let node = cursor.node();
        let descend = visit(node, src, &mut out);
        if descend && cursor.goto_first_child() {
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
