//! The queue service: tasks, runs, claims, artifacts and task groups.
//!
//! Implemented entries: `createTask`, `task`, `status`, `tasks`, `statuses`,
//! `scheduleTask`, `rerunTask`, `cancelTask`, `claimWork`, `claimTask`,
//! `reclaimTask`, `reportCompleted`, `reportFailed`, `reportException`,
//! `createArtifact`, `finishArtifact`, `getArtifact`, `getLatestArtifact`,
//! `artifact`, `latestArtifact`, `artifactInfo`, `latestArtifactInfo`,
//! `listArtifacts`,
//! `listLatestArtifacts`, `listTaskGroup`, `getTaskGroup`, `sealTaskGroup`,
//! `cancelTaskGroup`, `listDependentTasks`, `pendingTasks`,
//! `taskQueueCounts`.
//!
//! Behaviour follows Taskcluster's queue:
//! - `createTask` fills in the defaults (`taskGroupId` = `taskId`,
//!   `schedulerId` `-`, `projectId` `none`, `priority` `lowest`, `retries` 5,
//!   `expires` = `deadline` + 1 year, ...), accepts `taskQueueId` or
//!   `provisionerId` + `workerType` (and answers both), checks `created`
//!   (±15 min), `deadline` (future, at most 5 days) and `expires`, and is
//!   idempotent: the same definition again answers the current status, a
//!   different one 409. A sealed task group or one with another
//!   `schedulerId` answers 409. Dependencies must exist (400 otherwise) and
//!   not expire before the deadline; a task waits `unscheduled` until all of
//!   them are `completed` (`requires: all-completed`) or resolved in any way
//!   (`all-resolved`), then gets a `pending` run. A dependency that has been
//!   satisfied stays satisfied (as in Taskcluster), even if it is rerun.
//! - runs: `reasonCreated` `scheduled`, `retry`, `task-retry`, `rerun`,
//!   `exception`; claims last 20 minutes (`takenUntil`); an expired claim is
//!   resolved `exception`/`claim-expired` and retried while `retriesLeft`
//!   allows, and a task past its deadline is resolved
//!   `exception`/`deadline-exceeded`. These timeouts are applied lazily, at
//!   the start of each request to the queue.
//! - `reportException` with `worker-shutdown` (new run `retry`) or
//!   `intermittent-task` (new run `task-retry`) retries while `retriesLeft`
//!   > 0 and decrements it; other reasons resolve the task.
//! - `claimWork` never blocks: with no pending task for the queue it answers
//!   an empty list at once (Taskcluster long-polls ~20 s). Pending tasks are
//!   claimed by priority, then in the order they became pending.
//! - claims carry real temporary credentials (named
//!   `task-client/<taskId>/<runId>/on/<workerGroup>/<workerId>/until/<secs>`,
//!   with the task's scopes plus `queue:reclaim-task`, `queue:resolve-task`
//!   and `queue:create-artifact` for the run), signed by the first static
//!   client whose scopes cover them; with no static client at all they are
//!   well-formed but signed with a throw-away key.
//! - artifacts: every storage type. `getArtifact` follows links, redirects
//!   with 303 to a reference's URL, an `s3` artifact's data or an `object`
//!   artifact's data (body `{storageType, url}`), and answers 424 for an
//!   error artifact with the body `{reason, message}` (not Taskcluster's
//!   error shape, as the v106 queue answers it); `artifact`/`latestArtifact` answer the content's
//!   description instead (for `object`: the object's name and credentials
//!   with `object:download:<name>` for one hour). `object` artifacts are
//!   created through the object service (`createArtifact` locks in an
//!   upload of the object `t/<taskId>/<runId>/<name>` in the task's project
//!   and answers its `uploadId` and credentials with
//!   `object:upload:<projectId>:<name>`, valid until the artifact expires or
//!   for a day) and are present, fetchable and announced (`artifact-created`)
//!   only after `finishArtifact` with that `uploadId`, once the object's
//!   upload is finished. `s3` artifacts answer a `putUrl` on the fake (the
//!   `PUT` carries the artifact's `contentType`), valid 45 minutes; they are
//!   present at once, never announced, and cannot be finished. Repeating
//!   `createArtifact` with the same properties is accepted (for `object`,
//!   whose `uploadId` is new every time, it is a conflict), as are
//!   Taskcluster's exceptions (a reference may replace a reference, a link
//!   may replace a reference, `expires` may grow). An expired artifact
//!   answers 410. Listings include artifacts not yet present, as in
//!   Taskcluster; `artifactInfo` does not.
//! - listings page with opaque continuation tokens, 1000 items by default.
//!
//! Pulse: [`Queue::set_publisher`] (or [`Queue::set_publisher_with_cc`])
//! installs a hook called, after the state change, for every message
//! Taskcluster's queue would publish: `task-defined`, `task-pending`,
//! `task-running`, `artifact-created`, `task-completed`, `task-failed`,
//! `task-exception`, `task-group-resolved` and `task-group-sealed`, with the
//! full exchange name (`exchange/taskcluster-queue/v1/task-pending`), the
//! primary routing key (`primary.<taskId>.<runId>.<workerGroup>.<workerId>.
//! <provisionerId>.<workerType>.<schedulerId>.<taskGroupId>._`, `_` for
//! absent words) and the message body of the exchange's schema. Task
//! messages are CC'ed to `route.<route>` for each of the task's routes.
//! Every message is checked against its exchange's schema first, hook or
//! not, as the queue does: one that does not match is not published and
//! the request fails with 500 `InternalServerError` after its state change
//! (v106 fails `finishArtifact` so when an object artifact was created with
//! `contentLength`, which the queue copies into the message).

