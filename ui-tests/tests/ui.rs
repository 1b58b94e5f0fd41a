//! Compile-time guarantees: each `fail` case must not compile and must say why in one readable error;
//! each `pass` case must compile.

use std::fs;
use std::path::Path;

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/fail/*.rs");
    t.pass("tests/ui/*/pass/*.rs");
}

/// The rule the `.stderr` files pin: one mistake, one error, at most 20 lines.
#[test]
fn every_failure_is_one_error_of_at_most_twenty_lines() {
    let mut checked = 0;
    for topic in fs::read_dir(Path::new("tests/ui")).expect("tests/ui exists") {
        let fail = topic.expect("readable entry").path().join("fail");
        let Ok(cases) = fs::read_dir(&fail) else { continue };
        for case in cases {
            let path = case.expect("readable entry").path();
            if path.extension().is_some_and(|e| e == "rs") {
                let stderr = fs::read_to_string(path.with_extension("stderr"))
                    .unwrap_or_else(|_| panic!("{} has no .stderr", path.display()));
                let errors = stderr.lines().filter(|l| l.starts_with("error")).count();
                let lines = stderr.lines().count();
                assert_eq!(errors, 1, "{} reports {errors} errors:\n{stderr}", path.display());
                assert!(lines <= 20, "{} takes {lines} lines:\n{stderr}", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked >= 30, "only {checked} fail cases found");
}
