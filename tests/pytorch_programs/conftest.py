"""These are PyTorch programs that tests/test_pytorch_programs.py runs (rewritten to minigrad,
and as they are under PyTorch); they are not test modules themselves."""

collect_ignore_glob = ["*.py"]
