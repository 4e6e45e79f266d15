# llvm-apfloat as detected by mxconform on the standard tier (scripts/peers.py; do not edit)
# matches ocp except: nan_finite = signed-zero; e5m2_nan = propagate; inf_sat = special; inf_finite = signed-zero
# mxconform profile: every key, so the file stands on its own
name = llvm-apfloat-detected
round = rne
sr_bits = 16
overflow = sat
nan_sign = keep
e5m2_nan = propagate
inf_sat = special
nan_finite = signed-zero
inf_finite = signed-zero
int8_range = twos
src_subnormals = exact
e8m0_zero = min
e8m0_neg = abs
fnuz_zero = positive
ovf_directed = max
e8m0_tie = even
ovf_finite = max
f64_src = direct
ovf_nan = nan
e8m0_range = round-first
rule = floor
nan_block = nan-scale
inf_block = nan-scale
zero_block = min
scale_overflow = nan
dequant_overflow = inf
fp4_pack = fp4-low
fp6_pack = byte
nvfp4_tensor_scale = exact
nvfp4_block_scale = exact
nvfp4_elem_scale = exact
nvfp4_dequant = exact
nvfp4_scale_sign = ignore
