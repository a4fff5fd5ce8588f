//! The progress bar of transfers: drawn on stderr when it is a terminal, not at all
//! otherwise (scripts and tests see only the answer).

use std::future::IntoFuture;
use std::io::IsTerminal;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A transfer's bar, or nothing when stderr is not a terminal.
pub struct Bar(Option<Arc<ProgressBar>>);

impl Bar {
    /// A bar on stderr if it is a terminal.
    pub fn new() -> Bar {
        if !std::io::stderr().is_terminal() {
            return Bar(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{bytes} / {total_bytes} [{bar:30}] {bytes_per_sec}")
        {
            bar.set_style(style);
        }
        Bar(Some(Arc::new(bar)))
    }

    /// The callback the library's transfers take, when there is a bar.
    pub fn callback(&self) -> Option<impl Fn(u64, Option<u64>) + Send + Sync + 'static> {
        let bar = self.0.clone()?;
        Some(move |done, total: Option<u64>| {
            if let Some(total) = total {
                bar.set_length(total);
            }
            bar.set_position(done);
        })
    }

    /// Awaits `transfer`, then clears the bar.
    pub async fn run<F: IntoFuture>(self, transfer: F) -> F::Output {
        let output = transfer.await;
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
        output
    }
}
