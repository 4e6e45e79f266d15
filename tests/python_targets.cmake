# The Python library adapters (targets/python: mxtarget_mldtypes.py, mxtarget_torch.py,
# mxproto.py) without the libraries: a clean refusal when the package does not import, and
# the adapters' plumbing on FAKE numpy/ml_dtypes/torch/torchao/microxcaling packages
# (targets/python/tests/fake_*: exact Fraction arithmetic, not the libraries) through
# `mxconform run`. Included by tests/CMakeLists.txt (MXC is the mxconform executable).
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  set(MXC_PY_ADAPTER_CHECK ${Python3_EXECUTABLE} -B ${PROJECT_SOURCE_DIR}/targets/python/tests/check_adapters.py ${MXC})
  add_test(NAME python_adapters_refuse_cleanly_without_their_package COMMAND ${MXC_PY_ADAPTER_CHECK} refuse)
  add_test(NAME python_mldtypes_adapter_passes_on_fake_ml_dtypes COMMAND ${MXC_PY_ADAPTER_CHECK} mldtypes)
  add_test(NAME python_torch_adapter_passes_on_fake_torch COMMAND ${MXC_PY_ADAPTER_CHECK} torch)
  add_test(NAME python_torch_adapter_quantizes_through_fake_torchao COMMAND ${MXC_PY_ADAPTER_CHECK} torchao)
  add_test(NAME python_torch_adapter_quantizes_through_fake_microxcaling COMMAND ${MXC_PY_ADAPTER_CHECK} microxcaling)
  set_tests_properties(python_adapters_refuse_cleanly_without_their_package
                       python_mldtypes_adapter_passes_on_fake_ml_dtypes
                       python_torch_adapter_passes_on_fake_torch
                       python_torch_adapter_quantizes_through_fake_torchao
                       python_torch_adapter_quantizes_through_fake_microxcaling
                       PROPERTIES TIMEOUT 300 ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1")
else()
  message(STATUS "python3 not found: the Python adapter tests (python_*adapter*) are not registered")
endif()
