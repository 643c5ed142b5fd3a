//! AI in CI: third-party AI actions that a repository's workflows run. Such a step is
//! not an agent of the repository — its code is the action vendor's — but what the job
//! hands it (a token that can write, a provider key) is the repository's exposure, so
//! each gets a line of its own in the inventory rather than a unit.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::RepoScan;
use crate::model::{Evidence, Kind};

/// One AI action run by one workflow file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CiUse {
    /// The repository identity.
    pub repo: String,
    /// The workflow (or composite action) file, repo-relative.
    pub path: String,
    /// What the action is (`claude-code`, `codex`): the rule's `identifies`.
    pub action: String,
    /// The steps' `uses:` values as written (`anthropics/claude-code-action@v1`).
    pub uses: Vec<String>,
    /// The permissions of the token its jobs get (`permissions.contents: write`); empty
    /// when the workflow leaves them to the repository's default.
    pub permissions: Vec<String>,
    /// The secrets its jobs pass (`ANTHROPIC_API_KEY`), names only.
    pub secrets: Vec<String>,
    /// The evidence: the steps, grants and secrets, and the file's other AI evidence
    /// (a provider key variable passed to the action).
    pub evidence: Vec<Evidence>,
}

impl CiUse {
    /// Where the entry stands in an inventory: by repository, file, then action.
    pub(super) fn order(&self) -> (&str, &str, &str) {
        (&self.repo, &self.path, &self.action)
    }
}

/// Takes the AI actions out of `repo`'s evidence: each workflow file that runs one
/// gives one [`CiUse`] per action, which also takes the file's other AI evidence except
/// keys (a key written into a workflow is the repository's finding wherever it sits).
pub(super) fn split(repo: &mut RepoScan) -> Vec<CiUse> {
    let mut by_file: BTreeMap<(String, String), CiUse> = BTreeMap::new();
    for e in repo.evidence.iter().filter(|e| e.kind == Kind::Ci) {
        let u = by_file
            .entry((e.path.clone(), e.identifies.clone()))
            .or_insert_with(|| CiUse {
                repo: repo.identity.clone(),
                path: e.path.clone(),
                action: e.identifies.clone(),
                uses: Vec::new(),
                permissions: Vec::new(),
                secrets: Vec::new(),
                evidence: Vec::new(),
            });
        let list = if e.matched.starts_with("permissions") {
            &mut u.permissions
        } else if let Some(name) = e.matched.strip_prefix("secrets.") {
            u.secrets.push(name.to_string());
            u.evidence.push(e.clone());
            continue;
        } else {
            &mut u.uses
        };
        list.push(e.matched.clone());
        u.evidence.push(e.clone());
    }
    if by_file.is_empty() {
        return Vec::new();
    }
    let files: Vec<String> = by_file.keys().map(|(p, _)| p.clone()).collect();
    let mut kept = Vec::with_capacity(repo.evidence.len());
    for e in std::mem::take(&mut repo.evidence) {
        let taken = e.kind == Kind::Ci
            || (files.contains(&e.path)
                && !matches!(
                    e.kind,
                    Kind::Secret | Kind::Owner | Kind::Monitoring | Kind::Eval | Kind::Guardrail
                ));
        if !taken {
            kept.push(e);
        } else if e.kind != Kind::Ci {
            // The file's other AI evidence (a key variable handed to a step) goes with
            // the action whose steps and grants stand nearest to it.
            let distance = |u: &CiUse| {
                u.evidence
                    .iter()
                    .map(|c| c.line.abs_diff(e.line))
                    .min()
                    .unwrap_or(u32::MAX)
            };
            let nearest = by_file
                .values_mut()
                .filter(|u| u.path == e.path)
                .min_by_key(|u| distance(u));
            if let Some(u) = nearest {
                u.evidence.push(e);
            }
        }
    }
    repo.evidence = kept;
    by_file
        .into_values()
        .map(|mut u| {
            for list in [&mut u.uses, &mut u.permissions, &mut u.secrets] {
                list.sort();
                list.dedup();
            }
            u.evidence
                .sort_by(|a, b| (a.line, &a.rule_id).cmp(&(b.line, &b.rule_id)));
            u
        })
        .collect()
}

/// Is `path` a CI pipeline definition? Its AI evidence serves the repository's code
/// (a job that runs the tests with a provider key), never a unit of its own.
pub(super) fn is_pipeline(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path.contains(".github/workflows/")
        || path.starts_with(".circleci/")
        || path.starts_with(".buildkite/")
        || matches!(
            name,
            ".gitlab-ci.yml" | "azure-pipelines.yml" | "Jenkinsfile" | "bitbucket-pipelines.yml"
        )
}