mod artifacts;
mod claims;
mod events;
mod groups;
mod lifecycle;
mod model;
mod tasks;
#[cfg(test)]
mod tests;

pub(crate) use model::Queue;
use model::RunState;

use crate::services::registry::{Entries, Entry};

impl Entries for Queue {
    const SERVICE: &'static str = "queue";
    const ENTRIES: &'static [Entry<Self>] = &[
        Entry::new("createTask", Queue::create_task).scoped(tasks::create_task_params),
        Entry::new("task", Queue::get_task),
        Entry::new("status", Queue::status),
        Entry::new("tasks", |s: &Queue, request| {
            s.tasks_or_statuses(request, false)
        }),
        Entry::new("statuses", |s: &Queue, request| {
            s.tasks_or_statuses(request, true)
        }),
        Entry::new("scheduleTask", Queue::schedule_task).scoped(tasks::task_params),
        Entry::new("rerunTask", Queue::rerun_task).scoped(tasks::task_params),
        Entry::new("cancelTask", Queue::cancel_task).scoped(tasks::task_params),
        Entry::new("claimWork", Queue::claim_work),
        Entry::new("claimTask", Queue::claim_task).scoped(tasks::task_params),
        Entry::new("reclaimTask", Queue::reclaim_task),
        Entry::new("reportCompleted", |s: &Queue, request| {
            s.resolve_task(request, RunState::Completed)
        }),
        Entry::new("reportFailed", |s: &Queue, request| {
            s.resolve_task(request, RunState::Failed)
        }),
        Entry::new("reportException", Queue::report_exception),
        Entry::new("createArtifact", Queue::create_artifact),
        Entry::new("finishArtifact", Queue::finish_artifact),
        Entry::new("getArtifact", |s: &Queue, request| {
            s.get_artifact(request, false)
        })
        .scoped(artifacts::artifact_names_params),
        Entry::new("getLatestArtifact", |s: &Queue, request| {
            s.get_artifact(request, true)
        })
        .scoped(artifacts::artifact_names_params),
        Entry::new("artifactInfo", |s: &Queue, request| {
            s.artifact_info(request, false)
        }),
        Entry::new("latestArtifactInfo", |s: &Queue, request| {
            s.artifact_info(request, true)
        }),
        Entry::new("artifact", |s: &Queue, request| {
            s.artifact_content(request, false)
        })
        .scoped(artifacts::artifact_names_params),
        Entry::new("latestArtifact", |s: &Queue, request| {
            s.artifact_content(request, true)
        })
        .scoped(artifacts::artifact_names_params),
        Entry::new("listArtifacts", |s: &Queue, request| {
            s.list_artifacts(request, false)
        }),
        Entry::new("listLatestArtifacts", |s: &Queue, request| {
            s.list_artifacts(request, true)
        }),
        Entry::new("listTaskGroup", Queue::list_task_group),
        Entry::new("getTaskGroup", Queue::get_task_group),
        Entry::new("sealTaskGroup", Queue::seal_task_group).scoped(groups::group_params),
        Entry::new("cancelTaskGroup", Queue::cancel_task_group).scoped(groups::group_params),
        Entry::new("listDependentTasks", Queue::list_dependent_tasks),
        Entry::new("pendingTasks", |s: &Queue, request| {
            s.queue_counts(request, false)
        }),
        Entry::new("taskQueueCounts", |s: &Queue, request| {
            s.queue_counts(request, true)
        }),
    ];
}
