//! Loading the one policy a command runs with (`serve`), refusing an invalid one the
//! way `lint` reports it.

use std::path::Path;

use cors_policy::compiler::load::load_yaml;
use cors_policy::Policy;

use crate::output;
use crate::{lint, report};

/// Reads `file`, selects the policy `name` (or the only one), and compiles it.
///
/// Errors are reported on stderr and returned as the exit code: 2 when the file cannot
/// be read or the policy cannot be selected, 1 when the policy has errors (printed
/// with `cors-policy lint`'s human report of the file).
pub fn load(file: &Path, name: Option<&str>) -> Result<Policy, u8> {
    let shown = file.display().to_string();
    let text = match std::fs::read(file) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
            output::error(&format!("{shown}: the file is not UTF-8"));
            2u8
        })?,
        Err(e) => {
            output::error(&format!("cannot read {shown}: {e}"));
            return Err(2);
        }
    };
    let loaded = load_yaml(&text);
    let chosen = loaded.select(name).map_err(|e| {
        output::error(&format!("{shown}: {e}"));
        2u8
    })?;
    let Some(valid) = &chosen.valid else {
        // Exactly what `cors-policy lint FILE` prints (warnings and notes included).
        let report = lint::lint_bytes(shown.clone(), text.into_bytes()).0;
        let _ = report::human::render(&[report], &mut std::io::stderr().lock());
        output::error(&format!(
            "{shown}: the policy has errors; refusing to use it"
        ));
        return Err(1);
    };
    Ok(cors_policy::compiler::compile::compile(valid))
}
