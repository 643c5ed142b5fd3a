//! Rust: `use a::b::{c, d as e}`, `use a::b as c`, `use ::a::b`, `extern crate a;`, and
//! fully qualified paths in code (`async_openai::Client::new()`).
//!
//! A `use` tree is flattened into one [`Import`] per leaf, each the full path joined
//! with `::` (`use a::{b, c::d}` gives `a::b` and `a::c::d`; `self` in a list names the
//! prefix itself; a glob gives the prefix). Every leaf of one `use` carries the offset
//! of the tree's first segment, so the caller's per-line dedup folds a braced list into
//! one evidence.
//!
//! Paths that cannot name another crate are dropped: those starting with `crate`,
//! `self`, `super` or `$macro_var`, and those whose first segment is a module declared
//! in the same file (`mod genai;` then `use genai::x` is local). In code (outside `use`)
//! a scoped path also skips the standard crates (`std`, `core`, `alloc`), primitive
//! types (`u8::MAX`) and capitalised first segments, which are types (`Vec::new`,
//! `Self::X`), and each distinct in-code path is reported once per file. Macro bodies
//! are token trees, not paths, and are not read; comments and strings never are.

use std::collections::BTreeSet;

use tree_sitter::{Node, Tree};

use super::{text, Import};

/// First segments that are never another crate, in `use` and in code.
const LOCAL_ROOTS: &[&str] = &["crate", "self", "super", "Self"];

/// First segments skipped only for paths in code: the standard crates and primitives.
const BUILTIN_ROOTS: &[&str] = &[
    "std", "core", "alloc", "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize",
    "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64",
];

/// Every crate import in `tree`.
pub fn imports(tree: &Tree, src: &[u8]) -> Vec<Import> {
    let local_mods = local_modules(tree, src);
    let mut walk = Walk {
        src,
        local_mods: &local_mods,
        seen_in_code: BTreeSet::new(),
        out: Vec::new(),
    };
    super::preorder(tree, |node, _| walk.visit(node));
    walk.out
}

/// Names of the modules declared in this file (`mod x;` or `mod x { … }`), at any depth.
fn local_modules(tree: &Tree, src: &[u8]) -> BTreeSet<String> {
    let mut mods = BTreeSet::new();
    super::preorder(tree, |node, _| {
        if node.kind() == "mod_item" {
            if let Some(name) = node.child_by_field_name("name") {
                mods.insert(text(name, src).to_string());
            }
        }
        true
    });
    mods
}

struct Walk<'a> {
    src: &'a [u8],
    local_mods: &'a BTreeSet<String>,
    seen_in_code: BTreeSet<String>,
    out: Vec<Import>,
}

impl Walk<'_> {
    /// Records imports at `node`; returns whether to descend into it.
    fn visit(&mut self, node: Node) -> bool {
        match node.kind() {
            "use_declaration" => {
                if let Some(arg) = node.child_by_field_name("argument") {
                    let mut leaves = Vec::new();
                    flatten_use(arg, self.src, &[], &mut leaves);
                    let offset = first_segment_start(arg);
                    for path in leaves {
                        self.push_use(path, offset);
                    }
                }
                false
            }
            "extern_crate_declaration" => {
                if let Some(name) = node.child_by_field_name("name") {
                    let crate_name = text(name, self.src);
                    if !LOCAL_ROOTS.contains(&crate_name) {
                        self.out.push(Import {
                            module: crate_name.to_string(),
                            name: None,
                            offset: name.start_byte(),
                        });
                    }
                }
                false
            }
            "scoped_identifier"
            | "scoped_type_identifier"
            | "scoped_type_identifier_in_expression_position" => {
                if let Some((segments, start)) = path_segments(node, self.src) {
                    self.push_code(segments, start);
                }
                // The outermost path is the whole path; inner nodes are its prefixes.
                false
            }
            // Token trees of macro calls are unparsed tokens: nothing there is a path.
            "token_tree" => false,
            _ => true,
        }
    }

    fn push_use(&mut self, path: Vec<String>, offset: usize) {
        let Some(first) = path.first() else {
            return;
        };
        if LOCAL_ROOTS.contains(&first.as_str())
            || first.starts_with('$')
            || self.local_mods.contains(first)
        {
            return;
        }
        self.out.push(Import {
            module: path.join("::"),
            name: None,
            offset,
        });
    }

    fn push_code(&mut self, path: Vec<String>, offset: usize) {
        let Some(first) = path.first() else {
            return;
        };
        if path.len() < 2
            || LOCAL_ROOTS.contains(&first.as_str())
            || BUILTIN_ROOTS.contains(&first.as_str())
            || first.starts_with('$')
            || first.starts_with(|c: char| c.is_uppercase())
            || self.local_mods.contains(first)
        {
            return;
        }
        let module = path.join("::");
        if self.seen_in_code.insert(module.clone()) {
            self.out.push(Import {
                module,
                name: None,
                offset,
            });
        }
    }
}

