//! A positioned document tree shared by the YAML, JSON and TOML readers.
//!
//! Each reader turns its format into [`Tree`]: scalars, sequences and mappings, each
//! with the byte offset where it is written. YAML aliases stay [`Node::Alias`] links
//! to the anchored node and are never copied, so a file of nested aliases (a
//! "billion laughs") costs memory in proportion to its text; whoever walks the tree
//! bounds how often it follows them.

/// Index of a node in [`Tree::nodes`].
pub type NodeId = usize;

/// Deepest nesting any reader accepts; configuration is shallow, hostile files are not.
pub const MAX_DEPTH: usize = 64;

/// One node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A string, number, boolean or null, as text.
    Scalar {
        /// The value (unquoted, unescaped).
        value: String,
        /// Where it is written.
        offset: usize,
    },
    /// A list.
    Seq {
        /// The items.
        items: Vec<NodeId>,
        /// Where it starts.
        offset: usize,
    },
    /// A mapping, in written order.
    Map {
        /// The entries.
        entries: Vec<Entry>,
        /// Where it starts.
        offset: usize,
    },
    /// A YAML alias (`*name`) of an anchored node (`None`: an unknown anchor).
    Alias {
        /// The anchored node.
        target: Option<NodeId>,
        /// Where the alias is written.
        offset: usize,
    },
}

/// A mapping entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The key as text (empty for a complex YAML key).
    pub key: String,
    /// Where the key is written.
    pub offset: usize,
    /// The value.
    pub value: NodeId,
}

/// Every node of a file and the root of each document.
#[derive(Debug, Default)]
pub struct Tree {
    /// The nodes; children come after their parent only in YAML, so do not rely on order.
    pub nodes: Vec<Node>,
    /// Document roots (YAML files may hold several).
    pub docs: Vec<NodeId>,
}

impl Tree {
    /// Adds a node and returns its id.
    pub fn push(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// The node behind `id`, one alias followed (an alias never targets an alias).
    pub fn node(&self, id: NodeId) -> &Node {
        match &self.nodes[id] {
            Node::Alias {
                target: Some(t), ..
            } => &self.nodes[*t],
            n => n,
        }
    }

    /// The scalar text of `id`, if it is a scalar.
    pub fn str(&self, id: NodeId) -> Option<&str> {
        match self.node(id) {
            Node::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// Where `id` is written (an alias: where the alias is).
    pub fn offset(&self, id: NodeId) -> usize {
        match &self.nodes[id] {
            Node::Scalar { offset, .. }
            | Node::Seq { offset, .. }
            | Node::Map { offset, .. }
            | Node::Alias { offset, .. } => *offset,
        }
    }

    /// The entries of `id`, if it is a mapping.
    pub fn entries(&self, id: NodeId) -> &[Entry] {
        match self.node(id) {
            Node::Map { entries, .. } => entries,
            _ => &[],
        }
    }

    /// The items of `id`, if it is a sequence.
    pub fn items(&self, id: NodeId) -> &[NodeId] {
        match self.node(id) {
            Node::Seq { items, .. } => items,
            _ => &[],
        }
    }

    /// The entry `key` of the mapping `id`.
    pub fn entry(&self, id: NodeId, key: &str) -> Option<&Entry> {
        self.entries(id).iter().find(|e| e.key == key)
    }

    /// The value at `key` of the mapping `id`.
    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.entry(id, key).map(|e| e.value)
    }

    /// The value at a dotted `path` (`spec.predictor`) below `id`.
    pub fn path(&self, id: NodeId, path: &str) -> Option<NodeId> {
        path.split('.').try_fold(id, |at, k| self.get(at, k))
    }

    /// The scalar at `key` of the mapping `id`.
    pub fn get_str(&self, id: NodeId, key: &str) -> Option<&str> {
        self.get(id, key).and_then(|v| self.str(v))
    }

    /// Is `id` a mapping?
    pub fn is_map(&self, id: NodeId) -> bool {
        matches!(self.node(id), Node::Map { .. })
    }
}

/// Byte offsets of the starts of lines, to turn (line, column) markers into offsets.
#[derive(Debug)]
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { text, starts }
    }

    /// The byte offset of `col` characters into 1-based `line`, clamped to the line.
    pub fn offset(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let end = rest.find('\n').unwrap_or(rest.len());
        let line_text = &rest[..end];
        start
            + line_text
                .char_indices()
                .nth(col)
                .map_or(line_text.len(), |(i, _)| i)
    }
}
