//! `cargo xtask bench-transfer [--size-mib N] [--rounds R]`: object upload and download
//! throughput of tc-client against a plain reqwest transfer of the same bytes to the same
//! server, and the peak memory of the process doing it.
//!
//! The measurement must run in a release build (a debug build would measure the debug
//! build, not the library), while `cargo xtask` runs a debug xtask. So [`dispatch`] re-runs
//! xtask as `cargo run --release --quiet --package xtask --features bench-transfer --
//! bench-transfer --inner ...`: the first time, that compiles xtask (tc-client, tc-fake,
//! reqwest, ...) in release mode, which takes a few minutes; later runs start at once.
//! The measuring half (`measure`) is behind the `bench-transfer` feature, so that the
//! plain `cargo xtask` never needs tc-client (which only compiles once the references are
//! imported).
//!
//! In one process, on a multi-thread tokio runtime, against one tc-fake on 127.0.0.1
//! started in that process, with a source file of N MiB of deterministic pseudo-random
//! bytes written once to a temporary directory, every round measures, by wall clock:
//!
//! - upload, tc-client: `Object::upload_object` with `from_file` (`createUpload`, the `PUT` to the
//!   `putUrl` hashing SHA-256 and SHA-512 as it streams, `finishUpload` with them);
//! - upload, reqwest: `createUpload` through the generated client, a plain reqwest `PUT`
//!   of the file streamed in 256 KiB chunks to the `putUrl`, `finishUpload` (no hashes);
//! - download, tc-client: `Object::download_object` with `to_file` of the object just uploaded by
//!   tc-client (`startDownload`, `GET` of the `getUrl`, hash verification, a temporary
//!   file renamed at the end);
//! - download, reqwest: `startDownload` through the generated client, a plain reqwest
//!   `GET` of the `getUrl` streamed to a file through a 1 MiB `BufWriter`.
//!
//! The two uploads, then the two downloads, run one after the other, in alternating order
//! from round to round; the file system is `sync`ed before each (outside the timing), so
//! that no transfer pays for the write-back of the one before. Every downloaded file is
//! checked (SHA-256 and length) against the source: a benchmark that moved wrong bytes
//! fails. Throughputs are the size over the median time of each kind.
//!
//! Memory: the process's peak RSS (`VmHWM`, Linux) is read once the server and the source
//! file are ready (the footprint before any transfer), then around every transfer, and
//! reset between them (`/proc/self/clear_refs`), so that each kind's own peak shows too;
//! the overall peak is the highest reading, the last one at the end. Each progress line
//! also gives the process's CPU time over the transfer's wall time (`cores`): with both
//! ends in one process, a transfer using every core is CPU-bound.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use super::{median, ratio, verdict};
use crate::error::{Error, Result};

/// Target of `tc-client / reqwest` throughput, both directions.
pub const RATIO_TARGET: f64 = 0.9;
/// Target of the process's peak RSS, in MiB.
pub const RSS_TARGET_MIB: f64 = 64.0;

const MIB: u64 = 1024 * 1024;

/// Options of the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Size of the object moved, in MiB.
    pub size_mib: u64,
    /// Rounds of the four transfers; medians are reported.
    pub rounds: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            size_mib: 1024,
            rounds: 3,
        }
    }
}

impl Options {
    /// The arguments that give these options back: `--size-mib N --rounds R`.
    pub fn to_args(&self) -> Vec<String> {
        vec![
            "--size-mib".into(),
            self.size_mib.to_string(),
            "--rounds".into(),
            self.rounds.to_string(),
        ]
    }

    fn check(&self) -> Result<()> {
        if self.size_mib == 0 || self.rounds == 0 {
            return Err(Error::msg("--size-mib and --rounds must be at least 1"));
        }
        Ok(())
    }
}

/// The four transfers measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `Object::upload_object` with `from_file`.
    UploadClient,
    /// A plain reqwest `PUT` to a `putUrl`.
    UploadReqwest,
    /// `Object::download_object` with `to_file`.
    DownloadClient,
    /// A plain reqwest `GET` of a `getUrl`.
    DownloadReqwest,
}

