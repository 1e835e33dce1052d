/*
 * xrayfdr.cc - starts and ends LLVM XRay's flight data recorder mode.
 *
 * XRAY_OPTIONS="patch_premain=true xray_mode=xray-fdr" patches the sleds
 * and selects FDR mode but leaves it uninitialised: its handler then
 * records nothing.  The program has to initialise it (here, before main)
 * and finalise and flush it (here, at exit), which writes the log.  It
 * is linked into the XRay builds only, and built without XRay.
 */
#include <stdio.h>
#include <xray/xray_log_interface.h>

__attribute__((constructor)) static void fdr_start(void) {
  if (__xray_log_select_mode("xray-fdr") != XRAY_REGISTRATION_OK ||
      __xray_log_init_mode("xray-fdr", "") != XRAY_LOG_INITIALIZED)
    fputs("xrayfdr: cannot start XRay FDR mode\n", stderr);
}

__attribute__((destructor)) static void fdr_stop(void) {
  if (__xray_log_finalize() != XRAY_LOG_FINALIZED ||
      __xray_log_flushLog() != XRAY_LOG_FLUSHED)
    fputs("xrayfdr: cannot write the XRay FDR log\n", stderr);
}
