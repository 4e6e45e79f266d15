# Test scaffolding: makes `import numpy` fail as if the package were not installed.
raise ImportError("No module named 'numpy' (blocked by targets/python/tests/blocked)")
