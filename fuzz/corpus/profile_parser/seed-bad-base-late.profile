name = late-base
round = rna
base = gfloat
