//! Java imports: `import a.b.C;`, `import static a.b.C.m;`, `import a.b.*;`.
//!
//! The module is the dotted name as declared, without a trailing `.*`: a type
//! (`a.b.C`), a static member (`a.b.C.m`) or a package (`a.b`). Comments between the
//! parts are dropped by rebuilding the name from its identifiers. An import the
//! grammar could not parse cleanly (it holds an `ERROR` node, e.g. Java 23's
//! `import module java.base;`) is skipped rather than guessed at.

use tree_sitter::{Node, Tree};

use super::Import;

/// Every import declaration in `tree`.
pub fn imports(tree: &Tree, src: &[u8]) -> Vec<Import> {
    let mut out = Vec::new();
    // Every node is visited: an import wrapped in an `ERROR` node by a syntax error
    // elsewhere is still found.
    super::preorder(tree, |node, _| {
        if node.kind() != "import_declaration" {
            return true;
        }
        out.extend(declaration(node, src));
        false
    });
    out
}

fn declaration(node: Node, src: &[u8]) -> Option<Import> {
    if node.has_error() {
        return None;
    }
    let mut c = node.walk();
    let path = node
        .named_children(&mut c)
        .find(|n| matches!(n.kind(), "scoped_identifier" | "identifier"))?;
    let mut parts = Vec::new();
    collect_identifiers(path, src, &mut parts);
    if parts.is_empty() {
        return None;
    }
    Some(Import {
        module: parts.join("."),
        name: None,
        offset: path.start_byte(),
    })
}

/// The identifiers of a (possibly nested) `scoped_identifier`, left to right.
fn collect_identifiers<'a>(node: Node, src: &'a [u8], out: &mut Vec<&'a str>) {
    if node.kind() == "identifier" {
        if let Ok(t) = std::str::from_utf8(&src[node.byte_range()]) {
            out.push(t);
        }
        return;
    }
    // Depth is the number of dots in one name: recursion is bounded by the line.
    let mut c = node.walk();
    for child in node.named_children(&mut c) {
        collect_identifiers(child, src, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::code::lang::{parse, Lang};
    use std::time::Duration;

    fn mods(src: &str) -> Vec<String> {
        let tree = parse(Lang::Java, src.as_bytes(), Duration::from_secs(5)).unwrap();
        imports(&tree, src.as_bytes())
            .into_iter()
            .map(|i| i.module)
            .collect()
    }

    #[test]
    fn finds_every_import_form_and_nothing_else() {
        let src = r#"package com.acme.chat;

import java.util.List;
import static dev.langchain4j.data.message.UserMessage.userMessage;
import org.springframework.ai.chat.*;
import static com.openai.models.ChatModel.*;
import com.anthropic . /* odd but legal */ client.AnthropicClient;
// import com.google.genai.Client;
/* import io.modelcontextprotocol.server.McpServer; */
/** Uses {@code import com.azure.ai.openai.OpenAIClient;} in docs only. */
public class Chat {
    String s = "import software.amazon.awssdk.services.bedrockruntime.X;";
    String t = """
        import ai.koog.agents.core.AIAgent;
        """;
}
"#;
        assert_eq!(
            mods(src),
            vec![
                "java.util.List",
                "dev.langchain4j.data.message.UserMessage.userMessage",
                "org.springframework.ai.chat",
                "com.openai.models.ChatModel",
                "com.anthropic.client.AnthropicClient",
            ]
        );
    }

    #[test]
    fn offset_is_the_start_of_the_name() {
        let src = "package a;\nimport static com.openai.OpenAI.x;\nimport com.openai.*;\n";
        let tree = parse(Lang::Java, src.as_bytes(), Duration::from_secs(5)).unwrap();
        let found = imports(&tree, src.as_bytes());
        assert_eq!(found.len(), 2);
        for i in &found {
            assert!(src[i.offset..].starts_with("com.openai"), "{i:?}");
            assert_eq!(i.name, None);
        }
    }

    #[test]
    fn a_broken_import_is_skipped_and_the_rest_still_found() {
        // Java 23 module imports are not in this grammar: skipped, not misread.
        let src = "import module java.base;\nimport com.openai.client.OpenAIClient;\nclass X { void f( }\n";
        assert_eq!(mods(src), vec!["com.openai.client.OpenAIClient"]);
    }
}
