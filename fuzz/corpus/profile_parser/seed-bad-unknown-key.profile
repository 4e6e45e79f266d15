# line 2: a fine knob
rule = floor
scale_rule = ceil
