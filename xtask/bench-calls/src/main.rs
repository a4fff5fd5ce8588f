//! The measuring program of `cargo xtask bench-calls`: the per-call cost of tc-client
//! against a hand-written reqwest + hawk + serde_json client and the official
//! `taskcluster` crate, in one run, against one canned HTTP server on 127.0.0.1.
//!
//! `bench-calls [--per-round N] [--rounds R] [--turns T] [--warmup W]` (defaults 2000,
//! 10, 4, 256) starts the server (this program again, `--serve`, a child process: see
//! `server.rs`), builds the three clients (see `clients.rs`), checks once that each
//! decodes both answers, then for each mode
//!
//! - `get-seq`: `GET /task/<id>` (`queue.task`), one call after the other;
//! - `get-64`:  the same, 64 in flight;
//! - `put-seq`: `PUT /task/<id>` with a task definition (`queue.create_task`), sequential;
//! - `put-64`:  the same, 64 in flight;
//!
//! warms every client up with W calls (connections opened, not timed), then runs R rounds
//! in which every client makes N calls in T turns: the three clients take turns, N/T
//! calls each, in an order rotated from turn to turn, so that a burst of load elsewhere
//! on the machine falls on all three alike. The calls of a turn are made by 1 or 64
//! tasks spawned on a multi-thread tokio runtime (the default one, as `#[tokio::main]`
//! builds), sharing the client; the task ids come from a list of 64 made beforehand.
//! Around every turn it takes the wall clock and the process's CPU time
//! (`getrusage(RUSAGE_SELF)`, user + system: the clients' work alone, the server being
//! another process); at the end of a round it prints, for each client, the sums of its
//! turns:
//!
//! ```text
//! sample mode=get-seq round=1 client=tc-client calls=2000 wall_ns=211845110 cpu_ns=298311000
//! ```
//!
//! on its standard output; `cargo xtask bench-calls` reads those lines and reports
//! medians, ratios and verdicts. Other lines are for people.

mod clients;
mod server;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clients::{Calls, HandWritten, Official, TcClient};
use server::Server;
use tc_client::queue::TaskDefinitionRequest;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T, E = BoxError> = std::result::Result<T, E>;

/// Calls in flight in the concurrent modes.
const IN_FLIGHT: usize = 64;
/// Distinct task ids the calls cycle through.
const TASK_IDS: usize = 64;

/// One way of calling.
#[derive(Debug, Clone, Copy)]
struct Mode {
    name: &'static str,
    put: bool,
    in_flight: usize,
}

