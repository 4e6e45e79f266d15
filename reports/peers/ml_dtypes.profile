# ml_dtypes as detected by mxconform on the standard tier (scripts/peers.py; do not edit)
# matches ocp except: e8m0_neg = nan; nan_finite = inverted-zero; inf_sat = special (11029 cases still differ under the detected profile)
name = ml_dtypes-detected
base = ocp
e8m0_neg = nan
nan_finite = inverted-zero
inf_sat = special
