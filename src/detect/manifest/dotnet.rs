//! .NET: `PackageReference` / `PackageVersion` in MSBuild files (`*.csproj`, `*.fsproj`,
//! `*.vbproj`, `Directory.Packages.props`) and `<package id>` in `packages.config`, read
//! with `quick-xml`.
//!
//! MSBuild: `<PackageReference Include="X">` declares X; `Update="X"` changes the
//! metadata of a reference declared elsewhere (often an SDK-implicit one), still naming
//! a package of the project; `<PackageVersion Include="X">` (central package management)
//! and `<GlobalPackageReference Include="X">` pin X for the projects under the props
//! file. Element and attribute names compare ASCII-case-insensitively, as MSBuild does.
//! An item may list several ids separated by `;`; ids built from MSBuild properties or
//! item transforms (`$(…)`, `@(…)`) are not names and are skipped. Ids compare
//! case-insensitively on NuGet, so they are lowercased.
//!
//! XML that is not well formed (an unclosed or mismatched element, a broken attribute)
//! is an error with the parser's message and position.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::Dependency;
use crate::model::Ecosystem;
use crate::rules::normalize_package;

/// Which attributes of which elements name packages.
struct Items {
    /// Element local names (compared ASCII-case-insensitively).
    elements: &'static [&'static str],
    /// Attribute names (compared ASCII-case-insensitively).
    attributes: &'static [&'static str],
}

const MSBUILD: Items = Items {
    elements: &[
        "PackageReference",
        "PackageVersion",
        "GlobalPackageReference",
    ],
    attributes: &["Include", "Update"],
};

const PACKAGES_CONFIG: Items = Items {
    elements: &["package"],
    attributes: &["id"],
};

/// Package references of an MSBuild project or props file.
pub fn msbuild(text: &str) -> Result<Vec<Dependency>, String> {
    read(text, &MSBUILD)
}

/// Packages of a `packages.config`.
pub fn packages_config(text: &str) -> Result<Vec<Dependency>, String> {
    read(text, &PACKAGES_CONFIG)
}

fn is_one_of(name: &[u8], names: &[&str]) -> bool {
    names
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n.as_bytes()))
}

fn read(text: &str, items: &Items) -> Result<Vec<Dependency>, String> {
    let mut reader = Reader::from_str(text);
    let mut out = Vec::new();
    let mut depth: usize = 0;
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader
            .read_event()
            .map_err(|e| format!("{e} (at byte {})", reader.error_position()))?;
        let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let tag = match &event {
            Event::Start(t) => {
                depth += 1;
                Some(t)
            }
            Event::Empty(t) => Some(t),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                None
            }
            Event::Eof => break,
            _ => None,
        };
        if let Some(tag) = tag {
            if is_one_of(tag.local_name().as_ref(), items.elements) {
                let raw_tag = text.get(start..end).unwrap_or("");
                packages(tag, raw_tag, start, items, &mut out)?;
            }
        }
    }
    if depth != 0 {
        return Err(format!("{depth} element(s) never closed"));
    }
    Ok(out)
}

/// Appends the packages named by the item `tag`, whose source text is `raw_tag` at byte
/// `tag_start` of the file.
fn packages(
    tag: &BytesStart<'_>,
    raw_tag: &str,
    tag_start: usize,
    items: &Items,
    out: &mut Vec<Dependency>,
) -> Result<(), String> {
    for attr in tag.attributes() {
        let attr = attr.map_err(|e| format!("{e} (in the tag at byte {tag_start})"))?;
        let key = attr.key.local_name();
        if !is_one_of(key.as_ref(), items.attributes) {
            continue;
        }
        let key = std::str::from_utf8(key.as_ref()).unwrap_or("");
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| format!("{e} (in the tag at byte {tag_start})"))?;
        let value_at = value_offset(raw_tag, key).map(|o| tag_start + o);
        for id in value.split(';') {
            let id = id.trim();
            if id.is_empty() || id.contains("$(") || id.contains("@(") || id.contains("%(") {
                continue;
            }
            // The id's own position when the raw value spells it plainly (no entities).
            let offset = value_at
                .and_then(|v| {
                    let raw_value = &raw_tag[v - tag_start..];
                    raw_value.find(id).map(|i| v + i)
                })
                .unwrap_or(tag_start);
            out.push(Dependency {
                name: normalize_package(id, Ecosystem::Nuget),
                offset,
                locked: false,
            });
        }
    }
    Ok(())
}

