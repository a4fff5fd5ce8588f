// Included from tests/mod.rs under #[cfg(test)]: all of this file is test code.
//! Unit tests of the queue's events.

use super::*;

#[test]
fn set_publisher_gets_exchange_key_and_message() {
    let (q, _) = queue();
    let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let sink = seen.clone();
    q.set_publisher(Box::new(move |exchange, key, message| {
        assert_eq!(message["version"], 1);
        lock(&sink).push((exchange.to_string(), key.to_string()));
    }));
    let t = slugid::nice();
    create(&q, &t, json!({}));
    let seen = lock(&seen);
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].0, "exchange/taskcluster-queue/v1/task-pending");
    assert_eq!(
        seen[1].1,
        format!("primary.{t}.0._._.prov.worker-type.-.{t}._")
    );
}
