//! JSON into a positioned [`Tree`]: a strict recursive-descent reader that also takes
//! what editors write in their own settings (JSONC: `//` and `/* */` comments,
//! trailing commas), because VS Code, Cursor and Zed MCP configs are JSONC.
//!
//! serde_json gives no positions, and every fact needs one. Nesting deeper than
//! [`MAX_DEPTH`] is refused before it can exhaust the stack.

use super::tree::{Entry, Node, NodeId, Tree, MAX_DEPTH};

/// Parses `text` as one JSON (or JSONC) document.
pub fn parse(text: &str) -> Result<Tree, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        tree: Tree::default(),
    };
    if p.s.starts_with("\u{feff}".as_bytes()) {
        p.i = 3;
    }
    p.ws()?;
    let root = p.value(0)?;
    p.ws()?;
    if p.i < p.s.len() {
        return Err(p.err("trailing characters after the JSON value"));
    }
    p.tree.docs.push(root);
    Ok(p.tree)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    tree: Tree,
}

impl Parser<'_> {
    fn err(&self, what: &str) -> String {
        let line = self.s[..self.i.min(self.s.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        format!("JSON: {what} at line {line}")
    }

    /// Skips whitespace and comments.
    fn ws(&mut self) -> Result<(), String> {
        loop {
            while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
                self.i += 1;
            }
            if self.s[self.i..].starts_with(b"//") {
                while self.i < self.s.len() && self.s[self.i] != b'\n' {
                    self.i += 1;
                }
            } else if self.s[self.i..].starts_with(b"/*") {
                match self.s[self.i + 2..].windows(2).position(|w| w == b"*/") {
                    Some(p) => self.i += p + 4,
                    None => return Err(self.err("unterminated comment")),
                }
            } else {
                return Ok(());
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<NodeId, String> {
        if depth > MAX_DEPTH {
            return Err(format!("JSON nested deeper than {MAX_DEPTH} levels"));
        }
        let start = self.i;
        match self.s.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut entries = Vec::new();
                loop {
                    self.ws()?;
                    if self.s.get(self.i) == Some(&b'}') {
                        self.i += 1;
                        break;
                    }
                    if self.s.get(self.i) != Some(&b'"') {
                        return Err(self.err("expected a string key"));
                    }
                    let offset = self.i;
                    let key = self.string()?;
                    self.ws()?;
                    if self.s.get(self.i) != Some(&b':') {
                        return Err(self.err("expected `:`"));
                    }
                    self.i += 1;
                    self.ws()?;
                    let value = self.value(depth + 1)?;
                    entries.push(Entry { key, offset, value });
                    self.ws()?;
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            break;
                        }
                        _ => return Err(self.err("expected `,` or `}`")),
                    }
                }
                Ok(self.tree.push(Node::Map {
                    entries,
                    offset: start,
                }))
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.ws()?;
                    if self.s.get(self.i) == Some(&b']') {
                        self.i += 1;
                        break;
                    }
                    items.push(self.value(depth + 1)?);
                    self.ws()?;
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            break;
                        }
                        _ => return Err(self.err("expected `,` or `]`")),
                    }
                }
                Ok(self.tree.push(Node::Seq {
                    items,
                    offset: start,
                }))
            }
            Some(b'"') => {
                let value = self.string()?;
                Ok(self.tree.push(Node::Scalar {
                    value,
                    offset: start,
                }))
            }
            Some(b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {
                while self.i < self.s.len()
                    && (self.s[self.i].is_ascii_alphanumeric()
                        || matches!(self.s[self.i], b'-' | b'+' | b'.'))
                {
                    self.i += 1;
                }
                let word = &self.text[start..self.i];
                let ok = matches!(word, "true" | "false" | "null")
                    || (word.starts_with(|c: char| c == '-' || c.is_ascii_digit())
                        && word.parse::<f64>().is_ok());
                if !ok {
                    self.i = start;
                    return Err(self.err("expected a value"));
                }
                Ok(self.tree.push(Node::Scalar {
                    value: word.to_string(),
                    offset: start,
                }))
            }
            _ => Err(self.err("expected a value")),
        }
    }

    /// A string at `self.i` (on its opening quote), unescaped.
    fn string(&mut self) -> Result<String, String> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let run = self.s[self.i..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .ok_or_else(|| self.err("unterminated string"))?;
            out.push_str(&self.text[self.i..self.i + run]);
            self.i += run;
            match self.s[self.i] {
                b'"' => {
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    let esc = *self
                        .s
                        .get(self.i + 1)
                        .ok_or_else(|| self.err("unterminated string"))?;
                    self.i += 2;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi)
                                && self.s[self.i..].starts_with(b"\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                (0xDC00..0xE000)
                                    .contains(&lo)
                                    .then(|| {
                                        char::from_u32(
                                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00),
                                        )
                                    })
                                    .flatten()
                            } else {
                                char::from_u32(hi)
                            };
                            out.push(c.unwrap_or('\u{fffd}'));
                        }
                        _ => return Err(self.err("bad escape in string")),
                    }
                }
                _ => return Err(self.err("control character in string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let h = self
            .text
            .get(self.i..self.i + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| self.err("bad \\u escape"))?;
        self.i += 4;
        Ok(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_jsonc() {
        let text = "{\n  // servers\n  \"a\": [1, \"x\\ty\", true,],\n  \"b\": {\"c\": null}, /* end */\n}";
        let t = parse(text).unwrap();
        let root = t.docs[0];
        let a = t.entry(root, "a").unwrap();
        assert!(text[a.offset..].starts_with("\"a\""));
        let items = t.items(a.value);
        assert_eq!(t.str(items[1]), Some("x\ty"));
        assert_eq!(t.str(t.path(root, "b.c").unwrap()), Some("null"));
    }

    #[test]
    fn rejects_bad_and_deep_input() {
        assert!(parse("{\"a\": }").is_err());
        assert!(parse("{\"a\": 1} x").is_err());
        assert!(parse("\"unterminated").is_err());
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).unwrap_err().contains("deeper"));
    }
}
