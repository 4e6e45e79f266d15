# Dot suites in the conformance run: the reference passes them (exact-rne is the ideal), and a
# target with another accumulation model fails them with the model named.
foreach(preset nvidia-hopper-fp8 fp32-sequential amd-cdna3)
  add_test(NAME dot_suites_name_the_accumulation_model_${preset}
           COMMAND sh -c "out=$(\"$0\" run --tier smoke --suites 'dot.*' --target \"cmd:$0 serve --reference --dot-preset $1\" -q); st=$?; echo \"$out\"; [ $st = 1 ] && echo \"$out\" | grep -q \"dot_model = $1\$\""
                   ${MXC} ${preset})
endforeach()
