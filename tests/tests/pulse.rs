//! The Pulse listener (`tc_client::pulse`) against a real RabbitMQ on
//! 127.0.0.1:5672 (guest/guest), as CI provides it: bindings route, tc-fake's
//! queue events arrive typed and in order, undecodable payloads surface as
//! typed errors, and the listener survives the broker closing its
//! connections. When no broker listens there, every test says so and passes,
//! unless `CI` is set: there a missing broker fails the test.

use std::collections::BTreeSet;
use std::time::Duration;

use amqprs::BasicProperties;
use amqprs::channel::{BasicPublishArguments, ExchangeDeclareArguments};
use amqprs::connection::{Connection, OpenConnectionArguments};
use futures_util::StreamExt;
use tc_client::pulse::{Listener, Message, topic_matches};
use tc_client::queue::Queue;
use tc_client::queue::events::{TaskCompleted, TaskDefined, TaskPending, TaskRunning};
use tc_client::{Binding, Error, RoutingKeyPart, Time};
use tc_fake::TcFake;
use tc_test_support::{Worker, claimed_task, root, task_definition};

const AMQP_URL: &str = "amqp://guest:guest@127.0.0.1:5672";
const USER: &str = "tc-client-tests";

/// The tests of this file run one at a time: one of them closes every
/// connection of the broker.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Whether RabbitMQ answers (see [`tc_test_support::broker_available`]).
async fn broker_available(test: &str) -> bool {
    let test = test.to_owned();
    tokio::task::spawn_blocking(move || tc_test_support::broker_available(&test))
        .await
        .unwrap()
}

macro_rules! probe_binding {
    ($name:ident, $exchange:literal, $message:ty) => {
        /// A test exchange: `<kind>.<id>.<rest...>`.
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        struct $name {
            kind: Option<String>,
            id: Option<String>,
            rest: Option<String>,
        }

        impl Binding for $name {
            type Message = $message;
            const EXCHANGE: &'static str = $exchange;
            const ROUTING_KEY: &'static [RoutingKeyPart] = &[
                RoutingKeyPart {
                    name: "kind",
                    multiple_words: false,
                },
                RoutingKeyPart {
                    name: "id",
                    multiple_words: false,
                },
                RoutingKeyPart {
                    name: "rest",
                    multiple_words: true,
                },
            ];

            fn values(&self) -> Vec<Option<&str>> {
                vec![
                    self.kind.as_deref(),
                    self.id.as_deref(),
                    self.rest.as_deref(),
                ]
            }

            fn from_values(values: Vec<String>) -> Self {
                let mut values = values.into_iter();
                $name {
                    kind: values.next(),
                    id: values.next(),
                    rest: values.next(),
                }
            }
        }
    };
}

#[derive(Debug, serde::Deserialize, PartialEq, Eq)]
struct Numbered {
    n: u32,
}

probe_binding!(
    Probe,
    "exchange/tc-client-tests/v1/probe",
    serde_json::Value
);
probe_binding!(
    Other,
    "exchange/tc-client-tests/v1/other",
    serde_json::Value
);
probe_binding!(Counted, "exchange/tc-client-tests/v1/counted", Numbered);
// The CC routes of task-completed: `route.<route words>` (`kind` is `route`).
probe_binding!(
    CompletedRoute,
    "exchange/taskcluster-queue/v1/task-completed",
    serde_json::Value
);

/// A raw publisher, as a Pulse service would be.
struct Publisher {
    connection: Connection,
    channel: amqprs::channel::Channel,
}

impl Publisher {
    async fn open() -> Publisher {
        let args = OpenConnectionArguments::try_from(AMQP_URL).unwrap();
        let connection = Connection::open(&args).await.unwrap();
        let channel = connection.open_channel(None).await.unwrap();
        Publisher {
            connection,
            channel,
        }
    }

    async fn publish(&self, exchange: &str, routing_key: &str, body: &[u8]) {
        let mut declare = ExchangeDeclareArguments::new(exchange, "topic");
        declare.durable = true;
        self.channel.exchange_declare(declare).await.unwrap();
        let mut properties = BasicProperties::default();
        properties.with_persistence(true);
        self.channel
            .basic_publish(
                properties,
                body.to_vec(),
                BasicPublishArguments::new(exchange, routing_key),
            )
            .await
            .unwrap();
    }

    async fn close(self) {
        // A confirmation round trip: everything published before it has reached the broker.
        self.channel.flow(true).await.unwrap();
        let _ = self.channel.close().await;
        let _ = self.connection.close().await;
    }
}

