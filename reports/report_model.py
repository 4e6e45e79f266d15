"""Reading results files (schema mxconform-results/1) into a tolerant, normalised model.

Everything the renderers need is computed here once: defaults for missing optional fields,
totals recomputed from the suites when absent, code maps expanded to every code (missing
cells are `untested`), exact values for codes whose value the file does not give.

Standard library only; runs on any Python >= 3.9.
"""
from __future__ import annotations

import json
import math
import os
import re
import tempfile
from fractions import Fraction

SCHEMA_PREFIX = "mxconform-results/"
SCHEMA_MAJOR = 1

# incomplete: no case failed, but the target could not observe some results (harness/PROTOCOL.md
# "Not observable"): never a pass
STATUSES = ("pass", "fail", "unsupported", "crash", "timeout", "protocol-error", "incomplete")
# Statuses that make a run fail, worst first (the order failing suites are listed in).
BAD_STATUSES = ("crash", "timeout", "protocol-error", "fail", "incomplete")
OUTCOMES = ("ok", "divergence", "nonconformance", "untested")

# name: (bits, kind, exponent bits, mantissa bits, bias, specials, long name)
FORMATS = {
    "e4m3": (8, "float", 4, 3, 7, "nan-allones", "FP8 E4M3 (OFP8, MXFP8)"),
    "e5m2": (8, "float", 5, 2, 15, "ieee", "FP8 E5M2 (OFP8, MXFP8)"),
    "e2m3": (6, "float", 2, 3, 1, "none", "FP6 E2M3 (MXFP6)"),
    "e3m2": (6, "float", 3, 2, 3, "none", "FP6 E3M2 (MXFP6)"),
    "e2m1": (4, "float", 2, 1, 1, "none", "FP4 E2M1 (MXFP4)"),
    "int8": (8, "int", 0, 7, 0, "none", "INT8 q\u00b72\u207b\u2076 (MXINT8)"),
    "e8m0": (8, "scale", 8, 0, 127, "nan-allbits", "E8M0 block scale"),
}
FORMAT_ORDER = ("e4m3", "e5m2", "e2m3", "e3m2", "e2m1", "int8", "e8m0")
MAX_GRID_BITS = 10  # wider formats get a summary, not a grid


class ResultsError(Exception):
    """A results file that cannot be rendered; str() is the one-line reason."""


# ----------------------------------------------------------------------------------------
# small helpers


def exact_decimal(fr: Fraction) -> str:
    """Exact decimal text of a dyadic rational (denominator a power of two)."""
    if fr == 0:
        return "0"
    sign = "-" if fr < 0 else ""
    fr = abs(fr)
    den = fr.denominator
    k = den.bit_length() - 1
    if den != 1 << k:  # not dyadic: should not happen for codes
        return sign + repr(float(fr))
    if k == 0:
        return sign + str(fr.numerator)
    digits = str(fr.numerator * 5**k).rjust(k + 1, "0")
    whole, frac = digits[:-k], digits[-k:].rstrip("0")
    return sign + whole + ("." + frac if frac else "")


def code_value(fmt: str, code: int) -> str:
    """Exact value of `code` in element/scale format `fmt` as text ("" if unknown)."""
    spec = FORMATS.get(fmt)
    if spec is None:
        return ""
    bits, kind, eb, mb, bias, specials, _ = spec
    if not 0 <= code < (1 << bits):
        return ""
    if kind == "int":
        q = code - 256 if code >= 128 else code
        return exact_decimal(Fraction(q, 64))
    if kind == "scale":
        if code == 0xFF:
            return "NaN"
        e = code - bias
        if abs(e) <= 16:
            return "2^%d = %s" % (e, exact_decimal(Fraction(2) ** e))
        return "2^%d" % e
    sign = code >> (bits - 1)
    e = (code >> mb) & ((1 << eb) - 1)
    m = code & ((1 << mb) - 1)
    s = "-" if sign else ""
    emax_field = (1 << eb) - 1
    if specials == "nan-allones" and e == emax_field and m == (1 << mb) - 1:
        return "NaN"
    if specials == "ieee" and e == emax_field:
        return s + "Inf" if m == 0 else "NaN"
    if e == 0:
        v = Fraction(m) * Fraction(2) ** (1 - bias - mb)
    else:
        v = Fraction((1 << mb) + m) * Fraction(2) ** (e - bias - mb)
    if sign and v == 0:
        return "-0"
    return s + exact_decimal(v)


