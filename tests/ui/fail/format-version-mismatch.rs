//! What a user sees when `cors-policy-macros` was built against another table format
//! than the `cors-policy` they link: every expansion starts with this assertion, with
//! the macro's format version (here a hypothetical future one).
const _: () = ::cors_policy::__private::assert_format_version(2u32);

fn main() {}