/// Offset, within `raw_tag`, of the first byte of the value of attribute `key`.
fn value_offset(raw_tag: &str, key: &str) -> Option<usize> {
    let lower = raw_tag.to_ascii_lowercase();
    let key = key.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower.get(from..)?.find(&key) {
        let at = from + i;
        let before_ok = lower[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_whitespace() || c == ':');
        let rest = &lower[at + key.len()..];
        let after_eq = rest.trim_start().strip_prefix('=').map(str::trim_start);
        if let (true, Some(after)) = (before_ok, after_eq) {
            if after.starts_with('"') || after.starts_with('\'') {
                return Some(raw_tag.len() - after.len() + 1);
            }
        }
        from = at + key.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::{dependencies, ManifestKind};

    fn names(kind: ManifestKind, text: &str) -> Vec<String> {
        dependencies(kind, text)
            .unwrap()
            .into_iter()
            .map(|d| d.name)
            .collect()
    }

    #[test]
    fn msbuild_references_versions_and_updates() {
        let text = r#"<Project Sdk="Microsoft.NET.Sdk">
  <!-- <PackageReference Include="OpenAI" Version="2.1.0" /> -->
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <Description>Uses PackageReference Include="Anthropic.SDK" in prose</Description>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.SemanticKernel" Version="1.30.0" />
    <PackageReference
        Include = 'Azure.AI.OpenAI'
        Version="2.1.0">
      <PrivateAssets>all</PrivateAssets>
    </PackageReference>
    <PackageReference Update="Microsoft.Extensions.AI" Version="9.0.0" />
    <packagereference include="OllamaSharp;ModelContextProtocol" />
    <PackageReference Include="$(SharedPackage)" />
    <ProjectReference Include="..\Shared\Shared.csproj" />
  </ItemGroup>
</Project>
"#;
        assert_eq!(
            names(ManifestKind::MsBuild, text),
            vec![
                "microsoft.semantickernel",
                "azure.ai.openai",
                "microsoft.extensions.ai",
                "ollamasharp",
                "modelcontextprotocol",
            ]
        );
        let deps = dependencies(ManifestKind::MsBuild, text).unwrap();
        assert!(text[deps[0].offset..].starts_with("Microsoft.SemanticKernel\""));
        assert!(text[deps[1].offset..].starts_with("Azure.AI.OpenAI'"));
        assert!(text[deps[4].offset..].starts_with("ModelContextProtocol\""));
    }

    #[test]
    fn central_package_versions() {
        let text = r#"<Project>
  <ItemGroup>
    <PackageVersion Include="Microsoft.Agents.AI" Version="1.0.0" />
    <GlobalPackageReference Include="Google.GenAI" Version="0.1.0" />
  </ItemGroup>
</Project>"#;
        assert_eq!(
            names(ManifestKind::MsBuild, text),
            vec!["microsoft.agents.ai", "google.genai"]
        );
    }

    #[test]
    fn packages_config_ids() {
        let text = r#"<?xml version="1.0" encoding="utf-8"?>
<packages>
  <package id="Newtonsoft.Json" version="13.0.3" targetFramework="net48" />
  <package id="AWSSDK.BedrockRuntime" version="3.7.400" targetFramework="net48" />
</packages>
"#;
        assert_eq!(
            names(ManifestKind::PackagesConfig, text),
            vec!["newtonsoft.json", "awssdk.bedrockruntime"]
        );
        let deps = dependencies(ManifestKind::PackagesConfig, text).unwrap();
        assert!(text[deps[1].offset..].starts_with("AWSSDK.BedrockRuntime\""));
    }

    #[test]
    fn malformed_xml_is_an_error_not_a_panic() {
        for bad in [
            "<Project><ItemGroup><PackageReference Include=\"OpenAI\" /></Project>",
            "<Project><ItemGroup><PackageReference Include=\"OpenAI\"",
            "<Project><ItemGroup>",
            "<Project><PackageReference Include=\"OpenAI\" Include=\"x\" /></Project>",
        ] {
            assert!(dependencies(ManifestKind::MsBuild, bad).is_err(), "{bad:?}");
        }
        assert!(dependencies(ManifestKind::PackagesConfig, "<packages><package id=\"x\"").is_err());
    }
}