async fn next<S, T>(stream: &mut S) -> T
where
    S: futures_util::Stream<Item = T> + Unpin,
{
    tokio::time::timeout(Duration::from_secs(20), stream.next())
        .await
        .expect("a message within 20 s")
        .expect("the stream goes on")
}

#[test]
fn topic_patterns_match_as_rabbitmq_does() {
    assert!(topic_matches("*.a.#", "x.a"));
    assert!(topic_matches("*.a.#", "x.a.b.c"));
    assert!(!topic_matches("*.a.#", "x.b.c"));
    assert!(!topic_matches("*.a", "x.a.b"));
    assert!(topic_matches("#", ""));
    assert!(topic_matches("route.#", "route.index.x"));
    let binding = TaskCompleted {
        task_id: Some("abc".into()),
        ..Default::default()
    };
    // The routing-key kind defaults to `primary`.
    assert_eq!(binding.routing_key_pattern(), "primary.abc.*.*.*.*.*.*.*.#");
    assert!(topic_matches(
        &binding.routing_key_pattern(),
        "primary.abc.0.wg.wid.prov.wt.sched.tg._"
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partial_binding_gets_matching_routing_keys_only_and_each_binding_its_own_stream() {
    let _serial = SERIAL.lock().await;
    if !broker_available("routing").await {
        return;
    }
    let queue = tc_client::slugid::nice();
    let listener = Listener::connect(AMQP_URL, USER, &queue).await.unwrap();
    assert_eq!(listener.queue_name(), format!("queue/{USER}/{queue}"));
    let id = tc_client::slugid::nice();
    let other_id = tc_client::slugid::nice();
    let mut probes = listener
        .listen(Probe {
            id: Some(id.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut others = listener
        .listen(Other {
            kind: Some(id.clone()),
            ..Default::default()
        })
        .await
        .unwrap();

    let publisher = Publisher::open().await;
    let keys = [
        (format!("primary.{id}.a.b"), true),
        (format!("primary.{other_id}.a.b"), false),
        (format!("secondary.{id}"), true),
        (format!("{id}.{other_id}.x"), false), // the id in the kind's place
        (format!("last.{id}.end"), true),
    ];
    for (key, _) in &keys {
        publisher
            .publish(Probe::EXCHANGE, key, br#"{"key": "probe"}"#)
            .await;
    }
    publisher
        .publish(Other::EXCHANGE, &format!("{id}.q.r.s"), br#"{"other": 1}"#)
        .await;
    publisher
        .publish(Other::EXCHANGE, &format!("{other_id}.q.r.s"), b"{}")
        .await;
    publisher.close().await;

    let mut got = Vec::new();
    for _ in keys.iter().filter(|(_, m)| *m) {
        let message = next(&mut probes).await.unwrap();
        assert_eq!(message.exchange, Probe::EXCHANGE);
        assert_eq!(message.routing.id.as_deref(), Some(id.as_str()));
        assert_eq!(message.payload["key"], "probe");
        got.push(message.routing_key.clone());
        if message.routing_key.starts_with("primary.") {
            assert_eq!(message.routing.kind.as_deref(), Some("primary"));
            assert_eq!(message.routing.rest.as_deref(), Some("a.b"));
        }
        message.ack().await.unwrap();
    }
    let expected: Vec<String> = keys
        .iter()
        .filter(|(_, m)| *m)
        .map(|(k, _)| k.clone())
        .collect();
    assert_eq!(got, expected, "matching keys arrive, in order");

    let other = next(&mut others).await.unwrap();
    assert_eq!(other.exchange, Other::EXCHANGE);
    assert_eq!(other.routing_key, format!("{id}.q.r.s"));
    assert_eq!(other.routing.rest.as_deref(), Some("r.s"));
    other.ack().await.unwrap();

    // The non-matching ones never come.
    assert!(
        tokio::time::timeout(Duration::from_millis(500), probes.next())
            .await
            .is_err()
    );
    assert!(
        tokio::time::timeout(Duration::from_millis(200), others.next())
            .await
            .is_err()
    );
    drop((probes, others));
    listener.delete_queue().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_undecodable_payload_is_a_typed_error_carrying_the_body_and_the_stream_goes_on() {
    let _serial = SERIAL.lock().await;
    if !broker_available("decode").await {
        return;
    }
    let queue = tc_client::slugid::nice();
    let listener = Listener::builder(AMQP_URL, USER, &queue)
        .prefetch(4)
        .connect()
        .await
        .unwrap();
    let id = tc_client::slugid::nice();
    let mut messages = listener
        .listen(Counted {
            id: Some(id.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    let publisher = Publisher::open().await;
    let key = format!("k.{id}.x");
    publisher
        .publish(Counted::EXCHANGE, &key, br#"{"n": 1}"#)
        .await;
    publisher
        .publish(Counted::EXCHANGE, &key, b"not json")
        .await;
    publisher
        .publish(Counted::EXCHANGE, &key, br#"{"n": "two"}"#)
        .await;
    publisher
        .publish(Counted::EXCHANGE, &key, br#"{"n": 3}"#)
        .await;
    publisher.close().await;

    let first = next(&mut messages).await.unwrap();
    assert_eq!(first.payload, Numbered { n: 1 });
    first.ack().await.unwrap();
    for bad in [&b"not json"[..], br#"{"n": "two"}"#] {
        match next(&mut messages).await {
            Err(Error::PulseDecode {
                exchange,
                routing_key,
                body,
                message,
            }) => {
                assert_eq!(exchange, Counted::EXCHANGE);
                assert_eq!(routing_key, key);
                assert_eq!(body, bad);
                assert!(!message.is_empty());
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
    let last = next(&mut messages).await.unwrap();
    assert_eq!(last.payload, Numbered { n: 3 });
    last.ack().await.unwrap();
    drop(messages);
    listener.delete_queue().await.unwrap();
}

/// What the end-to-end test saw, in the listener's order.
#[derive(Debug)]
enum Event {
    Defined(String),
    Pending(String),
    Running(String),
    Completed(String),
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tc_fake_task_lifecycle_arrives_as_typed_messages_in_order() {
    let _serial = SERIAL.lock().await;
    if !broker_available("end to end").await {
        return;
    }
    let tc = TcFake::builder().amqp_url(AMQP_URL).start().await.unwrap();
    let queue: Queue = root(&tc);

    let listener = Listener::connect(AMQP_URL, USER, &tc_client::slugid::nice())
        .await
        .unwrap();
    let task_id = tc_client::slugid::nice();
    let id = Some(task_id.clone());
    let defined = listener
        .listen(TaskDefined {
            task_id: id.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .map(|m| {
            let m = m.unwrap();
            (
                m.sequence,
                Event::Defined(m.payload.status.task_id.as_str().to_owned()),
            )
        });
    let pending = listener
        .listen(TaskPending {
            task_id: id.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .map(|m| {
            let m = m.unwrap();
            (
                m.sequence,
                Event::Pending(m.payload.status.task_id.as_str().to_owned()),
            )
        });
    let running = listener
        .listen(TaskRunning {
            task_id: id.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .map(|m| {
            let m = m.unwrap();
            (
                m.sequence,
                Event::Running(m.payload.status.task_id.as_str().to_owned()),
            )
        });
    let completed = listener
        .listen(TaskCompleted {
            task_id: id.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .map(|m| {
            let m = m.unwrap();
            assert_eq!(
                m.routing.task_id.as_deref(),
                Some(m.payload.status.task_id.as_str())
            );
            assert_eq!(m.routing.run_id.as_deref(), Some("0"));
            (
                m.sequence,
                Event::Completed(m.payload.status.task_id.as_str().to_owned()),
            )
        });
    let mut all = futures_util::stream::select_all([
        defined.boxed(),
        pending.boxed(),
        running.boxed(),
        completed.boxed(),
    ]);

    // A second listener (its own queue) gets the task-completed message through the
    // task's route, CC'ed by tc-fake.
    let routes = Listener::connect(AMQP_URL, USER, &tc_client::slugid::nice())
        .await
        .unwrap();
    let mut by_route = routes
        .listen(CompletedRoute {
            kind: Some("route".into()),
            id: Some("index".into()),
            rest: Some(format!("tc-client-tests.{task_id}")),
        })
        .await
        .unwrap();

    let task_queue_id = format!(
        "proj-pulse/t{}x",
        tc_client::slugid::nice().to_lowercase().replace('_', "-")
    );
    let definition = task_definition("pulse", &task_queue_id)
        .expires(Time::from_now("2 days").unwrap())
        .routes([format!("index.tc-client-tests.{task_id}")]);
    let worker = Worker {
        queue: &queue,
        group: "pulse-workers",
        id: "w1",
    };
    claimed_task(&queue, &task_id, &definition, worker).await;
    queue.report_completed(&task_id, "0").await.unwrap();

    let mut events = Vec::new();
    for _ in 0..4 {
        events.push(next(&mut all).await);
    }
    events.sort_by_key(|(sequence, _)| *sequence);
    let events: Vec<Event> = events.into_iter().map(|(_, e)| e).collect();
    match events.as_slice() {
        [
            Event::Defined(a),
            Event::Pending(b),
            Event::Running(c),
            Event::Completed(d),
        ] => {
            for id in [a, b, c, d] {
                assert_eq!(id, &task_id);
            }
        }
        other => panic!("events out of order: {other:?}"),
    }
    drop(all);
    listener.delete_queue().await.unwrap();

    let routed = next(&mut by_route).await.unwrap();
    assert_eq!(routed.exchange, CompletedRoute::EXCHANGE);
    assert!(
        routed
            .routing_key
            .starts_with(&format!("primary.{task_id}.0."))
    );
    assert_eq!(routed.payload["status"]["taskId"], task_id.as_str());
    routed.ack().await.unwrap();
    drop(by_route);
    routes.delete_queue().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_broker_closes_the_connections_every_published_message_arrives() {
    const N: u32 = 200;
    let _serial = SERIAL.lock().await;
    if !broker_available("broker faults").await {
        return;
    }
    let queue = tc_client::slugid::nice();
    let listener = Listener::builder(AMQP_URL, USER, &queue)
        .prefetch(8)
        .reconnect_backoff(Duration::from_millis(50), Duration::from_secs(1))
        .connect()
        .await
        .unwrap();
    let id = tc_client::slugid::nice();
    let mut messages = listener
        .listen(Counted {
            id: Some(id.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    let publisher = Publisher::open().await;
    for n in 0..N {
        publisher
            .publish(
                Counted::EXCHANGE,
                &format!("k.{id}.x"),
                format!(r#"{{"n": {n}}}"#).as_bytes(),
            )
            .await;
    }
    publisher.close().await;

    let mut seen = BTreeSet::new();
    let mut redelivered = 0;
    let mut closes = 0;
    while seen.len() < N as usize {
        let message: Message<Numbered, Counted> =
            tokio::time::timeout(Duration::from_secs(30), messages.next())
                .await
                .unwrap_or_else(|_| panic!("stalled with {} of {N} messages", seen.len()))
                .expect("the stream goes on")
                .unwrap();
        seen.insert(message.payload.n);
        redelivered += u32::from(message.redelivered);
        // A slow consumer: messages are in flight when the connection goes.
        tokio::time::sleep(Duration::from_millis(2)).await;
        if (seen.len() == 20 && closes == 0) || (seen.len() == 120 && closes == 1) {
            closes += 1;
            let status = tokio::process::Command::new("rabbitmqctl")
                .args(["close_all_connections", "test"])
                .output()
                .await
                .expect("rabbitmqctl runs");
            assert!(status.status.success(), "rabbitmqctl: {status:?}");
            // Acknowledging on the closed connection fails; the broker delivers it again.
            let _ = message.ack().await;
            continue;
        }
        let _ = message.ack().await;
    }
    assert_eq!(closes, 2);
    assert_eq!(
        seen.len(),
        N as usize,
        "every message arrived at least once"
    );
    assert!(redelivered > 0, "messages in flight were delivered again");
    drop(messages);
    listener.delete_queue().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_waiting_in_a_durable_queue_reach_the_first_stream_opened_later() {
    let _serial = SERIAL.lock().await;
    if !broker_available("held").await {
        return;
    }
    let queue = tc_client::slugid::nice();
    let id = tc_client::slugid::nice();
    let binding = || Counted {
        id: Some(id.clone()),
        ..Default::default()
    };
    // A first run binds the durable queue, then goes away.
    {
        let listener = Listener::connect(AMQP_URL, USER, &queue).await.unwrap();
        let stream = listener.listen(binding()).await.unwrap();
        drop(stream);
        drop(listener);
    }
    // Messages pile up while nobody listens.
    let publisher = Publisher::open().await;
    for n in 0..5u32 {
        let body = format!(r#"{{"n": {n}}}"#);
        publisher
            .publish(
                Counted::EXCHANGE,
                &format!("primary.{id}.x"),
                body.as_bytes(),
            )
            .await;
    }
    publisher.close().await;

    // The next run connects (the broker starts delivering at once) and
    // only opens its stream a moment later: nothing may be lost meanwhile.
    let listener = Listener::connect(AMQP_URL, USER, &queue).await.unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    let mut stream = listener.listen(binding()).await.unwrap();
    let mut seen = Vec::new();
    for _ in 0..5 {
        let message = next(&mut stream).await.unwrap();
        seen.push(message.payload.n);
        message.ack().await.unwrap();
    }
    assert_eq!(seen, vec![0, 1, 2, 3, 4]);
    drop(stream);
    listener.delete_queue().await.unwrap();
}
