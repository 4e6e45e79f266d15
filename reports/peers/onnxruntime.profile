# onnxruntime as detected by mxconform on the standard tier (scripts/peers.py; do not edit)
# matches ocp except: f64_src = via-f32; e8m0_range = check-first; e8m0_zero = nan when overflow=ovf; e8m0_neg = min; e8m0_neg = nan when overflow=ovf (73 cases still differ under the detected profile)
# mxconform profile: every key, so the file stands on its own
name = onnxruntime-detected
round = rne
sr_bits = 16
overflow = sat
nan_sign = keep
e5m2_nan = quiet
inf_sat = max
nan_finite = pos-max
inf_finite = max
int8_range = twos
src_subnormals = exact
e8m0_zero = min
e8m0_neg = min
fnuz_zero = positive
ovf_directed = max
e8m0_tie = even
ovf_finite = max
f64_src = via-f32
ovf_nan = nan
e8m0_range = check-first
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
# conditional values: the last rule whose condition holds wins
e8m0_zero = nan when overflow=ovf
e8m0_neg = nan when overflow=ovf
