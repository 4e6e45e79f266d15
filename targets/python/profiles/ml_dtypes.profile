# ml_dtypes' documented choices (peers.md D1, D5; spec_notes/conversion.md 3.7, 3.11, 3.12),
# for `mxconform run --target cmd:'python3 targets/python/mxtarget_mldtypes.py' --profile THIS`.
# The adapter claims only `ovf` for E4M3/E5M2/E8M0 and `rna` for E8M0 (measured at start-up),
# so the overflow and E8M0 rounding choices need no knob here.
name = ml_dtypes
nan_finite = inverted-zero   # NaN -> FP6/FP4 -0, -NaN -> +0
e8m0_zero = nan              # +-0 -> E8M0 0xFF (non-saturating cast)
e8m0_neg = nan               # negative -> E8M0 0xFF (non-saturating cast)
