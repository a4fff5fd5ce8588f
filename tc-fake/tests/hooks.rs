//! The hooks service through the generated client: hook definitions, the
//! trigger schema, JSON-e rendering into a queue task created as the hook's
//! role, trigger tokens and the record of fires.

use serde_json::{Map, Value, json};
use tc_client::hooks::{
    HookCreationRequest, HookMetadata, HookStatusResponseLastFire, Hooks, TriggerHookRequest,
};
use tc_client::queue::Queue;
use tc_client::{Credentials, Error};
use tc_test_support::{client, object, root_credentials};

const GROUP: &str = "project-ci";
const HOOK: &str = "nightly";

fn root(tc: &tc_fake::TcFake) -> Option<Credentials> {
    Some(root_credentials(tc))
}

/// A task template taking the branch from the payload.
fn template() -> Map<String, Value> {
    object(json!({
        "taskQueueId": "proj-ci/nightly",
        "metadata": {
            "name": "nightly of ${payload.branch}",
            "description": "fired by ${firedBy}",
            "owner": "ci@example.com",
            "source": "https://example.com/ci",
        },
        "payload": {"branch": {"$eval": "payload.branch"}},
    }))
}

fn definition(task: Map<String, Value>) -> HookCreationRequest {
    HookCreationRequest::new(
        HookMetadata::new("builds every night", "nightly", "ci@example.com"),
        task,
    )
    .trigger_schema(object(json!({
        "type": "object",
        "properties": {"branch": {"type": "string"}, "taskId": {"type": "string"}},
        "required": ["branch"],
        "additionalProperties": false,
    })))
}

