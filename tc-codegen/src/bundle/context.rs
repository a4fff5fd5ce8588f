//! Where the reshaping of one schema node happens: its file, JSON pointer,
//! the property it is the value of and the definition it belongs to.
//! A leaf: it uses nothing else of the bundle.

/// Context of the node being reshaped.
#[derive(Debug, Clone)]
pub(super) struct Ctx<'a> {
    /// The root-relative file the node is read from.
    pub file: &'a str,
    /// The node's JSON pointer inside `file`.
    pub pointer: String,
    /// The property (or array property, marked `[]`) the node is the value of.
    pub hint: Option<String>,
    /// The definition the node belongs to.
    pub def: &'a str,
}

impl<'a> Ctx<'a> {
    /// The context of a node below this one: `suffix` appended to the
    /// pointer, with its own hint.
    pub fn child(&self, suffix: &str, hint: Option<String>) -> Ctx<'a> {
        Ctx {
            file: self.file,
            pointer: format!("{}{suffix}", self.pointer),
            hint,
            def: self.def,
        }
    }

    /// This node as `file#pointer`.
    pub fn key(&self) -> String {
        format!("{}#{}", self.file, self.pointer)
    }

    /// Whether the node is a branch of a union or of an `allOf`.
    pub fn is_branch(&self) -> bool {
        self.pointer
            .rsplit('/')
            .nth(1)
            .is_some_and(|k| matches!(k, "oneOf" | "anyOf" | "allOf"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_extend_the_pointer_and_keep_file_and_definition() {
        let ctx = Ctx {
            file: "/schemas/w/v1/a.json",
            pointer: "/properties/x".into(),
            hint: Some("x".into()),
            def: "A",
        };
        let child = ctx.child("/oneOf/1", None);
        assert_eq!(child.pointer, "/properties/x/oneOf/1");
        assert_eq!((child.file, child.def, child.hint), (ctx.file, "A", None));
        assert_eq!(ctx.key(), "/schemas/w/v1/a.json#/properties/x");
        assert!(!ctx.is_branch());
        assert!(ctx.child("/oneOf/1", None).is_branch());
        assert!(ctx.child("/allOf/0", None).is_branch());
        assert!(!ctx.child("/items", None).is_branch());
    }
}
