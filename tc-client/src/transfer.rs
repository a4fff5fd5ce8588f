//! Object and artifact transfers: streaming, hash-verified, retried uploads
//! and downloads, like the Go client's object and artifact helpers.
//!
//! One upload and one download per kind, each taking what it moves as a
//! value and its options by name, then awaited:
//!
//! - [`Object::upload_object`](crate::object::Object::upload_object)`(project_id, name, expires, source)` and
//!   [`Object::download_object`](crate::object::Object::download_object)`(name, destination)`;
//! - on `Queue` (with the `queue` feature), `upload_artifact(task_id, run_id,
//!   name, source)`, which creates an `object` artifact, uploads its data and
//!   finishes it in one call, and `download_artifact(task_id, name,
//!   destination)`, for any storage type, from the latest run unless
//!   `.run_id(..)` names one.
//!
//! A source is [`from_bytes`], [`from_file`] or [`from_reader`] (a `&[u8]`
//! converts too); a destination is [`to_buffer`], [`to_file`] or
//! [`to_writer`]. The options are setters: `.content_type(..)`,
//! `.expires(..)` (artifacts; the task's expiry by default), `.upload_id(..)`
//! (objects), `.run_id(..)` (artifact downloads) and `.progress(..)`, a
//! [`Progress`] callback. Uploads answer [`Uploaded`] (size and hashes),
//! downloads [`Downloaded`] (content type and the destination's output: the
//! bytes, nothing, or the writer back).
//!
//! # How transfers behave
//!
//! - **Upload methods.** Objects smaller than [`DATA_INLINE_MAX_SIZE`]
//!   (8 KiB, the threshold of the Go and Python clients) propose both
//!   `dataInline` (the bytes travel base64-encoded inside `createUpload`) and
//!   `putUrl`; larger ones propose `putUrl` only. The service picks.
//! - **Streaming.** Data moves in chunks of at most [`CHUNK_SIZE`]; memory does
//!   not grow with the object's size (except in `*_to_buf`, which collects
//!   the object by definition).
//! - **Hashes.** Uploads compute SHA-256 and SHA-512 in the same pass as the
//!   transfer, on the blocking thread pool (one thread per algorithm, fed
//!   through a bounded queue, so hashing overlaps the network I/O), and send
//!   both in `finishUpload`. `getUrl` downloads verify every hash the service
//!   gives and fail with [`Error::Integrity`](crate::Error::Integrity),
//!   naming the algorithm and the object, on a mismatch (not retried: the
//!   stored data is wrong); a `getUrl` answer with no hash at all is refused.
//!   `simple` downloads and `s3` / `reference` artifacts carry no hashes.
//! - **Retries.** The API calls retry on their own. The data transfer (the
//!   `PUT` to the `putUrl`, the `GET` of a download URL) is retried under the
//!   client's [`RetryPolicy`](crate::RetryPolicy) on 5xx, 429, connection
//!   errors, stalls and truncated bodies (fewer bytes than `Content-Length`),
//!   restarting from the beginning: an upload seeks its reader back to where
//!   it was when the call started; a download clears its buffer or truncates
//!   its temporary file. A download [`to_writer`] cannot rewind a generic
//!   writer: it retries only while no byte was written to it; a failure after
//!   that is an [`Error::Io`](crate::Error::Io) explaining that the writer
//!   holds a partial download (its source is the error that interrupted it).
//!   An expired `putUrl` / `getUrl` is renewed before a retry.
//! - **Timeouts.** The client's per-attempt timeout (`timeout`, 120 s by
//!   default) is applied to data transfers as a *stall* timeout: an attempt
//!   fails (and is retried) when no byte moved for that long, however long
//!   the whole transfer takes.
//! - **Files.** A download [`to_file`] writes to a temporary file beside the
//!   target (`.<name>.tc-partial-<random>`) and renames it over the target at
//!   the end; on any error (or if the future is dropped) the temporary file
//!   is removed, so no partial file is ever left. Local I/O problems are
//!   [`Error::Io`](crate::Error::Io) naming the path.
//! - **Encodings.** Downloads accept gzip, as the other clients do: data
//!   stored compressed (logs, often) is decoded on the way in, and the
//!   hashes are checked on the decoded bytes, which is what they describe. A
//!   truncated compressed body fails the decoder and is retried. Any other
//!   `Content-Encoding` (never asked for) is refused with
//!   [`Error::Decode`](crate::Error::Decode) rather than handed over
//!   undecoded.
//!
//! ```
//! use tc_client::Time;
//! use tc_client::object::Object;
//! use tc_client::transfer::{from_file, to_file};
//! # use tc_client::Credentials;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let tc = tc_fake::start().await?;
//! # let (client_id, access_token) = tc.root_credentials();
//! # let object = Object::new(Some(Credentials::new(client_id, access_token)), tc.root_url())?;
//! # let dir = std::env::temp_dir().join(format!("tc-client-doc-{}", tc_client::slugid::nice()));
//! # std::fs::create_dir_all(&dir)?;
//! # let build_zip = dir.join("build.zip");
//! # std::fs::write(&build_zip, vec![7u8; 100_000])?;
//! # let copy_zip = dir.join("copy.zip");
//! // `object` is an `Object` client; `build_zip` and `copy_zip` are paths.
//! let expires = Time::from_now("1 day")?;
//! object
//!     .upload_object("my-project", "my/object", expires, from_file(&build_zip))
//!     .content_type("application/zip")
//!     .await?;
//! let copy = object
//!     .download_object("my/object", to_file(&copy_zip))
//!     .progress(|done, total| eprintln!("{done} of {total:?} bytes"))
//!     .await?;
//! assert_eq!(copy.content_type, "application/zip");
//! assert_eq!(std::fs::read(&copy_zip)?, std::fs::read(&build_zip)?);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(()) }
//! ```

#[doc(inline)]
pub use tc_client_object::transfer::*;
#[cfg(feature = "queue")]
#[doc(inline)]
pub use tc_client_queue::{ArtifactDownload, ArtifactUpload};
