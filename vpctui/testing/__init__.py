"""Support shared by the tests and the benchmarks (not used by vpctui itself): a generator of
large, realistic scenarios."""
