//! The whole pipeline for a YAML file: parse, validate, compile.
//!
//! This is what `cors-policy lint`, `check` and [`from_yaml`] share.

use std::fmt;

use crate::diagnostic::{Diagnostics, Location, Severity};
use crate::model::ValidPolicy;
use crate::table::Policy;
use crate::{compile, validate, yaml};

/// One policy of a loaded file.
#[derive(Debug)]
pub struct LoadedPolicy {
    /// Its name under `policies:`, if any.
    pub name: Option<String>,
    /// The validated policy, when it has no error.
    pub valid: Option<ValidPolicy>,
}

/// A YAML file after parsing and validation.
#[derive(Debug)]
pub struct LoadedFile {
    /// The file's policies, in the order written.
    pub policies: Vec<LoadedPolicy>,
    /// Whether the file used `policies:`.
    pub multi: bool,
    /// Every finding of every policy of the file.
    pub diagnostics: Diagnostics<Location>,
}

impl LoadedFile {
    /// The policy called `name`, or the only policy when `name` is `None`.
    pub fn select(&self, name: Option<&str>) -> Result<&LoadedPolicy, SelectError> {
        match name {
            Some(name) if !self.multi && !self.policies.is_empty() => {
                Err(SelectError::SingleUnnamed {
                    name: name.to_owned(),
                })
            }
            Some(name) => self
                .policies
                .iter()
                .find(|p| p.name.as_deref() == Some(name))
                .ok_or_else(|| SelectError::NoSuchPolicy {
                    name: name.to_owned(),
                    available: self.names(),
                }),
            None if self.multi => Err(SelectError::NameRequired {
                available: self.names(),
            }),
            None => self.policies.first().ok_or(SelectError::NameRequired {
                available: Vec::new(),
            }),
        }
    }

    fn names(&self) -> Vec<String> {
        self.policies
            .iter()
            .filter_map(|p| p.name.clone())
            .collect()
    }
}

/// Parses and validates a YAML policy file; never panics, whatever the input.
pub fn load_yaml(text: &str) -> LoadedFile {
    let mut diagnostics = Diagnostics::new();
    let parsed = yaml::parse(text, &mut diagnostics);
    // One regex-analysis budget for the whole file: `check` and a macro naming one
    // policy of it pay at most that, however many policies the file holds.
    let mut budget = crate::regex_proof::Budget::new(crate::regex_proof::POLICY_BUDGET);
    let policies = parsed
        .policies
        .iter()
        .zip(&parsed.has_errors)
        .map(|(raw, &front_end_errors)| {
            let mut own = Diagnostics::new();
            let valid = validate::validate_within(raw, &mut budget, &mut own);
            // A front-end error means a value was left out of `raw`: never use it.
            let valid = if own.has_errors() || front_end_errors {
                None
            } else {
                valid
            };
            diagnostics.extend(own);
            LoadedPolicy {
                name: raw.name.as_ref().map(|n| n.value.clone()),
                valid,
            }
        })
        .collect();
    LoadedFile {
        policies,
        multi: parsed.multi,
        diagnostics,
    }
}

/// Why a policy could not be picked out of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SelectError {
    /// No policy has that name.
    NoSuchPolicy {
        /// The name asked for.
        name: String,
        /// The names in the file.
        available: Vec<String>,
    },
    /// A name was given, but the file holds one unnamed policy (its keys at the top
    /// level, no `policies:`).
    SingleUnnamed {
        /// The name asked for.
        name: String,
    },
    /// The file holds several policies and no name was given.
    NameRequired {
        /// The names in the file.
        available: Vec<String>,
    },
}

impl SelectError {
    /// A stable kebab-case code, as diagnostics have: `unknown-policy` (also when the
    /// file's one policy is unnamed), `policy-name-required`, or `no-policy` for a file
    /// that holds none.
    pub fn code(&self) -> &'static str {
        match self {
            SelectError::NoSuchPolicy { .. } | SelectError::SingleUnnamed { .. } => {
                "unknown-policy"
            }
            SelectError::NameRequired { available } if available.is_empty() => "no-policy",
            SelectError::NameRequired { .. } => "policy-name-required",
        }
    }

    /// The names of the file's policies (none for one unnamed policy).
    pub fn available(&self) -> &[String] {
        match self {
            SelectError::NoSuchPolicy { available, .. }
            | SelectError::NameRequired { available } => available,
            SelectError::SingleUnnamed { .. } => &[],
        }
    }
}

/// Says what is wrong; each front end adds how to choose (`--policy NAME`,
/// `policy = "..."`, [`from_yaml_named`]).
impl fmt::Display for SelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectError::NoSuchPolicy { name, available } => write!(
                f,
                "no policy named `{name}` (the file has: {})",
                available.join(", ")
            ),
            SelectError::SingleUnnamed { name } => write!(
                f,
                "no policy named `{name}`: the file holds one unnamed policy (its keys at the top level, no `policies:`); select it without a policy name"
            ),
            SelectError::NameRequired { available } if available.is_empty() => {
                write!(f, "the file holds no policy")
            }
            SelectError::NameRequired { available } => write!(
                f,
                "the file holds several policies: {}",
                available.join(", ")
            ),
        }
    }
}

impl std::error::Error for SelectError {}

/// Why [`from_yaml`] failed.
#[derive(Debug)]
pub enum LoadError {
    /// The policy has errors; every finding of the file is here.
    Invalid(Diagnostics<Location>),
    /// The named policy is not in the file, or a name is needed.
    Select(SelectError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Invalid(diags) => {
                write!(f, "invalid CORS policy")?;
                for d in diags.iter().filter(|d| d.severity == Severity::Error) {
                    write!(f, "\n{}: [{}] {} ({})", d.span, d.code, d.message, d.help)?;
                }
                Ok(())
            }
            LoadError::Select(e @ SelectError::NameRequired { available })
                if !available.is_empty() =>
            {
                write!(f, "{e}; load one with from_yaml_named")
            }
            LoadError::Select(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for LoadError {}

/// Loads, validates and compiles a single-policy YAML document.
///
/// For a `policies:` file use [`from_yaml_named`].
pub fn from_yaml(text: &str) -> Result<Policy, LoadError> {
    load(text, None)
}

/// Loads, validates and compiles the policy `name` of a `policies:` YAML document.
pub fn from_yaml_named(text: &str, name: &str) -> Result<Policy, LoadError> {
    load(text, Some(name))
}

fn load(text: &str, name: Option<&str>) -> Result<Policy, LoadError> {
    let file = load_yaml(text);
    if file.diagnostics.has_errors() && file.policies.iter().all(|p| p.valid.is_none()) {
        return Err(LoadError::Invalid(file.diagnostics));
    }
    let chosen = file.select(name).map_err(LoadError::Select)?;
    match &chosen.valid {
        Some(valid) => Ok(compile::compile(valid)),
        None => Err(LoadError::Invalid(file.diagnostics)),
    }
}
