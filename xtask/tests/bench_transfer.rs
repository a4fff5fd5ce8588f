//! `bench-transfer`'s measuring half, in this process (not through the release re-run),
//! with a small object: four positive throughputs, and the downloads checked against the
//! source inside the benchmark (it fails otherwise).

use xtask::bench::transfer::{self as bench_transfer, Kind, Options};

#[test]
fn a_small_benchmark_moves_the_right_bytes_and_reports_four_throughputs() {
    let mut lines = Vec::new();
    let options = Options {
        size_mib: 8,
        rounds: 1,
    };
    let report = bench_transfer::measure(options, &mut |line: &str| lines.push(line.to_owned()))
        .unwrap_or_else(|e| panic!("the benchmark failed: {e}\n{}", lines.join("\n")));

    assert_eq!(report.size, 8 * 1024 * 1024);
    assert_eq!(report.rounds, 1);
    for kind in Kind::ALL {
        let throughputs = report.throughputs(kind);
        assert_eq!(throughputs.len(), 1, "{kind:?}");
        assert!(
            throughputs[0] > 0.0 && throughputs[0].is_finite(),
            "{kind:?}: {throughputs:?}"
        );
        assert!(report.median_throughput(kind) > 0.0, "{kind:?}");
    }
    assert!(report.upload_ratio() > 0.0 && report.download_ratio() > 0.0);
    // The source's SHA-256, which both downloads matched.
    assert_eq!(report.sha256.len(), 64);

    let text = report.to_text();
    assert!(text.contains("every download matched the source"), "{text}");
    if cfg!(target_os = "linux") {
        let peak = report.rss_peak_kib.expect("VmHWM on Linux");
        assert!(peak >= report.rss_before_kib.unwrap(), "{text}");
        for kind in Kind::ALL {
            let during = report.rss_by_kind[kind as usize].expect("VmHWM is reset on Linux");
            assert!(during > 0 && during <= peak, "{kind:?}: {text}");
        }
        assert!(text.contains("peak RSS (VmHWM)"), "{text}");
    }
    let progress = lines.join("\n");
    assert!(progress.contains("round 1/1 "), "{progress}");
    assert!(progress.contains("download tc-client"), "{progress}");
    assert!(progress.contains("nproc:"), "{progress}");
}
