# An example vendor profile: starts from the NVIDIA recipe and changes three choices.
# The name is left out on purpose: it defaults to the file name (my-accelerator).
base = nvidia-rceil

round = rne            # the recipe's cvt.rn (restated: the same as the base)
int8_range = symmetric
nan_finite = signed-zero
fp6_pack = fp6-lsb