fn api_error(error: &Error) -> (u16, String, String) {
    match error {
        Error::Api {
            status,
            code,
            message,
            ..
        } => (*status, code.clone().unwrap_or_default(), message.clone()),
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn trigger(payload: Value) -> TriggerHookRequest {
    TriggerHookRequest(object(payload))
}

async fn deployment(role_scopes: &[&str]) -> tc_fake::TcFake {
    tc_fake::TcFake::builder()
        .role(
            format!("hook-id:{GROUP}/{HOOK}"),
            role_scopes.iter().copied(),
        )
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_trigger_renders_the_template_into_a_queue_task() {
    let tc = deployment(&["queue:create-task:*", "queue:scheduler-id:*"]).await;
    let hooks: Hooks = client(&tc, root(&tc));
    let queue: Queue = client(&tc, None);

    // triggerHook's context names the caller (triggerHookWithToken's does not)
    let mut task = template();
    task.insert("tags".into(), json!({"clientId": "${clientId}"}));
    let created = hooks
        .create_hook(GROUP, HOOK, &definition(task.clone()))
        .await
        .unwrap();
    assert_eq!(created.hook_id.to_string(), HOOK);
    assert_eq!(hooks.list_hook_groups().await.unwrap().groups, [GROUP]);
    assert_eq!(hooks.list_hooks(GROUP).await.unwrap().hooks.len(), 1);
    let read = hooks.hook(GROUP, HOOK).await.unwrap();
    assert_eq!(read.task, task);
    assert!(matches!(
        hooks.get_hook_status(GROUP, HOOK).await.unwrap().last_fire,
        HookStatusResponseLastFire::NoFire
    ));

    let fired = hooks
        .trigger_hook(GROUP, HOOK, &trigger(json!({"branch": "main"})))
        .await
        .unwrap();
    let task_id = fired.task_id.expect("a task was created").to_string();
    let task = queue.task(&task_id).await.unwrap();
    assert_eq!(task.metadata.name, "nightly of main");
    let (root_id, _) = tc.root_credentials();
    assert_eq!(task.metadata.description, "fired by triggerHook");
    assert_eq!(task.tags["clientId"], root_id);
    assert_eq!(task.payload["branch"], "main");
    // the hooks service's defaults: a task group of its own, a day to run
    assert_eq!(task.task_group_id.to_string(), task_id);
    let deadline = task.deadline.to_string();
    let created = task.created.to_string();
    assert!(deadline > created, "{created} .. {deadline}");
    assert_eq!(tc.requests("queue", "task"), 1);

    // a taskId from the payload is used
    let chosen = tc_client::slugid::nice();
    let fired = hooks
        .trigger_hook(
            GROUP,
            HOOK,
            &trigger(json!({"branch": "b", "taskId": chosen})),
        )
        .await
        .unwrap();
    assert_eq!(fired.task_id.unwrap().to_string(), chosen);
    let error = hooks
        .trigger_hook(
            GROUP,
            HOOK,
            &trigger(json!({"branch": "b", "taskId": "nope"})),
        )
        .await
        .unwrap_err();
    let (status, code, message) = api_error(&error);
    assert_eq!((status, code.as_str()), (400, "InputError"), "{error}");
    assert!(
        message.starts_with("Invalid taskId format: nope"),
        "{message}"
    );

    // fires are recorded newest first, with the task's state
    let fires = hooks.list_last_fires(GROUP, HOOK).await.unwrap();
    assert_eq!(fires.last_fires.len(), 2);
    assert_eq!(fires.last_fires[0].task_id.to_string(), chosen);
    assert_eq!(fires.last_fires[1].task_id.to_string(), task_id);
    let state = serde_json::to_value(&fires.last_fires[0].task_state).unwrap();
    assert_eq!(state, "pending");
    match hooks.get_hook_status(GROUP, HOOK).await.unwrap().last_fire {
        HookStatusResponseLastFire::Success(success) => {
            assert_eq!(success.task_id.to_string(), chosen)
        }
        other => panic!("expected a successful fire, got {other:?}"),
    }
}

#[tokio::test]
async fn a_payload_off_the_trigger_schema_is_an_input_error() {
    let tc = deployment(&["queue:create-task:*", "queue:scheduler-id:*"]).await;
    let hooks: Hooks = client(&tc, root(&tc));
    hooks
        .create_hook(GROUP, HOOK, &definition(template()))
        .await
        .unwrap();

    let error = hooks
        .trigger_hook(GROUP, HOOK, &trigger(json!({"branch": 7, "extra": true})))
        .await
        .unwrap_err();
    let (status, code, message) = api_error(&error);
    assert_eq!((status, code.as_str()), (400, "InputError"), "{error}");
    // worded as the v106 hooks service words them
    assert!(message.contains("data/branch must be string"), "{message}");
    assert!(
        message.contains("data must NOT have additional properties"),
        "{message}"
    );
    // nothing fired, nothing created
    assert_eq!(tc.requests("queue", "createTask"), 0);
    let error = hooks.list_last_fires(GROUP, HOOK).await.unwrap_err();
    assert_eq!(error.status(), Some(404), "{error}");

    // a hook without a triggerSchema takes only an empty payload
    let plain = HookCreationRequest::new(
        HookMetadata::new("d", "plain", "ci@example.com"),
        template(),
    );
    hooks.create_hook(GROUP, "plain", &plain).await.unwrap();
    let error = hooks
        .trigger_hook(GROUP, "plain", &trigger(json!({"branch": "main"})))
        .await
        .unwrap_err();
    assert_eq!(api_error(&error).1, "InputError", "{error}");

    // an invalid triggerSchema is refused when the hook is created
    let bad = definition(template()).trigger_schema(object(json!({"type": "objekt"})));
    let error = hooks.create_hook(GROUP, "bad", &bad).await.unwrap_err();
    let (status, code, message) = api_error(&error);
    assert_eq!((status, code.as_str()), (400, "InputError"), "{error}");
    assert!(
        message.starts_with("triggerSchema is not a valid JSON schema"),
        "{message}"
    );
}

#[tokio::test]
async fn the_task_is_created_with_the_hooks_role_only() {
    // The role may create tasks but does not hold the task's scopes.
    let tc = deployment(&["queue:create-task:*", "queue:scheduler-id:*"]).await;
    let hooks: Hooks = client(&tc, root(&tc));
    let mut task = template();
    task.insert("scopes".into(), json!(["secrets:get:project/ci"]));
    hooks
        .create_hook(GROUP, HOOK, &definition(task))
        .await
        .unwrap();
    let error = hooks
        .trigger_hook(GROUP, HOOK, &trigger(json!({"branch": "main"})))
        .await
        .unwrap_err();
    let (status, code, message) = api_error(&error);
    assert_eq!(
        (status, code.as_str()),
        (403, "InsufficientScopes"),
        "{error}"
    );
    assert!(
        message.starts_with(&format!(
            "The role `hook-id:{GROUP}/{HOOK}` does not have sufficient scopes to create the task"
        )),
        "{message}"
    );
    assert!(message.contains("secrets:get:project/ci"), "{message}");
    // the failure is recorded
    let fires = hooks.list_last_fires(GROUP, HOOK).await.unwrap();
    assert_eq!(fires.last_fires.len(), 1);
    assert!(fires.last_fires[0].error.contains("InsufficientScopes"));
    let state = serde_json::to_value(&fires.last_fires[0].task_state).unwrap();
    assert_eq!(state, "unknown");
    assert!(matches!(
        hooks.get_hook_status(GROUP, HOOK).await.unwrap().last_fire,
        HookStatusResponseLastFire::Error(_)
    ));

    // a task the queue refuses for another reason is an InputError naming it
    let mut broken = template();
    broken.insert("priority".into(), json!("urgent-ish"));
    hooks
        .update_hook(GROUP, HOOK, &definition(broken))
        .await
        .unwrap();
    let error = hooks
        .trigger_hook(GROUP, HOOK, &trigger(json!({"branch": "main"})))
        .await
        .unwrap_err();
    let (status, code, message) = api_error(&error);
    assert_eq!((status, code.as_str()), (400, "InputError"), "{error}");
    assert!(
        message.starts_with("While calling createTask: InputValidationError"),
        "{message}"
    );
}

#[tokio::test]
async fn templates_that_decline_or_fail_and_trigger_tokens() {
    let tc = deployment(&["queue:create-task:*", "queue:scheduler-id:*"]).await;
    let hooks: Hooks = client(&tc, root(&tc));
    let conditional = object(json!({
        "$if": "payload.branch == 'main'",
        "then": template(),
    }));
    hooks
        .create_hook(GROUP, HOOK, &definition(conditional))
        .await
        .unwrap();
    let declined = hooks
        .trigger_hook(GROUP, HOOK, &trigger(json!({"branch": "dev"})))
        .await
        .unwrap();
    assert!(declined.task_id.is_none());
    assert_eq!(tc.requests("queue", "createTask"), 0);

    // a template that does not render
    let failing = object(json!({"metadata": {"$eval": "nowhere.near"}}));
    hooks
        .update_hook(GROUP, HOOK, &definition(failing))
        .await
        .unwrap();
    let error = hooks
        .trigger_hook(GROUP, HOOK, &trigger(json!({"branch": "main"})))
        .await
        .unwrap_err();
    let (status, code, message) = api_error(&error);
    assert_eq!((status, code.as_str()), (400, "InputError"), "{error}");
    assert!(message.starts_with("While firing hook:"), "{message}");

    // trigger tokens: anyone holding one may fire, without credentials
    hooks
        .update_hook(GROUP, HOOK, &definition(template()))
        .await
        .unwrap();
    let token = hooks.get_trigger_token(GROUP, HOOK).await.unwrap().token;
    let anonymous: Hooks = client(&tc, None);
    let fired = anonymous
        .trigger_hook_with_token(GROUP, HOOK, &token, &trigger(json!({"branch": "main"})))
        .await
        .unwrap();
    assert!(fired.task_id.is_some());
    let fires = hooks.list_last_fires(GROUP, HOOK).await.unwrap();
    let fired_by = serde_json::to_value(&fires.last_fires[0].fired_by).unwrap();
    assert_eq!(fired_by, "triggerHookWithToken");
    let reset = hooks.reset_trigger_token(GROUP, HOOK).await.unwrap().token;
    assert_ne!(reset, token);
    let error = anonymous
        .trigger_hook_with_token(GROUP, HOOK, &token, &trigger(json!({"branch": "main"})))
        .await
        .unwrap_err();
    assert_eq!(api_error(&error).0, 401, "{error}");

    // conflicts (as measured on v106, the same request without `bindings`
    // conflicts too: upstream compares it with the stored definition, which
    // has them), removal
    let other = definition(object(json!({"different": true})));
    let error = hooks.create_hook(GROUP, HOOK, &other).await.unwrap_err();
    assert_eq!(api_error(&error).0, 409, "{error}");
    let same = definition(template());
    let error = hooks.create_hook(GROUP, HOOK, &same).await.unwrap_err();
    assert_eq!(api_error(&error).0, 409, "{error}");
    hooks.remove_hook(GROUP, HOOK).await.unwrap();
    let error = hooks.hook(GROUP, HOOK).await.unwrap_err();
    assert_eq!(api_error(&error).0, 404, "{error}");
    assert!(hooks.list_hook_groups().await.unwrap().groups.is_empty());
}
