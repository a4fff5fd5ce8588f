//! The runnable examples (examples/), run as a user would: `cargo run --example
//! <name>` from the workspace root, against tc-fake (`TASKCLUSTER_ROOT_URL`
//! unset), their output checked against the values they report elsewhere
//! (what was uploaded against what was listed and downloaded, what was set
//! against what was read back). `listen_task_events` needs the RabbitMQ of CI
//! on 127.0.0.1:5672; when none listens there, its test says SKIPPED and passes
//! (and fails when `CI` is set).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tc_client::Time;
use tc_client::transfer::CHUNK_SIZE;

/// Generous: the first run may compile the example.
const TIMEOUT: Duration = Duration::from_secs(900);

/// The variables the examples read, removed so that they run against tc-fake
/// with their defaults.
const EXAMPLE_VARIABLES: &[&str] = &[
    "TASKCLUSTER_ROOT_URL",
    "TASKCLUSTER_PROXY_URL",
    "TASKCLUSTER_CLIENT_ID",
    "TASKCLUSTER_ACCESS_TOKEN",
    "TASKCLUSTER_CERTIFICATE",
    "PULSE_URL",
    "PULSE_USER",
    "TASK_ID",
    "RUN_ID",
    "ARTIFACT",
    "TASK_QUEUE_ID",
    "CLIENT_ID",
    "DESCRIPTION",
    "EXPIRES",
    "PROJECT_ID",
    "UPLOAD_SIZE_MIB",
];

/// Runs `cargo run --quiet -p tc-examples --example <name>` at the workspace
/// root; answers its stdout, after checking it succeeded within [`TIMEOUT`].
fn run_example(name: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root");
    let mut command = Command::new(env!("CARGO"));
    command
        .args(["run", "--quiet", "-p", "tc-examples", "--example", name])
        .current_dir(root);
    for variable in EXAMPLE_VARIABLES {
        command.env_remove(variable);
    }
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo runs");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for cargo") {
            break Some(status);
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stdout = out.join().expect("the stdout reader");
    let stderr = err.join().expect("the stderr reader");
    match status {
        Some(status) if status.success() => stdout,
        Some(status) => {
            panic!("example {name} failed ({status}):\n{stdout}\n--- stderr ---\n{stderr}")
        }
        None => panic!(
            "example {name} did not finish within {TIMEOUT:?}:\n{stdout}\n--- stderr ---\n{stderr}"
        ),
    }
}

#[test]
fn the_tour_pings_creates_a_task_and_signs_a_url() {
    let out = run_example("tour");
    for expected in ["queue answers ping", "created task", "signed artifact URL"] {
        assert!(out.contains(expected), "no {expected:?} in:\n{out}");
    }
}

#[test]
fn listen_task_events_prints_the_four_events_of_both_tasks() {
    if !tc_test_support::broker_available("listen_task_events") {
        return;
    }
    let out = run_example("listen_task_events");
    // The last line names the tasks it created: `saw all 8 events of tasks A, B`.
    let tasks: Vec<&str> = out
        .lines()
        .find_map(|l| l.strip_prefix("saw all 8 events of tasks "))
        .unwrap_or_else(|| panic!("no summary line in:\n{out}"))
        .split(", ")
        .collect();
    assert_eq!(tasks.len(), 2, "{out}");
    assert_ne!(tasks[0], tasks[1], "{out}");
    let events: BTreeSet<(&str, &str)> = out
        .lines()
        .filter_map(|l| l.split_once(' '))
        .filter(|(event, _)| event.starts_with("task-"))
        .collect();
    let expected: BTreeSet<(&str, &str)> = tasks
        .iter()
        .flat_map(|task| {
            [
                "task-defined",
                "task-pending",
                "task-running",
                "task-completed",
            ]
            .into_iter()
            .map(move |event| (event, *task))
        })
        .collect();
    assert_eq!(events, expected, "{out}");
    let event_lines = out.lines().filter(|l| l.starts_with("task-")).count();
    assert_eq!(event_lines, 8, "each event once:\n{out}");
}

