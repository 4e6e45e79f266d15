"""Pins scripts/peers.py's count models (SWEEP_MODELS, F32_MODELS) against the committed
reports/peers/sweeps.tsv: every row a model covers has exactly the finite, NaN and Inf
mismatches the model predicts (the profile and the suspected bugs explain the whole count), a
row with one mismatch more does not, and gfloat's f32 model is not applied to its bf16/f16 rows
(those refuse the finite overflows under ovf, which it does not count)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "scripts"))
import peers  # noqa: E402

rows = peers.load_tsv(os.path.join(HERE, "..", "reports", "peers", "sweeps.tsv"))
covered, fails = 0, []


def counts(r):
    return int(r["zero"]) + int(r["subnormal"]) + int(r["normal"]), int(r["nan"]), int(r["inf"])


for r in rows:
    model = peers.sweep_model(r)
    if model is None or r.get("knobs", "ocp") != "ocp":
        continue
    covered += 1
    if counts(r) != tuple(model[:3]):
        fails.append("%s %s.%s %s %s %s: counts %s, model %s" % (
            r["target"], r["src"], r["dst"], r["round"], r["overflow"], r["coverage"], counts(r), model[:3]))
gfloat_f32 = [r for r in rows if r["target"] == "gfloat" and r["src"] == "f32" and r["coverage"] == "all 2^32"]
print("%d rows under a count model, %d of them gfloat's f32 sweeps; %d differ" % (covered, len(gfloat_f32), len(fails)))
if len(gfloat_f32) < 48:
    fails.append("gfloat has %d f32 rows over all 2^32 inputs, 48 expected" % len(gfloat_f32))
for r in gfloat_f32:
    if peers.sweep_model(r) is None:
        fails.append("gfloat f32 %s %s %s: no count model" % (r["dst"], r["round"], r["overflow"]))
one_more = dict(gfloat_f32[0], normal=str(int(gfloat_f32[0]["normal"]) + 1))
if counts(one_more) == tuple(peers.sweep_model(one_more)[:3]):
    fails.append("a gfloat row with one finite mismatch more still matches its model")
bf16 = dict(gfloat_f32[0], src="bf16", coverage="all 2^16")
if bf16["dst"] != "e5m2" and peers.sweep_model(bf16) is not None:
    fails.append("gfloat's f32 model is applied to a bf16 row")
for f in fails:
    print("FAIL " + f)
sys.exit(1 if fails else 0)