def parse_code(x) -> int | None:
    """A bit pattern from JSON: "0x7e" (the schema), or tolerate a plain integer."""
    if isinstance(x, bool):
        return None
    if isinstance(x, int):
        return x if x >= 0 else None
    if isinstance(x, str):
        t = x.strip().lower()
        try:
            if t.startswith("0x"):
                return int(t[2:], 16)
            return int(t, 16) if t else None
        except ValueError:
            return None
    return None


def text(x, default: str = "") -> str:
    """Any JSON scalar as display text; containers and null become `default`."""
    if x is None or isinstance(x, (dict, list)):
        return default
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, float):
        if x.is_integer() and abs(x) < 1e15:
            return str(int(x))
        return repr(x)
    return str(x)


def number(x, default=None):
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return default
    if isinstance(x, float) and not math.isfinite(x):
        return default
    return x


def count(x) -> int:
    n = number(x, 0)
    return int(n) if n >= 0 else 0


def fmt_int(n) -> str:
    return "{:,}".format(int(n))


def fmt_seconds(s) -> str:
    s = number(s)
    if s is None:
        return ""
    if s < 0.0001:
        return "<0.1 ms"
    if s < 1:
        return ("%.1f ms" if s < 0.01 else "%.0f ms") % (s * 1000)
    if s < 10:
        return "%.2f s" % s
    if s < 120:
        return "%.1f s" % s
    m, sec = divmod(int(round(s)), 60)
    return "%d min %02d s" % (m, sec)


def dict_or_empty(x) -> dict:
    return x if isinstance(x, dict) else {}


def list_or_empty(x) -> list:
    return x if isinstance(x, list) else []


# ----------------------------------------------------------------------------------------
# the model


class Failure:
    def __init__(self, d: dict):
        self.input = text(d.get("input"))
        self.expected = text(d.get("expected"))
        self.actual = text(d.get("actual"))
        self.input_value = text(d.get("input_value"))
        self.expected_value = text(d.get("expected_value"))
        self.actual_value = text(d.get("actual_value"))
        self.explained_by = text(d.get("explained_by"))
        self.status = text(d.get("status"))  # "unobserved": the target's blind spot, not a divergence
        self.reproduce = text(d.get("reproduce"))
        self.message = text(d.get("message"))


class Suite:
    def __init__(self, d: dict, index: int):
        self.name = text(d.get("name"), "suite #%d" % (index + 1)) or "suite #%d" % (index + 1)
        self.op = text(d.get("op")) or (self.name.split(".", 1)[0] if "." in self.name else "")
        self.formats = {str(k): text(v) for k, v in dict_or_empty(d.get("formats")).items()}
        self.params = {str(k): text(v) for k, v in dict_or_empty(d.get("params")).items()}
        self.status = text(d.get("status"), "unknown").lower() or "unknown"
        self.cases = count(d.get("cases"))
        self.passed = count(d.get("passed"))
        self.failed = count(d.get("failed"))
        self.dontcare = count(d.get("dontcare"))
        self.refused = count(d.get("refused"))
        self.unobserved = count(d.get("unobserved"))  # results the target could not observe
        self.seconds = number(d.get("seconds"))
        self.message = text(d.get("message")) or text(d.get("error")) or text(d.get("detail"))
        self.failures = [Failure(f) for f in list_or_empty(d.get("failures")) if isinstance(f, dict)]

    @property
    def bad(self) -> bool:
        return self.status not in ("pass", "unsupported")

    @property
    def unexplained(self) -> int:
        return sum(1 for f in self.failures if not f.explained_by and f.status != "unobserved")

    def kind(self):
        """(kind, knob values) of the recorded failures: kind is "nonconformance" (none
        explained), "divergence" (all explained), "mixed", or "" (no failures recorded)."""
        if not self.failures:
            return "", []
        knobs = []
        for f in self.failures:
            if f.explained_by and f.explained_by not in knobs:
                knobs.append(f.explained_by)
        u = self.unexplained
        judged = sum(1 for f in self.failures if f.status != "unobserved")
        if not judged:
            return "", []  # only results the target could not observe: no verdict on the library
        if u == judged:
            return "nonconformance", knobs
        return ("divergence" if u == 0 else "mixed"), knobs

    def formats_text(self) -> str:
        """"f32 \u2192 e4m3" from src/dst (a block format `fmt` stands in for the missing side)."""
        f = dict(self.formats)
        src, dst, mid = f.pop("src", ""), f.pop("dst", ""), f.pop("fmt", "")
        if src and dst:
            main = "%s \u2192 %s" % (src, dst) + (" (%s)" % mid if mid else "")
        elif src or dst:
            main = "%s \u2192 %s" % (src or mid or "?", dst or mid or "?")
        else:
            main = mid
        rest = ", ".join("%s=%s" % kv for kv in f.items())
        return (main + (" (" + rest + ")" if rest else "")) if main else rest

    def params_text(self) -> str:
        return " ".join("%s=%s" % kv for kv in self.params.items())


