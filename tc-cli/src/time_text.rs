//! Durations as the other Taskcluster clients write them (`10m`, `1h`, `2 days 3 hours`),
//! read through tc-client's `fromNow`.

use std::time::Duration;

use tc_client::Time;

use crate::failure::Failure;

/// The duration `text` says, which must be positive.
pub fn duration(text: &str) -> Result<Duration, Failure> {
    let now = Time::now();
    let then = Time::relative_to(now, text).map_err(|e| {
        Failure::Usage(format!(
            "`{text}` is not a duration (try `10m`, `1h`, `2 days`): {e}"
        ))
    })?;
    let millis = then.unix_millis() - now.unix_millis();
    if millis <= 0 {
        return Err(Failure::Usage(format!(
            "`{text}` is not a positive duration"
        )));
    }
    Ok(Duration::from_millis(millis.unsigned_abs()))
}
