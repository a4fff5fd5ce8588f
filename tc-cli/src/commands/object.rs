//! `tc object upload|download`: objects through the library's transfers (both hashes
//! computed and verified; a download lands in its file only once verified).

use std::path::PathBuf;

use clap::Subcommand;
use tc_client::object::Object;
use tc_client::transfer::{from_file, to_file};

use crate::commands::progress::Bar;
use crate::failure::Failure;
use crate::output::Output;
use crate::settings::Settings;

/// `tc object ...`.
#[derive(Debug, Subcommand)]
pub enum ObjectCommand {
    /// Uploads a file as an object
    Upload {
        /// The project the object belongs to
        project_id: String,
        /// The object name
        name: String,
        /// The file to upload
        file: PathBuf,
        /// When it expires (`1 day`, `2 weeks`)
        #[arg(long, default_value = "1 day")]
        expires: String,
        /// Its content type
        #[arg(long, default_value = "application/octet-stream")]
        content_type: String,
    },
    /// Downloads an object into a file
    Download {
        /// The object name
        name: String,
        /// Where to write it
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

/// Runs `tc object ...`.
pub async fn run(
    command: &ObjectCommand,
    settings: &Settings,
    output: Output,
) -> Result<(), Failure> {
    let object: Object = settings.build()?;
    let bar = Bar::new();
    match command {
        ObjectCommand::Upload {
            project_id,
            name,
            file,
            expires,
            content_type,
        } => {
            let expires = tc_client::Time::from_now(expires)
                .map_err(|e| Failure::Usage(format!("--expires {expires}: {e}")))?;
            let mut upload = object
                .upload_object(project_id, name, expires, from_file(file))
                .content_type(content_type.clone());
            if let Some(callback) = bar.callback() {
                upload = upload.progress(callback);
            }
            let sent = bar.run(upload).await?;
            output.json(&serde_json::json!({"name": name, "size": sent.size}))
        }
        ObjectCommand::Download { name, output: path } => {
            let mut download = object.download_object(name, to_file(path));
            if let Some(callback) = bar.callback() {
                download = download.progress(callback);
            }
            let got = bar.run(download).await?;
            output.json(
                &serde_json::json!({"name": name, "file": path, "contentType": got.content_type}),
            )
        }
    }
}
