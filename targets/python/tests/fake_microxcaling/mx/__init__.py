"""FAKE microxcaling (`mx` package): only mx.mx_ops._quantize_mx / _shared_exponents and
mx.formats._get_format_params, on top of the FAKE torch. Plumbing only: see mx_ops.py."""
FAKE = True
