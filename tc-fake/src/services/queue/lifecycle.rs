//! How tasks move on by themselves: expired claims and deadlines (applied
//! lazily), dependencies resolving, cancellation.

use super::events::group_message;
use super::model::*;
use crate::error::ApiError;

impl QueueData {
    pub(super) fn task(&self, task_id: &str) -> Result<&Task, ApiError> {
        self.tasks
            .get(task_id)
            .ok_or_else(|| task_not_found(task_id))
    }

    pub(super) fn task_mut(&mut self, task_id: &str) -> Result<&mut Task, ApiError> {
        self.tasks
            .get_mut(task_id)
            .ok_or_else(|| task_not_found(task_id))
    }

    /// Applies the timeouts that Taskcluster's background jobs apply: claims
    /// expire, deadlines pass.
    pub(super) fn tick(&mut self, now: i64, events: &mut Vec<Event>) {
        let ids: Vec<String> = self.tasks.keys().cloned().collect();
        for id in ids {
            let mut resolved = false;
            {
                let QueueData { tasks, seq, .. } = self;
                let Some(task) = tasks.get_mut(&id) else {
                    continue;
                };
                let last = task.last_state();
                let unresolved = !last.is_some_and(RunState::is_resolved);
                if unresolved && task.deadline_ms <= now {
                    match task.runs.last_mut() {
                        Some(run) => run.resolve(RunState::Exception, "deadline-exceeded", now),
                        None => {
                            let run_id = task.add_pending_run("exception", now, seq);
                            task.runs[run_id].resolve(
                                RunState::Exception,
                                "deadline-exceeded",
                                now,
                            );
                        }
                    }
                    events.push(task.exception_event(task.runs.len() - 1));
                    resolved = true;
                } else if last == Some(RunState::Running)
                    && task
                        .runs
                        .last()
                        .and_then(|r| r.taken_until)
                        .is_some_and(|t| t <= now)
                {
                    let run_id = task.runs.len() - 1;
                    task.runs[run_id].resolve(RunState::Exception, "claim-expired", now);
                    events.push(task.exception_event(run_id));
                    if task.retries_left > 0 {
                        task.retries_left -= 1;
                        let new_run = task.add_pending_run("retry", now, seq);
                        events.push(task.pending_event(new_run));
                    } else {
                        resolved = true;
                    }
                }
            }
            if resolved {
                self.on_resolved(&id, now, events);
            }
        }
    }

    /// Bookkeeping after a task is resolved (no new run follows): its
    /// dependents may become pending, its group may be resolved.
    pub(super) fn on_resolved(&mut self, task_id: &str, now: i64, events: &mut Vec<Event>) {
        let (state, group_id) = match self.tasks.get_mut(task_id) {
            Some(task) => {
                task.ever_resolved = true;
                (task.last_state(), task.task_group_id.clone())
            }
            None => return,
        };
        let dependents = self.dependents.get(task_id).cloned().unwrap_or_default();
        let QueueData { tasks, seq, .. } = self;
        for dependent_id in dependents {
            let Some(dependent) = tasks.get_mut(&dependent_id) else {
                continue;
            };
            let satisfies = match state {
                Some(RunState::Completed) => true,
                Some(RunState::Failed | RunState::Exception) => dependent.all_resolved,
                _ => false,
            };
            if !satisfies {
                continue;
            }
            dependent.satisfied.insert(task_id.to_string());
            let unblocked = dependent
                .dependencies
                .iter()
                .all(|d| dependent.satisfied.contains(d));
            if dependent.runs.is_empty() && unblocked && dependent.deadline_ms > now {
                let run_id = dependent.add_pending_run("scheduled", now, seq);
                events.push(dependent.pending_event(run_id));
            }
        }
        if let Some(group) = self.groups.get(&group_id) {
            let active = group
                .members
                .iter()
                .any(|m| self.tasks.get(m).is_some_and(|t| !t.ever_resolved));
            if !active {
                events.push(Event {
                    exchange: "task-group-resolved",
                    routing_key: format!("primary.{group_id}.{}._", group.scheduler_id),
                    cc: vec![],
                    message: group_message(group, &group_id),
                });
            }
        }
    }

    /// Cancels an unresolved task; `false` when it was already resolved.
    pub(super) fn cancel(&mut self, task_id: &str, now: i64, events: &mut Vec<Event>) -> bool {
        {
            let QueueData { tasks, seq, .. } = self;
            let Some(task) = tasks.get_mut(task_id) else {
                return false;
            };
            match task.last_state() {
                Some(state) if state.is_resolved() => return false,
                Some(_) => {
                    if let Some(run) = task.runs.last_mut() {
                        run.resolve(RunState::Exception, "canceled", now);
                    }
                }
                None => {
                    let run_id = task.add_pending_run("exception", now, seq);
                    task.runs[run_id].resolve(RunState::Exception, "canceled", now);
                }
            }
            events.push(task.exception_event(task.runs.len() - 1));
        }
        self.on_resolved(task_id, now, events);
        true
    }
}
