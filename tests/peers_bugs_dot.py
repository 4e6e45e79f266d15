"""peers_bugs_dot.py - microxcaling's dot classes in scripts/peers_bugs.py name the answers
that the real library gave (torch 1.13 CPU, Debian 12; measured through
targets/python/mxtarget_microxcaling.py), and nothing else: each entry is one DotGeneral,
the library's FP32 bits and the class its emulation (reference BLAS order after the
library's own re-quantization) must give. The first four are the examples BUGS quotes; the
last one is an answer no class may claim. Python 3 standard library only; no torch needed."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import peers_bugs  # noqa: E402

Z = ",".join(["0"] * 31)
ONES = ",".join(["38"] * 32)
CASES = [  # fmt A, fmt B, scales A, codes A, scales B, codes B, C, the library's answer, class
    ("mxfp8_e4m3", "mxfp8_e4m3", "97,7f", "38," + Z + ",38,38," + ",".join(["0"] * 30), "7f,7f", ONES + "," + ONES, "-",
     0x4b800000, "dot-order-fp32-sequential"),   # 2^24 + 1 + 1: each 1 is lost in FP32
    ("mxfp8_e4m3", "mxfp8_e4m3", "7f", "77," + Z, "7f", "38," + Z, "-",
     0x43600000, "dot-requantizes-operands"),    # 240 re-quantized at 2^-1: 480 -> 448
    ("mxint8", "mxint8", "7f", "80,1," + ",".join(["0"] * 30), "7f", "40,40," + ",".join(["0"] * 30), "-",
     0xc0000000, "dot-requantizes-operands"),    # -2 + 1/64: scale 2^1, 1/128 ties to 0
    ("mxfp4_e2m1", "mxfp4_e2m1", "fe", "7," + Z, "70", "2," + Z, "-",
     0x7fc00000, "dot-operand-beyond-fp32"),     # 6 * 2^127 is Inf in FP32: the block is NaN
    ("mxint8", "mxint8", "34", "40," + Z, "34", "40," + Z, "1",
     0x00000001, "dot-order-fp32-sequential"),   # 2^-150 rounds to 0 before C = 2^-149 is added
    ("mxfp8_e4m3", "mxfp8_e4m3", "97,7f", "38," + Z + ",38,38," + ",".join(["0"] * 30), "7f,7f", ONES + "," + ONES, "-",
     0x4b800002, None),                          # an answer the library does not give
]


def main():
    bad = 0
    for fa, fb, sa, ca, sb, cb, c, actual, want in CASES:
        suite = {"name": "dot.%s.%s" % (fa, fb), "op": "dot"}
        f = {"input": "0x0,...", "expected": "0x0", "actual": "0x%x" % actual,
             "reproduce": "mxconform dot --target 'cmd:x' --fmt %s --fmt-b %s %s %s %s %s %s" % (fa, fb, sa, ca, sb, cb, c)}
        got = peers_bugs.classify("microxcaling", suite, f)
        if got != want:
            bad += 1
            print("FAIL %s %s -> 0x%08x: %s, want %s" % (fa, fb, actual, got, want))
    print("%d of %d microxcaling dot answers classified as measured" % (len(CASES) - bad, len(CASES)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
