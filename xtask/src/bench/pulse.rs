//! `cargo xtask bench-pulse [--messages N] [--rounds R]`: message throughput (decode +
//! ack) of `tc_client::pulse::Listener` against a bare amqprs consumer, on the same
//! broker, with the same messages, in one run.
//!
//! As `bench-transfer` does, [`dispatch`] re-runs xtask in a release build with the
//! `bench-pulse` feature (`cargo run --release --quiet --package xtask --features
//! bench-pulse -- bench-pulse --inner ...`; the first time compiles it, minutes), so that
//! the library is measured optimised; `measure` (behind the `bench-pulse` feature) is the measuring half.
//!
//! The broker is `PULSE_URL`, by default the local RabbitMQ
//! (`amqp://guest:guest@127.0.0.1:5672`). The message is a real `task-completed` message:
//! tc-fake (in process, without AMQP) creates, claims and completes a task, and its queue
//! hook hands over the body and the primary routing key, serialized once (a status with
//! its runs; about 1 KiB). The messages go, persistent, to a topic exchange of the
//! benchmark's own (`exchange/tc-client-bench/v1/task-completed`, declared afresh,
//! deleted at the end), bound with `TaskCompleted`'s routing-key pattern.
//!
//! Every round measures both consumers, in alternating order from round to round; each
//! gets a fresh durable queue (`queue/tc-client-bench/<slug>`) with the same prefetch
//! ([`PREFETCH`], the listener's default) and manual acks:
//!
//! - listener: `Listener::builder(..).prefetch(P).connect()`, `listen(binding)` with
//!   `TaskCompleted`'s pattern; every message of the stream (decoded into
//!   `TaskCompletedMessage`, routing key parsed) acknowledged with `Message::ack`;
//! - bare: an amqprs connection and channel, `basic_qos(P)`, `queue_declare`,
//!   `queue_bind` with the same pattern, `basic_consume_rx`; every delivery decoded with
//!   `serde_json::from_slice::<TaskCompletedMessage>` and acknowledged with `basic_ack`.
//!
//! The consumer is registered first and not read; then N messages are published and
//! the benchmark waits until the broker holds them all (N - P ready in the queue, P
//! delivered and waiting in the consumer's memory): the queue is full before consuming
//! starts. The clock runs from the first message taken to the last one acknowledged; the
//! rate is (N - 1) over that time. Medians over the rounds; the ratio is listener over
//! bare, target [`RATIO_TARGET`].

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use super::{Flag, as_count, median, parse_flags, ratio, verdict};
use crate::error::{Error, Result};

/// Target of `listener / bare` throughput.
pub const RATIO_TARGET: f64 = 0.8;
/// The prefetch of both consumers (tc-client's `DEFAULT_PREFETCH`).
pub const PREFETCH: u16 = 32;
/// The broker when `PULSE_URL` is not set.
pub const DEFAULT_AMQP_URL: &str = "amqp://guest:guest@127.0.0.1:5672";
/// The benchmark's exchange.
pub const EXCHANGE: &str = "exchange/tc-client-bench/v1/task-completed";
/// The Pulse user its queues are named after.
pub const USER: &str = "tc-client-bench";

/// Options of the command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Messages consumed by each consumer in each round.
    pub messages: u64,
    /// Rounds of both consumers; medians are reported.
    pub rounds: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            messages: 20_000,
            rounds: 3,
        }
    }
}

impl Options {
    /// The arguments that give these options back: `--messages N --rounds R`.
    pub fn to_args(&self) -> Vec<String> {
        vec![
            "--messages".into(),
            self.messages.to_string(),
            "--rounds".into(),
            self.rounds.to_string(),
        ]
    }

    fn check(&self) -> Result<()> {
        if self.messages < 2 || self.rounds == 0 {
            return Err(Error::msg(
                "--messages must be at least 2 and --rounds at least 1",
            ));
        }
        Ok(())
    }
}

