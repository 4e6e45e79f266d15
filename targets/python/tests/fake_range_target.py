#!/usr/bin/python3
"""A plumbing stand-in (not a library) for the `cvtrange` route of mxproto.py and the
harness's ranged sweeps: answers cvt/cvtrange f32|bf16 -> e8m0 with the biased exponent
field of the input (what E8M0 rtz gives for most inputs), with the low code bit flipped for
inputs whose low byte is 0x77 (mismatches on purpose), and refuses every input whose low 16 bits are 0x1234 (`!`). Its NumPy work is
two array operations, so a sweep through it measures the protocol's own ceiling.
Used by tests/python_targets.cmake and scripts/peers.py bench."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import mxproto  # noqa: E402

try:
    import numpy as np
except Exception as exc:
    mxproto.refuse("numpy", exc)


class FakeRange(mxproto.Backend):
    name = "fake-range"
    version = "plumbing"

    def cvt_array(self, src, dst, rounding, overflow, bits):
        if dst != "e8m0" or src not in ("f32", "bf16"):
            raise mxproto.Unsupported()
        b = bits if src == "f32" else bits << np.uint64(16)
        codes = ((b >> np.uint64(23)) & np.uint64(0xFF)).astype(np.uint8)
        codes ^= ((bits & np.uint64(0xFF)) == 0x77).astype(np.uint8)  # wrong on purpose: 1 input in 256
        return codes, (bits & np.uint64(0xFFFF)) == 0x1234

    def cvt(self, src, dst, rounding, overflow, values):
        codes, refused = self.cvt_array(src, dst, rounding, overflow, np.array(values, dtype=np.uint64))
        return [None if r else int(c) for c, r in zip(codes, refused)]


if __name__ == "__main__":
    sys.exit(mxproto.serve(FakeRange()))
