//! Jupyter notebooks: the code cells of an `.ipynb`, ready for the Python detector.
//!
//! Magic lines (`%…`, `!…`) are blanked so the rest of the cell still parses, and
//! `!pip install x` / `%pip install x` lines are returned as dependencies. Line
//! numbers stay those of the cell.

use serde_json::Value;

/// Deepest JSON nesting accepted; notebooks are shallow, hostile files are not.
const MAX_DEPTH: usize = 64;

/// One code cell.
#[derive(Debug, PartialEq, Eq)]
pub struct Cell {
    /// 1-based index among all cells of the notebook.
    pub index: u32,
    /// The source, magic lines blanked.
    pub source: String,
    /// Packages from `pip install` magics, with their offsets in `source`.
    pub pip_installs: Vec<(String, usize)>,
}

/// The code cells of a notebook, or the parser's message.
pub fn code_cells(bytes: &[u8]) -> Result<Vec<Cell>, String> {
    if depth(bytes) > MAX_DEPTH {
        return Err(format!("JSON nested deeper than {MAX_DEPTH} levels"));
    }
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let cells = doc
        .get("cells")
        .and_then(Value::as_array)
        .ok_or_else(|| "no `cells` list (not a Jupyter notebook v4)".to_string())?;
    let mut out = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        if cell.get("cell_type").and_then(Value::as_str) != Some("code") {
            continue;
        }
        let raw = match cell.get("source") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(lines)) => lines.iter().filter_map(Value::as_str).collect(),
            _ => continue,
        };
        let mut source = String::with_capacity(raw.len());
        let mut pip_installs = Vec::new();
        for line in raw.split_inclusive('\n') {
            let t = line.trim_start();
            if t.starts_with('%') || t.starts_with('!') {
                let words: Vec<&str> = t
                    .trim_start_matches(['%', '!'])
                    .split_whitespace()
                    .collect();
                let is_pip = matches!(words.as_slice(), ["pip" | "pip3", "install", ..])
                    || matches!(
                        words.as_slice(),
                        ["python" | "python3", "-m", "pip", "install", ..]
                    );
                if is_pip {
                    let after = words.iter().skip_while(|w| **w != "install").skip(1);
                    for w in after.filter(|w| !w.starts_with('-')) {
                        let name = w.trim_matches(|c| c == '"' || c == '\'');
                        let end = name
                            .find(|c: char| {
                                !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                            })
                            .unwrap_or(name.len());
                        if end > 0 {
                            let offset = source.len() + line.find(name).unwrap_or(0);
                            pip_installs.push((name[..end].to_string(), offset));
                        }
                    }
                }
                // Keep the line count: blank the magic, keep its newline.
                source.extend(std::iter::repeat_n(' ', line.trim_end_matches('\n').len()));
                if line.ends_with('\n') {
                    source.push('\n');
                }
            } else {
                source.push_str(line);
            }
        }
        out.push(Cell {
            index: (i + 1) as u32,
            source,
            pip_installs,
        });
    }
    Ok(out)
}

/// Maximum nesting of `[`/`{` outside strings, without building anything.
fn depth(bytes: &[u8]) -> usize {
    let (mut d, mut max, mut in_str, mut esc) = (0usize, 0usize, false, false);
    for &b in bytes {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                d += 1;
                max = max.max(d);
            }
            b']' | b'}' => d = d.saturating_sub(1),
            _ => {}
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_cells_with_magics() {
        let nb = br##"{"cells": [
 {"cell_type": "markdown", "source": ["import openai is prose here"]},
 {"cell_type": "code", "source": ["!pip install -q openai langchain-core\n", "import openai\n", "%matplotlib inline\n"]},
 {"cell_type": "code", "source": "from anthropic import Anthropic"}
], "nbformat": 4}"##;
        let cells = code_cells(nb).unwrap();
        assert_eq!(cells.len(), 2);
        assert_eq!(cells[0].index, 2);
        assert_eq!(cells[0].source.lines().nth(1), Some("import openai"));
        assert!(!cells[0].source.contains("pip"));
        let names: Vec<&str> = cells[0]
            .pip_installs
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(names, ["openai", "langchain-core"]);
        assert_eq!(cells[1].source, "from anthropic import Anthropic");
    }

    #[test]
    fn malformed_and_hostile_notebooks_are_errors() {
        assert!(code_cells(b"{\"cells\": [").is_err());
        assert!(code_cells(b"{\"nope\": 1}").is_err());
        let deep = "[".repeat(10_000);
        assert!(code_cells(deep.as_bytes()).unwrap_err().contains("deeper"));
    }
}
