// libmpg123 for Swift (MediaEngine's MP3 decoding). The header lives in the multiarch
// include directory, which is on the default search path on Debian/Ubuntu.
#ifndef SAUTIPBX_CMPG123_SHIM_H
#define SAUTIPBX_CMPG123_SHIM_H
#include <mpg123.h>
#endif
