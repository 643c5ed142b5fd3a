//! Kotlin imports: `import a.b.C`, `import a.b.C as D`, `import a.b.*`.
//!
//! The module is the dotted name as declared, without a trailing `.*` and without
//! the alias; backticks of escaped identifiers (`` a.`fun`.B ``) are dropped. An
//! import the grammar could not parse cleanly (it holds an `ERROR` node) is skipped
//! rather than guessed at. `.kts` scripts (Gradle's Kotlin DSL) are Kotlin too.

use tree_sitter::{Node, Tree};

use super::Import;

/// Every import directive in `tree`.
pub fn imports(tree: &Tree, src: &[u8]) -> Vec<Import> {
    let mut out = Vec::new();
    // Every node is visited: an import wrapped in an `ERROR` node by a syntax error
    // elsewhere is still found.
    super::preorder(tree, |node, _| {
        // The keyword token is also called `import`; only the named node is the
        // directive.
        if node.kind() != "import" || !node.is_named() {
            return true;
        }
        out.extend(directive(node, src));
        false
    });
    out
}

fn directive(node: Node, src: &[u8]) -> Option<Import> {
    if node.has_error() {
        return None;
    }
    // The first named child is the path; a second one is the `as` alias.
    let path = node.named_child(0)?;
    let parts: Vec<&str> = match path.kind() {
        "qualified_identifier" => {
            let mut c = path.walk();
            path.named_children(&mut c)
                .filter(|n| n.kind() == "identifier")
                .map(|n| identifier(n, src))
                .collect()
        }
        "identifier" => vec![identifier(path, src)],
        _ => return None,
    };
    if parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    Some(Import {
        module: parts.join("."),
        name: None,
        offset: path.start_byte(),
    })
}

fn identifier<'a>(node: Node, src: &'a [u8]) -> &'a str {
    let text = std::str::from_utf8(&src[node.byte_range()]).unwrap_or("");
    text.trim_matches('`')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::code::lang::{parse, Lang};
    use std::time::Duration;

    fn mods(src: &str) -> Vec<String> {
        let tree = parse(Lang::Kotlin, src.as_bytes(), Duration::from_secs(5)).unwrap();
        imports(&tree, src.as_bytes())
            .into_iter()
            .map(|i| i.module)
            .collect()
    }

    #[test]
    fn finds_every_import_form_and_nothing_else() {
        let src = r#"package com.acme.bot

import kotlinx.coroutines.runBlocking
import dev.langchain4j.model.openai.OpenAiChatModel as Model
import ai.koog.agents.core.*
import com.`fun`.Tools
import Standalone
// import com.google.genai.Client
/* import io.modelcontextprotocol.kotlin.sdk.Tool */
/** See `import com.openai.client.OpenAIClient` in the docs. */
fun main() {
    val s = "import com.anthropic.client.AnthropicClient"
    val t = """
        import software.amazon.awssdk.services.bedrockruntime.X
    """
}
"#;
        assert_eq!(
            mods(src),
            vec![
                "kotlinx.coroutines.runBlocking",
                "dev.langchain4j.model.openai.OpenAiChatModel",
                "ai.koog.agents.core",
                "com.fun.Tools",
                "Standalone",
            ]
        );
    }

    #[test]
    fn offset_is_the_start_of_the_name() {
        let src =
            "package a\n\nimport com.openai.client.OpenAIClient as C\nimport com.openai.models.*\n";
        let tree = parse(Lang::Kotlin, src.as_bytes(), Duration::from_secs(5)).unwrap();
        let found = imports(&tree, src.as_bytes());
        assert_eq!(found.len(), 2);
        for i in &found {
            assert!(src[i.offset..].starts_with("com.openai"), "{i:?}");
            assert_eq!(i.name, None);
        }
    }

    #[test]
    fn gradle_kotlin_script_imports_are_found() {
        let src = "import org.jetbrains.kotlin.gradle.dsl.JvmTarget\n\nplugins { kotlin(\"jvm\") version \"2.0.0\" }\n";
        assert_eq!(mods(src), vec!["org.jetbrains.kotlin.gradle.dsl.JvmTarget"]);
    }
}
