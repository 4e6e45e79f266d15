#!/usr/bin/env python3
"""A flaky process target, for `fuzz_flaky_target_is_a_finding`: it forwards every request to
`mxconform serve --reference` (exact) and, on every other `cvt` answer, flips the lowest bit
of the first code. Asked the same thing twice, it answers differently: `mxconform fuzz` must
report a `flaky` finding, not a plain mismatch.

    flaky_target.py MXCONFORM        (as a target: --target cmd:'python3 flaky_target.py MXCONFORM')
"""
import subprocess
import sys


def main():
    ref = subprocess.Popen([sys.argv[1], "serve", "--reference"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           universal_newlines=True, bufsize=1)
    cvt_answers = 0
    for line in sys.stdin:
        ref.stdin.write(line)
        ref.stdin.flush()
        if line.strip() == "quit":
            break
        answer = ref.stdout.readline()
        if line.startswith("cvt ") and answer.startswith("ok "):
            cvt_answers += 1
            if cvt_answers % 2 == 1:
                fields = answer.split()
                fields[1] = "%x" % (int(fields[1], 16) ^ 1)
                answer = " ".join(fields) + "\n"
        sys.stdout.write(answer)
        sys.stdout.flush()
    ref.stdin.close()
    ref.wait()


if __name__ == "__main__":
    main()
