"""cprof_harness - what cprof's python test drivers share.

    steps      running a step, a test's outcome (pass, fail, skip)
    toolchain  the options naming the compiler, plugin and runtime under
               test, and the compile commands they imply
    source     the directives (CHECK, MEM, ARGS...) and markers of a test
               program: the one parser
    checks     CHECK directives against `prstats --format json`
    grid       ctest's results as a table of the test matrix

tests/CMakeLists.txt puts this directory's parent on every test's
PYTHONPATH; by hand: PYTHONPATH=tests/harness python3 tests/e2e/run_e2e.py ...
"""
