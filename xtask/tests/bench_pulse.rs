//! `bench-pulse`'s measuring half, in this process, with few messages, against the
//! RabbitMQ of CI on 127.0.0.1:5672 (or `PULSE_URL`): both consumers take every message
//! (the benchmark fails otherwise) and report positive throughputs. Says SKIPPED and
//! passes when no broker listens there, unless `CI` is set (then it fails).
#![cfg(feature = "bench-pulse")]

use xtask::bench::pulse::{self as bench_pulse, Kind, Options};

#[test]
fn a_small_benchmark_consumes_every_message_with_both_consumers() {
    if std::env::var_os("PULSE_URL").is_none() && !tc_test_support::broker_available("bench-pulse")
    {
        return;
    }
    let mut lines = Vec::new();
    let options = Options {
        messages: 300,
        rounds: 2,
    };
    let report = bench_pulse::measure(options, &mut |line: &str| lines.push(line.to_owned()))
        .unwrap_or_else(|e| panic!("the benchmark failed: {e}\n{}", lines.join("\n")));

    assert_eq!(report.messages, 300);
    assert_eq!(report.rounds, 2);
    for kind in Kind::ALL {
        let rates = report.rates(kind);
        assert_eq!(rates.len(), 2, "{kind:?}");
        assert!(
            rates.iter().all(|r| *r > 0.0 && r.is_finite()),
            "{kind:?}: {rates:?}"
        );
    }
    assert!(report.ratio() > 0.0 && report.ratio().is_finite());
    assert!(report.body_len > 200, "a realistic body: {report:?}");
    assert!(report.routing_key.starts_with("primary."), "{report:?}");

    let text = report.to_text();
    assert!(text.contains("listener / bare"), "{text}");
    assert!(text.contains("PASS") || text.contains("MISS"), "{text}");
    assert!(text.contains("nproc"), "{text}");
    let progress = lines.join("\n");
    assert!(progress.contains("round 2/2 bare amqprs"), "{progress}");
    assert!(
        progress.contains("round 1/2 tc-client listener"),
        "{progress}"
    );
}
