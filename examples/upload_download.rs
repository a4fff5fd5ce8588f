//! An object and an artifact up and down, with a progress bar, as the Go
//! client's object and artifact helpers do.
//!
//! The example writes a file of pseudo-random bytes (64 MiB unless the first
//! argument or `UPLOAD_SIZE_MIB` says otherwise) to a temporary folder, then:
//!
//! - uploads it to the object service with `Object::upload_object` (from the
//!   file) and downloads it again with `Object::download_object` (to a file);
//! - uploads it as an `object` artifact of a claimed task run with
//!   `Queue::upload_artifact` and downloads it again with
//!   `Queue::download_artifact`;
//!
//! each transfer streamed, hashed and drawn as an `indicatif` progress bar on
//! stderr fed by the transfer's progress callback (`.progress(..)`). It
//! checks that each download has the bytes of the file, and prints the sizes,
//! speeds and how many progress updates each transfer made on stdout.
//!
//! Without `TASKCLUSTER_ROOT_URL` it starts tc-fake and creates and claims a
//! task for the artifact. Against a real deployment:
//!
//! ```sh
//! TASKCLUSTER_ROOT_URL=https://tc.example.com \
//! TASKCLUSTER_CLIENT_ID=... TASKCLUSTER_ACCESS_TOKEN=... \
//! PROJECT_ID=my-project [TASK_ID=... RUN_ID=0] \
//! cargo run --example upload_download -- 16
//! ```
//!
//! The object part takes `object:upload:<PROJECT_ID>:examples/upload-download/*`
//! and `object:download:examples/upload-download/*`. The artifact part runs
//! only with `TASK_ID` and `RUN_ID` of a run that is running, and takes
//! `queue:status:<TASK_ID>`, `queue:create-artifact:<TASK_ID>/<RUN_ID>` (task
//! credentials have it) and `queue:get-artifact:public/upload-download/*`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use tc_client::Time;
use tc_client::object::Object;
use tc_client::queue::Queue;
use tc_client::transfer::{from_file, to_file};
use tc_examples::{BoxError, Deployment, create_and_claim_task, non_empty_env, required_env};

const MIB: u64 = 1024 * 1024;

/// The file's size in MiB unless told otherwise.
const DEFAULT_SIZE_MIB: u64 = 64;

/// The content type of the object and the artifact.
const CONTENT_TYPE: &str = "application/octet-stream";

/// The artifact's name.
const ARTIFACT: &str = "public/upload-download/data.bin";

/// A folder removed, with what it holds, when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        let path = std::env::temp_dir().join(format!(
            "tc-examples-upload-download-{}",
            tc_client::slugid::v4()
        ));
        std::fs::create_dir_all(&path)?;
        Ok(TempDir(path))
    }

    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes `size` pseudo-random bytes (xorshift64*) to `path`, a MiB at a time.
fn write_source(path: &Path, size: u64) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut chunk = Vec::with_capacity(MIB as usize);
    let mut written = 0;
    while written < size {
        chunk.clear();
        let len = (size - written).min(MIB);
        while (chunk.len() as u64) < len {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            chunk.extend_from_slice(&state.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
        }
        chunk.truncate(len as usize);
        file.write_all(&chunk)?;
        written += len;
    }
    file.flush()
}

/// Whether the files at `a` and `b` hold the same bytes.
fn same_bytes(a: &Path, b: &Path) -> std::io::Result<bool> {
    let size = std::fs::metadata(a)?.len();
    if std::fs::metadata(b)?.len() != size {
        return Ok(false);
    }
    let (mut a, mut b) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    let (mut chunk_a, mut chunk_b) = (vec![0; MIB as usize], vec![0; MIB as usize]);
    let mut left = size;
    while left > 0 {
        let len = left.min(MIB) as usize;
        a.read_exact(&mut chunk_a[..len])?;
        b.read_exact(&mut chunk_b[..len])?;
        if chunk_a[..len] != chunk_b[..len] {
            return Ok(false);
        }
        left -= len as u64;
    }
    Ok(true)
}

/// What a progress callback saw: how often it was called, and the last
/// `done` it got.
#[derive(Default)]
struct Tally {
    calls: AtomicU64,
    last: AtomicU64,
}

/// One transfer's progress bar (drawn on stderr, hidden when stderr is not a
/// terminal) and the tally of its callback.
struct Meter {
    bar: ProgressBar,
    tally: Arc<Tally>,
    started: Instant,
}

impl Meter {
    fn new(label: &str, size: u64) -> Result<Meter, BoxError> {
        let bar = ProgressBar::new(size);
        bar.set_style(
            ProgressStyle::with_template(
                "{msg:>22} [{bar:32}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
            )?
            .progress_chars("=> "),
        );
        bar.set_message(label.to_owned());
        Ok(Meter {
            bar,
            tally: Arc::default(),
            started: Instant::now(),
        })
    }

