//! PHP: namespace imports (`use A\B;`, `use A\B as C;`, `use function A\f;`, grouped
//! `use A\{B, C\D}`), calls resolved through them, and string literals with their
//! context.
//!
//! The module of an import is the fully qualified name with its leading `\` dropped
//! (`LLPhant\Chat\OpenAIChat`). A trait `use` inside a class body is not an import, and
//! neither is `require 'vendor/autoload.php'`: it loads a file, not a package. Calls
//! (`new X(…)`, `X::m(…)`, `f(…)`) are resolved the way PHP resolves names: a leading
//! `\` is fully qualified, a first segment bound by `use` is replaced, anything else is
//! relative to the file's namespace. So `OpenAI::client($key)` after `use OpenAI;` is
//! a call of `OpenAI\client`, and `new OpenAIChat()` after `use
//! LLPhant\Chat\OpenAIChat;` a call of `LLPhant\Chat\OpenAIChat`. Calls on objects
//! (`$client->chat()`) have no name to resolve and are not kept.

use std::collections::HashMap;

use tree_sitter::{Node, Tree};

use super::{text, Call, Facts, Import, StrContext, StrLit};

/// Most string literals kept per file: data tables are not where model ids hide.
const MAX_STRINGS: usize = 10_000;

/// One name a `use` clause imports.
struct UseClause {
    /// The fully qualified name, without a leading `\`.
    name: String,
    /// The local name it binds: its alias, else its last segment.
    local: String,
    /// Byte offset of the name in the source.
    offset: usize,
}

/// Every namespace import in `tree`.
pub fn imports(tree: &Tree, src: &[u8]) -> Vec<Import> {
    let mut out = Vec::new();
    super::preorder(tree, |node, _| match node.kind() {
        "namespace_use_declaration" => {
            out.extend(use_clauses(node, src).into_iter().map(|c| Import {
                module: c.name,
                name: None,
                offset: c.offset,
            }));
            false
        }
        // `use` declarations sit at file level or in a namespace block; a `use` in a
        // class body imports a trait. Not descending keeps the walk short.
        "class_declaration"
        | "interface_declaration"
        | "trait_declaration"
        | "enum_declaration"
        | "function_definition" => false,
        _ => true,
    });
    out
}

