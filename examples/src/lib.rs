//! Example policies and programs.