    /// The progress callback for the transfer helpers: each call moves the
    /// bar (a retry starts again from 0) and is counted.
    fn callback(&self) -> impl Fn(u64, Option<u64>) + Send + Sync + 'static {
        let bar = self.bar.clone();
        let tally = self.tally.clone();
        move |done, total| {
            if let Some(total) = total {
                bar.set_length(total);
            }
            bar.set_position(done);
            tally.calls.fetch_add(1, Ordering::Relaxed);
            tally.last.store(done, Ordering::Relaxed);
        }
    }

    /// Clears the bar and prints what moved, how fast, and what the callback saw.
    fn finish(self, what: &str, size: u64) {
        self.bar.finish_and_clear();
        let seconds = self.started.elapsed().as_secs_f64();
        println!(
            "{what}: {size} bytes in {seconds:.2} s ({:.1} MiB/s), {} progress updates, the last at {} bytes",
            size as f64 / MIB as f64 / seconds.max(1e-9),
            self.tally.calls.load(Ordering::Relaxed),
            self.tally.last.load(Ordering::Relaxed),
        );
    }
}

/// Checks that `copy` holds the bytes of `source`, and says so.
fn verify(what: &str, source: &Path, copy: &Path) -> Result<(), BoxError> {
    if !same_bytes(source, copy)? {
        return Err(format!("{what}: the downloaded bytes differ from the file's").into());
    }
    println!(
        "{what}: verified, {} bytes identical to the source",
        std::fs::metadata(copy)?.len()
    );
    Ok(())
}

/// The size to move, in bytes: the first argument or `UPLOAD_SIZE_MIB`, in MiB.
fn size_from_args() -> Result<u64, BoxError> {
    match std::env::args()
        .nth(1)
        .or_else(|| non_empty_env("UPLOAD_SIZE_MIB"))
    {
        Some(mib) => {
            let mib: u64 = mib
                .trim()
                .parse()
                .map_err(|e| format!("the size is a whole number of MiB, not {mib:?}: {e}"))?;
            mib.checked_mul(MIB)
                .ok_or_else(|| "the size is too large".into())
        }
        None => Ok(DEFAULT_SIZE_MIB * MIB),
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let size = size_from_args()?;
    let deployment = Deployment::start_or_from_env().await?;
    println!("deployment: {}", deployment.describe());
    let object: Object = deployment.client()?;
    let queue: Queue = deployment.client()?;
    let project_id = match deployment.fake() {
        Some(_) => "examples".to_owned(),
        None => required_env("PROJECT_ID", "the object service project to upload to")?,
    };

    let dir = TempDir::new()?;
    let source = dir.join("source.bin");
    write_source(&source, size)?;
    println!("wrote {size} bytes to {}", source.display());
    let expires = Time::from_now("1 day")?;

    // The object: up, then down to another file.
    let name = format!("examples/upload-download/{}", tc_client::slugid::nice());
    let meter = Meter::new("object upload", size)?;
    object
        .upload_object(&project_id, &name, expires, from_file(&source))
        .progress(meter.callback())
        .content_type(CONTENT_TYPE)
        .await?;
    meter.finish(&format!("object upload of {name}"), size);

    let copy = dir.join("object.bin");
    let meter = Meter::new("object download", size)?;
    let content_type = object
        .download_object(&name, to_file(&copy))
        .progress(meter.callback())
        .await?
        .content_type;
    meter.finish(
        &format!("object download of {name} ({content_type})"),
        std::fs::metadata(&copy)?.len(),
    );
    verify("object", &source, &copy)?;

    // The artifact: on a claimed run, uploaded with the run's credentials.
    let run = match deployment.fake() {
        Some(_) => {
            let run = create_and_claim_task(&deployment, &queue, "upload_download").await?;
            println!(
                "created and claimed task {} run {}",
                run.task_id, run.run_id
            );
            Some((run.task_id, run.run_id, run.expires, run.worker))
        }
        None => match (non_empty_env("TASK_ID"), non_empty_env("RUN_ID")) {
            (Some(task_id), Some(run_id)) => {
                // An artifact may not outlive its task.
                let task_expires = queue.status(&task_id).await?.status.expires;
                let expires = expires.min(task_expires);
                Some((task_id, run_id, expires, queue.clone()))
            }
            _ => None,
        },
    };
    let Some((task_id, run_id, artifact_expires, worker)) = run else {
        println!("no artifact: set TASK_ID and RUN_ID of a running run to move one too");
        return Ok(());
    };

    let meter = Meter::new("artifact upload", size)?;
    worker
        .upload_artifact(&task_id, &run_id, ARTIFACT, from_file(&source))
        .progress(meter.callback())
        .content_type(CONTENT_TYPE)
        .expires(artifact_expires)
        .await?;
    meter.finish(
        &format!("artifact upload of {ARTIFACT} to task {task_id} run {run_id}"),
        size,
    );

    let copy = dir.join("artifact.bin");
    let meter = Meter::new("artifact download", size)?;
    let content_type = queue
        .download_artifact(&task_id, ARTIFACT, to_file(&copy))
        .progress(meter.callback())
        .run_id(&run_id)
        .await?
        .content_type;
    meter.finish(
        &format!("artifact download of {ARTIFACT} ({content_type})"),
        std::fs::metadata(&copy)?.len(),
    );
    verify("artifact", &source, &copy)?;
    Ok(())
}
