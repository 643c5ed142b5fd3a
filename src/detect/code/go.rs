//! Go imports: `import "path"`, `import alias "path"`, grouped imports.
//!
//! FIXME(#3): extraction is being written; until then this language yields no imports.

use tree_sitter::Tree;

use super::Import;

/// Every package import in `tree`.
pub fn imports(_tree: &Tree, _src: &[u8]) -> Vec<Import> {
    Vec::new()
}
