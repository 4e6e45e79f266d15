# Test scaffolding: makes `import torch` fail as if the package were not installed.
raise ImportError("No module named 'torch' (blocked by targets/python/tests/blocked)")