class Cell:
    def __init__(self, fmt: str, code: int, d: dict | None):
        d = d or {}
        self.code = code
        computed = code_value(fmt, code)
        self.value = text(d.get("value")) or computed
        # the short label drawn in a cell: plain decimal ("7.5", not "0x1.ep+2 (7.5)")
        m = re.match(r"^\S+ \((.+)\)$", self.value)
        self.short = computed or (m.group(1) if m else self.value)
        raw = text(d.get("outcome"), "untested").lower() if d else "untested"
        self.raw_outcome = raw
        self.outcome = raw if raw in OUTCOMES else "untested"
        self.cases = count(d.get("cases"))
        ff = d.get("first_failure")
        self.first_failure = ff if isinstance(ff, dict) else None


class CodeMap:
    def __init__(self, fmt: str, d: dict, notes: list):
        self.format = fmt
        cells_in = [c for c in list_or_empty(d.get("cells")) if isinstance(c, dict)]
        bits = number(d.get("bits"))
        if bits is None or int(bits) != bits or not 1 <= bits <= 64:
            bits = FORMATS[fmt][0] if fmt in FORMATS else None
        by_code = {}
        for c in cells_in:
            code = parse_code(c.get("code"))
            if code is None:
                notes.append("code map %s: a cell with an unreadable code %r was ignored" % (fmt, c.get("code")))
                continue
            by_code[code] = c
        if bits is None:
            top = max(by_code) if by_code else 0
            bits = max(1, top.bit_length())
        self.bits = int(bits)
        self.drawable = self.bits <= MAX_GRID_BITS
        size = 1 << self.bits
        stray = [k for k in by_code if k >= size]
        if stray:
            notes.append("code map %s: %d cell(s) outside %d-bit range ignored" % (fmt, len(stray), self.bits))
        if self.drawable:
            self.cells = [Cell(fmt, k, by_code.get(k)) for k in range(size)]
        else:
            self.cells = [Cell(fmt, k, by_code[k]) for k in sorted(by_code) if k < size]
        self.counts = {o: 0 for o in OUTCOMES}
        for c in self.cells:
            self.counts[c.outcome] += 1
        if not self.drawable:
            self.counts["untested"] += size - len(self.cells)

    @property
    def long_name(self) -> str:
        return FORMATS[self.format][6] if self.format in FORMATS else self.format

    @property
    def worst(self) -> str:
        for o in ("nonconformance", "divergence"):
            if self.counts[o]:
                return o
        return "ok" if self.counts["ok"] else "untested"


class KnobDiff:
    def __init__(self, d: dict):
        self.knob = text(d.get("knob"), "?") or "?"
        self.profile_value = text(d.get("profile_value"), "?")
        self.detected_value = text(d.get("detected_value"), "?")
        self.explains = number(d.get("explains"))
        self.evidence = [e for e in list_or_empty(d.get("evidence")) if isinstance(e, dict)]


class DetectedProfile:
    def __init__(self, d: dict):
        self.base = text(d.get("base"))
        m = d.get("matches")
        self.matches = m if isinstance(m, bool) else None
        self.summary = text(d.get("summary"))
        self.diff = [KnobDiff(x) for x in list_or_empty(d.get("diff")) if isinstance(x, dict)]
        self.unexplained = number(d.get("unexplained_failures"))

    def diff_text(self) -> str:
        return "; ".join("%s: %s \u2192 %s" % (k.knob, k.profile_value, k.detected_value) for k in self.diff)


