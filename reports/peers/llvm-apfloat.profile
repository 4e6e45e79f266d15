# llvm-apfloat as detected by mxconform on the standard tier (scripts/peers.sh; do not edit)
# matches ocp except: nan_finite = signed-zero; inf_finite = signed-zero; inf_sat = special (172 cases still differ under the detected profile)
name = llvm-apfloat-detected
base = ocp
nan_finite = signed-zero
inf_finite = signed-zero
inf_sat = special