/// Parses `[--messages N] [--rounds R] [--inner]`, in any order, `--flag=N` too; answers
/// the options and whether `--inner` (measure in this process) was given.
///
/// # Errors
///
/// On unknown arguments and values that are not positive numbers.
pub fn parse_args(rest: &[&str]) -> Result<(Options, bool)> {
    let mut options = Options::default();
    let mut inner = false;
    for flag in parse_flags(rest, &["--messages", "--rounds"], &["--inner"])? {
        match flag {
            Flag::Switch(_) => inner = true,
            Flag::Number("--messages", n) => options.messages = n,
            Flag::Number(name, n) => options.rounds = as_count(name, n)?,
        }
    }
    options.check()?;
    Ok((options, inner))
}

/// What `cargo xtask bench-pulse` does: re-runs xtask in a release build with the
/// `bench-pulse` feature, or with `inner` measures in this process and prints the report.
///
/// # Errors
///
/// When the benchmark fails, or `inner` in an xtask built without `bench-pulse`.
pub fn dispatch(workspace_root: &Path, options: Options, inner: bool) -> Result<()> {
    options.check()?;
    let args = options.to_args();
    super::here_or_release(workspace_root, "bench-pulse", &args, inner, || {
        measure_here(options)
    })
}

#[cfg(feature = "bench-pulse")]
fn measure_here(options: Options) -> Result<()> {
    let report = measure(options, &mut super::say)?;
    super::print_text(&report.to_text());
    Ok(())
}

#[cfg(not(feature = "bench-pulse"))]
fn measure_here(_: Options) -> Result<()> {
    Err(super::built_without("bench-pulse"))
}

/// The two consumers measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `tc_client::pulse::Listener`.
    Listener,
    /// A bare amqprs consumer.
    Bare,
}

impl Kind {
    /// Both, in report order.
    pub const ALL: [Kind; 2] = [Kind::Listener, Kind::Bare];

    /// Its name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Listener => "tc-client listener",
            Kind::Bare => "bare amqprs",
        }
    }
}

/// What one run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// When it started (`2026-01-31 12:34:56 UTC`).
    pub date: String,
    /// Available parallelism.
    pub nproc: usize,
    /// Messages per consumer and round.
    pub messages: u64,
    /// Rounds run.
    pub rounds: usize,
    /// Bytes of the message body.
    pub body_len: usize,
    /// The routing key the messages were published with.
    pub routing_key: String,
    /// Times from first to last message of each [`Kind`] (indexed by it), one per round.
    pub times: [Vec<Duration>; 2],
}

impl Report {
    /// Messages per second of `n` messages (n - 1 intervals) in `time`.
    fn rate(&self, time: Duration) -> f64 {
        ratio((self.messages - 1) as f64, time.as_secs_f64())
    }

    /// Messages/s of every round of `kind`.
    pub fn rates(&self, kind: Kind) -> Vec<f64> {
        self.times[kind as usize]
            .iter()
            .map(|t| self.rate(*t))
            .collect()
    }

    /// Messages/s of the median time of `kind`.
    pub fn median_rate(&self, kind: Kind) -> f64 {
        median(&self.times[kind as usize]).map_or(0.0, |t| self.rate(t))
    }

    /// `listener / bare` median throughput.
    pub fn ratio(&self) -> f64 {
        self.median_rate(Kind::Listener) / self.median_rate(Kind::Bare)
    }

    /// The report, as printed.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "bench-pulse: {} messages ({} B body, routing key {}), prefetch {PREFETCH}, \
             {} rounds; date {}; nproc {}",
            self.messages, self.body_len, self.routing_key, self.rounds, self.date, self.nproc
        );
        for kind in Kind::ALL {
            let rounds: Vec<String> = self.rates(kind).iter().map(|r| format!("{r:.0}")).collect();
            let _ = writeln!(
                out,
                "  {:<20} {:>9.0} msg/s (median; rounds: {})",
                kind.name(),
                self.median_rate(kind),
                rounds.join(", ")
            );
        }
        let ratio = self.ratio();
        let _ = writeln!(
            out,
            "  listener / bare      {ratio:>9.2}x (target >= {RATIO_TARGET}x): {}",
            verdict(ratio >= RATIO_TARGET)
        );
        out
    }
}

#[cfg(feature = "bench-pulse")]
pub use inner::{BenchCompleted, measure};

