//! Compile-time guarantees: each `fail` case must not compile and must say why in one readable error;
//! each `pass` case must compile.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/fail/*.rs");
    t.pass("tests/ui/*/pass/*.rs");
}