/// Appends every leaf path of the use clause `node` under `prefix` to `out`.
fn flatten_use(node: Node, src: &[u8], prefix: &[String], out: &mut Vec<Vec<String>>) {
    let joined = |mut p: Vec<String>, rest: Vec<String>| {
        p.extend(rest);
        p
    };
    match node.kind() {
        "use_as_clause" => {
            if let Some(path) = node.child_by_field_name("path") {
                flatten_use(path, src, prefix, out);
            }
        }
        "scoped_use_list" => {
            // `path` is absent for `use ::{a, b}` and `use {a, b}`.
            let base = match node.child_by_field_name("path") {
                Some(p) => match simple_path(p, src) {
                    Some(segs) => joined(prefix.to_vec(), segs),
                    None => return,
                },
                None => prefix.to_vec(),
            };
            if let Some(list) = node.child_by_field_name("list") {
                flatten_use(list, src, &base, out);
            }
        }
        "use_list" => {
            let mut c = node.walk();
            for item in node.named_children(&mut c) {
                if item.kind() == "self" {
                    // `use a::{self, b}`: `self` is `a` itself.
                    if !prefix.is_empty() {
                        out.push(prefix.to_vec());
                    }
                } else {
                    flatten_use(item, src, prefix, out);
                }
            }
        }
        "use_wildcard" => {
            // `use a::b::*` imports from `a::b`; the path is its only named child.
            let mut c = node.walk();
            let path = node.named_children(&mut c).next();
            let base = match path {
                Some(p) => match simple_path(p, src) {
                    Some(segs) => joined(prefix.to_vec(), segs),
                    None => return,
                },
                None => prefix.to_vec(),
            };
            if !base.is_empty() {
                out.push(base);
            }
        }
        _ => {
            if let Some(segs) = simple_path(node, src) {
                out.push(joined(prefix.to_vec(), segs));
            }
        }
    }
}

/// The segments of a plain path (`a`, `a::b::c`, `::a::b`), or `None` for anything
/// else (a generic or bracketed type, a macro variable in an odd place).
fn simple_path(node: Node, src: &[u8]) -> Option<Vec<String>> {
    let mut segs = Vec::new();
    let mut cur = node;
    loop {
        match cur.kind() {
            "identifier" | "crate" | "self" | "super" | "metavariable" => {
                segs.push(text(cur, src).to_string());
                break;
            }
            "scoped_identifier" => {
                segs.push(text(cur.child_by_field_name("name")?, src).to_string());
                match cur.child_by_field_name("path") {
                    Some(p) => cur = p,
                    // `::a::b`: the global root; the first segment is the crate.
                    None => break,
                }
            }
            _ => return None,
        }
    }
    segs.reverse();
    // Raw identifiers (`r#try`) name the same thing as the plain identifier.
    for s in &mut segs {
        if let Some(plain) = s.strip_prefix("r#") {
            *s = plain.to_string();
        }
    }
    Some(segs)
}

/// The segments of a path in code (expression or type position) and the byte offset of
/// its first segment. A turbofish or generic argument list is skipped over
/// (`a::B::<T>::new` gives `a::B::new`); a path rooted in a bracketed type gives `None`.
fn path_segments(node: Node, src: &[u8]) -> Option<(Vec<String>, usize)> {
    let mut segs = Vec::new();
    let mut cur = node;
    let start;
    loop {
        match cur.kind() {
            "identifier" | "type_identifier" | "crate" | "self" | "super" | "metavariable" => {
                segs.push(text(cur, src).to_string());
                start = cur.start_byte();
                break;
            }
            "scoped_identifier"
            | "scoped_type_identifier"
            | "scoped_type_identifier_in_expression_position" => {
                segs.push(text(cur.child_by_field_name("name")?, src).to_string());
                match cur.child_by_field_name("path") {
                    Some(p) => cur = p,
                    None => {
                        // `::a::b`: the offset is that of `a`, the last segment pushed.
                        start = cur.child_by_field_name("name")?.start_byte();
                        break;
                    }
                }
            }
            "generic_type" => cur = cur.child_by_field_name("type")?,
            _ => return None,
        }
    }
    segs.reverse();
    for s in &mut segs {
        if let Some(plain) = s.strip_prefix("r#") {
            *s = plain.to_string();
        }
    }
    // For `::a::b` the loop ended on the node whose name is the first segment, so
    // `start` already points there; otherwise at the innermost identifier.
    Some((segs, start))
}