#[cfg(feature = "bench-pulse")]
mod inner {
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use amqprs::BasicProperties;
    use amqprs::channel::{
        BasicAckArguments, BasicConsumeArguments, BasicPublishArguments, BasicQosArguments,
        Channel, ExchangeDeclareArguments, ExchangeDeleteArguments, QueueBindArguments,
        QueueDeclareArguments, QueueDeleteArguments,
    };
    use amqprs::connection::{Connection, OpenConnectionArguments};
    use futures_util::StreamExt;
    use tc_client::pulse::Listener;
    use tc_client::queue::events::TaskCompleted;
    use tc_client::queue::{
        ClaimWorkRequest, Queue, TaskCompletedMessage, TaskDefinitionRequest, TaskMetadata,
    };
    use tc_client::{Binding, Credentials, RoutingKeyPart, Time};

    use super::{DEFAULT_AMQP_URL, EXCHANGE, Kind, Options, PREFETCH, Report, USER};
    use crate::error::{Error, Result};

    /// How long any one step may take before the benchmark gives up.
    const STEP: Duration = Duration::from_secs(120);

    /// `TaskCompleted` on the benchmark's own exchange.
    #[derive(Debug, Clone, Default)]
    pub struct BenchCompleted(pub TaskCompleted);

    impl Binding for BenchCompleted {
        type Message = TaskCompletedMessage;
        const EXCHANGE: &'static str = EXCHANGE;
        const ROUTING_KEY: &'static [RoutingKeyPart] = TaskCompleted::ROUTING_KEY;

        fn values(&self) -> Vec<Option<&str>> {
            self.0.values()
        }

        fn from_values(values: Vec<String>) -> Self {
            BenchCompleted(TaskCompleted::from_values(values))
        }
    }

    fn amqp(what: &'static str) -> impl FnOnce(amqprs::error::Error) -> Error {
        move |e| Error::msg(format!("{what}: {e}"))
    }

    fn tc(what: &'static str) -> impl FnOnce(tc_client::Error) -> Error {
        move |e| Error::msg(format!("{what}: {e}"))
    }

    async fn within<T>(what: &str, f: impl std::future::Future<Output = T>) -> Result<T> {
        tokio::time::timeout(STEP, f)
            .await
            .map_err(|_| Error::msg(format!("{what}: nothing within {STEP:?}")))
    }

