# The report generator (reports/): results JSON -> HTML report, Markdown summary, JUnit XML.
# Python 3 standard library only; the browser check needs Debian's chromium and is skipped
# (exit status 77, shown by CTest as "Skipped") where it is not installed.
find_package(Python3 COMPONENTS Interpreter)
get_filename_component(MXC_REPORTS_DIR ${CMAKE_CURRENT_LIST_DIR}/../reports ABSOLUTE)

if(Python3_Interpreter_FOUND)
  # -B: no __pycache__ written into the source tree
  add_test(NAME report_html_markdown_junit_from_results
           COMMAND ${Python3_EXECUTABLE} -B -m unittest -v test_reports
           WORKING_DIRECTORY ${MXC_REPORTS_DIR})
  add_test(NAME report_renders_in_headless_chromium
           COMMAND ${Python3_EXECUTABLE} -B test_browser.py
           WORKING_DIRECTORY ${MXC_REPORTS_DIR})
  set_tests_properties(report_html_markdown_junit_from_results PROPERTIES
                       TIMEOUT 300 ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1")
  set_tests_properties(report_renders_in_headless_chromium PROPERTIES
                       TIMEOUT 900 SKIP_RETURN_CODE 77 ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1")
else()
  message(STATUS "python3 not found: the report generator tests (report_*) are not registered")
endif()

# The report on real runs (reference + a mutant), alone and side by side.
if(Python3_Interpreter_FOUND)
  add_test(NAME report_from_real_reference_and_mutant_runs
           COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/report_from_real_runs.sh $<TARGET_FILE:mxconform>
                   $<TARGET_FILE:mxmutant_double_rounding_via_bf16> ${PROJECT_SOURCE_DIR}
                   ${CMAKE_BINARY_DIR}/report-real)
  set_tests_properties(report_from_real_reference_and_mutant_runs PROPERTIES TIMEOUT 600)
endif()