/// The rest of the one line of `out` starting with `prefix`; panics unless
/// exactly one line does.
fn line_after<'a>(out: &'a str, prefix: &str) -> &'a str {
    let lines: Vec<&str> = out.lines().filter_map(|l| l.strip_prefix(prefix)).collect();
    match lines.as_slice() {
        [rest] => rest,
        _ => panic!(
            "expected one line starting with {prefix:?}, found {}:\n{out}",
            lines.len()
        ),
    }
}

/// The items `  - item` listed under the line `header` of `out`.
fn listed_under<'a>(out: &'a str, header: &str) -> Vec<&'a str> {
    out.lines()
        .skip_while(|l| !l.starts_with(header))
        .skip(1)
        .map_while(|l| l.strip_prefix("  - "))
        .collect()
}

fn time(text: &str) -> Time {
    text.parse()
        .unwrap_or_else(|e| panic!("{text:?} is not a time: {e}"))
}

#[test]
fn list_artifacts_lists_every_uploaded_artifact_downloads_one_and_is_narrowed() {
    let out = run_example("list_artifacts");
    // `uploaded <name> (<n> bytes)`, one line per artifact made on tc-fake.
    let uploaded: BTreeMap<&str, usize> = out
        .lines()
        .filter_map(|l| l.strip_prefix("uploaded "))
        .map(|rest| {
            let (name, size) = rest.split_once(" (").expect("uploaded <name> (<n> bytes)");
            let size = size.strip_suffix(" bytes)").expect("<n> bytes)");
            (name, size.parse().expect("a byte count"))
        })
        .collect();
    assert_eq!(uploaded.len(), 5, "{out}");

    // The listing walked every page and saw exactly those, stored as objects.
    let listed: BTreeMap<&str, &str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("  artifact "))
        .map(|rest| rest.split_once(" (").expect("<name> (<details>)"))
        .collect();
    assert_eq!(
        listed.keys().collect::<Vec<_>>(),
        uploaded.keys().collect::<Vec<_>>(),
        "{out}"
    );
    for (name, details) in &listed {
        assert!(details.starts_with("object, "), "{name}: {details}");
    }
    assert_eq!(
        line_after(&out, "listed "),
        "5 artifacts in 3 pages of at most 2",
        "{out}"
    );

    // Unnamed temporary credentials (the issuer's client id), then narrowed.
    let temporary = line_after(&out, "temporary credentials: client ");
    assert!(
        temporary.starts_with("static/tc-fake/root for 1 hour"),
        "{out}"
    );
    assert!(
        temporary.ends_with("queue:get-artifact:private/build/*"),
        "{out}"
    );
    let authorized = line_after(&out, "authorized scopes: ");
    assert!(
        authorized.ends_with(":0, queue:get-artifact:private/build/log.txt"),
        "{out}"
    );

    // The download has the bytes uploaded.
    let log = "private/build/log.txt";
    assert_eq!(
        line_after(&out, &format!("downloaded {log}: ")),
        format!("{} bytes of text/plain", uploaded[log]),
        "{out}"
    );
    let content: Vec<&str> = out.lines().filter_map(|l| l.strip_prefix("  | ")).collect();
    assert_eq!(
        content,
        [
            "compiling tc-client",
            "running 12 tests",
            "build finished: 12 passed"
        ],
        "{out}"
    );
    assert_eq!(
        content.iter().map(|l| l.len() + 1).sum::<usize>(),
        uploaded[log],
        "{out}"
    );

    // A sibling the temporary credentials could read is refused once narrowed.
    assert_eq!(
        line_after(
            &out,
            "outside the authorized scopes, private/build/checksums.txt is refused: "
        ),
        "403 InsufficientScopes",
        "{out}"
    );
}