    /// Runs the benchmark against the broker of `PULSE_URL` (or the local RabbitMQ),
    /// telling progress to `say`.
    ///
    /// # Errors
    ///
    /// When the broker cannot be reached, a message goes missing or does not decode.
    pub fn measure(options: Options, say: &mut dyn FnMut(&str)) -> Result<Report> {
        options.check()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::msg(format!("starting the async runtime: {e}")))?;
        runtime.block_on(measure_async(options, say))
    }

    async fn measure_async(options: Options, say: &mut dyn FnMut(&str)) -> Result<Report> {
        let amqp_url = std::env::var("PULSE_URL").unwrap_or_else(|_| DEFAULT_AMQP_URL.to_owned());
        let date = crate::bench::utc_date(crate::bench::now());
        let nproc = std::thread::available_parallelism().map_or(1, usize::from);
        say(&format!("date:   {date}"));
        say(&format!("nproc:  {nproc}"));

        let (routing_key, body) = task_completed_message().await?;
        let decoded: TaskCompletedMessage = serde_json::from_slice(&body)
            .map_err(|e| Error::msg(format!("the message does not decode: {e}")))?;
        if BenchCompleted::parse_routing_key(&routing_key).is_none() {
            return Err(Error::msg(format!(
                "routing key {routing_key} does not have task-completed's shape"
            )));
        }
        say(&format!(
            "message: task-completed of {} ({} B), routing key {routing_key}",
            decoded.status.task_id.as_str(),
            body.len()
        ));

        let args = OpenConnectionArguments::try_from(amqp_url.as_str())
            .map_err(|e| Error::msg(format!("bad AMQP URL: {e}")))?;
        let connection = Connection::open(&args)
            .await
            .map_err(amqp("connecting to the broker"))?;
        let channel = connection
            .open_channel(None)
            .await
            .map_err(amqp("opening a channel"))?;
        // A fresh exchange: whatever an earlier run left goes first.
        let _ = channel
            .exchange_delete(ExchangeDeleteArguments::new(EXCHANGE))
            .await;
        let mut declare = ExchangeDeclareArguments::new(EXCHANGE, "topic");
        declare.durable = true;
        channel
            .exchange_declare(declare)
            .await
            .map_err(amqp("declaring the exchange"))?;
        let publisher = Publisher {
            channel,
            routing_key: routing_key.clone(),
            body: body.clone(),
        };

        let mut times: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
        let mut outcome = Ok(());
        'rounds: for round in 0..options.rounds {
            let order = if round % 2 == 0 {
                [Kind::Listener, Kind::Bare]
            } else {
                [Kind::Bare, Kind::Listener]
            };
            for kind in order {
                let queue = format!("queue/{USER}/{}", tc_client::slugid::nice());
                let result = match kind {
                    Kind::Listener => {
                        listener_round(&amqp_url, &queue, &publisher, options.messages).await
                    }
                    Kind::Bare => bare_round(&args, &queue, &publisher, options.messages).await,
                };
                // Whatever happened, the queue goes (on a channel of its own: a failed
                // call closes its channel).
                if let Ok(cleanup) = connection.open_channel(None).await {
                    let _ = cleanup
                        .queue_delete(QueueDeleteArguments::new(&queue))
                        .await;
                    let _ = cleanup.close().await;
                }
                match result {
                    Ok(time) => {
                        let rate = (options.messages - 1) as f64 / time.as_secs_f64();
                        say(&format!(
                            "round {}/{} {:<20} {:>9.0} msg/s ({:.3} s)",
                            round + 1,
                            options.rounds,
                            kind.name(),
                            rate,
                            time.as_secs_f64()
                        ));
                        times[kind as usize].push(time);
                    }
                    Err(e) => {
                        outcome = Err(Error::msg(format!(
                            "round {} ({}): {e}",
                            round + 1,
                            kind.name()
                        )));
                        break 'rounds;
                    }
                }
            }
        }
        if let Ok(cleanup) = connection.open_channel(None).await {
            let _ = cleanup
                .exchange_delete(ExchangeDeleteArguments::new(EXCHANGE))
                .await;
            let _ = cleanup.close().await;
        }
        let _ = publisher.channel.close().await;
        let _ = connection.close().await;
        outcome?;
        Ok(Report {
            date,
            nproc,
            messages: options.messages,
            rounds: options.rounds,
            body_len: body.len(),
            routing_key,
            times,
        })
    }

    /// A real task-completed message: tc-fake creates, claims and completes a task and
    /// hands over the primary routing key and the body it would publish.
    async fn task_completed_message() -> Result<(String, Vec<u8>)> {
        let fake = tc_fake::start()
            .await
            .map_err(|e| Error::msg(format!("starting tc-fake: {e}")))?;
        let captured: Arc<Mutex<Option<(String, serde_json::Value)>>> = Arc::default();
        let hook = Arc::clone(&captured);
        fake.on_queue_event(move |exchange, routing_key, _cc, message| {
            if exchange.ends_with("/task-completed")
                && let Ok(mut slot) = hook.lock()
            {
                *slot = Some((routing_key.to_owned(), message));
            }
        });
        let (client_id, access_token) = fake.root_credentials();
        let queue = Queue::new(
            Some(Credentials::new(client_id, access_token)),
            fake.root_url(),
        )
        .map_err(tc("a queue client"))?;
        let task_id = tc_client::slugid::nice();
        let task_queue_id = "proj-bench/pulse";
        let metadata = TaskMetadata::new(
            "the task whose task-completed message bench-pulse sends",
            "bench-pulse",
            "bench@example.com",
            "https://github.com/tc-client/tc-client"
                .parse()
                .map_err(|e| Error::msg(format!("a source URL: {e}")))?,
        );
        let task = TaskDefinitionRequest::new(
            Time::now(),
            Time::from_now("1 day").map_err(tc("a deadline"))?,
            metadata,
            serde_json::Map::new(),
        )
        .expires(Time::from_now("1 week").map_err(tc("an expiry"))?)
        .task_queue_id(
            task_queue_id
                .parse()
                .map_err(|e| Error::msg(format!("a task queue id: {e}")))?,
        )
        .routes([format!("index.bench.{task_id}")]);
        queue
            .create_task(&task_id, &task)
            .await
            .map_err(tc("createTask"))?;
        let claimed = queue
            .claim_work(
                task_queue_id,
                &ClaimWorkRequest::new(
                    std::num::NonZeroU64::MIN,
                    "bench-workers"
                        .parse()
                        .map_err(|e| Error::msg(format!("a worker group: {e}")))?,
                    "bench-worker-1"
                        .parse()
                        .map_err(|e| Error::msg(format!("a worker id: {e}")))?,
                ),
            )
            .await
            .map_err(tc("claimWork"))?
            .tasks;
        let run_id = claimed
            .first()
            .ok_or_else(|| Error::msg("claimWork claimed nothing"))?
            .run_id;
        queue
            .report_completed(&task_id, &run_id.to_string())
            .await
            .map_err(tc("reportCompleted"))?;
        let (routing_key, message) = captured
            .lock()
            .map_err(|_| Error::msg("the queue hook panicked"))?
            .take()
            .ok_or_else(|| Error::msg("tc-fake published no task-completed message"))?;
        let body = serde_json::to_vec(&message)
            .map_err(|e| Error::msg(format!("serializing the message: {e}")))?;
        Ok((routing_key, body))
    }

    struct Publisher {
        channel: Channel,
        routing_key: String,
        body: Vec<u8>,
    }

    impl Publisher {
        /// Publishes `n` persistent messages, then waits until the broker holds them
        /// all: `n - min(n, PREFETCH)` ready in `queue`, the rest delivered to the
        /// consumer registered on it (and not yet read).
        async fn fill(&self, queue: &str, n: u64) -> Result<()> {
            for _ in 0..n {
                let mut properties = BasicProperties::default();
                properties
                    .with_content_type("application/json")
                    .with_persistence(true);
                self.channel
                    .basic_publish(
                        properties,
                        self.body.clone(),
                        BasicPublishArguments::new(EXCHANGE, &self.routing_key),
                    )
                    .await
                    .map_err(amqp("publishing"))?;
            }
            // A round trip: the broker has taken every message published before it.
            self.channel
                .flow(true)
                .await
                .map_err(amqp("a flow round trip"))?;
            let ready = n - n.min(u64::from(PREFETCH));
            let started = Instant::now();
            loop {
                let mut passive = QueueDeclareArguments::new(queue);
                passive.passive(true);
                let count = self
                    .channel
                    .queue_declare(passive)
                    .await
                    .map_err(amqp("counting the queue's messages"))?
                    .map_or(0, |(_, count, _)| u64::from(count));
                if count == ready {
                    return Ok(());
                }
                if started.elapsed() > STEP {
                    return Err(Error::msg(format!(
                        "the queue holds {count} ready messages, not {ready}"
                    )));
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }

    /// The listener's round: connect, listen, fill, then consume `n` messages.
    async fn listener_round(
        amqp_url: &str,
        queue: &str,
        publisher: &Publisher,
        n: u64,
    ) -> Result<Duration> {
        let name = queue
            .strip_prefix(&format!("queue/{USER}/"))
            .ok_or_else(|| Error::msg("a queue of the benchmark's user"))?;
        let listener = Listener::builder(amqp_url, USER, name)
            .prefetch(PREFETCH)
            .connect()
            .await
            .map_err(tc("connecting the listener"))?;
        let mut messages = listener
            .listen(BenchCompleted::default())
            .await
            .map_err(tc("listening"))?;
        publisher.fill(queue, n).await?;

        let mut first = None;
        for _ in 0..n {
            let message = within("the listener's next message", messages.next())
                .await?
                .ok_or_else(|| Error::msg("the listener's stream ended"))?
                .map_err(tc("a message"))?;
            first.get_or_insert_with(Instant::now);
            std::hint::black_box(&message.payload);
            message.ack().await.map_err(tc("acknowledging"))?;
        }
        let time = first.map_or(Duration::ZERO, |first| first.elapsed());
        drop(messages);
        listener
            .delete_queue()
            .await
            .map_err(tc("deleting the listener's queue"))?;
        Ok(time)
    }

    /// The bare consumer's round: the same steps on amqprs alone.
    async fn bare_round(
        args: &OpenConnectionArguments,
        queue: &str,
        publisher: &Publisher,
        n: u64,
    ) -> Result<Duration> {
        let connection = Connection::open(args)
            .await
            .map_err(amqp("connecting the bare consumer"))?;
        let channel = connection
            .open_channel(None)
            .await
            .map_err(amqp("opening a channel"))?;
        channel
            .basic_qos(BasicQosArguments::new(0, PREFETCH, false))
            .await
            .map_err(amqp("setting the prefetch"))?;
        let mut declare = QueueDeclareArguments::new(queue);
        declare.durable(true).exclusive(false).auto_delete(false);
        channel
            .queue_declare(declare)
            .await
            .map_err(amqp("declaring the queue"))?;
        let pattern = BenchCompleted::default().routing_key_pattern();
        channel
            .queue_bind(QueueBindArguments::new(queue, EXCHANGE, &pattern))
            .await
            .map_err(amqp("binding the queue"))?;
        let mut consume = BasicConsumeArguments::new(queue, "");
        consume.manual_ack(true);
        let (_, mut deliveries) = channel
            .basic_consume_rx(consume)
            .await
            .map_err(amqp("consuming"))?;
        publisher.fill(queue, n).await?;

        let mut first = None;
        for _ in 0..n {
            let delivery = within("the bare consumer's next message", deliveries.recv())
                .await?
                .ok_or_else(|| Error::msg("the bare consumer's channel closed"))?;
            first.get_or_insert_with(Instant::now);
            let (Some(deliver), Some(body)) = (delivery.deliver, delivery.content) else {
                return Err(Error::msg("a delivery without its method or body"));
            };
            let payload: TaskCompletedMessage = serde_json::from_slice(&body)
                .map_err(|e| Error::msg(format!("a message does not decode: {e}")))?;
            std::hint::black_box(&payload);
            channel
                .basic_ack(BasicAckArguments::new(deliver.delivery_tag(), false))
                .await
                .map_err(amqp("acknowledging"))?;
        }
        let time = first.map_or(Duration::ZERO, |first| first.elapsed());
        let _ = channel.queue_delete(QueueDeleteArguments::new(queue)).await;
        let _ = channel.close().await;
        let _ = connection.close().await;
        Ok(time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_its_arguments() {
        assert_eq!(parse_args(&[]).unwrap(), (Options::default(), false));
        assert_eq!(
            parse_args(&["--messages", "500", "--rounds=1", "--inner"]).unwrap(),
            (
                Options {
                    messages: 500,
                    rounds: 1
                },
                true
            )
        );
        assert!(parse_args(&["--messages", "0"]).is_err());
        assert!(parse_args(&["--messages", "1"]).is_err());
        assert!(parse_args(&["--rounds"]).is_err());
        assert!(parse_args(&["--fast"]).is_err());
        let options = Options {
            messages: 7,
            rounds: 2,
        };
        let args = options.to_args();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(parse_args(&args).unwrap(), (options, false));
    }

    #[test]
    fn reports_rates_and_the_ratio() {
        let report = Report {
            date: "2026-01-01 00:00:00 UTC".into(),
            nproc: 2,
            messages: 1001,
            rounds: 1,
            body_len: 900,
            routing_key: "primary.x".into(),
            times: [
                vec![Duration::from_secs(1)],
                vec![Duration::from_millis(500)],
            ],
        };
        assert_eq!(report.median_rate(Kind::Listener), 1000.0);
        assert_eq!(report.median_rate(Kind::Bare), 2000.0);
        assert_eq!(report.ratio(), 0.5);
        let text = report.to_text();
        assert!(text.contains("0.50x (target >= 0.8x): MISS"), "{text}");
        assert!(text.contains("nproc 2"), "{text}");
    }
}
