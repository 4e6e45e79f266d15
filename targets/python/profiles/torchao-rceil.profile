# torchao ScaleCalculationMode.RCEIL with PyTorch core casts: torchao-ceil's choices, rule rceil.
name = torchao-rceil
base = torchao-ceil
rule = rceil
