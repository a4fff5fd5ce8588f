//! The progress bar of transfers: drawn on stderr when it is a terminal, not at all
//! otherwise (scripts and tests see only the answer).

use std::io::IsTerminal;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar for a transfer, or `None` when stderr is not a terminal.
pub fn bar() -> Option<Arc<ProgressBar>> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bytes} / {total_bytes} [{bar:30}] {bytes_per_sec}")
    {
        bar.set_style(style);
    }
    Some(Arc::new(bar))
}

/// The callback the library's transfers take, moving `bar`.
pub fn callback(bar: Arc<ProgressBar>) -> impl Fn(u64, Option<u64>) + Send + Sync + 'static {
    move |done, total| {
        if let Some(total) = total {
            bar.set_length(total);
        }
        bar.set_position(done);
    }
}
