# an FP32 loop: each product rounded to FP32 and added in order, C added last (the
# reference BLAS sgemm_ loop microxcaling measures as; spec_notes/profiles.md "The dot model")
name = fp32-blas-loop
dot = group=1 accum=f32-rne c_at=last
