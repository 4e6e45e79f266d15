# Test scaffolding: makes `import ml_dtypes` fail as if the package were not installed.
raise ImportError("No module named 'ml_dtypes' (blocked by targets/python/tests/blocked)")
