//! Terraform and other HCL (`.tf`, `.tfvars`, `.hcl`) through hcl-edit, the parser
//! under hcl-rs that keeps spans.
//!
//! `resource "TYPE" "NAME" { … }` and `data "TYPE" "NAME" { … }` become Resource
//! facts with their scalar attributes (nested blocks as dotted names, e.g.
//! `model.name`); every attribute becomes a Key fact named by its block path
//! (`resource.azurerm_cognitive_deployment.gpt.model.name`, `variable.model.default`,
//! `local.endpoint`); `image = "…"` is an image; object keys shaped like variables
//! (`app_settings = { OPENAI_API_KEY = … }`) and `env { name = … }` blocks are Env
//! facts. hcl-edit bounds its own nesting depth.

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Body, Structure};
use hcl_edit::Span;

use super::walk::{is_env_shaped, is_var_name, MAX_FACTS};
use super::{ConfigFact, FactKind};

/// Every fact of an HCL file, or the parser's message.
pub fn facts(text: &str) -> Result<Vec<ConfigFact>, String> {
    let body = hcl_edit::parser::parse_body(text).map_err(|e| {
        let first = e.to_string();
        let first = first.lines().next().unwrap_or("parse error").trim();
        format!("HCL: {}", first.trim_start_matches("-->").trim())
    })?;
    let mut out = Vec::new();
    top(text, &body, &mut out);
    Ok(out)
}

fn start(span: Option<std::ops::Range<usize>>) -> usize {
    span.map_or(0, |s| s.start)
}

fn top(text: &str, body: &Body, out: &mut Vec<ConfigFact>) {
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                // `.tfvars`: `name = value` at the top.
                attribute(text, "", a.key.as_str(), &a.value, start(a.key.span()), out);
            }
            Structure::Block(b) => {
                let ident = b.ident.as_str();
                let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
                let at = start(b.ident.span());
                let path = match (ident, labels.as_slice()) {
                    ("resource" | "data", [ty, name, ..]) => {
                        let mut f = ConfigFact::new(FactKind::Resource, *ty, "", at);
                        scalars(text, "", &b.body, &mut f.attrs, 0);
                        out.push(f);
                        format!("{ident}.{ty}.{name}")
                    }
                    ("locals", _) => "local".to_string(),
                    _ => std::iter::once(ident)
                        .chain(labels.iter().copied())
                        .collect::<Vec<_>>()
                        .join("."),
                };
                block_body(text, &path, &b.body, out, 0);
            }
        }
    }
}

/// Attributes and nested blocks of a block, as Key / Env / Image facts.
fn block_body(text: &str, path: &str, body: &Body, out: &mut Vec<ConfigFact>, depth: usize) {
    if depth > 16 {
        return;
    }
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => attribute(
                text,
                path,
                a.key.as_str(),
                &a.value,
                start(a.key.span()),
                out,
            ),
            Structure::Block(b) => {
                let ident = b.ident.as_str();
                // Kubernetes / Nomad style `env { name = "X" value = "…" }`.
                if ident == "env" {
                    if let Some(name) = b.body.get_attribute("name") {
                        if let Some(n) = scalar(text, &name.value).filter(|n| is_var_name(n)) {
                            let value = b
                                .body
                                .get_attribute("value")
                                .and_then(|v| scalar(text, &v.value))
                                .unwrap_or_default();
                            push(out, FactKind::Env, &n, &value, start(name.value.span()));
                        }
                    }
                }
                let p = format!("{path}.{ident}");
                block_body(text, &p, &b.body, out, depth + 1);
            }
        }
    }
}

fn push(out: &mut Vec<ConfigFact>, kind: FactKind, name: &str, value: &str, offset: usize) {
    if out.len() < MAX_FACTS {
        out.push(ConfigFact::new(kind, name, value, offset));
    }
}

