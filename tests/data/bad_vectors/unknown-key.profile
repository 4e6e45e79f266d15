# a profile with a key no profile has
base = ocp
shared_exponent_rule = floor