/// Byte offset of the first path segment of a use clause (after a leading `::`).
fn first_segment_start(node: Node) -> usize {
    let mut cur = node;
    loop {
        let next = match cur.kind() {
            "use_as_clause" | "scoped_use_list" | "scoped_identifier" => {
                cur.child_by_field_name("path")
            }
            "use_wildcard" | "use_list" => cur.named_child(0),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => {
                // A scoped node without `path` starts with `::`; point at its name.
                if cur.kind() == "scoped_identifier" {
                    if let Some(name) = cur.child_by_field_name("name") {
                        return name.start_byte();
                    }
                }
                return cur.start_byte();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::code::lang::{parse, Lang};
    use std::time::Duration;

    fn imports_of(src: &str) -> Vec<Import> {
        let tree = parse(Lang::Rust, src.as_bytes(), Duration::from_secs(5)).unwrap();
        imports(&tree, src.as_bytes())
    }

    fn mods(src: &str) -> Vec<String> {
        imports_of(src).into_iter().map(|i| i.module).collect()
    }

    #[test]
    fn finds_every_use_form_and_nothing_else() {
        let src = r#"
use std::collections::HashMap;
use async_openai::{Client, types::{CreateChatCompletionRequestArgs as Args, Role}};
use rig::providers::openai as oai;
use ::ollama_rs::Ollama;
use rmcp::{self, ServiceExt};
use genai::chat::*;
use crate::config::Settings;
use self::helpers::x;
use super::parent;
extern crate llm_chain;
extern crate anthropic_sdk as claude;
// use clust::Client;
/* extern crate misanthropic; */
const S: &str = "use langchain_rust::llm;";
/// use mistralrs::TextModelBuilder;
fn f() {}
"#;
        assert_eq!(
            mods(src),
            vec![
                "std::collections::HashMap",
                "async_openai::Client",
                "async_openai::types::CreateChatCompletionRequestArgs",
                "async_openai::types::Role",
                "rig::providers::openai",
                "ollama_rs::Ollama",
                "rmcp",
                "rmcp::ServiceExt",
                "genai::chat",
                "llm_chain",
                "anthropic_sdk",
            ]
        );
    }

    #[test]
    fn fully_qualified_paths_in_code() {
        let src = r#"
mod genai;
#[tokio::main]
async fn main() {
    let client = async_openai::Client::new();
    let again = async_openai::Client::new();
    let t: aws_sdk_bedrockruntime::types::Message = build();
    let v = Vec::<u8>::new();
    let m = u8::MAX;
    let h = std::env::var("X");
    let l = genai::local_helper();
    let s = Self::X;
    let g = rig_core::completion::Request::<String>::default();
    println!("{}", ollama_rs::Ollama::default());
    let text = "async_openai::Client::new()";
    // misanthropic::Client::new()
}
"#;
        assert_eq!(
            mods(src),
            vec![
                "tokio::main",
                "async_openai::Client::new",
                "aws_sdk_bedrockruntime::types::Message",
                "rig_core::completion::Request::default",
            ]
        );
    }

    #[test]
    fn local_module_is_not_a_crate() {
        let src = "mod ollama_rs { pub fn x() {} }\nuse ollama_rs::x;\nuse ollama_rs as o;\n";
        assert!(mods(src).is_empty());
    }

    #[test]
    fn offsets_point_at_the_first_segment() {
        let src = "use ::rmcp::{\n    ServiceExt,\n    model::Tool,\n};\nfn f() { let c = rig::client(); }\n";
        let found = imports_of(src);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(src[found[0].offset..].starts_with("rmcp::{"));
        assert_eq!(found[0].offset, found[1].offset);
        assert!(src[found[2].offset..].starts_with("rig::client()"));
    }
}
