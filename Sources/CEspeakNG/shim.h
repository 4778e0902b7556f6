// libespeak-ng (Debian libespeak-ng-dev). The subdirectory include form means the module needs
// no pkg-config cflags (espeak-ng's are empty anyway).
#ifndef SAUTIPBX_CESPEAKNG_SHIM_H
#define SAUTIPBX_CESPEAKNG_SHIM_H
#include <espeak-ng/speak_lib.h>
#endif