impl Kind {
    /// All four, in report order.
    pub const ALL: [Kind; 4] = [
        Kind::UploadClient,
        Kind::UploadReqwest,
        Kind::DownloadClient,
        Kind::DownloadReqwest,
    ];

    /// Its name in the report.
    pub fn label(self) -> &'static str {
        match self {
            Kind::UploadClient => "upload    tc-client",
            Kind::UploadReqwest => "upload    reqwest",
            Kind::DownloadClient => "download  tc-client",
            Kind::DownloadReqwest => "download  reqwest",
        }
    }

    /// Its name in progress lines.
    pub fn name(self) -> &'static str {
        match self {
            Kind::UploadClient => "upload tc-client",
            Kind::UploadReqwest => "upload reqwest",
            Kind::DownloadClient => "download tc-client",
            Kind::DownloadReqwest => "download reqwest",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What one run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// When it started (`2026-01-31 12:34:56 UTC`).
    pub date: String,
    /// Available parallelism.
    pub nproc: usize,
    /// Bytes moved by every transfer.
    pub size: u64,
    /// Rounds run.
    pub rounds: usize,
    /// Times of each [`Kind`] (indexed by it), one per round.
    pub times: [Vec<Duration>; 4],
    /// The highest `VmHWM` in KiB during each [`Kind`] of transfer (indexed by it;
    /// `None` where the peak cannot be reset between transfers).
    pub rss_by_kind: [Option<u64>; 4],
    /// `VmHWM` in KiB once the server and the source were ready (`None` off Linux).
    pub rss_before_kib: Option<u64>,
    /// `VmHWM` in KiB over the whole run (read at the end, and before every reset).
    pub rss_peak_kib: Option<u64>,
    /// SHA-256 of the source, which every download matched.
    pub sha256: String,
    /// MiB/s of SHA-256 and of SHA-512 (ring, what tc-client uses) alone, one thread
    /// each, over data in memory: the ceiling of a transfer that computes both.
    pub hashing: (f64, f64),
}

/// MiB/s of `size` bytes in `time`.
pub fn mib_per_s(size: u64, time: Duration) -> f64 {
    ratio(size as f64 / MIB as f64, time.as_secs_f64())
}

impl Report {
    /// MiB/s of every round of `kind`.
    pub fn throughputs(&self, kind: Kind) -> Vec<f64> {
        self.times[kind.index()]
            .iter()
            .map(|t| mib_per_s(self.size, *t))
            .collect()
    }

    /// MiB/s of the median time of `kind`.
    pub fn median_throughput(&self, kind: Kind) -> f64 {
        median(&self.times[kind.index()]).map_or(0.0, |t| mib_per_s(self.size, t))
    }

    /// `tc-client / reqwest` median throughput of uploads.
    pub fn upload_ratio(&self) -> f64 {
        self.median_throughput(Kind::UploadClient) / self.median_throughput(Kind::UploadReqwest)
    }

    /// `tc-client / reqwest` median throughput of downloads.
    pub fn download_ratio(&self) -> f64 {
        self.median_throughput(Kind::DownloadClient) / self.median_throughput(Kind::DownloadReqwest)
    }

    /// Whether the peak RSS is under its target (`false` when unknown).
    pub fn rss_passes(&self) -> bool {
        self.rss_peak_kib
            .is_some_and(|kib| (kib as f64 / 1024.0) < RSS_TARGET_MIB)
    }

    /// Whether every target is met.
    pub fn passes(&self) -> bool {
        self.upload_ratio() >= RATIO_TARGET
            && self.download_ratio() >= RATIO_TARGET
            && self.rss_passes()
    }

