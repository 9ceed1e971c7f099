"""The watch-rule engine: YAML rules validated, compiled and evaluated on analysed articles.

Public API: `loader.load_ruleset(dir) -> RuleSet` (raises `loader.RuleSetError` with every
error), `loader.load_directory(dir)` (rules, lexicons and errors without raising),
`RuleSet.match / evaluate_naive / evaluate / explain / candidates`, `state.MemoryStateStore`,
`examples.run_examples`, `expectations.check_expected` and `batch.run_batch` for files.
"""
