//! Named regression tests: every failure the fuzz targets found, kept as a plain test.