class Dot:
    """The dot-product fingerprint (schema: reserved). Accepted shape, all optional:
    {"model": str or {name: scalar}, "fit"|"params"|"parameters": {name: scalar}, "nearest_preset": str or
    {"name", "distance", ...}, "errors": [[exact, error_ulps], ...], other scalars}."""

    def __init__(self, d: dict):
        model = d.get("model")
        # `mxconform probe dot -o` writes the fitted parameters as a "model" object
        self.model = "" if isinstance(model, dict) else text(model)
        fit = None
        for key in ("fit", "params", "parameters", "fitted", "model"):
            if isinstance(d.get(key), dict):
                fit = d[key]
                break
        self.params = []  # (name, value text)
        for k, v in dict_or_empty(fit).items():
            if not isinstance(v, (dict, list)):
                self.params.append((str(k), text(v, "null")))
        skip = {"model", "fit", "params", "parameters", "fitted", "nearest_preset", "errors", "presets"}
        self.other = [(str(k), text(v, "null")) for k, v in d.items()
                      if k not in skip and not isinstance(v, (dict, list))]
        np_ = d.get("nearest_preset")
        self.preset_name = ""
        self.preset_info = []
        if isinstance(np_, dict):
            self.preset_name = text(np_.get("name"))
            self.preset_info = [(str(k), text(v)) for k, v in np_.items()
                                if k != "name" and not isinstance(v, (dict, list))]
        else:
            self.preset_name = text(np_)
        self.presets = []  # optional ranking: [{"name", "distance"}]
        for p in list_or_empty(d.get("presets")):
            if isinstance(p, dict) and text(p.get("name")):
                self.presets.append((text(p.get("name")), text(p.get("distance"))))
        self.errors = []
        for pt in list_or_empty(d.get("errors")):
            if isinstance(pt, (list, tuple)) and len(pt) >= 2:
                x, y = number(pt[0]), number(pt[1])
                if x is not None and y is not None:
                    self.errors.append((float(x), float(y)))


