#ifndef SAUTI_CSPEEXDSP_SHIM_H
#define SAUTI_CSPEEXDSP_SHIM_H

/* speexdsp's resampler is a plain function API; nothing to wrap. */
#include <speex/speex_resampler.h>

#endif
