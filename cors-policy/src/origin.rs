//! Parsing a configured origin (exact or pattern) into its typed canonical form.
