rule = even
zero_block = one
# windows line endings
fp4_pack = fp4-high