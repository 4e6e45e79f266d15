"""A minimal stand-in for the `array_api_compat` package, NumPy only, written for mxconform.

gfloat (../shared/thirdparty/gfloat) imports `array_api_compat` at module level; Debian 12
does not package it and these machines cannot reach PyPI. mxtarget_gfloat.py puts this
folder on sys.path only when the real package does not import. It offers exactly what
gfloat calls: array_namespace() and the is_*_array() tests, and the namespace it hands
back is NumPy plus the two array-API names that NumPy 1.24 lacks (`astype`, `bool`).
Nothing here rounds or encodes: every operation is NumPy's own.
"""
import numpy as _np

__version__ = "0-mxconform-shim"


class _NumpyNamespace:
    """NumPy as an array-API namespace: numpy's attributes, plus astype() and bool."""

    bool = _np.bool_

    @staticmethod
    def astype(x, dtype, copy=True):
        return _np.asarray(x).astype(dtype, copy=copy)

    def __getattr__(self, name):
        return getattr(_np, name)


_NS = _NumpyNamespace()


def array_namespace(*arrays, **_kw):
    for a in arrays:
        if a is not None and not isinstance(a, (_np.ndarray, _np.generic, int, float, bool, list, tuple)):
            raise TypeError("array_api_compat shim: only NumPy arrays are supported, got %s" % type(a).__name__)
    return _NS


def is_numpy_array(x):
    return isinstance(x, (_np.ndarray, _np.generic))


def is_torch_array(_x):
    return False


def is_jax_array(_x):
    return False