    /// The results, as printed.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let rounds = self.rounds;
        let _ = writeln!(
            out,
            "results (MiB/s; median of {rounds} round{}):",
            if rounds == 1 { "" } else { "s" }
        );
        let mib = |kib: Option<u64>| {
            kib.map_or("unknown".to_owned(), |k| {
                format!("{:.1} MiB", k as f64 / 1024.0)
            })
        };
        for kind in Kind::ALL {
            let each: Vec<String> = self
                .throughputs(kind)
                .iter()
                .map(|v| format!("{v:.0}"))
                .collect();
            let _ = writeln!(
                out,
                "  {:<27} {:>8.1} MiB/s   peak RSS {:>9}   (rounds: {})",
                kind.label(),
                self.median_throughput(kind),
                mib(self.rss_by_kind[kind.index()]),
                each.join(", ")
            );
        }
        for (direction, ratio) in [
            ("upload", self.upload_ratio()),
            ("download", self.download_ratio()),
        ] {
            let _ = writeln!(
                out,
                "  {:<27} {ratio:>8.2}x      target >= {RATIO_TARGET:.1}x   {}",
                format!("{direction:<9} tc-client/reqwest"),
                verdict(ratio >= RATIO_TARGET)
            );
        }
        let _ = writeln!(
            out,
            "  {:<27} {:>13}   target < {RSS_TARGET_MIB:.0} MiB   {}   (before the transfers: {})",
            "peak RSS (VmHWM)",
            mib(self.rss_peak_kib),
            verdict(self.rss_passes()),
            mib(self.rss_before_kib)
        );
        let (sha256, sha512) = self.hashing;
        let _ = writeln!(
            out,
            "  hashing alone (ring, one thread each, in memory): sha256 {sha256:.0} MiB/s, \
             sha512 {sha512:.0} MiB/s:\n    a transfer computing both cannot beat {:.0} MiB/s here",
            sha256.min(sha512)
        );
        let _ = writeln!(
            out,
            "  every download matched the source (sha256 {})",
            self.sha256
        );
        out
    }
}

/// `VmHWM` (peak resident set size) of this process in KiB, from `/proc/self/status`.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    vm_hwm_kib(&status)
}

fn vm_hwm_kib(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line["VmHWM:".len()..]
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()
}

/// Parses `[--size-mib N] [--rounds R] [--inner]`, in any order, `--flag=N` too; answers
/// the options and whether `--inner` (measure in this process) was given.
///
/// # Errors
///
/// On unknown arguments and values that are not positive numbers.
pub fn parse_args(rest: &[&str]) -> Result<(Options, bool)> {
    let mut options = Options::default();
    let mut inner = false;
    for flag in super::parse_flags(rest, &["--size-mib", "--rounds"], &["--inner"])? {
        match flag {
            super::Flag::Switch(_) => inner = true,
            super::Flag::Number("--size-mib", n) => options.size_mib = n,
            super::Flag::Number(name, n) => options.rounds = super::as_count(name, n)?,
        }
    }
    Ok((options, inner))
}

/// What `cargo xtask bench-transfer` does: re-runs xtask in a release build (see the
/// module documentation: `cargo run --release --quiet --package xtask --features
/// bench-transfer -- bench-transfer --inner <options>`, in the workspace at
/// `workspace_root`, its output going to ours), or with `inner` measures in this process
/// and prints the report.
///
/// # Errors
///
/// When the benchmark fails, or `inner` in an xtask built without `bench-transfer`.
pub fn dispatch(workspace_root: &Path, options: Options, inner: bool) -> Result<()> {
    options.check()?;
    let args = options.to_args();
    super::here_or_release(workspace_root, "bench-transfer", &args, inner, || {
        measure_here(options)
    })
}

#[cfg(feature = "bench-transfer")]
fn measure_here(options: Options) -> Result<()> {
    let report = measure(options, &mut super::say)?;
    super::print_text(&report.to_text());
    Ok(())
}

#[cfg(not(feature = "bench-transfer"))]
fn measure_here(_: Options) -> Result<()> {
    Err(super::built_without("bench-transfer"))
}

#[cfg(feature = "bench-transfer")]
pub use inner::measure;

