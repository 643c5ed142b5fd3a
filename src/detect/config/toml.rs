//! TOML into a positioned [`Tree`] through toml_edit, which keeps spans (the `toml`
//! crate's values do not). Read for AI-client configs such as Codex's
//! `config.toml` (`[mcp_servers.<name>]`) and any other TOML configuration.

use toml_edit::{Array, ArrayOfTables, ImDocument, InlineTable, Item, Table, Value};

use super::tree::{Entry, Node, NodeId, Tree, MAX_DEPTH};

/// Parses `text`.
pub fn parse(text: &str) -> Result<Tree, String> {
    let doc = ImDocument::parse(text).map_err(|e| format!("TOML: {}", e.message()))?;
    let mut tree = Tree::default();
    let root = table(&mut tree, doc.as_table(), 0, 0);
    tree.docs.push(root);
    Ok(tree)
}

fn span_start(span: Option<std::ops::Range<usize>>, fallback: usize) -> usize {
    span.map_or(fallback, |s| s.start)
}

fn table(tree: &mut Tree, t: &Table, fallback: usize, depth: usize) -> NodeId {
    let offset = span_start(t.span(), fallback);
    let mut entries = Vec::new();
    if depth < MAX_DEPTH {
        for (k, _) in t.iter() {
            let Some((key, item)) = t.get_key_value(k) else {
                continue;
            };
            let koff = span_start(key.span(), offset);
            let value = self::item(tree, item, koff, depth + 1);
            entries.push(Entry {
                key: k.to_string(),
                offset: koff,
                value,
            });
        }
    }
    tree.push(Node::Map { entries, offset })
}

fn inline(tree: &mut Tree, t: &InlineTable, fallback: usize, depth: usize) -> NodeId {
    let offset = span_start(t.span(), fallback);
    let mut entries = Vec::new();
    if depth < MAX_DEPTH {
        for (k, _) in t.iter() {
            let Some((key, item)) = t.get_key_value(k) else {
                continue;
            };
            let koff = span_start(key.span(), offset);
            let value = self::item(tree, item, koff, depth + 1);
            entries.push(Entry {
                key: k.to_string(),
                offset: koff,
                value,
            });
        }
    }
    tree.push(Node::Map { entries, offset })
}

fn item(tree: &mut Tree, item: &Item, fallback: usize, depth: usize) -> NodeId {
    match item {
        Item::Table(t) => table(tree, t, fallback, depth),
        Item::ArrayOfTables(a) => tables(tree, a, fallback, depth),
        Item::Value(v) => value(tree, v, fallback, depth),
        Item::None => tree.push(Node::Scalar {
            value: String::new(),
            offset: fallback,
        }),
    }
}

fn tables(tree: &mut Tree, a: &ArrayOfTables, fallback: usize, depth: usize) -> NodeId {
    let offset = span_start(a.span(), fallback);
    let items = a
        .iter()
        .map(|t| table(tree, t, offset, depth + 1))
        .collect();
    tree.push(Node::Seq { items, offset })
}

fn array(tree: &mut Tree, a: &Array, fallback: usize, depth: usize) -> NodeId {
    let offset = span_start(a.span(), fallback);
    let items = if depth < MAX_DEPTH {
        a.iter()
            .map(|v| value(tree, v, offset, depth + 1))
            .collect()
    } else {
        Vec::new()
    };
    tree.push(Node::Seq { items, offset })
}

fn value(tree: &mut Tree, v: &Value, fallback: usize, depth: usize) -> NodeId {
    let offset = span_start(v.span(), fallback);
    let text = match v {
        Value::String(s) => s.value().clone(),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) => f.value().to_string(),
        Value::Boolean(b) => b.value().to_string(),
        Value::Datetime(d) => d.value().to_string(),
        Value::Array(a) => return array(tree, a, offset, depth),
        Value::InlineTable(t) => return inline(tree, t, offset, depth),
    };
    tree.push(Node::Scalar {
        value: text,
        offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codex_mcp_servers() {
        let text = "model = \"o3\"\n\n[mcp_servers.github]\ncommand = \"npx\"\nargs = [\"-y\", \"x\"]\nenv = { GITHUB_TOKEN = \"t\" }\n";
        let t = parse(text).unwrap();
        let gh = t.path(t.docs[0], "mcp_servers.github").unwrap();
        assert_eq!(t.get_str(gh, "command"), Some("npx"));
        let e = t
            .entry(t.get(t.docs[0], "mcp_servers").unwrap(), "github")
            .unwrap();
        assert!(text[e.offset..].starts_with("github"));
        assert!(parse("a = ").is_err());
    }
}
