# llvm-apfloat as detected by mxconform on the standard tier (scripts/peers.py; do not edit)
# matches ocp except: nan_finite = signed-zero; inf_finite = signed-zero; e5m2_nan = propagate; inf_sat = special
name = llvm-apfloat-detected
base = ocp
nan_finite = signed-zero
inf_finite = signed-zero
e5m2_nan = propagate
inf_sat = special
