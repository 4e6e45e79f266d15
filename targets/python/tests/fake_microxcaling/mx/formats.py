from fractions import Fraction

# name -> (ebits, mbits, emax, max_norm, min_norm), microxcaling's element parameters
# (peers.md §3.1: emax E4M3 8, E5M2 15, E3M2 4, E2M3 2, FP4 2, INT8 0). mbits counts the
# sign and implicit bits as microxcaling does (e4m3: 5); the fake does not use it.
_PARAMS = {
    "fp8_e4m3": (4, 5, 8, Fraction(448), Fraction(2) ** -6),
    "fp8_e5m2": (5, 4, 15, Fraction(57344), Fraction(2) ** -14),
    "fp6_e2m3": (2, 5, 2, Fraction(15, 2), Fraction(1)),
    "fp6_e3m2": (3, 4, 4, Fraction(28), Fraction(1, 4)),
    "fp4_e2m1": (2, 3, 2, Fraction(6), Fraction(1)),
    "int8": (0, 8, 0, Fraction(127, 64), Fraction(1, 64)),
}


def _get_format_params(fmt):
    ebits, mbits, emax, max_norm, min_norm = _PARAMS[fmt]
    return ebits, mbits, emax, float(max_norm), float(min_norm)
