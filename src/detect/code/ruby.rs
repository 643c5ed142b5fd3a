//! Ruby: `require "gem/path"` imports, calls through constant paths, and string
//! literals with their context.
//!
//! An import is a `require` call (no receiver, or `Kernel`) whose first argument is a
//! plain string; the module is that path as written (`openai`, `omniai/openai`).
//! `require_relative`, `load` and paths starting with `.` or `/` name the project's own
//! files and are skipped. A `require` in a comment, a string or a heredoc is not a call
//! in the tree, so it is never an import.
//!
//! Ruby binds no names on `require`: a gem's constants are global, and a Rails app
//! never requires its gems at all (Bundler does). So a call is qualified by its
//! receiver's constant path (`OpenAI::Client.new` is a call of `OpenAI::Client`,
//! `RubyLLM.chat` of `RubyLLM::chat`), with a constant alias (`Client =
//! OpenAI::Client`) followed; rules name those paths in `calls.ruby`.

use std::collections::HashMap;

use tree_sitter::{Node, Tree};

use super::{text, Call, Facts, Import, StrContext, StrLit};

/// Most string literals kept per file: data tables are not where model ids hide.
const MAX_STRINGS: usize = 10_000;

/// Longest receiver text copied; a longer one is a chain, kept as `(…)`.
const MAX_RECEIVER_BYTES: usize = 256;

/// Every gem `require` in `tree`.
pub fn imports(tree: &Tree, src: &[u8]) -> Vec<Import> {
    let mut out = Vec::new();
    super::preorder(tree, |node, _| {
        if node.kind() == "call" {
            if let Some(import) = require(node, src) {
                out.push(import);
            }
        }
        // A string holds no calls outside its interpolations, which never require.
        !matches!(node.kind(), "string" | "heredoc_body" | "comment")
    });
    out
}

/// The import a `require "x"` call makes, if `node` is one.
fn require(node: Node, src: &[u8]) -> Option<Import> {
    let method = node.child_by_field_name("method")?;
    if text(method, src) != "require" {
        return None;
    }
    if let Some(receiver) = node.child_by_field_name("receiver") {
        if text(receiver, src) != "Kernel" {
            return None;
        }
    }
    let first = node
        .child_by_field_name("arguments")?
        .named_child(0)
        .filter(|a| a.kind() == "string")?;
    let (path, offset) = string_value(first, src)?;
    let path = path.trim();
    if path.is_empty()
        || path.starts_with('.')
        || path.starts_with('/')
        || path.contains(char::is_whitespace)
    {
        return None;
    }
    Some(Import {
        module: path.to_string(),
        name: None,
        offset,
    })
}

/// Calls with a receiver (qualified when it is a constant path) and string literals.
pub fn facts(tree: &Tree, src: &[u8]) -> Facts {
    // Constant aliases: `Client = OpenAI::Client`.
    let mut bindings: HashMap<String, String> = HashMap::new();
    let mut raw_calls: Vec<(Option<String>, String, Option<String>, usize)> = Vec::new();
    let mut strings = Vec::new();
    super::preorder(tree, |node, ancestors| {
        match node.kind() {
            "assignment" => {
                if let (Some(left), Some(right)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) {
                    if left.kind() == "constant" {
                        if let Some(path) = constant_path(right, src) {
                            bindings.insert(text(left, src).to_string(), path);
                        }
                    }
                }
            }
            "call" => {
                if let (Some(receiver), Some(method)) = (
                    node.child_by_field_name("receiver"),
                    node.child_by_field_name("method"),
                ) {
                    let method = text(method, src);
                    let path = constant_path(receiver, src);
                    let shown = match &path {
                        Some(p) => p.clone(),
                        None if receiver.byte_range().len() <= MAX_RECEIVER_BYTES
                            && matches!(
                                receiver.kind(),
                                "identifier" | "instance_variable" | "class_variable"
                            ) =>
                        {
                            text(receiver, src).to_string()
                        }
                        None => "(…)".to_string(),
                    };
                    let first = node
                        .child_by_field_name("arguments")
                        .and_then(|a| first_string_arg(a, src));
                    raw_calls.push((
                        path.map(|p| {
                            if method == "new" {
                                p
                            } else {
                                format!("{p}::{method}")
                            }
                        }),
                        format!("{shown}.{method}"),
                        first,
                        receiver.start_byte(),
                    ));
                }
            }
            "string" if strings.len() < MAX_STRINGS => {
                if let Some(lit) = literal(node, ancestors.last().copied(), src) {
                    strings.push(lit);
                }
            }
            _ => {}
        }
        !matches!(node.kind(), "string" | "comment")
    });
    let calls = raw_calls
        .into_iter()
        .map(|(path, written, first_arg, offset)| Call {
            qualified: path.map(|p| resolve_alias(&p, &bindings)),
            written,
            first_arg,
            offset,
        })
        .collect();
    Facts { calls, strings }
}

