# a dot line whose model the parser rejects: line 3
round = rne
dot = group=1 accum=f32 c_at=last