/// The names a `namespace_use_declaration` imports, group prefixes applied.
fn use_clauses(node: Node, src: &[u8]) -> Vec<UseClause> {
    let mut out = Vec::new();
    let mut prefix: Option<String> = None;
    let mut c = node.walk();
    for child in node.named_children(&mut c) {
        match child.kind() {
            // `use A\{…}`: the prefix stands before the group.
            "namespace_name" => prefix = Some(squash(text(child, src))),
            "namespace_use_clause" => out.extend(clause(child, None, src)),
            "namespace_use_group" => {
                let mut c2 = child.walk();
                for clause_node in child.named_children(&mut c2) {
                    if clause_node.kind() == "namespace_use_clause" {
                        out.extend(clause(clause_node, prefix.as_deref(), src));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn clause(node: Node, prefix: Option<&str>, src: &[u8]) -> Option<UseClause> {
    let alias = node.child_by_field_name("alias");
    let mut c = node.walk();
    let target = node
        .named_children(&mut c)
        .find(|n| matches!(n.kind(), "name" | "qualified_name") && Some(*n) != alias)?;
    let written = squash(text(target, src));
    let written = written.trim_start_matches('\\');
    if written.is_empty() {
        return None;
    }
    let name = match prefix {
        Some(p) => format!("{}\\{written}", p.trim_start_matches('\\')),
        None => written.to_string(),
    };
    let local = match alias {
        Some(a) => text(a, src).to_string(),
        None => name.rsplit('\\').next().unwrap_or(&name).to_string(),
    };
    Some(UseClause {
        name,
        local,
        offset: target.start_byte(),
    })
}

/// What a call names.
enum Callee {
    /// `new X(…)`: the class.
    Class,
    /// `X::m(…)`: a static method of the class.
    Static(String),
    /// `f(…)`: a function.
    Function,
    /// `$x->m(…)`, `(…)->m(…)`: a method of an object, which has no name to resolve;
    /// kept for `*.m(arg)` patterns.
    Method(String),
}

/// A call's first argument as found: a string, or a class constant whose class is
/// resolved with the other names (`Provider::Anthropic` after `use
/// Prism\Prism\Enums\Provider;` is `Prism\Prism\Enums\Provider::Anthropic`).
enum RawArg {
    Str(String),
    Const { class: String, name: String },
}

/// A call as found, before names are resolved (every `use` of the file is known).
struct RawCall {
    /// The namespace the call is written in.
    namespace: String,
    /// The class or function name as written (`OpenAI`, `\Anthropic\Client`).
    name: String,
    callee: Callee,
    first_arg: Option<RawArg>,
    offset: usize,
}

/// Calls of named classes and functions, resolved through `use`, and string literals.
pub fn facts(tree: &Tree, src: &[u8]) -> Facts {
    let mut bindings: HashMap<String, String> = HashMap::new();
    let mut namespace = String::new();
    let mut raw_calls: Vec<RawCall> = Vec::new();
    let mut strings = Vec::new();
    super::preorder(tree, |node, ancestors| {
        match node.kind() {
            "namespace_definition" => {
                namespace = node
                    .child_by_field_name("name")
                    .map(|n| squash(text(n, src)))
                    .unwrap_or_default();
            }
            "namespace_use_declaration" => {
                for c in use_clauses(node, src) {
                    bindings.insert(c.local, c.name);
                }
            }
            "object_creation_expression" => {
                let mut c = node.walk();
                let class = node
                    .named_children(&mut c)
                    .find(|n| matches!(n.kind(), "name" | "qualified_name"));
                if let Some(class) = class {
                    raw_calls.push(RawCall {
                        namespace: namespace.clone(),
                        name: squash(text(class, src)),
                        callee: Callee::Class,
                        first_arg: first_arg(node, src),
                        offset: class.start_byte(),
                    });
                }
            }
            "scoped_call_expression" => {
                if let (Some(scope), Some(name)) = (
                    node.child_by_field_name("scope")
                        .filter(|s| matches!(s.kind(), "name" | "qualified_name")),
                    node.child_by_field_name("name")
                        .filter(|n| n.kind() == "name"),
                ) {
                    raw_calls.push(RawCall {
                        namespace: namespace.clone(),
                        name: squash(text(scope, src)),
                        callee: Callee::Static(text(name, src).to_string()),
                        first_arg: first_arg(node, src),
                        offset: scope.start_byte(),
                    });
                }
            }
            "function_call_expression" => {
                if let Some(func) = node
                    .child_by_field_name("function")
                    .filter(|f| matches!(f.kind(), "name" | "qualified_name"))
                {
                    raw_calls.push(RawCall {
                        namespace: namespace.clone(),
                        name: squash(text(func, src)),
                        callee: Callee::Function,
                        first_arg: first_arg(node, src),
                        offset: func.start_byte(),
                    });
                }
            }
            "member_call_expression" | "nullsafe_member_call_expression" => {
                if let Some(name) = node
                    .child_by_field_name("name")
                    .filter(|n| n.kind() == "name")
                {
                    raw_calls.push(RawCall {
                        namespace: namespace.clone(),
                        name: String::new(),
                        callee: Callee::Method(text(name, src).to_string()),
                        first_arg: first_arg(node, src),
                        offset: name.start_byte(),
                    });
                }
            }
            "string" | "encapsed_string" if strings.len() < MAX_STRINGS => {
                let parent = ancestors.last().copied();
                let grandparent = ancestors.len().checked_sub(2).map(|i| ancestors[i]);
                if let Some(lit) = literal(node, parent, grandparent, src) {
                    strings.push(lit);
                }
            }
            _ => {}
        }
        !matches!(node.kind(), "string" | "encapsed_string" | "comment")
    });
    let calls = raw_calls
        .into_iter()
        .map(|call| {
            let qualified = match &call.callee {
                // An unqualified function falls back to the global one: only a
                // `use function` binding says whose it is.
                Callee::Function if !call.name.contains('\\') => bindings.get(&call.name).cloned(),
                Callee::Method(_) => None,
                _ => resolve(&call.name, &call.namespace, &bindings),
            };
            let (qualified, written) = match call.callee {
                Callee::Static(m) => (
                    qualified.map(|q| format!("{q}\\{m}")),
                    format!("{}::{m}", call.name),
                ),
                Callee::Method(m) => (None, format!("(…).{m}")),
                _ => (qualified, call.name),
            };
            let first_arg = call.first_arg.and_then(|a| match a {
                RawArg::Str(s) => Some(s),
                RawArg::Const { class, name } => {
                    resolve(&class, &call.namespace, &bindings).map(|c| format!("{c}::{name}"))
                }
            });
            Call {
                qualified,
                written,
                first_arg,
                offset: call.offset,
            }
        })
        .collect();
    Facts { calls, strings }
}

/// The fully qualified name of the class name `name` written in namespace `ns`.
fn resolve(name: &str, ns: &str, bindings: &HashMap<String, String>) -> Option<String> {
    if let Some(full) = name.strip_prefix('\\') {
        return Some(full.to_string());
    }
    let (root, rest) = match name.split_once('\\') {
        Some((r, rest)) => (r, Some(rest)),
        None => (name, None),
    };
    if root.eq_ignore_ascii_case("namespace") {
        return rest.map(|r| join(ns, r));
    }
    if matches!(
        root.to_ascii_lowercase().as_str(),
        "self" | "static" | "parent"
    ) {
        return None;
    }
    Some(match (bindings.get(root), rest) {
        (Some(base), Some(rest)) => format!("{base}\\{rest}"),
        (Some(base), None) => base.clone(),
        (None, _) => join(ns, name),
    })
}

fn join(ns: &str, name: &str) -> String {
    if ns.is_empty() {
        name.to_string()
    } else {
        format!("{ns}\\{name}")
    }
}

/// The first argument of a call when it is a plain string or a class constant, else
/// the first named argument's plain string value (`new Client(apiKey: …, model: 'x')`
/// gives `x`).
fn first_arg(call: Node, src: &[u8]) -> Option<RawArg> {
    let mut c = call.walk();
    let args = call
        .named_children(&mut c)
        .find(|n| n.kind() == "arguments")?;
    let mut c = args.walk();
    let mut named = None;
    for arg in args
        .named_children(&mut c)
        .filter(|a| a.kind() == "argument")
    {
        let Some(value) = arg.named_children(&mut arg.walk()).last() else {
            continue;
        };
        let is_string = matches!(value.kind(), "string" | "encapsed_string");
        if arg.child_by_field_name("name").is_some() {
            if is_string && named.is_none() {
                named = string_value(value, src).map(|(v, _)| RawArg::Str(v));
            }
            continue;
        }
        if is_string {
            return string_value(value, src).map(|(v, _)| RawArg::Str(v));
        }
        if value.kind() == "class_constant_access_expression" {
            let (Some(class), Some(name)) = (value.named_child(0), value.named_child(1)) else {
                return None;
            };
            if matches!(class.kind(), "name" | "qualified_name") && name.kind() == "name" {
                return Some(RawArg::Const {
                    class: squash(text(class, src)),
                    name: text(name, src).to_string(),
                });
            }
        }
        return None;
    }
    named
}

/// The value of a string without interpolation (escapes left as written) and the
/// offset of its first character.
fn string_value(node: Node, src: &[u8]) -> Option<(String, usize)> {
    let mut c = node.walk();
    if node
        .named_children(&mut c)
        .any(|n| !matches!(n.kind(), "string_content" | "escape_sequence"))
    {
        return None; // `"{$x}"`, `"$x"`
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

/// The name a key or target stands for: `'model'`, `MODEL`, `$model`, `$this->model`,
/// `$cfg['model']`, `self::$model`.
fn name_of(node: Node, src: &[u8]) -> Option<String> {
    Some(match node.kind() {
        "string" | "encapsed_string" => string_value(node, src)?.0,
        "variable_name" => text(node, src).trim_start_matches('$').to_string(),
        "member_access_expression"
        | "nullsafe_member_access_expression"
        | "scoped_property_access_expression"
        | "class_constant_access_expression" => {
            let name = node
                .child_by_field_name("name")
                .or_else(|| node.named_child(node.named_child_count().checked_sub(1)?))?;
            text(name, src).trim_start_matches('$').to_string()
        }
        // `$cfg['model']`: the key, when it is a literal (no recursion into `$a[$b[…]]`).
        "subscript_expression" => {
            let index = node
                .named_child(1)
                .filter(|i| matches!(i.kind(), "string" | "encapsed_string" | "name"))?;
            name_of(index, src)?
        }
        _ => text(node, src).to_string(),
    })
}

fn literal(
    node: Node,
    parent: Option<Node>,
    grandparent: Option<Node>,
    src: &[u8],
) -> Option<StrLit> {
    let parent = parent?;
    let is = |field: &str| {
        parent
            .child_by_field_name(field)
            .is_some_and(|v| v.id() == node.id())
    };
    let context = match parent.kind() {
        // `model: 'gpt-4o'` (PHP 8 named argument), else positional.
        "argument" => match parent.child_by_field_name("name") {
            Some(name) => StrContext::Named(text(name, src).to_string()),
            None if grandparent.is_some_and(|g| g.kind() == "arguments") => StrContext::Argument,
            None => StrContext::Other,
        },
        // `'model' => 'gpt-4o'`: the value, not the key.
        "array_element_initializer"
            if parent.named_child_count() == 2
                && parent.named_child(1).is_some_and(|v| v.id() == node.id()) =>
        {
            StrContext::Named(name_of(parent.named_child(0)?, src)?)
        }
        "assignment_expression" | "augmented_assignment_expression" if is("right") => {
            StrContext::Named(name_of(parent.child_by_field_name("left")?, src)?)
        }
        // `const MODEL = '…'`, `private string $baseUri = '…'`, parameter defaults.
        "const_element" => StrContext::Named(text(parent.named_child(0)?, src).to_string()),
        "property_element"
        | "simple_parameter"
        | "property_promotion_parameter"
        | "static_variable_declaration"
            if is("default_value") || is("value") =>
        {
            StrContext::Named(name_of(parent.child_by_field_name("name")?, src)?)
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

/// `A \ B` is legal PHP; compare without the spaces.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::code::lang::{parse, Lang};
    use std::time::Duration;

    fn tree(src: &str) -> Tree {
        parse(Lang::Php, src.as_bytes(), Duration::from_secs(5)).unwrap()
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
    fn finds_every_use_form_and_nothing_else() {
        let src = r##"<html><body><?php
namespace App\Services;

use OpenAI;
use LLPhant\Chat\OpenAIChat;
use \Anthropic\Client as Claude;
use LLPhant\{Chat\AnthropicChat, OpenAIConfig as Cfg};
use function Prism\Prism\text;
use Gemini\Client, Mcp\Server;
require 'vendor/autoload.php';
require_once __DIR__ . '/vendor/autoload.php';
// use Mistral\Client;
/* use Cohere\Client; */
$s = "use Ollama\Client;";
?>
<p>use OpenAI\Laravel\Facades\OpenAI;</p>
<?php
class Bot {
    use HasFactory, Prunable;
}
"##;
        assert_eq!(
            mods(src),
            vec![
                "OpenAI",
                "LLPhant\\Chat\\OpenAIChat",
                "Anthropic\\Client",
                "LLPhant\\Chat\\AnthropicChat",
                "LLPhant\\OpenAIConfig",
                "Prism\\Prism\\text",
                "Gemini\\Client",
                "Mcp\\Server",
            ]
        );
    }

    #[test]
    fn use_offsets_point_at_the_name() {
        let src = "<?php\nuse LLPhant\\{Chat\\OpenAIChat};\nuse OpenAI;\n";
        let found = imports(&tree(src), src.as_bytes());
        assert_eq!(found.len(), 2);
        assert!(src[found[0].offset..].starts_with("Chat\\OpenAIChat}"));
        assert!(src[found[1].offset..].starts_with("OpenAI;"));
    }

    #[test]
    fn calls_resolve_through_use_and_the_namespace() {
        let src = r##"<?php
namespace App\Ai;

use OpenAI;
use LLPhant\Chat\OpenAIChat;
use Prism\Prism\Prism;
use Prism\Prism\Enums\Provider;
use OpenAI\Laravel\Facades\OpenAI as OpenAIFacade;
use function Acme\summarize;

$client = OpenAI::client(getenv('OPENAI_API_KEY'));
$chat = new OpenAIChat();
$r = Prism::text()->using(Provider::Anthropic, 'claude-3-7-sonnet-latest')->asText();
$x = new \Anthropic\Client(apiKey: $key, model: 'claude-x');
$f = OpenAIFacade::chat()->create([]);
$local = new Helper('gpt-4o');
$s = summarize('text');
$self = static::make();
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
                (q("OpenAI\\client"), "OpenAI::client".into(), None),
                (None, "getenv".into(), q("OPENAI_API_KEY")),
                (q("LLPhant\\Chat\\OpenAIChat"), "OpenAIChat".into(), None),
                (None, "(…).asText".into(), None),
                (
                    None,
                    "(…).using".into(),
                    q("Prism\\Prism\\Enums\\Provider::Anthropic")
                ),
                (q("Prism\\Prism\\Prism\\text"), "Prism::text".into(), None),
                (
                    q("Anthropic\\Client"),
                    "\\Anthropic\\Client".into(),
                    q("claude-x")
                ),
                (None, "(…).create".into(), None),
                (
                    q("OpenAI\\Laravel\\Facades\\OpenAI\\chat"),
                    "OpenAIFacade::chat".into(),
                    None
                ),
                (q("App\\Ai\\Helper"), "Helper".into(), q("gpt-4o")),
                (q("Acme\\summarize"), "summarize".into(), q("text")),
            ]
        );
    }

    #[test]
    fn strings_carry_their_context_and_comments_are_not_strings() {
        let src = r##"<?php
// 'model' => 'gpt-4-turbo'
/** Uses claude-3-opus. */
$res = $client->chat()->create(['model' => 'gpt-4o', "messages" => [], 'tags' => ['a']]);
$f = OpenAI::factory()->withBaseUri('https://api.openai.com/v1')->make();
$x = new Client(model: "claude-sonnet-4-5");
$this->baseUri = 'http://localhost:11434';
$cfg['model'] = 'gpt-4o-mini';
const MODEL = 'o3-mini';
class A {
    private string $endpoint = 'https://api.anthropic.com/v1';
    public function __construct(private string $model = 'gpt-4.1') {}
}
$greeting = "hello $name";
echo 'gpt-4o is great';
$prompt = <<<EOT
Use gpt-4o
EOT;
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
                ("model".into(), StrContext::Other),
                ("gpt-4o".into(), named("model")),
                ("messages".into(), StrContext::Other),
                ("tags".into(), StrContext::Other),
                ("a".into(), StrContext::Other),
                ("https://api.openai.com/v1".into(), StrContext::Argument),
                ("claude-sonnet-4-5".into(), named("model")),
                ("http://localhost:11434".into(), named("baseUri")),
                ("model".into(), StrContext::Other),
                ("gpt-4o-mini".into(), named("model")),
                ("o3-mini".into(), named("MODEL")),
                ("https://api.anthropic.com/v1".into(), named("endpoint")),
                ("gpt-4.1".into(), named("model")),
                ("gpt-4o is great".into(), StrContext::Other),
            ]
        );
    }
}