#[cfg(feature = "bench-transfer")]
mod inner {
    use std::io::{Read as _, Write as _};
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant, SystemTime};

    use bytes::BytesMut;
    use ring::digest::{Context as Digest, SHA256};
    use tc_client::object::{
        CreateUploadRequest, DownloadObjectRequest, DownloadObjectResponse, FinishUploadRequest,
        Object, ProposedUploadMethods, PutUrlUploadRequest, SupportedDownloadMethods,
    };
    use tc_client::transfer::{from_file, to_file};
    use tc_client::{ClientBuilder, Credentials, Time};
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    use super::{Kind, MIB, Options, Report, peak_rss_kib};
    use crate::bench::{load_average, now, utc_date};
    use crate::error::{Context as _, Error, Result};

    const PROJECT: &str = "bench-transfer";
    const CONTENT_TYPE: &str = "application/octet-stream";
    /// Chunks of the plain upload's body (tc-client's `CHUNK_SIZE`).
    const PUT_CHUNK: usize = 256 * 1024;
    /// Buffer of the plain download's file writer.
    const GET_BUFFER: usize = 1024 * 1024;
    /// Buffer of the source writer and of the verification reader.
    const FILE_BUFFER: usize = 1024 * 1024;

    /// Runs the benchmark in this process (on a multi-thread runtime of its own): see the
    /// module documentation. `say` receives progress lines as they happen. Fails if any
    /// transfer fails or any download differs from the source.
    pub fn measure(options: Options, say: &mut dyn FnMut(&str)) -> Result<Report> {
        options.check()?;
        let size = options
            .size_mib
            .checked_mul(MIB)
            .ok_or_else(|| Error::msg("--size-mib is too large"))?;
        let nproc = std::thread::available_parallelism().map_or(0, usize::from);
        let date = utc_date(now());
        say(&format!(
            "bench-transfer: tc-client vs plain reqwest against tc-fake on 127.0.0.1 ({})",
            if cfg!(debug_assertions) {
                "DEBUG build: not representative"
            } else {
                "release build"
            }
        ));
        say(&format!("date:   {date}"));
        say(&format!("nproc:  {nproc}"));
        say(&format!("size:   {} MiB", options.size_mib));
        say(&format!("rounds: {} (median reported)", options.rounds));

        let dir = TempDir::new()?;
        let source = dir.path("source.bin");
        let started = Instant::now();
        let sha256 = write_source(&source, size)?;
        say(&format!(
            "source: {} ({:.1} s to write), sha256 {sha256}",
            source.display(),
            started.elapsed().as_secs_f64()
        ));

        let hashing = hashing_speed(size.min(256 * MIB));

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context(|| "starting the async runtime")?;
        let bench = Bench {
            size,
            sha256: &sha256,
            source: &source,
            dir: &dir,
        };
        let outcome = runtime.block_on(bench.run(options.rounds, say))?;
        drop(runtime);
        Ok(Report {
            date,
            nproc,
            size,
            rounds: options.rounds,
            times: outcome.times,
            rss_by_kind: outcome.rss_by_kind,
            rss_before_kib: outcome.rss_before,
            rss_peak_kib: outcome.rss_peak,
            sha256,
            hashing,
        })
    }

    /// MiB/s of SHA-256 and of SHA-512 over `amount` bytes in memory, one at a time.
    fn hashing_speed(amount: u64) -> (f64, f64) {
        let buf = vec![0x5a_u8; FILE_BUFFER];
        let speed = |algorithm: &'static ring::digest::Algorithm| {
            let started = Instant::now();
            let mut digest = Digest::new(algorithm);
            let mut left = amount;
            while left > 0 {
                let n = left.min(buf.len() as u64) as usize;
                digest.update(&buf[..n]);
                left -= n as u64;
            }
            std::hint::black_box(digest.finish());
            super::mib_per_s(amount, started.elapsed())
        };
        (speed(&SHA256), speed(&ring::digest::SHA512))
    }

    /// The objects uploaded by tc-client and by reqwest in a round (both downloads fetch
    /// tc-client's).
    struct Names<'a> {
        client: &'a str,
        reqwest: &'a str,
    }

    /// What [`Bench::run`] measured.
    struct Outcome {
        times: [Vec<Duration>; 4],
        rss_by_kind: [Option<u64>; 4],
        rss_before: Option<u64>,
        rss_peak: Option<u64>,
    }

    /// The process's peak RSS, over the whole run and between checkpoints: every
    /// checkpoint reads `VmHWM` and resets it (`5` to `/proc/self/clear_refs`, Linux).
    #[derive(Default)]
    struct PeakRss {
        overall: Option<u64>,
        /// Whether the last reset worked (else `VmHWM` is the peak since the start).
        resets: bool,
    }

    impl PeakRss {
        /// `VmHWM` in KiB since the last checkpoint (since the start if `resets` is
        /// false), folded into the overall peak, then reset.
        fn checkpoint(&mut self) -> Option<u64> {
            let hwm = peak_rss_kib()?;
            self.overall = Some(self.overall.map_or(hwm, |o| o.max(hwm)));
            self.resets = std::fs::write("/proc/self/clear_refs", "5").is_ok();
            Some(hwm)
        }
    }

    struct Bench<'a> {
        size: u64,
        sha256: &'a str,
        source: &'a Path,
        dir: &'a TempDir,
    }

    impl Bench<'_> {
        async fn run(&self, rounds: usize, say: &mut dyn FnMut(&str)) -> Result<Outcome> {
            // An error means a provider is installed already.
            let _ = rustls::crypto::ring::default_provider().install_default();
            let tc = tc_fake::start().await.context(|| "starting tc-fake")?;
            let (client_id, access_token) = tc.root_credentials();
            let object: Object = ClientBuilder::<Object>::default()
                .root_url(tc.root_url())
                .credentials(Credentials::new(client_id, access_token))
                .build()
                .context(|| "building the object client")?;
            let http = reqwest::Client::builder()
                .build()
                .context(|| "building the reqwest client")?;
            say(&format!("server: tc-fake at {}", tc.root_url()));

            settle().await;
            let mut rss = PeakRss::default();
            let rss_before = rss.checkpoint();
            let mut outcome = Outcome {
                times: Default::default(),
                rss_by_kind: Default::default(),
                rss_before,
                rss_peak: None,
            };
            for round in 0..rounds {
                let load = load_average().unwrap_or_else(|| "?".to_owned());
                let name = format!("{PROJECT}/{}/{round}", std::process::id());
                let names = Names {
                    client: &format!("{name}/tc-client"),
                    reqwest: &format!("{name}/reqwest"),
                };
                let mut order = [Kind::UploadClient, Kind::UploadReqwest];
                let mut then = [Kind::DownloadClient, Kind::DownloadReqwest];
                if round % 2 == 1 {
                    order.reverse();
                    then.reverse();
                }
                let mut results = Vec::new();
                for kind in order.into_iter().chain(then) {
                    settle().await;
                    rss.checkpoint();
                    let reset = rss.resets;
                    let cpu_before = cpu_time();
                    let started = Instant::now();
                    let downloaded = self.transfer(kind, &object, &http, &names).await?;
                    let elapsed = started.elapsed();
                    let cpu = cpu_time()
                        .zip(cpu_before)
                        .map(|(after, before)| after.saturating_sub(before));
                    let peak = rss.checkpoint().filter(|_| reset);
                    if let Some(path) = downloaded {
                        self.check_download(kind, &path).await?;
                    }

                    outcome.times[kind.index()].push(elapsed);
                    let slot = &mut outcome.rss_by_kind[kind.index()];
                    *slot = peak.max(*slot);
                    let rate = super::mib_per_s(self.size, elapsed);
                    let cores = cpu.map_or_else(
                        || "?".to_owned(),
                        |cpu| format!("{:.1}", cpu.as_secs_f64() / elapsed.as_secs_f64()),
                    );
                    let peak = peak.map_or_else(
                        || "?".to_owned(),
                        |kib| format!("{:.0}", kib as f64 / 1024.0),
                    );
                    results.push(format!(
                        "  {:<19} {rate:>6.0} MiB/s   {cores} cores   peak RSS {peak} MiB",
                        kind.name()
                    ));
                }
                say(&format!(
                    "round {}/{rounds} (load average before: {load}):\n{}",
                    round + 1,
                    results.join("\n")
                ));
            }
            drop(tc);
            outcome.rss_peak = rss.checkpoint().and(rss.overall);
            Ok(outcome)
        }

        /// Runs one transfer of `kind`; answers the downloaded file, for downloads.
        async fn transfer(
            &self,
            kind: Kind,
            object: &Object,
            http: &reqwest::Client,
            names: &Names<'_>,
        ) -> Result<Option<PathBuf>> {
            let expires = expires()?;
            match kind {
                Kind::UploadClient => {
                    object
                        .upload_object(PROJECT, names.client, expires, from_file(self.source))
                        .content_type(CONTENT_TYPE)
                        .await
                        .context(|| "tc-client upload_object from_file")?;
                    Ok(None)
                }
                Kind::UploadReqwest => {
                    plain_upload(object, http, names.reqwest, expires, self.source, self.size)
                        .await?;
                    Ok(None)
                }
                Kind::DownloadClient => {
                    let target = self.dir.path("download-tc-client.bin");
                    object
                        .download_object(names.client, to_file(&target))
                        .await
                        .context(|| "tc-client download_object to_file")?;
                    Ok(Some(target))
                }
                Kind::DownloadReqwest => {
                    let target = self.dir.path("download-reqwest.bin");
                    plain_download(object, http, names.client, &target).await?;
                    Ok(Some(target))
                }
            }
        }

        /// Checks the downloaded file at `path` against the source, then removes it.
        async fn check_download(&self, kind: Kind, path: &Path) -> Result<()> {
            let owned = path.to_owned();
            let (length, sha256) = tokio::task::spawn_blocking(move || hash_file(&owned))
                .await
                .context(|| "hashing a download")??;
            let _ = std::fs::remove_file(path);
            if length != self.size || sha256 != self.sha256 {
                return Err(Error::msg(format!(
                    "the {} is not the source: {length} bytes with sha256 {sha256}, \
                     expected {} bytes with sha256 {}",
                    kind.name(),
                    self.size,
                    self.sha256
                )));
            }
            Ok(())
        }
    }

    fn expires() -> Result<Time> {
        Time::from_now("1 day").context(|| "computing an expiry")
    }

    /// `createUpload` (`putUrl` only), a plain streamed reqwest `PUT` of the file at
    /// `path`, `finishUpload` without hashes.
    async fn plain_upload(
        object: &Object,
        http: &reqwest::Client,
        name: &str,
        expires: Time,
        path: &Path,
        size: u64,
    ) -> Result<()> {
        let upload_id = tc_client::slugid::nice();
        let put_url =
            PutUrlUploadRequest::new(i64::try_from(size).context(|| "the size")?, CONTENT_TYPE);
        let request = CreateUploadRequest::new(
            expires,
            PROJECT.parse().context(|| "the project id")?,
            ProposedUploadMethods::new().put_url(put_url),
            upload_id.parse().context(|| "the upload id")?,
        );
        let created = object
            .create_upload(name, &request)
            .await
            .context(|| "createUpload")?;
        let put = created
            .upload_method
            .put_url
            .ok_or_else(|| Error::msg("createUpload answered no putUrl"))?;

        let file = tokio::fs::File::open(path)
            .await
            .context(|| format!("opening {}", path.display()))?;
        let body = futures_util::stream::try_unfold(file, |mut file| async move {
            let mut chunk = BytesMut::with_capacity(PUT_CHUNK);
            match file.read_buf(&mut chunk).await? {
                0 => Ok::<_, std::io::Error>(None),
                _ => Ok(Some((chunk.freeze(), file))),
            }
        });
        let mut put_request = http.put(&put.url);
        for (header, value) in &put.headers {
            put_request = put_request.header(header, value);
        }
        if !put
            .headers
            .keys()
            .any(|h| h.eq_ignore_ascii_case("content-length"))
        {
            put_request = put_request.header(reqwest::header::CONTENT_LENGTH, size);
        }
        let response = put_request
            .body(reqwest::Body::wrap_stream(body))
            .send()
            .await
            .map_err(|e| Error::msg(format!("the plain PUT: {}", chain(&e))))?;
        if !response.status().is_success() {
            let status = response.status();
            let text = response.text().await.unwrap_or_default();
            return Err(Error::msg(format!(
                "the plain PUT answered {status}: {text}"
            )));
        }

        let finish = FinishUploadRequest::new(request.project_id, request.upload_id);
        object
            .finish_upload(name, &finish)
            .await
            .context(|| "finishUpload")
    }

    /// `startDownload` (`getUrl` only), a plain reqwest `GET` of the URL streamed to the
    /// file at `path` through a [`GET_BUFFER`] buffer.
    async fn plain_download(
        object: &Object,
        http: &reqwest::Client,
        name: &str,
        path: &Path,
    ) -> Result<()> {
        let request = DownloadObjectRequest::new(SupportedDownloadMethods::new().get_url(true));
        let answer = object
            .start_download(name, &request)
            .await
            .context(|| "startDownload")?;
        let DownloadObjectResponse::GetUrlDownloadResponse(answer) = answer else {
            return Err(Error::msg("startDownload did not answer a getUrl"));
        };
        let mut response = http
            .get(&answer.url)
            .send()
            .await
            .map_err(|e| Error::msg(format!("the plain GET: {}", chain(&e))))?;
        if !response.status().is_success() {
            return Err(Error::msg(format!(
                "the plain GET answered {}",
                response.status()
            )));
        }
        let file = tokio::fs::File::create(path)
            .await
            .context(|| format!("creating {}", path.display()))?;
        let mut file = tokio::io::BufWriter::with_capacity(GET_BUFFER, file);
        let write = |e: std::io::Error| Error::msg(format!("writing {}: {e}", path.display()));
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| Error::msg(format!("the plain GET's body: {}", chain(&e))))?
        {
            file.write_all(&chunk).await.map_err(write)?;
        }
        file.flush().await.map_err(write)?;
        // Closing a tokio file waits for nothing: `flush` saw every write done.
        drop(file);
        Ok(())
    }

    /// An error and its sources, `: `-separated.
    fn chain(error: &dyn std::error::Error) -> String {
        let mut text = error.to_string();
        let mut source = error.source();
        while let Some(e) = source {
            let _ = std::fmt::Write::write_fmt(&mut text, format_args!(": {e}"));
            source = e.source();
        }
        text
    }

    /// Flushes dirty pages (`sync`), so that no transfer pays for the previous one's
    /// write-back. Best effort.
    async fn settle() {
        let _ = tokio::task::spawn_blocking(|| {
            let _ = std::process::Command::new("sync").status();
        })
        .await;
    }

    /// User and system CPU time of this process so far (Linux; clock-tick precision).
    fn cpu_time() -> Option<Duration> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        // Fields after the command name (which may hold spaces), from the 3rd on.
        let rest = &stat[stat.rfind(')')? + 2..];
        let mut fields = rest.split_whitespace().skip(11);
        let utime: u64 = fields.next()?.parse().ok()?;
        let stime: u64 = fields.next()?.parse().ok()?;
        // USER_HZ is 100 on every Linux platform Rust supports.
        Some(Duration::from_millis((utime + stime) * 10))
    }

    /// Writes `size` deterministic pseudo-random bytes (xorshift64*) to `path`; answers
    /// their SHA-256 (lowercase hex).
    fn write_source(path: &Path, size: u64) -> Result<String> {
        let io = |e: std::io::Error| Error::msg(format!("writing {}: {e}", path.display()));
        let mut file = std::fs::File::create(path).map_err(io)?;
        let mut digest = Digest::new(&SHA256);
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut buf = vec![0u8; FILE_BUFFER];
        let mut left = size;
        while left > 0 {
            let n = left.min(FILE_BUFFER as u64) as usize;
            for word in buf[..n].chunks_mut(8) {
                state ^= state >> 12;
                state ^= state << 25;
                state ^= state >> 27;
                let value = state.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes();
                word.copy_from_slice(&value[..word.len()]);
            }
            digest.update(&buf[..n]);
            file.write_all(&buf[..n]).map_err(io)?;
            left -= n as u64;
        }
        file.flush().map_err(io)?;
        Ok(hex(digest.finish().as_ref()))
    }

    /// Length and SHA-256 of the file at `path`.
    fn hash_file(path: &Path) -> Result<(u64, String)> {
        let io = |e: std::io::Error| Error::msg(format!("reading {}: {e}", path.display()));
        let mut file = std::fs::File::open(path).map_err(io)?;
        let mut digest = Digest::new(&SHA256);
        let mut buf = vec![0u8; FILE_BUFFER];
        let mut length = 0u64;
        loop {
            let n = file.read(&mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            digest.update(&buf[..n]);
            length += n as u64;
        }
        Ok((length, hex(digest.finish().as_ref())))
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A fresh directory under the system's temporary directory, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> Result<TempDir> {
            let nanos = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default()
                .subsec_nanos();
            let dir = std::env::temp_dir()
                .join(format!("tc-bench-transfer-{}-{nanos}", std::process::id()));
            std::fs::create_dir_all(&dir)
                .map_err(|e| Error::msg(format!("creating {}: {e}", dir.display())))?;
            Ok(TempDir(dir))
        }

        fn path(&self, name: &str) -> PathBuf {
            self.0.join(name)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_download_that_differs_from_the_source_fails() {
            let dir = TempDir::new().unwrap();
            let source = dir.path("source.bin");
            let size = MIB + 3;
            let sha256 = write_source(&source, size).unwrap();
            assert_eq!(hash_file(&source).unwrap(), (size, sha256.clone()));
            let bench = Bench {
                size,
                sha256: &sha256,
                source: &source,
                dir: &dir,
            };
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap();

            let copy = dir.path("copy.bin");
            std::fs::copy(&source, &copy).unwrap();
            runtime
                .block_on(bench.check_download(Kind::DownloadReqwest, &copy))
                .unwrap();
            assert!(!copy.exists(), "a checked download is removed");

            let mut bytes = std::fs::read(&source).unwrap();
            bytes[MIB as usize] ^= 1;
            std::fs::write(&copy, &bytes).unwrap();
            let err = runtime
                .block_on(bench.check_download(Kind::DownloadClient, &copy))
                .unwrap_err();
            assert!(
                err.message()
                    .contains("the download tc-client is not the source"),
                "{err}"
            );

            std::fs::write(&copy, &bytes[..100]).unwrap();
            let err = runtime
                .block_on(bench.check_download(Kind::DownloadReqwest, &copy))
                .unwrap_err();
            assert!(err.message().contains("100 bytes"), "{err}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_vm_hwm() {
        let status = "Name:\txtask\nVmPeak:\t  10 kB\nVmHWM:\t   12345 kB\nVmRSS:\t 1 kB\n";
        assert_eq!(vm_hwm_kib(status), Some(12345));
        assert_eq!(vm_hwm_kib("Name: x\n"), None);
    }

    #[test]
    fn throughput_and_ratios() {
        let s = Duration::from_secs;
        assert_eq!(mib_per_s(2 * MIB, s(1)), 2.0);
        let report = Report {
            date: "d".into(),
            nproc: 2,
            size: 100 * MIB,
            rounds: 3,
            times: [
                vec![s(1), s(2), s(10)],
                vec![s(1), s(1), s(1)],
                vec![s(2), s(2), s(2)],
                vec![s(1), s(1), s(1)],
            ],
            rss_by_kind: [Some(30 * 1024), Some(20 * 1024), None, Some(40 * 1024)],
            rss_before_kib: Some(10 * 1024),
            rss_peak_kib: Some(40 * 1024),
            sha256: "x".into(),
            hashing: (1000.0, 500.0),
        };
        assert_eq!(report.median_throughput(Kind::UploadClient), 50.0);
        assert_eq!(report.upload_ratio(), 0.5);
        assert_eq!(report.download_ratio(), 0.5);
        assert!(report.rss_passes());
        assert!(!report.passes());
        let text = report.to_text();
        assert!(
            text.contains(
                "upload    tc-client             50.0 MiB/s   peak RSS  30.0 MiB   (rounds: 100, 50, 10)"
            ),
            "{text}"
        );
        assert!(text.contains("sha512 500 MiB/s"), "{text}");
        assert!(text.contains("0.50x"), "{text}");
        assert!(text.contains("MISS"), "{text}");
        assert!(text.contains("40.0 MiB"), "{text}");
    }
}
