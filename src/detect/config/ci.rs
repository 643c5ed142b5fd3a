//! AI in CI: a workflow step that runs a third-party AI action (`uses:
//! anthropics/claude-code-action@v1`), with what the job gives it — its token's
//! permissions and the secrets it passes. A reviewer weighs such a step by those two,
//! so each is evidence of the same rule on its own line.

use super::{ConfigFact, FactKind};
use crate::detect::hit::{push_at, BlobState};
use crate::detect::BlobOutcome;
use crate::model::Method;
use crate::rules::Rule;

/// The action a `uses:` value runs (`owner/repo[/path]`, lowercase) and its ref; `None`
/// for a local action (`./…`) or a container (`docker://…`).
fn action_of(uses: &str) -> Option<(String, &str)> {
    let uses = uses.trim();
    if uses.starts_with('.') || uses.contains("://") {
        return None;
    }
    let (path, reference) = uses.split_once('@').unwrap_or((uses, ""));
    path.contains('/')
        .then(|| (path.to_ascii_lowercase(), reference))
}

/// Does `action` (`owner/repo[/path]`) run what `pattern` names: the same action, or a
/// path inside it?
fn runs(pattern: &str, action: &str) -> bool {
    action == pattern
        || action
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The job a step's `uses` fact belongs to: `jobs.<job>.steps[].uses` → `jobs.<job>.`;
/// a composite action's `runs.steps[].uses` → the whole file (`""`).
fn job_prefix(name: &str) -> Option<&str> {
    let steps = name.strip_suffix("steps[].uses")?;
    if steps == "runs." {
        return Some("");
    }
    let job = steps.strip_prefix("jobs.")?.strip_suffix('.')?;
    (!job.is_empty() && !job.contains(['.', '['])).then_some(&name[..5 + job.len() + 1])
}

/// The secret names a value passes: `${{ secrets.NAME }}`.
fn secrets_in(value: &str) -> impl Iterator<Item = &str> {
    value.match_indices("secrets.").filter_map(|(at, key)| {
        let rest = &value[at + key.len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        (end > 0).then(|| &rest[..end])
    })
}

/// Is `name` a permissions setting of the job at `job` (or of the workflow, `""`)?
fn is_permission(name: &str, job: &str) -> bool {
    let own = if job.is_empty() {
        name
    } else {
        match name.strip_prefix(job) {
            Some(rest) => rest,
            None => return false,
        }
    };
    own == "permissions" || own.starts_with("permissions.")
}

/// Evidence for every step of the file that runs an action of `rules`, then for the
/// permissions and the secrets of each job that runs one.
pub(super) fn actions(
    state: &BlobState,
    bytes: &[u8],
    facts: &[ConfigFact],
    rules: &[&Rule],
    out: &mut BlobOutcome,
) {
    for f in facts.iter().filter(|f| f.kind == FactKind::Key) {
        let Some(job) = job_prefix(&f.name) else {
            continue;
        };
        let Some((action, _)) = action_of(&f.value) else {
            continue;
        };
        for rule in rules
            .iter()
            .filter(|r| r.actions.iter().any(|p| runs(p, &action)))
        {
            push_at(
                state,
                out,
                rule,
                bytes,
                f.offset,
                Method::Config,
                f.value.trim(),
            );
            job_grants(state, bytes, facts, job, rule, out);
        }
    }
}

/// The permissions and secrets the job at `job` gives its steps: the job's own
/// `permissions` (else the workflow's, which GitHub applies when the job sets none),
/// and every secret the job or the workflow's `env` passes.
fn job_grants(
    state: &BlobState,
    bytes: &[u8],
    facts: &[ConfigFact],
    job: &str,
    rule: &Rule,
    out: &mut BlobOutcome,
) {
    let keys = || facts.iter().filter(|f| f.kind == FactKind::Key);
    let own: Vec<&ConfigFact> = keys().filter(|f| is_permission(&f.name, job)).collect();
    let permissions = if own.is_empty() && !job.is_empty() {
        keys().filter(|f| is_permission(&f.name, "")).collect()
    } else {
        own
    };
    for f in permissions {
        let scope = f
            .name
            .rsplit_once("permissions")
            .map_or("", |(_, s)| s.trim_start_matches('.'));
        let grant = match (scope, f.value.trim()) {
            (_, "") | (_, "none") => continue,
            ("", all) => format!("permissions: {all}"),
            (scope, level) => format!("permissions.{scope}: {level}"),
        };
        push_at(state, out, rule, bytes, f.offset, Method::Config, &grant);
    }
    let mut seen = std::collections::BTreeSet::new();
    let passing = keys().filter(|f| f.name.starts_with(job) || f.name.starts_with("env."));
    for f in passing {
        for name in secrets_in(&f.value) {
            if name != "GITHUB_TOKEN" && seen.insert(name.to_string()) {
                let passed = format!("secrets.{name}");
                push_at(state, out, rule, bytes, f.offset, Method::Config, &passed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_and_their_jobs() {
        assert_eq!(
            action_of(" anthropics/claude-code-action@v1 "),
            Some(("anthropics/claude-code-action".into(), "v1"))
        );
        assert_eq!(action_of("./.github/actions/review"), None);
        assert_eq!(action_of("docker://alpine:3"), None);
        assert!(runs("github/gh-aw", "github/gh-aw/actions/setup"));
        assert!(!runs("github/gh", "github/gh-aw"));
        assert_eq!(job_prefix("jobs.review.steps[].uses"), Some("jobs.review."));
        assert_eq!(job_prefix("runs.steps[].uses"), Some(""));
        assert_eq!(job_prefix("jobs.a.b.steps[].uses"), None);
        assert_eq!(job_prefix("steps[].uses"), None);
        let s: Vec<&str> =
            secrets_in("${{ secrets.ANTHROPIC_API_KEY }} ${{secrets.GH-PAT}}").collect();
        assert_eq!(s, ["ANTHROPIC_API_KEY", "GH-PAT"]);
        assert!(is_permission(
            "jobs.review.permissions.contents",
            "jobs.review."
        ));
        assert!(is_permission("permissions", ""));
        assert!(!is_permission(
            "jobs.other.permissions.contents",
            "jobs.review."
        ));
    }
}
