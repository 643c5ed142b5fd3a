//! YAML into a positioned [`Tree`], from yaml-rust2's event parser (which carries a
//! marker per event; serde deserializers give no positions).
//!
//! Every document of a multi-document file becomes a root. Anchors are recorded and
//! aliases stay links ([`Node::Alias`]): nothing is expanded here. A template that
//! is not YAML until rendered (a Helm chart's `templates/`, Jinja) is read again
//! with its `{{ … }}` actions blanked, offsets kept.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};

use super::tree::{Entry, Lines, Node, NodeId, Tree, MAX_DEPTH};

/// Parses every document of `text`.
pub fn parse(text: &str) -> Result<Tree, String> {
    match parse_strict(text) {
        Ok(t) => Ok(t),
        Err(e) if text.contains("{{") => parse_strict(&blank_actions(text)).map_err(|_| e),
        Err(e) => Err(e),
    }
}

/// `{{ … }}` replaced by spaces (newlines kept), so a template parses as the YAML
/// around its actions.
fn blank_actions(text: &str) -> String {
    let mut out = text.as_bytes().to_vec();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|o| from + o) {
        let close = text[open..].find("}}").map_or(text.len(), |c| open + c + 2);
        // Byte for byte, so every offset stays that of the original text.
        for b in &mut out[open..close] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
        from = close;
    }
    String::from_utf8(out).expect("whole characters between ASCII braces were blanked")
}

enum Frame {
    Seq {
        id: NodeId,
        items: Vec<NodeId>,
    },
    Map {
        id: NodeId,
        entries: Vec<Entry>,
        key: Option<(String, usize)>,
    },
}

fn parse_strict(text: &str) -> Result<Tree, String> {
    let lines = Lines::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut tree = Tree::default();
    let mut anchors: HashMap<usize, NodeId> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        let (event, mark) = parser
            .next_token()
            .map_err(|e| format!("YAML: {}", e.info()).replace('\n', " ") + &at(&e))?;
        let offset = lines.offset(mark.line(), mark.col());
        // A finished node, to attach to its parent.
        let done: Option<NodeId> = match event {
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => None,
            Event::Alias(a) => Some(tree.push(Node::Alias {
                target: anchors.get(&a).copied(),
                offset,
            })),
            Event::Scalar(value, _, anchor, _) => {
                // A key is not a node: it waits for its value.
                if let Some(Frame::Map {
                    key: key @ None, ..
                }) = stack.last_mut()
                {
                    *key = Some((value, offset));
                    None
                } else {
                    let id = tree.push(Node::Scalar { value, offset });
                    if anchor > 0 {
                        anchors.insert(anchor, id);
                    }
                    Some(id)
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("YAML nested deeper than {MAX_DEPTH} levels"));
                }
                let is_map = matches!(event, Event::MappingStart(..));
                let id = tree.push(if is_map {
                    Node::Map {
                        entries: Vec::new(),
                        offset,
                    }
                } else {
                    Node::Seq {
                        items: Vec::new(),
                        offset,
                    }
                });
                if anchor > 0 {
                    anchors.insert(anchor, id);
                }
                // A complex key (a mapping or list used as a key) is kept as an empty key.
                if let Some(Frame::Map {
                    key: key @ None, ..
                }) = stack.last_mut()
                {
                    *key = Some((String::new(), offset));
                }
                stack.push(if is_map {
                    Frame::Map {
                        id,
                        entries: Vec::new(),
                        key: None,
                    }
                } else {
                    Frame::Seq {
                        id,
                        items: Vec::new(),
                    }
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq { id, items }) => {
                    if let Node::Seq { items: slot, .. } = &mut tree.nodes[id] {
                        *slot = items;
                    }
                    Some(id)
                }
                Some(Frame::Map { id, entries, .. }) => {
                    if let Node::Map { entries: slot, .. } = &mut tree.nodes[id] {
                        *slot = entries;
                    }
                    Some(id)
                }
                None => return Err("YAML: unbalanced collection end".into()),
            },
        };
        if let Some(id) = done {
            match stack.last_mut() {
                None => tree.docs.push(id),
                Some(Frame::Seq { items, .. }) => items.push(id),
                Some(Frame::Map { entries, key, .. }) => {
                    if let Some((k, koff)) = key.take() {
                        entries.push(Entry {
                            key: k,
                            offset: koff,
                            value: id,
                        });
                    } else {
                        // A complex key just finished: its value comes next.
                        *key = Some((String::new(), tree.offset(id)));
                    }
                }
            }
        }
    }
    Ok(tree)
}

fn at(e: &yaml_rust2::ScanError) -> String {
    format!(" at line {}", e.marker().line())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_positions_and_aliases() {
        let text = "a: &x\n  b: 1\nc: *x\n---\n- k: v\n  é: \"w\"\n";
        let t = parse(text).unwrap();
        assert_eq!(t.docs.len(), 2);
        let c = t.get(t.docs[0], "c").unwrap();
        assert_eq!(t.str(t.get(c, "b").unwrap()), Some("1"));
        let item = t.items(t.docs[1])[0];
        let e = t.entry(item, "é").unwrap();
        assert!(text[e.offset..].starts_with("é"));
        let v = t.get(item, "é").unwrap();
        assert!(text[t.offset(v)..].starts_with("\"w\""));
    }

    #[test]
    fn helm_template_reads_around_actions() {
        let text = "spec:\n  containers:\n    - image: \"{{ .Values.image }}\"\n      {{- with .Values.env }}\n      env: {{ toYaml . | nindent 8 }}\n      {{- end }}\n";
        let t = parse(text).unwrap();
        assert!(t.path(t.docs[0], "spec.containers").is_some());
        assert!(parse("a: [\n").is_err());
    }
}
