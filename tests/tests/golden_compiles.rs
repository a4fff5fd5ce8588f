//! The golden expansion of tc-codegen's `widgets` fixture
//! (`tc-codegen/tests/golden/widgets.rs`, see `tc-codegen/tests/golden.rs`)
//! compiles with warnings and missing docs denied, and the generated client,
//! types and bindings work. Nothing here talks to a server.

#[deny(warnings, missing_docs)]
mod widgets_golden {
    include!("../../tc-codegen/tests/golden/widgets.rs");
}

use std::time::Duration;

use serde_json::json;
use tc_client::{Binding, Credentials, Service};
use widgets_golden::widgets::{
    self, ListWidgetsResponse, Priority, RetireRequest, State, Widget, WidgetAction, WidgetId,
    WidgetMessage, WidgetShape, WidgetUpdate, Widgets, events,
};

const ROOT_URL: &str = "https://tc.example.com";

fn client() -> Widgets {
    Widgets::new(None, ROOT_URL).expect("a client without credentials")
}

fn widget_json() -> serde_json::Value {
    json!({
        "widgetId": "abcdefgh12",
        "parentId": "zyxwvuts98",
        "revision": 3,
        "state": "active",
        "priority": "high",
        "dimensions": {"width": 2, "height": 3.5},
        "owner": {"name": "ann", "match": "client/*", "gen": 2, "self": true},
        "created": "2024-01-02T03:04:05.678Z",
        "expires": "2025-01-02T03:04:05.678Z",
        "address": "::1",
        "apiVersion": "widgets/v1",
        "retiredBy": null,
        "shape": {"side": 4},
        "action": {"kind": "paint", "color": "red"},
        "metadata": {"anything": [1, 2, 3]},
        "type": "gizmo",
        "options": [{"key": "a", "value": "b"}, {"key": "c"}],
        "tags": ["x", "y"]
    })
}

#[test]
fn client_knows_its_service() {
    let client = client();
    assert_eq!(<Widgets as Service>::NAME, "widgets");
    assert_eq!(<Widgets as Service>::API_VERSION, "v1");
    assert_eq!(client.client().root_url(), ROOT_URL);
    // Not called: it reads the environment of whoever runs the tests.
    let _from_env: fn() -> tc_client::Result<Widgets> = Widgets::from_env;
    let built = Widgets::builder().root_url(ROOT_URL).build().unwrap();
    assert_eq!(built.client().root_url(), ROOT_URL);
}

#[test]
fn urls_are_built_from_the_routes() {
    let client = client();
    assert_eq!(
        client.get_widget_url("abcdefgh12", "3").unwrap(),
        "https://tc.example.com/api/widgets/v1/widgets/abcdefgh12/3"
    );
    assert_eq!(
        client.update_widget_url("a/b c").unwrap(),
        "https://tc.example.com/api/widgets/v1/widgets/a%2Fb%20c"
    );
    assert_eq!(
        client.retire_widget_url("w1").unwrap(),
        "https://tc.example.com/api/widgets/v1/widgets/w1/retire"
    );
    assert_eq!(
        client.list_widgets_url(None, None).unwrap(),
        "https://tc.example.com/api/widgets/v1/widgets"
    );
    assert_eq!(
        client.list_widgets_url(Some("tok"), Some("10")).unwrap(),
        "https://tc.example.com/api/widgets/v1/widgets?continuationToken=tok&limit=10"
    );
    assert_eq!(
        client.check_widgets_url().unwrap(),
        "https://tc.example.com/api/widgets/v1/check"
    );
    assert!(
        client.get_widget_url("", "3").is_err(),
        "empty path argument"
    );
}

#[test]
fn signed_urls_need_credentials() {
    assert!(
        client()
            .get_widget_signed_url("w1", "3", Duration::from_secs(60))
            .is_err()
    );
    let signed = Widgets::new(Some(Credentials::new("tester", "secret")), ROOT_URL)
        .unwrap()
        .get_widget_signed_url("w1", "3", Duration::from_secs(60))
        .unwrap();
    assert!(
        signed.starts_with("https://tc.example.com/api/widgets/v1/widgets/w1/3?bewit="),
        "{signed}"
    );
}

