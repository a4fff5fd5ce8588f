//! `tc task status|def|artifacts|log|cancel|rerun|retrigger|complete <taskId>`: the
//! shell client's everyday task commands, each one or two queue calls.

use clap::Subcommand;
use serde_json::Value;

use crate::call::invoke;
use crate::failure::Failure;
use crate::output::Output;
use crate::settings::Settings;

/// `tc task ...`.
#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// The task's status (queue.status)
    Status {
        /// The task id
        task_id: String,
    },
    /// The task's definition (queue.task)
    Def {
        /// The task id
        task_id: String,
    },
    /// The artifacts of the task's latest run, every page (queue.listLatestArtifacts)
    Artifacts {
        /// The task id
        task_id: String,
    },
    /// The log of the task's latest run (`public/logs/live.log`), to stdout
    Log {
        /// The task id
        task_id: String,
    },
    /// Cancels the task (queue.cancelTask)
    Cancel {
        /// The task id
        task_id: String,
    },
    /// Runs a resolved task again (queue.rerunTask)
    Rerun {
        /// The task id
        task_id: String,
    },
    /// A new task with the definition of this one, new ids and times shifted to now
    Retrigger {
        /// The task id
        task_id: String,
    },
    /// Claims the task's pending run and reports it completed
    Complete {
        /// The task id
        task_id: String,
    },
}

/// Runs `tc task ...`.
pub async fn run(
    command: &TaskCommand,
    settings: &Settings,
    output: Output,
) -> Result<(), Failure> {
    let answer = match command {
        TaskCommand::Status { task_id } => {
            invoke(settings, "queue", "status", &[task_id], None).await?
        }
        TaskCommand::Def { task_id } => invoke(settings, "queue", "task", &[task_id], None).await?,
        TaskCommand::Artifacts { task_id } => {
            invoke(settings, "queue", "listLatestArtifacts", &[task_id], None).await?
        }
        TaskCommand::Log { task_id } => {
            return crate::commands::artifact::to_stdout(
                settings,
                task_id,
                None,
                "public/logs/live.log",
            )
            .await;
        }
        TaskCommand::Cancel { task_id } => {
            invoke(settings, "queue", "cancelTask", &[task_id], None).await?
        }
        TaskCommand::Rerun { task_id } => {
            invoke(settings, "queue", "rerunTask", &[task_id], None).await?
        }
        TaskCommand::Retrigger { task_id } => retrigger(settings, task_id).await?,
        TaskCommand::Complete { task_id } => complete(settings, task_id).await?,
    };
    output.json(&answer)
}

/// Creates a copy of the task: a new task id, `created` now, and `deadline` and
/// `expires` as far from now as they were from the original's `created`; the
/// dependencies are dropped (a retrigger runs now).
async fn retrigger(settings: &Settings, task_id: &str) -> Result<Value, Failure> {
    let mut definition = invoke(settings, "queue", "task", &[task_id], None).await?;
    let at = |name: &str| -> Result<i64, Failure> {
        definition
            .get(name)
            .and_then(Value::as_str)
            .and_then(|t| t.parse::<tc_client::Time>().ok())
            .map(|t| t.unix_millis())
            .ok_or_else(|| Failure::Other(format!("task {task_id} has no `{name}` timestamp")))
    };
    let now = tc_client::Time::now();
    let shifted = |field: &str| -> Result<Value, Failure> {
        let millis = now.unix_millis() + at(field)? - at("created")?;
        Ok(Value::String(
            tc_client::Time::from_unix_millis(millis)?.to_string(),
        ))
    };
    let (deadline, expires) = (shifted("deadline")?, shifted("expires")?);
    if let Value::Object(map) = &mut definition {
        map.insert("created".into(), Value::String(now.to_string()));
        map.insert("deadline".into(), deadline);
        map.insert("expires".into(), expires);
        map.insert("dependencies".into(), Value::Array(Vec::new()));
    }
    let new_id = tc_client::slugid::nice();
    invoke(
        settings,
        "queue",
        "createTask",
        &[&new_id],
        Some(&definition),
    )
    .await
}

/// Claims the pending run of the task as worker `tc-cli/tc-cli` and reports it completed.
async fn complete(settings: &Settings, task_id: &str) -> Result<Value, Failure> {
    let status = invoke(settings, "queue", "status", &[task_id], None).await?;
    let run_id = status
        .pointer("/status/runs")
        .and_then(Value::as_array)
        .and_then(|runs| runs.last())
        .and_then(|run| run.get("runId"))
        .and_then(Value::as_i64)
        .ok_or_else(|| Failure::Other(format!("task {task_id} has no run to complete")))?
        .to_string();
    let claim = serde_json::json!({"workerGroup": "tc-cli", "workerId": "tc-cli"});
    invoke(
        settings,
        "queue",
        "claimTask",
        &[task_id, &run_id],
        Some(&claim),
    )
    .await?;
    invoke(
        settings,
        "queue",
        "reportCompleted",
        &[task_id, &run_id],
        None,
    )
    .await
}
