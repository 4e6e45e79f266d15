#!/usr/bin/env python3
"""A plumbing stand-in (not a library) for the `?` answer of the process protocol
(harness/PROTOCOL.md "Not observable"): `mxconform serve --reference` behind a filter that
hides some results, as a target whose binding cannot see them would.

    unobserved_target.py MXCONFORM MODE
      nan  cvt results that are E5M2 NaN codes (0x7D-0x7F, 0xFD-0xFF) are answered
           `?7d/7e/7f` (`?fd/fe/ff`; `??` in a cvtrange run): what the ONNX Runtime target
           cannot tell apart
      lie  as nan, and the E5M2 Inf results (0x7C, 0xFC) are answered as that NaN set too:
           a library whose overflow gives some NaN (ORT's bug), seen through such a target
      all  every decode/cvt value is answered `?` (`??`): a target that observes nothing
      bad  as nan, but with a malformed set: `?7d` (one code is an answer, not an ambiguity)

Everything else is the reference's answer, so every observed value is right. `cvtrange` is
answered here (the reference child has none) with ordinary cvt lines to the child; each
cvtrange request writes "unobserved_target: cvtrange" to stderr, so a test can tell that the
ranged route ran. Standard library only.
"""
import subprocess
import sys

E5M2_NANS = {0x7D, 0x7E, 0x7F, 0xFD, 0xFE, 0xFF}
CHUNK = 1024  # values per cvt line to the child (the protocol's limit)


class Child:
    def __init__(self, mxc):
        self.p = subprocess.Popen([mxc, "serve", "--reference"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  universal_newlines=True, bufsize=1)

    def ask(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        return self.p.stdout.readline().rstrip("\n")


def hide(mode, dst, field):
    """The `?` field for the result `field` (hex) into dst when this target pretends it cannot
    see it, else None."""
    if mode == "all":
        return "?"
    c = int(field, 16)
    if dst == "e5m2" and (c in E5M2_NANS or (mode == "lie" and c & 0x7F == 0x7C)):
        if mode == "bad":
            return "?7d"
        return "?7d/7e/7f" if c < 0x80 else "?fd/fe/ff"
    return None


def cvt_or_decode(child, mode, line):
    f = line.split(" ")
    ans = child.ask(line)
    if not ans.startswith("ok"):
        return ans
    vals = ans.split(" ")[1:]
    dst = f[2] if f[0] == "cvt" else None
    return "ok" + "".join(" " + (hide(mode, dst, v) or v) for v in vals)


def cvtrange(child, mode, f):
    src, dst, rnd, ovf = f[1:5]
    first, last = int(f[5], 16), int(f[6], 16)
    sys.stderr.write("unobserved_target: cvtrange\n")
    out = []
    for b in range(first, last + 1, CHUNK):
        vals = ["%x" % v for v in range(b, min(b + CHUNK, last + 1))]
        ans = child.ask("cvt %s %s %s %s %d %s" % (src, dst, rnd, ovf, len(vals), " ".join(vals)))
        if not ans.startswith("ok"):
            return ans.split(" ")[0] if ans.startswith("unsupported") else "error child: " + ans[:80]
        for c in ans.split(" ")[1:]:
            out.append("??" if hide(mode, dst, c) else "%02x" % int(c, 16))
    return "ok " + "".join(out)


def main(argv):
    if len(argv) != 3 or argv[2] not in ("nan", "lie", "all", "bad"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    mxc, mode = argv[1], argv[2]
    child = Child(mxc)
    for line in sys.stdin:
        line = line.rstrip("\n")
        f = line.split(" ")
        if f[0] == "mxconform-protocol":
            reply = "ok unobserved-target (plumbing) " + mode if child.ask(line).startswith("ok") else "error child"
        elif f[0] == "quit":
            child.ask("quit")
            break
        elif f[0] in ("cvt", "decode"):
            reply = cvt_or_decode(child, mode, line)
        elif f[0] == "cvtrange" and len(f) == 7:
            reply = cvtrange(child, mode, f)
        else:
            reply = child.ask(line)
        sys.stdout.write(reply + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