class Run:
    def __init__(self, path: str, doc: dict):
        self.path = path
        self.label = os.path.basename(path)
        self.notes = []  # non-fatal oddities, shown in the run details
        schema = doc.get("schema")
        self.schema = text(schema)
        if not isinstance(schema, str) or not schema.startswith(SCHEMA_PREFIX):
            raise ResultsError("not an mxconform results file (schema is %s, expected %s%d)"
                               % (json.dumps(schema)[:60], SCHEMA_PREFIX, SCHEMA_MAJOR))
        try:
            major = int(schema[len(SCHEMA_PREFIX):].split(".")[0])
        except ValueError:
            raise ResultsError("unreadable schema version %s" % json.dumps(schema)[:60])
        if major > SCHEMA_MAJOR:
            self.notes.append("schema %s is newer than this report generator (%s%d); rendered best-effort"
                              % (schema, SCHEMA_PREFIX, SCHEMA_MAJOR))
        for key, typ, what in (("suites", list, "a list"), ("code_maps", dict, "an object"),
                               ("target", dict, "an object"), ("profile", dict, "an object"),
                               ("totals", dict, "an object"), ("detected_profile", dict, "an object"),
                               ("tool", dict, "an object")):
            if key in doc and doc[key] is not None and not isinstance(doc[key], typ):
                raise ResultsError("field '%s' must be %s" % (key, what))

        tool = dict_or_empty(doc.get("tool"))
        self.tool = " ".join(x for x in (text(tool.get("name")), text(tool.get("version"))) if x)
        t = dict_or_empty(doc.get("target"))
        self.target_spec = text(t.get("spec"))
        self.target_kind = text(t.get("kind"))
        self.target_version = text(t.get("version"))
        self.target = text(t.get("name")) or self.target_spec or "unknown target"
        p = dict_or_empty(doc.get("profile"))
        self.profile = text(p.get("name")) or "unnamed profile"
        self.knobs = [(str(k), text(v)) for k, v in dict_or_empty(p.get("knobs")).items()]
        self.tier = text(doc.get("tier"))
        self.seed = text(doc.get("seed"))
        self.started = text(doc.get("started_utc"))
        self.wall = number(doc.get("wall_seconds"))
        self.command = text(doc.get("command"))

        self.suites = [Suite(s, i) for i, s in enumerate(list_or_empty(doc.get("suites"))) if isinstance(s, dict)]
        computed = {s: 0 for s in STATUSES}
        computed["other"] = 0
        for s in self.suites:
            key = s.status if s.status in STATUSES else "other"
            computed[key] += 1
        computed["suites"] = len(self.suites)
        computed["cases"] = sum(s.cases for s in self.suites)
        computed["failed_cases"] = sum(s.failed for s in self.suites)
        given = dict_or_empty(doc.get("totals"))
        self.totals = {}
        for key in ("suites",) + STATUSES + ("cases", "failed_cases"):
            gkey = "protocol_error" if key == "protocol-error" else key
            g = number(given.get(gkey))
            if g is None and key == "protocol-error":
                g = number(given.get("protocol-error"))
            self.totals[key] = int(g) if g is not None and g >= 0 else computed[key]
        self.totals["other"] = computed["other"]
        for key in ("refused", "unobserved"):  # their own classes, shown beside the failed cases
            g = number(given.get(key))
            self.totals[key] = int(g) if g is not None and g >= 0 else sum(getattr(s, key) for s in self.suites)

        v = text(doc.get("verdict")).lower()
        if v not in ("pass", "fail", "error", "incomplete"):
            if v:
                self.notes.append("unknown verdict %r; derived from the suites" % v)
            if any(s.bad for s in self.suites):
                v = "fail"
            elif self.suites:
                v = "pass"
            else:
                v = "unknown"
        self.verdict = v

        self.code_maps = []
        cm = dict_or_empty(doc.get("code_maps"))
        order = [f for f in FORMAT_ORDER if f in cm] + sorted(f for f in cm if f not in FORMAT_ORDER)
        for fmt in order:
            if isinstance(cm[fmt], dict):
                self.code_maps.append(CodeMap(str(fmt), cm[fmt], self.notes))
            else:
                self.notes.append("code map %s is not an object; ignored" % fmt)

        dp = doc.get("detected_profile")
        self.detected = DetectedProfile(dp) if isinstance(dp, dict) else None
        dot = doc.get("dot")
        self.dot = Dot(dot) if isinstance(dot, dict) else None

    # ------------------------------------------------------------------------------------

    @property
    def title(self) -> str:
        return self.target + (" (" + self.target_version + ")" if self.target_version else "")

    def bad_suites(self) -> list:
        """Non-passing suites (not `unsupported`), worst status first, then most unexplained."""
        rank = {s: i for i, s in enumerate(BAD_STATUSES)}
        bad = [s for s in self.suites if s.bad]
        return sorted(bad, key=lambda s: (rank.get(s.status, -1), -s.unexplained, -s.failed, s.name))

    def suites_sorted(self) -> list:
        bad = self.bad_suites()
        rest = [s for s in self.suites if not s.bad]
        rest.sort(key=lambda s: (0 if s.status == "unsupported" else 1, s.name))
        return bad + rest

    def by_op(self) -> list:
        """[(op, {status: n})] in order of first appearance."""
        ops = {}
        for s in self.suites:
            c = ops.setdefault(s.op or "(none)", {k: 0 for k in STATUSES + ("other",)})
            c[s.status if s.status in STATUSES else "other"] += 1
        return list(ops.items())

    def counts_text(self) -> str:
        t = self.totals
        parts = ["%s %s" % (fmt_int(t[s]), s) for s in STATUSES if t.get(s)]
        if t.get("other"):
            parts.append("%s other" % fmt_int(t["other"]))
        return "%s suites: %s" % (fmt_int(t["suites"]), ", ".join(parts) if parts else "none run")

    def find_failure(self, suite: str, inp: str):
        """The recorded failure of `suite` with input `inp` (for a code map cell), or None."""
        idx = self.__dict__.get("_failure_index")
        if idx is None:
            idx = {}
            for s in self.suites:
                for f in s.failures:
                    idx.setdefault((s.name, f.input), f)
            self._failure_index = idx
        return idx.get((suite, inp))


def load(path: str) -> Run:
    """Read and normalise one results file; ResultsError with a one-line reason otherwise."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise ResultsError(e.strerror or str(e))
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise ResultsError("not UTF-8 text (byte %d)" % e.start)
    except json.JSONDecodeError as e:
        raise ResultsError("invalid JSON: %s at line %d column %d" % (e.msg, e.lineno, e.colno))
    except RecursionError:
        raise ResultsError("invalid JSON: nested too deeply")
    if not isinstance(doc, dict):
        raise ResultsError("not a JSON object (top level is %s)" % type(doc).__name__)
    return Run(path, doc)


def write_atomic(path: str, data: str) -> None:
    """Write `data` (UTF-8) to `path` via a temporary file in the same directory + os.replace."""
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=d)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="\n") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
