//! The golden expansion of tc-codegen's `widgets` fixture
//! (`tc-codegen/tests/golden/widgets.rs`, see `tc-codegen/tests/golden.rs`)
//! compiles with warnings and missing docs denied, and the generated client,
//! types and bindings work. Nothing here talks to a server.

// Not every constructor and setter is called here, so dead code is allowed; in a
// library the expansion is public API.
#[deny(warnings, missing_docs)]
#[allow(dead_code)]
mod widgets_golden {
    include!("../../tc-codegen/tests/golden/widgets.rs");
}

/// The goldens of the fixtures of one schema feature each compile the same way.
mod feature_goldens {
    #[deny(warnings, missing_docs)]
    #[allow(dead_code)]
    mod all_of {
        include!("../../tc-codegen/tests/golden/all-of.rs");
    }
    #[deny(warnings, missing_docs)]
    #[allow(dead_code)]
    mod arrays {
        include!("../../tc-codegen/tests/golden/arrays.rs");
    }
    #[deny(warnings, missing_docs)]
    #[allow(dead_code)]
    mod cross_file_refs {
        include!("../../tc-codegen/tests/golden/cross-file-refs.rs");
    }
    #[deny(warnings, missing_docs)]
    #[allow(dead_code)]
    mod defaults {
        include!("../../tc-codegen/tests/golden/defaults.rs");
    }
    #[deny(warnings, missing_docs)]
    #[allow(dead_code)]
    mod descriptions {
        include!("../../tc-codegen/tests/golden/descriptions.rs");
    }
    #[deny(warnings, missing_docs)]
    #[allow(dead_code)]
    mod free_form {
        include!("../../tc-codegen/tests/golden/free-form.rs");
    }
    #[deny(warnings, missing_docs)]
    #[allow(dead_code)]
    mod nullable {
        include!("../../tc-codegen/tests/golden/nullable.rs");
    }
    #[deny(warnings, missing_docs)]
    #[allow(dead_code)]
    mod patterns {
        include!("../../tc-codegen/tests/golden/patterns.rs");
    }
    #[deny(warnings, missing_docs)]
    #[allow(dead_code)]
    mod string_enums {
        include!("../../tc-codegen/tests/golden/string-enums.rs");
    }
    #[deny(warnings, missing_docs)]
    #[allow(dead_code)]
    mod unions {
        include!("../../tc-codegen/tests/golden/unions.rs");
    }
}

use std::future::IntoFuture;
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
        client.list_widgets_url().unwrap(),
        "https://tc.example.com/api/widgets/v1/widgets"
    );
    assert_eq!(
        client
            .list_widgets()
            .continuation_token("tok")
            .limit(10)
            .url()
            .unwrap(),
        "https://tc.example.com/api/widgets/v1/widgets?continuationToken=tok&limit=10"
    );
    // An id read from an answer is passed as it is.
    let id: WidgetId = "abcdefgh12".parse().unwrap();
    assert_eq!(
        client.update_widget_url(&id).unwrap(),
        "https://tc.example.com/api/widgets/v1/widgets/abcdefgh12"
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
    let update = WidgetUpdate::new(State::Retired)
        .priority(Priority::Low)
        .retire(true)
        .tags(["t"]);
    let retire = RetireRequest::new("old").when(tc_client::Time::from_unix_millis(0).unwrap());
    let get = client.get_widget("w1", "3");
    let put = client.update_widget("w1", &update);
    let post = client.retire_widget("w1", &retire);
    let list = client.list_widgets().limit(5).into_future();
    let check = client.check_widgets();
    let all = client.list_widgets().limit(5).all();
    let all_pages = client.list_widgets_all();
    drop((get, put, post, list, check, all, all_pages));
}

#[test]
fn requests_are_built_from_their_required_fields() {
    let update = WidgetUpdate::new(State::Retired)
        .tags(["a", "b"])
        .limit(std::num::NonZeroU64::new(5).unwrap());
    assert_eq!(
        serde_json::to_value(&update).unwrap(),
        json!({"state": "retired", "tags": ["a", "b"], "limit": 5})
    );
    // Required fields in field (alphabetical) order: height, width.
    let dimensions =
        serde_json::to_value(widgets::ThingDimensions::new(3.into(), 2.into())).unwrap();
    assert_eq!(dimensions, json!({"width": 2, "height": 3}));
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
    assert!(matches!(widget.action, Some(WidgetAction::Paint(ref paint)) if paint.color == "red"));
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
    assert_eq!(widget.state, State::from("melted"));
    let State::Unknown(melted) = &widget.state else {
        panic!("{:?}", widget.state)
    };
    assert_eq!(melted.as_str(), "melted");
    assert_eq!(widget.state.as_str(), "melted");
    assert_eq!(serde_json::to_value(&widget).unwrap()["state"], "melted");
    assert_eq!("pending".parse::<State>().unwrap(), State::Pending);
    assert_eq!(State::from("pending"), State::Pending);
    assert_eq!(Priority::Normal.to_string(), "normal");
}

#[test]
fn unknown_union_tags_and_shapes_are_kept_and_written_back() {
    // A tag the tagged union does not know.
    let mut value = widget_json();
    value["action"] = json!({"kind": "polish", "shine": 11});
    let widget: Widget = serde_json::from_value(value.clone()).expect("decodes");
    let Some(WidgetAction::Unknown(action)) = &widget.action else {
        panic!("{:?}", widget.action)
    };
    assert_eq!(action.as_json()["shine"], 11);
    let mut expected = value;
    expected.as_object_mut().unwrap().remove("retiredBy");
    assert_eq!(serde_json::to_value(&widget).unwrap(), expected);

    // A known tag whose content does not decode is an error, not an unknown.
    let mut value = widget_json();
    value["action"] = json!({"kind": "paint", "color": 7});
    let error = serde_json::from_value::<Widget>(value).unwrap_err();
    assert!(
        error.to_string().contains("color") || error.to_string().contains("string"),
        "{error}"
    );

    // A shape no variant of the untagged union has.
    let mut value = widget_json();
    value["shape"] = json!({"corners": 5});
    let widget: Widget = serde_json::from_value(value).expect("decodes");
    let Some(WidgetShape::Unknown(shape)) = &widget.shape else {
        panic!("{:?}", widget.shape)
    };
    assert_eq!(shape.as_json(), &json!({"corners": 5}));
    assert_eq!(
        serde_json::to_value(&widget).unwrap()["shape"],
        json!({"corners": 5})
    );

    // A value the one-value (`const`) enum does not know.
    let mut value = widget_json();
    value["apiVersion"] = json!("widgets/v2");
    let widget: Widget = serde_json::from_value(value).expect("decodes");
    assert_eq!(
        widget.api_version.as_ref().map(|v| v.as_str()),
        Some("widgets/v2")
    );
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
