"""Ported sources: code from micrograd, the PyTorch tutorials, HIPS autograd's examples and
the JAX autodiff cookbook, run on autograd_lite beside the original library.

Each module names its source, lists the lines that had to change and why (`CHANGES`), and
has an `original(...)` and a `port(...)` function taking the same inputs and returning
comparable results, so `tests/porting/test_ports.py` can compare them and
`benchmarks/bench_ports.py` can time them in one process. The ports transcribe the originals'
logic; where a source is prose, it is in our own words.
"""
