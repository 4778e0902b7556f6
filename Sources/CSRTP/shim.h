#ifndef SAUTIPBX_CSRTP_SHIM_H
#define SAUTIPBX_CSRTP_SHIM_H

// libsrtp2 (Debian libsrtp2-dev 2.5.0). Included by subdirectory so nothing depends on
// pkg-config cflags.
#include <stddef.h>
#include <srtp2/srtp.h>

// Function-like and composite macros are not imported into Swift; these wrappers expose them.

/// RFC 4568 §6.2.1 AES_CM_128_HMAC_SHA1_80 (a macro alias of the rtp default policy).
static inline void csrtp_policy_set_aes_cm_128_hmac_sha1_80(srtp_crypto_policy_t *p) {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(p);
}

/// Bytes srtp_protect() may write after the RTP packet (tag + largest MKI).
static inline int csrtp_max_trailer_len(void) {
    return SRTP_MAX_TRAILER_LEN;
}

/// Overwrites key material; the volatile stores keep the compiler from eliding the wipe.
static inline void csrtp_wipe(void *p, size_t n) {
    volatile unsigned char *bytes = (volatile unsigned char *)p;
    while (n--) {
        *bytes++ = 0;
    }
}

#endif