const MODES: [Mode; 4] = [
    Mode {
        name: "get-seq",
        put: false,
        in_flight: 1,
    },
    Mode {
        name: "get-64",
        put: false,
        in_flight: IN_FLIGHT,
    },
    Mode {
        name: "put-seq",
        put: true,
        in_flight: 1,
    },
    Mode {
        name: "put-64",
        put: true,
        in_flight: IN_FLIGHT,
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Options {
    per_round: usize,
    rounds: usize,
    warmup: usize,
    /// Turns each client takes in a round.
    turns: usize,
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut options = Options {
        per_round: 2000,
        rounds: 10,
        warmup: 256,
        turns: 4,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?
            .parse::<usize>()
            .map_err(|e| format!("{flag}: {e}"))?;
        match flag.as_str() {
            "--per-round" if value > 0 => options.per_round = value,
            "--rounds" if value > 0 => options.rounds = value,
            "--warmup" => options.warmup = value,
            "--turns" if value > 0 => options.turns = value,
            _ => {
                return Err(format!(
                    "unknown argument or bad value: {flag} {value} \
                     (usage: bench-calls [--per-round N] [--rounds R] [--turns T] [--warmup W] | --serve)"
                )
                .into());
            }
        }
    }
    Ok(options)
}

/// The CPU time (user + system) of this process so far.
fn cpu_time() -> Result<Duration> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a `struct rusage` to the pointer it is given, which points
    // to one (zero-initialised, so valid whatever it writes).
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    // SAFETY: zero-initialised and then filled by getrusage; every field is plain data.
    let usage = unsafe { usage.assume_init() };
    let time = |tv: libc::timeval| {
        Duration::from_secs(u64::try_from(tv.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(tv.tv_usec).unwrap_or(0))
    };
    Ok(time(usage.ru_utime) + time(usage.ru_stime))
}

/// `n` calls of `mode` through `client`, by `mode.in_flight` tasks sharing it.
async fn calls<C: Calls>(
    client: &Arc<C>,
    mode: Mode,
    n: usize,
    ids: &Arc<Vec<String>>,
) -> Result<()> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::with_capacity(mode.in_flight);
    for _ in 0..mode.in_flight.min(n) {
        let client = Arc::clone(client);
        let ids = Arc::clone(ids);
        let next = Arc::clone(&next);
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    return Ok::<(), BoxError>(());
                }
                let id = &ids[i % ids.len()];
                let fact = if mode.put {
                    client.put(id).await
                } else {
                    client.get(id).await
                };
                std::hint::black_box(fact.map_err(|e| format!("{}: {e}", C::NAME))?);
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(())
}

/// `n` calls of `mode` through `client`: their wall-clock and CPU times.
async fn timed<C: Calls>(
    client: &Arc<C>,
    mode: Mode,
    n: usize,
    ids: &Arc<Vec<String>>,
) -> Result<(Duration, Duration)> {
    let cpu = cpu_time()?;
    let start = Instant::now();
    calls(client, mode, n, ids).await?;
    let wall = start.elapsed();
    Ok((wall, cpu_time()?.saturating_sub(cpu)))
}

/// The calls of turn `turn` of `turns` when `n` are split as evenly as can be.
fn turn_len(n: usize, turns: usize, turn: usize) -> usize {
    n / turns + usize::from(turn < n % turns)
}

/// Once per client: both calls answer what the canned documents say.
async fn check<C: Calls>(client: &C, id: &str) -> Result<()> {
    let routes = client.get(id).await?;
    let runs = client.put(id).await?;
    if (routes, runs) != (5, 1) {
        return Err(format!(
            "{}: decoded {routes} routes and {runs} runs, not 5 and 1",
            C::NAME
        )
        .into());
    }
    Ok(())
}

struct Clients {
    tc: Arc<TcClient>,
    hand: Arc<HandWritten>,
    official: Arc<Official>,
}

impl Clients {
    const NAMES: [&'static str; 3] = [TcClient::NAME, HandWritten::NAME, Official::NAME];

    /// Client `which` (0 tc-client, 1 hand-written, 2 official) makes `n` calls of
    /// `mode`: their wall-clock and CPU times.
    async fn timed(
        &self,
        which: usize,
        mode: Mode,
        n: usize,
        ids: &Arc<Vec<String>>,
    ) -> Result<(Duration, Duration)> {
        match which {
            0 => timed(&self.tc, mode, n, ids).await,
            1 => timed(&self.hand, mode, n, ids).await,
            _ => timed(&self.official, mode, n, ids).await,
        }
    }
}

async fn bench(options: Options, server: &Server, task: &[u8], status: &[u8]) -> Result<()> {
    let root_url = format!("http://{}", server.addr);
    let definition: TaskDefinitionRequest = serde_json::from_slice(task)?;
    let value = serde_json::to_value(&definition)?;
    println!(
        "server:  {root_url} (child process {}); answers {} B (GET task), {} B (PUT status); \
         PUT body {} B",
        server.pid(),
        task.len(),
        status.len(),
        serde_json::to_vec(&definition)?.len()
    );
    let clients = Clients {
        tc: Arc::new(TcClient::new(&root_url, definition.clone())?),
        hand: Arc::new(HandWritten::new(server.addr, definition)?),
        official: Arc::new(Official::new(&root_url, value)?),
    };
    let ids: Arc<Vec<String>> = Arc::new(
        (0..TASK_IDS)
            .map(|_| tc_client::slugid::nice().to_string())
            .collect(),
    );
    check(&*clients.tc, &ids[0]).await?;
    check(&*clients.hand, &ids[0]).await?;
    check(&*clients.official, &ids[0]).await?;

    for mode in MODES {
        for which in 0..3 {
            clients.timed(which, mode, options.warmup, &ids).await?;
        }
        for round in 1..=options.rounds {
            // The clients take turns, the order rotated every turn; a client's round
            // is the sum of its turns.
            let mut totals = [(Duration::ZERO, Duration::ZERO); 3];
            for turn in 0..options.turns {
                let n = turn_len(options.per_round, options.turns, turn);
                for k in 0..3 {
                    let which = (round + turn + k) % 3;
                    let (wall, cpu) = clients.timed(which, mode, n, &ids).await?;
                    totals[which].0 += wall;
                    totals[which].1 += cpu;
                }
            }
            for (name, (wall, cpu)) in Clients::NAMES.iter().zip(totals) {
                println!(
                    "sample mode={} round={round} client={name} calls={} wall_ns={} cpu_ns={}",
                    mode.name,
                    options.per_round,
                    wall.as_nanos(),
                    cpu.as_nanos()
                );
            }
        }
    }
    Ok(())
}

/// Binds this thread, and the threads it starts afterwards, to `cpu`; false
/// (and nothing done) when the machine has fewer than two CPUs or refuses.
pub fn pin_to_cpu(cpu: usize) -> bool {
    if std::thread::available_parallelism().map_or(1, usize::from) < 2 {
        return false;
    }
    // SAFETY: a zeroed cpu_set_t is an empty set; CPU_SET writes inside it,
    // and sched_setaffinity reads exactly size_of::<cpu_set_t>() bytes.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
    }
}

/// A JSON document without its whitespace, as a server sends it.
fn compact(text: &str) -> Result<Vec<u8>> {
    let value: serde_json::Value = serde_json::from_str(text)?;
    Ok(serde_json::to_vec(&value)?)
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = compact(include_str!("task.json"))?;
    let status = compact(include_str!("status.json"))?;
    if args.first().map(String::as_str) == Some("--serve") {
        return server::serve(&task, &status);
    }
    let options = parse_args(&args)?;
    // tc-client's setup: rustls on ring (an error means a provider is installed already).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let server = Server::start()?;
    // The clients on one core, the server (pinned by itself) on another: where
    // the scheduler puts the two otherwise changes from turn to turn, and with
    // it the cost of every sequential call.
    let pinned = pin_to_cpu(0);
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if pinned {
        // One core, one worker: a second one would only take turns with it.
        builder.worker_threads(1);
        println!("pinned:  clients on cpu 0 (one runtime worker), server on cpu 1");
    }
    let runtime = builder.enable_all().build()?;
    runtime.block_on(bench(options, &server, &task, &status))
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-calls: {e}");
            ExitCode::FAILURE
        }
    }
}