#[test]
fn method_signatures_are_typed() {
    // Built, never polled: the signatures are what is under test.
    let client = client();
    let update = WidgetUpdate {
        color: None,
        dimensions: None,
        limit: None,
        priority: Some(Priority::Low),
        retire: Some(true),
        state: State::Retired,
        tags: vec!["t".into()],
    };
    let retire = RetireRequest {
        reason: "old".into(),
        when: Some(tc_client::Time::from_unix_millis(0).unwrap()),
    };
    let get = client.get_widget("w1", "3");
    let put = client.update_widget("w1", &update);
    let post = client.retire_widget("w1", &retire);
    let list = client.list_widgets(None, Some("5"));
    let check = client.check_widgets();
    let all = client.list_widgets_all(Some("5"));
    drop((get, put, post, list, check, all));
}

#[test]
fn widgets_round_trip() {
    let widget: Widget = serde_json::from_value(widget_json()).expect("decodes");
    assert_eq!(widget.widget_id.as_str(), "abcdefgh12");
    assert_eq!(widget.state, State::Active);
    assert_eq!(widget.priority, Priority::High);
    assert_eq!(widget.type_, "gizmo");
    assert_eq!(widget.owner.match_, "client/*");
    assert_eq!(widget.owner.gen_, Some(2));
    assert_eq!(widget.owner.self_, Some(true));
    assert_eq!(widget.options.len(), 2);
    assert_eq!(widget.options[1].value, None);
    assert!(widget.retired_by.is_none());
    assert!(matches!(widget.shape, Some(WidgetShape::Square(ref s)) if s.side.get() == 4.0));
    assert!(matches!(widget.action, Some(WidgetAction::Paint { ref color }) if color == "red"));
    assert_eq!(widget.created.to_string(), "2024-01-02T03:04:05.678Z");
    assert_eq!(widget.metadata["anything"], json!([1, 2, 3]));

    // `retiredBy: null` is not sent back; everything else is.
    let mut expected = widget_json();
    expected.as_object_mut().unwrap().remove("retiredBy");
    assert_eq!(serde_json::to_value(&widget).unwrap(), expected);
}

#[test]
fn unknown_enum_values_and_fields_are_accepted() {
    let mut value = widget_json();
    value["state"] = json!("melted");
    value["somethingNew"] = json!({"added": "by a newer deployment"});
    let widget: Widget = serde_json::from_value(value).expect("decodes");
    assert_eq!(widget.state, State::Unknown("melted".into()));
    assert_eq!(serde_json::to_value(&widget).unwrap()["state"], "melted");
    assert_eq!("pending".parse::<State>().unwrap(), State::Pending);
    assert_eq!(Priority::Normal.to_string(), "normal");
}

#[test]
fn constrained_strings_are_checked() {
    assert!(WidgetId::try_from("abcdefgh12").is_ok());
    assert!(WidgetId::try_from("short").is_err());
    let mut value = widget_json();
    value["widgetId"] = json!("no spaces allowed");
    assert!(serde_json::from_value::<Widget>(value).is_err());
    let parent: widgets::ParentId = "zyxwvuts98".parse().unwrap();
    assert_eq!(&*parent, "zyxwvuts98");
}

#[test]
fn pages_decode() {
    let page: ListWidgetsResponse = serde_json::from_value(json!({
        "widgets": [widget_json()],
        "continuationToken": "next"
    }))
    .unwrap();
    assert_eq!(page.widgets.len(), 1);
    assert_eq!(page.continuation_token.as_deref(), Some("next"));
}

#[test]
fn bindings_build_routing_key_patterns() {
    let created = events::WidgetCreated {
        widget_id: Some("abcdefgh12".into()),
        ..Default::default()
    };
    assert_eq!(created.exchange(), "exchange/widgets/v1/widget-created");
    // The constant `routingKeyKind` part is filled in when unset.
    assert_eq!(created.routing_key_pattern(), "primary.abcdefgh12.#");
    let primary = events::WidgetCreated {
        routing_key_kind: Some("primary".into()),
        ..Default::default()
    };
    assert_eq!(primary.routing_key_pattern(), "primary.*.#");

    let retired = events::WidgetRetired::default();
    assert_eq!(retired.exchange(), "exchange/widgets/v1/widget-retired");
    assert_eq!(retired.routing_key_pattern(), "*.#");
    let parsed = events::WidgetRetired::parse_routing_key("w1.red.blue").unwrap();
    assert_eq!(parsed.widget_id.as_deref(), Some("w1"));
    assert_eq!(parsed.tags.as_deref(), Some("red.blue"));

    let message: <events::WidgetRetired as Binding>::Message = serde_json::from_value(json!({
        "version": 1,
        "widgetId": "abcdefgh12",
        "state": "retired",
        "timestamp": "2024-01-02T03:04:05.000Z"
    }))
    .unwrap();
    let message: WidgetMessage = message;
    assert_eq!(message.state, State::Retired);
}