#[test]
fn create_task_prints_the_deadline_and_expiry_it_set_and_the_status_agrees() {
    let out = run_example("create_task");
    let task_id = line_after(&out, "task ")
        .strip_suffix(" in proj-examples/generic-worker")
        .unwrap_or_else(|| panic!("no task line in:\n{out}"));
    assert_eq!(task_id.len(), 22, "a slugid: {out}");
    assert!(
        line_after(&out, "inspect it: ").ends_with(&format!("/api/queue/v1/task/{task_id}")),
        "{out}"
    );

    let created = time(line_after(&out, "  created:  "));
    let deadline = line_after(&out, "  deadline: ")
        .strip_suffix(" (3 hours from now)")
        .unwrap_or_else(|| panic!("no deadline in:\n{out}"));
    let expires = line_after(&out, "  expires:  ")
        .strip_suffix(" (1 day from now)")
        .unwrap_or_else(|| panic!("no expiry in:\n{out}"));
    let hours = |later: &str| (time(later) - created).as_seconds_f64() / 3600.0;
    assert!((hours(deadline) - 3.0).abs() < 0.01, "{out}");
    assert!((hours(expires) - 24.0).abs() < 0.01, "{out}");

    assert_eq!(
        line_after(&out, "createTask answered state "),
        "pending",
        "{out}"
    );
    assert_eq!(
        line_after(&out, "status: "),
        format!("state pending, deadline {deadline}, expires {expires}, 1 run(s), 5 retries left"),
        "{out}"
    );
    assert!(
        line_after(&out, "  run 0: ").starts_with("pending (scheduled, "),
        "{out}"
    );

    // The typed payload, read back.
    let commands: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("payload command: "))
        .collect();
    assert_eq!(
        commands,
        [
            "/bin/bash -c echo Hello World!",
            "/bin/bash -c echo \"$GREETING\" > hello.txt"
        ],
        "{out}"
    );
    assert_eq!(
        line_after(&out, "payload maxRunTime: "),
        "600 s, artifacts: public/hello.txt",
        "{out}"
    );
}

#[test]
fn auth_client_info_prints_the_expiry_set_and_the_scopes_the_role_expands_to() {
    let out = run_example("auth_client_info");
    let (client_id, expires) = line_after(&out, "created client ")
        .split_once(" expiring ")
        .unwrap_or_else(|| panic!("no created client line in:\n{out}"));
    assert!(
        client_id.starts_with("project/examples/client-info-"),
        "{out}"
    );
    assert_eq!(line_after(&out, "client "), client_id, "{out}");
    assert_eq!(
        line_after(&out, "  expires: "),
        format!("{expires} (in 90 days)"),
        "{out}"
    );
    let days = (time(expires) - Time::now()).as_seconds_f64() / 86_400.0;
    assert!((days - 90.0).abs() < 0.01, "{out}");

    let role_scopes: Vec<&str> = line_after(&out, "created role project:examples/reader granting ")
        .split(", ")
        .collect();
    let scopes = listed_under(&out, "scopes (");
    assert_eq!(
        scopes,
        [
            "assume:project:examples/reader",
            "queue:create-task:low:proj-examples/*"
        ],
        "{out}"
    );
    assert_eq!(line_after(&out, "scopes ("), "2):", "{out}");
    // The client's own scopes and the role's.
    let expected: BTreeSet<&str> = scopes.iter().chain(&role_scopes).copied().collect();
    let expanded = listed_under(&out, "expanded scopes (");
    assert_eq!(
        expanded.iter().copied().collect::<BTreeSet<_>>(),
        expected,
        "{out}"
    );
    assert_eq!(expanded.len(), 4, "{out}");
    assert_eq!(line_after(&out, "expanded scopes ("), "4):", "{out}");
}

