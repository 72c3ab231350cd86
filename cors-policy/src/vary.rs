//! Merging `Vary` into an existing value.
