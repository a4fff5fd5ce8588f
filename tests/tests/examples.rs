//! The runnable examples (examples/), run as a user would: `cargo run --example
//! <name>` from the workspace root, against tc-fake (`TASKCLUSTER_ROOT_URL`
//! unset), their output checked. `listen_task_events` needs the RabbitMQ of CI
//! on 127.0.0.1:5672; when none listens there, its test says SKIPPED and passes.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Generous: the first run may compile the example.
const TIMEOUT: Duration = Duration::from_secs(900);

/// Runs `cargo run --quiet -p tc-examples --example <name>` at the workspace
/// root; answers its stdout, after checking it succeeded within [`TIMEOUT`].
fn run_example(name: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root");
    let mut child = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "-p", "tc-examples", "--example", name])
        .current_dir(root)
        .env_remove("TASKCLUSTER_ROOT_URL")
        .env_remove("TASKCLUSTER_CLIENT_ID")
        .env_remove("TASKCLUSTER_ACCESS_TOKEN")
        .env_remove("PULSE_URL")
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
    let broker: SocketAddr = "127.0.0.1:5672".parse().unwrap();
    if TcpStream::connect_timeout(&broker, Duration::from_secs(2)).is_err() {
        eprintln!("SKIPPED listen_task_events: no RabbitMQ on 127.0.0.1:5672");
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