/// `path` with its root constant replaced when it is an alias (`Client::Chat` after
/// `Client = OpenAI::Client` is `OpenAI::Client::Chat`); constants are global, so an
/// unbound root is the path itself.
fn resolve_alias(path: &str, bindings: &HashMap<String, String>) -> String {
    let (root, rest) = match path.split_once("::") {
        Some((r, rest)) => (r, Some(rest)),
        None => (path, None),
    };
    match (bindings.get(root), rest) {
        (Some(base), Some(rest)) => format!("{base}::{rest}"),
        (Some(base), None) => base.clone(),
        (None, _) => path.to_string(),
    }
}

/// `A::B::C` when `node` is a constant or a path of constants (a leading `::` dropped).
/// A path of more segments is not a name anyone wrote by hand; it is not followed (and
/// a hostile `A::A::…` of any depth costs a bounded walk, with no recursion).
const MAX_PATH_SEGMENTS: usize = 32;

fn constant_path(node: Node, src: &[u8]) -> Option<String> {
    let mut segments = Vec::new();
    let mut node = node;
    loop {
        if segments.len() >= MAX_PATH_SEGMENTS {
            return None;
        }
        match node.kind() {
            "constant" => {
                segments.push(text(node, src));
                break;
            }
            "scope_resolution" => {
                let name = node.child_by_field_name("name")?;
                if name.kind() != "constant" {
                    return None;
                }
                segments.push(text(name, src));
                match node.child_by_field_name("scope") {
                    Some(scope) => node = scope,
                    None => break, // `::Name`: the top level
                }
            }
            _ => return None,
        }
    }
    segments.reverse();
    Some(segments.join("::"))
}

/// The first positional argument when it is a plain string, else the first keyword
/// argument's plain string value (`chat(model: "gpt-4o")`).
fn first_string_arg(args: Node, src: &[u8]) -> Option<String> {
    let first = args.named_child(0)?;
    if first.kind() == "string" {
        return string_value(first, src).map(|(v, _)| v);
    }
    let mut c = args.walk();
    let value = args
        .named_children(&mut c)
        .find(|a| a.kind() == "pair")?
        .child_by_field_name("value")
        .filter(|v| v.kind() == "string")?;
    string_value(value, src).map(|(v, _)| v)
}

/// The value of a string without interpolation (escapes left as written) and the
/// offset of its first character.
pub(crate) fn string_value(node: Node, src: &[u8]) -> Option<(String, usize)> {
    let mut c = node.walk();
    if node
        .named_children(&mut c)
        .any(|n| !matches!(n.kind(), "string_content" | "escape_sequence"))
    {
        return None; // `"#{…}"`
    }
    let open = node.child(0)?;
    let close = node.child(node.child_count().checked_sub(1)?)?;
    let (start, end) = (open.end_byte(), close.start_byte());
    if open.id() == close.id() || end < start {
        return None;
    }
    let value = std::str::from_utf8(src.get(start..end)?).ok()?;
    Some((value.to_string(), start))
}

/// The name a symbol, string or identifier stands for: `:model`, `model:`, `"model"`.
fn key_name(key: Node, src: &[u8]) -> String {
    match key.kind() {
        "string" => string_value(key, src).map(|(v, _)| v).unwrap_or_default(),
        "simple_symbol" => text(key, src).trim_start_matches(':').to_string(),
        _ => text(key, src).trim_end_matches(':').to_string(),
    }
}

/// The name an assignment target gives its value: `x`, `@x`, `X`, `config.x`,
/// `h[:x]`, `A::X`.
fn target_name(left: Node, src: &[u8]) -> Option<String> {
    Some(match left.kind() {
        "call" => text(left.child_by_field_name("method")?, src).to_string(),
        "scope_resolution" => text(left.child_by_field_name("name")?, src).to_string(),
        "element_reference" => {
            let index = left.named_child(1)?;
            key_name(index, src)
        }
        _ => text(left, src).trim_start_matches(['@', '$']).to_string(),
    })
}

