//! `tc group list|status|cancel <taskGroupId>`.

use std::collections::BTreeMap;

use clap::Subcommand;
use serde_json::Value;

use crate::call::invoke;
use crate::failure::Failure;
use crate::output::Output;
use crate::settings::Settings;

/// `tc group ...`.
#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Every task of the group with its status, every page (queue.listTaskGroup)
    List {
        /// The task group id
        task_group_id: String,
    },
    /// How many of the group's tasks are in each state
    Status {
        /// The task group id
        task_group_id: String,
    },
    /// Cancels every unresolved task of the group (queue.cancelTaskGroup)
    Cancel {
        /// The task group id
        task_group_id: String,
    },
}

/// Runs `tc group ...`.
pub async fn run(
    command: &GroupCommand,
    settings: &Settings,
    output: Output,
) -> Result<(), Failure> {
    let answer = match command {
        GroupCommand::List { task_group_id } => {
            invoke(settings, "queue", "listTaskGroup", &[task_group_id], None).await?
        }
        GroupCommand::Status { task_group_id } => {
            let list = invoke(settings, "queue", "listTaskGroup", &[task_group_id], None).await?;
            let mut states: BTreeMap<String, u64> = BTreeMap::new();
            for task in list
                .get("tasks")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let state = task
                    .pointer("/status/state")
                    .and_then(Value::as_str)
                    .unwrap_or("unknown");
                *states.entry(state.to_owned()).or_default() += 1;
            }
            serde_json::json!({"taskGroupId": task_group_id, "states": states})
        }
        GroupCommand::Cancel { task_group_id } => {
            invoke(settings, "queue", "cancelTaskGroup", &[task_group_id], None).await?
        }
    };
    output.json(&answer)
}
