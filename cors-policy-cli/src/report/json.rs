//! `--format json`: one object for all files,
//! `{"diagnostics":[{"code":..,"severity":..,"message":..,"file":..,"line":..,"column":..,"help":..}]}`,
//! with the keys in that order.

use std::fmt::Write;

use super::FileReport;

/// Renders every finding of every file as one JSON object on one line.
pub fn render(files: &[FileReport]) -> String {
    let q = |s: &str| serde_json::Value::from(s).to_string();
    let mut items = Vec::new();
    for file in files {
        for d in &file.diagnostics {
            let mut item = String::new();
            let _ = write!(
                item,
                "{{\"code\":{},\"severity\":{},\"message\":{},\"file\":{},\"line\":{},\"column\":{},\"help\":{}}}",
                q(d.code.as_str()),
                q(d.severity.as_str()),
                q(&d.message),
                q(&file.path),
                d.span.line,
                d.span.column,
                q(&d.help),
            );
            items.push(item);
        }
    }
    format!("{{\"diagnostics\":[{}]}}\n", items.join(","))
}