fn literal(node: Node, parent: Option<Node>, src: &[u8]) -> Option<StrLit> {
    let parent = parent?;
    let is = |field: &str| {
        parent
            .child_by_field_name(field)
            .is_some_and(|v| v.id() == node.id())
    };
    let context = match parent.kind() {
        "argument_list" => StrContext::Argument,
        // `model: "gpt-4o"`, `"model" => "gpt-4o"`, `:model => "gpt-4o"`
        "pair" if is("value") => {
            StrContext::Named(key_name(parent.child_by_field_name("key")?, src))
        }
        "assignment" | "operator_assignment" if is("right") => {
            StrContext::Named(target_name(parent.child_by_field_name("left")?, src)?)
        }
        // `def initialize(model: "gpt-4o", url = "…")`
        "keyword_parameter" | "optional_parameter" if is("value") => {
            StrContext::Named(text(parent.child_by_field_name("name")?, src).to_string())
        }
        _ => StrContext::Other,
    };
    let (value, offset) = string_value(node, src)?;
    Some(StrLit {
        value,
        context,
        offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::code::lang::{parse, Lang};
    use std::time::Duration;

    fn tree(src: &str) -> Tree {
        parse(Lang::Ruby, src.as_bytes(), Duration::from_secs(5)).unwrap()
    }

    fn mods(src: &str) -> Vec<String> {
        imports(&tree(src), src.as_bytes())
            .into_iter()
            .map(|i| i.module)
            .collect()
    }

    fn facts_of(src: &str) -> Facts {
        facts(&tree(src), src.as_bytes())
    }

    #[test]
    fn finds_every_require_and_nothing_else() {
        let src = r##"
require "openai"
require 'langchain'
require("omniai/openai")
Kernel.require "mcp"
require_relative "lib/openai_helper"
require "./lib/anthropic"
load "ruby_llm.rb"
require "#{base}/gemini"
# require "anthropic"
=begin
require "cohere"
=end
note = "require 'ruby_llm'"
doc = <<~TXT
  require "omniai"
TXT
def setup
  require "anthropic" if ENV["CLAUDE"]
end
"##;
        assert_eq!(
            mods(src),
            vec!["openai", "langchain", "omniai/openai", "mcp", "anthropic"]
        );
    }

    #[test]
    fn require_offset_is_the_path_inside_the_quotes() {
        let src = "x = 1\nrequire 'ruby_llm'\n";
        let found = imports(&tree(src), src.as_bytes());
        assert_eq!(found.len(), 1);
        assert!(src[found[0].offset..].starts_with("ruby_llm'"));
    }

    #[test]
    fn calls_are_qualified_by_constant_paths_and_aliases() {
        let src = r##"
Client = OpenAI::Client
client = OpenAI::Client.new(access_token: ENV["OPENAI_API_KEY"])
claude = ::Anthropic::Client.new
llm = Langchain::LLM::OpenAI.new(api_key: key)
chat = RubyLLM.chat(model: "gpt-4o")
omni = OmniAI::OpenAI::Client.new
aliased = Client.new
client.chat(parameters: {})
"##;
        let got: Vec<(Option<String>, String, Option<String>)> = facts_of(src)
            .calls
            .into_iter()
            .map(|c| (c.qualified, c.written, c.first_arg))
            .collect();
        let q = |s: &str| Some(s.to_string());
        assert_eq!(
            got,
            vec![
                (q("OpenAI::Client"), "OpenAI::Client.new".to_string(), None),
                (q("Anthropic::Client"), "Anthropic::Client.new".into(), None),
                (
                    q("Langchain::LLM::OpenAI"),
                    "Langchain::LLM::OpenAI.new".into(),
                    None
                ),
                (q("RubyLLM::chat"), "RubyLLM.chat".into(), q("gpt-4o")),
                (
                    q("OmniAI::OpenAI::Client"),
                    "OmniAI::OpenAI::Client.new".into(),
                    None
                ),
                (q("OpenAI::Client"), "Client.new".into(), None),
                (None, "client.chat".into(), None),
            ]
        );
    }

    #[test]
    fn strings_carry_their_context_and_comments_are_not_strings() {
        let src = r##"
# model: "gpt-4-turbo"
client = OpenAI::Client.new(uri_base: "https://api.openai.com/")
RubyLLM.chat(model: "claude-sonnet-4-5")
params = { "model" => "gpt-4o-mini", :temperature => "0.2" }
config.uri_base = "http://localhost:11434"
API_URL = "https://api.anthropic.com/v1"
@model ||= "gpt-4.1"
opts[:model] = "o3-mini"
def initialize(model: "gemini-2.0-flash", url = "http://vllm:8000/v1")
end
greeting = "hello #{name}"
puts "gpt-4o is great"
prompt = <<~PROMPT
  Use gpt-4o
PROMPT
"##;
        let got: Vec<(String, StrContext)> = facts_of(src)
            .strings
            .into_iter()
            .map(|s| (s.value, s.context))
            .collect();
        let named = |n: &str| StrContext::Named(n.to_string());
        assert_eq!(
            got,
            vec![
                ("https://api.openai.com/".into(), named("uri_base")),
                ("claude-sonnet-4-5".into(), named("model")),
                ("model".into(), StrContext::Other),
                ("gpt-4o-mini".into(), named("model")),
                ("0.2".into(), named("temperature")),
                ("http://localhost:11434".into(), named("uri_base")),
                ("https://api.anthropic.com/v1".into(), named("API_URL")),
                ("gpt-4.1".into(), named("model")),
                ("o3-mini".into(), named("model")),
                ("gemini-2.0-flash".into(), named("model")),
                ("http://vllm:8000/v1".into(), named("url")),
                ("gpt-4o is great".into(), StrContext::Argument),
            ]
        );
    }

    #[test]
    fn string_offsets_point_at_the_value() {
        let src = "x = OpenAI::Client.new(uri_base: 'http://localhost:1234')\n";
        let facts = facts_of(src);
        assert!(src[facts.strings[0].offset..].starts_with("http://localhost:1234'"));
        assert!(src[facts.calls[0].offset..].starts_with("OpenAI::Client.new"));
    }
}