fn attribute(
    text: &str,
    path: &str,
    key: &str,
    value: &Expression,
    offset: usize,
    out: &mut Vec<ConfigFact>,
) {
    let name = if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    };
    expression(text, &name, key, value, offset, out, 0);
}

fn expression(
    text: &str,
    name: &str,
    key: &str,
    value: &Expression,
    offset: usize,
    out: &mut Vec<ConfigFact>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    match value {
        Expression::Object(obj) => {
            push(out, FactKind::Key, name, "", offset);
            for (k, v) in obj.iter() {
                let kname = match k {
                    ObjectKey::Ident(i) => i.as_str().to_string(),
                    ObjectKey::Expression(e) => scalar(text, e).unwrap_or_default(),
                };
                let koff = k.span().map_or(offset, |s| s.start);
                if is_env_shaped(&kname) {
                    let v = scalar(text, v.expr()).unwrap_or_default();
                    push(out, FactKind::Env, &kname, &v, koff);
                }
                let child = format!("{name}.{kname}");
                expression(text, &child, &kname, v.expr(), koff, out, depth + 1);
            }
        }
        Expression::Array(arr) => {
            push(out, FactKind::Key, name, "", offset);
            let child = format!("{name}[]");
            for e in arr.iter() {
                let at = e.span().map_or(offset, |s| s.start);
                expression(text, &child, key, e, at, out, depth + 1);
            }
        }
        e => {
            let v = scalar(text, e).unwrap_or_default();
            push(out, FactKind::Key, name, &v, offset);
            if key == "image" && !v.is_empty() && !v.contains(char::is_whitespace) {
                push(
                    out,
                    FactKind::Image,
                    "image",
                    &v,
                    e.span().map_or(offset, |s| s.start),
                );
            }
        }
    }
}

/// The text of a scalar expression: a literal's value, or the source of anything else
/// that is not a collection (`var.key`, `"${local.x}-y"`, a heredoc).
fn scalar(text: &str, e: &Expression) -> Option<String> {
    match e {
        Expression::String(s) => Some(s.value().to_string()),
        Expression::Array(_) | Expression::Object(_) => None,
        other => {
            let src = text.get(other.span()?)?.trim();
            Some(
                src.strip_prefix('"')
                    .and_then(|s| s.strip_suffix('"'))
                    .unwrap_or(src)
                    .to_string(),
            )
        }
    }
}

/// Scalar attributes of a block, nested blocks and objects as dotted names.
fn scalars(text: &str, prefix: &str, body: &Body, attrs: &mut Vec<(String, String)>, depth: usize) {
    if depth > 8 || attrs.len() >= 64 {
        return;
    }
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                if let Some(v) = scalar(text, &a.value) {
                    attrs.push((join(a.key.as_str()), v));
                }
            }
            Structure::Block(b) => {
                scalars(text, &join(b.ident.as_str()), &b.body, attrs, depth + 1)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_variables_and_env() {
        let text = r#"
variable "model" {
  default = "gpt-4o"
}

resource "azurerm_cognitive_account" "openai" {
  name = "acme-openai"
  kind = "OpenAI"
  sku_name = "S0"
}

resource "aws_lambda_function" "bot" {
  environment {
    variables = {
      ANTHROPIC_API_KEY = var.key
    }
  }
}
"#;
        let f = facts(text).unwrap();
        let acct = f
            .iter()
            .find(|f| f.name == "azurerm_cognitive_account")
            .unwrap();
        assert!(acct.attrs.contains(&("kind".into(), "OpenAI".into())));
        assert!(text[acct.offset..].starts_with("resource"));
        let var = f
            .iter()
            .find(|f| f.name == "variable.model.default")
            .unwrap();
        assert_eq!(var.value, "gpt-4o");
        let env = f.iter().find(|f| f.kind == FactKind::Env).unwrap();
        assert_eq!(
            (env.name.as_str(), env.value.as_str()),
            ("ANTHROPIC_API_KEY", "var.key")
        );
        assert!(facts("resource \"x\" {\n  a = \n").is_err());
    }
}
