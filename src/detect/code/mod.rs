//! The code detector: what tree-sitter shows a file really does — its imports, and,
//! for Python and JavaScript/TypeScript, the calls made through imported names
//! (aliases followed) and the string literals with their syntactic context.
//!
//! Only files whose extension has a grammar, and only when the prefilter selected a
//! rule that needs the parse, are parsed. Words in comments and docstrings are never
//! imports, calls or literals: extraction walks syntax nodes only.

pub mod csharp;
pub mod go;
pub mod java;
pub mod javascript;
pub mod kotlin;
pub mod lang;
pub mod notebook;
pub mod python;
pub mod rust;

use lang::Lang;

/// Every import in `tree`, parsed from `src` as `lang`. The one dispatch from a
/// language to its extractor.
pub fn imports(lang: Lang, tree: &tree_sitter::Tree, src: &[u8]) -> Vec<Import> {
    match lang {
        Lang::Python => python::imports(tree, src),
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => javascript::imports(tree, src),
        Lang::Go => go::imports(tree, src),
        Lang::Java => java::imports(tree, src),
        Lang::Kotlin => kotlin::imports(tree, src),
        Lang::CSharp => csharp::imports(tree, src),
        Lang::Rust => rust::imports(tree, src),
    }
}

/// One import found in code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The module as written (`openai`, `llama_index.core`, `@langchain/openai`).
    pub module: String,
    /// For `from m import x`: `x` (one `Import` per imported name).
    pub name: Option<String>,
    /// Byte offset of the module name in the source.
    pub offset: usize,
}

/// Calls and literals of a file, beyond its imports (Python and JS/TS only).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// Calls and `new` expressions of dotted names, resolved through imports where
    /// their root is imported.
    pub calls: Vec<Call>,
    /// String literals (not docstrings), with where they stand.
    pub strings: Vec<StrLit>,
}

/// A call or `new` of a dotted name: `oa.OpenAI()` after `import openai as oa` is a
/// call of `openai.OpenAI`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// The callee's qualified name when its root is an imported name, aliases
    /// resolved: module, then members joined by the family separator
    /// (`openai.OpenAI`, `@ai-sdk/openai/createOpenAI`).
    pub qualified: Option<String>,
    /// The callee as written, for receivers that are not imports (`session.client`).
    pub written: String,
    /// The first positional argument when it is a plain string literal.
    pub first_arg: Option<String>,
    /// Byte offset of the callee.
    pub offset: usize,
}

/// Where a string literal stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StrContext {
    /// A positional argument of a call.
    Argument,
    /// The value of a keyword argument, object property, dict key or assignment
    /// target with this name (`base_url=`, `{ baseURL: … }`, `API_URL = …`).
    Named(String),
    /// Anywhere else (a list element, a comparison, a return value).
    Other,
}

/// A string literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrLit {
    /// Its value, without quotes (escape sequences left as written).
    pub value: String,
    /// Where it stands.
    pub context: StrContext,
    /// Byte offset of the value's first character.
    pub offset: usize,
}

/// Calls and literals of `tree`, for the languages that have them.
pub fn facts(lang: Lang, tree: &tree_sitter::Tree, src: &[u8]) -> Facts {
    match lang {
        Lang::Python => python::facts(tree, src),
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => javascript::facts(tree, src),
        _ => Facts::default(),
    }
}

/// Resolves `written` (`a.b.c`) through `bindings` (local name → qualified name),
/// joining members with `sep`. `None` when the root is not an imported name.
pub(crate) fn resolve(
    written: &str,
    bindings: &std::collections::HashMap<String, String>,
    sep: &str,
) -> Option<String> {
    let (root, rest) = match written.split_once('.') {
        Some((r, rest)) => (r, Some(rest)),
        None => (written, None),
    };
    let base = bindings.get(root)?;
    Some(match rest {
        Some(rest) => format!("{base}{sep}{}", rest.replace('.', sep)),
        None => base.clone(),
    })
}

/// Walks `tree` in pre-order without recursion (deeply nested input cannot overflow
/// the stack). `visit` gets each node and its ancestors (nearest last) and returns
/// whether to descend into it. The one tree walk of every extractor: `Node::parent`
/// would walk down from the root each time, quadratic on deep trees.
pub(crate) fn preorder<'t>(
    tree: &'t tree_sitter::Tree,
    mut visit: impl FnMut(tree_sitter::Node<'t>, &[tree_sitter::Node<'t>]) -> bool,
) {
    let mut cursor = tree.walk();
    let mut ancestors: Vec<tree_sitter::Node<'t>> = Vec::new();
    loop {
        let node = cursor.node();
        if visit(node, &ancestors) && cursor.goto_first_child() {
            ancestors.push(node);
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            ancestors.pop();
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The UTF-8 text of `node` (empty when it is not UTF-8).
pub(crate) fn text<'a>(node: tree_sitter::Node, src: &'a [u8]) -> &'a str {
    std::str::from_utf8(&src[node.byte_range()]).unwrap_or("")
}

/// Strips the quotes of a string literal's text.
pub(crate) fn unquote(text: &str) -> Option<&str> {
    let t = text.trim();
    // Python prefixes (r, b, u, f) never appear on module names we care about.
    for q in ["\"\"\"", "'''", "\"", "'", "`"] {
        if t.len() >= 2 * q.len() && t.starts_with(q) && t.ends_with(q) {
            let inner = &t[q.len()..t.len() - q.len()];
            if q == "`" && inner.contains("${") {
                return None;
            }
            return Some(inner);
        }
    }
    None
}
