//! `tc artifact download <taskId> <name> [--run-id N] [-o FILE]`: an artifact of any
//! storage type through the library's transfer (hashes verified, nothing left behind
//! on failure), to a file or stdout.

use clap::Subcommand;
use tc_client::queue::Queue;
use tc_client::transfer::{to_file, to_writer};

use crate::commands::progress::Bar;
use crate::failure::Failure;
use crate::output;
use crate::settings::Settings;

/// `tc artifact ...`.
#[derive(Debug, Subcommand)]
pub enum ArtifactCommand {
    /// Downloads an artifact (from the latest run unless --run-id names one)
    Download {
        /// The task id
        task_id: String,
        /// The artifact name (`public/build/target.tar.gz`)
        name: String,
        /// The run, instead of the latest one
        #[arg(long)]
        run_id: Option<u32>,
        /// Where to write it (a temporary file beside it until verified); stdout without
        #[arg(short = 'o', long = "output")]
        output: Option<std::path::PathBuf>,
    },
}

/// Runs `tc artifact ...`.
pub async fn run(command: &ArtifactCommand, settings: &Settings) -> Result<(), Failure> {
    match command {
        ArtifactCommand::Download {
            task_id,
            name,
            run_id,
            output: Some(path),
        } => {
            let queue: Queue = settings.build()?;
            let mut download =
                queue.download_artifact(task_id.as_str(), name.as_str(), to_file(path));
            if let Some(run_id) = run_id {
                download = download.run_id(*run_id);
            }
            let bar = Bar::new();
            if let Some(callback) = bar.callback() {
                download = download.progress(callback);
            }
            bar.run(download).await?;
            output::line(&path.display().to_string())
        }
        ArtifactCommand::Download {
            task_id,
            name,
            run_id,
            output: None,
        } => to_stdout(settings, task_id, *run_id, name).await,
    }
}

/// Writes an artifact to stdout.
pub async fn to_stdout(
    settings: &Settings,
    task_id: &str,
    run_id: Option<u32>,
    name: &str,
) -> Result<(), Failure> {
    let queue: Queue = settings.build()?;
    let mut download = queue.download_artifact(task_id, name, to_writer(tokio::io::stdout()));
    if let Some(run_id) = run_id {
        download = download.run_id(run_id);
    }
    download.await?;
    Ok(())
}
