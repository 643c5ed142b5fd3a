//! The code detector: real imports found by tree-sitter, matched against the import
//! patterns of the selected rules.
//!
//! Only files whose extension has a grammar, and only when the prefilter selected a
//! rule with import patterns for that language, are parsed. Words in comments,
//! docstrings and plain strings are never imports: extraction walks import nodes only.

pub mod csharp;
pub mod go;
pub mod java;
pub mod javascript;
pub mod kotlin;
pub mod lang;
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