#[test]
fn auth_update_client_prints_the_new_description_and_expiry_and_reads_them_back() {
    let out = run_example("auth_update_client");
    let client_id = line_after(&out, "created client ");
    assert!(client_id.starts_with("project/examples/update-"), "{out}");
    assert_eq!(
        line_after(&out, "before description: "),
        "A client of the auth_update_client example",
        "{out}"
    );
    let description = "Updated by tc-client's auth_update_client example";
    assert_eq!(
        line_after(&out, "after description: "),
        description,
        "{out}"
    );
    assert_eq!(
        line_after(&out, &format!("updated client {client_id}: ")),
        "expiry moved to 30 days from now",
        "{out}"
    );

    let before = line_after(&out, "before expires: ");
    let after = line_after(&out, "after expires: ");
    let days = |t: &str| (time(t) - Time::now()).as_seconds_f64() / 86_400.0;
    assert!((days(before) - 1.0).abs() < 0.01, "{out}");
    assert!((days(after) - 30.0).abs() < 0.01, "{out}");
    assert!(
        time(line_after(&out, "after last modified: "))
            >= time(line_after(&out, "before last modified: ")),
        "{out}"
    );

    assert_eq!(
        line_after(&out, "read back: "),
        format!("description {description:?}, expires {after}, 1 scope(s) unchanged: true"),
        "{out}"
    );
}

#[test]
fn upload_download_moves_64_mib_up_and_down_twice_reporting_progress() {
    const SIZE: u64 = 64 * 1024 * 1024;
    let out = run_example("upload_download");
    assert!(
        line_after(&out, "wrote ").starts_with(&format!("{SIZE} bytes to ")),
        "{out}"
    );
    // `<what>: <n> bytes in <s> s (<r> MiB/s), <k> progress updates, the last at <m> bytes`
    let transfers: Vec<(&str, u64, u64, u64)> = out
        .lines()
        .filter(|l| l.contains(" progress updates, "))
        .map(|l| {
            let (what, rest) = l.split_once(": ").expect("<what>: <details>");
            let number = |text: &str| -> u64 {
                text.parse()
                    .unwrap_or_else(|e| panic!("{text:?} in {l:?}: {e}"))
            };
            let bytes = number(rest.split(' ').next().expect("a byte count"));
            let (_, updates) = rest.split_once("), ").expect("the speed, then the updates");
            let (updates, last) = updates
                .split_once(" progress updates, the last at ")
                .expect("updates and the last");
            let last = last.strip_suffix(" bytes").expect("<m> bytes");
            (what, bytes, number(updates), number(last))
        })
        .collect();
    let kinds: Vec<&str> = transfers
        .iter()
        .map(|(what, ..)| what.split(" of ").next().unwrap_or(what))
        .collect();
    assert_eq!(
        kinds,
        [
            "object upload",
            "object download",
            "artifact upload",
            "artifact download"
        ],
        "{out}"
    );
    for (what, ..) in transfers
        .iter()
        .filter(|(what, ..)| what.contains(" download of "))
    {
        assert!(
            what.ends_with(" (application/octet-stream)"),
            "{what}: {out}"
        );
    }
    for (what, bytes, updates, last) in &transfers {
        assert_eq!(*bytes, SIZE, "{what}: {out}");
        assert_eq!(*last, SIZE, "{what}: the bar ends full: {out}");
        // Uploads read the file a chunk at a time and report after each (and
        // at 0); downloads report as the body arrives, in reads of any size.
        let least = if what.contains(" upload of ") {
            SIZE / CHUNK_SIZE as u64 + 1
        } else {
            3
        };
        assert!(*updates >= least, "{what}: {updates} < {least}: {out}");
    }
    assert_eq!(
        line_after(&out, "object: verified, "),
        format!("{SIZE} bytes identical to the source"),
        "{out}"
    );
    assert_eq!(
        line_after(&out, "artifact: verified, "),
        format!("{SIZE} bytes identical to the source"),
        "{out}"
    );
}
