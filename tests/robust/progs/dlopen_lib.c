/* A profiled shared library, loaded and unloaded by dlopen_main.c. */
__attribute__((profile)) int lib_work(int x) { return x * 2 + 1; }
